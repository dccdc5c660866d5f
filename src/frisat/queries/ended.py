"""Which schemes had ended by a date: for a place (municipality and area) or everywhere.

A page asked for a date after a scheme ended says so plainly ("the ordinary rules apply
again") and links to the scheme's last day. Read from the coverage records known at K; the
intervals are half-open, so the day a scheme ceases is its ``valid_to`` and its last day the
day before.
"""

from __future__ import annotations

import datetime as dt

from frisat.queries.types import EndedRegime
from frisat.registry.snapshot import Snapshot


def ended_regimes(snap: Snapshot, municipality: int | None, area: str | None,
                  date: dt.date) -> list[EndedRegime]:
    """The schemes that covered the municipality (in the area, if given; any municipality
    when ``municipality`` is None) before the date and no longer cover it on the date —
    everywhere they did, when ``municipality`` is None."""
    eng = snap.engine
    last: dict[tuple[str, str], dt.date] = {}
    places: dict[tuple[str, str], set[int]] = {}
    for c in snap.world.coverage:
        if municipality is not None and c.municipality != municipality:
            continue
        if area is not None and c.area != area:
            continue
        if c.valid_from >= date:
            continue
        k = (c.regime, c.area)
        places.setdefault(k, set()).add(c.municipality)
        if c.valid_to is None or c.valid_to > date:
            last[k] = dt.date.max  # still running somewhere
            continue
        last[k] = max(last.get(k, c.valid_to), c.valid_to)
    out: list[EndedRegime] = []
    for (regime, a), ceased in sorted(last.items(), key=lambda kv: (kv[1], kv[0])):
        if ceased == dt.date.max or any(eng.covers(regime, m, a, date)
                                        for m in places[(regime, a)]):
            continue  # running on the date (an extension may be a new stretch)
        r = eng.regimes.get(regime)
        out.append({"regime": regime, "title": r.title if r else regime, "area": a,
                    "ceased": ceased.isoformat(),
                    "last_day": (ceased - dt.timedelta(days=1)).isoformat()})
    return out
