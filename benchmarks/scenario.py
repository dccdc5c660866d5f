"""Benchmark: a what-if scenario against the plain answer, in one run.

    python benchmarks/scenario.py [--register]

The scenario is "all 98 municipalities covered in elder care" (``cover`` with
``municipalities: all``), on the synthetic Danish-scale world of ``benchmarks/engine.py``
(all made up, marked ``eksempel``) in which elder-care coverage is first limited to three
municipalities, as in the real register. Prints, in CPU time (``time.process_time``, the
least of three runs):

* the plain national answer: ``Engine(view)`` and ``national(d)`` over the register view;
* the scenario's national answer: reading the scenario, applying the overlay to the view,
  ``Engine`` and ``national(d)`` — and its ratio to the plain answer (aim: within 3×);
* the scenario's diff (every verdict that differs) at municipality level, and with every
  institution in the affected municipalities, as ratios to the plain answer.

With ``--register`` the same on the shipped register in ``FRISAT_HOME`` (real data; the
plain answer there is the engine's national answer over the register known now).
Prints; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "engine"), str(ROOT / "tests"),
                str(ROOT / "benchmarks")]

from engine import DAY, REGIMES, build  # noqa: E402
from frisat.engine import Engine, national  # noqa: E402
from frisat.engine import model as m  # noqa: E402
from frisat.nextround import scenario as sc  # noqa: E402

AT = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t)
    return best, out


def doc(regime: str, start: str) -> dict[str, Any]:
    return {"format": sc.FORMAT, "title": "Eksempel: alle 98 kommuner i ældreplejen",
            "changes": [{"cover": {"regime": regime, "area": "aeldre",
                                   "municipalities": "all", "from": start}}]}


def compare(label: str, view: m.World, scenario: dict[str, Any], d: dt.date) -> None:
    def plain() -> Any:
        return national(Engine(view), d)

    def scen() -> Any:
        parsed = sc.parse(scenario, view, at=AT)
        return national(Engine(sc.apply(view, parsed.records)), d)

    t_plain, nat = timed(plain)
    t_scen, snat = timed(scen)
    base = Engine(view)
    parsed = sc.parse(scenario, view, at=AT)
    other = Engine(sc.apply(view, parsed.records))
    t_mun, dm = timed(lambda: sc.diff(base, other, d, institutions=False), 1)
    t_all, da = timed(lambda: sc.diff(base, other, d), 1)
    print(f"\n== {label}: {len(view.municipalities)} municipalities, "
          f"{len(view.institutions)} institutions, {len(view.decisions)} decisions; D = {d}")
    print(f"plain national answer (Engine + national): {t_plain:.3f} s — "
          f"{nat.freed_municipalities} freed, {len(nat.exceptions)} exception rows")
    print(f"scenario national answer (parse + overlay + Engine + national): {t_scen:.3f} s "
          f"= {t_scen / t_plain:.2f}× — {snat.freed_municipalities} freed, "
          f"{len(snat.exceptions)} exception rows")
    print(f"scenario diff, municipality level: {t_mun:.3f} s = {t_mun / t_plain:.1f}× — "
          f"{len(dm.changes)} verdicts differ in {len(dm.pairs)} pairs compared")
    print(f"scenario diff, with institutions: {t_all:.3f} s = {t_all / t_plain:.1f}× — "
          f"{len(da.changes)} verdicts differ")


def synthetic() -> None:
    world = build(1, 5000, random.Random(20261202))
    aeldre = REGIMES["aeldre"][0]
    first3 = {x.code for x in world.municipalities[:3]}
    world = world.with_(coverage=tuple(c for c in world.coverage
                                       if c.area != "aeldre" or c.municipality in first3))
    world = world.with_(**{s: tuple(replace(x, recorded_at=m.EPOCH)
                                    for x in getattr(world, s)) for s in ("coverage",)})
    compare("synthetic Danish scale (benchmarks/engine.py)", world.known_at(AT),
            doc(aeldre, "2021-05-15"), DAY)


def register() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frisat.web.settings")
    import django

    django.setup()
    from frisat.registry.snapshot import snapshot

    snap = snapshot(dt.datetime.now(dt.UTC))
    compare("shipped register (FRISAT_HOME)", snap.world,
            doc("velfaerdsaftale-aeldre", "2022-01-01"), dt.date(2022, 6, 1))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--register", action="store_true", help="also the shipped register")
    args = ap.parse_args()
    synthetic()
    if args.register:
        register()
