"""Edges of the engine's rules that a random world reaches only by luck: the first day of a
repeal, the earliest of several revokers, exclusions for one area, dated listings, and
records re-recorded later. Each is a deterministic test on the example world
(``tests/worlds.py``)."""

from __future__ import annotations

import dataclasses

from frisat.engine import Engine, Verdict
from frisat.engine.model import Coverage, Exclusion, Listing, Membership, Version, World
from worlds import ACT, REGIME, at, d, decision, example_world, repeal, with_records

NOW = "2026-01-01"


def rules(world: World, inst: str, day: str, k: str = NOW) -> dict[str, Verdict]:
    return {v.citation: v for v in Engine(world.known_at(at(k))).institution_rules(inst, d(day))}


def kinds(v: Verdict) -> list[str]:
    return [r.kind for r in v.because]


# ------------------------------------------------------------------ repeal (§5)


def test_repeal_holds_from_its_first_day() -> None:
    w = with_records(example_world(),
                     repeals=(repeal("eksempelby-retningslinjer", "1", "2022-03-01"),))
    assert rules(w, "eks-1", "2022-02-28")["eksempelby-retningslinjer 1"].status == "applies"
    v = rules(w, "eks-1", "2022-03-01")["eksempelby-retningslinjer 1"]
    assert (v.status, kinds(v)) == ("not_in_force", ["repealed"])
    assert v.because[0].data["from"] == "2022-03-01"


def test_the_earliest_repeal_is_named() -> None:
    w = with_records(example_world(), repeals=(
        repeal("eksempelby-retningslinjer", "2", "2022-06-01"),
        repeal("eksempelby-retningslinjer", "2.1", "2022-03-01"),
    ))
    v = rules(w, "eks-1", "2022-07-01")["eksempelby-retningslinjer 2.1"]
    assert v.because[0].data["repealed"] == "eksempelby-retningslinjer 2.1"
    assert v.because[0].data["from"] == "2022-03-01"


def test_a_repeal_recorded_later_is_invisible_before() -> None:
    w = with_records(example_world(), repeals=(
        repeal("eksempelby-retningslinjer", "1", "2022-03-01", recorded_at="2022-05-01"),))
    early = rules(w, "eks-1", "2022-04-01", k="2022-04-30")["eksempelby-retningslinjer 1"]
    assert early.status == "applies"
    late = rules(w, "eks-1", "2022-04-01", k="2022-05-01")["eksempelby-retningslinjer 1"]
    assert late.status == "not_in_force"


# ------------------------------------------------------------------ revocation (§3.3)


def revokers(order: str) -> World:
    """901-1 revoked by 901-2 (from 2022-06-01) and by 901-3 (from 2022-03-01)."""
    target = decision("901-1", ["eksempelloven § 2"])
    late = decision("901-2", ["eksempelloven § 3, stk. 1"], effective_from="2022-06-01",
                    published_on="2022-05-01", revokes=("901-1",), recorded_at="2022-05-01")
    early = decision("901-3", ["eksempelloven § 3, stk. 1"], effective_from="2022-03-01",
                     published_on="2022-02-01", revokes=("901-1",), recorded_at="2022-02-01")
    pair = (late, early) if order == "late-first" else (early, late)
    return with_records(example_world(), decisions=(target, *pair))


def test_the_earliest_revoker_revokes_whatever_the_order_of_records() -> None:
    for order in ("late-first", "early-first"):
        w = revokers(order)
        assert rules(w, "eks-1", "2022-02-28")["eksempelloven § 2"].status == "set_aside"
        v = rules(w, "eks-1", "2022-03-01")["eksempelloven § 2"]
        assert (v.status, kinds(v)) == ("applies", ["revoked"]), order
        assert v.because[0].data["revoked_by"] == "901-3", order
        assert v.because[0].data["revoked_from"] == "2022-03-01", order
        assert Engine(w.known_at(at(NOW))).decision_state("901-1", d("2022-04-01")) == "revoked"


def test_same_day_revokers_are_ordered_by_id() -> None:
    w = with_records(example_world(), decisions=(
        decision("901-1", ["eksempelloven § 2"]),
        decision("901-9", ["eksempelloven § 3, stk. 1"], effective_from="2022-03-01",
                 published_on="2022-02-01", revokes=("901-1",)),
        decision("901-5", ["eksempelloven § 3, stk. 1"], effective_from="2022-03-01",
                 published_on="2022-02-01", revokes=("901-1",)),
    ))
    v = rules(w, "eks-1", "2022-03-01")["eksempelloven § 2"]
    assert v.because[0].data["revoked_by"] == "901-5"


def test_an_unpublished_earlier_revoker_does_not_count() -> None:
    w = with_records(example_world(), decisions=(
        decision("901-1", ["eksempelloven § 2"]),
        decision("901-2", ["eksempelloven § 3, stk. 1"], effective_from="2022-03-01",
                 published=False, revokes=("901-1",)),
        decision("901-3", ["eksempelloven § 3, stk. 1"], effective_from="2022-06-01",
                 published_on="2022-05-01", revokes=("901-1",)),
    ))
    assert rules(w, "eks-1", "2022-04-01")["eksempelloven § 2"].status == "set_aside"
    v = rules(w, "eks-1", "2022-06-01")["eksempelloven § 2"]
    assert v.because[0].data["revoked_by"] == "901-3"


def test_a_revoker_revokes_from_its_own_start_even_before_it_is_in_force_itself() -> None:
    """SEMANTICS §3.3: the revocation holds from the revoker's effective_from, whatever the
    revoker's own state (here its own regime does not cover: it sets nothing aside)."""
    w = with_records(example_world(), decisions=(
        decision("901-1", ["eksempelloven § 2"]),
        decision("901-2", ["eksempelloven § 2"], effective_from="2022-03-01",
                 published_on="2022-02-01", revokes=("901-1",), area="folkeskole"),
    ))
    v = rules(w, "eks-1", "2022-03-01")["eksempelloven § 2"]
    assert kinds(v) == ["revoked"]


# ------------------------------------------------------------------ exclusions (§3.2)


def excluded_for(area: str | None) -> World:
    w = example_world()
    return w.with_(versions=(
        Version(ACT, "§ 4", d("2010-01-01"), d("2022-01-01"), "v1 (eksempel)"),
        Version(ACT, "§ 4", d("2022-01-01"), None, "v2 (eksempel)",
                exclusions=(Exclusion(REGIME, area, "ændring (eksempel)"),)),
    ))


def test_an_exclusion_for_the_questions_area_applies() -> None:
    v = rules(excluded_for("dagtilbud"), "eks-1", "2022-03-01")["eksempelloven § 4"]
    assert kinds(v) == ["no_decision", "version_exclusion"]
    assert v.because[-1].data["applied_from"] == "2010-01-01"


def test_an_exclusion_for_another_area_does_not_apply() -> None:
    v = rules(excluded_for("folkeskole"), "eks-1", "2022-03-01")["eksempelloven § 4"]
    assert kinds(v) == ["no_decision"]


def test_an_exclusion_without_area_applies_in_every_covered_area() -> None:
    v = rules(excluded_for(None), "eks-1", "2022-03-01")["eksempelloven § 4"]
    assert kinds(v) == ["no_decision", "version_exclusion"]


def test_an_exclusion_counts_from_the_first_day_of_coverage() -> None:
    w = excluded_for(None).with_(coverage=(
        Coverage(REGIME, 901, "dagtilbud", d("2022-03-01"), d("2022-06-01")),))
    assert kinds(rules(w, "eks-1", "2022-02-28")["eksempelloven § 4"]) == ["not_covered"]
    assert kinds(rules(w, "eks-1", "2022-03-01")["eksempelloven § 4"])[-1] == \
        "version_exclusion"
    assert kinds(rules(w, "eks-1", "2022-06-01")["eksempelloven § 4"]) == ["not_covered"]


def test_the_version_boundary_is_half_open() -> None:
    w = excluded_for(None)
    assert kinds(rules(w, "eks-1", "2021-12-31")["eksempelloven § 4"]) == ["no_decision"]
    assert kinds(rules(w, "eks-1", "2022-01-01")["eksempelloven § 4"])[-1] == \
        "version_exclusion"


# ------------------------------------------------------------------ dated listings (§2)


def dated_listing_world() -> World:
    w = example_world()
    return w.with_(regimes=tuple(
        dataclasses.replace(r, listings=(*r.listings, Listing(
            ACT, "§ 4", "deviable", valid_from=d("2022-01-01"), valid_to=d("2023-01-01"))))
        if r.key == REGIME else r for r in w.regimes))


def test_a_dated_listing_holds_only_in_its_period() -> None:
    w = with_records(dated_listing_world(),
                     decisions=(decision("901-1", ["eksempelloven § 4"]),))
    assert kinds(rules(w, "eks-1", "2021-12-31")["eksempelloven § 4"]) == ["not_deviable"]
    assert rules(w, "eks-1", "2022-01-01")["eksempelloven § 4"].status == "set_aside"
    assert rules(w, "eks-1", "2022-12-31")["eksempelloven § 4"].status == "set_aside"
    assert kinds(rules(w, "eks-1", "2023-01-01")["eksempelloven § 4"]) == ["not_deviable"]


# ------------------------------------------------------------------ re-recorded facts (§6)


def test_a_membership_closed_by_a_later_record() -> None:
    w = with_records(example_world(), memberships=(
        Membership("eks-5", 901, "dagtilbud", "dagpleje", d("2000-01-01"), d("2022-01-01"),
                   recorded_at=at("2022-02-01")),))
    assert rules(w, "eks-5", "2022-03-01", k="2022-01-31") != {}
    assert rules(w, "eks-5", "2022-03-01", k="2022-02-01") == {}


def test_a_version_ended_by_a_later_record() -> None:
    w = example_world()
    w = w.with_(versions=(Version(ACT, "§ 4", d("2010-01-01"), None),
                          Version(ACT, "§ 4", d("2010-01-01"), d("2022-01-01"),
                                  recorded_at=at("2022-02-01"))))
    assert rules(w, "eks-1", "2022-03-01", k="2022-01-31")["eksempelloven § 4"].status == \
        "applies"
    v = rules(w, "eks-1", "2022-03-01", k="2022-02-01")["eksempelloven § 4"]
    assert (v.status, kinds(v)) == ("not_in_force", ["repealed"])

