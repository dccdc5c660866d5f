"""Decision and exemption checks, one test per code of SEMANTICS.md §4."""

from __future__ import annotations

from frisat.engine.model import DecidedBy, Scope
from frisat.registry.checks import Problem, check_decision, check_exemption
from worlds import SCHOOL_REGIME, decision, example_world, exemption, target

W = example_world()


def codes(problems: list[Problem], severity: str = "error") -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in problems if p.severity == severity]


def test_valid_decision_has_no_problems() -> None:
    assert check_decision(W, decision("901-1", ["eksempelloven § 2"])) == []


def test_not_covered() -> None:
    ps = check_decision(W, decision("903-1", ["eksempelloven § 2"], municipality=903))
    assert codes(ps) == [("not_covered", "effective_from")]
    assert "903" in ps[0].message and ps[0].message_en


def test_guardrail_target_is_rejected() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2",
                                              "eksempelloven § 1, stk. 2"]))
    assert codes(ps) == [("guardrail", "targets[1].citation")]
    assert "hegnspæl" in ps[0].message


def test_guardrail_inside_target_is_a_warning_naming_the_leaves() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 1"]))
    assert codes(ps) == []
    assert codes(ps, "warning") == [("guardrail_inside", "targets[0].citation")]
    assert "eksempelloven § 1, stk. 2" in ps[0].message


def test_not_deviable_under_listed_regime() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 4"]))
    assert codes(ps) == [("not_deviable", "targets[0].citation")]


def test_all_but_guardrails_accepts_unlisted_provisions() -> None:
    dec = decision("902-1", ["eksempel-skoleloven § 1"], municipality=902, area="folkeskole",
                   regime=SCHOOL_REGIME)
    assert check_decision(W, dec) == []


def test_too_early() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2"], published_on="2021-08-01",
                                    effective_from="2021-08-01"))
    assert codes(ps) == [("too_early", "effective_from")]
    assert "2021-08-02" in ps[0].message
    ok = decision("901-1", ["eksempelloven § 2"], published_on="2021-07-31",
                  effective_from="2021-08-01")
    assert check_decision(W, ok) == []


def test_outside_period() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2"],
                                    effective_from="2025-08-01", published_on="2025-07-01"))
    assert codes(ps) == [("outside_period", "effective_from")]


def test_effective_to_past_the_end_is_cut_with_a_warning() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2"], effective_to="2026-01-01"))
    assert codes(ps) == []
    assert codes(ps, "warning") == [("cut_to_period", "effective_to")]
    assert "2025-08-01" in ps[0].message


def test_scope_institution_in_another_municipality() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2"],
                                    scope=Scope(institutions=("eks-1", "eks-6"))))
    assert codes(ps) == [("scope", "scope.institutions[1]")]


def test_unknown_institution_in_scope() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2"],
                                    scope=Scope(institutions=("findes-ikke",))))
    assert codes(ps) == [("unknown_institution", "scope.institutions[0]")]


def test_delegation_required_for_committee() -> None:
    by = DecidedBy("committee", "Børne- og Eksempeludvalget")
    assert check_decision(W, decision("901-1", ["eksempelloven § 2"], by=by)) == []
    early = decision("901-1", ["eksempelloven § 2"], by=by, decided_on="2021-05-30")
    assert codes(check_decision(W, early)) == [("delegation", "decided_by")]
    admin = decision("901-1", ["eksempelloven § 2"], by=DecidedBy("administration"))
    ps = check_decision(W, admin)
    assert codes(ps) == [("delegation", "decided_by")]
    assert "delegeret" in ps[0].message


def test_institution_may_only_decide_for_itself() -> None:
    by = DecidedBy("institution", institution="eks-1")
    own = decision("901-1", ["eksempelloven § 2"], by=by, scope=Scope(institutions=("eks-1",)))
    assert check_decision(W, own) == []
    whole = decision("901-1", ["eksempelloven § 2"], by=by)
    assert codes(check_decision(W, whole)) == [("delegation", "scope")]
    other = decision("901-1", ["eksempelloven § 2"], by=DecidedBy("institution",
                                                                  institution="eks-5"),
                     scope=Scope(institutions=("eks-5",)))
    assert codes(check_decision(W, other)) == [("delegation", "decided_by")]


def test_unknown_provision() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 99", "ukendtloven § 1"]))
    assert codes(ps) == [("unknown_provision", "targets[0].citation"),
                         ("unknown_provision", "targets[1].citation")]


def test_kind_not_covered() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2"],
                                    scope=Scope(institutions=("eks-4",))))
    assert codes(ps) == [("kind_not_covered", "scope.institutions[0]")]
    ps2 = check_decision(W, decision("901-1", ["eksempelloven § 2"],
                                     scope=Scope(kinds=("klub",))))
    assert codes(ps2) == [("kind_not_covered", "scope.kinds[0]")]


def test_private_provider_without_request() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2"],
                                    scope=Scope(institutions=("eks-2", "eks-3"))))
    assert codes(ps) == [("private_provider", "scope.institutions[0]")]


def test_unknown_regime() -> None:
    ps = check_decision(W, decision("901-1", ["eksempelloven § 2"], regime="ukendt"))
    assert codes(ps) == [("unknown_regime", "regime")]


def test_messages_name_the_decision() -> None:
    problems = check_decision(W, decision("901-XYZ", ["eksempelloven § 4"],
                                          effective_from="2021-07-01"))
    assert {p.code for p in problems} == {"too_early", "not_deviable"}
    for p in problems:
        assert "901-XYZ" in p.message and "901-XYZ" in p.message_en


def test_exemption_targets_are_checked_against_the_regimes_lists() -> None:
    ps = check_exemption(W, exemption("fk-1", ["eksempelloven § 1, stk. 2"]))
    assert codes(ps) == [("guardrail", "targets[0].citation")]
    assert check_exemption(W, exemption("fk-2", ["eksempelloven § 3, stk. 1"])) == []
    ps = check_exemption(W, exemption("fk-1", ["eksempelloven § 99"], municipality=903))
    assert codes(ps) == [("not_covered", "from"), ("unknown_provision", "targets[0].citation")]


def test_target_helper_is_used_for_partial_targets() -> None:
    dec = decision("901-1", [target("eksempelloven § 3", "partial", "delvis")])
    assert codes(check_decision(W, dec), "warning") == [("guardrail_inside",
                                                         "targets[0].citation")]
