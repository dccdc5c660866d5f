"""Follow-up endpoints of the JSON API under /api/v1/ (same shapes as the CLI)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from frisat.registry.errors import InputError, Rejected

router = Router(tags=["opfølgning"])


@router.get("/evaluation", summary="Forskel-i-forskelle for en indikator og en ordning")
def evaluation(request: HttpRequest, indicator: str, regime: str,
               comparison: str = "all") -> dict[str, Any]:
    """As ``frisat evaluate --format json`` (CONTRACT.md), plus the series the charts show."""
    from frisat.followup.evaluate import evaluate

    return evaluate(indicator, regime, comparison)


@router.get("/indicators", summary="Indikatorer med kilde, licens og brud")
def indicators(request: HttpRequest, lang: str = "da") -> dict[str, Any]:
    from frisat.followup.views import indicator_list

    return {"indicators": indicator_list(lang)}


@router.get("/indicators/{key}/observations", summary="En indikators observationer")
def observations(request: HttpRequest, key: str, unit: str | None = None) -> dict[str, Any]:
    from frisat.followup.models import Indicator, Observation

    if not Indicator.objects.filter(key=key).exists():
        raise Rejected([InputError("indicator", "not_found", f"Ukendt indikator: {key}")])
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    qs = Observation.objects.filter(indicator_id=key)
    if unit:
        qs = qs.filter(unit=unit)
    for o in qs.order_by("recorded_at", "id"):
        latest[(o.unit, o.period)] = {"unit_kind": o.unit_kind, "unit": o.unit,
                                      "period": o.period, "value": o.value, "source": o.source,
                                      "recorded_at": o.recorded_at.isoformat()}
    items = sorted(latest.values(), key=lambda x: (x["unit"], x["period"]))
    return {"indicator": key, "count": len(items), "observations": items}


@router.get("/lessons", summary="Erfaringer (søgning, eller pr. bestemmelse)")
def lessons_(request: HttpRequest, q: str = "", provision: str | None = None) -> dict[str, Any]:
    from frisat.followup import lessons
    from frisat.law.citation import CitationError, parse_citation

    if provision:
        try:
            c = parse_citation(provision)
        except CitationError as e:
            raise Rejected([InputError("provision", "unknown_provision", str(e))]) from None
        return {"lessons": lessons.lessons_for_provision(c.act, c.ref)}
    return {"lessons": lessons.search(q[:200])}


@router.get("/briefing", summary="Notat til et folketingssvar for en dato")
def briefing(request: HttpRequest, date: str | None = None, lang: str = "da") -> dict[str, Any]:
    from frisat.followup.briefing import briefing as build
    from frisat.queries.common import parse_date

    return build(parse_date(date), "en" if lang == "en" else "da")


def install(api: Any) -> None:
    """Mount the follow-up endpoints on the public API."""
    api.add_router("/", router)
