"""The permission rules, in one place: every write path (forms, API, bundles) asks here.

Pure functions over engine records — no database — so that the whole matrix of roles ×
sections × whose record is tested in milliseconds (tests/security/test_permission_matrix.py)
and ``docs/security.md`` can print it as a table.

- ministry: national; maintains acts, regimes, coverage, exemptions; may write anything.
- municipal_editor: writes only records its municipality holds *now* — judged by the
  register, not by what the bundle claims: an institution's memberships only while the
  municipality holds the institution (or for a new institution in the municipality); a
  rule set's repeal, keeping, provisions and versions only for the municipality's own
  municipal acts; a decision only under its own code, never one whose id another
  municipality has, and revoking only its own decisions.
- municipal_viewer: reads its municipality's drafts; never writes.
- institution_leader: decisions only for its own institution, decided by the institution
  and scoped to it (the council must have delegated to institutions: a check of
  ``registry.checks``); revokes only such decisions; nothing else.
- anonymous, or a user without a role: reads what is published; never writes.
- Only the ministry loads records with their own record time (``recorded_at``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from frisat.engine import model as m


@dataclass(frozen=True)
class Actor:
    username: str
    role: str | None  # None: anonymous or a user without a profile
    municipality: int | None = None
    institution: str | None = None

    @property
    def is_ministry(self) -> bool:
        return self.role == "ministry"


ANONYMOUS = Actor("", None)
MUNICIPAL_ROLES = ("municipal_editor", "municipal_viewer", "institution_leader")


def actor_for(user: Any) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    profile = getattr(user, "frisat_profile", None)
    if profile is None:
        return Actor(user.get_username(), None)
    return Actor(user.get_username(), profile.role, profile.municipality, profile.institution)


def may_read_drafts(actor: Actor, municipality: int) -> bool:
    return actor.is_ministry or (actor.role in MUNICIPAL_ROLES
                                 and actor.municipality == municipality)


# The staff pages under /forvaltning/ and who may open them. A user without a role is
# logged in but has no business there.
STAFF_PAGES: dict[str, frozenset[str]] = {
    "dashboard": frozenset({"ministry", *MUNICIPAL_ROLES}),
    "picker": frozenset({"ministry", *MUNICIPAL_ROLES}),
    "draft": frozenset({"ministry", "municipal_editor", "municipal_viewer",
                        "institution_leader"}),
    "rules": frozenset({"ministry", "municipal_editor", "municipal_viewer"}),
    "inbox": frozenset({"ministry"}),
    "regimes": frozenset({"ministry"}),
    "decisions": frozenset({"ministry"}),
    "audit": frozenset({"ministry"}),
}


def may_open(actor: Actor, page: str) -> bool:
    return actor.role is not None and actor.role in STAFF_PAGES[page]


def may_write_decision(actor: Actor, decision: m.Decision) -> bool:
    """Create, change, adopt or publish this decision (its own content only; ``refusals``
    also weighs what the register already holds under its id and what it revokes)."""
    if actor.is_ministry:
        return True
    if actor.role == "municipal_editor":
        return actor.municipality == decision.municipality
    if actor.role == "institution_leader":
        own = actor.institution
        return (actor.municipality == decision.municipality and own is not None
                and decision.decided_by.body == "institution"
                and decision.decided_by.institution == own
                and decision.scope.institutions == (own,))
    return False


Refusal = tuple[str, str]  # (which record, why) — Danish, for people


class _Holders:
    """Who holds what in the register as it stands: the latest record per key."""

    def __init__(self, register: m.World, bundle: m.World):
        self.acts = {a.key: a for a in _latest(register.acts, lambda a: a.key)}
        self.new_acts = {a.key: a for a in bundle.acts}
        self.decisions = {d.id: d for d in _latest(register.decisions, lambda d: d.id)}
        self.new_decisions = {d.id: d for d in bundle.decisions}
        self.memberships: dict[str, list[m.Membership]] = defaultdict(list)
        for ms in _latest(register.memberships, lambda x: (x.institution, x.valid_from)):
            self.memberships[ms.institution].append(ms)
        self.institutions = {i.id for i in register.institutions}
        self.new_memberships: dict[str, list[m.Membership]] = defaultdict(list)
        for ms in bundle.memberships:
            self.new_memberships[ms.institution].append(ms)

    def act_owner(self, key: str) -> tuple[str, int | None] | None:
        """(level, owning municipality) — the register's word first, then the bundle's."""
        a = self.acts.get(key) or self.new_acts.get(key)
        return None if a is None else (a.level, a.municipality)

    def institution_holder(self, ident: str) -> int | None:
        """The municipality of the institution's latest membership: the register's word if
        it knows the institution, else the bundle's (for a new institution)."""
        rows = self.memberships.get(ident) or self.new_memberships.get(ident)
        if not rows:
            return None
        return max(rows, key=lambda x: x.valid_from or dt.date.min).municipality

    def decision(self, ident: str) -> m.Decision | None:
        return self.decisions.get(ident) or self.new_decisions.get(ident)


def _latest(items: Iterable[Any], key: Any) -> list[Any]:
    best: dict[Any, Any] = {}
    for x in items:
        k = key(x)
        if k not in best or best[k].recorded_at <= x.recorded_at:
            best[k] = x
    return list(best.values())


def _overlaps(a: m.Membership, b: m.Membership) -> bool:
    lo = max(a.valid_from or dt.date.min, b.valid_from or dt.date.min)
    hi = min(a.valid_to or dt.date.max, b.valid_to or dt.date.max)
    return lo < hi or a.valid_from == b.valid_from


def refusals(actor: Actor, bundle: m.World, register: m.World,
             now: dt.datetime) -> list[Refusal]:
    """(what, why) for every record of a bundle the actor may not write; empty: allowed.

    ``register`` is the register before the load (its full history); ``now`` the load time,
    which every record read without its own ``recorded_at`` carries. Each rule is stated
    once, per section, so that a change to any of them changes the permission matrix."""
    if actor.is_ministry:
        return []
    own = actor.municipality
    editor = actor.role == "municipal_editor"
    h = _Holders(register, bundle)
    out: list[Refusal] = []

    for section in NATIONAL_SECTIONS:
        if getattr(bundle, section):
            out.append((section, "Kun ministeriet vedligeholder dette afsnit"))

    def own_act(key: str) -> bool:
        return editor and h.act_owner(key) == ("municipal", own)

    for a in bundle.acts:
        if not own_act(a.key):
            out.append((f"acts.{a.key}", "Kun kommunens egne regelsæt"))
    for p in bundle.provisions:
        if not own_act(p.act):
            out.append((f"acts.{p.act}", f"Bestemmelse {p.citation}: kun i kommunens egne "
                                         "regelsæt"))
    for v in bundle.versions:
        if not own_act(v.act):
            out.append((f"acts.{v.act}", f"Version af {v.act} {v.ref}".rstrip()
                        + ": kun i kommunens egne regelsæt"))

    for d in bundle.decisions:
        out += _decision_refusals(actor, d, h)

    for inst in bundle.institutions:
        holder = h.institution_holder(inst.id)
        if not editor or holder != own:
            out.append((f"institutions.{inst.id}",
                        f"Institutionen hører til kommune {holder}" if holder else
                        "En ny institution skal have et tilhørsforhold til kommunen"))
    for ms in bundle.memberships:
        out += _membership_refusals(actor, ms, h)

    for dg in bundle.delegations:
        if not editor or dg.municipality != own:
            out.append(("delegations", f"Delegation i kommune {dg.municipality}"))
        elif dg.institution and h.institution_holder(dg.institution) != own:
            out.append(("delegations", f"Institutionen {dg.institution} hører ikke til "
                                       f"kommune {own}"))
    for rp in bundle.repeals:
        if not own_act(rp.act):
            out.append((f"repeals.{rp.act}", "Kun kommunens egne regelsæt kan ophæves"))
    for k in bundle.kept:
        if k.municipality != own or not own_act(k.act):
            out.append((f"kept.{k.act}", "Kun kommunens egne regelsæt kan bevares"))

    for section in m.World.SECTIONS:  # a section without a rule above is the ministry's
        if section not in RULED_SECTIONS and getattr(bundle, section):
            out.append((section, "Kun ministeriet kan skrive dette afsnit"))
    if any(getattr(x, "recorded_at", now) != now for x in bundle.records()):
        # record time is the register's own clock; only the ministry loads history
        out.append(("recorded_at", "Kun ministeriet kan indlæse historik med egne "
                                   "registreringstidspunkter"))
    return out


NATIONAL_SECTIONS = ("municipalities", "areas", "regimes", "coverage", "exemptions")
RULED_SECTIONS = frozenset({*NATIONAL_SECTIONS, "acts", "provisions", "versions", "decisions",
                           "institutions", "memberships", "delegations", "repeals", "kept"})


def _decision_refusals(actor: Actor, d: m.Decision, h: _Holders) -> list[Refusal]:
    where = f"decisions.{d.id}"
    if not may_write_decision(actor, d):
        return [(where, "Beslutningen hører ikke under brugerens ansvar")]
    stored = h.decisions.get(d.id)
    if stored is not None and not may_write_decision(actor, stored):
        return [(where, f"Id'et {d.id} tilhører en beslutning i kommune "
                        f"{stored.municipality}")]
    out = []
    for rid in d.revokes:
        target = h.decision(rid)
        if target is not None and not may_write_decision(actor, target):
            out.append((where, f"Beslutningen {rid} hører ikke under brugerens ansvar og kan "
                               "ikke ophæves af den"))
    return out


def _membership_refusals(actor: Actor, ms: m.Membership, h: _Holders) -> list[Refusal]:
    where = f"institutions.{ms.institution}"
    own = actor.municipality
    if actor.role != "municipal_editor" or ms.municipality != own:
        return [(where, f"Institution i kommune {ms.municipality}")]
    stored = h.memberships.get(ms.institution)
    if not stored:
        if ms.institution in h.institutions:
            return [(where, "Institutionen findes uden tilhørsforhold; kun ministeriet kan "
                            "give den et")]
        return []  # a new institution, in the editor's own municipality
    holder = h.institution_holder(ms.institution)
    if holder != own:
        return [(where, f"Institutionen hører til kommune {holder}; kun den kommune (eller "
                        "ministeriet) kan ændre dens tilhørsforhold")]
    foreign = sorted({x.municipality for x in stored
                      if _overlaps(x, ms) and x.municipality != own})
    if foreign:
        return [(where, "Institutionen hørte til kommune "
                        f"{', '.join(map(str, foreign))} i perioden")]
    return []


# --------------------------------------------------------------------------- applications
# Frikommune applications (frisat.nextround): a municipality drafts and submits its own;
# only the ministry decides. Drafts are seen only by the municipality itself and the
# ministry; once submitted an application and the ministry's answer are public.


def may_edit_application(actor: Actor, municipality: int) -> bool:
    """Draft, edit, submit or withdraw an application of the municipality."""
    return actor.role == "municipal_editor" and actor.municipality == municipality


def may_read_application(actor: Actor, municipality: int, state: str) -> bool:
    if state not in ("draft", "withdrawn"):
        return True
    return actor.is_ministry or (actor.role in ("municipal_editor", "municipal_viewer")
                                 and actor.municipality == municipality)


def may_decide_application(actor: Actor) -> bool:
    """Approve wholly or partly, or refuse: the ministry only."""
    return actor.is_ministry


def may_manage_rounds(actor: Actor) -> bool:
    return actor.is_ministry
