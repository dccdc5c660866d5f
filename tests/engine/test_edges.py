"""Edges of the engine's rules that a random world reaches only by luck: the first day of a
repeal, the earliest of several revokers, exclusions for one area, dated listings, and
records re-recorded later. Each is a deterministic test on the example world
(``tests/worlds.py``)."""

from __future__ import annotations

import dataclasses

from frisat.engine import Engine, Verdict
from frisat.engine import national as national_of
from frisat.engine.model import (
    Coverage,
    Exclusion,
    Listing,
    Membership,
    Target,
    Version,
    World,
)
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



# ------------------------------------------------------------------ reasons, states, shapes


def test_a_repeal_reason_carries_the_repeal_and_names_the_owner() -> None:
    rp = dataclasses.replace(repeal("eksempelby-retningslinjer", "2", "2022-03-01"),
                             source_url="https://eksempel.invalid/ophaevelse")
    w = with_records(example_world(), repeals=(rp,))
    r = rules(w, "eks-1", "2022-03-01")["eksempelby-retningslinjer 2.1"].because[0]
    assert dict(r.data) == {"act": "eksempelby-retningslinjer",
                            "repealed": "eksempelby-retningslinjer 2", "from": "2022-03-01",
                            "decided_on": "2022-01-30",
                            "source_url": "https://eksempel.invalid/ophaevelse"}
    assert r.text == "Eksempelby Kommune har ophævet eksempelby-retningslinjer 2 fra " \
                     "1. marts 2022."
    assert r.text_en == "Eksempelby Municipality repealed eksempelby-retningslinjer 2 from " \
                        "1 March 2022."


def test_the_run_off_note_reason() -> None:
    w = with_records(example_world(), decisions=(decision("901-1", ["eksempelloven § 2"]),))
    v = rules(w, "eks-1", "2025-08-01")["eksempelloven § 2"]
    note = v.because[1]
    assert (note.kind, dict(note.data)) == ("condition", {
        "regime": REGIME, "condition": "run_off",
        "value": "Igangsatte tiltag kan fortsætte, til kommunen beslutter andet (eksempel)."})
    assert note.text.startswith("Efter ophøret af eksempelordningen på dagtilbudsområdet")
    assert note.text.endswith("til kommunen beslutter andet (eksempel).")
    assert note.text_en.startswith("After the end of")


def test_decision_states() -> None:
    w = example_world()
    w = with_records(w, coverage=(Coverage("eksempel-skoleordning", 901, "folkeskole",
                                           d("2023-01-01"), None),),
                     decisions=(
        decision("901-1", ["eksempelloven § 2"], effective_to="2022-01-01"),
        decision("901-2", ["eksempel-skoleloven § 1"], area="folkeskole",
                 regime="eksempel-skoleordning"),
        decision("901-3", ["eksempelloven § 2"], published=False),
        decision("903-1", ["eksempelloven § 2"], municipality=903)))
    e = Engine(w.known_at(at(NOW)))
    assert e.decision_state("901-1", d("2021-12-31")) == "in_force"
    assert e.decision_state("901-1", d("2022-01-01")) == "ended"  # its own end
    assert e.decision_state("901-1", d("2025-08-01")) == "ended"
    # effective, but its regime only covers from 2023: future until then
    assert e.decision_state("901-2", d("2022-06-01")) == "future"
    assert e.decision_state("901-2", d("2023-01-01")) == "in_force"
    assert e.decision_state("901-3", d("2022-06-01")) == "draft"
    assert e.decision_state("903-1", d("2022-06-01")) == "ended"  # never covered, none to come


def test_verdict_and_reason_json() -> None:
    w = with_records(example_world(), decisions=(decision("901-1", ["eksempelloven § 2"]),))
    v = rules(w, "eks-1", "2022-03-01")["eksempelloven § 2"]
    j = v.to_json()
    assert j["citation"] == "eksempelloven § 2" and j["act"] == ACT and j["ref"] == "§ 2"
    assert (j["level"], j["status"], j["guardrail"]) == ("state", "set_aside", False)
    assert j["heading"] == "Eksempel § 2"
    assert "summary" not in j  # empty: left out
    first = j["because"][0]  # type: ignore[index]
    assert first["kind"] == "decision" and first["decision"] == "901-1"
    assert first["text"] == v.because[0].text
    assert v.to_json("en")["because"][0]["text"] == v.because[0].text_en  # type: ignore[index]
    assert v.because[0].to_json("en")["text"] == v.because[0].text_en
    assert v.because[0].record_id == "901-1"
    assert v.decision_ids() == ("901-1",)


def test_national_json() -> None:
    from frisat.engine.model import Scope

    w = with_records(example_world(), decisions=(
        decision("901-1", ["eksempelloven § 2"]),
        decision("901-2", ["eksempelloven § 3, stk. 1"], scope=Scope(institutions=("eks-1",)))))
    n = national_of(Engine(w.known_at(at(NOW))), d("2022-03-01"))
    j = n.to_json()
    assert j["date"] == "2022-03-01" and j["municipalities_total"] == 3
    assert (j["freed_municipalities"], j["decisions_in_force"], j["exemptions_in_force"],
            j["provisions_set_aside"]) == (2, 2, 0, 2)
    assert j["regimes"][0] == {  # type: ignore[index]
        "key": REGIME, "title": "Eksempelordningen på dagtilbudsområdet",
        "legal_basis": "https://www.retsinformation.dk/eli/lta/2021/9999",
        "coverage": [{"municipality": 901, "name": "Eksempelby", "area": "dagtilbud",
                      "from": "2021-05-15", "to": "2025-08-01"}]}
    assert j["exceptions"] == [  # type: ignore[index]
        {"municipality": 901, "area": "dagtilbud", "institution": None,
         "citation": "eksempelloven § 2", "act": ACT, "status": "set_aside",
         "decision": "901-1", "decisions": ["901-1"]},
        {"municipality": 901, "area": "dagtilbud", "institution": "eks-1",
         "citation": "eksempelloven § 3, stk. 1", "act": ACT, "status": "set_aside",
         "decision": "901-2", "decisions": ["901-2"]}]


def test_tree_and_world_helpers() -> None:
    import pytest

    from frisat.engine import NotAnswerable, UnknownRecord

    e = Engine(example_world().known_at(at(NOW)))
    assert [p.ref for p in e.leaves("eksempel-klubloven")] == ["§ 1"]
    with pytest.raises(UnknownRecord):
        e.leaves("ukendt-lov")
    assert [p.ref for p in e.children(ACT)] == ["afsnit II", "§ 3", "§ 4", "§ 5"]
    assert e.provision(ACT, "§ 2").heading == "Eksempel § 2"
    with pytest.raises(UnknownRecord):
        e.provision(ACT, "§ 99")
    assert e.mark(REGIME, ACT, "§ 4", d=d("2022-01-01")) is None
    assert e.mark(REGIME, "eksempelby-retningslinjer", "1", 901, d("2022-01-01")) == "deviable"
    assert [p.ref for p in e.tree.descendants(ACT, "§ 3")] == [
        "§ 3, stk. 1", "§ 3, stk. 2", "§ 3, stk. 2, nr. 1", "§ 3, stk. 2, nr. 2"]
    assert e.tree.is_leaf(ACT, "§ 2") and not e.tree.is_leaf(ACT, "§ 3")
    assert not e.tree.is_leaf(ACT, "§ 99")
    assert e.tree.has(ACT, "§ 3") and not e.tree.has(ACT, "§ 99")
    with pytest.raises(NotAnswerable) as err:
        e.municipality_status(901, "dagtilbud", ACT, "§ 3", d("2022-03-01"))
    assert err.value.code == "not_leaf" and "§ 3, stk. 1" in str(err.value)
    with pytest.raises(NotAnswerable) as err:
        e.municipality_status(901, "dagtilbud", "eksempel-skoleloven", "§ 1", d("2022-03-01"))
    assert err.value.code == "not_relevant"
    w = example_world()
    assert w.covered_areas(REGIME, 901) == ["dagtilbud"]
    assert w.covered_areas(REGIME, 903) == []
    extra = World(decisions=(decision("901-1", ["eksempelloven § 2"]),))
    merged = w.merged(extra)
    assert merged.decisions == extra.decisions and merged.acts == w.acts
    assert len(list(merged.records())) == len(list(w.records())) + 1


def test_the_version_exclusion_reason() -> None:
    v = rules(example_world(), "eks-1", "2022-03-01")["eksempelloven § 5"]
    r = v.because[-1]
    assert dict(r.data) == {"regime": REGIME, "excluded_from": "2022-01-01",
                            "excluded_enacted_by": "lov nr. 2 af 2021 (eksempel)",
                            "basis": "lov nr. 3 af 2022 (eksempel)",
                            "applied_from": "2010-01-01"}
    assert r.text == (
        "Affattelsen af eksempelloven § 5 fra 1. januar 2022 (lov nr. 2 af 2021 (eksempel)) "
        "har ikke virkning i kommuner omfattet af eksempelordningen på dagtilbudsområdet "
        "(lov nr. 9999/2021), jf. lov nr. 3 af 2022 (eksempel); den tidligere affattelse "
        "(fra 1. januar 2010) gælder fortsat.")


def test_scope_institutions_by_kind_on_the_date() -> None:
    from frisat.engine.model import Institution, Scope

    def members(*ms: Membership) -> Engine:
        return Engine(with_records(
            example_world(), institutions=(Institution("eks-9", "Eksempel (eksempel)"),),
            memberships=ms).known_at(at(NOW)))

    dagpleje = decision("901-9", ["eksempelloven § 2"], scope=Scope(kinds=("dagpleje",)))
    e = members()
    assert e.scope_institutions(dagpleje, d("2022-03-01")) == ["eks-5"]
    assert e.scope_institutions(dataclasses.replace(dagpleje, municipality=902),
                                d("2022-03-01")) == []  # no institutions there
    # a kind changed in 2021: the latest record that holds counts, whatever the order
    older = Membership("eks-9", 901, "dagtilbud", "klub", d("2000-01-01"))
    newer = Membership("eks-9", 901, "dagtilbud", "dagpleje", d("2021-01-01"))
    for ms in ((older, newer), (newer, older)):
        assert members(*ms).scope_institutions(dagpleje, d("2022-03-01")) == [
            "eks-5", "eks-9"]
    # not yet open, or closed, on the date: not in scope
    later = Membership("eks-9", 901, "dagtilbud", "dagpleje", d("2023-01-01"))
    closed = Membership("eks-9", 901, "dagtilbud", "dagpleje", d("2000-01-01"),
                        d("2022-01-01"))
    assert members(later).scope_institutions(dagpleje, d("2022-03-01")) == ["eks-5"]
    assert members(closed).scope_institutions(dagpleje, d("2022-03-01")) == ["eks-5"]
    whole = decision("901-8", ["eksempelloven § 2"])
    assert sorted(members(closed).scope_institutions(whole, d("2022-03-01"))) == [
        "eks-1", "eks-2", "eks-3", "eks-4", "eks-5", "eks-8"]


def test_open_coverage_summary_and_dated_marks() -> None:
    from frisat.engine.model import Provision

    w = dated_listing_world()
    w = w.with_(coverage=(Coverage(REGIME, 901, "dagtilbud", d("2021-05-15"), None),),
                provisions=tuple(dataclasses.replace(p, summary="Kort resumé (eksempel).")
                                 if p.key == (ACT, "§ 2") else p for p in w.provisions)
                + (Provision("uden-lov", "§ 1", ""),))
    e = Engine(w.known_at(at(NOW)))
    row = national_of(e, d("2022-03-01")).to_json()["regimes"][0]["coverage"][0]  # type: ignore[index]
    assert row["to"] is None
    assert e.leaf_verdict("eks-1", ACT, "§ 2", d("2022-03-01")).to_json()["summary"] == \
        "Kort resumé (eksempel)."
    assert e.mark(REGIME, ACT, "§ 4", d=d("2022-06-01")) == "deviable"
    assert e.mark(REGIME, ACT, "§ 4", d=d("2023-06-01")) is None
    # provisions of an act the catalogue does not hold are still a tree
    assert [p.ref for p in e.leaves("uden-lov")] == ["§ 1"]
    assert e.tree.descendants("ukendt-lov", "§ 1") == []


def test_no_version_reasons_carry_the_provisions_dates() -> None:
    w = example_world().with_(versions=(
        Version(ACT, "§ 4", d("2010-01-01"), d("2020-01-01")),
        Version(ACT, "§ 4", d("2020-01-01"), d("2022-03-01")),
        Version(ACT, "§ 2", d("2023-01-01"), None), Version(ACT, "§ 2", d("2024-01-01"), None)))
    r = rules(w, "eks-1", "2022-03-01")
    assert dict(r["eksempelloven § 4"].because[0].data) == {"provision_to": "2022-03-01"}
    assert rules(w, "eks-1", "2022-02-28")["eksempelloven § 4"].status == "applies"
    assert dict(r["eksempelloven § 2"].because[0].data) == {"provision_from": "2023-01-01"}


def test_national_institution_rows_skip_closed_irrelevant_and_unset() -> None:
    from frisat.engine.model import Institution, Scope

    w = with_records(
        example_world(),
        institutions=(Institution("eks-0", "Lukket (eksempel)"),),
        memberships=(Membership("eks-0", 901, "dagtilbud", "daginstitution", d("2000-01-01"),
                                d("2022-01-01")),),
        coverage=(Coverage("eksempel-skoleordning", 901, "dagtilbud", d("2021-05-15"),
                           None),),
        decisions=(
            # listed scope: a closed institution first, then eks-1; a club act eks-1 is not
            # governed by, then a provision it is
            decision("901-1", ["eksempel-klubloven § 1", "eksempelloven § 3, stk. 1"],
                     scope=Scope(institutions=("eks-0", "eks-1"))),
            # eks-5 listed under a regime that cannot set § 2 aside; a whole-municipality
            # decision sets it aside: no institution row (the municipality row says it)
            decision("901-2", ["eksempelloven § 2"], regime="eksempel-skoleordning",
                     scope=Scope(institutions=("eks-5",))),
            decision("901-3", ["eksempelloven § 2"]),
        ))
    n = national_of(Engine(w.known_at(at(NOW))), d("2022-03-01"))
    rows = [(e.institution, e.citation) for e in n.exceptions]
    assert rows == [(None, "eksempelloven § 2"), ("eks-1", "eksempelloven § 3, stk. 1")]


def test_national_institution_rows_in_the_acts_order() -> None:
    from frisat.engine.model import Scope
    from worlds import tree

    w = example_world()
    w = w.with_(provisions=w.provisions + tree("eksempel-tiloven", ["§ 2", "§ 10"]),
                acts=w.acts + (dataclasses.replace(w.acts[0], key="eksempel-tiloven"),),
                regimes=tuple(dataclasses.replace(r, listings=(*r.listings, Listing(
                    "eksempel-tiloven", "", "deviable"))) if r.key == REGIME else r
                    for r in w.regimes))
    w = with_records(w, decisions=(decision("901-1", ["eksempel-tiloven"],
                                            scope=Scope(institutions=("eks-1",))),))
    n = national_of(Engine(w.known_at(at(NOW))), d("2022-03-01"))
    assert [e.citation for e in n.exceptions] == ["eksempel-tiloven § 2",
                                                  "eksempel-tiloven § 10"]


def test_exemption_states_on_their_edges() -> None:
    from worlds import exemption

    w = with_records(example_world(), exemptions=(
        exemption("fk-1", ["eksempelloven § 2"], valid_from="2021-08-01"),
        exemption("fk-2", ["eksempelloven § 3, stk. 1"], valid_to="2022-01-01")))
    before = rules(w, "eks-1", "2021-07-31")["eksempelloven § 2"]
    assert kinds(before) == ["not_yet_effective"]
    assert dict(before.because[0].data) == {"exemption": "fk-1", "regime": REGIME,
                                            "effective_from": "2021-08-01"}
    first = rules(w, "eks-1", "2021-08-01")["eksempelloven § 2"]
    assert kinds(first) == ["exemption", "condition", "condition"]
    assert rules(w, "eks-1", "2021-12-31")["eksempelloven § 3, stk. 1"].status == "set_aside"
    ended = rules(w, "eks-1", "2022-01-01")["eksempelloven § 3, stk. 1"]
    assert (kinds(ended), ended.because[0].data["effective_to"]) == (["expired"], "2022-01-01")
    gone = rules(w, "eks-1", "2025-08-01")["eksempelloven § 2"]
    assert kinds(gone) == ["regime_ended", "condition"]
    assert gone.because[0].data["regime_end"] == "2025-08-01"


def test_municipality_status_for_own_rules_and_excluded_versions() -> None:
    w = with_records(example_world(),
                     decisions=(decision("901-1", ["eksempelby-retningslinjer 2"]),))
    e = Engine(w.known_at(at(NOW)))
    v = e.municipality_status(901, "dagtilbud", "eksempelby-retningslinjer", "2.1",
                              d("2022-03-01"))
    assert v.status == "set_aside"
    v5 = e.municipality_status(901, "dagtilbud", ACT, "§ 5", d("2022-03-01"))
    assert kinds(v5) == ["no_decision", "version_exclusion"]


def test_unknown_acts_and_nodes_are_named() -> None:
    import pytest

    from frisat.engine import UnknownRecord
    from worlds import tree

    w = example_world()
    e = Engine(w.with_(provisions=w.provisions + tree("uden-lov", ["§ 1"])).known_at(at(NOW)))
    assert e.provision("uden-lov", "§ 1").ref == "§ 1"
    with pytest.raises(UnknownRecord, match="Ukendt lov: ukendt-lov"):
        e.provision("ukendt-lov", "§ 1")
    with pytest.raises(UnknownRecord, match="Ukendt bestemmelse: eksempelloven § 99"):
        e.provision(ACT, "§ 99")


def test_not_leaf_names_five_leaves() -> None:
    import pytest

    from frisat.engine import NotAnswerable

    e = Engine(example_world().known_at(at(NOW)))
    with pytest.raises(NotAnswerable) as err:
        e.municipality_status(901, "dagtilbud", ACT, "", d("2022-03-01"))
    assert str(err.value) == (
        "eksempelloven har underpunkter; spørg til et af dem, fx eksempelloven § 1, stk. 1, "
        "eksempelloven § 1, stk. 2, eksempelloven § 2, eksempelloven § 3, stk. 1, "
        "eksempelloven § 3, stk. 2, nr. 1 …")


def test_guardrail_reason_text_and_decision_ids_of_candidates_only() -> None:
    w = with_records(example_world(), decisions=(
        decision("901-1", ["eksempelloven § 1"]),
        decision("901-2", ["eksempelloven § 1, stk. 1"], effective_to="2022-01-01")))
    r = rules(w, "eks-1", "2022-03-01")
    g = r["eksempelloven § 1, stk. 2"].because[0]
    # the decision is named by its municipality and title, never by its register id
    assert g.text == ("Eksempelby Kommunes beslutning »Eksempelbeslutning 901-1« omfatter "
                      "eksempelloven § 1, men eksempelloven § 1, stk. 2 er en hegnspæl efter "
                      "eksempelordningen på dagtilbudsområdet (lov nr. 9999/2021). "
                      "Bestemmelsen gælder fortsat.")
    v = r["eksempelloven § 1, stk. 1"]
    assert kinds(v) == ["decision", "condition", "condition", "expired"]
    assert v.decision_ids() == ("901-1",)


def test_the_exemption_reason_in_full() -> None:
    from frisat.engine.model import Exemption

    ex = Exemption("fk-1", REGIME, 901, "dagtilbud",
                   (Target(ACT, "§ 2", "partial", "kun 1. pkt. (eksempel)"),),
                   d("2021-08-01"), d("2023-01-01"), d("2021-07-01"),
                   "godkendelse (eksempel)", "https://eksempel.invalid/fk-1")
    w = with_records(example_world(), exemptions=(ex,))
    r = rules(w, "eks-1", "2022-03-01")["eksempelloven § 2"].because[0]
    assert dict(r.data) == {
        "exemption": "fk-1", "regime": REGIME,
        "legal_basis": "https://www.retsinformation.dk/eli/lta/2021/9999",
        "exemption_basis": "godkendelse (eksempel)", "municipality": 901,
        "area": "dagtilbud", "approved_on": "2021-07-01", "from": "2021-08-01",
        "to": "2023-01-01", "target": "eksempelloven § 2", "extent": "partial",
        "note": "kun 1. pkt. (eksempel)", "source_url": "https://eksempel.invalid/fk-1"}
    assert r.text.startswith("Eksempelby Kommune er delvis fritaget fra 1. august 2021 til ")
    assert r.text.endswith("ved ministeriets godkendelse (godkendt 1. juli 2021) efter "
                           "eksempelordningen på dagtilbudsområdet (lov nr. 9999/2021): "
                           "kun 1. pkt. (eksempel).")
    assert r.text_en.startswith("Eksempelby Municipality is partly exempted from "
                                "1 August 2021")
    assert "31 December 2022" in r.text_en and "31. december 2022" in r.text


def test_state_texts_carry_the_date_precision() -> None:
    w = with_records(example_world(), decisions=(
        decision("901-1", ["eksempelloven § 2"], effective_from="2022-08-01",
                 date_precision="month"),
        decision("901-2", ["eksempelloven § 3, stk. 1"], effective_to="2022-01-01")))
    r = rules(w, "eks-1", "2022-03-01")
    assert r["eksempelloven § 2"].because[0].text == (
        "Eksempelby Kommunes beslutning »Eksempelbeslutning 901-1« får først virkning fra "
        "august 2022 (datoen kendes kun på måned).")
    assert r["eksempelloven § 2"].because[0].text_en == (
        "Eksempelby Municipality's decision “Eksempelbeslutning 901-1” only takes effect from "
        "August 2022 (the date is only known to the month).")
    expired = r["eksempelloven § 3, stk. 1"].because[0]
    assert expired.text.startswith(
        "Eksempelby Kommunes beslutning »Eksempelbeslutning 901-2« gjaldt kun til")
    assert "2021" in expired.text


def test_texts_of_two_regimes_in_one_engine() -> None:
    """Each reason names its own regime (the words are remembered per regime)."""
    w = example_world()
    w = w.with_(acts=tuple(dataclasses.replace(a, areas=("dagtilbud", "folkeskole"))
                           if a.key == ACT else a for a in w.acts))
    w = with_records(w, decisions=(
        decision("901-1", ["eksempelloven § 4"]),
        decision("902-1", ["eksempel-skoleloven § 1"], municipality=902, area="folkeskole",
                 regime="eksempel-skoleordning"),
        decision("902-2", ["eksempelloven § 4"], municipality=902, area="folkeskole",
                 regime="eksempel-skoleordning")))
    e = Engine(w.known_at(at(NOW)))
    school_now = {v.citation: v for v in e.institution_rules("eks-7", d("2022-03-01"))}
    assert school_now["eksempelloven § 4"].because[0].text.endswith(
        "kan ikke fraviges efter eksempelordningen på skoleområdet (lov nr. 9999 af "
        "12/05/2021 (eksempel)). Bestemmelsen gælder fortsat.")
    day = {v.citation: v for v in e.institution_rules("eks-1", d("2022-03-01"))}
    assert day["eksempelloven § 4"].because[0].text == (
        "Eksempelby Kommunes beslutning »Eksempelbeslutning 901-1« omfatter eksempelloven "
        "§ 4, men eksempelloven § 4 kan ikke fraviges efter eksempelordningen på "
        "dagtilbudsområdet (lov nr. 9999/2021). Bestemmelsen gælder fortsat.")
    school = {v.citation: v for v in e.institution_rules("eks-7", d("2025-08-01"))}
    ended = school["eksempel-skoleloven § 1"].because[0]
    assert ended.kind == "regime_ended"
    assert ended.text == ("Prøveby Kommunes beslutning »Eksempelbeslutning 902-1« faldt bort, "
                          "da eksempelordningen på skoleområdet "
                          "(lov nr. 9999 af 12/05/2021 (eksempel)) ophørte for Prøveby "
                          "Kommune (1. august 2025).")


def test_guardrail_node_above_the_leaf_is_named() -> None:
    w = example_world().with_(regimes=tuple(
        dataclasses.replace(r, listings=(Listing(ACT, "§ 3", "deviable"),
                                         Listing(ACT, "§ 3, stk. 2", "guardrail")))
        if r.key == REGIME else r for r in example_world().regimes))
    w = with_records(w, decisions=(decision("901-1", ["eksempelloven § 3"]),))
    g = rules(w, "eks-1", "2022-03-01")["eksempelloven § 3, stk. 2, nr. 1"].because[0]
    assert g.data["guardrail_node"] == "eksempelloven § 3, stk. 2"
    assert "men eksempelloven § 3, stk. 2 er en hegnspæl" in g.text


def test_a_gap_between_versions_is_repealed_until_the_next() -> None:
    w = example_world().with_(versions=(Version(ACT, "§ 4", d("2010-01-01"), d("2020-01-01")),
                                        Version(ACT, "§ 4", d("2023-01-01"), None)))
    v = rules(w, "eks-1", "2022-03-01")["eksempelloven § 4"]
    assert (v.status, dict(v.because[0].data)) == ("not_in_force",
                                                   {"provision_to": "2020-01-01"})


def test_national_rows_when_a_narrower_target_comes_first() -> None:
    w = with_records(example_world(), decisions=(
        decision("901-1", ["eksempelloven § 3, stk. 1"]),
        decision("901-2", ["eksempelloven § 3"])))
    n = national_of(Engine(w.known_at(at(NOW))), d("2022-03-01"))
    assert [e.citation for e in n.exceptions] == ["eksempelloven § 3, stk. 1",
                                                  "eksempelloven § 3, stk. 2, nr. 1"]


def test_the_decision_reason_in_full() -> None:
    from frisat.engine.model import DecidedBy, Scope

    dec = dataclasses.replace(
        decision("901-1", [Target(ACT, "§ 2", "partial", "kun 1. pkt. (eksempel)")],
                 by=DecidedBy("institution", "Eksempel Børnehus", "eks-1"),
                 scope=Scope(institutions=("eks-1",)), effective_to="2023-01-01",
                 replacement="lokale regler (eksempel)", date_precision="month"),
        source_url="https://eksempel.invalid/901-1")
    r = rules(with_records(example_world(), decisions=(dec,)), "eks-1",
              "2022-03-01")["eksempelloven § 2"].because[0]
    assert dict(r.data) == {
        "decision": "901-1", "regime": REGIME,
        "legal_basis": "https://www.retsinformation.dk/eli/lta/2021/9999",
        "municipality": 901, "area": "dagtilbud", "body": "institution",
        "body_text": "institutionen Eksempel Børnehus", "body_name": "Eksempel Børnehus",
        "body_institution": "eks-1", "decided_on": "2021-06-25", "published_on": "2021-07-01",
        "effective_from": "2021-08-01", "effective_to": "2023-01-01",
        "date_precision": "month", "target": "eksempelloven § 2", "extent": "partial",
        "scope": "institutions", "note": "kun 1. pkt. (eksempel)",
        "replacement": "lokale regler (eksempel)",
        "source_url": "https://eksempel.invalid/901-1", "example": True}
    assert r.text.startswith("Delvis sat ud af kraft af Eksempelby Kommune (institutionen "
                             "Eksempel Børnehus) fra august 2021 indtil januar 2023 (datoen "
                             "kendes kun på måned)")
    assert "January 2023" in r.text_en and "known to the month" in r.text_en
