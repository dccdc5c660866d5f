"""Issue 14, finding 4: the log-in lockout counted the raw user name while authentication uses
the stripped, NFKC-normalised one, and /admin/login/ had no throttle at all.

Now failures count per normalised user name (from any address) and per address (for any
user name), on both log-in pages (workflow/login.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from sechelp import PASSWORD, make_user

from frisat.workflow import login

pytestmark = pytest.mark.django_db

LOCKED = "For mange mislykkede forsøg"


def attempt(path: str, username: str, password: str, address: str = "10.0.0.1") -> str:
    r = Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})
    return r.content.decode()


def test_variants_of_the_user_name_share_one_count():
    make_user("anna", "municipal_editor", 217)
    # "ａｎｎａ" (full width) is "anna" under NFKC; spaces are stripped; case is folded
    for name in ("anna", " anna", "ａｎｎａ", "anna ", "ANNA"):
        assert LOCKED not in attempt("/forvaltning/login", name, "forkert")
    assert LOCKED in attempt("/forvaltning/login", "anna", PASSWORD)


def test_the_count_holds_across_addresses():
    make_user("anna", "municipal_editor", 217)
    for i in range(login.MAX_FAILURES_PER_USER):
        attempt("/forvaltning/login", "anna", "forkert", f"10.0.0.{i + 1}")
    assert LOCKED in attempt("/forvaltning/login", "anna", PASSWORD, "10.9.9.9")


def test_one_address_trying_many_names_is_locked_out():
    make_user("anna", "municipal_editor", 217)
    for i in range(login.MAX_FAILURES_PER_ADDRESS):
        attempt("/forvaltning/login", f"navn{i}", "forkert", "10.0.0.7")
    assert LOCKED in attempt("/forvaltning/login", "anna", PASSWORD, "10.0.0.7")
    assert LOCKED not in attempt("/forvaltning/login", "anna", PASSWORD, "10.0.0.8")


def test_the_admin_log_in_is_throttled_and_shares_the_count():
    from django.contrib.auth import get_user_model

    admin = make_user("admin-anna", None)
    get_user_model().objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    for _ in range(3):
        attempt("/forvaltning/login", "admin-anna", "forkert")
    for _ in range(login.MAX_FAILURES_PER_USER - 3):
        attempt("/admin/login/", "admin-anna", "forkert")
    c = Client(REMOTE_ADDR="10.0.0.1")
    r = c.post("/admin/login/", {"username": "admin-anna", "password": PASSWORD,
                                 "next": "/admin/"})
    assert r.status_code == 200 and LOCKED in r.content.decode()
    assert "_auth_user_id" not in c.session


def test_a_right_password_before_the_limit_still_works():
    make_user("anna", "municipal_editor", 217)
    attempt("/forvaltning/login", "anna", "forkert")
    c = Client(REMOTE_ADDR="10.0.0.1")
    r = c.post("/forvaltning/login", {"username": "anna", "password": PASSWORD})
    assert r.status_code == 302 and "_auth_user_id" in c.session


def test_behind_a_proxy_the_forwarded_address_counts(settings):
    settings.FRISAT_PROXIES = 1
    make_user("anna", "municipal_editor", 217)
    for i in range(login.MAX_FAILURES_PER_ADDRESS):
        Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 10.0.0.7").post(
            "/forvaltning/login", {"username": f"navn{i}", "password": "forkert"})
    # the proxy's own address (REMOTE_ADDR) is not what is counted: another client is free
    r = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.8").post(
        "/forvaltning/login", {"username": "anna", "password": PASSWORD})
    assert r.status_code == 302
