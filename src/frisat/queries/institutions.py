"""Institutions open on a date, filtered by municipality, area and a part of the name."""

from __future__ import annotations

import datetime as dt

from frisat.queries.types import InstitutionJSON
from frisat.registry.snapshot import Snapshot


def on_date(snap: Snapshot, date: dt.date, municipality: int | None = None,
            area: str | None = None, q: str | None = None) -> list[InstitutionJSON]:
    eng = snap.engine
    items: list[InstitutionJSON] = []
    needle = q.lower() if q else None
    for inst in sorted(snap.world.institutions, key=lambda i: (i.name, i.id)):
        if needle and needle not in inst.name.lower():
            continue
        ms = eng.membership(inst.id, date)
        if ms is None:
            continue
        if municipality is not None and ms.municipality != municipality:
            continue
        if area is not None and ms.area != area:
            continue
        items.append({"id": inst.id, "name": inst.name, "municipality": ms.municipality,
                      "area": ms.area, "kind": ms.kind, "provider": ms.provider,
                      "example": inst.example})
    return items
