"""The decision lifecycle: draft → adopted → published, and bundle loads by users.

Every write goes through here, so that forms, API and commands share one set of permission
checks, one audit trail and the register's own validation (``registry.loader``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from frisat.accounts.permissions import Actor, actor_for, may_write_decision, refusals
from frisat.engine import model as m
from frisat.registry import bundle, store
from frisat.registry import models as db
from frisat.registry import snapshot as register_snapshot
from frisat.registry.bundle import read_bundle_with_paths
from frisat.registry.checks import Problem, check_decision
from frisat.registry.errors import InputError, Rejected
from frisat.registry.loader import LoadResult, Provenance, load_records, other_sections
from frisat.registry.locking import retry_when_busy, serialize_writes
from frisat.registry.publication import evidence_problems
from frisat.workflow.models import AuditEntry, Draft, Notice


class Forbidden(Exception):
    """The user may not do this (HTTP 403)."""

    code = "forbidden"


class Conflict(Rejected):
    """Someone else saved the draft first (optimistic locking)."""


def audit(actor: Actor, action: str, record: str, before: Any = None, after: Any = None) -> None:
    AuditEntry.objects.create(at=timezone.now(), username=actor.username or "(anonym)",
                              action=action, record=record, before=before, after=after)


def _strip(errors: list[InputError]) -> list[InputError]:
    """Paths relative to the decision: ``decisions[0].effective_from`` → ``effective_from``."""
    return [InputError(e.path.removeprefix("decisions[0]").lstrip(".") or "decision", e.code,
                       e.message, e.severity) for e in errors]


def read_decision(data: dict[str, Any]) -> m.Decision:
    """Read one decision from a draft's fields (the same field checks as in a bundle, no
    bundle); Rejected with field paths on bad input."""
    return bundle.read_decision(data, timezone.now())


def _check_rights(actor: Actor, incoming: m.World, existing: m.World,
                  when: dt.datetime) -> None:
    """Every record against who holds it in the register now (``accounts.permissions``)."""
    refused = refusals(actor, incoming, existing, when)
    if refused:
        raise Forbidden("; ".join(f"{what}: {why}" for what, why in refused))


def _guard(actor: Actor, decision: m.Decision) -> None:
    if not may_write_decision(actor, decision):
        raise Forbidden(f"{actor.username or 'Anonym'} må ikke skrive beslutning {decision.id} "
                        f"for kommune {decision.municipality}")


def problems(decision: m.Decision) -> list[Problem]:
    """The SEMANTICS §4 checks against the register as it stands now (the shared snapshot:
    a draft save does not re-read the whole register)."""
    world = register_snapshot.snapshot(timezone.now()).world
    if not decision.area:
        areas = world.covered_areas(decision.regime, decision.municipality)
        if len(areas) == 1:
            decision = replace(decision, area=areas[0])
    return check_decision(world, decision)


@retry_when_busy
@transaction.atomic
def save_draft(user: Any, data: dict[str, Any],
               expected_version: int | None = None) -> tuple[Draft, list[Problem]]:
    """Create a draft (expected_version None) or change one at the version the editor saw."""
    actor = actor_for(user)
    decision = read_decision(data)
    _guard(actor, decision)
    if db.Decision.objects.filter(pk=decision.id).exists():
        raise Rejected([InputError("id", "immutable",
                                   f"Beslutning {decision.id} er offentliggjort og kan ikke "
                                   "ændres; en rettelse er en ny beslutning, der ophæver den")])
    if expected_version is None:
        if Draft.objects.filter(pk=decision.id).exists():
            raise Rejected([InputError("id", "conflict",
                                       f"Der findes allerede en kladde med id {decision.id}")])
        draft = Draft.objects.create(id=decision.id, municipality=decision.municipality,
                                     data=data, created_by=user, updated_by=user)
        audit(actor, "draft.create", f"decision:{decision.id}", None, data)
        return draft, problems(decision)
    current = Draft.objects.select_for_update().filter(pk=decision.id).first()
    if current is None:
        raise Rejected([InputError("id", "not_found", f"Ingen kladde med id {decision.id}")])
    _guard(actor, read_decision(current.data))  # may not take over another's draft either
    if current.state != "draft":
        raise Rejected([InputError("state", "immutable",
                                   f"Kladden {decision.id} er {current.state} og kan ikke "
                                   "ændres")])
    changed = Draft.objects.filter(pk=decision.id, version=expected_version).update(
        data=data, version=F("version") + 1, updated_by=user, updated_at=timezone.now())
    if not changed:
        raise Conflict([InputError("version", "conflict",
                                   f"Kladden {decision.id} er ændret af en anden "
                                   f"(version {current.version}, du redigerede version "
                                   f"{expected_version}). Hent den nye version og ret igen.")])
    audit(actor, "draft.update", f"decision:{decision.id}", current.data, data)
    draft = Draft.objects.get(pk=decision.id)
    return draft, problems(decision)


def next_decision_id(municipality: int, year: int) -> str:
    """The next free decision id of a municipality and year: ``217-2026-004`` (code, year,
    running number of at least three digits), after every draft and register decision
    numbered so. Call inside the transaction that creates the draft, after
    ``serialize_writes``, so that no other writer can take the same number in between."""
    prefix = f"{municipality}-{year}-"
    ids = [*Draft.objects.filter(id__startswith=prefix).values_list("id", flat=True),
           *db.Decision.objects.filter(id__startswith=prefix).values_list("id", flat=True)]
    numbers = [int(x[len(prefix):]) for x in ids
               if x[len(prefix):].isascii() and x[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@retry_when_busy
@transaction.atomic
def create_draft(user: Any, data: dict[str, Any]) -> tuple[Draft, list[Problem]]:
    """A new draft under the next free id of its municipality and this year (Danish time);
    ``data["municipality"]`` must be a municipality code. Writers take turns (the writers'
    lock: SQLite's immediate transaction, PostgreSQL's advisory lock), so two drafts made
    at once never get the same id."""
    serialize_writes()
    municipality = int(data["municipality"])
    decision_id = next_decision_id(municipality, timezone.localdate().year)
    return save_draft(user, {**data, "id": decision_id, "municipality": municipality})


def _locked(user: Any, decision_id: str, expected_version: int, state: str) -> Draft:
    actor = actor_for(user)
    draft = Draft.objects.select_for_update().filter(pk=decision_id).first()
    if draft is None:
        raise Rejected([InputError("id", "not_found", f"Ingen kladde med id {decision_id}")])
    _guard(actor, read_decision(draft.data))
    if draft.version != expected_version:
        raise Conflict([InputError("version", "conflict",
                                   f"Kladden {decision_id} er ændret af en anden (version "
                                   f"{draft.version}, du så version {expected_version})")])
    if draft.state != state:
        raise Rejected([InputError("state", "invalid",
                                   f"Kladden {decision_id} er {draft.state}, ikke {state}")])
    return draft


@retry_when_busy
@transaction.atomic
def adopt(user: Any, decision_id: str, expected_version: int, *, body: str, name: str = "",
          decided_on: dt.date, institution: str | None = None) -> Draft:
    """Record that the competent body adopted the draft in a meeting. Refused while the
    checks (SEMANTICS §4) report an error for the adopted decision: the page disables
    "Vedtag" for the same reason."""
    draft = _locked(user, decision_id, expected_version, "draft")
    data = dict(draft.data)
    data["decided_by"] = {"body": body, "name": name,
                          **({"institution": institution} if institution else {})}
    data["decided_on"] = decided_on.isoformat()
    decision = read_decision(data)
    _guard(actor_for(user), decision)
    # a draft whose checks report errors is not adopted, whichever way the adoption comes
    errors = [p for p in problems(decision) if p.severity == "error"]
    if errors:
        raise Rejected([InputError(p.field, p.code, p.message) for p in errors])
    before = draft.data
    Draft.objects.filter(pk=decision_id).update(data=data, state="adopted",
                                                version=F("version") + 1, updated_by=user,
                                                updated_at=timezone.now())
    audit(actor_for(user), "draft.adopt", f"decision:{decision_id}", before, data)
    return Draft.objects.get(pk=decision_id)


@retry_when_busy
@transaction.atomic
def reopen(user: Any, decision_id: str, expected_version: int, *, reason: str) -> Draft:
    """Take an adopted draft back to draft (the adoption was recorded wrongly, or the body
    must decide again). Only before publication; the reason goes to the audit trail."""
    reason = reason.strip()
    if not reason:
        raise Rejected([InputError("reason", "missing",
                                   "Angiv hvorfor vedtagelsen tages tilbage")])
    draft = _locked(user, decision_id, expected_version, "adopted")
    Draft.objects.filter(pk=decision_id).update(state="draft", version=F("version") + 1,
                                                updated_by=user, updated_at=timezone.now())
    audit(actor_for(user), "draft.reopen", f"decision:{decision_id}",
          {"state": "adopted", "data": draft.data}, {"state": "draft", "reason": reason})
    return Draft.objects.get(pk=decision_id)


@retry_when_busy
@transaction.atomic
def publish(user: Any, decision_id: str, expected_version: int, *,
            published_on: dt.date, publication_url: str | None = None) -> LoadResult:
    """Publish in the § 6 overview: the decision enters the register, immutable from now.

    Runs every check of SEMANTICS §4 through the loader; on any error nothing changes. A
    publication date before today needs the publication's address (``publication_url``,
    stored as the decision's ``source_url``); one after today is refused by the loader."""
    draft = _locked(user, decision_id, expected_version, "adopted")
    data = dict(draft.data)
    data["published_on"] = published_on.isoformat()
    data["published"] = True
    if publication_url and publication_url.strip():
        data["source_url"] = publication_url.strip()
    when = store.now()
    try:
        incoming = m.World(decisions=(bundle.read_decision(data, when),))
        evidence = evidence_problems(replace(incoming.decisions[0], recorded_at=when),
                                     "decisions[0]")
        if evidence:
            raise Rejected(evidence)
        existing = store.read_world()
        _check_rights(actor_for(user), incoming, existing, when)
        result = load_records(incoming, Provenance(user.get_username(), "form",
                                                   f"publication of {decision_id}"),
                              now=when, existing=existing)
    except Rejected as e:
        raise Rejected(_strip(e.errors), _strip(e.warnings)) from None
    Draft.objects.filter(pk=decision_id).update(data=data, state="published",
                                                version=F("version") + 1, updated_by=user,
                                                updated_at=timezone.now())
    Notice.objects.create(decision=decision_id, municipality=draft.municipality,
                          created_at=timezone.now())
    audit(actor_for(user), "decision.publish", f"decision:{decision_id}", draft.data, data)
    return result


@retry_when_busy
@transaction.atomic
def mark_notice_read(user: Any, notice_id: int, comment: str = "") -> Notice:
    actor = actor_for(user)
    if not actor.is_ministry:
        raise Forbidden("Kun ministeriet behandler meddelelser")
    notice = Notice.objects.select_for_update().get(pk=notice_id)
    before = {"read_at": notice.read_at and notice.read_at.isoformat(), "comment": notice.comment}
    Notice.objects.filter(pk=notice_id).update(read_at=timezone.now(), read_by=user,
                                               comment=comment)
    audit(actor, "notice.read", f"notice:{notice_id}", before, {"comment": comment})
    return Notice.objects.get(pk=notice_id)


def _role(user: Any) -> Actor:
    actor = actor_for(user)
    if actor.role is None:
        raise Forbidden("Brugeren har ingen rolle i frisat")
    return actor


@retry_when_busy
def load_as(user: Any, doc: Any, source: str = "api") -> LoadResult:
    """Load a bundle with the user's rights: a municipality's editor only its own records.

    The document is read (and every limit of ``registry.validate`` applied) before any
    permission is weighed; the rights are then judged against the register as it stands
    inside the load's own transaction, so that what is checked is what is written over."""
    actor = _role(user)
    when = store.now()
    incoming, paths = read_bundle_with_paths(doc, when, name=source)
    from frisat.followup.lessons import refusals as lesson_refusals

    lessons_refused = lesson_refusals(actor, doc)
    if lessons_refused:
        raise Forbidden("; ".join(f"{what}: {why}" for what, why in lessons_refused))
    return _write(actor, incoming, paths, when, source=source,
                  how="api" if source == "api" else "form", sections=other_sections(doc))


@retry_when_busy
def record_as(user: Any, section: str, data: dict[str, Any],
              source: str = "formular") -> LoadResult:
    """Store one record a staff form made (a delegation, a repeal, a kept rule set) with
    the user's rights, through the one write path: read by its declaration, no bundle
    around it. Errors name the record's fields (``decided_on``)."""
    actor = _role(user)
    when = store.now()
    record = bundle.read_one(section, data, when)
    incoming = m.World().with_(**{section: (record,)})
    return _write(actor, incoming, {id(record): f"{section}[0]"}, when,
                  source=source, how="form")


def _write(actor: Actor, incoming: m.World, paths: dict[int, str], when: dt.datetime, *,
           source: str, how: str, sections: dict[str, Any] | None = None) -> LoadResult:
    """Records read from a bundle, the API or a form, with the actor's rights judged against
    the register inside the write's own transaction; audited, and every newly published
    decision reaches the ministry."""
    with transaction.atomic():
        existing = store.read_world()
        _check_rights(actor, incoming, existing, when)
        evidence = [e for i, d in enumerate(incoming.decisions)
                    for e in evidence_problems(replace(d, recorded_at=d.recorded_at or when),
                                               paths.get(id(d), f"decisions[{i}]"))]
        if evidence:
            raise Rejected(evidence)
        known = {d.id for d in existing.decisions}
        result = load_records(incoming, Provenance(actor.username or "", how, source),
                              now=when, paths=paths, existing=existing, sections=sections)
        if result.added:
            audit(actor, "bundle.load", source, None, result.added)
        for d in incoming.decisions:  # every newly published decision reaches the ministry
            if d.id not in known and d.published:
                Notice.objects.create(decision=d.id, municipality=d.municipality,
                                      created_at=timezone.now())
    return result


def problem_json(p: Problem) -> dict[str, str]:
    return asdict(p)
