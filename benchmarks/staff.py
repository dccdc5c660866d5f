"""Benchmark: the case workers' decision form and its picker, through the whole Django stack.

    FRISAT_HOME=… python benchmarks/staff.py [--repeat 30]

Against the register at FRISAT_HOME (made by ``frisat init``), as a Helsingør editor made
inside one transaction that is rolled back at the end (nothing stays written): the picker's
suggestions (``/forvaltning/bestemmelser.json``) for what a case worker types, a
no-JavaScript search round trip of the draft form, and the new draft page; each in CPU time
per request (``time.process_time``, median of 5 rounds) and as a ratio against
``/_minimal`` (a one-line view through the same middleware) in the same run. Prints;
asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

QUERIES = ["fo", "forældre", "forældrebestyrelse", "dagtilbudsloven § 1",
           "dagtilbudsloven § 14, stk", "læreplan", "§ 8"]


def per_request(call: Callable[[], Any], repeat: int) -> float:
    """Median CPU milliseconds of one call, over 5 rounds of REPEAT calls."""
    call()  # the snapshot and the template are built once, as in a running server
    rounds = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(repeat):
            call()
        rounds.append((time.process_time() - start) / repeat * 1000)
    return statistics.median(rounds)


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    repeat = parser.parse_args().repeat
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frisat.web.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client

    from frisat.accounts.models import Profile

    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user("benchmark-staff-editor")
            Profile.objects.create(user=user, role="municipal_editor", municipality=217)
            c = Client()
            c.force_login(user)
            measure(c, repeat)
            raise Rollback
    except Rollback:
        pass


def measure(c: Any, repeat: int) -> None:
    minimal = per_request(lambda: c.get("/_minimal"), repeat)
    rows = [(f"suggestions {q!r}", per_request(
        lambda q=q: c.get("/forvaltning/bestemmelser.json", {"q": q}), repeat))
        for q in QUERIES]
    rows.append(("new draft page", per_request(
        lambda: c.get("/forvaltning/beslutning/ny"), repeat)))
    form = {"action": "find", "q": "forældrebestyrelse", "title": "Eksempel",
            "targets-0-citation": "dagtilbudsloven § 14, stk. 1", "targets-0-extent": "partial"}
    rows.append(("no-JS search round trip", per_request(
        lambda: c.post("/forvaltning/beslutning/ny", form), repeat)))
    print(f"{'request':<42} {'CPU ms':>8} {'× minimal':>10}")
    print(f"{'/_minimal':<42} {minimal:>8.2f} {1:>10.1f}")
    for name, ms in rows:
        print(f"{name:<42} {ms:>8.2f} {ms / minimal:>10.1f}")


if __name__ == "__main__":
    main()
