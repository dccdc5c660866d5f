"""One leaf at municipality level: only whole-municipality decisions count (CONTRACT
``status``)."""

from __future__ import annotations

import datetime as dt

from frisat.engine import NotAnswerable, UnknownRecord
from frisat.law.citation import CitationError, parse_citation
from frisat.queries.types import StatusAnswer
from frisat.registry.errors import InputError, Rejected
from frisat.registry.snapshot import Snapshot


def status(snap: Snapshot, municipality: int, area: str, provision: str, date: dt.date,
           known_at: dt.datetime, lang: str = "da") -> StatusAnswer:
    try:
        c = parse_citation(provision)
    except CitationError as e:
        raise Rejected([InputError("provision", "unknown_provision", str(e))]) from None
    try:
        verdict = snap.engine.municipality_status(municipality, area, c.act, c.ref, date)
    except (UnknownRecord, NotAnswerable) as e:
        raise Rejected([InputError("provision", getattr(e, "code", "not_found"), str(e))]) from None
    answer: dict[str, object] = {"municipality": municipality, "area": area,
                                 "date": date.isoformat(), "known_at": known_at.isoformat()}
    answer.update(verdict.to_json(lang, date))
    return answer  # type: ignore[return-value]
