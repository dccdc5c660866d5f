"""The fast engine agrees with the literal oracle on random worlds, dates and record times.

The oracle (``reference.py``) cuts the world at K with its own record-time filter and picks
its own cases (which acts are relevant, which provisions are leaves); the engine only
answers. Compared: every verdict's status, guardrail flag and ordered reasons with their key
data, for every institution and every (municipality, area, leaf); the national counts,
regimes with their coverage rows, and freedom rows. ``event()`` labels report what the
examples reached (``pytest --hypothesis-show-statistics``); the profiles are in
``tests/conftest.py``.
"""

from __future__ import annotations

import datetime as dt

import reference as oracle
from hypothesis import event, given
from hypothesis import strategies as st

from frisat.engine import Engine, Verdict, national
from frisat.engine.model import World
from worlds import (
    LAST,
    grid,
    grid_at,
    mostly,
    record_times,
    sometimes,
    turning_points,
    worlds,
)


def summary(v: Verdict) -> tuple[object, ...]:
    return (v.act, v.ref, v.status, v.guardrail,
            tuple(oracle.key_data(r.kind, r.data) for r in v.because))


def expected(o: oracle.Out) -> tuple[object, ...]:
    return (o.act, o.ref, o.status, o.guardrail, o.reasons)


def report(outs: list[oracle.Out]) -> None:
    """What the example reached: statuses and reason kinds."""
    for status in sorted({o.status for o in outs}):
        event(f"verdict: {status}")
    for kind in sorted({r["kind"] for o in outs for r in o.because}):
        event(f"reason: {kind}")
    for cond in sorted({r["condition"] for o in outs for r in o.because
                        if r["kind"] == "condition"}):
        event(f"reason: condition {cond}")


def compare(world: World, d: dt.date, k: dt.datetime) -> None:
    view = oracle.known_at(world, k)
    engine = Engine(world.known_at(k))
    outs: list[oracle.Out] = []
    for inst in view.institutions:
        slow = oracle.institution_rules(view, inst.id, d)
        fast = engine.institution_rules(inst.id, d)
        assert [summary(v) for v in fast] == [expected(o) for o in slow], inst.id
        assert all(v.because for v in fast)
        outs += slow
    for mun, area, leaf in oracle.municipality_cases(view):
        o = oracle.municipality_status(view, mun, area, leaf.act, leaf.ref, d)
        v = engine.municipality_status(mun, area, leaf.act, leaf.ref, d)
        assert summary(v) == expected(o), (mun, area, leaf.citation)
        outs.append(o)
    report(outs)

    nat = national(engine, d)
    want = oracle.national(view, d)
    got_regimes = [(r.key, r.title, r.legal_basis,
                    [(c.municipality, c.name, c.area, c.valid_from.isoformat(),
                      c.valid_to.isoformat() if c.valid_to else None) for c in r.coverage])
                   for r in nat.regimes]
    assert got_regimes == want.regimes
    assert [(x.municipality, x.area, x.level, x.source_url) for x in nat.incomplete] == \
        want.incomplete
    assert nat.freed_municipalities == want.freed_municipalities
    assert nat.decisions_in_force == want.decisions_in_force
    assert nat.exemptions_in_force == want.exemptions_in_force
    assert nat.provisions_set_aside == want.provisions_set_aside
    assert nat.municipalities_total == len(view.municipalities)
    rows = sorted(((e.municipality, e.area, e.institution, e.act, e.ref, e.status, e.decisions)
                   for e in nat.exceptions), key=repr)
    assert rows == want.rows
    if want.rows:
        event("national: freedom rows")


@st.composite
def questions(draw: st.DrawFn) -> tuple[World, dt.date, dt.datetime]:
    """A world, a date D (mostly on or after a decision's start; else mostly a day on which
    something in the world starts or ends, or the day before) and a record time K (mostly
    after every record; else just at or just before one of the world's record times)."""
    world = draw(worlds())
    starts = sorted({x.effective_from for x in world.decisions})
    points = turning_points(world)
    if starts and mostly(draw):  # on or after a decision's start: where it may hold
        d = draw(st.sampled_from(starts)) + dt.timedelta(days=draw(st.sampled_from([0, 1, 60])))
    elif mostly(draw):  # on, or the day before, a day something starts or ends
        d = draw(st.sampled_from(points)) - dt.timedelta(days=draw(st.sampled_from([0, 1])))
    else:
        d = grid(draw(st.integers(0, LAST))) + dt.timedelta(days=draw(st.sampled_from([0, 30])))
    times = record_times(world)
    if sometimes(draw):
        k = draw(st.sampled_from(times)) - dt.timedelta(seconds=draw(st.sampled_from([0, 1])))
        event("question: K at a record time")
    else:
        k = grid_at(LAST + 1)
    return world, d, k


@given(questions())
def test_engine_agrees_with_oracle(question: tuple[World, dt.date, dt.datetime]) -> None:
    compare(*question)
