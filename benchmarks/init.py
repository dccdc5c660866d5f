"""Benchmark: ``frisat init`` on a fresh register, in CPU time, and the size it leaves.

    python benchmarks/init.py [--runs 3] [--postgres postgres://…/name]

Runs ``frisat init`` in fresh temporary homes (SQLite) ``--runs`` times, each followed by a
second ``frisat init`` on the same home (nothing new to store: reading and checking the
shipped data only), interleaved. Prints the CPU time of each child process (user + system,
``resource.getrusage``) as the median, the ratio of the first run to the second, the size
of the SQLite database (after a WAL checkpoint) and of the snapshot files kept beside it.
With ``--postgres`` the URL's database is dropped, created, initialised once and measured
with ``pg_database_size`` (the server's own CPU is not counted). Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

from cli import cpu  # the child's CPU time, as the command-line benchmark measures it


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--postgres", default=None)
    a = ap.parse_args()
    frisat = [sys.executable, "-m", "frisat", "init"]
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    first, again, db_mb, cache_mb = [], [], 0.0, 0.0
    for _ in range(a.runs):
        home = Path(tempfile.mkdtemp(prefix="frisat-init-bench-"))
        env = {**base, "FRISAT_HOME": str(home)}
        first.append(cpu(frisat, env))
        again.append(cpu(frisat, env))
        db = next(home.glob("*.sqlite3"))
        with sqlite3.connect(db) as con:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db_mb = db.stat().st_size / 1e6
        cache_mb = sum(p.stat().st_size for p in (home / "cache").glob("*")) / 1e6
    f, s = statistics.median(first), statistics.median(again)
    print(f"frisat init, fresh SQLite home: {f:.2f} s CPU (median of {a.runs})")
    print(f"frisat init again (nothing new): {s:.2f} s CPU; first/again = {f / s:.1f}×")
    print(f"SQLite database {db_mb:.1f} MB; snapshot files beside it {cache_mb:.1f} MB")
    if a.postgres:
        import psycopg

        server, name = a.postgres.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
            c.execute(f'CREATE DATABASE "{name}"')
        home = Path(tempfile.mkdtemp(prefix="frisat-init-bench-"))
        t = cpu([*frisat, "--database", a.postgres], {**base, "FRISAT_HOME": str(home)})
        with psycopg.connect(a.postgres) as c:
            size = c.execute("SELECT pg_database_size(current_database())").fetchone()
        print(f"frisat init, PostgreSQL: {t:.2f} s CPU (client); "
              f"pg_database_size {size[0] / 1e6:.1f} MB" if size else "")


if __name__ == "__main__":
    main()
