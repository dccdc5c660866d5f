"""Staff pages for frikommune applications under /forvaltning/ansoegninger (Danish):
municipal editors draft, edit, submit and withdraw their own applications; viewers read
their municipality's drafts; the ministry opens rounds, reads the notices and answers.
Pages only collect input; every write goes through ``nextround.services``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from frisat.accounts.permissions import actor_for, may_edit_application
from frisat.nextround import services
from frisat.nextround.models import STATES, Round
from frisat.registry.errors import InputError, Rejected
from frisat.workflow.views import page


def _staff(request: HttpRequest) -> Any:
    actor = actor_for(request.user)
    if actor.role is None:
        raise PermissionDenied
    return actor


def _version(request: HttpRequest) -> int:
    text = str(request.POST.get("version", ""))
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise Rejected([InputError("version", "invalid", "Ugyldig version")])
    return int(text)


def _form(post: Any) -> dict[str, Any]:
    lines = [x.strip() for x in str(post.get("targets", "")).splitlines() if x.strip()]
    targets = []
    for line in lines[:200]:
        partial = line.endswith("(delvist)")
        targets.append({"citation": line.removesuffix("(delvist)").strip(),
                        "extent": "partial" if partial else "whole"})
    net = str(post.get("network", "")).strip()
    mun = str(post.get("municipality", "")).strip()
    return {"round": post.get("round"), "area": post.get("area"),
            "municipality": int(mun) if mun.isascii() and mun.isdigit() and len(mun) < 5
            else None,
            "network": int(net) if net.isascii() and net.isdigit() and len(net) < 3 else None,
            "title": post.get("title"), "purpose": post.get("purpose"),
            "expected_results": post.get("expected_results"),
            "period_from": post.get("period_from"), "period_to": post.get("period_to"),
            "targets": targets}


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    actor = _staff(request)
    apps = services.visible(actor).order_by("-created_at")[:300]
    mine = [a for a in apps if actor.is_ministry or a.municipality == actor.municipality]
    notices = list(services.notices(actor).order_by("-at")[:100])
    return page(request, "nextround/staff_applications.html", "Frikommuneansøgninger",
                apps=mine, notices=notices, rounds=Round.objects.order_by("-deadline"),
                states=STATES, today=timezone.localdate())


@login_required
@require_http_methods(["POST"])
def read_notice(request: HttpRequest, event_id: int) -> HttpResponse:
    actor = _staff(request)
    ev = services.notices(actor).filter(id=event_id).first()
    if ev is not None:
        ev.read_at = timezone.now()
        ev.save(update_fields=["read_at"])
    return redirect("/forvaltning/ansoegninger")


@login_required
@require_http_methods(["POST"])
def new_round(request: HttpRequest) -> HttpResponse:
    actor = _staff(request)
    try:
        services.create_round(actor, {k: request.POST.get(k) for k in (
            "key", "title", "regime", "opens_on", "deadline", "answer_by", "source")})
    except Rejected as e:
        return page(request, "nextround/staff_applications.html", "Frikommuneansøgninger",
                    status=400, errors=e.errors, apps=[], notices=[],
                    rounds=Round.objects.order_by("-deadline"), states=STATES)
    return redirect("/forvaltning/ansoegninger")


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, app_id: str | None = None) -> HttpResponse:
    actor = _staff(request)
    app = services.get(actor, app_id) if app_id else None
    errors: list[InputError] = []
    form: dict[str, Any] = {}
    if request.method == "POST":
        form = _form(request.POST)
        try:
            if app is None:
                if form["municipality"] is None:
                    form["municipality"] = actor.municipality
                app = services.create(actor, form)
            else:
                app = services.edit(actor, app.id, _version(request), form)
            return redirect(f"/forvaltning/ansoegning/{app.id}")
        except Rejected as e:
            errors = e.errors
    status = 400 if errors else 200
    values = {k: "" if v is None else str(v) for k, v in (form or (
        services.application_values(app) if app else {})).items() if k != "targets"}
    return page(request, "nextround/staff_application.html",
                app.title if app else "Ny ansøgning", status=status, app=app, values=values,
                errors=errors, rounds=Round.objects.order_by("-deadline"), states=STATES,
                may_edit=app is None or (app.state == "draft"
                                         and may_edit_application(actor, app.municipality)),
                events=list(app.events.order_by("at", "id")) if app else [],
                targets_text=str(request.POST.get("targets", "")) if errors else "\n".join(
                    t["citation"] + (" (delvist)" if t["extent"] == "partial" else "")
                    for t in (app.targets if app else [])))


@login_required
@require_http_methods(["POST"])
def act(request: HttpRequest, app_id: str, action: str) -> HttpResponse:
    actor = _staff(request)
    try:
        version = _version(request)
        if action == "indsend":
            services.submit(actor, app_id, version)
        elif action == "traek-tilbage":
            services.withdraw(actor, app_id, version)
        elif action == "afgoer":
            services.decide(actor, app_id, version, {
                "approved": request.POST.getlist("approved"),
                "reasons": request.POST.get("reasons"),
                "legal_basis": request.POST.get("legal_basis"),
                "sector_ministry": request.POST.get("sector_ministry"),
                "from": request.POST.get("from") or None,
                "to": request.POST.get("to") or None})
        else:
            raise Rejected([InputError("action", "invalid", "Ukendt handling")])
    except Rejected as e:
        app = services.get(actor, app_id)
        return page(request, "nextround/staff_application.html", app.title, status=400,
                    app=app, values={}, errors=e.errors, rounds=[], states=STATES,
                    may_edit=False, events=list(app.events.order_by("at", "id")),
                    targets_text="")
    return redirect(f"/forvaltning/ansoegning/{app_id}")
