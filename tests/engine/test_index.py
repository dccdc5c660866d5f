"""The answer index and the timeline agree with the engine, and the engine's timeline with
the oracle, on random worlds, dates and record times."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from reference import institution_rules as oracle_rules

from frisat.engine import Engine, national
from frisat.engine.index import AnswerIndex
from frisat.engine.stretches import change_dates, span_of
from frisat.engine.timeline import changes, institution_history
from worlds import grid, grid_at, worlds

SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# dates inside the grid, on its points and between them, asked in an order that makes the
# index reuse what it built for earlier dates
DAYS = st.lists(st.tuples(st.integers(0, 24), st.sampled_from([0, 1, 17, -1])),
                min_size=3, max_size=8)


def _json(verdicts, asked):  # type: ignore[no-untyped-def]
    return [v.to_json(lang, asked) for lang in ("da", "en") for v in verdicts]


@SETTINGS
@given(worlds(), DAYS, st.sampled_from([25, 25, 3, 10, 16]))
def test_index_answers_are_the_engines(world, days, k):  # type: ignore[no-untyped-def]
    view = world.known_at(grid_at(k))
    engine = Engine(view)
    index = AnswerIndex(engine)
    asked = 0
    for day, jitter in days:
        d = grid(day) + dt.timedelta(days=jitter)
        for inst in view.institutions:
            fresh = Engine(view).institution_rules(inst.id, d)
            assert _json(index.institution_rules(inst.id, d), d) == _json(fresh, d), \
                (inst.id, d)
            asked += 1
        assert index.national(d).to_json() == national(Engine(view), d).to_json(), d
    assert asked == len(days) * len(view.institutions)
    event(f"index entries reused: {asked - len(index._rules) > 0}")


@SETTINGS
@given(worlds(), st.sampled_from([25, 25, 8, 16]))
def test_institution_history_agrees_with_the_oracle_day_by_day(world, k):  # type: ignore[no-untyped-def]
    view = world.known_at(grid_at(k))
    engine = Engine(view)
    checked = 0
    for inst in view.institutions:
        history = institution_history(engine, inst.id)
        for day in range(0, 25):
            for jitter in (0, 7):
                d = grid(day) + dt.timedelta(days=jitter)
                held = [s for s in history if (s.start is None or s.start <= d)
                        and (s.end is None or d < s.end)]
                expected = {(o.act, o.ref, o.status) for o in oracle_rules(view, inst.id, d)
                            if o.status in ("set_aside", "partially_set_aside")}
                got = {(f.act, f.ref, f.status) for s in held for f in s.freedoms}
                assert len(held) <= 1, (inst.id, d)
                assert got == expected, (inst.id, d)
                checked += 1
        # consecutive stretches differ (merged otherwise) and never overlap
        for a, b in zip(history, history[1:], strict=False):
            assert a.end is not None and b.start is not None and a.end <= b.start
            assert a.freedoms != b.freedoms or a.end != b.start or \
                (a.municipality, a.area) != (b.municipality, b.area)
        if any(s.freedoms for s in history):
            event("history has freedoms")
    assert checked == 50 * len(view.institutions)


@SETTINGS
@given(worlds(), st.integers(0, 24), st.integers(0, 24))
def test_changes_between_two_dates_are_exactly_the_status_changes(world, a, b):  # type: ignore[no-untyped-def]
    view = world.known_at(grid_at(25))
    engine = Engine(view)
    for inst in view.institutions:
        before = engine.institution_rules(inst.id, grid(a))
        after = engine.institution_rules(inst.id, grid(b))
        got = {c.verdict.citation: (c.before.status if c.before else None,
                                    c.after.status if c.after else None)
               for c in changes(before, after)}
        sb = {o.act + (" " + o.ref if o.ref else ""): o.status
              for o in oracle_rules(view, inst.id, grid(a))}
        sa = {o.act + (" " + o.ref if o.ref else ""): o.status
              for o in oracle_rules(view, inst.id, grid(b))}
        expected = {c: (sb.get(c), sa.get(c)) for c in {*sb, *sa} if sb.get(c) != sa.get(c)}
        assert got == expected
        if got:
            event("some status changed")


@SETTINGS
@given(worlds(), st.integers(0, 24))
def test_no_verdict_changes_inside_a_stretch(world, day):  # type: ignore[no-untyped-def]
    """The change dates are complete: two dates of one stretch get the same answers."""
    view = world.known_at(grid_at(25))
    engine = Engine(view)
    d = grid(day)
    for inst in view.institutions:
        m = engine.membership(inst.id, d)
        if m is None:
            continue
        span = span_of(change_dates(engine, m.municipality, m.area), d)
        last = (span.end - dt.timedelta(days=1)) if span.end else d + dt.timedelta(days=400)
        a = engine.institution_rules(inst.id, d)
        b = engine.institution_rules(inst.id, last)
        assert _json(a, d) == _json(b, d)
