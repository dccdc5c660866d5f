"""What a scenario would change (CONTRACT ``scenario diff``): the register as known at K
with the scenario's overlay, answered by the same engine, compared with the register.

The scenario's engine is kept on the snapshot (memo by the scenario's canonical text), so
a page and its JSON share it; the register's own world and engine are never changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from typing_extensions import TypedDict

from frisat.engine import model as m
from frisat.engine.nationwide import national
from frisat.engine.verdict import Engine
from frisat.nextround import scenario as sc
from frisat.queries.common import iso
from frisat.registry.snapshot import Snapshot

NOTICE = {"da": "Scenarie — ikke gældende ret. Svarene viser, hvad registret ville sige, "
                "hvis scenariets ændringer var vedtaget.",
          "en": "Scenario — not the law. The answers show what the register would say if "
                "the scenario's changes had been enacted."}


# "from" is a Python keyword: the functional form
ScenarioChange = TypedDict("ScenarioChange", {
    "institution": str, "municipality": int, "area": str, "citation": str,
    "from": str, "to": str}, total=False)


class NationalFigures(TypedDict):
    freed_municipalities: int
    decisions_in_force: int
    exemptions_in_force: int
    provisions_set_aside: int
    covered: list[dict[str, Any]]


class ScenarioDiff(TypedDict):
    scenario: bool
    notice: str
    title: str
    description: str
    date: str
    known_at: str
    changes: list[ScenarioChange]
    counts: dict[str, int]
    counts_by_level: dict[str, dict[str, int]]
    counts_by_area: dict[str, dict[str, int]]
    municipalities_affected: int
    pairs_compared: int
    national: dict[str, NationalFigures]


def prepare(snap: Snapshot, doc: Any) -> tuple[sc.Scenario, Engine]:
    """The parsed scenario and its engine over the register known at the snapshot's K."""
    at = (snap.world.as_of or m.EPOCH) + dt.timedelta(microseconds=1)
    parsed = sc.parse(doc, snap.world, at=at)

    def build() -> Engine:
        return Engine(sc.apply(snap.world, parsed.records))

    return parsed, snap.memo(("scenario", parsed.canonical()), build)


def _figures(e: Engine, d: dt.date) -> NationalFigures:
    n = national(e, d)
    covered: dict[tuple[str, str], int] = {}
    for r in n.regimes:
        for c in r.coverage:
            covered[(r.key, c.area)] = covered.get((r.key, c.area), 0) + 1
    return {"freed_municipalities": n.freed_municipalities,
            "decisions_in_force": n.decisions_in_force,
            "exemptions_in_force": n.exemptions_in_force,
            "provisions_set_aside": n.provisions_set_aside,
            "covered": [{"regime": k[0], "area": k[1], "municipalities": v}
                        for k, v in sorted(covered.items())]}


def scenario_diff(snap: Snapshot, doc: Any, date: dt.date | None, known_at: dt.datetime,
                  lang: str = "da", institutions: bool = True) -> ScenarioDiff:
    """Every verdict that differs, per municipality and area and per institution, with
    the national figures before and after."""
    parsed, engine = prepare(snap, doc)
    d = date or parsed.date
    if d is None:
        from frisat.queries.common import today

        d = today()
    result = sc.diff(snap.engine, engine, d, institutions=institutions)
    by_level: dict[str, dict[str, int]] = {}
    by_area: dict[str, dict[str, int]] = {}
    for c in result.changes:
        for group in (by_level.setdefault(c.level, {}), by_area.setdefault(c.area, {})):
            group[c.after] = group.get(c.after, 0) + 1
    return {
        "scenario": True, "notice": NOTICE.get(lang, NOTICE["da"]),
        "title": parsed.title, "description": parsed.description,
        "date": iso(d) or "", "known_at": known_at.isoformat(),
        "changes": [c.to_json() for c in result.changes],  # type: ignore[misc]
        "counts": result.counts(), "counts_by_level": by_level, "counts_by_area": by_area,
        "municipalities_affected": len({c.municipality for c in result.changes}),
        "pairs_compared": len(result.pairs),
        "national": {"register": _figures(snap.engine, d), "scenario": _figures(engine, d)},
    }
