"""Scenarios: an overlay answered by the one engine, never mixed into the register.

- the diff is exactly the set of verdicts that differ, checked on random worlds and random
  scenarios against recomputation with the oracle (tests/engine/reference.py) on the
  register with the overlay registered after it;
- a scenario never changes the real register's answers;
- saving and reloading a scenario gives the same diff;
- bad scenarios are rejected with every problem, in Danish, with stable codes.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from frisat.engine import Engine
from frisat.engine import model as m
from frisat.nextround import scenario as sc
from frisat.registry.errors import Rejected
from worlds import grid, grid_at, worlds

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
import reference as oracle  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "frisat" / "nextround" / "examples"


# --------------------------------------------------------------------------- random


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[m.World, dict[str, Any], dt.date]:
    world = draw(worlds())
    munis = sorted(x.code for x in world.municipalities)
    areas = sorted(x.key for x in world.areas)
    regimes = sorted(r.key for r in world.regimes)
    nodes = sorted(f"{p.act} {p.ref}" for p in world.provisions if p.ref)
    changes: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(sc.CHANGES))
        if kind == "cover" and regimes:
            start = draw(st.integers(0, 20))
            changes.append({"cover": {
                "regime": draw(st.sampled_from(regimes)), "area": draw(st.sampled_from(areas)),
                "municipalities": draw(st.sampled_from(["all", munis[:1], munis[1:] or munis])),
                "from": grid(start).isoformat(),
                "to": grid(start + draw(st.integers(1, 6))).isoformat()}})
        elif kind == "end" and world.coverage:
            c = draw(st.sampled_from(world.coverage))
            changes.append({"end": {"regime": c.regime,
                                    "to": grid(draw(st.integers(0, 24))).isoformat()}})
        elif kind in ("guardrail", "deviable") and regimes and nodes:
            changes.append({kind: {"regime": draw(st.sampled_from(regimes)),
                                   "citation": draw(st.sampled_from(nodes))}})
        elif kind == "complete":
            changes.append({"complete": {"area": draw(st.sampled_from(areas)),
                                         "municipalities": [draw(st.sampled_from(munis))]}})
        elif kind == "adopt":
            donors = sorted({x.municipality for x in world.decisions
                             if x.published and x.scope.institutions is None})
            if donors:
                src = draw(st.sampled_from(donors))
                to = draw(st.sampled_from([c for c in munis if c != src] or munis))
                if to != src:
                    changes.append({"adopt": {"municipality": to, "from_municipality": src}})
    d = grid(draw(st.integers(0, 24))) + dt.timedelta(days=draw(st.sampled_from([0, 1, 30])))
    for ch in changes:
        event(f"change: {next(iter(ch))}")
    return world, {"format": sc.FORMAT, "title": "Eksempel", "changes": changes}, d


def _key(o: Any) -> tuple[str, bool]:
    return (o.status, o.guardrail)


def expected_changes(base: m.World, scen: m.World, d: dt.date) -> set[tuple[Any, ...]]:
    """The oracle, literally: every municipality case and every institution's rules in
    both worlds; the ones whose status or hegnspæl differ."""
    out: set[tuple[Any, ...]] = set()
    for mun, area, leaf in oracle.municipality_cases(base):
        a = oracle.municipality_status(base, mun, area, leaf.act, leaf.ref, d)
        b = oracle.municipality_status(scen, mun, area, leaf.act, leaf.ref, d)
        if _key(a) != _key(b):
            out.add(("municipality", None, mun, area, leaf.citation, a.status, b.status))
    for inst in base.institutions:
        ms = oracle.membership_on(base, inst.id, d)
        if ms is None:
            continue
        for a, b in zip(oracle.institution_rules(base, inst.id, d),
                        oracle.institution_rules(scen, inst.id, d), strict=True):
            if _key(a) != _key(b):
                out.add(("institution", inst.id, ms.municipality, ms.area,
                         oracle.citation(a.act, a.ref), a.status, b.status))
    return out


@settings(max_examples=120)
@given(scenarios())
def test_the_diff_is_exactly_the_verdicts_that_differ(
        case: tuple[m.World, dict[str, Any], dt.date]) -> None:
    world, doc, d = case
    at = grid_at(30)  # after every record of the random world
    view = world.known_at(at)
    try:
        parsed = sc.parse(doc, view, at=at)
    except Rejected as e:  # a random change may name nothing to change: that is an error
        assert all(x.code in ("not_found", "unknown_provision") for x in e.errors), e.errors
        event("scenario rejected")
        return
    got = sc.diff(Engine(view), Engine(sc.apply(view, parsed.records)), d)
    # the oracle sees the overlay as records registered after the register's
    merged = world.merged(parsed.records)
    want = expected_changes(oracle.known_at(world, at), oracle.known_at(merged, at), d)
    assert {(c.level, c.institution, c.municipality, c.area, c.citation, c.before, c.after)
            for c in got.changes} == want
    assert len(got.changes) == len(want)
    event("diff: empty" if not want else "diff: changes")


def test_apply_equals_registering_the_overlay_after_the_register() -> None:
    from worlds import example_world

    world = example_world()
    at = grid_at(30)
    view = world.known_at(at)
    parsed = sc.parse({"format": sc.FORMAT, "title": "Eksempel", "changes": [
        {"cover": {"regime": world.regimes[0].key, "area": world.areas[0].key,
                   "municipalities": "all", "from": "2022-01-01"}},
        {"end": {"regime": world.regimes[0].key, "to": "2023-01-01"}}]}, view, at=at)
    fast = sc.apply(view, parsed.records)
    slow = world.merged(parsed.records).known_at(at)
    for section in m.World.SECTIONS:
        assert sorted(map(repr, getattr(fast, section))) == \
            sorted(map(repr, getattr(slow, section))), section


# --------------------------------------------------------------------------- the register


def _answers() -> str:
    from frisat.queries.common import now
    from frisat.queries.national import national
    from frisat.queries.rules import rules
    from frisat.queries.status import status
    from frisat.registry.snapshot import snapshot

    k = now()
    snap = snapshot(k)
    out = [national(snap, dt.date(2022, 6, 1), k), national(snap, dt.date(2026, 3, 1), k),
           status(snap, 791, "aeldre", "serviceloven § 83, stk. 1, nr. 1", dt.date(2022, 6, 1), k),
           status(snap, 217, "dagtilbud", "dagtilbudsloven § 8, stk. 1", dt.date(2024, 12, 1),
                  k),
           rules(snap, "341002", dt.date(2022, 3, 1), k)]
    for x in out:
        x.pop("known_at", None)  # type: ignore[misc]
    return json.dumps(out, sort_keys=True, ensure_ascii=False, default=str)


SCENARIOS = {
    "alle-98": {"format": sc.FORMAT, "title": "Eksempel: alle 98 i ældreplejen", "changes": [
        {"cover": {"regime": "velfaerdsaftale-aeldre", "area": "aeldre",
                   "municipalities": "all", "from": "2022-01-01"}}]},
    "hegnspael": {"format": sc.FORMAT, "title": "Eksempel: § 8, stk. 1 som hegnspæl",
                  "changes": [{"guardrail": {"regime": "velfaerdsaftale-dagtilbud",
                                             "citation": "dagtilbudsloven § 8"}}]},
    "et-aar-tidligere": {"format": sc.FORMAT, "title": "Eksempel: et år tidligere",
                         "changes": [{"end": {"regime": "velfaerdsaftale-dagtilbud",
                                              "to": "2023-09-30"}}]},
    "holbaek-som-esbjerg": {"format": sc.FORMAT, "title": "Eksempel: Holbæk som Esbjerg",
                            "changes": [{"adopt": {"municipality": 316,
                                                   "from_municipality": 561,
                                                   "area": "folkeskole"}}]},
}


@pytest.mark.django_db
def test_a_scenario_never_changes_the_real_register() -> None:
    from frisat.nextround.store import save_scenario
    from frisat.queries.common import now
    from frisat.queries.scenario import scenario_diff
    from frisat.registry import models as db
    from frisat.registry.snapshot import snapshot

    before = _answers()
    rows = (db.Decision.objects.count(), db.Coverage.objects.count(),
            db.Listing.objects.count(), db.Exemption.objects.count(), db.Load.objects.count())
    k = now()
    for key, doc in SCENARIOS.items():
        got = scenario_diff(snapshot(k), doc, dt.date(2022, 6, 1), k)
        assert got["scenario"] is True and "ikke gældende ret" in got["notice"], key
        save_scenario(doc, key=f"eksempel-{key}", user="test")
    assert _answers() == before
    assert (db.Decision.objects.count(), db.Coverage.objects.count(),
            db.Listing.objects.count(), db.Exemption.objects.count(),
            db.Load.objects.count()) == rows


@pytest.mark.django_db
def test_the_real_cases_say_what_they_should() -> None:
    from frisat.queries.common import now
    from frisat.queries.scenario import scenario_diff
    from frisat.registry.snapshot import snapshot

    k = now()
    snap = snapshot(k)
    d = dt.date(2022, 6, 1)
    all98 = scenario_diff(snap, SCENARIOS["alle-98"], d, k)
    assert all98["national"]["scenario"]["freed_municipalities"] == 98
    assert all98["national"]["register"]["freed_municipalities"] < 98
    assert all98["municipalities_affected"] == 95  # Viborg, Middelfart, Langeland already
    assert {c["municipality"] for c in all98["changes"]}.isdisjoint({791, 410, 482})
    guard = scenario_diff(snap, SCENARIOS["hegnspael"], d, k, institutions=False)
    assert {c["municipality"] for c in guard["changes"]} == {217, 840}
    assert all(c.get("guardrail_to") is True for c in guard["changes"]
               if c["citation"].startswith("dagtilbudsloven § 8"))
    earlier = scenario_diff(snap, SCENARIOS["et-aar-tidligere"], dt.date(2024, 6, 1), k,
                            institutions=False)
    assert {c["to"] for c in earlier["changes"]} == {"applies"}
    assert {c["municipality"] for c in earlier["changes"]} == {217, 840}
    assert scenario_diff(snap, SCENARIOS["et-aar-tidligere"], dt.date(2023, 6, 1), k,
                         institutions=False)["changes"] == []


@pytest.mark.django_db
def test_saving_and_reloading_gives_the_same_diff(tmp_path: Path) -> None:
    from frisat.nextround.store import save_scenario, saved_document
    from frisat.queries.common import now
    from frisat.queries.scenario import scenario_diff
    from frisat.registry.bundle import read_document
    from frisat.registry.snapshot import snapshot

    doc = read_document(EXAMPLE / "alle-98-aeldre.yaml")
    k = now()
    first = scenario_diff(snapshot(k), doc, None, k)
    saved = save_scenario(doc, key=None, user="test")
    assert save_scenario(doc, key=None, user="test").key == saved.key  # same content, same link
    again = scenario_diff(snapshot(k), saved_document(saved.key), None, k)
    assert again == first
    path = tmp_path / "s.json"
    path.write_text(json.dumps(saved_document(saved.key)), encoding="utf-8")
    assert scenario_diff(snapshot(k), read_document(path), None, k) == first
    with pytest.raises(Rejected) as e:
        save_scenario({**doc, "title": "Eksempel: et andet"}, key=saved.key, user="test")
    assert e.value.errors[0].code == "conflict"


@pytest.mark.django_db
def test_bad_scenarios_are_rejected_with_every_problem_in_danish() -> None:
    from frisat.queries.common import now
    from frisat.queries.scenario import scenario_diff
    from frisat.registry.snapshot import snapshot

    k = now()
    bad = {"format": sc.FORMAT, "title": "", "ukendt": 1, "changes": [
        {"cover": {"regime": "findes-ikke", "area": "aeldre", "municipalities": [999],
                   "from": "2022-13-01"}},
        {"guardrail": {"regime": "velfaerdsaftale-aeldre", "citation": "serviceloven § 9999"}},
        {"teleport": {}},
        {"adopt": {"municipality": 101, "from_municipality": 101}}]}
    with pytest.raises(Rejected) as e:
        scenario_diff(snapshot(k), bad, None, k)
    got = {(x.path, x.code) for x in e.value.errors}
    assert got >= {("ukendt", "invalid"), ("title", "required"),
                   ("changes[0].cover.regime", "not_found"),
                   ("changes[0].cover.municipalities[0]", "not_found"),
                   ("changes[0].cover.from", "invalid"),
                   ("changes[1].guardrail.citation", "unknown_provision"),
                   ("changes[2]", "unknown_change"),
                   ("changes[3].adopt.municipality", "invalid")}
    with pytest.raises(Rejected) as e:
        scenario_diff(snapshot(k), {"format": "frisat-bundle/1"}, None, k)
    assert e.value.errors[0].code == "format"


@pytest.mark.django_db
def test_the_command_prints_the_contract_shape() -> None:
    from typer.testing import CliRunner

    from frisat.cli import app

    result = CliRunner().invoke(app, ["scenario", "diff", str(EXAMPLE / "alle-98-aeldre.yaml"),
                                      "--no-institutions", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["date"] == "2026-03-01"
    assert set(data["changes"][0]) >= {"municipality", "area", "citation", "from", "to"}
    assert sum(data["counts"].values()) == len(data["changes"])
    assert data["counts_by_area"] == {"aeldre": data["counts"]}
    bad = CliRunner().invoke(app, ["scenario", "diff", "/findes/ikke.yaml"])
    assert bad.exit_code == 2
    assert "not_found" in bad.stderr


@pytest.mark.django_db
def test_the_models_and_frikommune_commands() -> None:
    from typer.testing import CliRunner

    from frisat.cli import app

    r = CliRunner().invoke(app, ["models", "compare", "--municipality", "561", "--area",
                                 "folkeskole", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    got = json.loads(r.stdout)
    assert [x["model"] for x in got["regimes"]] == ["blank_sheet"]
    assert got["regimes"][0]["could"] >= got["regimes"][0]["were"] > 0
    r = CliRunner().invoke(app, ["frikommune", "records", "--date", "2018-06-01",
                                 "--format", "json"])
    assert r.exit_code == 0 and len(json.loads(r.stdout)["networks"]) == 8
    r = CliRunner().invoke(app, ["frikommune", "vedtaegt", "--municipality", "999"])
    assert r.exit_code == 2 and "not_found" in r.stderr
