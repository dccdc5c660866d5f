"""The country on a date, municipality by municipality: the map page's question.

For each of the 98 municipalities: the areas in which a scheme frees it on the date, the
areas in which a scheme freed it before and has ended, how many provisions its decisions set
aside, and whether the register knows all of its decisions there. Plus the headline facts:
how many of the covered municipalities used the freedom (have a decision in force), and the
provisions set aside in most municipalities. All from the national answer of the answer
index and the coverage records known at K.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, TypedDict

from frisat.queries.national import national, picture
from frisat.registry.snapshot import Snapshot


class MunicipalityOnDate(TypedDict):
    code: int
    name: str
    region: str
    areas: list[str]  # freed on the date
    ended: list[str]  # freed before, the scheme has ended
    used: bool  # a decision or exemption in force sets something aside
    provisions_set_aside: int
    incomplete: list[str]  # areas where the register does not know all decisions


class Headline(TypedDict):
    covered: int
    used: int
    decisions_in_force: int
    top_acts: list[dict[str, Any]]  # the acts set aside in most municipalities


class CountryAnswer(TypedDict):
    date: str
    municipalities: list[MunicipalityOnDate]
    headline: Headline


def country(snap: Snapshot, date: dt.date, known_at: dt.datetime,
            lang: str = "da") -> CountryAnswer:
    answer = national(snap, date, known_at, lang)
    pic = snap.memo(("national-picture", snap.index.national_span(date), lang),
                    lambda: picture(snap, answer, lang))
    ended: dict[int, set[str]] = defaultdict(set)
    for c in snap.world.coverage:
        if c.valid_to is not None and c.valid_to <= date:
            ended[c.municipality].add(c.area)
    used: dict[int, int] = defaultdict(int)
    where: dict[str, set[int]] = defaultdict(set)
    leaves: dict[str, set[str]] = defaultdict(set)
    for e in answer["exceptions"]:
        used[e["municipality"]] += 1
        where[e["act"]].add(e["municipality"])
        leaves[e["act"]].add(e["citation"])
    incomplete: dict[int, list[str]] = defaultdict(list)
    found: list[dict[str, Any]] = answer.get("incomplete", [])  # type: ignore[assignment]
    for x in found:
        incomplete[x["municipality"]].append(x["area"])
    rows: list[MunicipalityOnDate] = []
    for m in pic["municipalities"]:
        areas = list(m["areas"])
        rows.append({"code": m["code"], "name": m["name"], "region": m["region"],
                     "areas": areas,
                     "ended": sorted(a for a in ended.get(m["code"], ()) if a not in areas),
                     "used": used.get(m["code"], 0) > 0,
                     "provisions_set_aside": m["provisions_set_aside"],
                     "incomplete": sorted(incomplete.get(m["code"], []))})
    covered = [r for r in rows if r["areas"]]
    top = sorted(where.items(), key=lambda kv: (-len(kv[1]), -len(leaves[kv[0]]), kv[0]))[:5]
    acts = snap.engine.acts
    return {"date": date.isoformat(), "municipalities": rows,
            "headline": {"covered": len(covered),
                         "used": sum(1 for r in covered if r["used"]),
                         "decisions_in_force": answer["decisions_in_force"],
                         "top_acts": [{"act": a, "title": acts[a].title if a in acts else a,
                                       "short_title": (acts[a].short_title or acts[a].title)
                                       if a in acts else a,
                                       "municipalities": len(ms),
                                       "provisions": len(leaves[a])} for a, ms in top]}}
