"""Issue 14, finding 5 (concurrency): writers that meet give clean answers, never a 500 or
a database error.

- concurrent identical loads: one adds, the others find the rows and skip them; a load with
  other content under the same key appends to that record's history, once (on PostgreSQL
  too, where the loads used to fail with a unique-key violation);
- SQLite busy with another writer for longer than the busy timeout: 503 with Retry-After
  (JSON under /api/) instead of 500, and the command line says so without a traceback;
- a writer that frees the database within the retries gets through;
- the search index is built before its write transaction begins, so building it (seconds)
  does not hold the register's write lock;
- the Snowball stemmer is not shared between threads.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

BUNDLE = """format: frisat-bundle/1
acts:
  - key: eksempel-samtidig-retningslinjer
    level: municipal
    municipality: 217
    areas: [dagtilbud]
    title: {title}
    valid_from: "2019-01-01"
    provisions:
      - {{ref: "1", summary: "Eksempel"}}
"""


def bundle(tmp_path: Path, name: str, title: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(BUNDLE.format(title=title), encoding="utf-8")
    return path


@pytest.mark.django_db  # also in the suite's PostgreSQL run
def test_concurrent_identical_loads_give_one_success_and_clean_answers(register, tmp_path):
    same = bundle(tmp_path, "same", "Eksempel på retningslinjer")
    other = bundle(tmp_path, "other", "Andre eksempelretningslinjer")
    procs = [register.popen("load", str(f), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for f in (same, same, same, other)]
    outcomes = []
    for p in procs:
        out, errors = p.communicate(timeout=300)
        outcomes.append((p.returncode, errors))
    for code, errors in outcomes:
        assert "Traceback" not in errors and "duplicate key" not in errors, errors
        assert code in (0, 2), errors
    # of the identical loads one stores the act and the others find it there; the other
    # title is a later record of the act's history (whichever came first), stored once
    same_added = [e for c, e in outcomes[:3] if c == 0 and "Tilføjet: 1 acts" in e]
    assert len(same_added) == 1, outcomes
    for code, errors in outcomes[:3]:
        assert code == 0, errors
        assert "Tilføjet: 1 acts" in errors or "intet nyt" in errors, errors
    assert outcomes[3][0] == 0 and "Tilføjet: 1 acts" in outcomes[3][1], outcomes
    shown = register.run("export")
    assert shown.returncode == 0, shown.stderr
    titles = sorted(a["title"] for a in json.loads(shown.stdout).get("acts", [])
                    if a["key"] == "eksempel-samtidig-retningslinjer")
    assert titles == ["Andre eksempelretningslinjer", "Eksempel på retningslinjer"]


def hold_write_lock(db: Path, seconds: float) -> threading.Thread:
    """Another writer: holds SQLite's write lock for a while, in a thread of this process."""
    ready = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    t = threading.Thread(target=hold, daemon=True)
    t.start()
    assert ready.wait(10)
    return t


WEB_SCRIPT = """
import json, os, sqlite3, sys, threading, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from frisat.accounts.models import ApiToken, Profile

user = get_user_model().objects.create_user(username="eksempel-minister",
                                            password="en lang og god adgangskode")
Profile.objects.create(user=user, role="ministry")
token = ApiToken.issue(user)
from frisat.web import search
built_while_locked = []
real_docs = search._docs
def docs_probe(eng):
    # building the documents: may another writer write meanwhile?
    other = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE"); other.execute("ROLLBACK")
        built_while_locked.append(False)
    except sqlite3.OperationalError:
        built_while_locked.append(True)
    finally:
        other.close()
    return real_docs(eng)
search._docs = docs_probe
if sys.argv[2] == "probe":
    Client().get("/soeg?q=skole")
    print(json.dumps({"locked_while_building": built_while_locked}))
    sys.exit(0)
lock = sqlite3.connect(sys.argv[1], isolation_level=None)
lock.execute("BEGIN IMMEDIATE")   # another writer holds the database
answers = {}
r = Client().get("/soeg?q=skole")          # the search index must be built: a write
answers["page"] = [r.status_code, r.get("Retry-After"), r.content.decode()[:3000]]
body = json.dumps({"format": "frisat-bundle/1", "acts": [{"key": "eksempel-optaget",
       "level": "municipal", "municipality": 217, "areas": ["dagtilbud"], "title": "Eksempel",
       "valid_from": "2019-01-01", "provisions": [{"ref": "1"}]}]})
r = Client().post("/api/v1/bundles", data=body, content_type="application/json",
                  HTTP_AUTHORIZATION="Bearer " + token)
answers["api"] = [r.status_code, r.get("Retry-After"), r.content.decode()]
lock.execute("ROLLBACK")
r = Client().post("/api/v1/bundles", data=body, content_type="application/json",
                  HTTP_AUTHORIZATION="Bearer " + token)
answers["after"] = [r.status_code, None, r.content.decode()]
print(json.dumps(answers))
"""


def web(register, mode: str) -> dict:
    env = {"DJANGO_SETTINGS_MODULE": "frisat.web.settings", "FRISAT_DB_BUSY_SECONDS": "0.2"}
    done = subprocess.run([sys.executable, "-c", WEB_SCRIPT, str(register.sqlite), mode],
                          env={**register.env, **env}, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_busy_database_answers_503_with_retry_after_not_500(register):
    answers = web(register, "busy")
    status, retry, page = answers["page"]
    assert (status, retry) == (503, "2")
    assert "optaget" in page and "<html" in page
    status, retry, body = answers["api"]
    assert (status, retry) == (503, "2")
    error = json.loads(body)["errors"][0]
    assert error["code"] == "busy" and "optaget" in error["message"]
    assert error["message_en"]
    status, _, body = answers["after"]   # nothing was half-written: the same load now works
    assert status == 200, body
    assert json.loads(body)["added"]["acts"] == 1


def test_the_search_index_is_built_outside_the_write_transaction(register):
    assert web(register, "probe") == {"locked_while_building": [False]}


def test_a_command_against_a_busy_database_says_so_without_a_traceback(register, tmp_path):
    path = bundle(tmp_path, "busy", "Eksempel")
    holder = hold_write_lock(register.sqlite, 6)
    done = register.run("load", str(path), env={"FRISAT_DB_BUSY_SECONDS": "0.2"})
    holder.join()
    assert done.returncode == 1, done.stderr
    assert "optaget" in done.stderr and "Traceback" not in done.stderr
    again = register.run("load", str(path))
    assert again.returncode == 0 and "Tilføjet: 1 acts" in again.stderr, again.stderr


def test_a_writer_that_frees_the_database_within_the_retries_lets_the_load_through(
        register, tmp_path):
    path = bundle(tmp_path, "retry", "Eksempel")
    holder = hold_write_lock(register.sqlite, 0.6)
    done = register.run("load", str(path), env={"FRISAT_DB_BUSY_SECONDS": "0.2"})
    holder.join()
    assert done.returncode == 0, done.stderr
    assert "Tilføjet: 1 acts" in done.stderr


def test_search_words_are_stemmed_alike_in_many_threads():
    from frisat.web.search import terms

    words = ["børnehaverne", "skolernes", "institutionerne", "dagtilbuddenes",
             "plejehjemmene", "ældreplejen", "folkeskolerne", "bestemmelserne"]
    expected = {w: terms(w) for w in words}
    wrong: list[tuple[str, list[str]]] = []
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)   # switch threads as often as possible

    def ask(offset: int) -> None:
        for i in range(2000):
            w = words[(i + offset) % len(words)]
            try:
                got = terms(w)
            except Exception as exc:   # a shared stemmer fails mid-word too
                wrong.append((w, [repr(exc)]))
                continue
            if got != expected[w]:
                wrong.append((w, got))

    try:
        threads = [threading.Thread(target=ask, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert wrong == []
