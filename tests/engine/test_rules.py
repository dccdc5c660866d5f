"""The engine, one test (or more) per rule and per reason of SEMANTICS.md §2, §3 and §6.

All worlds are made-up examples (``tests/worlds.py``).
"""

from __future__ import annotations

import dataclasses

import pytest

from frisat.engine import Engine, UnknownRecord, Verdict
from frisat.engine.model import DecidedBy, Exclusion, Listing, Scope, Version, World
from worlds import (
    ACT,
    REGIME,
    SCHOOL_REGIME,
    at,
    d,
    decision,
    example_world,
    exemption,
    repeal,
    target,
    with_records,
)

NOW = "2026-01-01"


def engine(*decisions, exemptions=(), repeals=(), k: str = NOW, world: World | None = None,
           **extra) -> Engine:  # type: ignore[no-untyped-def]
    w = with_records(world or example_world(), decisions=decisions, exemptions=exemptions,
                     repeals=repeals, **extra)
    return Engine(w.known_at(at(k)))


def rules(e: Engine, inst: str, day: str) -> dict[str, Verdict]:
    return {v.citation: v for v in e.institution_rules(inst, d(day))}


def kinds(v: Verdict) -> list[str]:
    return [r.kind for r in v.because]


def replace_regime(world: World, key: str, **changes) -> World:  # type: ignore[no-untyped-def]
    return world.with_(regimes=tuple(dataclasses.replace(r, **changes) if r.key == key else r
                                     for r in world.regimes))


# ------------------------------------------------------------------ §2 what may be set aside


def test_listed_regime_unlisted_provision_is_not_deviable() -> None:
    e = engine(decision("901-1", ["eksempelloven § 4"]))
    v = rules(e, "eks-1", "2022-03-01")["eksempelloven § 4"]
    assert v.status == "applies"
    assert kinds(v) == ["not_deviable"]
    assert v.because[0].data["decision"] == "901-1"


def test_most_specific_listing_guardrail_under_deviable_paragraph() -> None:
    e = engine(decision("901-1", ["eksempelloven § 1"]))
    r = rules(e, "eks-1", "2022-03-01")
    assert r["eksempelloven § 1, stk. 1"].status == "set_aside"
    stk2 = r["eksempelloven § 1, stk. 2"]
    assert stk2.status == "applies" and stk2.guardrail
    assert kinds(stk2) == ["guardrail"]
    assert stk2.because[0].data["guardrail_node"] == "eksempelloven § 1, stk. 2"
    assert "hegnspæl" in stk2.because[0].text


def test_most_specific_listing_deviable_under_guardrail() -> None:
    w = replace_regime(example_world(), REGIME, listings=(
        Listing(ACT, "§ 3", "guardrail"), Listing(ACT, "§ 3, stk. 1", "deviable")))
    e = engine(decision("901-1", ["eksempelloven § 3"]), world=w)
    r = rules(e, "eks-1", "2022-03-01")
    assert r["eksempelloven § 3, stk. 1"].status == "set_aside"
    assert r["eksempelloven § 3, stk. 2, nr. 1"].status == "applies"
    assert kinds(r["eksempelloven § 3, stk. 2, nr. 1"]) == ["guardrail"]


def test_mark_walks_from_leaf_to_act_root() -> None:
    e = engine()
    assert e.mark(REGIME, ACT, "§ 1, stk. 1") == "deviable"  # via afsnit II
    assert e.mark(REGIME, ACT, "§ 1, stk. 2") == "guardrail"
    assert e.mark(REGIME, ACT, "§ 3, stk. 2, nr. 2") == "guardrail"
    assert e.mark(REGIME, ACT, "§ 3, stk. 2, nr. 1") == "deviable"
    assert e.mark(REGIME, ACT, "§ 4") is None
    assert e.mark(SCHOOL_REGIME, "eksempel-skoleloven", "§ 1") == "deviable"
    assert e.mark(SCHOOL_REGIME, "eksempel-skoleloven", "§ 2, stk. 2") == "guardrail"
    assert e.mark(SCHOOL_REGIME, ACT, "§ 1") is None
    assert e.mark(REGIME, "eksempelby-retningslinjer", "1", municipality=901) == "deviable"
    assert e.mark(REGIME, "eksempelby-retningslinjer", "1", municipality=902) is None


def test_all_but_guardrails_whole_act_set_aside_except_guardrails() -> None:
    e = engine(decision("902-1", ["eksempel-skoleloven"], municipality=902,
                        area="folkeskole", regime=SCHOOL_REGIME))
    r = rules(e, "eks-7", "2022-03-01")
    assert r["eksempel-skoleloven § 1"].status == "set_aside"
    assert r["eksempel-skoleloven § 2, stk. 1"].status == "set_aside"
    g = r["eksempel-skoleloven § 2, stk. 2"]
    assert (g.status, g.guardrail, kinds(g)) == ("applies", True, ["guardrail"])


def test_all_but_guardrails_act_outside_regime_is_not_deviable() -> None:
    w = example_world()
    w = w.with_(acts=tuple(dataclasses.replace(a, areas=("dagtilbud", "folkeskole"))
                           if a.key == ACT else a for a in w.acts))
    e = engine(decision("902-1", ["eksempelloven § 4"], municipality=902, area="folkeskole",
                        regime=SCHOOL_REGIME), world=w)
    v = rules(e, "eks-7", "2022-03-01")["eksempelloven § 4"]
    assert (v.status, kinds(v)) == ("applies", ["not_deviable"])


def test_municipal_rules_of_own_municipality_are_always_deviable() -> None:
    e = engine(decision("901-1", ["eksempelby-retningslinjer 2"]))
    r = rules(e, "eks-1", "2022-03-01")
    assert r["eksempelby-retningslinjer 2.1"].status == "set_aside"
    assert r["eksempelby-retningslinjer 2.2"].status == "set_aside"
    assert r["eksempelby-retningslinjer 2.1"].level == "municipal"
    assert r["eksempelby-retningslinjer 1"].status == "applies"


def test_regime_kinds_scope_all_reaches_only_those_kinds() -> None:
    e = engine(decision("901-1", ["eksempelloven § 1"]))
    assert rules(e, "eks-5", "2022-03-01")["eksempelloven § 1, stk. 1"].status == "set_aside"
    klub = rules(e, "eks-4", "2022-03-01")["eksempelloven § 1, stk. 1"]
    assert (klub.status, kinds(klub)) == ("applies", ["not_covered"])
    assert klub.because[0].data["why"] == {REGIME: "kind"}
    assert not rules(e, "eks-4", "2022-03-01")["eksempelloven § 1, stk. 2"].guardrail


def test_private_provider_reached_only_on_request() -> None:
    e = engine(decision("901-1", ["eksempelloven § 1"]))
    no_request = rules(e, "eks-2", "2022-03-01")["eksempelloven § 1, stk. 1"]
    assert (no_request.status, kinds(no_request)) == ("applies", ["not_covered"])
    assert no_request.because[0].data["why"] == {REGIME: "private"}
    assert "privat leverandør" in no_request.because[0].text
    requested = rules(e, "eks-3", "2022-03-01")["eksempelloven § 1, stk. 1"]
    assert requested.status == "set_aside"


def test_protected_groups_and_general_guardrails_are_conditions_on_set_aside() -> None:
    e = engine(decision("901-1", ["eksempelloven § 1"]))
    r = rules(e, "eks-1", "2022-03-01")
    v = r["eksempelloven § 1, stk. 1"]
    assert kinds(v) == ["decision", "condition", "condition"]
    assert {c.data["condition"] for c in v.because[1:]} == {"protected_group",
                                                            "general_guardrail"}
    assert "beskyttede grupper" in v.because[1].text
    assert "condition" not in kinds(r["eksempelloven § 2"])  # not set aside: no conditions


def test_run_off_note_shown_after_regime_end() -> None:
    e = engine(decision("901-1", ["eksempelloven § 1"]))
    v = rules(e, "eks-1", "2025-09-01")["eksempelloven § 1, stk. 1"]
    assert v.status == "applies"
    assert kinds(v) == ["regime_ended", "condition"]
    assert v.because[1].data["condition"] == "run_off"
    assert v.because[0].data["regime_end"] == "2025-08-01"


# ------------------------------------------------------------------ §3.1 relevance


def test_relevance_by_act_area() -> None:
    e = engine()
    school = rules(e, "eks-7", "2022-03-01")
    assert set(school) == {"eksempel-skoleloven § 1", "eksempel-skoleloven § 2, stk. 1",
                           "eksempel-skoleloven § 2, stk. 2"}
    assert "eksempelloven § 1, stk. 1" in rules(e, "eks-1", "2022-03-01")


def test_relevance_by_act_kinds() -> None:
    e = engine()
    assert "eksempel-klubloven § 1" in rules(e, "eks-4", "2022-03-01")
    assert "eksempel-klubloven § 1" not in rules(e, "eks-1", "2022-03-01")


def test_relevance_municipal_rules_only_in_own_municipality() -> None:
    e = engine()
    assert "eksempelby-retningslinjer 1" in rules(e, "eks-1", "2022-03-01")
    assert "eksempelby-retningslinjer 1" not in rules(e, "eks-6", "2022-03-01")
    assert "proeveby-retningslinjer 1" not in rules(e, "eks-1", "2022-03-01")


def test_rules_are_in_act_order_and_only_leaves() -> None:
    e = engine()
    cits = [v.citation for v in e.institution_rules("eks-1", d("2022-03-01"))]
    assert cits[:4] == ["eksempelloven § 1, stk. 1", "eksempelloven § 1, stk. 2",
                        "eksempelloven § 2", "eksempelloven § 3, stk. 1"]
    assert "eksempelloven § 1" not in cits and "eksempelloven § 3, stk. 2" not in cits


def test_institution_moves_between_municipalities() -> None:
    e = engine(decision("901-1", ["eksempelloven § 2"]))
    before = rules(e, "eks-8", "2021-12-01")
    after = rules(e, "eks-8", "2022-03-01")
    assert kinds(before["eksempelloven § 2"]) == ["not_covered"]
    assert after["eksempelloven § 2"].status == "set_aside"
    assert "eksempelby-retningslinjer 1" in after and "eksempelby-retningslinjer 1" not in before


def test_institution_not_open_on_date_has_no_rules() -> None:
    e = engine()
    assert e.institution_rules("eks-1", d("1999-01-01")) == []
    assert e.institution_rules("eks-1", d("2000-01-01")) != []  # its first day
    assert e.membership("eks-8", d("2021-06-01")).municipality == 903  # type: ignore[union-attr]


# ------------------------------------------------------------------ §3.2 versions


def test_version_exclusion_uses_latest_earlier_version() -> None:
    e = engine()
    v = rules(e, "eks-1", "2022-03-01")["eksempelloven § 5"]
    assert v.status == "applies"
    assert kinds(v) == ["no_decision", "version_exclusion"]
    assert v.because[1].data["applied_from"] == "2010-01-01"
    assert v.because[1].data["excluded_from"] == "2022-01-01"
    # where the regime does not cover, the new version applies with no exclusion
    assert kinds(rules(e, "eks-6", "2022-03-01")["eksempelloven § 5"]) == ["not_covered"]
    # before the amendment, nothing to exclude
    assert kinds(rules(e, "eks-1", "2021-12-01")["eksempelloven § 5"]) == ["no_decision"]


def test_version_exclusion_without_earlier_version_is_not_in_force() -> None:
    w = example_world()
    w = w.with_(versions=(Version(ACT, "§ 4", d("2022-01-01"), None, "ny (eksempel)",
                                  (Exclusion(REGIME),)),))
    e = engine(world=w)
    v = rules(e, "eks-1", "2022-03-01")["eksempelloven § 4"]
    assert (v.status, kinds(v)) == ("not_in_force", ["version_exclusion"])
    assert rules(e, "eks-6", "2022-03-01")["eksempelloven § 4"].status == "applies"


def test_no_version_on_date_is_not_in_force() -> None:
    w = example_world()
    w = w.with_(versions=(Version(ACT, "§ 4", d("2010-01-01"), d("2021-01-01")),
                          Version(ACT, "§ 2", d("2023-01-01"), None)))
    e = engine(world=w)
    r = rules(e, "eks-1", "2022-03-01")
    assert (r["eksempelloven § 4"].status, kinds(r["eksempelloven § 4"])) == (
        "not_in_force", ["repealed"])
    assert (r["eksempelloven § 2"].status, kinds(r["eksempelloven § 2"])) == (
        "not_in_force", ["not_yet_effective"])


# ------------------------------------------------------------------ §3.3 candidates


def test_scope_list_of_institutions() -> None:
    e = engine(decision("901-1", ["eksempelloven § 2"], scope=Scope(institutions=("eks-1",))))
    assert rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"].status == "set_aside"
    other = rules(e, "eks-5", "2022-03-01")["eksempelloven § 2"]
    assert (other.status, kinds(other)) == ("applies", ["no_decision"])


def test_scope_by_institution_kind() -> None:
    e = engine(decision("901-1", ["eksempelloven § 2"], scope=Scope(kinds=("dagpleje",))))
    assert rules(e, "eks-5", "2022-03-01")["eksempelloven § 2"].status == "set_aside"
    assert rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"].status == "applies"


def test_decision_not_yet_effective() -> None:
    e = engine(decision("901-1", ["eksempelloven § 2"], effective_from="2022-08-01"))
    v = rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"]
    assert (v.status, kinds(v)) == ("applies", ["not_yet_effective"])
    assert rules(e, "eks-1", "2022-08-01")["eksempelloven § 2"].status == "set_aside"


def test_a_known_decision_not_yet_effective_says_nothing_of_unknown_ones() -> None:
    # SEMANTICS §3.4: where the register knows only part of the decisions, a known decision
    # that does not hold on D leaves the answer unknown (another decision may hold)
    w = example_world()
    partial = w.with_(completeness=tuple(
        dataclasses.replace(c, level="partial") if c.municipality == 901 else c
        for c in w.completeness))
    e = engine(decision("901-1", ["eksempelloven § 2"], effective_from="2022-08-01"),
               world=partial)
    v = rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"]
    assert (v.status, kinds(v)) == ("unknown", ["decisions_incomplete", "not_yet_effective"])
    assert v.because[0].data["level"] == "partial"
    assert rules(e, "eks-1", "2022-08-01")["eksempelloven § 2"].status == "set_aside"


def test_decision_expired_by_its_own_end() -> None:
    e = engine(decision("901-1", ["eksempelloven § 2"], effective_to="2022-01-01"))
    assert rules(e, "eks-1", "2021-12-31")["eksempelloven § 2"].status == "set_aside"
    v = rules(e, "eks-1", "2022-01-01")["eksempelloven § 2"]
    assert (v.status, kinds(v)) == ("applies", ["expired"])


def test_revocation_holds_from_revoking_decisions_effective_date() -> None:
    e = engine(
        decision("901-1", ["eksempelloven § 2"]),
        decision("901-2", ["eksempelloven § 1, stk. 1"], effective_from="2022-02-01",
                 published_on="2022-01-10", revokes=("901-1",), recorded_at="2022-01-10"),
    )
    assert rules(e, "eks-1", "2022-01-31")["eksempelloven § 2"].status == "set_aside"
    v = rules(e, "eks-1", "2022-02-01")["eksempelloven § 2"]
    assert (v.status, kinds(v)) == ("applies", ["revoked"])
    assert v.because[0].data["revoked_by"] == "901-2"
    assert e.decision_state("901-1", d("2022-02-01")) == "revoked"


def test_unpublished_revocation_does_not_revoke() -> None:
    e = engine(
        decision("901-1", ["eksempelloven § 2"]),
        decision("901-2", ["eksempelloven § 2"], effective_from="2022-02-01",
                 published=False, revokes=("901-1",)),
    )
    assert rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"].status == "set_aside"


def test_published_decision_with_unknown_publication_date_counts() -> None:
    e = engine(decision("901-1", ["eksempelloven § 2"], published_on=None))
    v = rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"]
    assert v.status == "set_aside"
    assert e.decision_state("901-1", d("2022-03-01")) == "in_force"


def test_unpublished_decision_does_not_count() -> None:
    e = engine(decision("901-1", ["eksempelloven § 2"], published=False))
    v = rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"]
    assert (v.status, kinds(v)) == ("applies", ["no_decision"])
    assert e.decision_state("901-1", d("2022-03-01")) == "draft"


def test_regime_end_takes_its_decisions_with_it() -> None:
    e = engine(decision("901-1", ["eksempelloven § 2"]))
    assert rules(e, "eks-1", "2025-07-31")["eksempelloven § 2"].status == "set_aside"
    v = rules(e, "eks-1", "2025-08-01")["eksempelloven § 2"]
    assert v.status == "applies" and kinds(v)[0] == "regime_ended"
    assert e.decision_state("901-1", d("2025-08-01")) == "ended"


def test_regime_extension_is_a_record_time_fact() -> None:
    dec = decision("901-1", ["eksempelloven § 2"])
    before = engine(dec, k="2024-05-31")
    after = engine(dec, k="2024-06-01")
    v = rules(before, "eks-1", "2024-11-01")["eksempelloven § 2"]
    assert v.status == "applies" and kinds(v)[0] == "regime_ended"
    assert v.because[0].data["regime_end"] == "2024-10-01"
    assert rules(after, "eks-1", "2024-11-01")["eksempelloven § 2"].status == "set_aside"


def test_known_at_hides_decisions_registered_later() -> None:
    dec = decision("901-1", ["eksempelloven § 2"], recorded_at="2021-09-15")
    v = rules(engine(dec, k="2021-09-14"), "eks-1", "2021-09-01")["eksempelloven § 2"]
    assert (v.status, kinds(v)) == ("applies", ["no_decision"])
    v2 = rules(engine(dec, k="2021-09-15"), "eks-1", "2021-09-01")["eksempelloven § 2"]
    assert v2.status == "set_aside"


def test_not_covered_municipality() -> None:
    e = engine(decision("903-1", ["eksempelloven § 2"], municipality=903))
    v = rules(e, "eks-6", "2022-03-01")["eksempelloven § 2"]
    assert (v.status, kinds(v)) == ("applies", ["not_covered"])
    assert v.because[0].data["decision"] == "903-1"  # the decision exists, but not covered


def test_no_decision_when_covered_but_nothing_set_aside() -> None:
    v = rules(engine(), "eks-1", "2022-03-01")["eksempelloven § 2"]
    assert (v.status, kinds(v)) == ("applies", ["no_decision"])
    assert v.because[0].data["regimes"] == [REGIME]


# ------------------------------------------------------------------ §3.4 status and order


def test_partial_set_aside_carries_note_and_replacement() -> None:
    e = engine(decision("901-1", [target("eksempelloven § 2", "partial", "kun 1. pkt.")],
                        replacement="lokale retningslinjer (eksempel)"))
    v = rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"]
    assert v.status == "partially_set_aside"
    assert v.because[0].data["note"] == "kun 1. pkt."
    assert v.because[0].data["replacement"] == "lokale retningslinjer (eksempel)"
    assert "Delvis sat ud af kraft" in v.because[0].text


def test_whole_wins_over_partial_and_all_candidates_are_listed() -> None:
    e = engine(
        decision("901-1", [target("eksempelloven § 2", "partial", "delvis")]),
        decision("901-2", ["eksempelloven afsnit II"],
                 scope=Scope(institutions=("eks-1",))),
    )
    v = rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"]
    assert v.status == "set_aside"
    assert [r.record_id for r in v.because if r.kind == "decision"] == ["901-2", "901-1"]
    assert v.decision_ids() == ("901-2", "901-1")


def test_most_specific_target_of_one_decision_decides_its_extent() -> None:
    e = engine(decision("901-1", ["eksempelloven § 3",
                                  target("eksempelloven § 3, stk. 1", "partial", "delvis")]))
    r = rules(e, "eks-1", "2022-03-01")
    assert r["eksempelloven § 3, stk. 1"].status == "partially_set_aside"
    assert r["eksempelloven § 3, stk. 2, nr. 1"].status == "set_aside"


def test_municipality_status_counts_only_whole_municipality_decisions() -> None:
    e = engine(decision("901-1", ["eksempelloven § 2"], scope=Scope(institutions=("eks-1",))),
               decision("901-2", ["eksempelloven § 3"]))
    assert e.municipality_status(901, "dagtilbud", ACT, "§ 2", d("2022-03-01")).status \
        == "applies"
    assert e.municipality_status(901, "dagtilbud", ACT, "§ 3, stk. 1",
                                 d("2022-03-01")).status == "set_aside"
    v = e.municipality_status(901, "dagtilbud", ACT, "§ 1, stk. 2", d("2022-03-01"))
    assert v.guardrail


def test_exemption_sets_aside_only_what_the_regime_lets_be_set_aside() -> None:
    e = engine(exemptions=(exemption("fk-1", ["eksempelloven § 3", "eksempelloven § 4"]),))
    r = rules(e, "eks-1", "2022-03-01")
    v = r["eksempelloven § 3, stk. 1"]
    assert (v.status, kinds(v)[0]) == ("set_aside", "exemption")
    assert v.because[0].data["exemption"] == "fk-1"
    assert e.municipality_status(901, "dagtilbud", ACT, "§ 3, stk. 1",
                                 d("2022-03-01")).status == "set_aside"
    unlisted = r["eksempelloven § 4"]  # § 4 is not on the regime's list
    assert (unlisted.status, kinds(unlisted)) == ("applies", ["not_deviable"])
    assert unlisted.because[0].data["exemption"] == "fk-1"


def test_exemption_needs_approval_and_period_and_coverage() -> None:
    e = engine(exemptions=(
        exemption("fk-1", ["eksempelloven § 4"], approved_on=None),
        exemption("fk-2", ["eksempelloven § 2"], valid_to="2022-01-01"),
        exemption("fk-3", ["eksempelloven § 3"], municipality=903),
    ))
    r = rules(e, "eks-1", "2022-03-01")
    assert r["eksempelloven § 4"].status == "applies"
    assert kinds(r["eksempelloven § 2"]) == ["expired"]
    assert rules(e, "eks-6", "2022-03-01")["eksempelloven § 3, stk. 1"].status == "applies"


def test_repeal_of_municipal_provision_or_ancestor_is_not_in_force() -> None:
    e = engine(repeals=(repeal("eksempelby-retningslinjer", "2", "2021-08-01"),))
    r = rules(e, "eks-1", "2022-03-01")
    for cit in ("eksempelby-retningslinjer 2.1", "eksempelby-retningslinjer 2.2"):
        assert (r[cit].status, kinds(r[cit])) == ("not_in_force", ["repealed"])
    assert r["eksempelby-retningslinjer 1"].status == "applies"
    assert rules(e, "eks-1", "2021-07-31")["eksempelby-retningslinjer 2.1"].status == "applies"
    assert "ophævet" in r["eksempelby-retningslinjer 2.1"].because[0].text


def test_guardrail_flag_without_any_decision() -> None:
    e = engine()
    assert rules(e, "eks-1", "2022-03-01")["eksempelloven § 1, stk. 2"].guardrail
    assert not rules(e, "eks-1", "2022-03-01")["eksempelloven § 1, stk. 1"].guardrail
    assert not rules(e, "eks-6", "2022-03-01")["eksempelloven § 1, stk. 2"].guardrail


# ------------------------------------------------------------------ texts and JSON


def test_decision_reason_is_a_danish_sentence() -> None:
    e = engine(decision("901-1", ["eksempelloven § 2"],
                        by=DecidedBy("committee", "Børne- og Eksempeludvalget")))
    r = rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"].because[0]
    assert r.text == ("Sat ud af kraft af Eksempelby Kommune (Børne- og Eksempeludvalget) fra "
                      "1. august 2021 efter eksempelordningen på dagtilbudsområdet "
                      "(lov nr. 9999/2021).")
    assert r.text_en.startswith("Set aside by Eksempelby Municipality")
    assert r.data["body"] == "committee" and r.data["effective_from"] == "2021-08-01"


def test_date_precision_is_stated_in_the_text() -> None:
    e = engine(decision("901-1", ["eksempelloven § 2"], date_precision="month"))
    r = rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"].because[0]
    assert "fra august 2021 (datoen kendes kun på måned)" in r.text


def test_council_administration_and_institution_bodies_in_danish() -> None:
    for by, words in ((DecidedBy("council"), "(kommunalbestyrelsen)"),
                      (DecidedBy("administration"), "(forvaltningen)"),
                      (DecidedBy("institution", institution="eks-1"),
                       "(institutionen Eksempel Børnehus)")):
        e = engine(decision("901-1", ["eksempelloven § 2"], by=by))
        assert words in rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"].because[0].text


def test_verdict_to_json_shape() -> None:
    e = engine(decision("901-1", ["eksempelloven § 2"]))
    j = rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"].to_json()
    assert {"citation", "act", "level", "status", "guardrail", "because"} <= set(j)
    assert j["citation"] == "eksempelloven § 2" and j["level"] == "state"
    b = j["because"][0]  # type: ignore[index]
    assert b["kind"] == "decision" and b["decision"] == "901-1"
    assert b["regime"] == REGIME and b["text"].startswith("Sat ud af kraft")
    en = rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"].to_json("en")
    assert en["because"][0]["text"].startswith("Set aside")  # type: ignore[index]


def test_unknown_records_raise_not_found() -> None:
    e = engine()
    with pytest.raises(UnknownRecord) as err:
        e.institution_rules("findes-ikke", d("2022-03-01"))
    assert err.value.code == "not_found"
    with pytest.raises(UnknownRecord):
        e.municipality_status(999, "dagtilbud", ACT, "§ 2", d("2022-03-01"))
    with pytest.raises(UnknownRecord):
        e.municipality_status(901, "dagtilbud", ACT, "§ 99", d("2022-03-01"))
    with pytest.raises(UnknownRecord):
        e.leaf_verdict("eks-1", "ukendt-lov", "§ 1", d("2022-03-01"))
    with pytest.raises(UnknownRecord):
        e.decision_state("findes-ikke", d("2022-03-01"))


def test_tree_helpers() -> None:
    e = engine()
    assert [p.ref for p in e.children(ACT, "§ 3")] == ["§ 3, stk. 1", "§ 3, stk. 2"]
    assert [p.ref for p in e.ancestors(ACT, "§ 1, stk. 2")] == ["§ 1", "afsnit II", ""]
    assert [p.ref for p in e.leaves("eksempel-skoleloven")] == ["§ 1", "§ 2, stk. 1",
                                                                "§ 2, stk. 2"]
    assert e.leaf_verdict("eks-1", ACT, "§ 2", d("2022-03-01")).status == "applies"


def test_decision_state_future_and_in_force() -> None:
    e = engine(decision("901-1", ["eksempelloven § 2"]))
    assert e.decision_state("901-1", d("2021-07-15")) == "future"
    assert e.decision_state("901-1", d("2021-08-01")) == "in_force"


def test_known_law_is_named_by_number_and_date() -> None:
    w = replace_regime(example_world(), REGIME,
                       legal_basis="https://www.retsinformation.dk/eli/lta/2021/880",
                       title="Velfærdsaftale på dagtilbudsområdet (Helsingør og Rebild)")
    e = engine(decision("901-1", ["eksempelloven § 2"],
                        by=DecidedBy("committee", "Børne- og Uddannelsesudvalget")), world=w)
    assert rules(e, "eks-1", "2022-03-01")["eksempelloven § 2"].because[0].text == (
        "Sat ud af kraft af Eksempelby Kommune (Børne- og Uddannelsesudvalget) fra "
        "1. august 2021 efter velfærdsaftalen på dagtilbudsområdet "
        "(lov nr. 880 af 12/05/2021).")


def test_an_act_without_catalogued_provisions_is_its_own_leaf() -> None:
    """A partial executive order named only as a whole can still be set aside and shown."""
    from frisat.engine.model import Act, Provision

    base = example_world()
    bek = Act(key="eksempel-bek", level="state", title="Eksempelbekendtgørelse",
              areas=("dagtilbud",), valid_from=d("2010-01-01"), partial=True)
    world = dataclasses.replace(
        base, acts=(*base.acts, bek),
        provisions=(*base.provisions, Provision("eksempel-bek", "", None)),
        versions=(*base.versions, Version("eksempel-bek", "", d("2010-01-01"))),
        regimes=tuple(dataclasses.replace(r, listings=(*r.listings, Listing(
            "eksempel-bek", "", "deviable"))) for r in base.regimes))
    e = engine(decision("901-1", ["eksempel-bek"]), world=world)
    assert rules(e, "eks-1", "2022-03-01")["eksempel-bek"].status == "set_aside"


def test_no_decision_text_says_whether_the_provision_could_be_set_aside() -> None:
    r = rules(engine(), "eks-1", "2022-03-01")
    assert "har ikke sat bestemmelsen ud af kraft" in r["eksempelloven § 3, stk. 1"].because[0].text
    assert "hegnspæl" in r["eksempelloven § 1, stk. 2"].because[0].text
    assert "giver ikke adgang" in r["eksempelloven § 4"].because[0].text
    assert r["eksempelloven § 4"].because[0].data["deviable"] is False
