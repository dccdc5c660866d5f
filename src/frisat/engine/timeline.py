"""Answers over time: an institution's history, the changes between two dates, the state
of a municipality's own rule sets, and the regimes' timeline (built on the change dates of
``stretches.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from frisat.engine.model import Act, Coverage, Date, Kept, Regime, Repeal
from frisat.engine.stretches import Span, change_dates

if TYPE_CHECKING:
    from frisat.engine.verdict import Engine, Verdict

SET_ASIDE = ("set_aside", "partially_set_aside")


# --------------------------------------------------------------------------- institution


@dataclass(frozen=True)
class Freedom:
    """A leaf set aside (wholly or partly) for an institution, and by which records."""

    act: str
    ref: str
    status: str
    decisions: tuple[str, ...]

    @property
    def citation(self) -> str:
        return f"{self.act} {self.ref}".strip()


@dataclass(frozen=True)
class Stretch:
    """A period in which the same freedoms held for an institution."""

    start: Date | None
    end: Date | None
    municipality: int
    area: str
    freedoms: tuple[Freedom, ...]


def freedoms(engine: Engine, institution: str, d: Date) -> tuple[Freedom, ...]:
    """The leaves set aside for the institution on D (only leaves under the targets of
    records in force are judged: every other leaf applies or is not in force)."""
    ctx = engine.institution_context(institution, d)
    if ctx is None:
        return ()
    leaves: dict[tuple[str, str], None] = {}
    for it in ctx.items:
        if it.state == "holding":
            for t in it.targets:
                for leaf in engine.tree.leaves_under(t.act, t.ref):
                    leaves.setdefault(leaf.key, None)
    for leaf in engine.dependents(list(leaves), d):  # what may fall as a consequence
        leaves.setdefault(leaf.key, None)
    out = []
    for key in sorted(leaves, key=lambda k: (engine.act_order.get(k[0], 0),
                                             engine.tree.order[k])):
        leaf = engine.tree.nodes[key]
        if not engine.relevant(leaf.act, ctx):
            continue
        v = engine.judge(leaf, ctx)
        if v.status in SET_ASIDE:
            out.append(Freedom(leaf.act, leaf.ref, v.status,
                               v.decision_ids() or v.consequence_ids()))
    return tuple(out)


def institution_history(engine: Engine, institution: str) -> list[Stretch]:
    """The institution's history: each stretch of its membership with the freedoms that
    held in it; consecutive stretches with the same freedoms are merged."""
    out: list[Stretch] = []
    for m in engine.memberships_of(institution):
        dates = [x for x in change_dates(engine, m.municipality, m.area)
                 if (m.valid_from is None or x > m.valid_from)
                 and (m.valid_to is None or x < m.valid_to)]
        bounds: list[Date | None] = [m.valid_from, *dates, m.valid_to]
        for start, end in zip(bounds, bounds[1:], strict=False):
            day = Span(start, end).sample()
            cur = engine.membership(institution, day)
            if cur is None or (cur.municipality, cur.area) != (m.municipality, m.area):
                continue  # another membership holds here
            got = freedoms(engine, institution, day)
            last = out[-1] if out else None
            if last is not None and last.end == start and last.freedoms == got \
                    and (last.municipality, last.area) == (m.municipality, m.area):
                out[-1] = Stretch(last.start, end, m.municipality, m.area, got)
            else:
                out.append(Stretch(start, end, m.municipality, m.area, got))
    return out


@dataclass(frozen=True)
class Change:
    """A leaf whose status differs between two dates (``before`` or ``after`` is None when
    the leaf is not listed for the institution on that date)."""

    before: Verdict | None
    after: Verdict | None

    @property
    def verdict(self) -> Verdict:
        v = self.after or self.before
        assert v is not None
        return v


def changes(before: Iterable[Verdict], after: Iterable[Verdict]) -> list[Change]:
    """The leaves whose status differs between two verdict lists, in the order they first
    appear (the earlier list first)."""
    b = {v.citation: v for v in before}
    a = {v.citation: v for v in after}
    out = []
    for c in dict.fromkeys([*b, *a]):
        x, y = b.get(c), a.get(c)
        if (x.status if x else None) != (y.status if y else None):
            out.append(Change(x, y))
    return out


# --------------------------------------------------------------------------- rule sets


@dataclass(frozen=True)
class RuleSet:
    """A municipality's own rule set on a date (SEMANTICS §5): removed, to be removed, kept
    (with its reason) or without a decision; with the provisions repealed one by one."""

    act: Act
    state: str  # removed | to_be_removed | kept | no_decision
    removed_from: Date | None
    kept: Kept | None
    whole: tuple[Repeal, ...]
    parts: tuple[Repeal, ...]


def rule_sets(engine: Engine, mun: int, d: Date) -> list[RuleSet]:
    """The municipality's own rule sets in catalogue order, each with its state on D."""
    kept = {k.act: k for k in engine.world.kept if k.municipality == mun}
    out = []
    for a in engine.world.acts:
        if a.level != "municipal" or a.municipality != mun:
            continue
        repeals = [rp for (act, _ref), rps in engine.repeals.items() if act == a.key
                   for rp in rps]
        whole = tuple(rp for rp in repeals if rp.ref == "")
        removed = next((rp for rp in sorted(whole, key=lambda r: r.valid_from)
                        if rp.valid_from <= d), None)
        parts = tuple(sorted((rp for rp in repeals if rp.ref),
                             key=lambda r: (r.valid_from, r.ref)))
        if removed is not None:
            state = "removed"
        elif a.key in kept:
            state = "kept"
        elif any(rp.valid_from > d for rp in whole):
            state = "to_be_removed"
        else:
            state = "no_decision"
        start = removed.valid_from if removed else min((rp.valid_from for rp in whole),
                                                       default=None)
        out.append(RuleSet(a, state, start, kept.get(a.key), whole, parts))
    return out


# --------------------------------------------------------------------------- regimes


@dataclass(frozen=True)
class RegimeEvent:
    """A regime starts, ends or has its end moved (an extension found in the record
    history)."""

    date: Date | None
    regime: str
    event: str  # start | extended | end
    source: str = ""
    previous: Date | None = None
    recorded_at: dt.datetime | None = None


@dataclass(frozen=True)
class RegimeLife:
    regime: Regime
    start: Date
    end: Date | None
    areas: tuple[str, ...]
    municipalities: tuple[int, ...]


def regime_timeline(regimes: Iterable[Regime], history: Sequence[Coverage],
                    current: Sequence[Coverage]) -> tuple[list[RegimeLife], list[RegimeEvent]]:
    """Each regime's life and the events of all of them, from every coverage record known
    (``history``, in record order) and the latest record per key (``current``)."""
    by_key = {r.key: r for r in regimes}
    first = {k: min((h.valid_from for h in history if h.regime == k), default=Date.max)
             for k in by_key}
    lives: list[RegimeLife] = []
    events: list[RegimeEvent] = []
    for key in sorted(by_key, key=lambda k: first[k]):
        recs = [h for h in history if h.regime == key]
        if not recs:
            continue
        start = min(h.valid_from for h in recs)
        ends = [c.valid_to for c in current if c.regime == key]
        end = None if any(e is None for e in ends) else max(e for e in ends if e)
        lives.append(RegimeLife(by_key[key], start, end,
                                tuple(sorted({h.area for h in recs})),
                                tuple(sorted({h.municipality for h in recs}))))
        events.append(RegimeEvent(start, key, "start"))
        # an end date that changed in the record history is an extension (or shortening)
        seen_end: dict[tuple[int, str, Date], Date | None] = {}
        for h in recs:
            k = (h.municipality, h.area, h.valid_from)
            if k in seen_end and seen_end[k] != h.valid_to and not any(
                    e.event == "extended" and e.regime == key and e.date == h.valid_to
                    for e in events):
                events.append(RegimeEvent(h.valid_to, key, "extended", h.source, seen_end[k],
                                          h.recorded_at))
            seen_end[k] = h.valid_to
        if end is not None:
            events.append(RegimeEvent(end, key, "end"))
    events.sort(key=lambda e: (e.date.isoformat() if e.date else "", e.event != "start"))
    return lives, events
