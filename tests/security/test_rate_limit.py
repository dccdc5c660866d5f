"""Issue 14 ("What to build"): rate limits for anonymous expensive requests. A client may ask
for a limited number of *new* combinations of date / known_at / compare per window; past it,
429 with Retry-After (JSON under /api/). The counts are per address, in Django's cache
(web/throttle.py); the window here is long, so no test depends on the clock's speed."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from sechelp import make_user

from frisat.web.throttle import RateLimit

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_per_hour(settings):  # type: ignore[no-untyped-def]
    settings.FRISAT_RATE_LIMIT = (3, 3600)


DATES = ["2021-06-01", "2022-03-01", "2023-01-01", "2024-12-01"]


def test_new_dates_beyond_the_limit_get_429_with_retry_after(three_per_hour):
    c = Client(REMOTE_ADDR="10.1.1.1")
    for d in DATES[:3]:
        assert c.get(f"/api/v1/national?date={d}").status_code != 429
    r = c.get(f"/api/v1/national?date={DATES[3]}")
    assert r.status_code == 429
    assert 3500 <= int(r["Retry-After"]) <= 3600
    error = r.json()["errors"][0]
    assert error["code"] == "rate_limited" and "Prøv igen om" in error["message"]
    page = c.get(f"/kommune/217?date={DATES[3]}")
    assert page.status_code == 429 and page["Content-Type"].startswith("text/html")
    assert "For mange forespørgsler" in page.content.decode()


def test_asking_again_for_a_combination_already_used_is_free(three_per_hour):
    c = Client(REMOTE_ADDR="10.1.1.2")
    for d in DATES[:3]:
        c.get(f"/kommune/217?date={d}")
    for _ in range(5):
        assert c.get(f"/kommune/217?date={DATES[0]}").status_code == 200
        assert c.get(f"/api/v1/national?date={DATES[1]}").status_code != 429
    assert c.get("/kommune/217").status_code == 200  # no time parameters: not counted


def test_known_at_and_compare_count_as_well(three_per_hour):
    c = Client(REMOTE_ADDR="10.1.1.3")
    asked = ["?known_at=2024-03-01T12:00:00%2B01:00", "?known_at=2025-03-01T12:00:00%2B01:00",
             "?compare=2021-06-01"]
    for q in asked:
        assert c.get("/institution/341002" + q).status_code != 429
    assert c.get("/institution/341002?compare=2022-06-01").status_code == 429


def test_each_address_has_its_own_count(three_per_hour):
    for d in DATES[:3]:
        Client(REMOTE_ADDR="10.1.1.4").get(f"/api/v1/national?date={d}")
    assert Client(REMOTE_ADDR="10.1.1.4").get(
        f"/api/v1/national?date={DATES[3]}").status_code == 429
    assert Client(REMOTE_ADDR="10.1.1.5").get(
        f"/api/v1/national?date={DATES[3]}").status_code != 429


def test_staff_and_api_clients_with_a_token_are_not_limited(three_per_hour):
    from frisat.accounts.models import ApiToken

    user = make_user("sec-red", "municipal_editor", 217)
    staff = Client(REMOTE_ADDR="10.1.1.6")
    staff.force_login(user)
    token = ApiToken.issue(user)
    api = Client(REMOTE_ADDR="10.1.1.6", HTTP_AUTHORIZATION=f"Bearer {token}")
    for d in DATES:
        assert staff.get(f"/kommune/217?date={d}").status_code == 200
        assert api.get(f"/api/v1/national?date={d}").status_code != 429
    forged = Client(REMOTE_ADDR="10.1.1.6", HTTP_AUTHORIZATION="Bearer frisat_forkert")
    for d in DATES[:3]:
        forged.get(f"/api/v1/national?date={d}")
    assert forged.get("/api/v1/national?date=2020-01-01").status_code == 429


def test_the_window_slides(settings):
    """The middleware asked directly with its own clock: after the window, a new one opens."""
    settings.FRISAT_RATE_LIMIT = (2, 60)
    now = [1000.0]
    limiter = RateLimit(lambda request: None, clock=lambda: now[0])  # type: ignore[arg-type,return-value]
    ask = RequestFactory(REMOTE_ADDR="10.1.1.7").get

    assert limiter.wait(ask("/?date=2021-01-01")) == 0
    now[0] += 30
    assert limiter.wait(ask("/?date=2021-01-02")) == 0
    assert limiter.wait(ask("/?date=2021-01-03")) == 30  # the first falls out in 30 s
    now[0] += 31
    assert limiter.wait(ask("/?date=2021-01-03")) == 0
