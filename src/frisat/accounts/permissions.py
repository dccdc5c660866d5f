"""The permission rules, in one place: every write path (forms, API, bundles) asks here.

- ministry: national; maintains acts, regimes, coverage; may write anything.
- municipal_editor: writes only its own municipality's records.
- municipal_viewer: reads its municipality's drafts; never writes.
- institution_leader: drafts decisions only for its own institution, where the council has
  delegated to institutions.
- anonymous: reads what is published; never writes.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def actor_for(user: Any) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    profile = getattr(user, "frisat_profile", None)
    if profile is None:
        return Actor(user.get_username(), None)
    return Actor(user.get_username(), profile.role, profile.municipality, profile.institution)


def may_read_drafts(actor: Actor, municipality: int) -> bool:
    return actor.is_ministry or (
        actor.role in ("municipal_editor", "municipal_viewer", "institution_leader")
        and actor.municipality == municipality)


def may_write_decision(actor: Actor, decision: m.Decision) -> bool:
    """Create, change, adopt or publish this decision."""
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


def refusals(actor: Actor, bundle: m.World,
             owners: Mapping[str, int | None]) -> list[tuple[str, str]]:
    """(what, why) for every record of a bundle the actor may not write; empty: allowed.

    ``owners`` maps act keys to their owning municipality (None for state acts)."""
    if actor.is_ministry:
        return []
    if actor.role not in ("municipal_editor", "institution_leader"):
        return [("bundle", "Rollen må ikke skrive i registret")]
    out: list[tuple[str, str]] = []
    own = actor.municipality
    national = {"municipalities": bundle.municipalities, "areas": bundle.areas,
                "regimes": bundle.regimes, "coverage": bundle.coverage,
                "exemptions": bundle.exemptions}
    for section, items in national.items():
        if items:
            out.append((section, "Kun ministeriet vedligeholder dette afsnit"))
    for a in bundle.acts:
        if a.level != "municipal" or a.municipality != own or actor.role != "municipal_editor":
            out.append((f"acts.{a.key}", "Kun kommunens egne regelsæt"))
    for d in bundle.decisions:
        if not may_write_decision(actor, d):
            out.append((f"decisions.{d.id}", "Beslutningen hører ikke under brugerens ansvar"))
    if actor.role == "institution_leader":
        others = {"delegations": bundle.delegations, "repeals": bundle.repeals,
                  "kept": bundle.kept, "institutions": bundle.institutions}
        for section, items in others.items():
            if items:
                out.append((section, "En institutionsleder kan kun registrere beslutninger"))
        return out
    for dg in bundle.delegations:
        if dg.municipality != own:
            out.append(("delegations", f"Delegation i kommune {dg.municipality}"))
    for rp in bundle.repeals:
        if owners.get(rp.act) != own:
            out.append((f"repeals.{rp.act}", "Kun kommunens egne regelsæt kan ophæves"))
    for k in bundle.kept:
        if k.municipality != own:
            out.append(("kept", f"Regelsæt i kommune {k.municipality}"))
    for ms in bundle.memberships:
        if ms.municipality != own:
            out.append((f"institutions.{ms.institution}",
                        f"Institution i kommune {ms.municipality}"))
    return out
