"""The JSON API under /api/v1/ (django-ninja), with the same shapes as the CLI."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query

from frisat.registry import answers
from frisat.registry.errors import InputError, Rejected
from frisat.web import api_errors

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


@api.exception_handler(answers.UnknownRecord)
def unknown(request: HttpRequest, exc: LookupError) -> HttpResponse:
    return api_errors.response(404, [api_errors.item("", "not_found", str(exc))])


def _lang(request: HttpRequest, lang: str | None) -> str:
    return lang or ("en" if request.path.startswith("/en/") else "da")


@api.get("/institutions/{institution_id}/rules", summary="Reglerne for en institution")
def institution_rules(request: HttpRequest, institution_id: str, date: str | None = None,
                      known_at: str | None = None, lang: str | None = None) -> dict[str, Any]:
    return answers.rules(institution_id, answers.parse_date(date),
                         answers.parse_instant(known_at), _lang(request, lang))


@api.get("/municipalities/{code}/status", summary="Status for én bestemmelse i en kommune")
def municipality_status(request: HttpRequest, code: Code, area: str, provision: str,
                        date: str | None = None, known_at: str | None = None,
                        lang: str | None = None) -> dict[str, Any]:
    return answers.status(code, area, provision, answers.parse_date(date),
                          answers.parse_instant(known_at), _lang(request, lang))


@api.get("/municipalities/{code}/overview", summary="Kommunens samlede oversigt (§ 6)")
def municipality_overview(request: HttpRequest, code: Code, date: str | None = None,
                          known_at: str | None = None) -> dict[str, Any]:
    return answers.overview(code, answers.parse_date(date), answers.parse_instant(known_at),
                            base_url=request.build_absolute_uri("/").rstrip("/"))


@api.get("/national", summary="Hvem er frisat fra hvad, nationalt")
def national(request: HttpRequest, date: str | None = None, known_at: str | None = None,
             lang: str | None = None) -> dict[str, Any]:
    return answers.national(answers.parse_date(date), answers.parse_instant(known_at),
                            _lang(request, lang))


@api.get("/acts/{key}/provisions", summary="Lovens bestemmelser")
def act_provisions(request: HttpRequest, key: str, date: str | None = None,
                   known_at: str | None = None) -> dict[str, Any]:
    return answers.provisions(key, answers.parse_date(date), answers.parse_instant(known_at))


def _page(items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    if limit < 1 or limit > 1000:
        raise Rejected([InputError("limit", "invalid", "limit skal være mellem 1 og 1000")])
    if offset < 0:
        raise Rejected([InputError("offset", "invalid", "offset må ikke være negativ")])
    return {"count": len(items), "limit": limit, "offset": offset,
            "items": items[offset:offset + limit]}


@api.get("/municipalities", summary="De 98 kommuner")
def municipalities(request: HttpRequest, known_at: str | None = None,
                   region_code: CodeQuery = None, limit: int = 100,
                   offset: int = 0) -> dict[str, Any]:
    """Municipalities by code; filter by region. ``municipalities`` holds this page."""
    eng = answers.snapshots.engine(answers.parse_instant(known_at))
    items = [{"code": x.code, "name": x.name, "region_code": x.region_code,
              "region_name": x.region_name}
             for x in sorted(eng.world.municipalities, key=lambda x: x.code)
             if region_code is None or x.region_code == region_code]
    out = _page(items, limit, offset)
    return {**out, "municipalities": out["items"]}


@api.get("/institutions", summary="Institutioner")
def institutions(request: HttpRequest, municipality: CodeQuery = None,
                 area: str | None = None, date: str | None = None,
                 known_at: str | None = None, q: str | None = None, limit: int = 100,
                 offset: int = 0) -> dict[str, Any]:
    """Institutions open on the date (default today), filtered by municipality, area and a
    part of the name."""
    d = answers.parse_date(date)
    eng = answers.snapshots.engine(answers.parse_instant(known_at))
    items = []
    for inst in sorted(eng.world.institutions, key=lambda i: (i.name, i.id)):
        ms = eng.membership(inst.id, d)
        if ms is None:
            continue
        if municipality is not None and ms.municipality != municipality:
            continue
        if area is not None and ms.area != area:
            continue
        if q and q.lower() not in inst.name.lower():
            continue
        items.append({"id": inst.id, "name": inst.name, "municipality": ms.municipality,
                      "area": ms.area, "kind": ms.kind, "provider": ms.provider,
                      "example": inst.example})
    return _page(items, limit, offset)


def _decisions(known_at: str | None, date: str | None) -> tuple[Any, Any]:
    return (answers.snapshots.engine(answers.parse_instant(known_at)),
            answers.parse_date(date))


@api.get("/decisions", summary="Offentliggjorte beslutninger")
def decisions(request: HttpRequest, municipality: CodeQuery = None,
              area: str | None = None, regime: str | None = None, state: str | None = None,
              date: str | None = None, known_at: str | None = None, limit: int = 100,
              offset: int = 0) -> dict[str, Any]:
    """Published decisions, newest publication first, each with its ``state`` on the date
    (in_force, future, ended, revoked)."""
    from frisat.registry.export import decision_json

    eng, d = _decisions(known_at, date)
    if state is not None and state not in ("in_force", "future", "ended", "revoked"):
        raise Rejected([InputError("state", "invalid",
                                   "state er in_force, future, ended eller revoked")])
    found = [x for x in eng.world.decisions if x.published
             and (municipality is None or x.municipality == municipality)
             and (area is None or x.area == area) and (regime is None or x.regime == regime)]
    found.sort(key=lambda x: (x.published_on or x.effective_from, x.id), reverse=True)
    items = [decision_json(x) | {"state": eng.decision_state(x.id, d)} for x in found]
    if state is not None:
        items = [x for x in items if x["state"] == state]
    return _page(items, limit, offset)


@api.get("/decisions/{decision_id}", summary="Én beslutning")
def decision(request: HttpRequest, decision_id: str, date: str | None = None,
             known_at: str | None = None) -> dict[str, Any]:
    from frisat.registry.export import decision_json

    eng, d = _decisions(known_at, date)
    x = eng.decisions.get(decision_id)
    if x is None or not x.published:
        raise Rejected([InputError("decision", "not_found",
                                   f"Ukendt beslutning: {decision_id}")])
    return decision_json(x) | {"state": eng.decision_state(x.id, d), "date": d.isoformat()}


# Write endpoints (bundles from municipal systems) live with the workflow.
from frisat.workflow.api import install as _install_write_api  # noqa: E402

_install_write_api(api)
