"""Boundaries of every decision check of SEMANTICS.md §4.

For each date comparison: the equal-date edge and the day on the other side of it. For each
optional field: present and absent. The example world (``tests/worlds.py``): Eksempelby (901)
is covered for dagtilbud from 2021-05-15 to 2025-08-01 (after the extension); eks-8 moved
from 903 to 901 on 2022-01-01; the committee and eks-1 were delegated to on 2021-06-01.
"""

from __future__ import annotations

import dataclasses

import pytest

from frisat.engine.model import (
    Coverage,
    DecidedBy,
    Delegation,
    Institution,
    Listing,
    Membership,
    Scope,
    World,
)
from frisat.registry.checks import CODES, Problem, check_decision, check_exemption
from worlds import ACT, REGIME, at, d, decision, example_world, exemption, with_records

W = example_world()
COMMITTEE = DecidedBy("committee", "Børne- og Eksempeludvalget")


def errors(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in problems if p.severity == "error"]


def warnings(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in problems if p.severity == "warning"]


def regime_changed(world: World, **changes: object) -> World:
    return world.with_(regimes=tuple(dataclasses.replace(r, **changes) if r.key == REGIME
                                     else r for r in world.regimes))


def test_every_code_checked_here_is_a_known_code() -> None:
    for code in ("not_covered", "outside_period", "cut_to_period", "too_early", "scope",
                 "delegation", "kind_not_covered", "private_provider", "guardrail",
                 "not_deviable", "unknown_provision", "invalid", "publication_date_unknown"):
        assert code in CODES


# ------------------------------------------------------------------ coverage and period


@pytest.mark.parametrize(("start", "published", "expected"), [
    ("2021-05-14", "2021-05-01", [("not_covered", "effective_from")]),  # day before coverage
    ("2021-05-15", "2021-05-01", []),                                   # first day covered
    ("2025-07-31", "2025-07-01", []),                                   # last day covered
    ("2025-08-01", "2025-07-01", [("outside_period", "effective_from")]),  # the end itself
])
def test_effective_from_against_the_coverage_period(start: str, published: str,
                                                    expected: list[tuple[str, str]]) -> None:
    dec = decision("901-1", ["eksempelloven § 2"], effective_from=start, published_on=published,
                   decided_on=published)
    assert errors(check_decision(W, dec)) == expected


def test_outside_period_names_the_end_and_not_covered_does_not() -> None:
    late = check_decision(W, decision("901-1", ["eksempelloven § 2"],
                                      effective_from="2025-08-01", published_on="2025-07-01"))
    assert "2025-08-01" in late[0].message
    early = check_decision(W, decision("901-1", ["eksempelloven § 2"],
                                       effective_from="2021-05-14", published_on="2021-05-01"))
    assert early[0].code == "not_covered" and "ophørte" not in early[0].message


def test_coverage_of_another_area_does_not_cover() -> None:
    dec = decision("901-1", ["eksempelloven § 2"], area="folkeskole")
    assert errors(check_decision(W, dec)) == [("not_covered", "effective_from")]


def test_the_extension_counts_only_once_it_is_in_the_world() -> None:
    before = W.known_at(at("2024-05-31"))
    dec = decision("901-1", ["eksempelloven § 2"], effective_from="2024-10-01",
                   published_on="2024-09-01", decided_on="2024-09-01")
    assert errors(check_decision(before, dec)) == [("outside_period", "effective_from")]
    assert errors(check_decision(W.known_at(at("2024-06-01")), dec)) == []


@pytest.mark.parametrize(("end", "warned"), [
    (None, False),           # an open end ends with the regime anyway
    ("2025-07-31", False),
    ("2025-08-01", False),   # equal to the regime's end: nothing is cut
    ("2025-08-02", True),
])
def test_effective_to_against_the_regime_end(end: str | None, warned: bool) -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2"], effective_to=end))
    assert errors(ps) == []
    assert warnings(ps) == ([("cut_to_period", "effective_to")] if warned else [])
    if warned:
        assert ps[0].value == "2025-08-01"


def test_open_ended_coverage_never_cuts() -> None:
    w = W.with_(coverage=(Coverage(REGIME, 901, "dagtilbud", d("2021-05-15"), None),))
    ps = check_decision(w, decision("901-1", ["eksempelloven § 2"], effective_to="2040-01-01"))
    assert ps == []


# ------------------------------------------------------------------ publication


@pytest.mark.parametrize(("published", "start", "expected"), [
    ("2021-07-31", "2021-08-01", []),                                  # the day after: ok
    ("2021-08-01", "2021-08-01", [("too_early", "effective_from")]),   # the same day
    ("2021-08-02", "2021-08-01", [("too_early", "effective_from")]),   # before publication
])
def test_too_early_edges(published: str, start: str, expected: list[tuple[str, str]]) -> None:
    dec = decision("901-1", ["eksempelloven § 2"], published_on=published, effective_from=start,
                   decided_on="2021-07-01")
    assert errors(check_decision(W, dec)) == expected


def test_too_early_uses_the_regimes_delay() -> None:
    w = regime_changed(W, min_effect_delay_days=7)
    ok = decision("901-1", ["eksempelloven § 2"], published_on="2021-07-25",
                  effective_from="2021-08-01")
    assert errors(check_decision(w, ok)) == []
    late = decision("901-1", ["eksempelloven § 2"], published_on="2021-07-26",
                    effective_from="2021-08-01")
    ps = check_decision(w, late)
    assert errors(ps) == [("too_early", "effective_from")]
    assert "2021-08-02" in ps[0].message


@pytest.mark.parametrize(("decided", "published", "expected"), [
    ("2021-06-30", "2021-07-01", []),
    ("2021-07-01", "2021-07-01", []),                         # published the day it was decided
    ("2021-07-02", "2021-07-01", [("invalid", "decided_on")]),  # published before decided
    (None, "2021-07-01", []),
])
def test_decided_before_published(decided: str | None, published: str,
                                  expected: list[tuple[str, str]]) -> None:
    dec = decision("901-1", ["eksempelloven § 2"], decided_on=decided, published_on=published)
    assert errors(check_decision(W, dec)) == expected


def test_unknown_publication_date_is_a_warning_only_for_published_decisions() -> None:
    known = decision("901-1", ["eksempelloven § 2"], published_on=None)
    ps = check_decision(W, known)
    assert errors(ps) == []
    assert warnings(ps) == [("publication_date_unknown", "published_on")]
    draft = decision("901-1", ["eksempelloven § 2"], published_on=None, published=False)
    assert check_decision(W, draft) == []


# ------------------------------------------------------------------ scope


@pytest.mark.parametrize(("start", "expected"), [
    ("2021-12-31", [("scope", "scope.institutions[0]")]),  # still in Andeby (903)
    ("2022-01-01", []),                                     # moved to Eksempelby that day
])
def test_scope_membership_on_effective_from(start: str, expected: list[tuple[str, str]]) -> None:
    dec = decision("901-1", ["eksempelloven § 2"], effective_from=start,
                   published_on="2021-12-01", scope=Scope(institutions=("eks-8",)))
    assert errors(check_decision(W, dec)) == expected


def test_scope_institution_closed_on_effective_from() -> None:
    w = with_records(W, memberships=(
        Membership("eks-9", 901, "dagtilbud", "daginstitution", d("2000-01-01"),
                   d("2021-08-01")),), institutions=(Institution("eks-9", "Lukket (eksempel)"),))
    day_before = decision("901-1", ["eksempelloven § 2"], effective_from="2021-07-31",
                          published_on="2021-07-01", scope=Scope(institutions=("eks-9",)))
    assert errors(check_decision(w, day_before)) == []
    closing_day = decision("901-1", ["eksempelloven § 2"],
                           scope=Scope(institutions=("eks-9",)))
    ps = check_decision(w, closing_day)
    assert errors(ps) == [("scope", "scope.institutions[0]")]
    assert "ikke åben" in ps[0].message


def test_scope_institution_in_another_area_of_the_same_municipality() -> None:
    w = with_records(W, institutions=(Institution("eks-9", "Eksempelskolen"),),
                     memberships=(Membership("eks-9", 901, "folkeskole", "daginstitution",
                                             d("2000-01-01")),))
    ps = check_decision(w, decision("901-1", ["eksempelloven § 2"],
                                    scope=Scope(institutions=("eks-9",))))
    assert errors(ps) == [("scope", "scope.institutions[0]")]
    assert "område folkeskole" in ps[0].message


def test_scope_kinds_against_the_regimes_kinds() -> None:
    ok = decision("901-1", ["eksempelloven § 2"], scope=Scope(kinds=("dagpleje",)))
    assert check_decision(W, ok) == []
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2"],
                                    scope=Scope(kinds=("dagpleje", "klub"))))
    assert errors(ps) == [("kind_not_covered", "scope.kinds[1]")]
    # a regime without kinds reaches every kind
    w = regime_changed(W, kinds=None)
    assert check_decision(w, decision("901-1", ["eksempelloven § 2"],
                                      scope=Scope(kinds=("klub",)))) == []
    assert check_decision(w, decision("901-1", ["eksempelloven § 2"],
                                      scope=Scope(institutions=("eks-4",)))) == []


def test_list_and_kinds_together_are_both_checked() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2"],
                                    scope=Scope(institutions=("eks-4",), kinds=("klub",))))
    assert errors(ps) == [("kind_not_covered", "scope.kinds[0]"),
                          ("kind_not_covered", "scope.institutions[0]")]


@pytest.mark.parametrize(("inst", "requires", "expected"), [
    ("eks-2", True, [("private_provider", "scope.institutions[0]")]),  # private, no request
    ("eks-3", True, []),                                              # private, asked
    ("eks-2", False, []),                                             # regime needs no request
    ("eks-1", True, []),                                              # public
])
def test_private_provider(inst: str, requires: bool, expected: list[tuple[str, str]]) -> None:
    w = regime_changed(W, private_requires_request=requires)
    ps = check_decision(w, decision("901-1", ["eksempelloven § 2"],
                                    scope=Scope(institutions=(inst,))))
    assert errors(ps) == expected


def test_a_request_for_another_regime_does_not_count() -> None:
    w = W.with_(institutions=tuple(
        dataclasses.replace(i, requested=("eksempel-skoleordning",)) if i.id == "eks-3" else i
        for i in W.institutions))
    ps = check_decision(w, decision("901-1", ["eksempelloven § 2"],
                                    scope=Scope(institutions=("eks-3",))))
    assert errors(ps) == [("private_provider", "scope.institutions[0]")]


# ------------------------------------------------------------------ delegation


@pytest.mark.parametrize(("decided", "expected"), [
    ("2021-05-31", [("delegation", "decided_by")]),  # before the delegation
    ("2021-06-01", []),                              # decided the day the power was delegated
    ("2021-06-02", []),
    (None, []),                                      # decision date unknown: not compared
])
def test_delegation_date_edge(decided: str | None, expected: list[tuple[str, str]]) -> None:
    dec = decision("901-1", ["eksempelloven § 2"], by=COMMITTEE, decided_on=decided)
    assert errors(check_decision(W, dec)) == expected


def test_delegation_without_a_date_counts_from_its_record_time() -> None:
    w = with_records(W, delegations=(Delegation(901, REGIME, "administration",
                                                recorded_at=at("2021-06-10")),))
    by = DecidedBy("administration")
    on_day = decision("901-1", ["eksempelloven § 2"], by=by, decided_on="2021-06-10")
    assert errors(check_decision(w, on_day)) == []
    before = decision("901-1", ["eksempelloven § 2"], by=by, decided_on="2021-06-09")
    assert errors(check_decision(w, before)) == [("delegation", "decided_by")]


@pytest.mark.parametrize(("name", "expected"), [
    ("Børne- og Eksempeludvalget", []),
    (" børne- og eksempeludvalget ", []),            # case and spaces do not matter
    ("", []),                                          # the decision names no committee
    ("Teknik- og Eksempeludvalget", [("delegation", "decided_by")]),  # another committee
])
def test_committee_name_must_match_the_delegation(name: str,
                                                  expected: list[tuple[str, str]]) -> None:
    dec = decision("901-1", ["eksempelloven § 2"], by=DecidedBy("committee", name))
    assert errors(check_decision(W, dec)) == expected


def test_a_delegation_without_a_committee_name_covers_any_committee() -> None:
    w = W.with_(delegations=(Delegation(901, REGIME, "committee", "",
                                        decided_on=d("2021-06-01")),))
    dec = decision("901-1", ["eksempelloven § 2"],
                   by=DecidedBy("committee", "Teknik- og Eksempeludvalget"))
    assert errors(check_decision(w, dec)) == []


def test_delegation_must_be_from_the_same_municipality_regime_and_body() -> None:
    by = DecidedBy("administration")
    for dl in (Delegation(902, REGIME, "administration", decided_on=d("2021-06-01")),
               Delegation(901, "eksempel-skoleordning", "administration",
                          decided_on=d("2021-06-01")),
               Delegation(901, REGIME, "committee", decided_on=d("2021-06-01"))):
        w = W.with_(delegations=(dl,))
        ps = check_decision(w, decision("901-1", ["eksempelloven § 2"], by=by))
        assert errors(ps) == [("delegation", "decided_by")], dl
    ok = W.with_(delegations=(Delegation(901, REGIME, "administration",
                                         decided_on=d("2021-06-01")),))
    assert errors(check_decision(ok, decision("901-1", ["eksempelloven § 2"], by=by))) == []


def test_regime_without_delegation_rejects_every_body_but_the_council() -> None:
    w = regime_changed(W, delegation_allowed=False)
    ps = check_decision(w, decision("901-1", ["eksempelloven § 2"], by=COMMITTEE))
    assert errors(ps) == [("delegation", "decided_by")]
    assert "tillader ikke delegation" in ps[0].message
    inst = decision("901-1", ["eksempelloven § 2"],
                    by=DecidedBy("institution", institution="eks-1"),
                    scope=Scope(institutions=("eks-1",)))
    assert errors(check_decision(w, inst)) == [("delegation", "decided_by")]
    assert check_decision(w, decision("901-1", ["eksempelloven § 2"])) == []


def test_institution_delegation_to_one_institution_or_to_all() -> None:
    def by_inst(inst: str) -> list[tuple[str, str]]:
        return errors(check_decision(w, decision(
            "901-1", ["eksempelloven § 2"], by=DecidedBy("institution", institution=inst),
            scope=Scope(institutions=(inst,)))))

    w = W  # delegated to eks-1 only
    assert by_inst("eks-1") == []
    assert by_inst("eks-5") == [("delegation", "decided_by")]
    w = W.with_(delegations=(Delegation(901, REGIME, "institution", "", institution=None,
                                        decided_on=d("2021-06-01")),))
    assert by_inst("eks-5") == []


def test_institution_must_be_named_and_known() -> None:
    unnamed = decision("901-1", ["eksempelloven § 2"], by=DecidedBy("institution"),
                       scope=Scope(institutions=("eks-1",)))
    assert errors(check_decision(W, unnamed)) == [("delegation", "decided_by.institution")]
    unknown = decision("901-1", ["eksempelloven § 2"],
                       by=DecidedBy("institution", institution="findes-ikke"),
                       scope=Scope(institutions=("eks-1",)))
    assert errors(check_decision(W, unknown)) == [("unknown_institution",
                                                    "decided_by.institution")]


def test_institution_scope_must_be_exactly_itself() -> None:
    by = DecidedBy("institution", institution="eks-1")
    two = decision("901-1", ["eksempelloven § 2"], by=by,
                   scope=Scope(institutions=("eks-1", "eks-5")))
    assert errors(check_decision(W, two)) == [("delegation", "scope")]
    kinds = decision("901-1", ["eksempelloven § 2"], by=by, scope=Scope(kinds=("dagpleje",)))
    assert errors(check_decision(W, kinds)) == [("delegation", "scope")]


# ------------------------------------------------------------------ targets


def test_target_naming_the_whole_act_resolves_and_a_twice_named_target_is_refused() -> None:
    whole = check_decision(W, decision("901-1", ["eksempelby-retningslinjer"]))
    assert whole == []
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2", "eksempelloven § 2"]))
    assert errors(ps) == [("duplicate", "targets[1].citation")]


@pytest.mark.parametrize(("start", "expected"), [
    ("2022-12-31", [("not_deviable", "targets[0].citation")]),  # before the listing
    ("2023-01-01", []),                                          # the listing's first day
    ("2023-12-31", []),
    ("2024-01-01", [("not_deviable", "targets[0].citation")]),   # the listing's end
])
def test_dated_listing_is_read_on_effective_from(start: str,
                                                 expected: list[tuple[str, str]]) -> None:
    w = regime_changed(W, listings=(
        Listing(ACT, "§ 4", "deviable", valid_from=d("2023-01-01"), valid_to=d("2024-01-01")),))
    dec = decision("901-1", ["eksempelloven § 4"], effective_from=start,
                   published_on="2022-12-01", decided_on="2022-12-01")
    assert errors(check_decision(w, dec)) == expected


def test_dated_guardrail_is_read_on_effective_from() -> None:
    w = regime_changed(W, listings=(
        Listing(ACT, "§ 2", "deviable"),
        Listing(ACT, "§ 2", "guardrail", valid_from=d("2023-01-01")),))
    before = decision("901-1", ["eksempelloven § 2"], effective_from="2022-12-31",
                      published_on="2022-12-01")
    assert errors(check_decision(w, before)) == []
    on_day = decision("901-1", ["eksempelloven § 2"], effective_from="2023-01-01",
                      published_on="2022-12-01")
    assert errors(check_decision(w, on_day)) == [("guardrail", "targets[0].citation")]


def test_not_deviable_names_the_deviable_parts_below() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven"]))
    assert errors(ps) == [("not_deviable", "targets[0].citation")]
    assert "eksempelloven § 2" in ps[0].message and "§ 4" not in ps[0].message


def test_own_municipal_rules_are_always_deviable_others_are_not() -> None:
    own = decision("901-1", ["eksempelby-retningslinjer 2"])
    assert check_decision(W, own) == []
    other = decision("901-1", ["proeveby-retningslinjer 1"])
    assert errors(check_decision(W, other)) == [("not_deviable", "targets[0].citation")]


# ------------------------------------------------------------------ exemptions


@pytest.mark.parametrize(("start", "end", "errs", "warns"), [
    ("2021-05-14", None, [("not_covered", "from")], []),
    ("2021-05-15", None, [], []),
    ("2025-08-01", None, [("outside_period", "from")], []),
    ("2021-08-01", "2025-08-01", [], []),
    ("2021-08-01", "2025-08-02", [], [("cut_to_period", "to")]),
])
def test_exemption_period_edges(start: str, end: str | None, errs: list[tuple[str, str]],
                                warns: list[tuple[str, str]]) -> None:
    ps = check_exemption(W, exemption("fk-1", ["eksempelloven § 2"], valid_from=start,
                                      valid_to=end))
    assert errors(ps) == errs
    assert warnings(ps) == warns


def test_exemption_with_unknown_regime() -> None:
    ps = check_exemption(W, exemption("fk-1", ["eksempelloven § 4"], regime="ukendt"))
    assert errors(ps) == [("unknown_regime", "regime")]  # targets are not judged without one


# ------------------------------------------------------------------ every target, every
# institution, every delegation is looked at (not only the first)


def test_every_target_gets_its_own_problem() -> None:
    ps = check_decision(W, decision("901-1", [
        "ukendtloven § 1", "eksempelloven § 99", "eksempelloven § 1, stk. 2", "eksempelloven § 4",
        "eksempelloven § 1", "eksempelloven § 1"]))
    assert errors(ps) == [("unknown_provision", "targets[0].citation"),
                          ("unknown_provision", "targets[1].citation"),
                          ("guardrail", "targets[2].citation"),
                          ("not_deviable", "targets[3].citation"),
                          ("duplicate", "targets[5].citation")]
    assert warnings(ps) == [("guardrail_inside", "targets[4].citation")]
    assert "targets[4]" in next(p for p in ps if p.code == "duplicate").message


def test_every_scope_institution_gets_its_own_problem() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2"], scope=Scope(
        institutions=("findes-ikke", "eks-6", "eks-2", "eks-4"))))
    assert errors(ps) == [("unknown_institution", "scope.institutions[0]"),
                          ("scope", "scope.institutions[1]"),
                          ("private_provider", "scope.institutions[2]"),
                          ("kind_not_covered", "scope.institutions[3]")]


def test_scope_is_checked_even_under_an_unknown_regime() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2"], regime="ukendt",
                                    scope=Scope(institutions=("eks-1", "eks-6"))))
    assert errors(ps) == [("unknown_regime", "regime"), ("scope", "scope.institutions[1]")]


def test_a_later_matching_delegation_counts() -> None:
    def check(*delegations: Delegation, by: DecidedBy, scope: Scope | None = None) -> list:
        w = W.with_(delegations=delegations)
        return errors(check_decision(w, decision("901-1", ["eksempelloven § 2"], by=by,
                                                 scope=scope)))

    day = d("2021-06-01")
    assert check(Delegation(901, REGIME, "institution", institution="eks-5", decided_on=day),
                 Delegation(901, REGIME, "institution", institution="eks-1", decided_on=day),
                 by=DecidedBy("institution", institution="eks-1"),
                 scope=Scope(institutions=("eks-1",))) == []
    assert check(Delegation(901, REGIME, "committee", "Teknik- og Eksempeludvalget",
                            decided_on=day),
                 Delegation(901, REGIME, "committee", "Børne- og Eksempeludvalget",
                            decided_on=day), by=COMMITTEE) == []
    assert check(Delegation(901, REGIME, "committee", decided_on=d("2021-07-01")),
                 Delegation(901, REGIME, "committee", decided_on=day), by=COMMITTEE) == []


def test_an_institution_on_record_without_a_membership_is_not_open() -> None:
    w = with_records(W, institutions=(Institution("eks-9", "Uden tilknytning (eksempel)"),),
                     delegations=(Delegation(901, REGIME, "institution",
                                             decided_on=d("2021-06-01")),))
    ps = check_decision(w, decision("901-1", ["eksempelloven § 2"],
                                    by=DecidedBy("institution", institution="eks-9"),
                                    scope=Scope(institutions=("eks-9",))))
    assert errors(ps) == [("scope", "scope.institutions[0]")]
    assert "er ikke åben" in ps[0].message


def test_a_private_membership_without_an_institution_record() -> None:
    w = with_records(W, memberships=(Membership("eks-9", 901, "dagtilbud", "daginstitution",
                                                d("2000-01-01"), None, "private"),))
    ps = check_decision(w, decision("901-1", ["eksempelloven § 2"],
                                    scope=Scope(institutions=("eks-9",))))
    assert errors(ps) == [("private_provider", "scope.institutions[0]")]


def test_of_overlapping_memberships_the_latest_start_counts() -> None:
    w = with_records(W, institutions=(Institution("eks-9", "Flyttet (eksempel)"),),
                     memberships=(
                         Membership("eks-9", 901, "dagtilbud", "daginstitution",
                                    d("2021-01-01")),
                         Membership("eks-9", 903, "dagtilbud", "daginstitution",
                                    d("2000-01-01"))))
    ps = check_decision(w, decision("901-1", ["eksempelloven § 2"],
                                    scope=Scope(institutions=("eks-9",))))
    assert errors(ps) == []


def test_an_open_coverage_beside_a_closed_one_cuts_nothing() -> None:
    for order in (1, -1):
        covs = (Coverage(REGIME, 901, "dagtilbud", d("2021-05-15"), d("2025-08-01")),
                Coverage(REGIME, 901, "dagtilbud", d("2021-01-01"), None))[::order]
        ps = check_decision(W.with_(coverage=covs),
                            decision("901-1", ["eksempelloven § 2"], effective_to="2030-01-01"))
        assert ps == [], order


def test_of_two_coverage_records_registered_at_once_the_last_listed_counts() -> None:
    """As ``World.known_at``: the same key and record time, the record listed last."""
    covs = (Coverage(REGIME, 901, "dagtilbud", d("2021-05-15"), d("2022-01-01")),
            Coverage(REGIME, 901, "dagtilbud", d("2021-05-15"), d("2025-08-01")))
    late = decision("901-1", ["eksempelloven § 2"], effective_from="2023-01-01",
                    published_on="2022-12-01")
    assert errors(check_decision(W.with_(coverage=covs), late)) == []
    assert errors(check_decision(W.with_(coverage=covs[::-1]), late)) == [
        ("outside_period", "effective_from")]


# ------------------------------------------------------------------ the lists on the start


def later_listed_world() -> World:
    """§ 4 deviable only from 2023; § 1, stk. 1 a guardrail only from 2023."""
    return regime_changed(W, listings=(
        Listing(ACT, "afsnit II", "deviable"),
        Listing(ACT, "§ 1, stk. 2", "guardrail"),
        Listing(ACT, "§ 1, stk. 1", "guardrail", valid_from=d("2023-01-01")),
        Listing(ACT, "§ 4", "deviable", valid_from=d("2023-01-01")),
    ))


def test_the_not_deviable_hint_uses_the_lists_on_the_start() -> None:
    ps = check_decision(later_listed_world(), decision("901-1", ["eksempelloven"]))
    assert errors(ps) == [("not_deviable", "targets[0].citation")]
    assert "eksempelloven § 2" in ps[0].message
    assert "eksempelloven § 4" not in ps[0].message


def test_the_guardrail_inside_warning_uses_the_lists_on_the_start() -> None:
    ps = check_decision(later_listed_world(), decision("901-1", ["eksempelloven § 1"]))
    assert warnings(ps) == [("guardrail_inside", "targets[0].citation")]
    assert "eksempelloven § 1, stk. 2" in ps[0].message
    assert "eksempelloven § 1, stk. 1" not in ps[0].message


def test_exemption_targets_use_the_lists_on_the_start_and_the_owner() -> None:
    w = later_listed_world()
    assert errors(check_exemption(w, exemption("fk-1", ["eksempelloven § 4"]))) == [
        ("not_deviable", "targets[0].citation")]
    assert errors(check_exemption(w, exemption("fk-1", ["eksempelloven § 4"],
                                               valid_from="2023-01-01"))) == []
    assert check_exemption(W, exemption("fk-1", ["eksempelby-retningslinjer 2"])) == []


# ------------------------------------------------------------------ messages


def test_messages_name_the_record_in_danish_and_english() -> None:
    period = check_decision(W, decision("901-7", ["eksempelloven § 2"],
                                        effective_from="2025-08-01", published_on="2025-07-01"))
    assert period[0].message.startswith("Beslutning 901-7 skal have virkning")
    assert period[0].message_en.startswith("Decision 901-7 would take effect")
    cut = check_exemption(W, exemption("fk-7", ["eksempelloven § 2"], valid_to="2026-01-01"))
    assert cut[0].message.startswith("Fritagelse fk-7 gælder kun")
    assert cut[0].message_en.startswith("Exemption fk-7 only holds")
    target = check_exemption(W, exemption("fk-7", ["eksempelloven § 4"]))
    assert target[0].message.startswith("Fritagelse fk-7: eksempelloven § 4 kan ikke")
    assert "fk-7" in target[0].message_en
    dec_target = check_decision(W, decision("901-7", ["eksempelloven § 4"]))
    assert dec_target[0].message.startswith("Beslutning 901-7: eksempelloven § 4 kan ikke")
    scope = check_decision(W, decision("901-7", ["eksempelloven § 2"],
                                       scope=Scope(institutions=("eks-6",))))
    assert scope[0].message.startswith("Beslutning 901-7: institutionen eks-6")
    assert scope[0].message_en.startswith("Decision 901-7: the institution eks-6")


def test_guardrail_message_names_the_listed_node() -> None:
    w = regime_changed(W, listings=(Listing(ACT, "§ 3", "guardrail"),))
    ps = check_decision(w, decision("901-1", ["eksempelloven § 3, stk. 1"]))
    assert errors(ps) == [("guardrail", "targets[0].citation")]
    assert "(eksempelloven § 3)" in ps[0].message


@pytest.mark.parametrize(("by", "who"), [
    (DecidedBy("committee", "Teknik- og Eksempeludvalget"), "(Teknik- og Eksempeludvalget)"),
    (DecidedBy("institution", institution="eks-5"), "(eks-5)"),
    (DecidedBy("administration"), "(forvaltningen)"),
])
def test_delegation_message_names_who_decided(by: DecidedBy, who: str) -> None:
    scope = Scope(institutions=("eks-5",)) if by.institution else None
    ps = check_decision(W, decision("901-7", ["eksempelloven § 2"], by=by, scope=scope))
    assert errors(ps) == [("delegation", "decided_by")]
    assert ps[0].message.startswith("Beslutning 901-7 er truffet af")
    assert who in ps[0].message


def test_targets_after_a_duplicate_are_still_checked() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2", "eksempelloven § 2",
                                              "eksempelloven § 4"]))
    assert errors(ps) == [("duplicate", "targets[1].citation"),
                          ("not_deviable", "targets[2].citation")]


def test_targets_resolve_even_under_an_unknown_regime() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2", "eksempelloven § 99"],
                                    regime="ukendt"))
    assert errors(ps) == [("unknown_regime", "regime"),
                          ("unknown_provision", "targets[1].citation")]
