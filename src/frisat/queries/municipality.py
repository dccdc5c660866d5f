"""A municipality: which regimes cover it when, its decisions, the state of its own rule
sets (SEMANTICS §5) and its institutions on a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from frisat.engine.model import Municipality, in_interval
from frisat.engine.timeline import rule_sets
from frisat.queries.common import iso, unknown
from frisat.queries.national import area_names
from frisat.queries.overview import described, overview
from frisat.registry.snapshot import Snapshot


def find(snap: Snapshot, code: str | int) -> Municipality:
    """A municipality by its code (as text from a URL or a number); Rejected otherwise."""
    try:
        c = int(code)
    except (TypeError, ValueError):
        raise unknown("kommune", code, "municipality") from None
    m = snap.engine.municipalities.get(c)
    if m is None:
        raise unknown("kommune", code, "municipality")
    return m


def institutions_on(snap: Snapshot, code: int, date: dt.date,
                    names: dict[str, str]) -> list[dict[str, Any]]:
    """The institutions that belong to the municipality on the date, by name."""
    eng = snap.engine
    order = {ident: i for i, ident in enumerate(eng.institutions)}
    out = []
    for area in sorted({a for (mun, a) in eng.members_by_area if mun == code}):
        for ms in eng.members_on(code, area, date):
            inst = eng.institutions.get(ms.institution)
            if inst is None or eng.membership(inst.id, date) is not ms:
                continue
            out.append({"id": inst.id, "name": inst.name, "area": ms.area,
                        "area_name": names.get(ms.area, ms.area), "kind": ms.kind,
                        "provider": ms.provider, "example": inst.example})
    return sorted(out, key=lambda i: (i["name"], order[i["id"]]))


def municipality(snap: Snapshot, code: str | int, date: dt.date, known_at: dt.datetime,
                 lang: str = "da") -> dict[str, Any]:
    m = find(snap, code)
    w = snap.world
    names = area_names(snap, lang)
    regimes = {r.key: r for r in w.regimes}
    coverage = [{"regime": c.regime, "title": regimes[c.regime].title if c.regime in regimes
                 else c.regime, "legal_basis": regimes[c.regime].legal_basis
                 if c.regime in regimes else "",
                 "area": c.area, "area_name": names.get(c.area, c.area),
                 "from": iso(c.valid_from), "to": iso(c.valid_to),
                 "on_date": in_interval(date, c.valid_from, c.valid_to),
                 "source": c.source}
                for c in sorted(w.coverage, key=lambda c: (c.valid_from, c.regime, c.area))
                if c.municipality == m.code]
    ov = overview(snap, m.code, date, known_at)
    rules = [{
        "act": rs.act.key, "title": rs.act.title, "areas": list(rs.act.areas), "state": rs.state,
        "removed_from": iso(rs.removed_from),
        "kept_reason": rs.kept.reason if rs.kept else None,
        "source_url": (rs.kept.source_url if rs.kept else None)
        or (rs.whole[0].source_url if rs.whole else None) or rs.act.source_url,
        "provisions_removed": [{"ref": rp.ref, "from": iso(rp.valid_from)} for rp in rs.parts],
    } for rs in rule_sets(snap.engine, m.code, date)]
    return {"municipality": {"code": m.code, "name": m.name, "region": m.region_name},
            "date": date.isoformat(), "known_at": known_at.isoformat(),
            "coverage": coverage, "decisions": described(snap, ov["decisions"], names),
            "municipal_rules": rules,
            "institutions": institutions_on(snap, m.code, date, names)}
