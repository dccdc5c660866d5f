"""Issue 14, finding 7: sessions lasted two weeks with no idle timeout, staff pages were
cacheable, and there was no HSTS or Secure cookie behind TLS.

Now a session ends after 30 minutes without a request (each request moves the end), staff
pages are ``Cache-Control: no-store``, and ``FRISAT_BEHIND_TLS=1`` (docs/security.md) turns on
HSTS, the HTTPS redirect and ``__Host-`` cookies marked Secure."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from sechelp import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_session_ends_after_thirty_idle_minutes(users):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    c = Client()
    r = c.post("/forvaltning/login", {"username": "sec-red", "password": PASSWORD})
    assert r.status_code == 302
    session = Session.objects.get(pk=c.session.session_key)
    left = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)
    # thirty-one minutes later, without a request in between
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - dt.timedelta(minutes=1))
    r = c.get("/forvaltning/")
    assert r.status_code == 302 and r["Location"].startswith("/forvaltning/login")


def test_every_request_moves_the_end(users):
    c = Client()
    c.post("/forvaltning/login", {"username": "sec-red", "password": PASSWORD})
    key = c.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=2))
    assert c.get("/forvaltning/").status_code == 200
    left = Session.objects.get(pk=key).expire_date - timezone.now()
    assert left > dt.timedelta(minutes=29)


def test_the_session_cookie_ends_with_the_browser(users):
    c = Client()
    c.post("/forvaltning/login", {"username": "sec-red", "password": PASSWORD})
    cookie = c.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.parametrize("path", ["/forvaltning/login", "/forvaltning/", "/admin/login/",
                                  "/forvaltning/revision"])
def test_staff_pages_are_never_stored(users, path):
    c = Client()
    c.force_login(users["ministry"])
    assert c.get(path)["Cache-Control"] == "no-store"


def test_public_pages_may_be_cached():
    assert "no-store" not in Client().get("/kommune/217").get("Cache-Control", "")


_BEHIND_TLS = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
c = Client()
plain = c.get("/forvaltning/login")
secure = c.get("/forvaltning/login", HTTP_X_FORWARDED_PROTO="https")
cookie = secure.cookies.get(settings.CSRF_COOKIE_NAME)
print(json.dumps({
    "plain_status": plain.status_code, "plain_location": plain.get("Location"),
    "hsts": secure.get("Strict-Transport-Security"),
    "csrf_cookie": settings.CSRF_COOKIE_NAME, "session_cookie": settings.SESSION_COOKIE_NAME,
    "secure": bool(cookie and cookie["secure"]), "path": cookie and cookie["path"],
    "domain": cookie and cookie["domain"], "proxies": settings.FRISAT_PROXIES}))
"""


def test_behind_tls_hsts_redirect_and_host_cookies(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(FRISAT_HOME=str(tmp_path), FRISAT_BEHIND_TLS="1",
               DJANGO_SETTINGS_MODULE="frisat.web.settings",
               FRISAT_ALLOWED_HOSTS="testserver")
    out = subprocess.run([sys.executable, "-c", _BEHIND_TLS], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["plain_status"] == 301
    assert got["plain_location"].startswith("https://")
    assert got["hsts"] == "max-age=31536000"
    assert (got["csrf_cookie"], got["session_cookie"]) == ("__Host-csrftoken",
                                                           "__Host-sessionid")
    assert got["secure"] and got["path"] == "/" and got["domain"] == ""
    assert got["proxies"] == 1


def test_without_tls_no_hsts_and_plain_cookie_names():
    r = Client().get("/forvaltning/login")
    assert "Strict-Transport-Security" not in r
    assert settings.SESSION_COOKIE_NAME == "sessionid"
