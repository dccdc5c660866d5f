"""A historic claim ("this was known from 2024-04-23") is kept as its own record beside the
record time the register gave (issue 14, reproducible time): a record dated before the newest
load is registered at its load's time, its claimed time is stored as a ``Claim``, shown on
the decision page and in its JSON, and survives an export and a reload. All records are
made-up examples."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from django.test import Client

from frisat.engine import model as m
from frisat.registry import store
from frisat.registry.export import to_bundle
from frisat.registry.loader import load

pytestmark = pytest.mark.django_db

CLAIM = "2022-03-01T10:00:00+01:00"


def late_decision(example_bundle: dict, n: int = 1) -> dict:
    d = copy.deepcopy(example_bundle["decisions"][0])
    d.update(id=f"217-2022-97{n:02d}", title=f"Sent registreret eksempelbeslutning {n}",
             recorded_at=CLAIM, published_on="2022-02-20", decided_on="2022-02-10",
             effective_from="2022-04-01", source_url="https://example.org/eksempel")
    d.pop("revokes", None)
    return d


def test_a_record_registered_after_its_claimed_time_keeps_the_claim(example_bundle):
    load(example_bundle)
    before = store.now()
    load({"format": "frisat-bundle/1", "decisions": [late_decision(example_bundle)]})
    world = store.read_world()
    (d,) = [x for x in world.decisions if x.id == "217-2022-9701"]
    assert d.recorded_at > before  # registered at its load, not at the claimed time
    (claim,) = [c for c in world.claims if c.record == "217-2022-9701"]
    assert (claim.section, claim.known_from, claim.recorded_at) == \
        ("decisions", dt.datetime.fromisoformat(CLAIM), d.recorded_at)
    # the claim answers nothing: the register at the claimed time does not know the decision
    assert "217-2022-9701" not in {x.id for x in world.known_at(before).decisions}
    # shown as a claim, in the JSON and on the page
    api = Client().get("/api/v1/decisions/217-2022-9701").json()
    assert api["known_from"] == dt.datetime.fromisoformat(CLAIM).isoformat()
    assert api["recorded_at"] == d.recorded_at.isoformat()
    page = Client().get("/beslutning/217-2022-9701").content.decode()
    assert "oplyst kendt fra" in page and "1. marts 2022" in page


def test_a_reload_adds_no_second_claim_and_a_record_on_time_claims_nothing(example_bundle):
    load(example_bundle)
    late = {"format": "frisat-bundle/1", "decisions": [late_decision(example_bundle)]}
    load(copy.deepcopy(late))
    assert load(copy.deepcopy(late)).added == {}
    world = store.read_world()
    assert len([c for c in world.claims if c.record == "217-2022-9701"]) == 1
    on_time = late_decision(example_bundle, 2)
    del on_time["recorded_at"]
    load({"format": "frisat-bundle/1", "decisions": [on_time]})
    assert not [c for c in store.read_world().claims if c.record == "217-2022-9702"]
    assert Client().get("/api/v1/decisions/217-2022-9702").json()["known_from"] is None


def test_a_claim_survives_export_and_reload_with_its_first_claimed_time(example_bundle):
    load(example_bundle)
    load({"format": "frisat-bundle/1", "decisions": [late_decision(example_bundle)]})
    exported = json.loads(json.dumps(to_bundle(store.read_world(reference=False))))
    (row,) = [c for c in exported["claims"] if c["record"] == "217-2022-9701"]
    assert row["known_from"] == dt.datetime.fromisoformat(CLAIM).isoformat()
    # reloaded into an empty register: record and claim keep their times
    m_ = store.read_world()
    store_before = {(c.section, c.record) for c in m_.claims}
    from frisat.registry import models as db

    db.Record.objects.filter(section="claims").delete()
    db.Target.objects.filter(decision__reference=False).delete()
    db.Decision.objects.filter(reference=False).delete()
    # the register still has newer loads, so the decision is registered now again, and the
    # claim it carries is its original claimed time, not the time of the earlier registration
    load(copy.deepcopy(exported))
    (claim,) = [c for c in store.read_world().claims if c.record == "217-2022-9701"]
    assert claim.known_from == dt.datetime.fromisoformat(CLAIM)
    assert ("decisions", "217-2022-9701") in store_before


def test_a_claim_about_a_record_the_load_does_not_register_is_skipped(example_bundle):
    load(example_bundle)
    claims = store.read_world().claims
    someone_elses = {"format": "frisat-bundle/1", "claims": [
        {"section": "decisions", "record": example_bundle["decisions"][0]["id"],
         "known_from": "2020-01-01T00:00:00+01:00",
         "recorded_at": "2021-01-01T00:00:00+01:00"}]}
    result = load(someone_elses)
    assert result.added == {} and result.skipped == 1
    assert store.read_world().claims == claims


def test_a_claim_names_its_record_by_its_key():
    kinds = m.BY_SECTION
    version = m.Version(act="eksempelloven", ref="§ 2", valid_from=dt.date(2021, 1, 1))
    assert m.claim_key(kinds["versions"], version) == "eksempelloven | § 2 | 2021-01-01"
    assert m.claim_key(kinds["institutions"], m.Institution(id="eks-1", name="Eksempel")) \
        == "eks-1"


def test_a_claim_in_a_bundle_needs_a_valid_time():
    from frisat.registry.bundle import read_bundle
    from frisat.registry.errors import Rejected

    with pytest.raises(Rejected) as e:
        read_bundle({"format": "frisat-bundle/1", "claims": [
            {"section": "decisions", "record": "x", "known_from": "i går"},
            {"section": "decisions", "record": "x", "known_from": "2999-01-01"},
            {"section": "decisions", "record": "x"}]}, store.now())
    assert [(x.path, x.code) for x in e.value.errors] == [
        ("claims[0].known_from", "invalid"), ("claims[1].known_from", "future_record"),
        ("claims[2].known_from", "missing")]


def test_an_operators_bundle_registering_a_decision_after_its_publication_is_warned(
        example_bundle):
    load(example_bundle)
    d = late_decision(example_bundle, 3)
    del d["source_url"]
    result = load({"format": "frisat-bundle/1", "decisions": [d]})
    assert result.added["decisions"] == 1
    assert [(w.path, w.code, w.severity) for w in result.warnings
            if w.code == "publication_evidence"] == [
        ("decisions[0].source_url", "publication_evidence", "warning")]
    api = Client().get("/api/v1/decisions/217-2022-9703").json()
    assert api["registered_after_publication"] is True
    # with the address of the publication, no warning
    e = late_decision(example_bundle, 4)
    assert not [w for w in load({"format": "frisat-bundle/1", "decisions": [e]}).warnings
                if w.code == "publication_evidence"]
