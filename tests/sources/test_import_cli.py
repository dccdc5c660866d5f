"""`frisat import …` (CONTRACT.md): exit codes 0/2/1, messages naming record and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frisat.cli import app
from frisat.registry import models as db

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1] / "fixtures"
LEX = ROOT / "lexdania"
REG = ROOT / "registers"


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, ["import", *args])
    return r.exit_code, r.stdout, r.stderr


def test_import_act_from_a_file_then_again_is_a_noop() -> None:
    code, out, err = run("act", str(LEX / "consolidation-v1.xml"), "--area", "dagtilbud")
    assert code == 0, err
    assert "eksempelloven § 2, stk. 1" in out and "LBK nr. 101 af 15/01/2020" in err
    code, out, err = run("act", str(LEX / "consolidation-v1.xml"), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["key"] == "eksempelloven" and data["added"] == {} and data["changes"] == []


def test_dry_run_prints_what_would_change_and_stores_nothing() -> None:
    run("act", str(LEX / "consolidation-v1.xml"), "--area", "dagtilbud")
    versions = db.Version.objects.count()
    code, out, err = run("act", str(LEX / "consolidation-v2.xml"), "--dry-run")
    assert code == 0
    assert "omnummereret  eksempelloven § 5 (§ 6)" in out
    assert "Ville tilføje" in err
    assert db.Version.objects.count() == versions


def test_broken_document_is_bad_input_naming_the_element() -> None:
    before = db.Act.objects.count()
    code, _, err = run("act", str(LEX / "broken-paragraph-without-number.xml"),
                       "--area", "dagtilbud")
    assert code == 2
    assert "Paragraf[2]" in err and "lexdania_malformed" in err
    assert db.Act.objects.count() == before


def test_new_act_without_area_is_bad_input() -> None:
    code, _, err = run("act", str(LEX / "consolidation-v1.xml"))
    assert code == 2 and "acts[0].areas" in err and "missing" in err


def test_unknown_source_is_bad_input() -> None:
    code, _, err = run("act", "ingen-saadan-fil.xml")
    assert code == 2 and "not_found" in err


def test_import_institutions_reports_counts() -> None:
    code, out, err = run("institutions", "--stil", str(REG / "stil-example.csv"),
                         "--dagtilbud", str(REG / "dagtilbud-example.csv"), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [(d["register"], d["new"]) for d in data] == [("stil", 3), ("dagtilbud", 3)]
    assert data[0]["left_out"]["friskoler og private grundskoler (1013)"] == 1


def test_import_institutions_bad_rows_exit_2_and_store_nothing() -> None:
    before = db.Institution.objects.count()
    code, _, err = run("institutions", "--dagtilbud", str(REG / "dagtilbud-example.csv"),
                       "--stil", str(REG / "stil-example-broken-coordinate.csv"))
    assert code == 2
    assert "stil-example-broken-coordinate.csv:2.GEO_BREDDE_GRAD" in err and "invalid" in err
    assert db.Institution.objects.count() == before  # the good file is not half-stored


def test_import_institutions_needs_a_file() -> None:
    code, _, err = run("institutions")
    assert code == 2 and "missing" in err
