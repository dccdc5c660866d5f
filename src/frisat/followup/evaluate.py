"""``frisat evaluate``: an indicator, a regime, a comparison group → the CONTRACT answer.

Reads the indicator's observations and, through ``followup.register``, the regime's
coverage (the treated municipalities and when their freedom started and ended), builds
the design (comparison group, series breaks, parallel reforms, small municipalities) and
hands it to ``evaluation``. Results are cached per register state and data state: a
result is computed once after every change and then read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from importlib.metadata import version
from typing import Any

from frisat.followup import evaluation as ev
from frisat.followup import periods
from frisat.followup.indicators import Definition
from frisat.followup.models import DataLoad, EvaluationCache, Indicator, Observation
from frisat.followup.register import register_state, world
from frisat.registry.errors import InputError, Rejected

COMPARISONS = ("all", "matched")
SMALL = 15_000  # inhabitants; below this a municipality's yearly figures are noisy
MATCH_FACTOR = 2.0  # matched: same region, population within a factor 2 of a treated unit
SIZE_INDICATOR = "befolkning"
VERSION = 1  # bump when the method changes: cached results of older methods are not used

REFORMS = [
    ev.Reform(
        "minimumsnormeringer", "dagtilbud", dt.date(2021, 12, 28), dt.date(2025, 1, 1),
        "Lov om minimumsnormeringer (lov nr. 2594 af 28/12/2021, minimumsnormeringer i "
        "daginstitutioner og styrket tilsyn) indfases i de samme år i alle andre kommuner, "
        "men gjaldt ikke i Helsingør og Rebild, så længe velfærdsaftalen løb (lovens § 2, "
        "stk. 3, som affattet ved L 89 2023-24). En forskel i normeringen afspejler derfor "
        "også, at sammenligningskommunerne skulle leve op til loven.",
        "The minimum-staffing act (lov nr. 2594 of 28/12/2021, minimum staffing in daycare and "
        "stronger supervision) was phased in over the same years in every other municipality, "
        "but did not apply in Helsingør and Rebild while the welfare agreement ran (its § 2(3) "
        "as worded by L 89 2023-24). A difference in staffing therefore also reflects that the "
        "comparison municipalities had to meet the act.",
        "https://www.retsinformation.dk/eli/lta/2021/2594"),
    ev.Reform(
        "folkeskole-national-frihed", "folkeskole", dt.date(2021, 5, 15), None,
        "VIVE's midtvejsevaluering (2023) peger på, at en national ændring, der gav alle skoler "
        "mere frihed, løb sideløbende; det gør det svært at tilskrive en forskel forsøget.",
        "VIVE's mid-term evaluation (2023) notes that a national change giving all schools more "
        "freedom ran in parallel, which makes it hard to attribute a difference to the trial.",
        "https://www.m.uvm.dk/aktuelt/nyheder/uvm/2023/marts/230314-midtvejsevaluering"),
    ev.Reform(
        "flere-velfaerdsaftaler-aeldre", "aeldre", dt.date(2022, 6, 21), None,
        "En bred politisk aftale af 21. juni 2022 lod flere kommuner indgå velfærdsaftaler på "
        "ældreområdet; sammenligningsgruppen kan derfor rumme kommuner, der selv blev frisat.",
        "A broad political agreement of 21 June 2022 let more municipalities sign elder-care "
        "welfare agreements; the comparison group may therefore hold municipalities that were "
        "freed themselves.",
        "https://www.sm.dk/nyheder/nyhedsarkiv/2022/jun/ny-bred-aftale-sikrer-frisaettelse-af-"
        "aeldreplejen-i-endnu-flere-kommuner"),
]


def _state() -> dict[str, Any]:
    data = DataLoad.objects.order_by("-id").values_list("id", "loaded_at").first()
    reg = register_state()
    return {"register": [reg[0], reg[1].isoformat()] if reg else None,
            "data": [data[0], data[1].isoformat()] if data else None}


def observations(key: str) -> dict[str, dict[str, float]]:
    """The newest value per (unit, period) of an indicator (revisions replace earlier)."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for unit, period, value in (Observation.objects.filter(indicator_id=key)
                                .order_by("recorded_at", "id")
                                .values_list("unit", "period", "value")):
        out[unit][period] = value
    return dict(out)


def _definition(key: str) -> Definition:
    row = Indicator.objects.filter(key=key).first()
    if row is None:
        raise Rejected([InputError("indicator", "not_found", f"Ukendt indikator: {key}")])
    return Definition.of(row)


def treated_units(regime: str, area: str) -> dict[str, ev.Treatment]:
    """The regime's municipalities in the area, from the start to the end of their coverage."""
    w = world()
    if not any(r.key == regime for r in w.regimes):
        raise Rejected([InputError("regime", "not_found", f"Ukendt ordning: {regime}")])
    spans: dict[str, list[Any]] = defaultdict(list)
    for c in w.coverage:
        if c.regime == regime and (not area or c.area == area):
            spans[str(c.municipality)].append(c)
    if not spans:
        raise Rejected([InputError("regime", "not_covered",
                                   f"Ordningen {regime} dækker ingen kommuner på området "
                                   f"{area or '(alle)'}")])
    out = {}
    for unit, cs in spans.items():
        ends = [c.valid_to for c in cs]
        out[unit] = ev.Treatment(min(c.valid_from for c in cs),
                                 None if None in ends else max(e for e in ends if e))
    return out


def _others_covered(regime: str, area: str, first: dt.date, last: dt.date) -> dict[str, str]:
    """Municipalities freed by another regime in the same area while the data run."""
    out = {}
    for c in world().coverage:
        if c.regime != regime and c.area == area and c.valid_from < last \
                and (c.valid_to is None or c.valid_to > first):
            out[str(c.municipality)] = c.regime
    return out


def _sizes() -> dict[str, float]:
    vals = observations(SIZE_INDICATOR)
    return {u: v[max(v, key=periods.order)] for u, v in vals.items() if v}


def evaluate(indicator: str, regime: str, comparison: str = "all", *, draws: int = 1000,
             seed: int = 20210515, cached: bool = True) -> dict[str, Any]:
    if comparison not in COMPARISONS:
        raise Rejected([InputError("comparison", "invalid", "comparison er all eller matched")])
    if not 0 <= draws <= 100_000:
        raise Rejected([InputError("draws", "invalid", "draws skal være mellem 0 og 100000")])
    definition = _definition(indicator)
    state = _state()
    key = hashlib.sha256(json.dumps([VERSION, indicator, regime, comparison, draws, seed, state],
                                    default=str).encode()).hexdigest()
    if cached:
        hit = EvaluationCache.objects.filter(key=key).values_list("result", flat=True).first()
        if hit is not None:
            return dict(hit)
    result = _compute(definition, regime, comparison, draws, seed, state)
    if cached:
        from django.utils import timezone

        EvaluationCache.objects.update_or_create(
            key=key, defaults={"result": result, "created_at": timezone.now()})
    return result


def _compute(d: Definition, regime: str, comparison: str, draws: int, seed: int,
             state: dict[str, Any]) -> dict[str, Any]:
    treated = treated_units(regime, d.area)
    values = observations(d.key)
    all_periods = sorted({p for v in values.values() for p in v}, key=periods.order)
    w = world()
    names = {str(x.code): x.name for x in w.municipalities}
    region = {str(x.code): x.region_code for x in w.municipalities}
    sizes = _sizes()
    excluded: dict[str, str] = {}
    if all_periods:
        excluded = {u: r for u, r in _others_covered(
            regime, d.area, periods.span(all_periods[0], d.period_kind)[0],
            periods.span(all_periods[-1], d.period_kind)[1]).items() if u not in treated}
    pool = [u for u in sorted(values, key=lambda u: int(u) if u.isdigit() else 0)
            if u not in treated and u not in excluded]
    extra_warnings = []
    if comparison == "matched":
        matched = []
        for u in pool:
            for t in treated:
                if region.get(u) != region.get(t):
                    continue
                if t not in sizes or u not in sizes:
                    continue
                if 1 / MATCH_FACTOR <= sizes[u] / sizes[t] <= MATCH_FACTOR:
                    matched.append(u)
                    break
        pool = matched
        extra_warnings.append(ev._warn(
            "matched_comparison",
            "Sammenligningsgruppen er kommuner i samme region som en frisat kommune med et "
            "folketal mellem det halve og det dobbelte (DST FOLK1A, 1. januar 2021).",
            "The comparison group is municipalities in the same region as a freed municipality "
            "with between half and twice its population (DST FOLK1A, 1 January 2021).",
            severity="info"))
    small = {u: f"{names.get(u, u)} er en lille kommune ({int(sizes[u]):,} indbyggere"
                .replace(",", ".") + "); ét års tal svinger meget, og placebo-intervallet, som "
                "bygger på større kommuners udsving, kan være for smalt.|"
                f"{names.get(u, u)} is a small municipality ({int(sizes[u]):,} inhabitants); "
                "its yearly figures swing widely, and the placebo interval, built from larger "
                "municipalities' swings, may be too narrow."
             for u in treated if u in sizes and sizes[u] < SMALL}
    design = ev.Design(treated=treated, comparison=pool, period_kind=d.period_kind,
                       breaks=list(d.breaks), area=d.area, reforms=REFORMS, small_units=small,
                       draws=draws, seed=seed)
    result = ev.evaluate(values, design)
    if not values:
        result["warnings"].insert(0, ev._warn(
            "no_data_loaded", f"Ingen data indlæst for {d.name}.",
            f"No data loaded for {d.name_en or d.name}."))
    result["warnings"] = extra_warnings + result["warnings"]
    if excluded:
        result["warnings"].append(ev._warn(
            "comparison_excluded",
            f"{len(excluded)} kommuner er holdt uden for sammenligningen, fordi en anden ordning "
            f"frisatte dem på området i de samme år: {', '.join(sorted(excluded, key=int))}.",
            f"{len(excluded)} municipalities are kept out of the comparison because another "
            f"regime freed them in the area in the same years: "
            f"{', '.join(sorted(excluded, key=int))}.", severity="info", units=excluded))
    draws_info = result.pop("method_draws", {"draws": 0, "exact": False})
    as_int = [int(u) if u.isdigit() else u for u in result["treated"]]
    comp = [int(u) if u.isdigit() else u for u in result["comparison"]]
    return {
        "indicator": d.key, "regime": regime, "comparison_kind": comparison,
        "treated": as_int, "comparison": comp,
        "estimate": result["estimate"], "ci_low": result["ci_low"],
        "ci_high": result["ci_high"], "p_value": result["p_value"],
        "pre_trend": result["pre_trend"], "n_units": result["n_units"],
        "n_periods": result["n_periods"], "warnings": result["warnings"],
        "method": {
            "estimator": "difference-in-differences with unit and period fixed effects (OLS)",
            "library": f"statsmodels {version('statsmodels')}",
            "fixed_effects": ["unit", "period"],
            "partial_periods": "a period only partly covered by the freedom is left out for "
                               "the treated unit (absorbed by its own dummy)",
            "inference": "randomization (placebo) inference over the comparison units; "
                         "Conley-Taber interval (estimate minus the 97.5 % and 2.5 % "
                         "quantiles of the placebo estimates)",
            "placebo_draws": draws_info["draws"], "placebo_exact": draws_info["exact"],
            "placebo_requested": draws, "seed": seed, "alpha": ev.ALPHA,
            "event_study": "one coefficient per period relative to the start; reference: the "
                           "last period before; intervals from the same placebo draws",
            "pre_trend_test": "sum of squared pre-period event-study coefficients against "
                              "its placebo distribution",
            "synthetic_control": f"pysyncon {version('pysyncon')} Synth, equal weights on the "
                                 f"pre-period outcomes; given where a treated unit has at least "
                                 f"{ev.MIN_PRE} pre-periods",
            "series_breaks": "never compared across: the window is the stretch between breaks "
                             "that holds the treatment start",
            "comparison": comparison, "excluded": excluded,
        },
        "synthetic": result["synthetic"],
        "event_study": result["event_study"],
        "periods": result["periods"],
        "series": ev.series(values, list(treated), result["comparison"], all_periods),
        "names": {u: names.get(u, u) for u in list(treated) + result["comparison"]},
        "definition": {"key": d.key, "name": d.name, "name_en": d.name_en, "unit": d.unit,
                       "unit_en": d.unit_en, "better": d.better, "area": d.area,
                       "period_kind": d.period_kind, "source": d.source,
                       "source_url": d.source_url, "licence": d.licence,
                       "attribution": d.attribution, "breaks": list(d.breaks),
                       "caveats": list(d.caveats), "has_data": bool(values)},
        "state": state,
    }
