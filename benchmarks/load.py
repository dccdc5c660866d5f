"""Benchmark: mixed reads while bundles are loaded, against `frisat serve` on SQLite and on
PostgreSQL.

    python benchmarks/load.py [--seconds 60] [--concurrency 4] [--workers 2]
                              [--write-every 3] [--database sqlite,postgres]
                              [--pg postgres://postgres@127.0.0.1:5432/postgres]

For each database: a fresh register (`frisat init`; on PostgreSQL a new database, dropped
afterwards), `frisat serve`, a ministry user with an API token. Then two phases of the same
closed loop of `concurrency` client threads asking a mix of reads — the institution page
and the national view (repeated and with a new date each time), the § 6 overview, the
national API answer with a new date, and a search:

* idle: only the reads;
* under load: the same reads while another client posts a bundle (a new municipal rule
  set: one new load) every `write-every` seconds, so every write makes each server process
  read the register again and the search index be rebuilt.

Prints, per phase, reads and writes, errors (any answer but 200: 500, 503 busy …), p50 and
p95 latency, and the CPU time the server's workers spent per read (Linux /proc), and the
ratio of under load to idle for p95 and for CPU per read. Measured in one run; asserts
nothing about time. The CPU ratio is the steadier figure on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
from portal import free_port, server_cpu

PASSWORD = "en lang og god adgangskode til belastning"


class Server:
    def __init__(self, kind: str, pg: str, workers: int):
        self.kind, self.home = kind, tempfile.mkdtemp(prefix="frisat-load-")
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(FRISAT_HOME=self.home, FRISAT_RATE_LIMIT="1000000/60")
        self.admin = self.db = None
        if kind == "postgres":
            self.db = f"frisat_bench_load_{uuid.uuid4().hex[:8]}"
            self.admin = pg
            self._pg(f'CREATE DATABASE "{self.db}"')
            self.env["DATABASE_URL"] = urlsplit(pg)._replace(path=f"/{self.db}").geturl()
        self.frisat("init")
        self.frisat("users", "add", "belastning-eksempel", "--role", "ministry",
                    stdin=PASSWORD + "\n")
        self.token = self.frisat("users", "token", "belastning-eksempel").strip()
        port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "frisat", "serve", "--port", str(port), "--workers",
             str(workers)], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                httpx.get(self.url + "/_minimal", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise SystemExit("frisat serve did not answer")

    def frisat(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run([sys.executable, "-m", "frisat", *args], env=self.env,
                              input=stdin, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise SystemExit(f"frisat {' '.join(args)}: {done.stderr}")
        return done.stdout

    def _pg(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(sql)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.home, ignore_errors=True)
        if self.db:
            self._pg(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')


def reads() -> Callable[[], str]:
    """The mix of reads, in turn; a new date where the path takes one."""
    counter = itertools.count()
    lock = threading.Lock()

    def day(i: int) -> str:
        return (dt.date(2021, 6, 1) + dt.timedelta(days=i)).isoformat()

    paths = [
        lambda i: "/institution/341002",
        lambda i: f"/institution/341002?date={day(i)}",
        lambda i: "/",
        lambda i: f"/?date={day(i)}",
        lambda i: "/kommune/217/oversigt",
        lambda i: f"/api/v1/national?date={day(i)}",
        lambda i: "/soeg?q=skole",
    ]

    def nxt() -> str:
        with lock:
            i = next(counter)
        return paths[i % len(paths)](i)

    return nxt


def bundle(n: int) -> bytes:
    return json.dumps({"format": "frisat-bundle/1", "acts": [{
        "key": f"eksempel-belastning-{uuid.uuid4().hex[:8]}-{n}", "level": "municipal",
        "municipality": 217, "areas": ["dagtilbud"],
        "title": f"Eksempel på retningslinjer {n} (belastningstest)",
        "valid_from": "2019-01-01", "provisions": [{"ref": "1", "summary": "Eksempel"}]}]}
    ).encode()


def phase(server: Server, seconds: float, concurrency: int,
          write_every: float | None) -> dict[str, float]:
    latencies: list[float] = []
    writes: list[float] = []
    errors: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    nxt = reads()

    def reader() -> None:
        with httpx.Client(base_url=server.url, timeout=120) as c:
            while time.perf_counter() < stop:
                t = time.perf_counter()
                r = c.get(nxt(), headers={"Accept-Encoding": "gzip"})
                took = time.perf_counter() - t
                with lock:
                    latencies.append(took)
                    if r.status_code != 200:
                        errors[r.status_code] = errors.get(r.status_code, 0) + 1

    def writer() -> None:
        assert write_every is not None
        with httpx.Client(base_url=server.url, timeout=120) as c:
            n = 0
            while time.perf_counter() < stop:
                t = time.perf_counter()
                r = c.post("/api/v1/bundles", content=bundle(n),
                           headers={"Authorization": f"Bearer {server.token}",
                                    "Content-Type": "application/json"})
                took = time.perf_counter() - t
                with lock:
                    writes.append(took)
                    if r.status_code != 200:
                        errors[r.status_code] = errors.get(r.status_code, 0) + 1
                n += 1
                time.sleep(max(0.0, write_every - took))

    threads = [threading.Thread(target=reader) for _ in range(concurrency)]
    if write_every:
        threads.append(threading.Thread(target=writer))
    cpu0 = server_cpu(server.proc.pid)
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    cpu1 = server_cpu(server.proc.pid)
    q = statistics.quantiles(latencies, n=100)
    return {"reads": len(latencies), "writes": len(writes), "errors": sum(errors.values()),
            "codes": errors, "p50": q[49] * 1000, "p95": q[94] * 1000,
            "write_p95": (statistics.quantiles(writes, n=100)[94] * 1000
                          if len(writes) >= 2 else float("nan")),
            "cpu": ((cpu1 - cpu0) / len(latencies) * 1000
                    if cpu0 is not None and cpu1 is not None else float("nan"))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--write-every", type=float, default=3.0)
    ap.add_argument("--database", default="sqlite,postgres")
    ap.add_argument("--pg", default=os.environ.get(
        "PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    a = ap.parse_args()
    print(f"frisat serve, {a.workers} workers × 4 threads; {a.concurrency} reading clients; "
          f"{a.seconds:g} s per phase; a bundle posted every {a.write_every:g} s under load\n")
    print(f"{'database':9} {'phase':11} {'reads':>6} {'writes':>6} {'errors':>6} "
          f"{'p50 ms':>8} {'p95 ms':>8} {'write p95':>9} {'cpu ms/read':>11}")
    for kind in a.database.split(","):
        server = Server(kind, a.pg, a.workers)
        try:
            nxt = reads()
            for _ in range(a.workers * 4 * 7):   # warm every worker on every kind of read
                httpx.get(server.url + nxt(), timeout=120)
            idle = phase(server, a.seconds, a.concurrency, None)
            busy = phase(server, a.seconds, a.concurrency, a.write_every)
        finally:
            server.close()
        for name, r in (("idle", idle), ("under load", busy)):
            print(f"{kind:9} {name:11} {r['reads']:6.0f} {r['writes']:6.0f} "
                  f"{r['errors']:6.0f} {r['p50']:8.1f} {r['p95']:8.1f} "
                  f"{r['write_p95']:9.0f} {r['cpu']:11.2f}"
                  + (f"   {r['codes']}" if r["codes"] else ""))
        print(f"{kind:9} ratio under load ÷ idle: p95 {busy['p95'] / idle['p95']:.1f}×, "
              f"CPU per read {busy['cpu'] / idle['cpu']:.1f}×\n")
    print("errors: answers other than 200 (reads and writes); cpu ms/read: CPU time of the "
          "server's workers (user + system, Linux /proc) over the phase ÷ reads; write p95: "
          "the bundle POST's latency")


if __name__ == "__main__":
    main()
