"""Issue 14, finding 5 (concurrency): writers that meet give clean answers, never a 500 or
a database error.

- concurrent identical loads: one adds, the others find the rows and skip them; a load with
  other content under the same key is a clean ``conflict`` (on PostgreSQL too, where the
  loads used to fail with a unique-key violation);
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
import types
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


DECISION = """format: frisat-bundle/1
decisions:
  - id: 217-2025-9400
    municipality: 217
    regime: velfaerdsaftale-dagtilbud
    title: {title}
    example: true
    decided_by: {{body: council}}
    decided_on: "2025-01-15"
    published_on: "2025-02-01"
    effective_from: "2025-03-01"
    scope: {{institutions: all}}
    targets: [{{citation: "dagtilbudsloven § 14, stk. 1", extent: whole}}]
"""


def loads_at_once(register, files: list[Path]) -> list[tuple[int, str]]:
    procs = [register.popen("load", str(f), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for f in files]
    outcomes = []
    for p in procs:
        _, errors = p.communicate(timeout=300)
        outcomes.append((p.returncode, errors))
    for code, errors in outcomes:
        assert "Traceback" not in errors and "duplicate key" not in errors, errors
        assert code in (0, 2), errors
    return outcomes


@pytest.mark.django_db  # also in the suite's PostgreSQL run
def test_concurrent_identical_loads_give_one_success_and_the_rest_nothing_new(register,
                                                                             tmp_path):
    same = bundle(tmp_path, "same", "Eksempel på retningslinjer")
    outcomes = loads_at_once(register, [same] * 4)
    assert all(code == 0 for code, _ in outcomes), outcomes
    added = [e for _, e in outcomes if "Tilføjet: 1 acts" in e]
    assert len(added) == 1, outcomes
    assert sum("intet nyt" in e for _, e in outcomes) == 3, outcomes
    shown = register.run("export")
    assert shown.returncode == 0, shown.stderr
    acts = [a for a in json.loads(shown.stdout).get("acts", [])
            if a["key"] == "eksempel-samtidig-retningslinjer"]
    assert len(acts) == 1


@pytest.mark.django_db  # also in the suite's PostgreSQL run
def test_concurrent_loads_of_one_decision_with_different_content_give_one_clean_refusal(
        register, tmp_path):
    files = []
    for n, title in enumerate(("Eksempel A", "Eksempel B", "Eksempel A", "Eksempel B")):
        path = tmp_path / f"beslutning-{n}.yaml"
        path.write_text(DECISION.format(title=title), encoding="utf-8")
        files.append(path)
    outcomes = loads_at_once(register, files)
    added = [e for c, e in outcomes if c == 0 and "Tilføjet:" in e and "intet nyt" not in e]
    assert len(added) == 1, outcomes
    refused = [e for c, e in outcomes if c == 2]
    same_again = [e for c, e in outcomes if c == 0 and "intet nyt" in e]
    assert len(refused) == 2 and len(same_again) == 1, outcomes
    assert all("immutable" in e or "conflict" in e for e in refused), refused


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


def hold_advisory_lock(url: str, seconds: float) -> threading.Thread:
    """Another writer on PostgreSQL: holds the writers' advisory lock for a while."""
    import psycopg

    from frisat.registry.locking import ADVISORY_KEY

    ready = threading.Event()

    def hold() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_KEY])
            ready.set()
            time.sleep(seconds)
            conn.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])

    t = threading.Thread(target=hold, daemon=True)
    t.start()
    assert ready.wait(10)
    return t


@pytest.mark.django_db  # run in the suite's PostgreSQL pass, against a PostgreSQL register
def test_a_writer_waits_a_bounded_time_for_another_writer_on_either_database(
        register, tmp_path):
    path = bundle(tmp_path, "busy-pg", "Eksempel")
    holder = (hold_advisory_lock(register.url, 8) if register.url
              else hold_write_lock(register.sqlite, 8))
    done = register.run("load", str(path), env={"FRISAT_DB_BUSY_SECONDS": "0.2"})
    holder.join()
    # it gave up while the other writer still held the lock, rather than waiting it out
    assert done.returncode == 1 and "optaget" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.django_db
def test_a_retried_command_reads_its_input_once(monkeypatch):
    """A retry runs the action again; the password read from standard input must not be read
    a second time (it would be empty and refused). The first write finds the database busy."""
    from django.contrib.auth import get_user_model
    from django.db import OperationalError
    from typer.testing import CliRunner

    from frisat.cli import users
    from frisat.registry.locking import retry_when_busy

    manager = type(get_user_model().objects)
    create = manager.create_user
    busy = iter([True])

    def create_once_busy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if next(busy, False):
            raise OperationalError("database is locked")
        return create(self, *args, **kwargs)

    monkeypatch.setattr(manager, "create_user", create_once_busy)
    monkeypatch.setattr(users, "run", lambda database, action: retry_when_busy(action)())
    monkeypatch.setattr("frisat.registry.locking.PAUSES", (0.0,))
    # the test's own transaction is not the command's: retry as the outermost call does
    monkeypatch.setattr("frisat.registry.locking.connection",
                        types.SimpleNamespace(in_atomic_block=False))
    done = CliRunner().invoke(users.users_app, ["add", "eksempel-samtidig", "--role", "ministry"],
                              input="Eksempel-adgangskode-9271\n")
    assert done.exit_code == 0, (done.output, done.exception)
    user = get_user_model().objects.get(username="eksempel-samtidig")
    assert user.check_password("Eksempel-adgangskode-9271")


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
