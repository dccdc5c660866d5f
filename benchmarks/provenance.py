"""Benchmark: what provenance on the public pages costs (``queries.provenance``).

    FRISAT_HOME=… python benchmarks/provenance.py [--dates 40]

On the register of FRISAT_HOME (``frisat init``: the shipped reference data), prints the
CPU time (``time.process_time``) of
* reading the map (record → load) of each section once, as a register state does on first
  use: decisions, institutions, acts, the loads, and the provisions and versions of each
  act (read per act: a provision page reads its own act's only);
* the institution page (Jyderup Skole) rendered afresh on ``--dates`` new dates, with the
  line and with the provenance lookup replaced by a constant, in one run.
Prints; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from collections.abc import Callable
from typing import Any


def cpu(f: Callable[[], Any]) -> tuple[float, Any]:
    t = time.process_time()
    out = f()
    return time.process_time() - t, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dates", type=int, default=40)
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frisat.web.settings")
    os.environ["FRISAT_RATE_LIMIT"] = "1000000/60"  # one client asks every date
    import django

    django.setup()
    from django.test import Client

    from frisat.queries import provenance
    from frisat.registry import models as db
    from frisat.web import pages
    from frisat.web.state import current_known_at

    total = 0.0
    for section in ("decisions", "institutions", "acts"):
        took, got = cpu(lambda s=section: provenance._origins(s, None))  # type: ignore[misc]
        total += took
        print(f"map {section:<13} {len(got):>6} records  {took * 1000:7.1f} ms")
    took, got = cpu(provenance._loads)
    total += took
    print(f"map loads         {len(got):>6} loads    {took * 1000:7.1f} ms")
    acts = sorted(db.Act.objects.values_list("key", flat=True))
    for section in sorted(provenance.BY_ACT):
        times = []
        for act in acts:
            took, got = cpu(lambda a=act, s=section:  # type: ignore[misc]
                            provenance._origins(s, a))
            times.append((took, act, len(got)))
        took, act, n = max(times)
        print(f"map {section} of one act: at most {took * 1000:.1f} ms ({act}, {n} records); "
              f"all {len(acts)} acts {sum(t for t, _, _ in times) * 1000:.1f} ms")
    print(f"map without provisions: {total * 1000:.1f} ms")

    snap = pages.snapshot(current_known_at())
    provenance.of_institution(snap, "341002")
    n = 10000
    took, _ = cpu(lambda: [provenance.of_institution(snap, "341002") for _ in range(n)])
    print(f"one lookup (an institution's line, maps built): {took / n * 1e6:.1f} µs")

    client = Client()
    start = dt.date(2022, 1, 3)

    def run(offset: int) -> float:
        t = time.process_time()
        for i in range(args.dates):
            d = start + dt.timedelta(days=offset + i)
            r = client.get(f"/institution/341002?date={d.isoformat()}")
            assert r.status_code == 200
        return (time.process_time() - t) / args.dates * 1000

    client.get("/institution/341002")  # the register state read, the maps built
    real = provenance.of_institution
    fixed = real(pages.snapshot(current_known_at()), "341002")
    with_line, without = [], []
    for rnd in range(3):  # alternated, so drift of a shared machine falls on both
        with_line.append(run(rnd * 2 * args.dates))
        pages.provenance.of_institution = lambda *a, **k: fixed  # type: ignore[assignment]
        try:
            without.append(run((rnd * 2 + 1) * args.dates))
        finally:
            pages.provenance.of_institution = real  # type: ignore[assignment]
    print(f"institution page, new date, ms CPU per page in 3 rounds: with the line "
          f"{' '.join(f'{x:.2f}' for x in with_line)}; lookup replaced by a constant "
          f"{' '.join(f'{x:.2f}' for x in without)}")


if __name__ == "__main__":
    main()
