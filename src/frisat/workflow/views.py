"""Staff pages under /forvaltning/: log in, draft, adopt and publish decisions, the
ministry's inbox, regimes and audit trail. Pages only collect input and show results;
every write goes through ``frisat.workflow.services``."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from frisat.accounts.permissions import actor_for, may_open, may_read_drafts, may_write_decision
from frisat.law.citation import CitationError, parse_citation
from frisat.queries import catalogue
from frisat.queries.common import parse_date, today
from frisat.registry import store
from frisat.registry.errors import InputError, Rejected
from frisat.registry.snapshot import Snapshot, snapshot
from frisat.vocabulary import label
from frisat.web.csv_cells import row as csv_row
from frisat.workflow import services
from frisat.workflow.login import ThrottledLoginForm
from frisat.workflow.models import AuditEntry, Draft, Notice

# the deciding bodies a form offers (SEMANTICS: council, or whom it delegated to)
BODIES = [(key, label(key, "da")) for key in ("council", "committee", "administration",
                                               "institution")]


def page(request: HttpRequest, template: str, title: str, status: int = 200,
         **extra: Any) -> HttpResponse:
    """Render with what the portal's base template expects (staff pages are in Danish)."""
    context = {"lang": "da", "title": title, "prefix": "", "qs": "",
               "other_lang_url": request.path, "actor": actor_for(request.user),
               "bodies": BODIES, **extra}
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
    names = catalogue.municipality_names(_snapshot())
    return page(request, "workflow/dashboard.html", "Forvaltning",
                drafts=[(d, names.get(d.municipality, str(d.municipality)))
                        for d in drafts[:200]], unread=unread)


def _lines(text: str) -> list[str]:
    return [x.strip() for x in text.splitlines() if x.strip()]


# the draft form's labels, for the error summary and the field errors (never a raw path)
FIELD_LABELS = {
    "id": "Id", "municipality": "Kommune", "regime": "Ordning", "area": "Område",
    "title": "Titel", "targets": "Bestemmelser, der fraviges", "scope": "Institutioner",
    "institutions": "Institutioner", "effective_from": "Virkning fra",
    "effective_to": "Virkning til", "replacement": "Hvad træder i stedet",
    "revokes": "Ophæver beslutning(er)", "decided_by": "Besluttes af",
    "decided_on": "Mødedato", "body": "Besluttet af", "published_on": "Offentliggjort den",
    "source_url": "Adresse på offentliggørelsen", "version": "Kladdens version",
    "state": "Kladdens tilstand", "reason": "Begrundelse", "decision": "Beslutningen",
    "q": "Find bestemmelse",
}
# where the error summary jumps to, where it is not the field's own f-NAME
ANCHORS = {"source_url": "f-publication_url", "decision": "f-id", "version": "f-id",
           "state": "f-id"}
TARGET_PARTS = {"extent": "omfang", "note": "i stedet / hvad fraviges"}
EXTENTS = [("whole", "Hele bestemmelsen"), ("partial", "Dele af bestemmelsen")]
_TARGET_PATH = re.compile(r"targets\[(\d+)\](?:\.(\w+))?")
_LIST_PATH = re.compile(r"(scope\.institutions|revokes)\[(\d+)\]")
_TARGET_FIELD = re.compile(r"targets-(\d{1,3})-citation")


def field_label(path: str) -> tuple[str, str]:
    """A field path (``targets[1].citation``) as the form's Danish label ("Bestemmelser,
    der fraviges, række 2") and the id of the form element it concerns."""
    if found := _TARGET_PATH.match(path):
        row = int(found[1])
        part = TARGET_PARTS.get(found[2] or "")
        return (f"{FIELD_LABELS['targets']}, række {row + 1}{f', {part}' if part else ''}",
                f"f-target-{row}")
    if found := _LIST_PATH.match(path):
        key = "institutions" if found[1].startswith("scope") else "revokes"
        return f"{FIELD_LABELS[key]}, linje {int(found[2]) + 1}", f"f-{key}"
    top = path.split(".")[0].split("[")[0] or "decision"
    key = "institutions" if top == "scope" else top
    key = key if key in FIELD_LABELS else "decision"
    return FIELD_LABELS[key], ANCHORS.get(key, f"f-{key}")


def danish_message(message: str, regimes: dict[str, str] | None = None) -> str:
    """A check's message in the form's words: ``targets[0]`` → række 1, and a regime's key
    (``velfaerdsaftale-dagtilbud``) → its title, where REGIMES gives them."""
    message = _TARGET_PATH.sub(lambda x: f"række {int(x[1]) + 1}", message)
    for key in sorted(regimes or {}, key=len, reverse=True):
        message = re.sub(rf"(?<![\w-]){re.escape(key)}(?![\w-])", f"»{(regimes or {})[key]}«",
                         message)
    return message


def shown(items: list[Any]) -> list[dict[str, Any]]:
    """Errors and check results as the draft page shows them: label, message, the element
    to jump to; the code stays for data attributes only."""
    regimes = {r.key: r.title for r in _snapshot().world.regimes}
    out = []
    for x in items:
        path = str(getattr(x, "path", None) or getattr(x, "field", "") or "")
        label, anchor = field_label(path)
        row = _TARGET_PATH.match(path)
        out.append({"label": label, "anchor": anchor, "message": danish_message(x.message, regimes),
                    "code": x.code, "severity": getattr(x, "severity", "error"),
                    "row": int(row[1]) if row else None})
    return out


def targets_from_form(post: Any, without: str = "") -> list[dict[str, str]]:
    """The form's target rows (``targets-N-citation``, ``-extent``, ``-note``), in the order
    of N, but the row N = WITHOUT ("Fjern"); a row without a citation is no target."""
    rows = sorted(int(x[1]) for key in post
                  if (x := _TARGET_FIELD.fullmatch(key)) and x[1] != without)
    out = []
    for i in rows:
        citation = (post.get(f"targets-{i}-citation") or "").strip()
        if citation:
            out.append({"citation": citation,
                        "extent": (post.get(f"targets-{i}-extent") or "whole").strip(),
                        "note": (post.get(f"targets-{i}-note") or "").strip()})
    return out


def decided_by_from_form(post: Any, actor: Any) -> dict[str, Any]:
    """Who is to decide: the form's choice, else the council — or, for an institution
    leader, the leader's own institution (a leader drafts only what the institution
    decides, within the council's delegation)."""
    body = (post.get("decided_by_body") or "").strip()
    if not body:
        if actor.role == "institution_leader" and actor.institution:
            return {"body": "institution", "institution": actor.institution}
        return {"body": "council"}
    out: dict[str, Any] = {"body": body}
    if name := (post.get("decided_by_name") or "").strip():
        out["name"] = name
    if institution := (post.get("decided_by_institution") or "").strip():
        out["institution"] = institution
    return out


def form_to_decision(post: Any, actor: Any = None,
                     targets: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """The draft form's fields → a decision in bundle shape (docs/bundle.md). The id and
    the municipality are the view's to set (docs/workflow.md, "The decision form")."""
    institutions = _lines(post.get("institutions", ""))
    decided_by = decided_by_from_form(post, actor) if actor is not None else {"body": "council"}
    if not institutions and decided_by["body"] == "institution" and decided_by.get("institution"):
        institutions = [decided_by["institution"]]  # an institution decides for itself only
    data: dict[str, Any] = {
        "id": post.get("id", "").strip(),
        "municipality": post.get("municipality", "").strip() or None,
        "regime": post.get("regime", "").strip(),
        "title": post.get("title", "").strip(),
        "effective_from": post.get("effective_from") or None,
        "effective_to": post.get("effective_to") or None,
        "scope": {"institutions": institutions or "all"},
        "targets": targets_from_form(post) if targets is None else targets,
        "replacement": post.get("replacement", "").strip(),
        "revokes": _lines(post.get("revokes", "")),
        "decided_by": decided_by,
    }
    if post.get("area"):
        data["area"] = post["area"].strip()
    return data


def decision_to_form(data: dict[str, Any]) -> dict[str, Any]:
    scope = data.get("scope") or {}
    inst = scope.get("institutions")
    by = data.get("decided_by") or {}
    return {
        **data,
        "decided_by_body": by.get("body", "council"),
        "decided_by_name": by.get("name", ""),
        "decided_by_institution": by.get("institution", ""),
        "targets": [{"citation": t.get("citation", ""), "extent": t.get("extent", "whole"),
                     "note": t.get("note", "")} for t in data.get("targets") or []
                    if isinstance(t, dict)],
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


def _action(post: Any) -> str:
    """What the draft form's button asks: save, find, add or remove. The form's first
    (hidden) button is what Enter presses: it searches when the search field holds words
    not yet searched for, else it saves."""
    if post.get("add"):
        return "add"
    if post.get("remove"):
        return "remove"
    action = post.get("action", "save")
    if action == "enter":
        q = (post.get("q") or "").strip()
        return "find" if q and q != (post.get("q_done") or "").strip() else "save"
    return action if action in ("save", "find") else "save"


def _municipality_for(actor: Any, posted: str, draft: Draft | None) -> int:
    """The draft's municipality: a draft keeps its own (it is part of the id); a new one is
    the user's own; only the ministry chooses, from the covered municipalities."""
    posted = posted.strip()
    if draft is not None:
        if posted and posted != str(draft.municipality):
            raise Rejected([InputError("municipality", "invalid",
                                       "Kommunen kan ikke ændres i en kladde; den er en del "
                                       "af beslutningens id")])
        return draft.municipality
    if not actor.is_ministry:
        if actor.municipality is None or posted not in ("", str(actor.municipality)):
            raise services.Forbidden(f"{actor.username} må kun oprette beslutninger for sin "
                                     "egen kommune")
        return int(actor.municipality)
    covered = {str(code): code for code, _ in catalogue.covered_municipalities(_snapshot())}
    if posted not in covered:
        raise Rejected([InputError("municipality", "missing" if not posted else "invalid",
                                   "Vælg kommunen blandt de kommuner, en ordning dækker")])
    return covered[posted]


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
    values = decision_to_form(draft.data) if draft else decision_to_form({
        "municipality": actor.municipality or "",
        "decided_by": decided_by_from_form({}, actor),
        "scope": {"institutions": [actor.institution]
                  if actor.role == "institution_leader" and actor.institution else "all"}})
    # registering a decision made earlier, under a regime that has since ended
    earlier = "1" in (request.GET.get("tidligere"), request.POST.get("tidligere"))
    extra: dict[str, Any] = {"version": draft.version if draft else None, "q": "",
                             "hits": None, "unsaved": False, "note": "", "earlier": earlier}
    status = 200
    if request.method == "GET":
        for citation in request.GET.getlist("tilfoej")[:20]:  # from the picker page
            values["targets"] = _with_target(values["targets"], citation.strip(), extra)
        extra["unsaved"] = bool(request.GET.getlist("tilfoej"))
    if request.method == "POST":
        action = _action(request.POST)
        targets = targets_from_form(request.POST, without=request.POST.get("remove", ""))
        data = form_to_decision(request.POST, actor, targets)
        data["id"] = draft.id if draft else ""  # a new draft's id is given when it is saved
        posted_version = request.POST.get("version")
        extra["version"] = posted_version  # a round trip keeps the version the editor saw
        if action != "save":
            if action == "add":
                targets = _with_target(targets, request.POST["add"].strip(), extra)
            q = (request.POST.get("q") or "").strip()
            if action == "find":
                extra.update(q=q, hits=catalogue.find_provisions(_snapshot(), q, limit=30))
            data["targets"] = targets
            values = {**decision_to_form(data),
                      "municipality": request.POST.get("municipality", "")}
            extra.update(unsaved=True)
        else:
            values = {**decision_to_form(data),
                      "municipality": request.POST.get("municipality", "")}
            try:
                expected = _whole_number(posted_version, "version") if draft else None
                data["municipality"] = _municipality_for(
                    actor, request.POST.get("municipality", ""), draft)
                if draft is None:
                    draft, problems = services.create_draft(request.user, data)
                else:
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
    return _draft_page(request, actor, draft, values, errors, problems, status, extra)


def _with_target(targets: list[dict[str, str]], citation: str,
                 extra: dict[str, Any]) -> list[dict[str, str]]:
    """The rows with CITATION added as a whole provision, unless it is there already."""
    if not citation:
        return targets
    if any(t["citation"] == citation for t in targets):
        extra["note"] = f"{citation} står allerede på listen."
        return targets
    extra["note"] = f"Tilføjet: {citation}."
    return [*targets, {"citation": citation, "extent": "whole", "note": ""}]


def _draft_page(request: HttpRequest, actor: Any, draft: Draft | None,
                values: dict[str, Any], errors: list[InputError], problems: list[Any],
                status: int, extra: dict[str, Any]) -> HttpResponse:
    """The decision form, its checks and the adopt/publish steps."""
    snap = _snapshot()
    names = catalogue.municipality_names(snap)
    code = draft.municipality if draft else (actor.municipality if not actor.is_ministry
                                             else None)
    items = shown([*errors, *problems])
    by_row: dict[int, list[dict[str, Any]]] = {}
    for x in items:
        if x["row"] is not None:
            by_row.setdefault(x["row"], []).append(x)
    rows = [{**t, "i": i, "n": i + 1, "text": _target_text(snap, t["citation"]),
             "problems": by_row.get(i, [])} for i, t in enumerate(values.get("targets", []))]
    by_field: dict[str, list[dict[str, Any]]] = {}
    for x in items:
        if x["row"] is None:
            by_field.setdefault(x["anchor"].removeprefix("f-"), []).append(x)
    blocking = [x for x in shown(problems) if x["severity"] == "error"]
    return page(request, "workflow/draft.html",
                f"Beslutning {draft.id}" if draft else "Ny beslutning", status=status,
                draft=draft, values=values, rows=rows, extents=EXTENTS,
                regimes=catalogue.regime_choices(snap, code, today(),
                                                 str(values.get("regime") or ""),
                                                 earlier=bool(extra.get("earlier"))),
                municipality_name=names.get(code, "") if code else "",
                municipalities=(catalogue.covered_municipalities(snap)
                                if actor.is_ministry and draft is None else []),
                next_id=(services.next_decision_id(code, today().year)
                         if code and draft is None else ""),
                summary=shown(errors), checks=shown(problems), blocking=blocking,
                by_field=by_field, row_template=ROW_TEMPLATE, today=today(), **extra)


# the row the picker's script copies for a chosen provision (it fills in the __i__)
ROW_TEMPLATE = {"i": "__i__", "n": "__n__", "citation": "", "extent": "whole", "note": "",
                "text": "", "problems": []}


def _target_text(snap: Snapshot, citation: str) -> str:
    try:
        c = parse_citation(citation)
    except CitationError:
        return ""
    return catalogue.provision_text(snap, c.act, c.ref)


def _snapshot() -> Snapshot:
    """The register as known now (staff pages always show the present register)."""
    return snapshot(store.now())


@login_required
@require_http_methods(["POST"])
def draft_adopt(request: HttpRequest, decision_id: str) -> HttpResponse:
    return _transition(request, decision_id, "adopt")


@login_required
@require_http_methods(["POST"])
def draft_publish(request: HttpRequest, decision_id: str) -> HttpResponse:
    return _transition(request, decision_id, "publish")


@login_required
@require_http_methods(["POST"])
def draft_reopen(request: HttpRequest, decision_id: str) -> HttpResponse:
    return _transition(request, decision_id, "reopen")


def _transition(request: HttpRequest, decision_id: str, step: str) -> HttpResponse:
    _require(request, "draft")
    draft = Draft.objects.filter(pk=decision_id).first()
    if draft is None:
        raise Http404("Ingen kladde med det id")
    errors: list[InputError] = []
    try:
        version = _whole_number(request.POST.get("version"), "version")
        planned = draft.data.get("decided_by") or {}
        if step == "reopen":
            services.reopen(request.user, decision_id, version,
                            reason=request.POST.get("reason", ""))
        elif step == "adopt":
            _may_write(request.user, draft)
            services.adopt(request.user, decision_id, version,
                           body=request.POST.get("body") or planned.get("body", "council"),
                           name=request.POST.get("name", "").strip(),
                           institution=request.POST.get("institution")
                           or planned.get("institution") or None,
                           decided_on=parse_date(request.POST.get("decided_on"),
                                                         "decided_on"))
        else:
            services.publish(request.user, decision_id, version,
                             published_on=parse_date(request.POST.get("published_on"),
                                                             "published_on"),
                             publication_url=request.POST.get("publication_url") or None)
    except services.Forbidden as e:
        errors, status = [InputError("decision", "forbidden", str(e))], 403
    except Rejected as e:
        errors, status = e.errors, (409 if isinstance(e, services.Conflict) else 400)
    else:
        return redirect("draft", decision_id=decision_id)
    draft.refresh_from_db()
    actor = actor_for(request.user)
    problems = [] if draft.state != "draft" else _checks_of(draft)
    return _draft_page(request, actor, draft, decision_to_form(draft.data), errors,
                       problems, status, {"version": draft.version, "q": "", "hits": None,
                                          "unsaved": False, "note": ""})


def _may_write(user: Any, draft: Draft) -> None:
    """Refuse before anything about another's draft is told (its checks included)."""
    try:
        decision = services.read_decision(draft.data)
    except Rejected:
        return  # the service refuses it with the reason
    if not may_write_decision(actor_for(user), decision):
        raise services.Forbidden(f"{user.get_username()} må ikke skrive beslutning {draft.id} "
                                 f"for kommune {draft.municipality}")


def _checks_of(draft: Draft) -> list[Any]:
    try:
        return services.problems(services.read_decision(draft.data))
    except Rejected:
        return []


@login_required
def provision_picker(request: HttpRequest) -> HttpResponse:
    """Find catalogue provisions by citation (``§ 3 a, stk. 2``) or by words; each hit can
    be taken to a draft (``?kladde=ID``, or a new decision)."""
    _require(request, "picker")
    q = request.GET.get("q", "").strip()
    act = request.GET.get("act", "").strip()
    into = request.GET.get("kladde", "").strip()
    snap = _snapshot()
    draft = into if into and Draft.objects.filter(pk=into).exists() else ""
    return page(request, "workflow/picker.html", "Find bestemmelse", q=q, act=act,
                hits=catalogue.find_provisions(snap, q, act), acts=catalogue.act_keys(snap),
                draft=draft, into=into)


SUGGESTIONS = 12


def provision_suggestions(request: HttpRequest) -> HttpResponse:
    """The picker's suggestions as JSON, for the draft form's search-as-you-type (staff
    only: 401 without log-in, 403 without a staff role)."""
    if not request.user.is_authenticated:
        return JsonResponse({"errors": [{"path": "", "code": "login",
                                         "message": "Log ind for at søge"}]}, status=401)
    if not may_open(actor_for(request.user), "picker"):
        return JsonResponse({"errors": [{"path": "", "code": "forbidden",
                                         "message": "Ingen adgang"}]}, status=403)
    snap = _snapshot()
    q = request.GET.get("q", "").strip()[:200]
    hits = catalogue.find_provisions(snap, q, request.GET.get("act", "").strip(),
                                     limit=SUGGESTIONS + 1)
    return JsonResponse({"q": q, "more": len(hits) > SUGGESTIONS, "provisions": [
        {"citation": p.citation, "text": catalogue.provision_text(snap, p.act, p.ref)}
        for p in hits[:SUGGESTIONS]]})


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

    Each form's record is stored with the user's rights through the one write path
    (``services.record_as``)."""
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
        forms: dict[str, tuple[str, dict[str, Any]]] = {
            "delegation": ("delegations", {
                "municipality": code, "regime": p.get("regime"), "to": p.get("to"),
                "name": p.get("name", "").strip(), "institution": p.get("institution") or None,
                "decided_on": p.get("decided_on") or None}),
            "repeal": ("repeals", {"act": p.get("act"), "ref": p.get("ref", ""),
                                   "from": p.get("from") or None,
                                   "decided_on": p.get("decided_on") or None}),
            "kept": ("kept", {"act": p.get("act"), "municipality": code,
                              "reason": p.get("reason", "").strip()}),
        }
        section, record = forms.get(kind or "", ("", {}))
        if not section:
            errors = [InputError("kind", "invalid", "Ukendt formular")]
            status = 400
        else:
            try:
                services.record_as(request.user, section, record)
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
                municipality_name=catalogue.municipality_names(snap).get(code, "")
                if code else "",
                error_prefix={"delegation": "d-", "repeal": "r-", "kept": "k-"}.get(
                    request.POST.get("kind", ""), ""),
                regimes=sorted((r.key, r.title) for r in snap.world.regimes),
                by_field=_by_field(errors), **catalogue.own_rules(snap, code))
