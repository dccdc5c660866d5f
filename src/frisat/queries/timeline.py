"""An institution's history: the stretches of time with what was different there."""

from __future__ import annotations

from typing import Any

from frisat.engine.timeline import institution_history
from frisat.queries.common import iso, unknown
from frisat.registry.snapshot import Snapshot


def history(snap: Snapshot, institution: str) -> list[dict[str, Any]]:
    """Each stretch of the institution's membership, merged where nothing changed, with the
    provisions set aside in it and by which decisions."""
    if institution not in snap.engine.institutions:
        raise unknown("institution", institution, "institution")
    return snap.memo(("history", institution), lambda: [
        {"from": iso(s.start), "to": iso(s.end), "municipality": s.municipality,
         "area": s.area,
         "set_aside": [{"citation": f.citation, "act": f.act, "ref": f.ref,
                        "status": f.status, "decisions": list(f.decisions)}
                       for f in s.freedoms]}
        for s in institution_history(snap.engine, institution)])
