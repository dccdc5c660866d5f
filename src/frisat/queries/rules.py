"""Which provisions apply to an institution on a date, and why (CONTRACT ``rules``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from frisat.engine.model import Membership
from frisat.queries.common import unknown
from frisat.registry.snapshot import Snapshot

if TYPE_CHECKING:
    from frisat.engine.verdict import Verdict
    from frisat.queries.types import RulesAnswer, VerdictJSON


def verdicts(snap: Snapshot, institution: str,
             date: dt.date) -> tuple[Membership | None, tuple[Verdict, ...]]:
    """The institution's membership on the date and its verdicts (from the answer index).
    Raises ``Rejected`` (not_found) for an unknown institution."""
    if institution not in snap.engine.institutions:
        raise unknown("institution", institution, "institution")
    return (snap.engine.membership(institution, date),
            snap.index.institution_rules(institution, date))


def as_json(found: tuple[Verdict, ...], lang: str, date: dt.date) -> list[VerdictJSON]:
    return [v.to_json(lang, date) for v in found]  # type: ignore[misc]


def rules(snap: Snapshot, institution: str, date: dt.date, known_at: dt.datetime,
          lang: str = "da", provisions: bool = True) -> RulesAnswer:
    """The answer; ``provisions=False`` leaves the verdicts out (a caller that renders
    them itself)."""
    ms, found = verdicts(snap, institution, date)
    inst = snap.engine.institutions[institution]
    return {
        "institution": {
            "id": inst.id, "name": inst.name,
            "municipality": ms.municipality if ms else None,
            "area": ms.area if ms else None, "kind": ms.kind if ms else None,
            "provider": ms.provider if ms else None, "example": inst.example,
        },
        "date": date.isoformat(),
        "known_at": known_at.isoformat(),
        "provisions": as_json(found, lang, date) if provisions else [],
    }
