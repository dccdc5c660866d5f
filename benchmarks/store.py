"""Benchmark: the register's reading and writing from the record declarations, in CPU time.

    python benchmarks/store.py [--runs 3] [--init]

On the register of FRISAT_HOME (run ``frisat init`` there first): ``store.read_world()``
of the whole register, ``frisat export --all`` as a document (``to_bundle``) and reading
that document back (``bundle.read_bundle``), each the best of ``--runs`` in CPU time
(``time.process_time``). ``--init`` also times ``frisat init`` in fresh temporary homes
(CPU of the child process, best of ``--runs``). Prints; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def best(runs: int, f: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        t = time.process_time()
        f()
        times.append(time.process_time() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--init", action="store_true")
    a = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frisat.web.settings")
    import django

    django.setup()
    from frisat.registry import bundle, export, store

    world = store.read_world()
    doc = export.to_bundle(world)
    now = store.now()
    print(f"store.read_world(): {best(a.runs, store.read_world):.3f} s CPU "
          f"({sum(1 for _ in world.records())} records)")
    print(f"to_bundle (export --all): {best(a.runs, lambda: export.to_bundle(world)):.3f} s CPU")
    print(f"read_bundle of it: {best(a.runs, lambda: bundle.read_bundle(doc, now)):.3f} s CPU")
    if a.init:
        from cli import cpu

        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        times = [cpu([sys.executable, "-m", "frisat", "init"],
                     {**env, "FRISAT_HOME": tempfile.mkdtemp(prefix="frisat-store-bench-")})
                 for _ in range(a.runs)]
        print(f"frisat init, fresh SQLite home: {min(times):.2f} s CPU (best of {a.runs})")


if __name__ == "__main__":
    main()
