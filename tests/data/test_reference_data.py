"""Facts the shipped reference data (src/frisat/data/reference/*.yaml) must hold.

Pure file checks (no database): the YAML parses, every citation parses, the facts the
issue names hold. That every citation resolves in the real law text in force when it is
used is checked by tests/law/test_catalogue_against_lawtexts.py.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from frisat.law.citation import parse_citation

REF = Path(__file__).resolve().parents[2] / "src" / "frisat" / "data" / "reference"
SEVEN = {217: "dagtilbud", 840: "dagtilbud", 561: "folkeskole", 316: "folkeskole",
         791: "aeldre", 410: "aeldre", 482: "aeldre"}
VELFAERD = {"velfaerdsaftale-dagtilbud", "velfaerdsaftale-folkeskole", "velfaerdsaftale-aeldre"}


@cache
def bundle(name: str) -> dict[str, Any]:
    return yaml.safe_load((REF / name).read_text(encoding="utf-8"))


def d(v: Any) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def all_coverage() -> list[dict[str, Any]]:
    out = list(bundle("20-regimes.yaml").get("coverage", []))
    for r in bundle("20-regimes.yaml")["regimes"]:
        out += [{**c, "regime": r["key"]} for c in r.get("coverage", [])]
    return out


def covered_on(day: dt.date, regimes: set[str]) -> set[tuple[int, str]]:
    """(municipality, area) covered on ``day``: per key the record with the latest recorded_at."""
    latest: dict[tuple, dict] = {}
    for c in all_coverage():
        key = (c["regime"], c["municipality"], c["area"], d(c["from"]))
        if key not in latest or str(c.get("recorded_at")) > str(latest[key].get("recorded_at")):
            latest[key] = c
    return {(c["municipality"], c["area"]) for c in latest.values()
            if c["regime"] in regimes and d(c["from"]) <= day
            and (c["to"] is None or day < d(c["to"]))}


def test_every_file_parses_and_is_a_bundle():
    for path in sorted(REF.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert doc["format"] == "frisat-bundle/1", path


def test_98_municipalities_with_unique_codes():
    ms = bundle("00-base.yaml")["municipalities"]
    assert len(ms) == 98
    assert len({m["code"] for m in ms}) == 98
    assert all(101 <= m["code"] <= 860 and m["source"] for m in ms)
    assert {m["region_code"] for m in ms} == {1081, 1082, 1083, 1084, 1085}
    by = {m["code"]: m["name"] for m in ms}
    assert by[217] == "Helsingør" and by[840] == "Rebild" and by[482] == "Langeland"


def test_areas():
    assert [a["key"] for a in bundle("00-base.yaml")["areas"]] == ["dagtilbud", "folkeskole",
                                                                    "aeldre"]


def test_seven_municipalities_covered_on_2022_01_01():
    assert covered_on(dt.date(2022, 1, 1), VELFAERD) == set(SEVEN.items())


def test_coverage_starts_on_15_may_2021_and_ends_as_extended():
    assert covered_on(dt.date(2021, 5, 14), VELFAERD) == set()
    assert covered_on(dt.date(2021, 5, 15), VELFAERD) == set(SEVEN.items())
    # lov 879 repealed 1 July 2025 (lov 678/2024), lov 880 on 31 July 2025 (lov 410/2024)
    assert covered_on(dt.date(2025, 6, 30), VELFAERD) == set(SEVEN.items())
    assert covered_on(dt.date(2025, 7, 1), VELFAERD) == {
        (m, a) for m, a in SEVEN.items() if a != "aeldre"}
    assert covered_on(dt.date(2025, 7, 31), VELFAERD) == set()


def test_no_velfaerdsaftale_coverage_on_2025_09_01():
    assert covered_on(dt.date(2025, 9, 1), VELFAERD) == set()


def test_extensions_are_recorded_when_the_laws_were_made():
    ext = {(c["regime"], d(c["to"])): str(c["recorded_at"]) for c in all_coverage()
           if c["regime"] in VELFAERD and d(c["to"]) != dt.date(2024, 9, 30)}
    assert ext[("velfaerdsaftale-aeldre", dt.date(2025, 7, 1))] == "2024-06-11"
    assert ext[("velfaerdsaftale-dagtilbud", dt.date(2025, 7, 31))] == "2024-04-23"
    assert ext[("velfaerdsaftale-folkeskole", dt.date(2025, 7, 31))] == "2024-04-23"


def test_decisions_take_effect_at_earliest_the_day_after_publication():
    assert bundle("40-practice.yaml")["decisions"]
    for dec in bundle("40-practice.yaml")["decisions"]:
        pub, eff = d(dec.get("published_on")), d(dec["effective_from"])
        if pub is not None:
            assert eff >= pub + dt.timedelta(days=1), dec["id"]
        else:  # an unknown publication date must be explained
            assert "offentliggørelse" in dec["source"], dec["id"]
        assert SEVEN[dec["municipality"]] == dec["area"], dec["id"]
        assert re.fullmatch(rf"{dec['municipality']}-\d{{4}}-\d{{3}}", dec["id"])


def test_every_record_has_a_source():
    checked = 0
    for name in ("00-base.yaml", "20-regimes.yaml", "30-institutions.yaml", "40-practice.yaml"):
        doc = bundle(name)
        for section, records in doc.items():
            if section in ("format", "areas"):
                continue
            for rec in records:
                assert rec.get("source") or rec.get("source_url"), (name, section, rec)
                checked += 1
    assert checked > 100
    assert bundle("20-regimes.yaml")["regimes"]
    for r in bundle("20-regimes.yaml")["regimes"]:
        for item in r["deviable"] + r["guardrails"]:
            assert item["source"] and item["note"], (r["key"], item)


def test_scope_institutions_exist_in_the_municipality():
    inst = {i["id"]: i for i in bundle("30-institutions.yaml")["institutions"]}
    named = 0
    for dec in bundle("40-practice.yaml")["decisions"]:
        ids = dec["scope"]["institutions"]
        if ids != "all":
            for i in ids:
                assert inst[i]["municipality"] == dec["municipality"], (dec["id"], i)
                named += 1
    assert named > 0  # the practice data has decisions for named institutions


def test_named_institutions_are_there():
    ids = {i["id"] for i in bundle("30-institutions.yaml")["institutions"]}
    assert {"341002", "341003", "315007", "345003", "561024",
            "frisat-217-boernehuset-elverhoejen"} <= ids
    schools = [i for i in bundle("30-institutions.yaml")["institutions"]
               if i["kind"] == "folkeskole"]
    assert sum(1 for i in schools if i["municipality"] == 561) >= 20
    assert sum(1 for i in schools if i["municipality"] == 316) >= 20


def citations_in_use() -> list[tuple[str, dt.date, dt.date | None]]:
    """(citation, first day used, end) for every listing and decision target."""
    out = []
    ends = {}
    for c in all_coverage():
        ends[c["regime"]] = max(ends.get(c["regime"], d(c["to"])), d(c["to"]))
    starts = {}
    for c in all_coverage():
        starts[c["regime"]] = min(starts.get(c["regime"], d(c["from"])), d(c["from"]))
    for r in bundle("20-regimes.yaml")["regimes"]:
        for item in r["deviable"] + r["guardrails"]:
            out.append((item["citation"], d(item.get("from")) or starts[r["key"]],
                        d(item.get("to")) or ends[r["key"]]))
    for dec in bundle("40-practice.yaml")["decisions"]:
        for t in dec["targets"]:
            out.append((t["citation"], d(dec["effective_from"]), ends[dec["regime"]]))
    return out


def test_every_citation_parses():
    citations = citations_in_use()
    assert len(citations) > 20
    for cit, _, _ in citations:
        assert parse_citation(cit).act, cit
