"""Who is freed from what, nationally, on a date (CONTRACT ``national``), and the national
picture built on it: coverage per area, freedoms per municipality, the regimes' timeline."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from frisat.engine.timeline import regime_timeline
from frisat.queries.common import iso
from frisat.queries.types import NationalAnswer
from frisat.registry.snapshot import Snapshot


def national(snap: Snapshot, date: dt.date, known_at: dt.datetime,
             lang: str = "da") -> NationalAnswer:
    return {**snap.index.national(date).to_json(lang),  # type: ignore[typeddict-item]
            "known_at": known_at.isoformat()}


def area_names(snap: Snapshot, lang: str) -> dict[str, str]:
    return {a.key: (a.name_en or a.name) if lang == "en" else a.name
            for a in snap.world.areas}


def picture(snap: Snapshot, data: NationalAnswer, lang: str) -> dict[str, Any]:
    """The national answer grouped for people: per area who is covered, per municipality
    and area what is set aside, the regimes' fact sheet and timeline, all municipalities."""
    eng = snap.engine
    w = snap.world
    names = area_names(snap, lang)
    municipality_name = {c: m.name for c, m in eng.municipalities.items()}

    covered: dict[int, set[str]] = defaultdict(set)
    regimes_of: dict[int, set[str]] = defaultdict(set)
    for r in data["regimes"]:
        for c in r["coverage"]:
            covered[c["municipality"]].add(c["area"])
            regimes_of[c["municipality"]].add(r["key"])

    by_area: list[dict[str, Any]] = []
    for a in w.areas:
        muns = sorted((m for m, areas in covered.items() if a.key in areas),
                      key=lambda c: municipality_name[c])
        per_regime = [{"regime": r["key"], "title": r["title"], "municipalities": [
            {"code": c["municipality"], "name": c["name"]}
            for c in sorted(r["coverage"], key=lambda c: c["name"]) if c["area"] == a.key]}
            for r in data["regimes"]]
        by_area.append({"area": a.key, "name": names[a.key], "freed": len(muns),
                        "municipalities": [{"code": c, "name": municipality_name[c]}
                                           for c in muns],
                        "regimes": [r for r in per_regime if r["municipalities"]]})
    top = max((int(x["freed"]) for x in by_area), default=0) or 1
    for x in by_area:
        x["bar_percent"] = round(100 * x["freed"] / top)

    # decisions and provisions set aside, per municipality and area
    groups: dict[tuple[int, str], dict[str, Any]] = {}
    for e in data["exceptions"]:
        g = groups.setdefault((e["municipality"], e["area"]), {
            "municipality": e["municipality"], "name": municipality_name[e["municipality"]],
            "area": e["area"], "decisions": set(), "provisions": set(),
            "institution_level": 0})
        g["decisions"].update(e["decisions"])
        g["provisions"].add(e["citation"])
        if e["institution"]:
            g["institution_level"] += 1
    set_aside = [{**g, "decisions": sorted(g["decisions"]), "provisions": len(g["provisions"])}
                 for g in sorted(groups.values(), key=lambda g: (g["area"], g["name"]))]
    set_aside_by_area = []
    for a in w.areas:
        rows = [g for g in set_aside if g["area"] == a.key]
        if rows:
            set_aside_by_area.append({
                "area": a.key, "name": names[a.key], "municipalities": len(rows),
                "decisions": len({d for g in rows for d in g["decisions"]}),
                "provisions": len({e["citation"] for e in data["exceptions"]
                                   if e["area"] == a.key})})

    # the regimes' fact sheet and timeline, from every coverage record known at K
    lives, events = regime_timeline(w.regimes, snap.history("coverage"), w.coverage)
    sheet = [{
        "key": life.regime.key, "title": life.regime.title, "kind": life.regime.kind,
        "legal_basis": life.regime.legal_basis, "shape": life.regime.shape,
        "areas": list(life.areas), "area_names": [names.get(a, a) for a in life.areas],
        "from": iso(life.start), "to": iso(life.end),
        "municipalities": [{"code": c, "name": municipality_name[c]}
                           for c in sorted(life.municipalities,
                                           key=lambda c: municipality_name[c])],
        "covering_on_date": sorted({c["municipality"] for x in data["regimes"]
                                    if x["key"] == life.regime.key for c in x["coverage"]}),
    } for life in lives]
    by_key = {r.key: r for r in w.regimes}
    timeline = []
    for ev in events:
        reg = by_key[ev.regime]
        item: dict[str, Any] = {"date": iso(ev.date), "regime": ev.regime, "title": reg.title,
                                "event": ev.event, "legal_basis": reg.legal_basis,
                                "source": ev.source}
        if ev.event == "extended":
            item["previous"] = iso(ev.previous)
            item["recorded_at"] = ev.recorded_at.date().isoformat() if ev.recorded_at else None
        timeline.append(item)

    set_aside_by_mun: dict[int, int] = defaultdict(int)
    for g in set_aside:
        set_aside_by_mun[g["municipality"]] += g["provisions"]
    municipalities = [{"code": mun.code, "name": mun.name, "region": mun.region_name,
                       "areas": sorted(covered.get(mun.code, ())),
                       "regimes": sorted(regimes_of.get(mun.code, ())),
                       "provisions_set_aside": set_aside_by_mun.get(mun.code, 0)}
                      for mun in sorted(w.municipalities, key=lambda x: x.name)]
    return {"fact_sheet": sheet, "by_area": by_area, "set_aside": set_aside,
            "set_aside_by_area": set_aside_by_area, "timeline": timeline,
            "municipalities": municipalities}
