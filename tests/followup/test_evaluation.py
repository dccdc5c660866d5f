"""The estimator on synthetic panels with known effects (no database).

Panels: 40 municipalities x 12 years (2012-2023), unit and year effects, Gaussian noise
(sd 0.3), two treated units from 15 May 2021 (2021 is partly treated and left out). With
this noise the estimate's sampling sd is about 0.2, so an effect of +2.0 lies ten sds from
0: the interval excludes 0 for every seed, not by luck. Coverage of the true effect is a
95 % property, so besides a fixed seed the test repeats 30 panels and asks for at least
25 hits (if the true coverage were 95 %, fewer than 25 of 30 happens with probability
below 1 %; the seeds are fixed, so the test is deterministic).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from frisat.followup.evaluation import Design, Treatment, _Model, _observations, evaluate

START = Treatment(dt.date(2021, 5, 15))


def panel(effect: float, seed: int, *, n: int = 40, sd: float = 0.3, trend: float = 0.0,
          years: range = range(2012, 2024), jump: dict[int, float] | None = None
          ) -> dict[str, dict[str, float]]:
    rng = np.random.default_rng(seed)
    unit_fx = rng.normal(0, 1, n)
    year_fx = {y: rng.normal(0, 0.5) for y in years}
    out: dict[str, dict[str, float]] = {}
    for i in range(n):
        out[str(100 + i)] = {}
        for y in years:
            v = 10 + unit_fx[i] + year_fx[y] + rng.normal(0, sd) + (jump or {}).get(y, 0.0)
            if i < 2:
                v += effect * (y >= 2022) + trend * (y - 2021)
            out[str(100 + i)][str(y)] = v
    return out


def design(draws: int = 1000, **kw: object) -> Design:
    return Design({"100": START, "101": START}, [str(100 + i) for i in range(2, 40)],
                  draws=draws, **kw)  # type: ignore[arg-type]


def test_a_real_effect_of_two_is_found_and_zero_is_excluded() -> None:
    r = evaluate(panel(2.0, seed=1), design())
    assert r["ci_low"] <= 2.0 <= r["ci_high"]
    assert r["ci_low"] > 0
    assert r["p_value"] < 0.01
    assert r["pre_trend"]["ok"] is True
    codes = {w["code"] for w in r["warnings"]}
    assert "partial_period" in codes and "pre_trend" not in codes
    # 38 comparison units, 2 treated: C(38, 2) = 703 <= 1000 draws, so every combination
    assert r["method_draws"] == {"draws": 703, "exact": True}


def test_no_effect_gives_an_interval_around_zero() -> None:
    r = evaluate(panel(0.0, seed=1), design())
    assert r["ci_low"] <= 0.0 <= r["ci_high"]
    assert r["p_value"] > 0.05


@pytest.mark.parametrize("effect", [2.0, 0.0])
def test_the_interval_covers_the_truth_in_repeated_panels(effect: float) -> None:
    hits = 0
    for seed in range(100, 130):
        r = evaluate(panel(effect, seed=seed), design(draws=199))
        hits += r["ci_low"] <= effect <= r["ci_high"]
    assert hits >= 25


def test_a_pre_trend_is_flagged() -> None:
    r = evaluate(panel(0.0, seed=3, trend=0.4), design())
    assert r["pre_trend"]["testable"] and r["pre_trend"]["ok"] is False
    assert "pre_trend" in {w["code"] for w in r["warnings"]}


def test_a_series_break_is_never_compared_across() -> None:
    # a new method from 2023 shifts every unit by +5: joined naively it would look like an
    # effect for nobody (period effects absorb it); here we check the window and warning
    values = panel(2.0, seed=5, jump={2023: 5.0})
    breaks = [{"period": "2023", "explanation": "ny metode", "explanation_en": "new method"}]
    r = evaluate(values, design(breaks=breaks))
    assert [p["period"] for p in r["periods"]][-1] == "2022"
    assert "2023" not in {e["period"] for e in r["event_study"]}
    warn = next(w for w in r["warnings"] if w["code"] == "series_break")
    assert warn["left_out"] == ["2023"]
    assert r["ci_low"] <= 2.0 <= r["ci_high"]


def test_a_break_before_the_start_leaves_too_few_pre_periods() -> None:
    breaks = [{"period": "2021", "explanation": "ny metode", "explanation_en": "new method"}]
    r = evaluate(panel(2.0, seed=6), design(breaks=breaks))
    assert r["estimate"] is None
    assert "too_few_pre_periods" in {w["code"] for w in r["warnings"]}


def test_covid_years_and_small_units_are_warned() -> None:
    d = design(small_units={"100": "lille|small"})
    codes = {w["code"] for w in evaluate(panel(0.0, seed=7), d)["warnings"]}
    assert {"covid", "small_unit"} <= codes


def test_the_placebo_fits_equal_statsmodels_full_fits() -> None:
    values = panel(1.0, seed=8)
    units = [str(100 + i) for i in range(40)]
    d = _observations(values, units, [str(y) for y in range(2012, 2024)])
    model = _Model(d, "year")
    timing = {5: START, 9: START}
    assert model.did(timing) == pytest.approx(model.did(timing, fast=False), abs=1e-9)
    rels = [-9, -8, -7, -6, -5, -4, -3, -2, 1, 2]
    np.testing.assert_allclose(model.event(timing, rels), model.event(timing, rels, fast=False),
                               atol=1e-9)


def test_synthetic_control_recovers_the_effect_of_a_unit_with_twins() -> None:
    r = evaluate(panel(2.0, seed=9, sd=0.05), design())
    assert len(r["synthetic"]) == 2
    for s in r["synthetic"]:
        assert s["estimate"] == pytest.approx(2.0, abs=0.5)
        assert abs(sum(s["weights"].values()) - 1) < 0.01
