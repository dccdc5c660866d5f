"""How complete the register is for a municipality, area by area, on a date.

Two things a reader needs before trusting a page: whether the register knows all of the
municipality's decisions in the area (the completeness records; none recorded means not
known, SEMANTICS §3.4), and which institutions it knows there and from which register
extract (``places``), with the day the extract was taken — membership before it is not
known.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TypedDict

from frisat.queries import places
from frisat.queries.common import iso
from frisat.registry.snapshot import Snapshot


class AreaKnowledge(TypedDict):
    area: str
    covered: bool  # a scheme frees the municipality in the area on the date
    ever_covered: bool  # a scheme has covered it in the area (before, on or after the date)
    decisions_level: str  # complete | partial | unknown (no record: unknown)
    decisions_known: int  # published decisions the register holds
    decisions_source: str | None
    institutions: int  # institutions the register knows there on the date
    registers: list[dict[str, object]]  # register, count, known_from


def municipality(snap: Snapshot, code: int, date: dt.date) -> list[AreaKnowledge]:
    eng = snap.engine
    schemes = {c.area for c in snap.world.coverage if c.municipality == code}
    areas = sorted(schemes | {a for (m, a) in eng.members_by_area if m == code})
    out: list[AreaKnowledge] = []
    rows = places.all_places()
    for area in areas:
        known = eng.completeness(code, area, date)
        members = eng.members_on(code, area, date)
        by_register = Counter(rows[m.institution]["register"] for m in members
                              if m.institution in rows)
        out.append({
            "area": area, "covered": bool(eng.covering(code, area, date)),
            "ever_covered": area in schemes,
            "decisions_level": known.level if known else "unknown",
            "decisions_known": sum(1 for d in snap.world.decisions
                                   if d.published and d.municipality == code
                                   and d.area == area),
            "decisions_source": (known.source_url or known.source or None) if known else None,
            "institutions": len(members),
            "registers": [{"register": r, "count": n,
                           "known_from": iso(places.KNOWN_FROM.get(r))}
                          for r, n in sorted(by_register.items())]})
    return out
