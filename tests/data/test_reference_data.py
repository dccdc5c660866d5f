"""Facts the shipped reference data (src/frisat/data/reference/*.yaml) must hold.

Pure file checks (no database): the YAML parses, every citation parses, the facts the
issue names hold. That every citation resolves in the real law text in force when it is
used is checked by tests/law/test_catalogue_against_lawtexts.py.
"""

from __future__ import annotations

import csv
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
# data files beside the bundles that `frisat init` does not load as records
NOT_BUNDLES = {"citizen-rights.yaml"}
VELFAERD = {"velfaerdsaftale-dagtilbud", "velfaerdsaftale-folkeskole", "velfaerdsaftale-aeldre"}


# libyaml's safe loader when present: the institution files are several MB
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def bundle(name: str) -> dict[str, Any]:
    return yaml.load((REF / name).read_text(encoding="utf-8"), Loader=_Loader)


@cache
def institutions() -> dict[str, dict[str, Any]]:
    """Every shipped institution by id, each with its memberships (flat records read as one)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(REF.glob("3*.yaml")):
        for rec in bundle(path.name)["institutions"]:
            assert rec["id"] not in out, rec["id"]
            ms = rec.get("memberships") or [{**rec, "from": rec.get("opened"),
                                              "to": rec.get("closed")}]
            out[rec["id"]] = {**rec, "memberships": ms, "file": path.name}
    return out


def municipality_of(ident: str) -> int:
    return institutions()[ident]["memberships"][-1]["municipality"]


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
        if path.name in NOT_BUNDLES:
            continue
        assert bundle(path.name)["format"] == "frisat-bundle/1", path


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
    for name in ("00-base.yaml", "20-regimes.yaml", "40-practice.yaml",
                 *sorted(p.name for p in REF.glob("3*.yaml"))):
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
    named = 0
    for dec in bundle("40-practice.yaml")["decisions"]:
        ids = dec["scope"]["institutions"]
        if ids != "all":
            for i in ids:
                assert municipality_of(i) == dec["municipality"], (dec["id"], i)
                named += 1
    assert named > 0  # the practice data has decisions for named institutions


def test_named_institutions_are_there():
    assert {"341002", "341003", "315007", "345003", "561024",
            "frisat-217-boernehuset-elverhoejen", "frisat-217-boernehuset-kasserollen",
            "frisat-791-rehabiliteringscenter-viborg"} <= set(institutions())


def _by_area() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for rec in institutions().values():
        out.setdefault(rec["memberships"][-1]["area"], []).append(rec)
    return out


def test_every_unit_of_the_two_extracts_is_shipped_once():
    # registers.md §4: 1,360 municipal folkeskole units in the 98 municipalities (1,361
    # with Christiansø); "Daycare units": 4,611 units in all 98 municipalities, two of them
    # shipped under the frisat- ids that published decisions name
    area = _by_area()
    schools = area["folkeskole"]
    assert len(schools) == 1360
    assert {s["memberships"][0]["municipality"] for s in schools} >= {561, 316}
    assert sum(1 for s in schools if s["memberships"][0]["municipality"] == 561) >= 20
    daycare = area["dagtilbud"]
    assert len(daycare) == 4611
    assert len({m["memberships"][0]["municipality"] for m in daycare}) == 98
    named = [r for r in daycare if r["id"].startswith("frisat-")]
    assert len(named) == 2
    for r in named:  # the register's unit number is in the source, and not shipped again
        number = re.search(r"Dagtilbudsregisterets (G\d+)", r["source"]).group(1)  # type: ignore[union-attr]
        assert number not in institutions()
    assert sum(1 for r in daycare if r["memberships"][0]["municipality"] == 217) == 37
    assert sum(1 for r in daycare if r["memberships"][0]["municipality"] == 840) == 34
    # elder care: only the unit a source names
    assert [r["id"] for r in area["aeldre"]] == ["frisat-791-rehabiliteringscenter-viborg"]


def test_generated_units_are_known_from_their_extracts_date():
    dates = {"31-folkeskole.yaml": "2024-10-23", "32-dagtilbud": "2026-04-01"}
    for rec in institutions().values():
        day = next((v for k, v in dates.items() if rec["file"].startswith(k)), None)
        if day is None:
            continue
        assert str(rec["recorded_at"]) == day, rec["id"]
        assert rec["source"].startswith(("STIL Institutionsregister (",
                                         "Dagtilbudsregisteret (")), rec["id"]
        for ms in rec["memberships"]:
            assert str(ms["known_from"]) == day and ms["from"] is None and ms["to"] is None


def test_regimes_reach_the_kinds_shipped_in_their_areas():
    kinds = {(ms["area"], ms["kind"]) for rec in institutions().values()
             for ms in rec["memberships"]}
    assert {k for a, k in kinds if a == "dagtilbud"} == {"daginstitution", "dagpleje"}
    daycare = next(r for r in bundle("20-regimes.yaml")["regimes"]
                   if r["key"] == "velfaerdsaftale-dagtilbud")
    assert {"daginstitution", "dagpleje"} <= set(daycare["kinds"])


def test_no_generated_file_is_larger_than_about_1_mb():
    for path in REF.glob("3*.yaml"):
        assert path.stat().st_size < 1_100_000, path.name


def test_places_belong_to_shipped_institutions_and_lie_in_denmark():
    with open(REF / "institution-places.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    insts = institutions()
    assert set(ids) <= set(insts)
    # every unit of the two extracts has a place row
    assert {i for i, r in insts.items() if r["id"] != "frisat-791-rehabiliteringscenter-viborg"} \
        == set(ids)
    located = [r for r in rows if r["lat"]]
    assert len(located) >= len(rows) - 5  # five STIL rows have no coordinates
    for r in located:
        assert 54.5 < float(r["lat"]) < 57.8 and 8.0 < float(r["lon"]) < 15.2, r
        assert r["postcode"].isdigit() and len(r["postcode"]) == 4, r


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


def test_the_bundle_reader_accepts_known_from_and_keeps_membership_open():
    from frisat.registry.bundle import read_bundle

    doc = bundle("31-folkeskole.yaml")
    world = read_bundle(doc, dt.datetime.now(dt.UTC), name="31-folkeskole.yaml")
    assert len(world.institutions) == len(doc["institutions"]) == 1360
    assert {(m.valid_from, m.valid_to) for m in world.memberships} == {(None, None)}
    assert {m.recorded_at.date() for m in world.memberships} == {dt.date(2024, 10, 23)}
