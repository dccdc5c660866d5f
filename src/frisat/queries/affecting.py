"""The published decisions that affect one institution or one provision: the subscriptions.

An institution is affected by a decision of its municipality in its area whose scope takes
it in on the day the decision takes effect (``Engine.scope_institutions``); a provision by a
decision with a target that shares a leaf with it (the provision itself, a part above it or
a part below it). Newest effect first. Each entry is the § 6 overview's entry of the
decision, with its state on the asked date.
"""

from __future__ import annotations

import datetime as dt

from frisat.queries.common import unknown
from frisat.queries.overview import entry
from frisat.queries.types import OverviewDecision
from frisat.registry.snapshot import Snapshot


def institution(snap: Snapshot, institution_id: str, date: dt.date) -> list[OverviewDecision]:
    eng = snap.engine
    if institution_id not in eng.institutions:
        raise unknown("institution", institution_id, "institution")
    places = {(m.municipality, m.area) for m in eng.memberships_of(institution_id)}
    found = [d for d in snap.world.decisions
             if d.published and (d.municipality, d.area) in places
             and institution_id in eng.scope_institutions(d, d.effective_from)]
    return _newest_effect_first(snap, found, date)


def provision(snap: Snapshot, act: str, ref: str, date: dt.date) -> list[OverviewDecision]:
    eng = snap.engine
    if not eng.tree.has(act, ref):
        raise unknown("bestemmelse", f"{act} {ref}".strip(), "reference")
    mine = {lf.key for lf in eng.tree.leaves_under(act, ref)} or {(act, ref)}
    found = []
    for d in snap.world.decisions:
        if not d.published:
            continue
        for t in d.targets:
            if t.act == act and eng.tree.has(t.act, t.ref) and \
                    mine & {lf.key for lf in eng.tree.leaves_under(t.act, t.ref)}:
                found.append(d)
                break
    return _newest_effect_first(snap, found, date)


def _newest_effect_first(snap: Snapshot, found: list, date: dt.date) -> list[OverviewDecision]:  # type: ignore[type-arg]
    found.sort(key=lambda d: (d.effective_from, d.id), reverse=True)
    return [entry(snap, d, date) for d in found]
