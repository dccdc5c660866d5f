"""One record model with history (issue: record model): every kind of history keeps earlier
answers, record times never fall before the newest load, every fact links to its load, and a
register made by the previous release upgrades in place with ``frisat init``."""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from frisat.registry import models as db
from frisat.registry import store
from frisat.registry.errors import Rejected
from frisat.registry.export import to_bundle
from frisat.registry.loader import load

FIXTURES = Path(__file__).parent.parent / "fixtures"
RELEASE = FIXTURES / "releases" / "frisat-0.1.0.sqlite3.gz"
ELVERHOEJEN = "frisat-217-boernehuset-elverhoejen"
DELEGATION = {"municipality": 217, "regime": "eksempel-ordning", "to": "committee",
              "name": "Børne- og Eksempeludvalget", "decided_on": "2021-06-01"}


# ------------------------------------------------------------------ the kinds of history


@pytest.mark.django_db
def test_history_a_changed_regime_is_a_new_record_and_earlier_views_keep_the_old(example_bundle):
    load(example_bundle)
    first = store.now()
    changed = copy.deepcopy(example_bundle)
    changed["regimes"][0]["title"] = "Eksempelordningen, rettet titel"
    assert load(changed).added == {"regimes": 1}
    world = store.read_world()
    key = changed["regimes"][0]["key"]
    assert [r.title for r in world.known_at(first).regimes if r.key == key] == \
        [example_bundle["regimes"][0]["title"]]
    assert [r.title for r in world.known_at(store.now()).regimes if r.key == key] == \
        ["Eksempelordningen, rettet titel"]
    # the later record keeps the regime's listings (they are part of the record)
    old, new = (r for r in world.regimes if r.key == key)
    assert new.listings == old.listings and new.listings


@pytest.mark.django_db
def test_fixed_a_published_decision_is_never_changed(example_bundle):
    load(example_bundle)
    changed = copy.deepcopy(example_bundle)
    changed["decisions"][0]["title"] = "Ny titel"
    with pytest.raises(Rejected) as e:
        load(changed)
    assert "immutable" in [x.code for x in e.value.errors]


@pytest.mark.django_db
def test_event_a_second_delegation_stands_beside_the_first(example_bundle):
    load(example_bundle)
    first = store.now()
    load({"format": "frisat-bundle/1", "delegations": [DELEGATION]})
    first = store.now()
    more = {"format": "frisat-bundle/1", "delegations": [
        dict(DELEGATION, name="Et andet udvalg (eksempel)")]}
    assert load(more).added == {"delegations": 1}
    assert load(more).added == {}
    world = store.read_world()
    assert len(world.known_at(store.now()).delegations) == \
        len(world.known_at(first).delegations) + 1


@pytest.mark.django_db
def test_a_record_dated_before_the_newest_load_is_registered_at_its_own_load(example_bundle):
    load(example_bundle)
    before = store.now()
    late = {"format": "frisat-bundle/1", "delegations": [
        dict(DELEGATION, name="Sent registreret udvalg (eksempel)",
             recorded_at="2021-07-01T00:00:00+02:00")]}
    load(late)
    stored = [x for x in store.read_world().delegations
              if x.name == "Sent registreret udvalg (eksempel)"]
    assert len(stored) == 1 and stored[0].recorded_at > before
    # an answer given for a time before this load stays as it was
    assert not [x for x in store.read_world().known_at(before).delegations
                if x.name == "Sent registreret udvalg (eksempel)"]


# ------------------------------------------------------------------ new sections


DEPENDENT = {
    "format": "frisat-bundle/1",
    "dependencies": [{"citation": "eksempelloven § 3", "on": ["eksempelloven § 2"],
                      "basis": "Eksempel: en bekendtgørelse, der bortfalder (ikke en rigtig regel)",
                      "extent": "whole"}],
    "completeness": [{"municipality": 217, "area": "dagtilbud", "from": "2021-06-01",
                      "level": "partial", "source": "Eksempel: kommunens § 6-oversigt"}],
}


@pytest.mark.django_db
def test_dependencies_and_completeness_are_stored_exported_and_reloaded(example_bundle):
    load(example_bundle)
    assert load(copy.deepcopy(DEPENDENT)).added == {"dependencies": 1, "completeness": 1}
    world = store.read_world(reference=False)  # the shipped data has its own
    (dep,) = world.dependencies
    assert (dep.act, dep.ref, dep.on) == ("eksempelloven", "§ 3", (("eksempelloven", "§ 2"),))
    (known,) = world.completeness
    assert (known.municipality, known.level, known.valid_from) == \
        (217, "partial", dt.date(2021, 6, 1))
    assert db.Record.objects.filter(section="dependencies", reference=False).count() == 1
    exported = to_bundle(store.read_world(reference=False))
    assert exported["dependencies"][0]["on"] == ["eksempelloven § 2"]
    assert exported["completeness"][0]["level"] == "partial"
    assert load(json.loads(json.dumps(exported))).added == {}


@pytest.mark.django_db
def test_a_dependency_on_an_unknown_provision_is_refused_and_nothing_is_stored(example_bundle):
    load(example_bundle)
    records = db.Record.objects.count()
    bad = copy.deepcopy(DEPENDENT)
    bad["dependencies"][0]["on"] = ["eksempelloven § 99"]
    with pytest.raises(Rejected) as e:
        load(bad)
    assert [x.code for x in e.value.errors] == ["unknown_provision"]
    assert db.Record.objects.count() == records
    assert not db.Record.objects.filter(section="dependencies", reference=False).exists()


# ------------------------------------------------------------------ provenance


@pytest.mark.django_db
def test_every_fact_links_to_its_load_which_says_who_and_how(example_bundle, tmp_path):
    from typer.testing import CliRunner

    from frisat.cli import app

    path = tmp_path / "eksempel.json"
    path.write_text(json.dumps(example_bundle, default=str), encoding="utf-8")
    result = CliRunner().invoke(app, ["load", str(path)])
    assert result.exit_code == 0, result.stderr
    newest = db.Load.objects.order_by("-id").first()
    assert newest is not None
    assert (newest.how, newest.source) == ("bundle", str(path))
    assert newest.by.endswith("(kommandolinjen)")
    decision = db.Decision.objects.get(pk=example_bundle["decisions"][0]["id"])
    assert decision.load_id == newest.pk
    assert newest.counts["decisions"] == 1
    # the shipped reference data came with `frisat init`
    assert db.Load.objects.order_by("id").first().how == "init"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_the_audit_trail_lists_the_loads(example_bundle, client):
    from django.contrib.auth.models import User

    from frisat.accounts.models import Profile

    load(example_bundle, source="eksempel.yaml", by="tester", how="bundle")
    user = User.objects.create_user("ministeriet", password="en lang adgangskode til test")
    Profile.objects.create(user=user, role="ministry")
    client.force_login(user)
    page = client.get("/forvaltning/revision").content.decode()
    assert "eksempel.yaml" in page and "tester" in page and "bundt (frisat load)" in page


# ------------------------------------------------------------------ upgrade in place


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as c:
        return {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("auth_user", "accounts_apitoken", "workflow_draft", "workflow_notice",
                          "workflow_auditentry", "registry_decision")}


def _frisat(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FRISAT_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "frisat", *args], env=env, text=True,
                          capture_output=True, timeout=600)


def test_init_upgrades_the_previous_releases_register_in_place(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    database = home / "frisat.sqlite3"
    with gzip.open(RELEASE) as src, open(database, "wb") as dst:
        shutil.copyfileobj(src, dst)
    kept = _counts(database)
    with sqlite3.connect(database) as c:
        (last_load,) = c.execute("SELECT max(loaded_at) FROM registry_load").fetchone()
    before = dt.datetime.fromisoformat(last_load).replace(tzinfo=dt.UTC) + dt.timedelta(
        seconds=1)

    done = _frisat(home, "init")
    assert done.returncode == 0, done.stderr
    assert "Opdateret med nye eller rettede referencedata" in done.stderr
    assert _counts(database) == kept  # accounts, tokens, drafts, notices, audit, decisions

    # the example decision published in the old register still answers as it did
    rules = _frisat(home, "rules", "--institution", ELVERHOEJEN, "--date", "2024-06-01",
                    "--known-at", before.isoformat(), "--format", "json")
    assert rules.returncode == 0, rules.stderr
    status = {p["citation"]: p["status"] for p in json.loads(rules.stdout)["provisions"]}
    assert status["dagtilbudsloven § 14, stk. 1"] == "set_aside"
    # an institution the new release ships was not known before the upgrade, and is now
    old_view = _frisat(home, "rules", "--institution", "D10041", "--date", "2024-06-01",
                       "--known-at", before.isoformat(), "--format", "json")
    assert old_view.returncode != 0 and "D10041" in old_view.stderr
    now_view = _frisat(home, "rules", "--institution", "D10041", "--date", "2024-06-01",
                       "--format", "json")
    assert now_view.returncode == 0, now_view.stderr

    again = _frisat(home, "init")
    assert again.returncode == 0 and "Tilføjet 0 poster" in again.stderr
