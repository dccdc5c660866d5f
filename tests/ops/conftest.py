"""A fresh register of one's own for each operations test, on the suite's database.

With ``DATABASE_URL`` pointing at PostgreSQL (the suite's second run, ``make test``), each
test gets a new PostgreSQL database copied from one initialised once (``CREATE DATABASE …
TEMPLATE``); otherwise a new FRISAT_HOME whose SQLite file is a copy of one initialised
once. Commands run as the user runs them: ``python -m frisat`` in a child process.
"""

from __future__ import annotations

import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from opshelp import FRISAT, ON_POSTGRES, SUITE_URL, Register, base_env


def _pg(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _server_url(name: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(SUITE_URL)._replace(path=f"/{name}").geturl()


def _init(home: Path, url: str | None) -> None:
    home.mkdir(parents=True, exist_ok=True)
    # FRISAT_CACHE=database: init also makes the shared cache's table (more than one server)
    done = subprocess.run([*FRISAT, "init"], env={**base_env(home, url),
                                                  "FRISAT_CACHE": "database"},
                          capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="session")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Register]:
    home = tmp_path_factory.mktemp("ops-template")
    if not ON_POSTGRES:
        _init(home, None)
        yield Register(home)
        return
    name = f"frisat_ops_template_{uuid.uuid4().hex[:8]}"
    _pg(_server_url("postgres"), f'CREATE DATABASE "{name}"')
    try:
        _init(home, _server_url(name))
        yield Register(home, _server_url(name))
    finally:
        _pg(_server_url("postgres"), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_sqlite(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


@pytest.fixture
def register(initialised: Register, tmp_path: Path) -> Iterator[Register]:
    """A fresh copy of the initialised register, private to the test."""
    home = tmp_path / "home"
    home.mkdir()
    if initialised.url is None:
        copy_sqlite(initialised.sqlite, home / "frisat.sqlite3")
        yield Register(home, None, base_env(home, None))
        return
    name = f"frisat_ops_{uuid.uuid4().hex[:10]}"
    template = initialised.url.rsplit("/", 1)[1]
    _pg(_server_url("postgres"), f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield Register(home, _server_url(name), base_env(home, _server_url(name)))
    finally:
        _pg(_server_url("postgres"), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    """A new, empty PostgreSQL database on the suite's server (for restore tests)."""
    name = f"frisat_ops_{uuid.uuid4().hex[:10]}"
    _pg(_server_url("postgres"), f'CREATE DATABASE "{name}"')
    try:
        yield _server_url(name)
    finally:
        _pg(_server_url("postgres"), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
