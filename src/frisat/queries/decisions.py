"""Published decisions: the national list, filtered lists and one decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from frisat.engine.model import Decision
from frisat.queries.common import claimed, unknown
from frisat.queries.overview import entry, newest_first, published
from frisat.queries.provenance import registered
from frisat.queries.types import DecisionAnswer, DecisionWithState, OverviewDecision
from frisat.registry.errors import InputError, Rejected
from frisat.registry.export import decision_json
from frisat.registry.publication import registered_after_publication
from frisat.registry.snapshot import Snapshot

STATES = ("in_force", "future", "ended", "revoked")


def everywhere(snap: Snapshot, date: dt.date) -> list[OverviewDecision]:
    """Every published decision in the country, newest publication first."""
    found: list[OverviewDecision] = []
    for m in sorted({d.municipality for d in snap.world.decisions}):
        found += [entry(snap, d, date) for d in published(snap, m)]
    found.sort(key=lambda d: (d["published_on"] or d["effective_from"] or "", d["id"]),
               reverse=True)
    return found


def filtered(snap: Snapshot, date: dt.date, municipality: int | None = None,
             area: str | None = None, regime: str | None = None,
             state: str | None = None) -> list[DecisionWithState]:
    """Published decisions, newest publication first, each with its state on the date."""
    if state is not None and state not in STATES:
        raise Rejected([InputError("state", "invalid",
                                   "state er in_force, future, ended eller revoked")])
    found = newest_first([x for x in snap.world.decisions if x.published
                          and (municipality is None or x.municipality == municipality)
                          and (area is None or x.area == area)
                          and (regime is None or x.regime == regime)])
    items = [decision_json(x) | {"state": snap.engine.decision_state(x.id, date)}
             for x in found]
    return [x for x in items if state is None or x["state"] == state]  # type: ignore[misc]


def find(snap: Snapshot, decision_id: str) -> Decision:
    """A published decision; Rejected (not_found) otherwise."""
    x = snap.engine.decisions.get(decision_id)
    if x is None or not x.published:
        raise unknown("beslutning", decision_id, "decision")
    return x


def one(snap: Snapshot, decision_id: str, date: dt.date) -> DecisionAnswer:
    x = find(snap, decision_id)
    return decision_json(x) | {"state": snap.engine.decision_state(x.id, date),  # type: ignore[return-value]
                               "date": date.isoformat(), **registration(snap, x)}


def registration(snap: Snapshot, x: Decision, lang: str = "da") -> dict[str, Any]:
    """When the register registered the decision, the earlier time its source claimed it
    was known from (if any), whether it was registered after its publication, and from
    what it was registered (``provenance``)."""
    return {"recorded_at": x.recorded_at.isoformat(),
            "known_from": claimed(snap, "decisions", x),
            "registered_after_publication": registered_after_publication(x.published_on,
                                                                         x.recorded_at),
            "registered": registered(snap, "decisions", x, lang)}


def revoked_by(snap: Snapshot, decision_id: str) -> list[str]:
    """The decisions (published or not) that revoke this one."""
    return [d.id for d in snap.world.decisions if decision_id in d.revokes]


def page(snap: Snapshot, decision_id: str, date: dt.date, known_at: dt.datetime,
         names: dict[str, str], lang: str = "da") -> dict[str, Any]:
    """One published decision with its state on the date and the names a reader needs."""
    eng = snap.engine
    dec = find(snap, decision_id)
    r = eng.regimes.get(dec.regime)
    mun = eng.municipalities.get(dec.municipality)
    return {**decision_json(dec), "state": eng.decision_state(dec.id, date),
            "date": date.isoformat(), "known_at": known_at.isoformat(),
            **registration(snap, dec, lang),
            "municipality_name": mun.name if mun else None,
            "area_name": names.get(dec.area, dec.area),
            "regime_title": r.title if r else dec.regime,
            "legal_basis": r.legal_basis if r else None,
            "revoked_by": revoked_by(snap, decision_id),
            "scope_institutions": [
                {"id": i, "name": eng.institutions[i].name if i in eng.institutions else i}
                for i in (dec.scope.institutions or ())]}
