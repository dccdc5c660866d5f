"""Retsinformation over HTTP: LexDania XML by ELI, and the harvest feed for ``sync``.

Politeness (``../shared/reference/anchors.md`` §4): at most one request per 10 seconds
(the harvest API answers 429 otherwise), retries with exponential backoff on network errors,
429 and 5xx (``Retry-After`` honoured), and the harvest API's opening hours 03:00–23:45
Danish time (it answers 400 outside them): a closed-hours answer is reported as such
(``retsinformation_closed``), not retried.

``sync`` walks the harvest feed day by day (it reaches back at most 10 days), imports the
changed documents that belong to acts the register holds, and keeps its place in the
database (``SyncState``) after every document, so an interrupted run resumes where it
stopped.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import httpx

SITE = "https://www.retsinformation.dk"
HARVEST = "https://api.retsinformation.dk/v1/Documents"
DK = ZoneInfo("Europe/Copenhagen")
OPENS, CLOSES = dt.time(3, 0), dt.time(23, 45)
FEED_DAYS = 10  # the harvest feed reaches back at most this many days
# HTTP headers are ASCII (httpx refuses anything else): no "æ" here
USER_AGENT = "frisat (register for frisaettelse af kommuner; +https://www.retsinformation.dk/eli)"


class RetsinformationError(Exception):
    """A fetch that failed; ``code`` is stable, the message Danish."""

    def __init__(self, code: str, message: str, url: str = ""):
        self.code = code
        self.url = url
        self.message = message
        super().__init__(f"{url}: {code} — {message}" if url else f"{code} — {message}")


_ELI = re.compile(r"(?:https?://(?:www\.)?retsinformation\.dk)?/?(?:eli/)?"
                  r"(?P<kind>lta|retsinfo|accn)/(?P<rest>[A-Za-z0-9/]+?)(?:/xml)?/?$")


def eli_xml_url(eli: str) -> str:
    """The XML representation of an ELI: ``…/eli/lta/2021/880`` → ``…/eli/lta/2021/880/xml``.

    Accepts the full URI, ``eli/lta/2021/880``, ``lta/2021/880`` and ``accn/A20210088029``.
    """
    m = _ELI.fullmatch(eli.strip())
    if not m:
        raise RetsinformationError("invalid_eli",
                                   f"{eli!r} er ikke en ELI-adresse fra Retsinformation "
                                   "(fx https://www.retsinformation.dk/eli/lta/2021/880)")
    return f"{SITE}/eli/{m.group('kind')}/{m.group('rest')}/xml"


def is_open(at: dt.datetime) -> bool:
    local = at.astimezone(DK).time()
    return OPENS <= local < CLOSES


def http_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The HTTP client every request to Retsinformation goes through."""
    return httpx.Client(timeout=60.0, follow_redirects=True, transport=transport,
                        headers={"User-Agent": USER_AGENT})


@dataclass
class Client:
    """A polite client. ``sleep``, ``clock`` and ``now`` are injectable for tests."""

    http: httpx.Client = field(default_factory=lambda: http_client())
    min_interval: float = 10.0
    retries: int = 4
    backoff: float = 5.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(DK)
    _last: float | None = None
    requests: int = 0

    def _wait_turn(self) -> None:
        if self._last is not None:
            wait = self._last + self.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()

    def get(self, url: str, params: dict[str, str] | None = None, *,
            harvest: bool = False) -> httpx.Response:
        if harvest and not is_open(self.now()):
            raise RetsinformationError(
                "retsinformation_closed",
                "Retsinformations høst-API har åbent 03:00–23:45 dansk tid; prøv igen senere",
                url)
        delay = self.backoff
        for attempt in range(self.retries + 1):
            self._wait_turn()
            self.requests += 1
            try:
                r = self.http.get(url, params=params)
            except httpx.TransportError as e:
                if attempt == self.retries:
                    raise RetsinformationError(
                        "network", f"Retsinformation kunne ikke nås efter {attempt + 1} "
                        f"forsøg ({type(e).__name__})", url) from None
                self.sleep(delay)
                delay *= 2
                continue
            if r.status_code == 429 or r.status_code >= 500:
                if attempt == self.retries:
                    code = "rate_limited" if r.status_code == 429 else "http_error"
                    raise RetsinformationError(
                        code, f"Retsinformation svarede {r.status_code} efter "
                        f"{attempt + 1} forsøg", url)
                self.sleep(max(_retry_after(r) or delay, self.min_interval
                               if r.status_code == 429 else 0))
                delay *= 2
                continue
            if r.status_code == 400 and harvest and not is_open(self.now()):
                raise RetsinformationError(
                    "retsinformation_closed",
                    "Retsinformations høst-API lukkede undervejs (åbent 03:00–23:45 dansk "
                    "tid); kør sync igen senere — den fortsætter, hvor den slap", url)
            if r.status_code == 404:
                raise RetsinformationError("not_found", "Dokumentet findes ikke", url)
            if r.status_code >= 400:
                raise RetsinformationError(
                    "http_error", f"Retsinformation svarede {r.status_code}: "
                    f"{r.text[:200]!r}", url)
            return r
        raise AssertionError("unreachable")  # pragma: no cover

    def act_xml(self, eli: str) -> bytes:
        """LexDania XML of an act by its ELI (or ``accn/…``)."""
        r = self.get(eli_xml_url(eli))
        if b"<Dokument" not in r.content[:2000]:
            raise RetsinformationError("lexdania_malformed",
                                       "Svaret er ikke et LexDania-dokument", str(r.url))
        return r.content

    def changes(self, day: dt.date) -> list[dict[str, Any]]:
        """The harvest feed's changed documents for one day."""
        r = self.get(HARVEST, {"date": day.isoformat()}, harvest=True)
        try:
            data = r.json()
        except ValueError:
            raise RetsinformationError("http_error", "Høst-API'et svarede ikke med JSON",
                                       HARVEST) from None
        if not isinstance(data, list):
            raise RetsinformationError("http_error", "Høst-API'et svarede ikke med en liste",
                                       HARVEST)
        return [d for d in data if isinstance(d, dict)]


def _retry_after(r: httpx.Response) -> float | None:
    v = r.headers.get("Retry-After")
    if v and v.strip().isdigit():
        return float(v)
    return None


# -- sync -------------------------------------------------------------------------------

SYNC_TYPES = ("LOV", "LBK", "BEK")


@dataclass
class SyncReport:
    days: list[str] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)  # "key: designation"
    unchanged: int = 0
    skipped: int = 0  # documents of acts the register does not hold, or other types
    warnings: list[str] = field(default_factory=list)


def _load_state(channel: str) -> dict[str, Any]:
    from frisat.registry.models import SyncState

    row = SyncState.objects.filter(channel=channel).first()
    return dict(row.state) if row else {}


def _save_state(channel: str, state: dict[str, Any]) -> None:
    from django.utils import timezone

    from frisat.registry.models import SyncState

    SyncState.objects.update_or_create(channel=channel,
                                       defaults={"state": state, "updated_at": timezone.now()})


def sync(client: Client, *, today: dt.date | None = None, channel: str = "harvest",
         progress: Callable[[str], None] | None = None) -> SyncReport:
    """Import the documents changed since the last run that belong to acts we hold.

    A document belongs to an act of the register when its ELI (``lta/year/number``) is the
    act's ELI, or its derived key is an act's key. State: the last finished day and the
    documents done within the day being read.
    """
    from frisat.registry.errors import Rejected
    from frisat.registry.models import Act
    from frisat.sources.acts import derive_key, import_act
    from frisat.sources.lexdania import LexDaniaError, parse

    today = today or client.now().date()
    state = _load_state(channel)
    report = SyncReport()
    first = today - dt.timedelta(days=FEED_DAYS - 1)
    if state.get("day"):
        last = dt.date.fromisoformat(state["day"])
        start = last + dt.timedelta(days=1)
        if start < first:
            report.warnings.append(
                f"sync_gap: ændringer fra {start.isoformat()} til "
                f"{(first - dt.timedelta(days=1)).isoformat()} kan ikke læses i høst-API'et "
                "(højst 10 dage tilbage); importér de berørte love med frisat import act")
            start = first
    else:
        start = first
    by_eli = {a.eli.rstrip("/"): a.key for a in Act.objects.exclude(eli=None) if a.eli}
    keys = set(Act.objects.values_list("key", flat=True))
    day = start
    while day <= today:
        done = set(state.get("done", [])) if state.get("current") == day.isoformat() else set()
        for item in client.changes(day):
            ident = str(item.get("documentId") or item.get("accessionsnummer") or "")
            if not ident or ident in done:
                continue
            kind = ((item.get("documentType") or {}).get("shortName") or "").upper()
            accn = item.get("accessionsnummer")
            if kind not in SYNC_TYPES or not accn:
                report.skipped += 1
            else:
                xml = client.act_xml(f"accn/{accn}")
                try:
                    parsed = parse(xml)
                except LexDaniaError as e:
                    report.warnings.append(f"{accn}: {e.code} — {e.message}")
                    parsed = None
                key = None
                if parsed is not None:
                    eli = parsed.meta.eli
                    key = by_eli.get(eli) if eli else None
                    derived = derive_key(parsed)
                    key = key or (derived if derived in keys else None)
                if parsed is None or key is None:
                    report.skipped += 1
                else:
                    try:
                        res = import_act(parsed, key=key, source=f"sync {accn}")
                    except Rejected as e:
                        report.warnings.extend(str(x) for x in e.errors)
                    else:
                        if res.noop:
                            report.unchanged += 1
                        else:
                            report.imported.append(f"{key}: {parsed.meta.designation}")
                        report.warnings.extend(str(w) for w in res.warnings)
                if progress:
                    progress(ident)
            done.add(ident)
            state.update({"current": day.isoformat(), "done": sorted(done)})
            _save_state(channel, state)
        report.days.append(day.isoformat())
        state = {"day": day.isoformat()}
        _save_state(channel, state)
        day += dt.timedelta(days=1)
    return report
