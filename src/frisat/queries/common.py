"""What the questions share: dates and instants from text, and errors for unknown records."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from frisat.engine import model as m
from frisat.registry.errors import InputError, Rejected
from frisat.registry.snapshot import Snapshot

DK = ZoneInfo("Europe/Copenhagen")


def today() -> dt.date:
    return dt.datetime.now(DK).date()


def now() -> dt.datetime:
    return dt.datetime.now(DK)


def parse_date(value: str | None, field: str = "date") -> dt.date:
    if not value:
        return today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Rejected([InputError(field, "invalid",
                                   f"Forventede en dato ÅÅÅÅ-MM-DD, fik {value!r}")]) from None


def parse_instant(value: str | None, field: str = "known_at") -> dt.datetime:
    if not value:
        return now()
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            when = dt.datetime.combine(dt.date.fromisoformat(value), dt.time(23, 59, 59))
        except ValueError:
            raise Rejected([InputError(field, "invalid",
                                       "Forventede et tidspunkt i ISO 8601, fx "
                                       f"2024-05-01T12:00:00+02:00, fik {value!r}")]) from None
    return when if when.tzinfo else when.replace(tzinfo=DK)


def unknown(kind: str, value: object, field: str) -> Rejected:
    return Rejected([InputError(field, "not_found", f"Ukendt {kind}: {value}")])


def iso(x: dt.date | None) -> str | None:
    return x.isoformat() if x else None


def claimed(snap: Snapshot, section: str, record: object) -> str | None:
    """The time a record claimed it was known from, when the register registered it later
    (``model.Claim``), as ISO text; None when it claimed nothing earlier."""
    claims = snap.memo(("claims",), lambda: {(c.section, c.record, c.recorded_at): c.known_from
                                             for c in snap.world.claims})
    if not claims:
        return None
    kind = m.BY_SECTION[section]
    at = claims.get((section, m.claim_key(kind, record), record.recorded_at))  # type: ignore[attr-defined]
    return at.isoformat() if at else None
