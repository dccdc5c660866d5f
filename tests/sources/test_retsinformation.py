"""The Retsinformation client against recorded responses (httpx.MockTransport).

The feed fixture (tests/fixtures/lexdania/harvest-feed-day.json) is an EXAMPLE in the field
shape anchors.md §4 documents; the network itself is never used.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from frisat.registry import models as db
from frisat.sources.retsinformation import (
    DK,
    Client,
    RetsinformationError,
    eli_xml_url,
    is_open,
    sync,
)

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lexdania"
V1 = (FIX / "consolidation-v1.xml").read_bytes()
V2 = (FIX / "consolidation-v2.xml").read_bytes()
FEED = json.loads((FIX / "harvest-feed-day.json").read_text(encoding="utf-8"))
NOON = dt.datetime(2024, 6, 3, 12, 0, tzinfo=DK)


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []
        self.at: list[float] = []

    def sleep(self, s: float) -> None:
        self.sleeps.append(s)
        self.t += s

    def clock(self) -> float:
        return self.t


def client(handler: Callable[[httpx.Request], httpx.Response], *,
           now: dt.datetime = NOON) -> tuple[Client, FakeTime]:
    ft = FakeTime()

    def timed(request: httpx.Request) -> httpx.Response:
        ft.at.append(ft.t)
        return handler(request)

    c = Client(http=httpx.Client(transport=httpx.MockTransport(timed)), sleep=ft.sleep,
               clock=ft.clock, now=lambda: now)
    return c, ft


@pytest.mark.parametrize("eli", ["https://www.retsinformation.dk/eli/lta/2021/880",
                                 "eli/lta/2021/880", "lta/2021/880",
                                 "https://www.retsinformation.dk/eli/lta/2021/880/xml"])
def test_eli_paths(eli: str) -> None:
    assert eli_xml_url(eli) == "https://www.retsinformation.dk/eli/lta/2021/880/xml"


def test_accession_path_and_bad_eli() -> None:
    assert eli_xml_url("accn/A20210088029").endswith("/eli/accn/A20210088029/xml")
    with pytest.raises(RetsinformationError) as e:
        eli_xml_url("https://example.org/lov/880")
    assert e.value.code == "invalid_eli"


def test_200_returns_the_document() -> None:
    seen: list[str] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(str(req.url))
        return httpx.Response(200, content=V1, headers={"content-type": "application/xml"})

    c, _ = client(handler)
    assert c.act_xml("lta/2020/101") == V1
    assert seen == ["https://www.retsinformation.dk/eli/lta/2020/101/xml"]


def test_429_waits_and_retries_then_succeeds() -> None:
    answers = [httpx.Response(429, headers={"Retry-After": "30"}), httpx.Response(200, content=V1)]
    c, ft = client(lambda req: answers.pop(0))
    assert c.act_xml("lta/2020/101") == V1
    assert c.requests == 2
    assert ft.at[1] - ft.at[0] >= 30  # Retry-After honoured


def test_429_without_retry_after_waits_at_least_the_rate_limit() -> None:
    answers = [httpx.Response(429), httpx.Response(200, content=V1)]
    c, ft = client(lambda req: answers.pop(0))
    c.act_xml("lta/2020/101")
    assert ft.at[1] - ft.at[0] >= 10


def test_persistent_429_is_reported() -> None:
    c, _ = client(lambda req: httpx.Response(429))
    with pytest.raises(RetsinformationError) as e:
        c.act_xml("lta/2020/101")
    assert e.value.code == "rate_limited" and c.requests == c.retries + 1


def test_network_errors_back_off_then_give_up() -> None:
    def handler(req: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("unreachable", request=req)

    c, ft = client(handler)
    with pytest.raises(RetsinformationError) as e:
        c.act_xml("lta/2020/101")
    assert e.value.code == "network"
    backoffs = [s for s in ft.sleeps if s >= c.backoff]
    assert backoffs == sorted(backoffs) and len(backoffs) >= c.retries


def test_requests_are_spaced_by_the_rate_limit() -> None:
    c, ft = client(lambda req: httpx.Response(200, content=V1))
    for _ in range(3):
        c.act_xml("lta/2020/101")
    gaps = [b - a for a, b in zip(ft.at, ft.at[1:], strict=False)]
    assert gaps and all(g >= 10 for g in gaps)


def test_not_found_and_not_lexdania() -> None:
    c, _ = client(lambda req: httpx.Response(404))
    with pytest.raises(RetsinformationError) as e:
        c.act_xml("lta/2020/999")
    assert e.value.code == "not_found"
    c, _ = client(lambda req: httpx.Response(200, content=b"<html>Vedligeholdelse</html>"))
    with pytest.raises(RetsinformationError) as e:
        c.act_xml("lta/2020/101")
    assert e.value.code == "lexdania_malformed"


@pytest.mark.parametrize(("hour", "minute", "open_"), [(2, 59, False), (3, 0, True),
                                                       (23, 44, True), (23, 45, False)])
def test_opening_hours(hour: int, minute: int, open_: bool) -> None:
    assert is_open(dt.datetime(2024, 6, 3, hour, minute, tzinfo=DK)) is open_


def test_closed_hours_are_reported_without_asking() -> None:
    calls: list[httpx.Request] = []
    c, _ = client(lambda req: calls.append(req) or httpx.Response(200, json=[]),
                  now=dt.datetime(2024, 6, 3, 23, 50, tzinfo=DK))
    with pytest.raises(RetsinformationError) as e:
        c.changes(dt.date(2024, 6, 3))
    assert e.value.code == "retsinformation_closed" and calls == []


def test_a_400_at_closing_time_is_reported_as_closed() -> None:
    times = iter([dt.datetime(2024, 6, 3, 23, 44, tzinfo=DK),
                  dt.datetime(2024, 6, 3, 23, 46, tzinfo=DK)])
    c, _ = client(lambda req: httpx.Response(400, text="Closed"))
    c.now = lambda: next(times)
    with pytest.raises(RetsinformationError) as e:
        c.changes(dt.date(2024, 6, 3))
    assert e.value.code == "retsinformation_closed"


@pytest.mark.django_db
def test_sync_imports_changes_of_held_acts_and_resumes() -> None:
    from frisat.sources.acts import import_act
    from frisat.sources.lexdania import parse

    import_act(parse(V1), key="eksempelloven", areas=["dagtilbud"])
    today = dt.date(2024, 6, 3)
    fail_once = {"armed": True}

    def handler(req: httpx.Request) -> httpx.Response:
        if req.url.host == "api.retsinformation.dk":
            day = req.url.params["date"]
            return httpx.Response(200, json=FEED if day == "2024-06-03" else [])
        if req.url.path.endswith("/A20220000229/xml"):
            return httpx.Response(200, content=V2)
        if fail_once["armed"]:  # the second document's fetch breaks the first run
            fail_once["armed"] = False
            raise httpx.ConnectError("down", request=req)
        return httpx.Response(200, content=V1.replace(b"<Number>101", b"<Number>999")
                              .replace(b"Eksempelloven", b"Andetloven"))

    c, _ = client(handler)
    c.retries = 0
    with pytest.raises(RetsinformationError):
        sync(c, today=today)
    state = db.SyncState.objects.get(channel="harvest").state
    assert state["current"] == "2024-06-03" and state["done"] == ["900002"]
    versions = db.Version.objects.filter(act="eksempelloven").count()
    report = sync(c, today=today)  # resumes: the first document is not fetched again
    assert report.imported == [] and report.skipped == 2
    assert db.Version.objects.filter(act="eksempelloven").count() == versions
    assert db.SyncState.objects.get(channel="harvest").state == {"day": "2024-06-03"}
    assert db.Version.objects.filter(act="eksempelloven", ref="§ 6").exists()


@pytest.mark.django_db
def test_sync_reports_a_gap_older_than_the_feed() -> None:
    db.SyncState.objects.create(channel="harvest", state={"day": "2024-05-01"},
                                updated_at=dt.datetime(2024, 5, 2, tzinfo=dt.UTC))
    c, _ = client(lambda req: httpx.Response(200, json=[]))
    report = sync(c, today=dt.date(2024, 6, 3))
    assert report.warnings and report.warnings[0].startswith("sync_gap")
    assert report.days[0] == "2024-05-25" and len(report.days) == 10
