"""An act's provision tree on a date, with its versions and its marks per regime
(CONTRACT ``provisions``)."""

from __future__ import annotations

import datetime as dt

from frisat.engine import model as m
from frisat.queries.common import unknown
from frisat.queries.types import ProvisionNode, ProvisionsAnswer
from frisat.registry.snapshot import Snapshot


def regimes_listing(snap: Snapshot, act: str) -> list[m.Regime]:
    """The regimes that name the act or list one of its provisions."""
    return [r for r in snap.world.regimes
            if act in r.acts or any(li.act == act for li in r.listings)]


def provisions(snap: Snapshot, act: str, date: dt.date,
               known_at: dt.datetime) -> ProvisionsAnswer:
    eng = snap.engine
    a = eng.acts.get(act)
    if a is None:
        raise unknown("lov", act, "act")
    versions: dict[str, list[m.Version]] = {}
    for v in snap.world.versions:
        if v.act == act:
            versions.setdefault(v.ref, []).append(v)
    regimes = regimes_listing(snap, act)
    nodes: list[ProvisionNode] = []
    for p in sorted((p for p in snap.world.provisions if p.act == act), key=lambda p: p.order):
        vs = versions.get(p.ref, [])
        marks = {r.key: eng.standing(r.key, act, p.ref, date)[0] for r in regimes}
        nodes.append({
            "citation": p.citation, "ref": p.ref, "parent": p.parent, "heading": p.heading,
            "summary": p.summary, "leaf": not eng.children(act, p.ref),
            "in_force": any(m.in_interval(date, v.valid_from, v.valid_to) for v in vs),
            "versions": [{"from": v.valid_from.isoformat() if v.valid_from else None,
                          "to": v.valid_to.isoformat() if v.valid_to else None,
                          "enacted_by": v.enacted_by,
                          "exclusions": [e.regime for e in v.exclusions]}
                         for v in sorted(vs, key=lambda v: v.valid_from or dt.date.min)],
            "marks": {k: mk for k, mk in marks.items() if mk},
        })
    return {"act": {"key": a.key, "title": a.title, "level": a.level, "areas": list(a.areas),
                    "eli": a.eli, "source_url": a.source_url, "partial": a.partial},
            "date": date.isoformat(), "known_at": known_at.isoformat(), "provisions": nodes}
