"""The fast engine agrees with the literal oracle on random worlds, dates and record times."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import Out, institution_rules, municipality_status, national_exceptions

from frisat.engine import Engine, Verdict, national
from worlds import AREAS, grid, grid_at, worlds


def summary(v: Verdict) -> Out:
    return Out(v.act, v.ref, v.status, v.guardrail,
               frozenset((r.kind, r.record_id) for r in v.because))


SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(worlds(), st.integers(0, 24), st.sampled_from([0, 0, 0, -1, 1, 30]),
       st.sampled_from([25, 25, 25, 0, 3, 8, 12, 16, 20]))
def test_engine_agrees_with_oracle(world, day, jitter, k):  # type: ignore[no-untyped-def]
    d = grid(day) + dt.timedelta(days=jitter)
    view = world.known_at(grid_at(k))
    engine = Engine(view)
    for inst in view.institutions:
        fast = [summary(v) for v in engine.institution_rules(inst.id, d)]
        slow = institution_rules(view, inst.id, d)
        assert sorted(fast, key=repr) == sorted(slow, key=repr), inst.id
        # every verdict carries reasons
        assert all(v.because for v in engine.institution_rules(inst.id, d))
    for mu in view.municipalities:
        for area in AREAS:
            for p in view.provisions:
                act = next(a for a in view.acts if a.key == p.act)
                if engine.tree.children[p.key] or area not in act.areas or (
                        act.level == "municipal" and act.municipality != mu.code):
                    continue  # not a leaf, or not relevant: no verdict (NotAnswerable)
                fast_v = summary(engine.municipality_status(mu.code, area, p.act, p.ref, d))
                assert fast_v == municipality_status(view, mu.code, area, p.act, p.ref, d)
    nat = national(engine, d)
    fast_rows = {
        (e.municipality, e.area, e.institution, e.act, e.ref, e.status, frozenset(e.decisions))
        for e in nat.exceptions
    }
    assert len(fast_rows) == len(nat.exceptions)  # no duplicate rows
    assert fast_rows == national_exceptions(view, d)
    assert nat.provisions_set_aside == len({(r[3], r[4]) for r in fast_rows})
