"""An answer given for a record time K is the same answer for K forever (issue 14, reproducible
time): random sequences of loads — new decisions, changed catalogue records, coverage
extensions, delegations, completeness — many of them claiming record times in the past, are
loaded one after the other; the answers at the time right after each load are asked again
after all of them and must not have changed. All records are made-up examples."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frisat.engine import Engine
from frisat.registry import store
from frisat.registry.loader import load

pytestmark = pytest.mark.django_db

INSTITUTIONS = ("eks-1", "eks-2")
DATES = (dt.date(2021, 9, 1), dt.date(2023, 6, 1), dt.date(2025, 3, 1))
CLAIMS = ("2021-05-01", "2022-01-10", "2024-05-01", None)  # None: the load's own time


def decision(n: int, start: str, claim: str | None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": f"217-2025-98{n:02d}", "municipality": 217, "regime": "eksempel-ordning",
        "title": f"Eksempelbeslutning {n}", "decided_by": {"body": "council"},
        "decided_on": "2021-07-01", "published_on": "2021-07-05", "effective_from": start,
        "scope": {"institutions": ["eks-1"]} if n % 2 else {"institutions": "all"},
        "targets": [{"citation": "eksempelloven § 2", "extent": "whole"}], "example": True}
    if claim:
        d["recorded_at"] = claim
    return d


def change(kind: str, n: int, claim: str | None) -> dict[str, Any]:
    """One load of a made-up change."""
    at = {"recorded_at": claim} if claim else {}
    if kind == "decision":  # registered on or after its publication (2021-07-05)
        return {"decisions": [decision(n, ("2021-09-01", "2022-08-01", "2024-01-01")[n % 3],
                                       "2021-07-05" if claim == "2021-05-01" else claim)]}
    if kind == "act":
        return {"acts": [{"key": "eksempelloven", "level": "state", "areas": ["dagtilbud"],
                          "title": f"Eksempelloven, udgave {n} (ikke en rigtig lov)",
                          "valid_from": "2010-01-01", **at,
                          "provisions": [{"ref": "kapitel 1"}, {"ref": "§ 1", "in": "kapitel 1"},
                                         {"ref": "§ 1, stk. 1"}, {"ref": "§ 1, stk. 2"},
                                         {"ref": "§ 2", "in": "kapitel 1"},
                                         {"ref": "§ 2, nr. 1"}, {"ref": "§ 2, nr. 2"},
                                         {"ref": "§ 3", "in": "kapitel 1"}]}]}
    if kind == "coverage":
        return {"coverage": [{"regime": "eksempel-ordning", "municipality": 217,
                              "area": "dagtilbud", "from": "2021-06-01",
                              "to": ("2023-01-01", "2026-01-01")[n % 2], **at}]}
    if kind == "completeness":
        return {"completeness": [{"municipality": 217, "area": "dagtilbud",
                                  "from": "2021-06-01", "level": ("complete", "partial")[n % 2],
                                  "source": "Eksempel (ikke en rigtig kilde)", **at}]}
    return {"delegations": [{"municipality": 217, "regime": "eksempel-ordning",
                             "to": "committee", "name": f"Eksempeludvalg {n}",
                             "decided_on": "2021-06-01", **at}]}


def answers(k: dt.datetime) -> dict[tuple[str, dt.date], tuple[tuple[str, str], ...]]:
    engine = Engine(store.read_world().known_at(k))
    return {(i, d): tuple(sorted((v.citation, v.status)
                                 for v in engine.institution_rules(i, d)
                                 if v.citation.startswith("eksempelloven")))
            for i in INSTITUTIONS for d in DATES}


STEPS = st.lists(st.tuples(st.sampled_from(("decision", "act", "coverage", "completeness",
                                            "delegation")), st.sampled_from(CLAIMS)),
                 min_size=2, max_size=5)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(steps=STEPS)
def test_an_answer_given_for_k_is_the_answer_for_k_forever(example_bundle, steps):
    sid = transaction.savepoint()
    try:
        load(copy.deepcopy(example_bundle))
        given_then: list[tuple[dt.datetime, Any]] = []
        for n, (kind, claim) in enumerate(steps):
            load({"format": "frisat-bundle/1", **change(kind, n, claim)})
            k = store.now()
            given_then.append((k, answers(k)))
        for k, then in given_then:
            assert answers(k) == then, (k, steps)
    finally:
        transaction.savepoint_rollback(sid)
