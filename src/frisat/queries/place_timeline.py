"""A municipality's timeline per area: the schemes' periods and its decisions as markers.

For each area a scheme has covered the municipality in: the coverage periods (regime, from,
ceases on), and the published decisions in the area with the day they took effect, the day
they cease and their state on the asked date. The page draws it as a bar with markers and
prints the same as a list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from frisat.queries.common import iso
from frisat.registry.snapshot import Snapshot


def timeline(snap: Snapshot, code: int, date: dt.date) -> list[dict[str, Any]]:
    eng = snap.engine
    regimes = {r.key: r for r in snap.world.regimes}
    areas = sorted({c.area for c in snap.world.coverage if c.municipality == code})
    out = []
    for area in areas:
        periods = sorted(((c.valid_from, c.valid_to, c.regime) for c in snap.world.coverage
                          if c.municipality == code and c.area == area),
                         key=lambda p: (p[0], p[2]))
        decisions = sorted((d for d in snap.world.decisions
                            if d.published and d.municipality == code and d.area == area),
                           key=lambda d: (d.effective_from, d.id))
        out.append({
            "area": area,
            "periods": [{"regime": r, "title": regimes[r].title if r in regimes else r,
                         "from": iso(a), "to": iso(b)} for a, b, r in periods],
            "decisions": [{"id": d.id, "title": d.title, "from": iso(d.effective_from),
                           "to": iso(d.effective_to), "date_precision": d.date_precision,
                           "state": eng.decision_state(d.id, date), "example": d.example}
                          for d in decisions]})
    return out
