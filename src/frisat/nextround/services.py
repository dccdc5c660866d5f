"""The application workflow: draft → submitted → approved / partly approved / refused
(or withdrawn before the answer). Forms, API and commands all go through here.

Every step checks the permission (``accounts.permissions``), the state and the version
(optimistic locking: two editors on one draft get a conflict, never a lost update), writes
an event (status history, notice, audit) and an audit entry in the staff audit trail, all
in one transaction. An approval becomes an exemption in the register through the one write
path (``registry.loader.load``), with its legal basis and period; if the register refuses
it, nothing of the decision is stored. Bad input is rejected as a whole with every problem,
each naming its field and a stable code, in Danish.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from frisat.accounts.permissions import (
    Actor,
    may_decide_application,
    may_edit_application,
    may_manage_rounds,
    may_read_application,
)
from frisat.law.citation import CitationError, parse_citation
from frisat.nextround import networks
from frisat.nextround.models import DECIDED, STATES, Application, Event, Round
from frisat.registry.errors import InputError, Rejected

TEXT_FIELDS = ("title", "purpose", "expected_results")
MAX_TEXT = 10_000


class Forbidden(Rejected):
    """The actor may not do this (403 in the API; exit 2 on the command line)."""


def _forbidden(message: str) -> Rejected:
    return Forbidden([InputError("application", "forbidden", message)])


def _event(app: Application, actor: Actor, action: str, before: str, after: str, *,
           notify: str = "", note: str = "") -> None:
    from frisat.workflow.services import audit

    Event.objects.create(application=app, at=timezone.now(), username=actor.username,
                         action=action, before=before, after=after, notify=notify, note=note)
    audit(actor, f"application.{action}", f"ansøgning {app.id}", {"state": before} if before
          else None, {"state": after})


# --------------------------------------------------------------------------- rounds


def create_round(actor: Actor, data: dict[str, Any]) -> Round:
    if not may_manage_rounds(actor):
        raise _forbidden("Kun ministeriet kan oprette ansøgningsrunder")
    errors: list[InputError] = []
    key = str(data.get("key") or "")
    if not key or not key.replace("-", "").isalnum() or key.lower() != key or len(key) > 64:
        errors.append(InputError("key", "invalid", "Nøglen skal være små bogstaver, tal og "
                                 "bindestreg"))
    elif Round.objects.filter(key=key).exists():
        errors.append(InputError("key", "conflict", f"Runden {key} findes allerede"))
    title = str(data.get("title") or "").strip()
    if not title:
        errors.append(InputError("title", "required", "Runden skal have en titel"))
    regime = str(data.get("regime") or "")
    if not _regime_exists(regime):
        errors.append(InputError("regime", "not_found", f"Ukendt ordning: {regime!r}"))
    opens = _date(data, "opens_on", errors)
    deadline = _date(data, "deadline", errors)
    answer_by = _date(data, "answer_by", errors, required=False)
    if opens and deadline and deadline < opens:
        errors.append(InputError("deadline", "invalid", "Fristen skal ligge efter åbningen"))
    if errors or opens is None or deadline is None:
        raise Rejected(errors)
    with transaction.atomic():
        rnd = Round.objects.create(key=key, title=title[:200], regime=regime, opens_on=opens,
                                   deadline=deadline, answer_by=answer_by,
                                   source=str(data.get("source") or ""),
                                   example=bool(data.get("example", False)))
        from frisat.workflow.services import audit

        audit(actor, "round.create", f"ansøgningsrunde {key}", None,
              {"regime": regime, "deadline": str(deadline)})
    return rnd


def _regime_exists(key: str) -> bool:
    from frisat.queries.common import now
    from frisat.registry.snapshot import snapshot

    return key in snapshot(now()).engine.regimes


def _date(data: dict[str, Any], field: str, errors: list[InputError], *,
          required: bool = True) -> dt.date | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors.append(InputError(field, "required", "Angiv en dato ÅÅÅÅ-MM-DD"))
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.append(InputError(field, "invalid", f"Forventede en dato ÅÅÅÅ-MM-DD, fik "
                                 f"{value!r}"))
        return None


# --------------------------------------------------------------------------- drafts


def _targets(raw: Any, errors: list[InputError]) -> list[dict[str, str]]:
    from frisat.queries.common import now
    from frisat.registry.snapshot import snapshot

    tree = snapshot(now()).engine.tree
    if not isinstance(raw, list) or not raw:
        errors.append(InputError("targets", "required", "Nævn mindst én bestemmelse, der "
                                 "søges fritagelse fra"))
        return []
    out: list[dict[str, str]] = []
    for i, t in enumerate(raw):
        t = t if isinstance(t, dict) else {"citation": t}
        try:
            c = parse_citation(str(t.get("citation") or ""))
        except CitationError as e:
            errors.append(InputError(f"targets[{i}].citation", "unknown_provision", str(e)))
            continue
        if (c.act, c.ref) not in tree.nodes:
            errors.append(InputError(f"targets[{i}].citation", "unknown_provision",
                                     f"Bestemmelsen findes ikke i kataloget: {c.act} {c.ref}"))
            continue
        extent = t.get("extent", "whole")
        if extent not in ("whole", "partial"):
            errors.append(InputError(f"targets[{i}].extent", "invalid",
                                     "Omfang er 'whole' (helt) eller 'partial' (delvist)"))
            continue
        citation = f"{c.act} {c.ref}".strip()
        if any(x["citation"] == citation for x in out):
            errors.append(InputError(f"targets[{i}].citation", "duplicate",
                                     f"{citation} er nævnt to gange"))
            continue
        out.append({"citation": citation, "extent": extent,
                    "note": str(t.get("note") or "")[:MAX_TEXT]})
    return out


def _fields(data: dict[str, Any], errors: list[InputError]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in TEXT_FIELDS:
        v = str(data.get(f) or "").strip()
        if not v:
            errors.append(InputError(f, "required", {
                "title": "Ansøgningen skal have en titel",
                "purpose": "Beskriv formålet med forsøget",
                "expected_results": "Beskriv de forventede resultater"}[f]))
        elif len(v) > (200 if f == "title" else MAX_TEXT):
            errors.append(InputError(f, "too_long", "Teksten er for lang"))
        out[f] = v
    start = _date(data, "period_from", errors)
    end = _date(data, "period_to", errors)
    if start and end and end <= start:
        errors.append(InputError("period_to", "invalid", "Perioden skal slutte efter den "
                                 "begynder"))
    out["period_from"], out["period_to"] = start, end
    out["targets"] = _targets(data.get("targets"), errors)
    return out


def create(actor: Actor, data: dict[str, Any]) -> Application:
    """A new draft for the actor's own municipality (or network it belongs to)."""
    errors: list[InputError] = []
    mun = data.get("municipality")
    if not isinstance(mun, int) or isinstance(mun, bool):
        raise Rejected([InputError("municipality", "required", "Angiv kommunekoden")])
    if not may_edit_application(actor, mun):
        raise _forbidden("Kun kommunens egne redaktører kan oprette dens ansøgninger")
    rnd = Round.objects.filter(key=data.get("round")).first()
    if rnd is None:
        errors.append(InputError("round", "not_found", f"Ukendt ansøgningsrunde: "
                                 f"{data.get('round')!r}"))
    area = str(data.get("area") or "")
    from frisat.queries.common import now
    from frisat.registry.snapshot import snapshot

    if area not in snapshot(now()).engine.areas:
        errors.append(InputError("area", "not_found", f"Ukendt område: {area!r}"))
    network = data.get("network")
    if network is not None:
        nets = {n.number for n in networks.records().networks_of(mun)}
        if network not in nets:
            errors.append(InputError("network", "not_member", f"Kommune {mun} er ikke med i "
                                     f"frikommunenetværk {network!r}"))
    fields = _fields(data, errors)
    if errors:
        raise Rejected(errors)
    assert rnd is not None
    prefix = f"{rnd.key}-{mun}-"
    try:
        with transaction.atomic():
            taken = [int(x.removeprefix(prefix)) for x in Application.objects.filter(
                id__startswith=prefix).values_list("id", flat=True)
                if x.removeprefix(prefix).isdigit()]
            app = Application.objects.create(
                id=f"{prefix}{max(taken, default=0) + 1:03d}", round=rnd, municipality=mun,
                network=network, area=area,
                example=bool(data.get("example", False)) or rnd.example,
                created_by=actor.username, created_at=timezone.now(), **fields)
            _event(app, actor, "created", "", "draft")
    except IntegrityError:  # another editor created one at the same moment
        raise Rejected([InputError("application", "conflict", "En anden oprettede en "
                                   "ansøgning samtidig; prøv igen")]) from None
    return app


def _locked(app_id: str, expected_version: int) -> Application:
    app = Application.objects.select_for_update().filter(id=app_id).first()
    if app is None:
        raise Rejected([InputError("application", "not_found", f"Ukendt ansøgning: {app_id}")])
    if app.version != expected_version:
        raise Rejected([InputError("version", "conflict",
                                   f"Ansøgningen {app_id} er ændret af en anden siden du "
                                   "hentede den; hent den igen")])
    return app


def edit(actor: Actor, app_id: str, expected_version: int, data: dict[str, Any]) -> Application:
    with transaction.atomic():
        app = _locked(app_id, expected_version)
        if not may_edit_application(actor, app.municipality):
            raise _forbidden("Kun kommunens egne redaktører kan ændre dens ansøgninger")
        if app.state != "draft":
            raise Rejected([InputError("state", "not_draft", "Kun en kladde kan ændres; "
                                       f"ansøgningen er {STATES[app.state].lower()}")])
        errors: list[InputError] = []
        fields = _fields({**_as_data(app), **data}, errors)
        if errors:
            raise Rejected(errors)
        for k, v in fields.items():
            setattr(app, k, v)
        app.version += 1
        app.save()
        _event(app, actor, "edited", "draft", "draft")
    return app


def application_values(app: Application) -> dict[str, Any]:
    """The editable fields of an application (the form's initial values)."""
    return {**_as_data(app), "network": app.network}


def _as_data(app: Application) -> dict[str, Any]:
    return {"title": app.title, "purpose": app.purpose,
            "expected_results": app.expected_results, "period_from": app.period_from,
            "period_to": app.period_to, "targets": app.targets}


def submit(actor: Actor, app_id: str, expected_version: int, *,
           today: dt.date | None = None) -> Application:
    """Send to the ministry, within the round's opening and deadline (a notice follows)."""
    day = today or timezone.localdate()
    with transaction.atomic():
        app = _locked(app_id, expected_version)
        if not may_edit_application(actor, app.municipality):
            raise _forbidden("Kun kommunens egne redaktører kan indsende dens ansøgninger")
        if app.state != "draft":
            raise Rejected([InputError("state", "not_draft", "Ansøgningen er allerede "
                                       "indsendt")])
        rnd = app.round
        if day > rnd.deadline:
            raise Rejected([InputError("deadline", "deadline_passed",
                                       f"Fristen for runden {rnd.title} var "
                                       f"{rnd.deadline.isoformat()}")])
        if day < rnd.opens_on:
            raise Rejected([InputError("deadline", "not_open",
                                       f"Runden {rnd.title} åbner {rnd.opens_on.isoformat()}")])
        app.state, app.submitted_at = "submitted", timezone.now()
        app.version += 1
        app.save()
        _event(app, actor, "submitted", "draft", "submitted", notify="ministry")
    return app


def withdraw(actor: Actor, app_id: str, expected_version: int) -> Application:
    with transaction.atomic():
        app = _locked(app_id, expected_version)
        if not may_edit_application(actor, app.municipality):
            raise _forbidden("Kun kommunens egne redaktører kan trække dens ansøgninger "
                             "tilbage")
        if app.state in DECIDED or app.state == "withdrawn":
            raise Rejected([InputError("state", "decided", "Ansøgningen er afgjort og kan "
                                       "ikke trækkes tilbage")])
        before = app.state
        app.state = "withdrawn"
        app.version += 1
        app.save()
        _event(app, actor, "withdrawn", before, "withdrawn",
               notify="ministry" if before == "submitted" else "")
    return app


# --------------------------------------------------------------------------- the answer


def decide(actor: Actor, app_id: str, expected_version: int, data: dict[str, Any]) -> Application:
    """The ministry's answer. ``approved``: the citations approved (all, some or none);
    ``reasons`` are required for a refusal and a partial approval; an approval needs its
    ``legal_basis`` (bekendtgørelse or law) and becomes an exemption in the register for
    the approved period (``from``/``to``, default the period applied for)."""
    if not may_decide_application(actor):
        raise _forbidden("Kun ministeriet afgør ansøgninger")
    errors: list[InputError] = []
    with transaction.atomic():
        app = _locked(app_id, expected_version)
        if app.state != "submitted":
            raise Rejected([InputError("state", "not_submitted",
                                       "Kun en indsendt ansøgning kan afgøres; ansøgningen er "
                                       f"{STATES[app.state].lower()}")])
        asked = {t["citation"]: t for t in app.targets}
        approved_raw = data.get("approved")
        if not isinstance(approved_raw, list):
            errors.append(InputError("approved", "invalid", "Angiv listen af godkendte "
                                     "bestemmelser (tom ved afslag)"))
            approved_raw = []
        approved: list[str] = []
        for i, c in enumerate(approved_raw):
            try:
                p = parse_citation(str(c))
            except CitationError as e:
                errors.append(InputError(f"approved[{i}]", "unknown_provision", str(e)))
                continue
            cit = f"{p.act} {p.ref}".strip()
            if cit not in asked:
                errors.append(InputError(f"approved[{i}]", "not_applied_for",
                                         f"Der er ikke søgt om fritagelse fra {cit}"))
            elif cit not in approved:
                approved.append(cit)
        state = "refused" if not approved else (
            "approved" if len(approved) == len(asked) else "partly_approved")
        reasons = str(data.get("reasons") or "").strip()
        if state != "approved" and not reasons:
            errors.append(InputError("reasons", "required", "Et afslag eller en delvis "
                                     "godkendelse skal begrundes"))
        legal_basis = str(data.get("legal_basis") or "").strip()
        if approved and not legal_basis:
            errors.append(InputError("legal_basis", "required", "Angiv hjemlen for "
                                     "godkendelsen (bekendtgørelse eller lov)"))
        start = _date(data, "from", errors, required=False) or app.period_from
        end = _date(data, "to", errors, required=False) or app.period_to
        if end <= start:
            errors.append(InputError("to", "invalid", "Perioden skal slutte efter den begynder"))
        approved_on = _date(data, "approved_on", errors, required=False) or timezone.localdate()
        if errors:
            raise Rejected(errors)
        exemption_ids: list[str] = []
        if approved:
            exemption_ids = _register_exemptions(app, approved, asked, start, end, approved_on,
                                                 legal_basis)
        app.state, app.decided_at, app.decided_by = state, timezone.now(), actor.username
        app.approved, app.reasons, app.legal_basis = approved, reasons, legal_basis
        app.sector_ministry = str(data.get("sector_ministry") or "")[:200]
        app.exemption = ",".join(exemption_ids)[:64]
        app.version += 1
        app.save()
        _event(app, actor, "decided", "submitted", state, notify="municipality",
               note=reasons)
    return app


def _register_exemptions(app: Application, approved: list[str],
                         asked: dict[str, dict[str, str]], start: dt.date, end: dt.date,
                         approved_on: dt.date, legal_basis: str) -> list[str]:
    """One exemption per municipality the approval reaches (the applicant, or every
    municipality of its network), loaded atomically into the register."""
    from frisat.registry.loader import load

    munis = (networks.records().network(app.network).municipalities
             if app.network is not None else (app.municipality,))
    regime = app.round.regime
    targets = [{"citation": c, "extent": asked[c]["extent"],
                **({"note": asked[c]["note"]} if asked[c].get("note") else {})}
               for c in approved]
    docs = [{"id": f"{app.id}-{m}" if len(munis) > 1 else app.id, "regime": regime,
             "municipality": m, "area": app.area, "targets": targets,
             "from": start.isoformat(), "to": end.isoformat(),
             "approved_on": approved_on.isoformat(), "legal_basis": legal_basis}
            for m in munis]
    try:
        load({"format": "frisat-bundle/1", "exemptions": docs}, source="ansøgning")
    except Rejected as e:
        raise Rejected([InputError(f"register.{x.path}", x.code, x.message)
                        for x in e.errors]) from None
    return [str(d["id"]) for d in docs]


# --------------------------------------------------------------------------- reading


def visible(actor: Actor) -> Any:
    """The applications the actor may see: every submitted or decided one, and the drafts
    of its own municipality (the ministry sees all)."""
    from django.db.models import Q

    qs = Application.objects.select_related("round")
    if actor.is_ministry:
        return qs
    public = ~Q(state__in=("draft", "withdrawn"))
    if actor.role in ("municipal_editor", "municipal_viewer") and actor.municipality:
        return qs.filter(public | Q(municipality=actor.municipality))
    return qs.filter(public)


def get(actor: Actor, app_id: str) -> Application:
    app = Application.objects.select_related("round").filter(id=app_id).first()
    if app is None or not may_read_application(actor, app.municipality, app.state):
        raise Rejected([InputError("application", "not_found", f"Ukendt ansøgning: {app_id}")])
    return app


def notices(actor: Actor) -> Any:
    """Unread notices for the actor: submissions for the ministry; answers for the
    applicant municipality."""
    qs = Event.objects.select_related("application").filter(read_at__isnull=True)
    if actor.is_ministry:
        return qs.filter(notify="ministry")
    if actor.municipality:
        return qs.filter(notify="municipality", application__municipality=actor.municipality)
    return qs.none()
