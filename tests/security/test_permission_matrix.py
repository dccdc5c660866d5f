"""The permission matrix, without the database: every role × every section × whose record.

One table (``EXPECTED``) says, for each section of the register and each kind of record in
it (the actor's own municipality's, another municipality's, the leader's own institution's,
and the edge cases that matter), which roles may write it. The records are made up
(municipalities 901 and 902, names with "eksempel") and the rules are asked directly
(``accounts.permissions``), so the whole matrix runs in milliseconds.

The table must name every section the register has (``World.SECTIONS``), the draft rule and
every staff page: a new section cannot be added without deciding who may write it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from frisat.accounts import permissions as perm
from frisat.engine import model as m

NOW = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)
EARLIER = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
OWN, OTHER = 901, 902
LEADER_INST = "eksempel-901-boernehus"  # the institution leader's own institution (OWN)
OWN_INST = "eksempel-901-vuggestue"  # another institution of OWN
OTHER_INST = "eksempel-902-boernehus"
MOVED = "eksempel-flyttet"  # OWN's until 2020, OTHER's since
CAME = "eksempel-overtaget"  # OTHER's until 2020, OWN's since
OWN_ACT, OTHER_ACT, STATE_ACT = "eksempel-901-retningslinjer", "eksempel-902-retningslinjer", \
    "eksempelloven"
REGIME = "eksempel-ordning"

ROLES = ("ministry", "municipal_editor", "municipal_viewer", "institution_leader",
         "anonymous", "no_role")
ACTORS = {
    "ministry": perm.Actor("min", "ministry"),
    "municipal_editor": perm.Actor("red", "municipal_editor", OWN),
    "municipal_viewer": perm.Actor("laes", "municipal_viewer", OWN),
    "institution_leader": perm.Actor("leder", "institution_leader", OWN, LEADER_INST),
    "anonymous": perm.ANONYMOUS,
    "no_role": perm.Actor("ingen", None),
}
M, E, V, L = "ministry", "municipal_editor", "municipal_viewer", "institution_leader"


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def membership(inst: str, code: int, start: str | None = "2000-01-01",
               end: str | None = None) -> m.Membership:
    return m.Membership(inst, code, "dagtilbud", "daginstitution",
                        d(start) if start else None, d(end) if end else None,
                        recorded_at=EARLIER)


def act(key: str, code: int | None) -> m.Act:
    return m.Act(key, "municipal" if code else "state", f"Eksempel {key}", ("dagtilbud",),
                 d("2019-01-01"), code, recorded_at=EARLIER)


def decision(ident: str, code: int = OWN, *, body: str = "council",
             institution: str | None = None, scope: tuple[str, ...] | None = None,
             revokes: tuple[str, ...] = ()) -> m.Decision:
    return m.Decision(
        ident, code, REGIME, "dagtilbud", m.DecidedBy(body, institution=institution),  # type: ignore[arg-type]
        d("2025-06-01"), d("2025-06-02"), d("2025-07-01"), None, m.Scope(institutions=scope),
        (m.Target(STATE_ACT, "§ 1"),), revokes=revokes, example=True, recorded_at=NOW)


REGISTER = m.World(
    municipalities=tuple(m.Municipality(c, f"Eksempelkommune {c}", 1084, "Eksempelregion",
                                        recorded_at=EARLIER) for c in (OWN, OTHER)),
    areas=(m.Area("dagtilbud", "Dagtilbud", recorded_at=EARLIER),),
    institutions=tuple(m.Institution(i, f"Eksempel {i}", example=True, recorded_at=EARLIER)
                       for i in (LEADER_INST, OWN_INST, OTHER_INST, MOVED, CAME)),
    memberships=(membership(LEADER_INST, OWN), membership(OWN_INST, OWN),
                 membership(OTHER_INST, OTHER), membership(MOVED, OWN, end="2020-01-01"),
                 membership(MOVED, OTHER, start="2020-01-01"),
                 membership(CAME, OTHER, end="2020-01-01"),
                 membership(CAME, OWN, start="2020-01-01")),
    acts=(act(OWN_ACT, OWN), act(OTHER_ACT, OTHER), act(STATE_ACT, None)),
    provisions=tuple(m.Provision(a, r, None if not r else "", recorded_at=EARLIER)
                     for a in (OWN_ACT, OTHER_ACT, STATE_ACT) for r in ("", "1")),
    regimes=(m.Regime(REGIME, "Eksempelordning", "velfaerdsaftale", "https://example.org/",
                      "listed", (STATE_ACT,), recorded_at=EARLIER),),
    decisions=(replace(decision("901-2025-001"), recorded_at=EARLIER),
               replace(decision("901-2025-002", body="institution", institution=LEADER_INST,
                                scope=(LEADER_INST,)), recorded_at=EARLIER),
               replace(decision("902-2025-001", OTHER), recorded_at=EARLIER)),
)


def bundle(**sections: tuple[object, ...]) -> m.World:
    return m.World(**sections)  # type: ignore[arg-type]


def fresh(x: object) -> object:
    return replace(x, recorded_at=NOW)  # type: ignore[type-var]


# section -> case -> (the records a bundle carries, the roles that may write them)
EXPECTED: dict[str, dict[str, tuple[m.World, set[str]]]] = {
    "municipalities": {
        "own": (bundle(municipalities=(m.Municipality(OWN, "Ny", 1084, "R", recorded_at=NOW),)),
                {M}),
        "other": (bundle(municipalities=(m.Municipality(OTHER, "Ny", 1084, "R",
                                                        recorded_at=NOW),)), {M}),
    },
    "areas": {"national": (bundle(areas=(m.Area("eksempel-omraade", "Eksempel",
                                                recorded_at=NOW),)), {M})},
    "regimes": {"national": (bundle(regimes=(fresh(REGISTER.regimes[0]),)), {M})},
    "coverage": {
        "own": (bundle(coverage=(m.Coverage(REGIME, OWN, "dagtilbud", d("2021-05-15"), None,
                                            recorded_at=NOW),)), {M}),
        "other": (bundle(coverage=(m.Coverage(REGIME, OTHER, "dagtilbud", d("2021-05-15"),
                                              None, recorded_at=NOW),)), {M}),
    },
    # what the law ties together and what the register knows: the ministry's to record
    "dependencies": {
        "own": (bundle(dependencies=(m.Dependency("eksempel-bek", "", (("eksempelloven", "§ 1"),),
                                                  "eksempel § 3", recorded_at=NOW),)), {M}),
    },
    "completeness": {
        "own": (bundle(completeness=(m.Completeness(OWN, "dagtilbud", None, None, "complete",
                                                    recorded_at=NOW),)), {M}),
        "other": (bundle(completeness=(m.Completeness(OTHER, "dagtilbud", None, None,
                                                      "partial", recorded_at=NOW),)), {M}),
    },
    # where a regime's condition concerns a set-aside: the ministry's, as the regime is
    "condition_scopes": {
        "national": (bundle(condition_scopes=(m.ConditionScope(
            REGIME, "eksempel på en generel hegnspæl", (("eksempelloven", "§ 1"),),
            recorded_at=NOW),)), {M}),
    },
    # the register's own correction of a published decision: not the municipality's to make
    "corrections": {
        "own": (bundle(corrections=(m.Correction("901-2025-001", m.DecidedBy("unknown"),
                                                 reason="eksempel", recorded_at=NOW),)), {M}),
        "other": (bundle(corrections=(m.Correction("902-2025-001", m.DecidedBy("unknown"),
                                                   reason="eksempel", recorded_at=NOW),)),
                  {M}),
    },
    "exemptions": {
        "own": (bundle(exemptions=(m.Exemption("fk-901-1", REGIME, OWN, "dagtilbud", (),
                                               d("2021-01-01"), None, recorded_at=NOW),)), {M}),
        "other": (bundle(exemptions=(m.Exemption("fk-902-1", REGIME, OTHER, "dagtilbud", (),
                                                 d("2021-01-01"), None, recorded_at=NOW),)),
                  {M}),
    },
    "acts": {
        "own": (bundle(acts=(fresh(act("eksempel-901-ny", OWN)),)), {M, E}),
        "own_existing": (bundle(acts=(fresh(act(OWN_ACT, OWN)),)), {M, E}),
        "other": (bundle(acts=(fresh(act("eksempel-902-ny", OTHER)),)), {M}),
        # the register's owner counts, not the bundle's claim
        "other_claimed_as_own": (bundle(acts=(fresh(act(OTHER_ACT, OWN)),)), {M}),
        "state": (bundle(acts=(fresh(act("eksempelloven-2", None)),)), {M}),
    },
    "provisions": {
        "own": (bundle(provisions=(m.Provision(OWN_ACT, "2", "", recorded_at=NOW),)), {M, E}),
        "other": (bundle(provisions=(m.Provision(OTHER_ACT, "2", "", recorded_at=NOW),)),
                  {M}),
        "state": (bundle(provisions=(m.Provision(STATE_ACT, "2", "", recorded_at=NOW),)),
                  {M}),
    },
    "versions": {
        "own": (bundle(versions=(m.Version(OWN_ACT, "1", d("2019-01-01"), d("2026-01-01"),
                                           recorded_at=NOW),)), {M, E}),
        "other": (bundle(versions=(m.Version(OTHER_ACT, "1", d("2019-01-01"),
                                             d("2026-01-01"), recorded_at=NOW),)), {M}),
        "state": (bundle(versions=(m.Version(STATE_ACT, "1", d("2019-01-01"),
                                             d("2026-01-01"), recorded_at=NOW),)), {M}),
    },
    "institutions": {
        "own": (bundle(institutions=(fresh(REGISTER.institutions[1]),)), {M, E}),
        "own_institution": (bundle(institutions=(fresh(REGISTER.institutions[0]),)), {M, E}),
        "other": (bundle(institutions=(fresh(REGISTER.institutions[2]),)), {M}),
        "moved_away": (bundle(institutions=(fresh(REGISTER.institutions[3]),)), {M}),
        "new_own": (bundle(institutions=(m.Institution("eksempel-901-ny", "Ny",
                                                       recorded_at=NOW),),
                           memberships=(fresh(membership("eksempel-901-ny", OWN)),)), {M, E}),
        "new_other": (bundle(institutions=(m.Institution("eksempel-902-ny", "Ny",
                                                         recorded_at=NOW),),
                             memberships=(fresh(membership("eksempel-902-ny", OTHER)),)), {M}),
    },
    "memberships": {
        # closing an own institution
        "own": (bundle(memberships=(fresh(membership(OWN_INST, OWN, end="2026-08-01")),)),
                {M, E}),
        "own_institution": (bundle(memberships=(fresh(membership(LEADER_INST, OWN,
                                                                 end="2026-08-01")),)), {M, E}),
        # issue 14, finding 1: moving another municipality's institution into one's own
        "other": (bundle(memberships=(fresh(membership(OTHER_INST, OWN, start="2026-01-01")),)),
                  {M}),
        "other_kept_there": (bundle(memberships=(fresh(membership(OTHER_INST, OTHER,
                                                                  end="2026-08-01")),)), {M}),
        # OWN held it once, but OTHER holds it now
        "moved_away": (bundle(memberships=(fresh(membership(MOVED, OWN, end="2020-01-01")),)),
                       {M}),
        # held now, and closed by its holder
        "taken_over": (bundle(memberships=(
            fresh(membership(CAME, OWN, start="2020-01-01", end="2026-08-01")),)), {M, E}),
        # held now, but the record covers a period another municipality held it
        "taken_over_rewriting_the_past": (bundle(memberships=(
            fresh(membership(CAME, OWN, start="2010-01-01", end="2015-01-01")),)), {M}),
        "new_own": (bundle(memberships=(fresh(membership("eksempel-901-ny", OWN)),)), {M, E}),
        "new_other": (bundle(memberships=(fresh(membership("eksempel-902-ny", OTHER)),)), {M}),
    },
    "delegations": {
        "own": (bundle(delegations=(m.Delegation(OWN, REGIME, "committee", "Udvalget",
                                                 recorded_at=NOW),)), {M, E}),
        "own_institution": (bundle(delegations=(m.Delegation(OWN, REGIME, "institution",
                                                             institution=LEADER_INST,
                                                             recorded_at=NOW),)), {M, E}),
        "other": (bundle(delegations=(m.Delegation(OTHER, REGIME, "committee", "Udvalget",
                                                   recorded_at=NOW),)), {M}),
        "to_foreign_institution": (bundle(delegations=(m.Delegation(
            OWN, REGIME, "institution", institution=OTHER_INST, recorded_at=NOW),)), {M}),
    },
    "decisions": {
        "own": (bundle(decisions=(decision("901-2026-001"),)), {M, E}),
        "other": (bundle(decisions=(decision("902-2026-001", OTHER),)), {M}),
        "own_institution": (bundle(decisions=(decision(
            "901-2026-002", body="institution", institution=LEADER_INST,
            scope=(LEADER_INST,)),)), {M, E, L}),
        "own_institution_by_council": (bundle(decisions=(decision(
            "901-2026-003", scope=(LEADER_INST,)),)), {M, E}),
        # a council decision that names the institution is still the council's
        "council_naming_own_institution": (bundle(decisions=(decision(
            "901-2026-011", institution=LEADER_INST, scope=(LEADER_INST,)),)), {M, E}),
        "own_institution_for_more": (bundle(decisions=(decision(
            "901-2026-004", body="institution", institution=LEADER_INST,
            scope=(LEADER_INST, OWN_INST)),)), {M, E}),
        "another_institution": (bundle(decisions=(decision(
            "901-2026-005", body="institution", institution=OWN_INST, scope=(OWN_INST,)),)),
            {M, E}),
        "id_held_by_other": (bundle(decisions=(decision("902-2025-001"),)), {M}),
        "revokes_own": (bundle(decisions=(decision("901-2026-006",
                                                   revokes=("901-2025-001",)),)), {M, E}),
        "revokes_other": (bundle(decisions=(decision("901-2026-007",
                                                     revokes=("902-2025-001",)),)), {M}),
        "leader_revokes_own_institution": (bundle(decisions=(decision(
            "901-2026-008", body="institution", institution=LEADER_INST,
            scope=(LEADER_INST,), revokes=("901-2025-002",)),)), {M, E, L}),
        "leader_revokes_council": (bundle(decisions=(decision(
            "901-2026-009", body="institution", institution=LEADER_INST,
            scope=(LEADER_INST,), revokes=("901-2025-001",)),)), {M, E}),
        "history": (bundle(decisions=(replace(decision("901-2026-010"),
                                              recorded_at=EARLIER),)), {M}),
    },
    "repeals": {
        "own": (bundle(repeals=(m.Repeal(OWN_ACT, "1", d("2026-02-01"), recorded_at=NOW),)),
                {M, E}),
        "other": (bundle(repeals=(m.Repeal(OTHER_ACT, "1", d("2026-02-01"),
                                           recorded_at=NOW),)), {M}),
        "state": (bundle(repeals=(m.Repeal(STATE_ACT, "1", d("2026-02-01"),
                                           recorded_at=NOW),)), {M}),
    },
    # a record's claimed time, kept beside the time the register gave it: only the ministry
    # may claim a time before the newest load (workflow.services), so only it writes claims
    "claims": {
        "own": (bundle(claims=(m.Claim("decisions", "901-2025-001", EARLIER,
                                       recorded_at=NOW),)), {M}),
    },
    "kept": {
        "own": (bundle(kept=(m.Kept(OWN_ACT, OWN, "Vi beholder den", recorded_at=NOW),)),
                {M, E}),
        "other": (bundle(kept=(m.Kept(OTHER_ACT, OTHER, "Vi beholder den",
                                      recorded_at=NOW),)), {M}),
        "other_act_as_own": (bundle(kept=(m.Kept(OTHER_ACT, OWN, "Vi beholder den",
                                                 recorded_at=NOW),)), {M}),
        "state_act": (bundle(kept=(m.Kept(STATE_ACT, OWN, "Vi beholder den",
                                          recorded_at=NOW),)), {M}),
    },
}

# Reading drafts (a municipality's unpublished work) and opening the staff pages.
DRAFTS = {"own": {M, E, V, L}, "other": {M}}
STAFF_PAGES = {
    "dashboard": {M, E, V, L}, "picker": {M, E, V, L}, "draft": {M, E, V, L},
    "rules": {M, E, V}, "inbox": {M}, "regimes": {M}, "decisions": {M}, "audit": {M},
}


def test_the_table_names_every_section_of_the_register_and_every_staff_page():
    assert set(EXPECTED) == set(m.World.SECTIONS)
    assert set(STAFF_PAGES) == set(perm.STAFF_PAGES)
    for section, cases in EXPECTED.items():
        # each case's bundle holds records of its own section (and a new institution's
        # membership), so a row cannot test a different section by mistake
        for case, (world, _) in cases.items():
            assert getattr(world, section), (section, case)


def _allowed(actor: perm.Actor, world: m.World) -> bool:
    return not perm.refusals(actor, world, REGISTER, NOW)


@pytest.mark.parametrize("section", sorted(EXPECTED))
def test_who_may_write_each_section(section):
    wrong = []
    for case, (world, allowed) in EXPECTED[section].items():
        for role in ROLES:
            if _allowed(ACTORS[role], world) != (role in allowed):
                wrong.append(f"{role} {'may not' if role in allowed else 'may'} write "
                             f"{section} ({case})")
    assert not wrong, "\n".join(wrong)


def test_who_may_read_drafts():
    wrong = [f"{role} {case}" for case, allowed in DRAFTS.items() for role in ROLES
             if perm.may_read_drafts(ACTORS[role], OWN if case == "own" else OTHER)
             != (role in allowed)]
    assert not wrong


def test_who_may_open_each_staff_page():
    wrong = [f"{role} {page}" for page, allowed in STAFF_PAGES.items() for role in ROLES
             if perm.may_open(ACTORS[role], page) != (role in allowed)]
    assert not wrong


def test_a_refusal_names_the_record_and_the_reason():
    world = EXPECTED["memberships"]["other"][0]
    assert perm.refusals(ACTORS[E], world, REGISTER, NOW) == [(
        f"institutions.{OTHER_INST}",
        "Institutionen hører til kommune 902; kun den kommune (eller ministeriet) kan ændre "
        "dens tilhørsforhold")]
    world = EXPECTED["memberships"]["taken_over_rewriting_the_past"][0]
    assert perm.refusals(ACTORS[E], world, REGISTER, NOW) == [(
        f"institutions.{CAME}", "Institutionen hørte til kommune 902 i perioden")]


def test_an_empty_bundle_refuses_nothing_and_one_bad_record_spoils_the_bundle():
    assert _allowed(ACTORS[E], m.World())
    good = EXPECTED["decisions"]["own"][0]
    bad = EXPECTED["memberships"]["other"][0]
    assert not _allowed(ACTORS[E], good.merged(bad))
