"""Benchmark: the answer index against the engine, and the engine against the literal
oracle, at Danish scale and at 10×.

    python benchmarks/engine.py [--quick]

Builds synthetic worlds (all made up, marked ``eksempel``): 98 municipalities, ~6,100
institutions over three areas, ~3,000 leaf provisions in 4 acts, 5,000 decisions; and the
same with institutions, decisions and municipalities ×10 (provisions unchanged). Prints,
for each scale and in CPU time (``time.process_time``; wall time on a loaded machine is
noise):

* the engine: ``national(d)`` and one institution's ``institution_rules``;
* the answer index: the same questions once its entries for the stretch are built
  (another date of the same stretches), and the cost of building them (``warm``) in
  national engine runs;
* the oracle: one institution's rules measured directly (at 1×), and extrapolated from a
  timed sample of leaf verdicts where a full run would take hours (national; 10×);
* the growth 1× → 10×. Prints; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "engine"), str(ROOT / "tests")]

import reference  # noqa: E402

from frisat.engine import Engine, national  # noqa: E402
from frisat.engine.index import AnswerIndex  # noqa: E402
from frisat.engine.model import (  # noqa: E402
    Act,
    Area,
    Coverage,
    DecidedBy,
    Decision,
    Institution,
    Listing,
    Membership,
    Municipality,
    Provision,
    Regime,
    Scope,
    Target,
    World,
)
from frisat.engine.stretches import change_dates, span_of  # noqa: E402

AREAS = {  # area -> (institutions per municipality at 1×, kinds)
    "dagtilbud": (41, ("daginstitution", "dagpleje", "klub")),
    "folkeskole": (11, ("folkeskole", "specialskole")),
    "aeldre": (10, ("plejehjem", "hjemmepleje")),
}
ACTS = {  # act -> (areas, paragraphs)
    "eksempel-dagtilbudsloven": (("dagtilbud",), 240),
    "eksempel-folkeskoleloven": (("folkeskole",), 240),
    "eksempel-serviceloven": (("aeldre",), 260),
    "eksempel-bek": (("dagtilbud", "folkeskole"), 150),
}
REGIMES = {
    "dagtilbud": ("eksempel-ordning-dagtilbud", "listed", ("eksempel-dagtilbudsloven",
                                                           "eksempel-bek")),
    "folkeskole": ("eksempel-ordning-folkeskole", "all_but_guardrails",
                   ("eksempel-folkeskoleloven", "eksempel-bek")),
    "aeldre": ("eksempel-ordning-aeldre", "listed", ("eksempel-serviceloven",)),
}
START = dt.date(2021, 5, 15)
DAY = dt.date(2024, 6, 1)


def build(scale: int, n_decisions: int, rnd: random.Random) -> World:
    n_mun = 98 * scale
    munis = tuple(Municipality(1000 + i, f"Eksempelkommune {i}", 1084, "Region Eksempel")
                  for i in range(n_mun))
    provisions: list[Provision] = []
    nodes: dict[str, list[str]] = {}
    for act, (_, n_par) in ACTS.items():
        provisions.append(Provision(act, "", None))
        refs: list[str] = []
        for p in range(1, n_par + 1):
            par = f"§ {p}"
            provisions.append(Provision(act, par, ""))
            refs.append(par)
            n_stk = rnd.choice((0, 1, 2, 3, 4))
            for s in range(1, n_stk + 1):
                stk = f"{par}, stk. {s}"
                provisions.append(Provision(act, stk, par))
                refs.append(stk)
                for n in range(1, rnd.choice((0, 0, 0, 2, 3)) + 1):
                    nr = f"{stk}, nr. {n}"
                    provisions.append(Provision(act, nr, stk))
                    refs.append(nr)
        nodes[act] = refs
    acts = tuple(Act(k, "state", k, areas, dt.date(2010, 1, 1)) for k, (areas, _) in
                 ACTS.items())
    regimes = []
    for _area, (key, shape, r_acts) in REGIMES.items():
        listings = []
        for a in r_acts:
            paras = [r for r in nodes[a] if "," not in r]
            for r in rnd.sample(paras, len(paras) // 2):
                listings.append(Listing(a, r, "deviable" if shape == "listed" else "guardrail"))
            for r in rnd.sample(nodes[a], 20):
                listings.append(Listing(a, r, "guardrail"))
        regimes.append(Regime(key, key, "velfaerdsaftale", "eksempel", shape,  # type: ignore[arg-type]
                              r_acts, tuple(listings),
                              protected_groups=("beskyttet gruppe (eksempel)",)))
    coverage = tuple(Coverage(REGIMES[a][0], m.code, a, START, dt.date(2025, 8, 1))
                     for m in munis for a in AREAS)
    institutions: list[Institution] = []
    memberships: list[Membership] = []
    by_area: dict[tuple[int, str], list[str]] = {}
    for m in munis:
        for area, (per, kinds) in AREAS.items():
            for j in range(rnd.randint(per // 2, per * 3 // 2)):
                iid = f"eks-{m.code}-{area[:2]}-{j}"
                institutions.append(Institution(iid, iid, example=True))
                memberships.append(Membership(iid, m.code, area, rnd.choice(kinds),
                                              dt.date(2000, 1, 1), None,
                                              "private" if rnd.random() < 0.05 else "public"))
                by_area.setdefault((m.code, area), []).append(iid)
    decisions: list[Decision] = []
    for i in range(n_decisions):
        m = rnd.choice(munis)
        area = rnd.choice(tuple(AREAS))
        key, _, r_acts = REGIMES[area]
        roll = rnd.random()
        if roll < 0.5:
            scope = Scope()
        elif roll < 0.8:
            scope = Scope(institutions=tuple(rnd.sample(by_area[(m.code, area)],
                                                        min(3, len(by_area[(m.code, area)])))))
        else:
            scope = Scope(kinds=(rnd.choice(AREAS[area][1]),))
        targets = []
        for _ in range(rnd.randint(1, 3)):
            a = rnd.choice(r_acts)
            targets.append(Target(a, rnd.choice(nodes[a]),
                                  "partial" if rnd.random() < 0.2 else "whole"))
        eff = START + dt.timedelta(days=rnd.randint(1, 900))
        revokes = ((decisions[rnd.randrange(len(decisions))].id,)
                   if decisions and rnd.random() < 0.05 else ())
        decisions.append(Decision(
            f"eks-{i}", m.code, key, area, DecidedBy("council"), eff - dt.timedelta(days=10),
            eff - dt.timedelta(days=5), eff, None, scope, tuple(targets), revokes=revokes,
            example=True))
    return World(
        municipalities=munis, areas=tuple(Area(a, a) for a in AREAS),
        institutions=tuple(institutions), memberships=tuple(memberships), acts=acts,
        provisions=tuple(provisions), regimes=tuple(regimes), coverage=coverage,
        decisions=tuple(decisions),
    )


def timed(fn, repeat: int = 1) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """The least CPU time of ``repeat`` runs, and the last result."""
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t)
    return best, out


def oracle_per_verdict(world: World, samples: list[tuple[Provision, int, str,
                                                         Membership | None]]) -> float:
    t = time.process_time()
    for leaf, mun, area, m in samples:
        reference.verdict(world, leaf, mun, area, DAY, m)
    return (time.process_time() - t) / len(samples)


def run(scale: int, n_decisions: int, sample: int, rnd: random.Random,
        direct_oracle: bool) -> dict[str, float]:
    t0 = time.process_time()
    world = build(scale, n_decisions, rnd)
    t_build = time.process_time() - t0
    t_engine_init, engine = timed(lambda: Engine(world))
    assert isinstance(engine, Engine)
    n_leaves = sum(len(engine.tree.leaves(a)) for a in ACTS)
    print(f"\n== scale {scale}×: {len(world.municipalities)} municipalities, "
          f"{len(world.institutions)} institutions, {n_leaves} leaves, "
          f"{len(world.decisions)} decisions (world built in {t_build:.1f} s, "
          f"Engine() in {t_engine_init:.2f} s)")

    t_nat, nat = timed(lambda: national(engine, DAY))
    print(f"national(d): {t_nat:.3f} s — {nat.decisions_in_force} decisions in force, "  # type: ignore[attr-defined]
          f"{len(nat.exceptions)} exception rows, "  # type: ignore[attr-defined]
          f"{nat.provisions_set_aside} provisions set aside")  # type: ignore[attr-defined]

    # a daycare institution (the area with the most leaves) in the municipality with the
    # most daycare decisions: the same kind of question at both scales
    counts: dict[tuple[int, str], int] = {}
    for dcs in world.decisions:
        if dcs.area == "dagtilbud":
            counts[(dcs.municipality, dcs.area)] = counts.get((dcs.municipality, dcs.area),
                                                              0) + 1
    busiest = max(counts, key=lambda k: counts[k])
    inst = next(m for m in world.memberships if (m.municipality, m.area) == busiest)
    t_inst, verdicts = timed(lambda: engine.institution_rules(inst.institution, DAY), repeat=5)
    n_rel = len(verdicts)  # type: ignore[arg-type]
    print(f"institution_rules({inst.institution}): {t_inst * 1000:.1f} ms — {n_rel} leaves, "
          f"{counts[busiest]} decisions in its municipality and area")

    # oracle, from a sample of leaf verdicts of the same kinds the questions need
    all_leaves = [lf for a in ACTS for lf in engine.tree.leaves(a)]
    rel = [lf for lf in all_leaves if engine.relevant(lf.act, engine.institution_context(
        inst.institution, DAY))]  # type: ignore[arg-type]
    inst_sample = [(lf, inst.municipality, inst.area, inst) for lf in rnd.sample(rel, sample)]
    per_inst_verdict = oracle_per_verdict(world, inst_sample)
    t_oracle_inst = per_inst_verdict * len(rel)
    mun_area = [(m.code, a) for m in world.municipalities for a in AREAS]
    nat_sample: list[tuple[Provision, int, str, Membership | None]] = []
    for _ in range(sample // 2):
        mu, a = rnd.choice(mun_area)
        nat_sample.append((rnd.choice(all_leaves), mu, a, None))
    for m in rnd.sample(list(world.memberships), sample // 2):
        rel_m = [lf for lf in all_leaves if m.area in ACTS[lf.act][0]]
        nat_sample.append((rnd.choice(rel_m), m.municipality, m.area, m))
    per_nat_verdict = oracle_per_verdict(world, nat_sample)
    n_nat_verdicts = len(mun_area) * len(all_leaves) + sum(
        sum(1 for lf in all_leaves if m.area in ACTS[lf.act][0]) for m in world.memberships)
    t_oracle_nat = per_nat_verdict * n_nat_verdicts
    print(f"oracle institution_rules: ~{t_oracle_inst:.1f} s (extrapolated: {sample} sampled "
          f"leaf verdicts × {n_rel} leaves) → engine is {t_oracle_inst / t_inst:,.0f}× faster")
    print(f"oracle national: ~{t_oracle_nat / 3600:.1f} h (extrapolated: {len(nat_sample)} "
          f"sampled verdicts × {n_nat_verdicts:,} municipality-area and institution leaf "
          f"verdicts) → engine is {t_oracle_nat / t_nat:,.0f}× faster")
    print(f"national / one institution (engine): {t_nat / t_inst:,.0f}×")

    if direct_oracle:  # one institution's rules, measured in full
        t_direct, _ = timed(lambda: reference.institution_rules(world, inst.institution, DAY))
        print(f"oracle institution_rules, measured directly: {t_direct:.1f} s → engine is "
              f"{t_direct / t_inst:,.0f}× faster (extrapolated above: {t_oracle_inst:.1f} s)")

    # the answer index: build the entries for DAY's stretches, then ask for another date in
    # the same stretches (no change date between DAY and DAY2 for these questions)
    index = AnswerIndex(Engine(world))
    t_warm, _ = timed(lambda: index.warm(DAY))
    index.institution_rules(inst.institution, DAY)
    day2 = DAY + dt.timedelta(days=1)
    same = span_of(change_dates(index.engine, *busiest), DAY) == span_of(
        change_dates(index.engine, *busiest), day2)
    t_idx_inst, got = timed(lambda: index.institution_rules(inst.institution, day2), repeat=50)
    assert [v.to_json("da", day2) for v in got] == [  # type: ignore[attr-defined]
        v.to_json("da", day2) for v in engine.institution_rules(inst.institution, day2)]
    t_idx_nat, nat2 = timed(lambda: index.national(day2), repeat=50)
    assert nat2.to_json() == national(engine, day2).to_json()  # type: ignore[attr-defined]
    # a date of a national stretch not asked before, its areas' entries built already
    t_idx_assemble, _ = timed(lambda: (index._national.clear(), index.national(day2))[1],
                              repeat=5)
    print(f"index: warm(d) {t_warm:.3f} s = {t_warm / t_nat:.2f} national engine runs; "
          f"{'same stretch' if same else 'NOT the same stretch'} on d+1")
    print(f"index institution_rules: {t_idx_inst * 1e6:.1f} µs → {t_inst / t_idx_inst:,.0f}× "
          f"the engine")
    print(f"index national: {t_idx_nat * 1e6:.1f} µs → {t_nat / t_idx_nat:,.0f}× the engine; "
          f"assembled from the areas' entries (a national stretch not asked before): "
          f"{t_idx_assemble * 1000:.2f} ms → {t_nat / t_idx_assemble:,.0f}×")
    return {"national": t_nat, "institution": t_inst, "oracle_national": t_oracle_nat,
            "oracle_institution": t_oracle_inst, "init": t_engine_init,
            "index_national": t_idx_nat, "index_institution": t_idx_inst, "warm": t_warm,
            "index_assemble": t_idx_assemble}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="small worlds (0.2× decisions at 1× and 2× scale), small samples")
    args = ap.parse_args()
    rnd = random.Random(2021)
    quick = [(1, 1000, 20), (2, 2000, 20)]
    full = [(1, 5000, 60), (10, 50000, 40)]
    plan = quick if args.quick else full
    res = [run(scale, n_dec, sample, rnd, direct_oracle=scale == 1)
           for scale, n_dec, sample in plan]
    (s1, _, _), (s2, _, _) = plan
    a, b = res
    print(f"\n== growth {s1}× → {s2}×")
    for k in ("init", "national", "institution", "oracle_national", "oracle_institution",
              "warm", "index_national", "index_assemble", "index_institution"):
        print(f"{k:>20}: {a[k]:10.3f} s → {b[k]:10.3f} s  ({b[k] / a[k]:.1f}×)")


if __name__ == "__main__":
    main()
