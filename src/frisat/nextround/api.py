"""API endpoints of the next round under /api/v1/: the frikommune records, a
municipality's frikommunevedtægt, the two models compared, scenarios (diff, save, load)
and frikommune applications (public list and answers; writes with a token).

Reading answers come from ``frisat.queries``; writes go through ``nextround.services``.
A refusal for want of rights is 403, bad input 400 with the codes of the CLI.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Router

from frisat.accounts.permissions import actor_for
from frisat.nextround import services
from frisat.nextround.models import STATES, Application
from frisat.queries.common import parse_date
from frisat.registry.errors import InputError, Rejected

router = Router(tags=["næste runde"])

# a saved scenario's key (nextround.store) and an application's id (round-municipality-n)
ScenarioKey = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{2,79}$", max_length=80)]
ApplicationId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{2,63}$", max_length=64)]


def _snap() -> Any:
    from frisat.web.state import current_known_at, snapshot

    k = current_known_at()
    return snapshot(k), k


def _body(request: HttpRequest) -> Any:
    from frisat.registry.bundle import parse_text

    return parse_text(request.body.decode("utf-8", errors="replace"), "request")


@router.get("/frikommune", summary="Frikommuneforsøgene: netværk, beføjelser og kilder")
def frikommune(request: HttpRequest, date: str | None = None) -> dict[str, Any]:
    from frisat.queries.frikommune import records

    snap, _ = _snap()
    return records(snap, parse_date(date))


@router.get("/municipalities/{code}/frikommunevedtaegt",
            summary="Kommunens frikommunevedtægt, dannet af de godkendte fritagelser")
def frikommunevedtaegt(request: HttpRequest, code: int,
                       date: str | None = None) -> dict[str, Any]:
    from frisat.queries.frikommune import vedtaegt

    snap, _ = _snap()
    return vedtaegt(snap, code, parse_date(date))


@router.get("/models/compared", summary="Ansøgningsmodellen og det blanke papir sammenlignet")
def models_compared(request: HttpRequest, municipality: int | None = None,
                    area: str | None = None, lang: str = "da") -> dict[str, Any]:
    from frisat.queries import models_compared as q

    snap, k = _snap()
    lang = "en" if lang == "en" else "da"
    if municipality is not None and area:
        return dict(q.compare(snap, municipality, area, k, lang))
    return {"known_at": k.isoformat(), "rows": q.overview(snap, k, lang)}


@router.post("/scenarios/diff", summary="Hvad ville et scenarie ændre (aldrig gældende ret)")
def scenario_diff(request: HttpRequest, date: str | None = None, institutions: bool = True,
                  lang: str = "da") -> dict[str, Any]:
    from frisat.queries.scenario import scenario_diff as diff

    snap, k = _snap()
    return dict(diff(snap, _body(request), parse_date(date) if date else None, k,
                     "en" if lang == "en" else "da", institutions))


@router.post("/scenarios", summary="Gem et scenarie, så det kan deles med et link")
def scenario_save(request: HttpRequest, key: str | None = None) -> dict[str, Any]:
    """``key``: the link's name (3-80 lowercase letters, digits, hyphens); by default one
    made from the content, so the same scenario always gets the same link."""
    from frisat.nextround.store import save_scenario

    user = request.user.get_username() if request.user.is_authenticated else None
    saved = save_scenario(_body(request), key=key, user=user)
    return {"key": saved.key, "url": f"/scenarie/{saved.key}", "title": saved.title}


@router.get("/scenarios/{key}", summary="Et gemt scenarie")
def scenario_get(request: HttpRequest, key: ScenarioKey) -> dict[str, Any]:
    from frisat.nextround.store import saved_document

    return saved_document(key)


@router.get("/scenarios/{key}/diff", summary="Et gemt scenaries forskel fra registret")
def scenario_saved_diff(request: HttpRequest, key: ScenarioKey, date: str | None = None,
                        institutions: bool = True, lang: str = "da") -> dict[str, Any]:
    from frisat.nextround.store import saved_document
    from frisat.queries.scenario import scenario_diff as diff

    snap, k = _snap()
    return dict(diff(snap, saved_document(key), parse_date(date) if date else None, k,
                     "en" if lang == "en" else "da", institutions))


def application_json(app: Application) -> dict[str, Any]:
    return {
        "id": app.id, "round": app.round_id, "round_title": app.round.title,
        "municipality": app.municipality, "network": app.network, "area": app.area,
        "title": app.title, "purpose": app.purpose, "expected_results": app.expected_results,
        "period_from": app.period_from.isoformat(), "period_to": app.period_to.isoformat(),
        "targets": app.targets, "state": app.state, "state_name": STATES[app.state],
        "version": app.version,
        "submitted_at": app.submitted_at.isoformat() if app.submitted_at else None,
        "decided_at": app.decided_at.isoformat() if app.decided_at else None,
        "approved": app.approved, "reasons": app.reasons, "legal_basis": app.legal_basis,
        "sector_ministry": app.sector_ministry,
        "exemptions": [x for x in app.exemption.split(",") if x], "example": app.example,
        "events": [{"at": e.at.isoformat(), "action": e.action, "from": e.before,
                    "to": e.after, "note": e.note} for e in app.events.order_by("at", "id")],
    }


@router.get("/applications", summary="Frikommuneansøgninger og ministeriets svar")
def applications(request: HttpRequest, municipality: int | None = None,
                 state: str | None = None) -> dict[str, Any]:
    qs = services.visible(actor_for(request.user)).order_by("-created_at")
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if state is not None:
        if state not in STATES:
            raise Rejected([InputError("state", "invalid", "Ukendt status; en af: "
                                       + ", ".join(STATES))])
        qs = qs.filter(state=state)
    return {"items": [application_json(a) for a in qs[:500]]}


@router.get("/applications/{app_id}", summary="Én ansøgning med sagsforløb")
def application(request: HttpRequest, app_id: ApplicationId) -> dict[str, Any]:
    return application_json(services.get(actor_for(request.user), app_id))


def install(api: Any) -> None:
    """Mount on the public API; the writing endpoints need a token."""
    from frisat.workflow.api import TokenAuth

    auth = TokenAuth()

    def actor(request: HttpRequest) -> Any:
        return actor_for(request.auth)  # type: ignore[attr-defined]

    @router.post("/applications", auth=auth, summary="Opret en ansøgning (kladde)")
    def create(request: HttpRequest) -> dict[str, Any]:
        return application_json(services.create(actor(request), _obj(request)))

    @router.post("/applications/{app_id}/edit", auth=auth, summary="Ret en kladde")
    def edit(request: HttpRequest, app_id: ApplicationId, version: int) -> dict[str, Any]:
        return application_json(services.edit(actor(request), app_id, version, _obj(request)))

    @router.post("/applications/{app_id}/submit", auth=auth, summary="Indsend til ministeriet")
    def submit(request: HttpRequest, app_id: ApplicationId, version: int) -> dict[str, Any]:
        return application_json(services.submit(actor(request), app_id, version))

    @router.post("/applications/{app_id}/withdraw", auth=auth, summary="Træk tilbage")
    def withdraw(request: HttpRequest, app_id: ApplicationId, version: int) -> dict[str, Any]:
        return application_json(services.withdraw(actor(request), app_id, version))

    @router.post("/applications/{app_id}/decide", auth=auth,
                 summary="Ministeriets afgørelse (godkend helt eller delvist, eller afslå)")
    def decide(request: HttpRequest, app_id: ApplicationId, version: int) -> dict[str, Any]:
        return application_json(services.decide(actor(request), app_id, version,
                                                _obj(request)))

    api.add_router("/", router)

    @api.exception_handler(services.Forbidden)
    def forbidden(request: HttpRequest, exc: services.Forbidden) -> Any:
        from frisat.web import api_errors

        return api_errors.response(403, [api_errors.from_input(e) for e in exc.errors])


def _obj(request: HttpRequest) -> dict[str, Any]:
    doc = _body(request)
    if not isinstance(doc, dict):
        raise Rejected([InputError("request", "invalid", "Forventede et JSON-objekt")])
    return json.loads(json.dumps(doc, default=str))
