"""Loading bundles: atomic, idempotent, append-only, with clear errors (CONTRACT.md, Bundle)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from frisat.registry import models as db
from frisat.registry import store
from frisat.registry.bundle import parse_text
from frisat.registry.errors import Rejected
from frisat.registry.export import to_bundle
from frisat.registry.loader import load

pytestmark = pytest.mark.django_db

ALL_TABLES = [db.Area, db.Municipality, db.Institution, db.Membership, db.Act, db.Provision,
              db.Version, db.Regime, db.Listing, db.Coverage, db.Delegation, db.Decision,
              db.Target, db.Exemption, db.Repeal, db.Kept, db.Load]


def row_counts() -> dict[str, int]:
    return {t.__name__: t.objects.count() for t in ALL_TABLES}


def rejected_codes(doc) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    before = row_counts()
    with pytest.raises(Rejected) as info:
        load(doc)
    assert row_counts() == before, "a rejected bundle must store nothing"
    return [(e.path, e.code) for e in info.value.errors]


def test_load_stores_every_section_and_reload_is_a_no_op(example_bundle):
    first = load(example_bundle)
    assert first.added["acts"] == 1 and first.added["decisions"] == 1
    # the original period and the extension claim record times before the reference data's
    # load: both are registered now, so only the newer claim (the extension) is stored
    assert first.added["coverage"] == 1
    stored = [c for c in store.read_world().coverage if c.regime == "eksempel-ordning"]
    assert [c.valid_to for c in stored] == [dt.date(2025, 8, 1)]
    before = row_counts()
    again = load(example_bundle)
    assert again.added == {}
    assert again.skipped > 0
    assert row_counts() == before


def test_export_loads_back_to_the_same_records(example_bundle):
    load(example_bundle)
    exported = to_bundle(store.read_world(reference=False))
    text = json.dumps(exported, ensure_ascii=False)
    before = row_counts()
    result = load(parse_text(text))
    assert result.added == {}, "every exported record must already be there, unchanged"
    assert row_counts() == before
    # and the exported document, read back, holds the same records as the register
    from frisat.registry.bundle import read_bundle

    reread = read_bundle(parse_text(text), dt.datetime.now(dt.UTC))
    stored = store.read_world(reference=False)
    assert set(reread.decisions) == set(stored.decisions)
    assert set(reread.coverage) == set(stored.coverage)
    assert set(reread.provisions) == set(stored.provisions)
    assert set(reread.versions) == set(stored.versions)
    assert set(reread.memberships) == set(stored.memberships)


def test_published_decision_is_immutable(example_bundle):
    load(example_bundle)
    changed = copy.deepcopy(example_bundle)
    changed["decisions"][0]["effective_from"] = "2021-09-01"
    assert ("decisions[0]", "immutable") in rejected_codes(changed)


def test_a_changed_act_appends_history_and_earlier_answers_stay(example_bundle):
    load(example_bundle)
    before = store.read_world()
    first_seen = store.now()
    changed = copy.deepcopy(example_bundle)
    changed["acts"][0]["title"] = "Et andet navn"
    result = load(changed)
    assert result.added == {"acts": 1, "provisions": 1}  # the act and its heading
    world = store.read_world()
    titles = [a.title for a in world.acts if a.key == "eksempelloven"]
    assert len(titles) == 2 and titles[-1] == "Et andet navn"
    # the earlier record time still sees the earlier title, and only it
    assert [a.title for a in world.known_at(first_seen).acts if a.key == "eksempelloven"] \
        == [a.title for a in before.acts if a.key == "eksempelloven"]
    assert [a.title for a in world.known_at(store.now()).acts if a.key == "eksempelloven"] \
        == ["Et andet navn"]
    assert load(changed).added == {}  # and loading it again is a no-op


def test_unknown_provision_in_target_is_rejected(example_bundle):
    example_bundle["decisions"][0]["targets"][0]["citation"] = "eksempelloven § 99"
    codes = rejected_codes(example_bundle)
    assert any(code == "unknown_provision" and path.startswith("decisions[0].targets[0]")
               for path, code in codes), codes


def test_guardrail_target_is_rejected(example_bundle):
    example_bundle["decisions"][0]["targets"] = [
        {"citation": "eksempelloven § 1, stk. 2", "extent": "whole"}]
    codes = rejected_codes(example_bundle)
    assert any(code == "guardrail" for _, code in codes), codes


def test_too_early_effect_is_rejected(example_bundle):
    example_bundle["decisions"][0]["effective_from"] = "2021-07-05"  # publication day itself
    codes = rejected_codes(example_bundle)
    assert any(code == "too_early" and path.endswith("effective_from") for path, code in codes)


def test_scope_institution_of_another_municipality_is_rejected(example_bundle):
    example_bundle["decisions"][0]["scope"] = {"institutions": ["eks-3"]}  # in København
    codes = rejected_codes(example_bundle)
    assert any(code == "scope" for _, code in codes), codes


def test_decision_for_uncovered_municipality_is_rejected(example_bundle):
    example_bundle["decisions"][0]["municipality"] = 101
    codes = rejected_codes(example_bundle)
    assert any(code == "not_covered" for _, code in codes), codes


def test_malformed_json_is_rejected_with_format_code():
    with pytest.raises(Rejected) as info:
        parse_text('{"format": "frisat-bundle/1", "decisions": [', "bad.json")
    assert info.value.errors[0].code == "format"
    assert "linje" in info.value.errors[0].message


def test_wrong_types_name_the_field(example_bundle):
    example_bundle["decisions"][0]["effective_from"] = "første august"
    example_bundle["institutions"][0]["municipality"] = "Helsingør"
    codes = rejected_codes(example_bundle)
    assert ("decisions[0].effective_from", "invalid") in codes
    assert ("institutions[0].municipality", "invalid") in codes


def test_wrong_format_is_rejected():
    assert rejected_codes({"format": "noget-andet/2"}) == [("format", "format")]


def test_unknown_reference_in_coverage(example_bundle):
    example_bundle["coverage"][0]["municipality"] = 999
    assert ("coverage[0].municipality", "unknown_municipality") in rejected_codes(example_bundle)


def test_future_record_time_is_rejected(example_bundle):
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    example_bundle["decisions"][0]["recorded_at"] = future
    assert ("decisions[0].recorded_at", "future_record") in rejected_codes(example_bundle)


def test_revoking_an_unknown_decision_is_rejected(example_bundle):
    example_bundle["decisions"][0]["revokes"] = ["217-1999-000"]
    assert ("decisions[0].revokes", "unknown_decision") in rejected_codes(example_bundle)


def test_stored_records_cannot_be_changed_or_deleted(example_bundle):
    load(example_bundle)
    decision = db.Decision.objects.get(pk="217-2021-901")
    decision.title = "ændret"
    with pytest.raises(db.ImmutableRecord):
        decision.save()
    with pytest.raises(db.ImmutableRecord):
        decision.delete()
    assert db.Decision.objects.get(pk="217-2021-901").title == "Eksempelbeslutning"


def _second_decision(example_bundle, **changes):  # type: ignore[no-untyped-def]
    second = copy.deepcopy(example_bundle["decisions"][0])
    second.update({"id": "217-2021-902", "effective_from": "2022-01-01"}, **changes)
    return second


def test_a_decision_may_not_revoke_another_municipalitys_decision(example_bundle):
    load(example_bundle)
    other = _second_decision(example_bundle, municipality=840, revokes=["217-2021-901"])
    codes = rejected_codes({"format": "frisat-bundle/1", "decisions": [other]})
    assert ("decisions[0].revokes", "revokes") in codes


def test_a_decision_may_not_revoke_itself_or_join_a_circle(example_bundle):
    load(example_bundle)
    itself = _second_decision(example_bundle, revokes=["217-2021-902"])
    assert ("decisions[0].revokes", "revokes") in rejected_codes(
        {"format": "frisat-bundle/1", "decisions": [itself]})
    a = _second_decision(example_bundle, id="217-2021-903", revokes=["217-2021-904"])
    b = _second_decision(example_bundle, id="217-2021-904", revokes=["217-2021-903"])
    codes = rejected_codes({"format": "frisat-bundle/1", "decisions": [a, b]})
    assert ("decisions[0].revokes", "revokes") in codes


def test_contradicting_history_records_in_one_bundle_are_rejected(example_bundle):
    example_bundle["coverage"].append({**example_bundle["coverage"][0], "to": "2022-02-01"})
    codes = rejected_codes(example_bundle)
    assert any(code == "duplicate" and path.startswith("coverage") for path, code in codes)


def test_history_compares_with_the_latest_record_of_its_key(example_bundle):
    load(example_bundle)
    # undo the extension: the original end again, now (a new record, not "already there")
    undo = {"format": "frisat-bundle/1", "coverage": [
        {"regime": "eksempel-ordning", "municipality": 217, "area": "dagtilbud",
         "from": "2021-06-01", "to": "2024-10-01"}]}
    assert load(undo).added == {"coverage": 1}
    assert load(undo).added == {}  # and loading it again is a no-op


def test_scope_with_both_institutions_and_kinds_is_rejected(example_bundle):
    example_bundle["decisions"][0]["scope"] = {"institutions": ["eks-1"],
                                               "kinds": ["daginstitution"]}
    assert ("decisions[0].scope", "invalid") in rejected_codes(example_bundle)


def test_missing_decided_by_is_reported_not_assumed(example_bundle):
    del example_bundle["decisions"][0]["decided_by"]
    assert ("decisions[0].decided_by", "missing") in rejected_codes(example_bundle)


def test_absurd_dates_are_rejected_not_crashed_on(example_bundle):
    example_bundle["decisions"][0]["published_on"] = "9999-12-31"
    assert ("decisions[0].published_on", "invalid") in rejected_codes(example_bundle)


def test_decided_after_publication_is_rejected(example_bundle):
    example_bundle["decisions"][0]["decided_on"] = "2021-07-10"
    assert ("decisions[0].decided_on", "invalid") in rejected_codes(example_bundle)


def test_the_same_target_twice_is_rejected(example_bundle):
    t = example_bundle["decisions"][0]["targets"][0]
    example_bundle["decisions"][0]["targets"].append({**t, "extent": "partial"})
    assert ("decisions[0].targets[2].citation", "duplicate") in rejected_codes(example_bundle)


def test_an_end_past_the_regime_is_cut_to_the_regime_end(example_bundle):
    example_bundle["decisions"][0]["effective_to"] = "2027-01-01"
    result = load(example_bundle)
    assert any(w.code == "cut_to_period" for w in result.warnings)
    stored = db.Decision.objects.get(pk="217-2021-901")
    assert stored.effective_to == dt.date(2025, 8, 1)


def test_an_exemption_needs_an_approval_date(example_bundle):
    load(example_bundle)
    doc = {"format": "frisat-bundle/1", "exemptions": [
        {"id": "eks-fritagelse-1", "regime": "eksempel-ordning", "municipality": 217,
         "targets": [{"citation": "eksempelloven § 3"}], "from": "2022-01-01"}]}
    assert ("exemptions[0].approved_on", "missing") in rejected_codes(doc)


def test_exclusions_must_be_a_list(example_bundle):
    example_bundle["acts"][0]["provisions"][1]["versions"] = [
        {"from": "2010-01-01", "exclusions": 5}]
    assert ("acts[0].provisions[1].versions[0].exclusions", "invalid") in rejected_codes(
        example_bundle)


def test_a_large_acts_positions_are_accepted_up_to_what_the_database_stores(example_bundle):
    # the importer spaces positions 1,000 apart: an act of 9,000 nodes reaches 9,000,000
    big = copy.deepcopy(example_bundle)
    big["acts"][0]["provisions"][-1]["order"] = 9_001_000
    assert load(big).added["acts"] == 1
    too_big = copy.deepcopy(example_bundle)
    too_big["acts"][0]["key"] = "eksempelloven-2"
    too_big["acts"][0]["provisions"][-1]["order"] = 2**31
    assert ("acts[0].provisions[7].order", "out_of_range") in rejected_codes(too_big)
