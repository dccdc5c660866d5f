"""Benchmark: one evaluation with 1,000 placebo draws against a single fixed-effects fit.

    python benchmarks/evaluate.py

A synthetic panel (made up, an example): 98 municipalities x 15 years (2009-2023), unit and
year effects, noise, two treated municipalities from 15 May 2021 with an effect of +1. Times,
in CPU time of this process (``time.process_time``) in one run:

- one two-way fixed-effects OLS fit of the whole panel by statsmodels (the yardstick);
- ``frisat.followup.evaluation.evaluate`` with 1,000 placebo draws: the estimate, 1,000
  placebo difference-in-differences fits and 1,000 placebo event studies, and a synthetic
  control per treated municipality.

Prints the ratio evaluation / single fit. Asserts nothing about time. BLAS runs
single-threaded in both (as the evaluation does), so the ratio compares like with like.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from frisat.followup import evaluation as ev  # noqa: E402

UNITS, YEARS, DRAWS = 98, list(range(2009, 2024)), 1000


def panel(seed: int = 1) -> dict[str, dict[str, float]]:
    rng = np.random.default_rng(seed)
    unit_fx = rng.normal(0, 1, UNITS)
    year_fx = {y: rng.normal(0, 0.5) for y in YEARS}
    return {str(100 + i): {str(y): 10 + unit_fx[i] + year_fx[y] + rng.normal(0, 0.3)
                           + (1.0 if i < 2 and y >= 2022 else 0.0) for y in YEARS}
            for i in range(UNITS)}


def main() -> None:
    values = panel()
    units = sorted(values)
    start = ev.Treatment(dt.date(2021, 5, 15))
    design = ev.Design({"100": start, "101": start}, units[2:], draws=DRAWS, seed=7)
    data = ev._observations(values, units, [str(y) for y in YEARS])
    model = ev._Model(data, "year")
    timing = {0: start, 1: start}
    ev.evaluate(values, ev.Design({"100": start, "101": start}, units[2:], draws=5))  # warm up
    with threadpool_limits(1):
        t0 = time.process_time()
        reps = 20
        for _ in range(reps):
            model.did(timing, fast=False)
        single = (time.process_time() - t0) / reps
    t0 = time.process_time()
    result = ev.evaluate(values, design)
    full = time.process_time() - t0
    print(f"panel: {UNITS} municipalities x {len(YEARS)} years = {len(data.y)} observations")
    print(f"single fixed-effects fit (statsmodels OLS, mean of {reps}): {single * 1000:.1f} ms")
    print(f"evaluation with {result['method_draws']['draws']} placebo draws "
          f"(DiD + event study each) and {len(result['synthetic'])} synthetic controls: "
          f"{full:.2f} s")
    print(f"ratio evaluation / single fit: {full / single:.0f}x "
          f"(a naive refit of every draw and event study would be about "
          f"{2 * DRAWS + 2}x plus the synthetic controls)")
    print(f"estimate {result['estimate']:+.3f}, 95 % interval "
          f"[{result['ci_low']:+.3f}, {result['ci_high']:+.3f}], p = {result['p_value']:.4f}")


if __name__ == "__main__":
    main()
