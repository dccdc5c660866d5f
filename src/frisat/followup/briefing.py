"""The briefing (notat): a fact sheet for a date — the annex to an answer to Parliament.

Regimes and municipalities, decisions and provisions set aside by area (from the register's
national answer), what the register does not know (from the shipped data's own confidence
and source fields), and the headline indicator results with their uncertainty and caveats.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from frisat.followup.evaluate import evaluate
from frisat.followup.models import Indicator, Observation
from frisat.followup.register import world

# One headline indicator per area: the register indicators VIVE's final evaluation names
# (exam results for schools) or the staffing the velfærdsaftale exempted (daycare).
HEADLINE = {"dagtilbud": "normering-daginstitution-3-5", "folkeskole": "karakterer-9-klasse",
            "aeldre": "hjemmesygepleje-pr-1000"}

# Known gaps that the data cannot list by itself (docs/data-sources.md, "What remains
# unknown"); each is shown with that reference.
KNOWN_GAPS = [
    ("Hvilket organ (byråd, udvalg, forvaltning, institution), der traf hver beslutning, og "
     "eventuelle delegationer efter § 5.",
     "Which body (council, committee, administration, institution) made each decision, and "
     "any delegations under § 5."),
    ("Middelfarts fulde tabel ud over § 79 a, herunder de præcise paragraffer for hjemmehjælp "
     "og rehabilitering.",
     "Middelfart's full table beyond § 79 a, including the exact sections for home help and "
     "reablement."),
    ("Holbæks lokale hegnspæle (indhold) og de enkelte skolers beslutninger med datoer.",
     "Holbæk's local guardrails (content) and the individual schools' decisions with dates."),
    ("Nationale testresultater er fortrolige pr. skole (folkeskoleloven § 13 a, stk. 4-5) og "
     "indgår ikke som offentlig indikator.",
     "National test results are confidential per school (folkeskoleloven § 13 a(4)-(5)) and "
     "are not a public indicator here."),
]


def _national(date: dt.date) -> dict[str, Any]:
    from frisat.queries.common import now
    from frisat.queries.national import national
    from frisat.registry.snapshot import snapshot

    k = now()
    return dict(national(snapshot(k), date, k))


def _models(lang: str) -> list[dict[str, Any]]:
    """The two models compared (frisat.queries.models_compared), per municipality and area
    either model covered: the facts behind the 2021 question."""
    from frisat.queries.common import now
    from frisat.queries.models_compared import overview
    from frisat.registry.snapshot import snapshot

    k = now()
    return overview(snapshot(k), k, lang)


def unknowns(date: dt.date, lang: str = "da") -> list[dict[str, Any]]:
    """What the register does not know, from its own records."""
    en = lang == "en"
    w = world()
    names = {x.code: x.name for x in w.municipalities}
    out: list[dict[str, Any]] = []
    with_decisions = {(d.municipality, d.regime) for d in w.decisions if d.published}
    with_decisions |= {(x.municipality, x.regime) for x in w.exemptions}
    for c in sorted(w.coverage, key=lambda c: (c.regime, c.municipality)):
        if c.valid_from <= date and (c.valid_to is None or date < c.valid_to) \
                and (c.municipality, c.regime) not in with_decisions:
            out.append({"kind": "no_decisions", "text": (
                f"{names.get(c.municipality)}: no decisions or exemptions under {c.regime} are "
                "in the register (covered, but none found in public sources)" if en else
                f"{names.get(c.municipality)}: ingen beslutninger eller fritagelser under "
                f"{c.regime} i registret (omfattet, men ingen fundet i offentlige kilder)")})
    no_pub = sorted(d.id for d in w.decisions if d.published and d.published_on is None)
    if no_pub:
        out.append({"kind": "publication_date", "text": (
            f"Publication date in the § 6 overview unknown for {len(no_pub)} decisions: "
            if en else f"Offentliggørelsesdatoen i § 6-oversigten er ukendt for {len(no_pub)} "
            "beslutninger: ") + ", ".join(no_pub)})
    rough = sorted(d.id for d in w.decisions if d.date_precision != "day")
    if rough:
        out.append({"kind": "date_precision", "text": (
            "Effective date known only to the month or year: " if en else
            "Ikrafttrædelsesdatoen kendes kun på måned eller år: ") + ", ".join(rough)})
    unsure = sorted(d.id for d in w.decisions if d.confidence not in ("", "high"))
    if unsure:
        out.append({"kind": "confidence", "text": (
            "Decisions resting on secondary sources (confidence medium/low): " if en else
            "Beslutninger, der bygger på sekundære kilder (sikkerhed middel/lav): ")
            + ", ".join(unsure)})
    have = set(Observation.objects.values_list("indicator_id", flat=True).distinct())
    empty = [(x.name_en or x.name) if en else x.name
             for x in Indicator.objects.order_by("key") if x.key not in have]
    if empty:
        out.append({"kind": "no_data", "text": (
            "Indicators defined with no data loaded: " if en else
            "Indikatorer defineret uden indlæste data: ") + "; ".join(empty)})
    out += [{"kind": "documented", "text": e if en else da, "source": "docs/data-sources.md"}
            for da, e in KNOWN_GAPS]
    return out


def briefing(date: dt.date, lang: str = "da") -> dict[str, Any]:
    nat = _national(date)
    w = world()
    areas = {a.key: (a.name_en or a.name) if lang == "en" else a.name for a in w.areas}
    by_area: dict[str, dict[str, Any]] = defaultdict(lambda: {
        "municipalities": set(), "decisions": set(), "set_aside": set(), "partly": set(),
        "acts": defaultdict(set)})
    for r in nat["regimes"]:
        for c in r["coverage"]:
            by_area[c["area"]]["municipalities"].add(c["name"])
    for x in nat["exceptions"]:
        a = by_area[x["area"]]
        a["decisions"].update(x.get("decisions") or [x.get("decision")])
        (a["set_aside"] if x["status"] == "set_aside" else a["partly"]).add(x["citation"])
        a["acts"][x["act"]].add(x["citation"])
    rows = [{"area": k, "area_name": areas.get(k, k),
             "municipalities": sorted(v["municipalities"]),
             "decisions": sorted(d for d in v["decisions"] if d),
             "set_aside": len(v["set_aside"]), "partly": len(v["partly"] - v["set_aside"]),
             "acts": {a: len(c) for a, c in sorted(v["acts"].items())}}
            for k, v in sorted(by_area.items())]
    headlines = []
    for r in nat["regimes"]:
        for area in sorted({c["area"] for c in r["coverage"]}):
            key = HEADLINE.get(area)
            if key and Indicator.objects.filter(key=key).exists():
                res = evaluate(key, r["key"])
                headlines.append({"regime": r["key"], "regime_title": r["title"], "area": area,
                                  "area_name": areas.get(area, area), "result": res})
    return {"date": date.isoformat(), "national": nat, "areas": rows, "headlines": headlines,
            "area_names": areas, "models": _models(lang),
            "unknowns": unknowns(date, lang), "generated_from": {
                "register": nat.get("known_at"),
                "data": headlines[0]["result"]["state"]["data"] if headlines else None}}
