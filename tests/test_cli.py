"""The `frisat` command against the shipped reference data (CONTRACT.md, Command line)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frisat.cli import app

pytestmark = pytest.mark.django_db(transaction=False)
FIXTURES = Path(__file__).parent / "fixtures"
VELFAERD = {"velfaerdsaftale-dagtilbud", "velfaerdsaftale-folkeskole", "velfaerdsaftale-aeldre"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def freed(data: dict) -> set[tuple[str, str, str]]:  # type: ignore[type-arg]
    return {(r["key"], c["name"], c["area"]) for r in data["regimes"] if r["key"] in VELFAERD
            for c in r["coverage"]}


def test_national_2022_lists_the_seven_velfaerdsaftale_municipalities_in_their_areas():
    code, out, _ = run("national", "--date", "2022-01-01", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["municipalities_total"] == 98
    assert freed(data) == {
        ("velfaerdsaftale-dagtilbud", "Helsingør", "dagtilbud"),
        ("velfaerdsaftale-dagtilbud", "Rebild", "dagtilbud"),
        ("velfaerdsaftale-folkeskole", "Esbjerg", "folkeskole"),
        ("velfaerdsaftale-folkeskole", "Holbæk", "folkeskole"),
        ("velfaerdsaftale-aeldre", "Viborg", "aeldre"),
        ("velfaerdsaftale-aeldre", "Middelfart", "aeldre"),
        ("velfaerdsaftale-aeldre", "Langeland", "aeldre"),
    }


def test_national_after_the_laws_ended_lists_no_velfaerdsaftale_regime():
    code, out, _ = run("national", "--date", "2025-09-01", "--format", "json")
    assert code == 0
    assert freed(json.loads(out)) == set()


def test_national_known_before_the_extension_shows_the_original_end():
    # The extensions (lov 410/2024 and lov 678/2024) were not yet known in March 2024.
    code, out, _ = run("national", "--date", "2024-12-01", "--known-at",
                       "2024-03-01T12:00:00+01:00", "--format", "json")
    assert code == 0
    assert freed(json.loads(out)) == set()
    code, out, _ = run("national", "--date", "2024-12-01", "--format", "json")
    assert len(freed(json.loads(out))) == 7


def test_rules_json_has_the_contract_shape():
    code, out, _ = run("rules", "--institution", "341002", "--date", "2022-03-01",
                       "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["institution"]["municipality"] == 316
    assert data["institution"]["area"] == "folkeskole"
    assert data["date"] == "2022-03-01"
    assert data["provisions"]
    for p in data["provisions"]:
        assert set(p) >= {"citation", "act", "level", "status", "guardrail", "because"}
        assert p["status"] in {"applies", "set_aside", "partially_set_aside", "not_in_force",
                               "unknown"}
        assert p["because"], p["citation"]
        assert all(r["text"] for r in p["because"])


def test_status_reports_a_guardrail_in_a_covered_municipality():
    code, out, _ = run("status", "--municipality", "217", "--area", "dagtilbud",
                       "--provision", "dagtilbudsloven § 23, stk. 1", "--date", "2022-01-01",
                       "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "applies"
    assert data["guardrail"] is True


def test_status_outside_any_regime_is_not_covered():
    code, out, _ = run("status", "--municipality", "101", "--area", "dagtilbud",
                       "--provision", "dagtilbudsloven §8 stk 1", "--date", "2022-01-01",
                       "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "applies"
    assert {r["kind"] for r in data["because"]} == {"not_covered"}


def test_status_of_a_node_with_children_names_its_leaves():
    code, out, err = run("status", "--municipality", "217", "--area", "dagtilbud",
                         "--provision", "dagtilbudsloven § 3 a", "--date", "2022-01-01")
    assert code == 2 and out == ""
    assert "not_leaf" in err and "§ 3 a, stk. 1" in err


def test_status_of_another_areas_act_is_not_relevant():
    code, _, err = run("status", "--municipality", "217", "--area", "dagtilbud",
                       "--provision", "folkeskoleloven § 14, stk. 1", "--date", "2022-01-01")
    assert code == 2
    assert "not_relevant" in err


def test_unknown_institution_exits_2_with_code():
    code, out, err = run("rules", "--institution", "findes-ikke", "--format", "json")
    assert code == 2
    assert out == ""
    assert "not_found" in err


def test_bad_date_exits_2_naming_the_field():
    code, _, err = run("national", "--date", "2022-13-45")
    assert code == 2
    assert "date" in err and "invalid" in err


def test_load_bad_bundle_exits_2_and_names_path_and_code(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "frisat-bundle/1", "decisions": [{"id": "x"}]}')
    code, _, err = run("load", str(bad))
    assert code == 2
    assert "decisions[0].effective_from" in err and "missing" in err


def test_load_then_export_round_trip(tmp_path):
    code, _, err = run("load", str(FIXTURES / "example-world.yaml"))
    assert code == 0, err
    target = tmp_path / "export.json"
    code, _, err = run("export", "--output", str(target))
    assert code == 0, err
    exported = json.loads(target.read_text())
    assert [d["id"] for d in exported["decisions"]] == ["217-2021-901"]
    # the reference catalogue stays out unless --all
    assert all(a["key"] == "eksempelloven" for a in exported["acts"])
    code, _, err = run("load", str(target))
    assert code == 0, err
    assert "intet nyt" in err


def test_provisions_lists_the_tree_with_marks():
    code, out, _ = run("provisions", "--act", "dagtilbudsloven", "--date", "2022-01-01",
                       "--format", "json")
    assert code == 0
    data = json.loads(out)
    by_ref = {p["ref"]: p for p in data["provisions"]}
    assert by_ref["§ 23, stk. 1"]["marks"].get("velfaerdsaftale-dagtilbud") == "guardrail"
    assert by_ref["afsnit II"]["marks"].get("velfaerdsaftale-dagtilbud") == "deviable"


def test_a_shipped_institution_is_known_from_its_source_not_from_the_install():
    # Børnehuset Elverhøjen is known from Helsingør Kommune's news item of 21.02.2022
    code, out, err = run("rules", "--institution", "frisat-217-boernehuset-elverhoejen",
                         "--date", "2022-06-01", "--known-at", "2024-03-01T12:00:00+01:00",
                         "--format", "json")
    assert code == 0, err
    assert json.loads(out)["institution"]["name"] == "Børnehuset Elverhøjen"
    code, _, err = run("rules", "--institution", "frisat-217-boernehuset-elverhoejen",
                       "--date", "2022-06-01", "--known-at", "2022-02-01T12:00:00+01:00")
    assert code != 0 and "frisat-217-boernehuset-elverhoejen" in err
