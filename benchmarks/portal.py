"""Benchmark: the portal under a bounded load on loopback, against `frisat serve`.

    python benchmarks/portal.py [--seconds 5] [--concurrency 8] [--workers 2] [--one-client]

Starts `frisat serve` on a free port with a fresh FRISAT_HOME (`frisat init`: the shipped
reference data), then for each target runs a closed loop of `concurrency` client threads
for a fixed time and prints requests per second and p50/p95 latency, each also as a ratio
against `/_minimal` (a one-line Django view served by the same server in the same run), and
the CPU time the server's workers spent per request (Linux: read from /proc), which moves
less than req/s when other work shares the machine.

Targets: the institution page (Jyderup Skole, 652 rules), the national view and the map of
the 98 municipalities, each
* "repeated": the same URL, as most visitors ask it (today, as known now): after the first
  request the page comes from the response cache;
* "new date": every request asks another date, so each one computes and renders afresh;
plus the institution's full rule list (``/institution/341002/regler``), a daycare page
(Børnehuset Elverhøjen, 589 rules) on a new date each time and a
search ("elverhojen", not cached: it asks the index each time).

Visitors: the requests come from many visitors, each asking at most ``VISIT`` pages before
the next one comes (a new address in ``X-Forwarded-For``, the server trusting one proxy),
and the rate limit is the server's default (30 new dates a minute per address) — as the
server meets real traffic. ``--one-client`` sends everything from one address with the
limit lifted instead (how the benchmark measured before): the limit's count of that one
address then grows to every date asked in the last minute, which no real client reaches.
Prints; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# pages one visitor asks before the next visitor (address) comes; under the rate limit
VISIT = 10


def visitors() -> Callable[[], dict[str, str]]:
    """The headers of the next request: a new visitor's address every ``VISIT`` requests."""
    counter = itertools.count()
    lock = threading.Lock()

    def nxt() -> dict[str, str]:
        with lock:
            i = next(counter) // VISIT
        return {"X-Forwarded-For": f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"}

    return nxt


def start(workers: int, one_client: bool) -> tuple[subprocess.Popen[bytes], str, str]:
    home = tempfile.mkdtemp(prefix="frisat-bench-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["FRISAT_HOME"] = home
    if one_client:  # one address asks for a new date on every request: lift the limit
        env["FRISAT_RATE_LIMIT"] = "1000000/60"
    else:  # many visitors behind one trusted proxy, the default limit
        env["FRISAT_PROXIES"] = "1"
        env.pop("FRISAT_RATE_LIMIT", None)
    subprocess.run([sys.executable, "-m", "frisat", "init"], env=env, check=True,
                   capture_output=True, timeout=600)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "frisat", "serve", "--port", str(port),
                             "--workers", str(workers)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(url + "/_minimal", timeout=2)
            return proc, url, home
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("frisat serve did not answer")


def server_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by the server's worker processes (Linux
    /proc; None elsewhere). Per request, this is steadier than req/s on a shared machine."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    try:
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:  # ppid: a gunicorn worker of this server
                total += (int(fields[11]) + int(fields[12])) / tick
    except OSError:
        return None
    return total


def run(base: str, next_path: Callable[[], str], seconds: float,
        concurrency: int, headers: Callable[[], dict[str, str]]) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=30) as c:
            while time.perf_counter() < stop:
                path = next_path()
                t = time.perf_counter()
                r = c.get(path, headers={"Accept-Encoding": "gzip", **headers()})
                dt_ = time.perf_counter() - t
                with lock:
                    latencies.append(dt_)
                    if r.status_code != 200:
                        errors += 1

    start_t = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - start_t
    q = statistics.quantiles(latencies, n=100)
    return {"n": len(latencies), "rps": len(latencies) / wall, "p50": q[49] * 1000,
            "p95": q[94] * 1000, "errors": errors}


def dates() -> Callable[[], str]:
    """A new date on each call (2021-06-01 onwards), so no two requests share an answer."""
    counter = itertools.count()
    lock = threading.Lock()

    def nxt() -> str:
        with lock:
            i = next(counter)
        return (dt.date(2021, 6, 1) + dt.timedelta(days=i)).isoformat()

    return nxt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--one-client", action="store_true",
                    help="every request from one address, the rate limit lifted")
    a = ap.parse_args()
    proc, url, home = start(a.workers, a.one_client)
    headers = (lambda: {}) if a.one_client else visitors()
    try:
        new_inst, new_nat, new_map, new_day, new_rules = (dates() for _ in range(5))
        targets: list[tuple[str, Callable[[], str]]] = [
            ("minimal page /_minimal", lambda: "/_minimal"),
            ("institution, repeated", lambda: "/institution/341002"),
            ("institution, new date", lambda: f"/institution/341002?date={new_inst()}"),
            ("national view, repeated", lambda: "/"),
            ("national view, new date", lambda: f"/?date={new_nat()}"),
            ("map page, repeated", lambda: "/kort"),
            ("map page, new date", lambda: f"/kort?date={new_map()}"),
            ("rule list page, new date",
             lambda: f"/institution/341002/regler?date={new_rules()}"),
            ("daycare page, new date",
             lambda: f"/institution/frisat-217-boernehuset-elverhoejen?date={new_day()}"),
            ("search, elverhojen", lambda: "/soeg?q=elverhojen"),
        ]
        for _, path in targets:  # warm the engine and the caches of every worker
            for _ in range(a.workers * 4):
                httpx.get(url + path(), headers=headers(), timeout=60)
        print(f"frisat serve, {a.workers} workers × 4 threads; {a.concurrency} client threads; "
              f"{a.seconds:g} s per target; loopback; "
              f"{'one client' if a.one_client else f'a new visitor every {VISIT} requests'}\n")
        print(f"{'target':26} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'rps ratio':>10} {'p50 ratio':>10} {'p95 ratio':>10} {'n':>6} {'err':>4} "
              f"{'cpu ms/req':>10} {'cpu ratio':>10}")
        # the minimal page runs first and last: under other work the machine's speed moves
        # within a run, and the ratios are taken against the mean of the two
        results: list[tuple[str, dict[str, float]]] = []
        for name, path in [*targets, ("minimal page, again", targets[0][1])]:
            cpu0 = server_cpu(proc.pid)
            r = run(url, path, a.seconds, a.concurrency, headers)
            cpu1 = server_cpu(proc.pid)
            r["cpu"] = (cpu1 - cpu0) / r["n"] if cpu0 is not None and cpu1 is not None \
                else float("nan")
            results.append((name, r))
        first, last = results[0][1], results[-1][1]
        base = {k: (first[k] + last[k]) / 2 for k in ("rps", "p50", "p95", "cpu")}
        for name, r in results:
            cpu = f"{r['cpu'] * 1000:10.2f} {r['cpu'] / base['cpu']:9.1f}×" \
                if r["cpu"] == r["cpu"] else f"{'–':>10} {'–':>10}"
            print(f"{name:26} {r['rps']:8.0f} {r['p50']:8.1f} {r['p95']:8.1f} "
                  f"{base['rps'] / r['rps']:9.1f}× {r['p50'] / base['p50']:9.1f}× "
                  f"{r['p95'] / base['p95']:9.1f}× {r['n']:6d} {r['errors']:4.0f} {cpu}")
        print("\nratios: minimal page ÷ target for req/s, target ÷ minimal page for latency "
              "(the minimal page: the mean of its first and last run) "
              "and CPU (1× = as cheap as the minimal page); cpu ms/req: CPU time of the "
              "server's workers per request (Linux), the figure that moves least when other "
              "work shares the machine")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
