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
    assert first.added["coverage"] == 2  # the original period and the extension
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


def test_changed_act_is_a_conflict(example_bundle):
    load(example_bundle)
    changed = copy.deepcopy(example_bundle)
    changed["acts"][0]["title"] = "Et andet navn"
    assert ("acts[0]", "conflict") in rejected_codes(changed)


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
