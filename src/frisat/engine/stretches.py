"""When an answer can change: the change dates of a municipality and area, and the
stretches between them (SEMANTICS §6).

The answer for a municipality and area changes only on the dates something changes there:
a decision or exemption starts, ends or is revoked; coverage begins or ends; a provision
version, a listing or a repeal starts or ends; an institution joins or leaves. Between two
such dates (a *stretch*) every answer is the same, except for the sentences that name the
date asked. The answer index (``index.py``) and the timelines (``timeline.py``) build on it.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from frisat.engine.model import Date

if TYPE_CHECKING:
    from frisat.engine.verdict import Engine


def change_dates(engine: Engine, mun: int, area: str) -> tuple[Date, ...]:
    """Every date on which an answer for the municipality and area can change, in order."""
    got = engine.memo.get(("change_dates", mun, area))
    if got is not None:
        return got  # type: ignore[return-value]
    out: set[Date | None] = set()
    for dec in engine.decisions_by_area.get((mun, area), ()):
        out.update((dec.effective_from, dec.effective_to))
        rev = engine.revoked.get(dec.id)
        if rev is not None:
            out.add(rev[0])
    for ex in engine.exemptions_by_area.get((mun, area), ()):
        out.update((ex.valid_from, ex.valid_to))
    regimes: set[str] = set()
    for c in engine.coverage.get((mun, area), ()):
        out.update((c.valid_from, c.valid_to))
        regimes.add(c.regime)
    # a decision's regime may cover it only in part of the time (its own coverage rows)
    for dec in engine.decisions_by_area.get((mun, area), ()):
        regimes.add(dec.regime)
    for key in regimes:
        reg = engine.regimes.get(key)
        if reg is not None:
            out.update(reg.listing_dates)
    for (key, _text), scope in engine.condition_scopes.items():  # a condition shown from D
        if key in regimes:
            out.update((scope.valid_from, scope.valid_to))
    for m in engine.members_by_area.get((mun, area), ()):
        out.update((m.valid_from, m.valid_to))
    for known in engine.completeness_of.get((mun, area), ()):
        out.update((known.valid_from, known.valid_to))
    out.update(_act_dates(engine, area, mun))
    out.discard(None)
    res = tuple(sorted(d for d in out if d is not None))
    engine.memo[("change_dates", mun, area)] = res
    return res


def _act_dates(engine: Engine, area: str, mun: int) -> set[Date | None]:
    """Start and end dates of versions and repeals of the acts that may govern the area
    (a municipality's own rule sets only for that municipality)."""
    key = ("act_dates", area, mun)
    got = engine.memo.get(key)
    if got is not None:
        return got  # type: ignore[return-value]
    acts = {a.key for a in engine.acts.values() if area in a.areas
            and (a.level != "municipal" or a.municipality == mun)}
    out: set[Date | None] = {engine.acts[a].valid_from for a in acts}
    for (act, _ref), versions in engine.versions.items():
        if act in acts:
            for v in versions:
                out.update((v.valid_from, v.valid_to))
    for (act, _ref), repeals in engine.repeals.items():
        if act in acts:
            out.update(rp.valid_from for rp in repeals)
    for deps in engine.dependencies.values():  # a consequence starts or ends with its rule
        for dep in deps:
            out.update((dep.valid_from, dep.valid_to))
    engine.memo[key] = out
    return out


class Span(NamedTuple):
    """A stretch ``[start, end)`` between two change dates (None: unbounded); a plain
    tuple, as it keys the index's entries."""

    start: Date | None
    end: Date | None

    def sample(self) -> Date:
        """A date inside the stretch, to ask the engine with."""
        if self.start is not None:
            return self.start
        return (self.end - dt.timedelta(days=1)) if self.end is not None else Date(2000, 1, 1)


def span_of(dates: Sequence[Date], d: Date) -> Span:
    """The stretch between change dates that holds D."""
    i = bisect_right(dates, d)
    return Span(dates[i - 1] if i else None, dates[i] if i < len(dates) else None)


def spans(dates: Sequence[Date]) -> list[Span]:
    """Every stretch, from before the first change date to after the last."""
    bounds: list[Date | None] = [None, *dates, None]
    return [Span(a, b) for a, b in zip(bounds, bounds[1:], strict=False)]


def national_dates(engine: Engine) -> tuple[Date, ...]:
    """Every date on which the national answer can change: the change dates of every
    municipality and area with decisions or exemptions, and every coverage bound."""
    got = engine.memo.get("national_dates")
    if got is not None:
        return got  # type: ignore[return-value]
    out: set[Date | None] = set()
    for mun, area in engine.mun_area_keys():
        out.update(change_dates(engine, mun, area))
    for rows in engine.coverage.values():
        for c in rows:
            out.update((c.valid_from, c.valid_to))
    for known_rows in engine.completeness_of.values():
        for known in known_rows:
            out.update((known.valid_from, known.valid_to))
    res = tuple(sorted(d for d in out if d is not None))
    engine.memo["national_dates"] = res
    return res
