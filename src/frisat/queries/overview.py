"""A municipality's consolidated overview of its decisions (lov 879/880 § 6; CONTRACT
``overview``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from frisat import links
from frisat.engine.model import Decision
from frisat.queries.common import unknown
from frisat.queries.types import OverviewAnswer, OverviewDecision
from frisat.registry.export import decision_json
from frisat.registry.snapshot import Snapshot


def newest_first(decisions: list[Decision]) -> list[Decision]:
    """Newest publication first; an unknown publication date sorts by the effective date."""
    return sorted(decisions, key=lambda d: (d.published_on or d.effective_from, d.id),
                  reverse=True)


def published(snap: Snapshot, municipality: int) -> list[Decision]:
    return newest_first([d for d in snap.world.decisions
                         if d.municipality == municipality and d.published])


def entry(snap: Snapshot, d: Decision, date: dt.date, base_url: str = "") -> OverviewDecision:
    return decision_json(d) | {"state": snap.engine.decision_state(d.id, date),  # type: ignore[return-value]
                               "url": base_url + links.path("decision", d.id)}


def overview(snap: Snapshot, municipality: int, date: dt.date, known_at: dt.datetime,
             base_url: str = "") -> OverviewAnswer:
    if municipality not in snap.engine.municipalities:
        raise unknown("kommune", municipality, "municipality")
    return {
        "municipality": municipality, "date": date.isoformat(), "known_at": known_at.isoformat(),
        "decisions": [entry(snap, d, date, base_url) for d in published(snap, municipality)],
    }


def described(snap: Snapshot, decisions: list[OverviewDecision],
              names: dict[str, str]) -> list[dict[str, Any]]:
    """Overview entries with the names a reader needs: scheme, legal basis, area,
    institutions in scope."""
    eng = snap.engine
    out = []
    for d in decisions:
        r = eng.regimes.get(d["regime"])
        scope = d["scope"]
        insts = [] if scope.get("institutions") in (None, "all") else [
            {"id": i, "name": eng.institutions[i].name if i in eng.institutions else i}
            for i in scope["institutions"]]
        out.append({**d, "regime_title": r.title if r else d["regime"],
                    "legal_basis": r.legal_basis if r else "",
                    "area_name": names.get(d["area"], d["area"]),
                    "scope_institutions": insts})
    return out
