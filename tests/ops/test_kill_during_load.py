"""Issue 14 ("what it must show"): a load killed with SIGKILL at any moment leaves the
register as it was or with the whole bundle — never half of it — and the database whole;
the same load run again afterwards completes. Runs on SQLite, and on PostgreSQL in the
suite's PostgreSQL run."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

ACTS, PROVISIONS = 12, 150

COUNT = """
import django, json
django.setup()
from django.db import connection
from frisat.registry import models as db
ok = "ok"
if connection.vendor == "sqlite":
    with connection.cursor() as c:
        c.execute("PRAGMA integrity_check")
        ok = c.fetchone()[0]
print(json.dumps({
    "acts": db.Act.objects.filter(key__startswith="eksempel-afbrudt-").count(),
    "provisions": db.Provision.objects.filter(act__key__startswith="eksempel-afbrudt-").count(),
    "loads": db.Load.objects.count(), "integrity": ok}))
"""


def big_bundle() -> str:
    return json.dumps({"format": "frisat-bundle/1", "acts": [{
        "key": f"eksempel-afbrudt-{a}", "level": "municipal", "municipality": 217,
        "areas": ["dagtilbud"], "title": f"Eksempel på et stort regelsæt {a}",
        "valid_from": "2019-01-01",
        "provisions": [{"ref": str(p), "summary": f"Eksempel {p}"}
                       for p in range(1, PROVISIONS + 1)]} for a in range(ACTS)]})


def counts(register) -> dict:
    done = subprocess.run([sys.executable, "-c", COUNT], capture_output=True, text=True,
                          env={**register.env, "DJANGO_SETTINGS_MODULE": "frisat.web.settings"},
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def writer_holds_the_lock(register) -> bool:
    """True once a writer is inside its write transaction (SQLite: the write lock is taken;
    PostgreSQL: the loads' advisory lock is granted)."""
    if register.url is None:
        conn = sqlite3.connect(register.sqlite, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(register.url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                            "AND granted").fetchone() is not None


@pytest.mark.django_db  # also in the suite's PostgreSQL run
def test_a_load_killed_at_any_moment_is_all_or_nothing(register, tmp_path):
    path = tmp_path / "stort.json"
    path.write_text(big_bundle(), encoding="utf-8")
    before = counts(register)
    assert before["acts"] == 0
    whole = (ACTS, ACTS * (PROVISIONS + 1))   # each act also has its root node
    rolled_back = 0   # kills inside the write transaction that left nothing behind
    for delay in (0.0, 0.3, 0.8, 1.5, 3.0):   # seconds into the write transaction
        proc = register.popen("load", str(path), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        while proc.poll() is None and not writer_holds_the_lock(register):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(delay)
        inside = proc.poll() is None and writer_holds_the_lock(register)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        now = counts(register)
        assert now["integrity"] == "ok"
        assert (now["acts"], now["provisions"]) in ((0, 0), whole), now
        assert now["loads"] == before["loads"] + (1 if now["acts"] else 0)
        rolled_back += inside and not now["acts"]
        if now["acts"]:
            break
    assert rolled_back >= 1
    again = register.run("load", str(path))
    assert again.returncode == 0, again.stderr
    final = counts(register)
    assert (final["acts"], final["provisions"]) == whole
    assert final["loads"] == before["loads"] + 1
