"""The two models compared, from the register: the application model (frikommuneforsøg:
one exemption at a time, approved by the ministry) against the blank-sheet model
(velfærdsaftaler: everything but the guardrails, decided by the council).

For one municipality and area, per regime that ever covered it: how many provisions could
be set aside (leaves the regime lists as deviable for that municipality while it was
covered — network powers count only for the network's members), how many were set aside
(the engine's national freedoms on each date something changed), how long it took from
wish to effect (decision or approval → effect), and what the register does not know
(completeness). Everything is counted by the engine; nothing here decides law.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from typing_extensions import TypedDict

from frisat.engine.nationwide import area_exceptions
from frisat.engine.stretches import change_dates
from frisat.queries.common import iso
from frisat.registry.snapshot import Snapshot

MODEL = {"frikommune": "application", "velfaerdsaftale": "blank_sheet"}
MODEL_NAME = {"application": {"da": "Ansøgningsmodellen (frikommuneforsøg)",
                              "en": "The application model (free-municipality trials)"},
              "blank_sheet": {"da": "Det blanke papir (velfærdsaftaler)",
                              "en": "The blank sheet (welfare agreements)"}}
UNKNOWN = {"da": "ikke kendt", "en": "not known"}


class Delay(TypedDict):
    records: int  # decisions/exemptions with both dates known to the day
    median_days: float | None
    min_days: int | None
    max_days: int | None
    unknown: int  # records whose dates are not known to the day


class RegimeComparison(TypedDict):
    regime: str
    title: str
    model: str
    model_name: str
    legal_basis: str
    covered_from: str
    covered_to: str | None
    could: int  # leaves deviable for the municipality while covered
    could_sample: list[str]
    were: int  # leaves set aside at some time while covered (engine)
    were_sample: list[str]
    used_percent: float | None  # were / could, when could > 0 and the register knows all
    records: int  # decisions / exemptions of the municipality under the regime
    wish_to_effect: Delay
    completeness: str  # complete | partial | unknown (the register's own knowledge)
    not_known: list[str]  # what the register does not know, in words


class ModelsCompared(TypedDict):
    municipality: int
    name: str
    area: str
    known_at: str
    regimes: list[RegimeComparison]
    notes: list[str]


def _periods(snap: Snapshot, regime: str, mun: int, area: str) -> list[tuple[dt.date,
                                                                        dt.date | None]]:
    return sorted((c.valid_from, c.valid_to)
                  for c in snap.engine.coverage_rma.get((regime, mun, area), ()))


def _dates_within(snap: Snapshot, mun: int, area: str, start: dt.date,
                  end: dt.date | None) -> list[dt.date]:
    days = {start} | {x for x in change_dates(snap.engine, mun, area)
                      if start <= x and (end is None or x < end)}
    return sorted(days)


def _delay(pairs: list[tuple[dt.date | None, dt.date | None, bool]]) -> Delay:
    known = [(b - a).days for a, b, exact in pairs if a and b and exact]
    return {"records": len(known),
            "median_days": statistics.median(known) if known else None,
            "min_days": min(known) if known else None,
            "max_days": max(known) if known else None,
            "unknown": len(pairs) - len(known)}


def compare(snap: Snapshot, municipality: int, area: str, known_at: dt.datetime,
            lang: str = "da") -> ModelsCompared:
    from frisat.engine import UnknownRecord

    e = snap.engine
    if municipality not in e.municipalities:
        raise UnknownRecord(f"Ukendt kommune: {municipality}")
    if area not in e.areas:
        raise UnknownRecord(f"Ukendt område: {area}")
    acts = [a for a in snap.world.acts if area in a.areas and a.level == "state"]
    out: list[RegimeComparison] = []
    regimes = sorted({c.regime for c in e.coverage.get((municipality, area), ())})
    for key in regimes:
        reg = e.regimes[key]
        model = MODEL.get(reg.kind)
        if model is None:
            continue
        periods = _periods(snap, key, municipality, area)
        could: set[tuple[str, str]] = set()
        were: set[tuple[str, str]] = set()
        for start, end in periods:
            for d in _dates_within(snap, municipality, area, start, end):
                for a in acts:
                    for leaf in e.tree.leaves(a.key):
                        if e.mark(key, leaf.act, leaf.ref, municipality, d) == "deviable":
                            could.add(leaf.key)
                for row in area_exceptions(e, municipality, area, d).rows:
                    if any(x in e.decisions and e.decisions[x].regime == key
                           or x in e.exemptions and e.exemptions[x].regime == key
                           for x in row.decisions):
                        were.add((row.act, row.ref))
        decisions = [x for x in e.decisions.values() if x.municipality == municipality
                     and x.area == area and x.regime == key and x.published]
        exemptions = [x for x in e.exemptions.values() if x.municipality == municipality
                      and x.area == area and x.regime == key]
        pairs: list[tuple[dt.date | None, dt.date | None, bool]] = [
            (x.decided_on, x.effective_from, x.date_precision == "day") for x in decisions]
        pairs += [(x.approved_on, x.valid_from, True) for x in exemptions]
        levels = {k.level for k in e.completeness_of.get((municipality, area), ())
                  if any(k.valid_from is None or k.valid_from < (p[1] or dt.date.max)
                         for p in periods)}
        known = "complete" if levels == {"complete"} else (
            "partial" if "complete" in levels or "partial" in levels else "unknown")
        not_known = []
        if known != "complete":
            not_known.append({
                "da": "Registret kender ikke alle kommunens beslutninger og fritagelser her; "
                      "tallet for, hvad der blev sat ud af kraft, er et mindstetal.",
                "en": "The register does not know all the municipality's decisions and "
                      "exemptions here; the number set aside is a lower bound."}[
                lang if lang == "en" else "da"])
        if not pairs:
            not_known.append({"da": "Tiden fra ønske til virkning: ikke kendt (ingen "
                                    "registrerede beslutninger eller fritagelser).",
                              "en": "Time from wish to effect: not known (no decisions or "
                                    "exemptions registered)."}[lang if lang == "en" else "da"])
        first, last = periods[0][0], periods[-1][1]
        order = e.tree.order
        out.append({
            "regime": key, "title": reg.title, "model": model,
            "model_name": MODEL_NAME[model][lang if lang == "en" else "da"],
            "legal_basis": reg.legal_basis, "covered_from": iso(first) or "",
            "covered_to": iso(last),
            "could": len(could),
            "could_sample": [f"{a} {r}" for a, r in sorted(could, key=order.__getitem__)[:10]],
            "were": len(were),
            "were_sample": [f"{a} {r}" for a, r in sorted(were, key=order.__getitem__)[:10]],
            "used_percent": round(100 * len(were) / len(could), 1)
            if could and known == "complete" else None,
            "records": len(decisions) + len(exemptions),
            "wish_to_effect": _delay(pairs), "completeness": known, "not_known": not_known,
        })
    notes = [{"da": "Tællingen er af bestemmelsernes mindste enheder (stk., nr.) i registrets "
                    "katalog. Et frikommuneforsøg kunne også give nye muligheder, der ikke "
                    "sætter en bestemmelse ud af kraft (fx tilkøb efter LBK 831/2018 § 28); "
                    "de tælles ikke her.",
              "en": "Counts are of the smallest units (stk., nr.) in the register's "
                    "catalogue. A free-municipality trial could also grant new powers that "
                    "set no provision aside (e.g. paid extras under LBK 831/2018 § 28); "
                    "they are not counted here."}[lang if lang == "en" else "da"]]
    return {"municipality": municipality, "name": e.municipalities[municipality].name,
            "area": area, "known_at": known_at.isoformat(), "regimes": out, "notes": notes}


def overview(snap: Snapshot, known_at: dt.datetime, lang: str = "da") -> list[dict[str, Any]]:
    """Every municipality and area that either model ever covered, with both models'
    figures side by side (the facts behind the 2021 question)."""
    pairs: dict[tuple[int, str], set[str]] = defaultdict(set)
    for (mun, area), cov in snap.engine.coverage.items():
        for c in cov:
            model = MODEL.get(snap.engine.regimes[c.regime].kind) \
                if c.regime in snap.engine.regimes else None
            if model:
                pairs[(mun, area)].add(model)
    out = []
    for (mun, area) in sorted(pairs, key=lambda p: (p[1], snap.engine.municipalities[p[0]].name)):
        got = compare(snap, mun, area, known_at, lang)
        out.append({"municipality": mun, "name": got["name"], "area": area,
                    "models": sorted(pairs[(mun, area)]), "regimes": got["regimes"]})
    return out
