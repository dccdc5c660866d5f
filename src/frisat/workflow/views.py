"""Staff pages under /forvaltning/: log in, draft, adopt and publish decisions, the
ministry's inbox, regimes and audit trail. Pages only collect input and show results;
every write goes through ``frisat.workflow.services``."""

from __future__ import annotations

import csv
import datetime as dt
import json
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from frisat.accounts.permissions import actor_for, may_open, may_read_drafts
from frisat.queries import catalogue
from frisat.queries.common import parse_date, today
from frisat.registry import store
from frisat.registry.errors import InputError, Rejected
from frisat.registry.snapshot import Snapshot, snapshot
from frisat.web.csv_cells import row as csv_row
from frisat.workflow import services
from frisat.workflow.login import ThrottledLoginForm
from frisat.workflow.models import AuditEntry, Draft, Notice


def page(request: HttpRequest, template: str, title: str, status: int = 200,
         **extra: Any) -> HttpResponse:
    """Render with what the portal's base template expects (staff pages are in Danish)."""
    context = {"lang": "da", "title": title, "prefix": "", "qs": "",
               "other_lang_url": request.path, "actor": actor_for(request.user), **extra}
    return render(request, template, context, status=status)


def _require(request: HttpRequest, page_name: str) -> None:
    """The staff page table of ``accounts.permissions`` (403 for anyone not in it)."""
    if not may_open(actor_for(request.user), page_name):
        raise PermissionDenied


def _whole_number(value: str | None, field: str, *, lo: int = 0,
                  hi: int = 2**31 - 1) -> int:
    """A form's number (a draft's version, a notice, a municipality code) or 400."""
    text = (value or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 10 and lo <= int(text) <= hi:
        return int(text)
    raise Rejected([InputError(field, "invalid",
                               f"Feltet skal være et heltal fra {lo} til {hi}")])


def _bad_request(request: HttpRequest, e: Rejected) -> HttpResponse:
    return page(request, "frisat/error.html", "Fejl", status=400, errors=e.errors)


# -- logging in, with throttling (workflow/login.py) -------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "workflow/login.html"
    extra_context = {"lang": "da", "title": "Log ind", "prefix": "", "qs": "",
                     "other_lang_url": "/forvaltning/login"}


# -- drafts ----------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require(request, "dashboard")
    actor = actor_for(request.user)
    drafts = Draft.objects.order_by("-updated_at")
    if not actor.is_ministry:
        drafts = drafts.filter(municipality=actor.municipality or -1)
    unread = Notice.objects.filter(read_at=None).count() if actor.is_ministry else None
    return page(request, "workflow/dashboard.html", "Forvaltning", drafts=drafts[:200],
                unread=unread)


def _lines(text: str) -> list[str]:
    return [x.strip() for x in text.splitlines() if x.strip()]


def form_to_decision(post: Any) -> dict[str, Any]:
    """The draft form's fields → a decision in bundle shape (docs/bundle.md)."""
    targets = []
    for line in _lines(post.get("targets", "")):
        citation, _, rest = line.partition("|")
        extent, _, note = rest.partition("|")
        targets.append({"citation": citation.strip(),
                        "extent": extent.strip() or "whole", "note": note.strip()})
    institutions = _lines(post.get("institutions", ""))
    data: dict[str, Any] = {
        "id": post.get("id", "").strip(),
        "municipality": post.get("municipality", "").strip() or None,
        "regime": post.get("regime", "").strip(),
        "title": post.get("title", "").strip(),
        "effective_from": post.get("effective_from") or None,
        "effective_to": post.get("effective_to") or None,
        "scope": {"institutions": institutions or "all"},
        "targets": targets,
        "replacement": post.get("replacement", "").strip(),
        "revokes": _lines(post.get("revokes", "")),
        "decided_by": {"body": "council"},
    }
    if post.get("area"):
        data["area"] = post["area"].strip()
    return data


def decision_to_form(data: dict[str, Any]) -> dict[str, Any]:
    scope = data.get("scope") or {}
    inst = scope.get("institutions")
    return {
        **data,
        "targets": "\n".join(
            " | ".join(x for x in (t["citation"], t.get("extent", "whole"), t.get("note", ""))
                       if x) for t in data.get("targets", [])),
        "institutions": "\n".join(inst) if isinstance(inst, list) else "",
        "revokes": "\n".join(data.get("revokes", [])),
    }


def _by_field(items: list[Any]) -> dict[str, list[Any]]:
    """Errors and warnings keyed by the form field they concern."""
    out: dict[str, list[Any]] = {}
    for x in items:
        path = str(getattr(x, "path", None) or getattr(x, "field", "") or "")
        key = path.split(".")[0].split("[")[0] or "decision"
        key = "institutions" if path.startswith("scope") else key
        out.setdefault(key, []).append(x)
    return out


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, decision_id: str | None = None) -> HttpResponse:
    _require(request, "draft")
    actor = actor_for(request.user)
    draft = Draft.objects.filter(pk=decision_id).first() if decision_id else None
    if decision_id and draft is None:
        raise Http404("Ingen kladde med det id")
    if draft is not None and not may_read_drafts(actor, draft.municipality):
        raise PermissionDenied
    errors: list[InputError] = []
    problems: list[Any] = []
    values = decision_to_form(draft.data) if draft else {
        "municipality": actor.municipality or "", "scope": {"institutions": "all"}}
    status = 200
    if request.method == "POST":
        data = form_to_decision(request.POST)
        values = {**decision_to_form(data), "municipality": data["municipality"]}
        try:
            expected = (_whole_number(request.POST["version"], "version")
                        if request.POST.get("version") else None)
            draft, problems = services.save_draft(request.user, data, expected)
        except services.Forbidden as e:
            errors = [InputError("decision", "forbidden", str(e))]
            status = 403
        except Rejected as e:
            errors = e.errors
            status = 409 if isinstance(e, services.Conflict) else 400
        else:
            # saved: the draft's own page shows the checks next to their fields
            return redirect("draft", decision_id=draft.id)
    elif draft is not None:
        problems = services.problems(services.read_decision(draft.data))
    return page(request, "workflow/draft.html",
                f"Beslutning {draft.id}" if draft else "Ny beslutning", status=status,
                draft=draft, values=values, regimes=_regimes_for(actor.municipality),
                errors=errors,
                problems=problems, by_field=_by_field([*errors, *problems]),
                today=today())


def _snapshot() -> Snapshot:
    """The register as known now (staff pages always show the present register)."""
    return snapshot(store.now())


def _regimes_for(municipality: int | None) -> list[tuple[str, str]]:
    """The regimes, those that have covered the municipality first (the likely choice)."""
    return catalogue.regimes_for(_snapshot(), municipality)


@login_required
@require_http_methods(["POST"])
def draft_adopt(request: HttpRequest, decision_id: str) -> HttpResponse:
    return _transition(request, decision_id, "adopt")


@login_required
@require_http_methods(["POST"])
def draft_publish(request: HttpRequest, decision_id: str) -> HttpResponse:
    return _transition(request, decision_id, "publish")


def _transition(request: HttpRequest, decision_id: str, step: str) -> HttpResponse:
    _require(request, "draft")
    draft = Draft.objects.filter(pk=decision_id).first()
    if draft is None:
        raise Http404("Ingen kladde med det id")
    errors: list[InputError] = []
    try:
        version = _whole_number(request.POST.get("version"), "version")
        if step == "adopt":
            services.adopt(request.user, decision_id, version,
                           body=request.POST.get("body", "council"),
                           name=request.POST.get("name", "").strip(),
                           institution=request.POST.get("institution") or None,
                           decided_on=parse_date(request.POST.get("decided_on"),
                                                         "decided_on"))
        else:
            services.publish(request.user, decision_id, version,
                             published_on=parse_date(request.POST.get("published_on"),
                                                             "published_on"))
    except services.Forbidden as e:
        errors, status = [InputError("decision", "forbidden", str(e))], 403
    except Rejected as e:
        errors, status = e.errors, (409 if isinstance(e, services.Conflict) else 400)
    else:
        return redirect("draft", decision_id=decision_id)
    draft.refresh_from_db()
    return page(request, "workflow/draft.html", f"Beslutning {decision_id}", status=status,
                draft=draft, values=decision_to_form(draft.data),
                regimes=_regimes_for(draft.municipality),
                errors=errors, problems=[], by_field=_by_field(errors),
                today=today())


@login_required
def provision_picker(request: HttpRequest) -> HttpResponse:
    """Find catalogue provisions by citation (``§ 3 a, stk. 2``) or by words."""
    _require(request, "picker")
    q = request.GET.get("q", "").strip()
    act = request.GET.get("act", "").strip()
    snap = _snapshot()
    return page(request, "workflow/picker.html", "Find bestemmelse", q=q, act=act,
                hits=catalogue.find_provisions(snap, q, act), acts=catalogue.act_keys(snap))


# -- ministry ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    _require(request, "inbox")
    if request.method == "POST":
        try:
            notice = _whole_number(request.POST.get("notice"), "notice", lo=1)
        except Rejected as e:
            return _bad_request(request, e)
        if not Notice.objects.filter(pk=notice).exists():
            raise Http404("Ingen meddelelse med det id")
        services.mark_notice_read(request.user, notice, request.POST.get("comment", "").strip())
        return redirect("inbox")
    notices = Notice.objects.order_by("read_at", "-created_at")[:500]
    titles = catalogue.decision_titles(_snapshot(), [n.decision for n in notices])
    return page(request, "workflow/inbox.html", "Meddelelser til ministeriet",
                rows=[(n, titles.get(n.decision, "")) for n in notices])


@login_required
def regimes(request: HttpRequest) -> HttpResponse:
    """Regimes with every coverage record, extensions included, as recorded over time."""
    _require(request, "regimes")
    return page(request, "workflow/regimes.html", "Ordninger, dækning og lister",
                rows=catalogue.regime_histories(_snapshot()))


@login_required
def decisions(request: HttpRequest) -> HttpResponse:
    """The national list of decisions, filtered; CSV with ?format=csv."""
    _require(request, "decisions")
    f = {k: request.GET.get(k, "").strip() for k in ("municipality", "area", "provision", "date")}
    municipality: int | None = None
    if f["municipality"]:
        try:
            municipality = _whole_number(f["municipality"], "municipality", lo=1, hi=9999)
        except Rejected as e:
            return _bad_request(request, e)
    date: dt.date | None = None
    invalid = False
    if f["date"]:
        try:
            date = dt.date.fromisoformat(f["date"])
        except ValueError:
            invalid = True
    snap = _snapshot()
    found = catalogue.decisions(snap, municipality=municipality, area=f["area"],
                                provision=f["provision"], date=date, invalid=invalid)
    if request.GET.get("format") == "csv":
        resp = HttpResponse(content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = 'attachment; filename="beslutninger.csv"'
        w = csv.writer(resp)
        w.writerow(["id", "municipality", "area", "regime", "published_on", "effective_from",
                    "effective_to", "targets", "title"])
        for x in found:
            w.writerow(csv_row([x.id, x.municipality, x.area, x.regime,
                                x.published_on, x.effective_from, x.effective_to,
                                "; ".join(t.citation for t in x.targets), x.title]))
        return resp
    names = catalogue.municipality_names(snap)
    return page(request, "workflow/decisions.html", "Beslutninger i hele landet",
                decisions=[(x, names.get(x.municipality, "")) for x in found[:1000]], f=f)


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    _require(request, "audit")
    entries = AuditEntry.objects.order_by("-at")[:500]
    return page(request, "workflow/audit.html", "Revisionsspor", loads=store.loads(), entries=[
        {"e": e, "before": json.dumps(e.before, ensure_ascii=False, indent=1),
         "after": json.dumps(e.after, ensure_ascii=False, indent=1)} for e in entries])


# -- the municipality's own rules and delegations -------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rules_and_delegations(request: HttpRequest) -> HttpResponse:
    """Record a delegation, the repeal of an own rule, or the choice to keep a rule set.

    Each form becomes a small bundle loaded with the user's rights (``services.load_as``)."""
    _require(request, "rules")
    actor = actor_for(request.user)
    code = actor.municipality
    if request.GET.get("municipality") and actor.is_ministry:
        try:
            code = _whole_number(request.GET["municipality"], "municipality", lo=1, hi=9999)
        except Rejected as e:
            return _bad_request(request, e)
    errors: list[InputError] = []
    done = ""
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind")
        p = request.POST
        section, record = {
            "delegation": ("delegations", {
                "municipality": code, "regime": p.get("regime"), "to": p.get("to"),
                "name": p.get("name", "").strip(), "institution": p.get("institution") or None,
                "decided_on": p.get("decided_on") or None}),
            "repeal": ("repeals", {"act": p.get("act"), "ref": p.get("ref", ""),
                                   "from": p.get("from") or None,
                                   "decided_on": p.get("decided_on") or None}),
            "kept": ("kept", {"act": p.get("act"), "municipality": code,
                              "reason": p.get("reason", "").strip()}),
        }.get(kind or "", ("", {}))
        if not section:
            errors = [InputError("kind", "invalid", "Ukendt formular")]
            status = 400
        else:
            try:
                services.load_as(request.user, {"format": "frisat-bundle/1",
                                                section: [record]}, source="formular")
                done = "Registreret."
            except services.Forbidden as e:
                errors, status = [InputError(section, "forbidden", str(e))], 403
            except Rejected as e:
                errors = [InputError(x.path.split("].", 1)[-1], x.code, x.message)
                          for x in e.errors]
                status = 400
    snap = _snapshot()
    return page(request, "workflow/rules.html", "Regelsæt og delegationer", status=status,
                code=code, errors=errors, done=done,
                regimes=sorted((r.key, r.title) for r in snap.world.regimes),
                by_field=_by_field(errors), **catalogue.own_rules(snap, code))
