"""The JSON API under /api/v1/ (django-ninja), with the same shapes as the CLI.

Every GET answer comes from ``frisat.queries``; the response schemas are the queries' own
types (``queries.types``), so the OpenAPI document describes the real bodies. Answers are
kept in the same response cache as the portal's pages, keyed by the register state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query

from frisat.engine import UnknownRecord
from frisat.queries import decisions as q_decisions
from frisat.queries import institutions as q_institutions
from frisat.queries import national as q_national
from frisat.queries import overview as q_overview
from frisat.queries import provenance
from frisat.queries import provisions as q_provisions
from frisat.queries import rules as q_rules
from frisat.queries import status as q_status
from frisat.queries import types as t
from frisat.queries.common import parse_date, parse_instant, today
from frisat.registry.errors import InputError, Rejected
from frisat.registry.snapshot import Snapshot
from frisat.web import api_errors
from frisat.web.cache import cache
from frisat.web.state import current_known_at, snapshot

# A municipality (or region) code: 101–860 for the 98 municipalities, 1081–1085 for regions
Code = Annotated[int, Path(ge=1, le=9999)]
CodeQuery = Annotated[int | None, Query(ge=1, le=9999)]

api = api_errors.FrisatAPI(
    title="frisat API",
    version="1",
    description="Hvilke regler gælder for institutionen på datoen, og hvorfor. "
    "Samme spørgsmål og JSON-former som kommandoen frisat.",
    urls_namespace="api-v1",
)


@api.exception_handler(UnknownRecord)
def unknown(request: HttpRequest, exc: LookupError) -> HttpResponse:
    return api_errors.response(404, [api_errors.item("", "not_found", str(exc))])


def _lang(request: HttpRequest, lang: str | None) -> str:
    return lang or ("en" if request.path.startswith("/en/") else "da")


def _known(known_at: str | None) -> dt.datetime:
    """The record time asked for; by default the register as it stands now."""
    return parse_instant(known_at) if known_at else current_known_at()


def _answer(request: HttpRequest, known_at: dt.datetime,
            build: Callable[[Snapshot], Any]) -> HttpResponse:
    """The answer from the response cache, or built from the snapshot at K and kept."""
    key = cache.key(request, "api", today(), known_at, tuple(sorted(request.GET.items())))
    hit = cache.get(key)
    if hit is not None:
        return hit.response(request)
    resp = api.create_response(request, build(snapshot(known_at)), status=200)
    return cache.put(key, resp).response(request)


@api.get("/institutions/{institution_id}/rules", response=t.RulesAnswer,
         summary="Reglerne for en institution")
def institution_rules(request: HttpRequest, institution_id: str, date: str | None = None,
                      known_at: str | None = None, lang: str | None = None) -> HttpResponse:
    d, k = parse_date(date), _known(known_at)
    return _answer(request, k, lambda s: {
        **q_rules.rules(s, institution_id, d, k, _lang(request, lang)),
        "registered": provenance.of_institution(s, institution_id, _lang(request, lang))})


@api.get("/municipalities/{code}/status", response=t.StatusAnswer,
         summary="Status for én bestemmelse i en kommune")
def municipality_status(request: HttpRequest, code: Code, area: str, provision: str,
                        date: str | None = None, known_at: str | None = None,
                        lang: str | None = None) -> HttpResponse:
    d, k = parse_date(date), _known(known_at)
    return _answer(request, k, lambda s: q_status.status(s, code, area, provision, d, k,
                                                         _lang(request, lang)))


@api.get("/municipalities/{code}/overview", response=t.OverviewAnswer,
         summary="Kommunens samlede oversigt (§ 6)")
def municipality_overview(request: HttpRequest, code: Code, date: str | None = None,
                          known_at: str | None = None) -> HttpResponse:
    d, k = parse_date(date), _known(known_at)
    base = request.build_absolute_uri("/").rstrip("/")
    return _answer(request, k, lambda s: q_overview.overview(s, code, d, k, base_url=base))


@api.get("/national", response=t.NationalAnswer, summary="Hvem er frisat fra hvad, nationalt")
def national(request: HttpRequest, date: str | None = None, known_at: str | None = None,
             lang: str | None = None) -> HttpResponse:
    d, k = parse_date(date), _known(known_at)
    return _answer(request, k, lambda s: q_national.national(s, d, k, _lang(request, lang)))


@api.get("/acts/{key}/provisions", response=t.ProvisionsAnswer, summary="Lovens bestemmelser")
def act_provisions(request: HttpRequest, key: str, date: str | None = None,
                   known_at: str | None = None) -> HttpResponse:
    d, k = parse_date(date), _known(known_at)
    return _answer(request, k, lambda s: {**q_provisions.provisions(s, key, d, k),
                                          "registered": provenance.of_act(s, key, "")})


def _page(items: list[Any], limit: int, offset: int) -> t.Page:
    if limit < 1 or limit > 1000:
        raise Rejected([InputError("limit", "invalid", "limit skal være mellem 1 og 1000")])
    if offset < 0:
        raise Rejected([InputError("offset", "invalid", "offset må ikke være negativ")])
    return {"count": len(items), "limit": limit, "offset": offset,
            "items": items[offset:offset + limit]}


@api.get("/municipalities", response=t.MunicipalityList, summary="De 98 kommuner")
def municipalities(request: HttpRequest, known_at: str | None = None,
                   region_code: CodeQuery = None, limit: int = 100,
                   offset: int = 0) -> HttpResponse:
    """Municipalities by code; filter by region. ``municipalities`` holds this page."""

    def build(s: Snapshot) -> t.Page:
        items = [{"code": x.code, "name": x.name, "region_code": x.region_code,
                  "region_name": x.region_name}
                 for x in sorted(s.world.municipalities, key=lambda x: x.code)
                 if region_code is None or x.region_code == region_code]
        out = _page(items, limit, offset)
        return {**out, "municipalities": out["items"]}

    return _answer(request, _known(known_at), build)


@api.get("/institutions", response=t.InstitutionList, summary="Institutioner")
def institutions(request: HttpRequest, municipality: CodeQuery = None,
                 area: str | None = None, date: str | None = None,
                 known_at: str | None = None, q: str | None = None, limit: int = 100,
                 offset: int = 0) -> HttpResponse:
    """Institutions open on the date (default today), filtered by municipality, area and a
    part of the name."""
    d = parse_date(date)
    return _answer(request, _known(known_at), lambda s: _page(
        q_institutions.on_date(s, d, municipality, area, q), limit, offset))  # type: ignore[arg-type]


@api.get("/decisions", response=t.DecisionList, summary="Offentliggjorte beslutninger")
def decisions(request: HttpRequest, municipality: CodeQuery = None,
              area: str | None = None, regime: str | None = None, state: str | None = None,
              date: str | None = None, known_at: str | None = None, limit: int = 100,
              offset: int = 0) -> HttpResponse:
    """Published decisions, newest publication first, each with its ``state`` on the date
    (in_force, future, ended, revoked)."""
    d = parse_date(date)
    return _answer(request, _known(known_at), lambda s: _page(
        q_decisions.filtered(s, d, municipality, area, regime, state),  # type: ignore[arg-type]
        limit, offset))


@api.get("/decisions/{decision_id}", response=t.DecisionAnswer, summary="Én beslutning")
def decision(request: HttpRequest, decision_id: str, date: str | None = None,
             known_at: str | None = None) -> HttpResponse:
    d = parse_date(date)
    return _answer(request, _known(known_at), lambda s: q_decisions.one(s, decision_id, d))


# Write endpoints (bundles from municipal systems) live with the workflow.
from frisat.workflow.api import install as _install_write_api  # noqa: E402

_install_write_api(api)

from frisat.followup.api import install as _install_followup_api  # noqa: E402

_install_followup_api(api)

from frisat.nextround.api import install as _install_nextround_api  # noqa: E402

_install_nextround_api(api)
