"""Benchmark: reading commands against an empty Python process, in CPU time.

    python benchmarks/cli.py [--runs 15]

Creates a fresh register (``frisat init`` in a temporary FRISAT_HOME), then runs, interleaved
``--runs`` times each, ``python -c pass`` and the reading commands with ``--format json``
(answered from the register kept beside the database, without Django), and one command
with text output (through Django and Typer). Prints each command's CPU time (user + system
of the child process, from ``resource.getrusage``) as the median and the least of its runs,
and the median as a ratio to ``python -c pass``. Also the first command after a load, which
reads the register through Django and keeps it for the next ones. Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile


def cpu(cmd: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    a = ap.parse_args()
    home = tempfile.mkdtemp(prefix="frisat-cli-bench-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["FRISAT_HOME"] = home
    frisat = [sys.executable, "-m", "frisat"]
    try:
        subprocess.run([*frisat, "init"], env=env, check=True, capture_output=True)
        shutil.rmtree(os.path.join(home, "cache"), ignore_errors=True)
        rules = [*frisat, "rules", "--institution", "341002", "--date", "2022-03-01",
                 "--format", "json"]
        first = cpu(rules, env)  # reads through Django, keeps the register for the next
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "frisat rules --format json": rules,
            "frisat national --format json": [*frisat, "national", "--date", "2022-03-01",
                                              "--format", "json"],
            "frisat status --format json": [*frisat, "status", "--municipality", "217",
                                            "--area", "dagtilbud", "--provision",
                                            "dagtilbudsloven § 8, stk. 1", "--date",
                                            "2022-03-01", "--format", "json"],
            "frisat rules (text)": rules[:-2],
        }
        times: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(a.runs):
            for name, cmd in commands.items():
                times[name].append(cpu(cmd, env))
        base = statistics.median(times["python -c pass"])
        print(f"{'command':34} {'median ms':>10} {'least ms':>9} {'ratio':>7}")
        for name, ts in times.items():
            med = statistics.median(ts)
            print(f"{name:34} {med * 1000:10.1f} {min(ts) * 1000:9.1f} {med / base:6.1f}×")
        print(f"{'first rules after a load (Django)':34} {first * 1000:10.1f} "
              f"{'':9} {first / base:6.1f}×")
        print("\nCPU time (user + system) of each child process; ratio: median ÷ the median "
              "of python -c pass; runs interleaved so load on the machine hits all alike")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
