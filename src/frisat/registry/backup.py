"""Backup and restore of the whole database: the register and everything beside it.

A backup holds every table — the register's facts and loads, accounts and API tokens,
drafts, notices to the ministry, the audit trail, indicators and lessons — so a restore
gives the same answers and the same users. SQLite: the online backup API (a consistent
copy while servers keep reading and writing). PostgreSQL: ``pg_dump --format=custom`` and
``pg_restore`` (docs/operations.md), which must be on the PATH.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from frisat.registry.errors import InputError, Rejected

# the tables a frisat database must have; counted in the report
COUNTED = {
    "registry_load": "indlæsninger",
    "registry_decision": "beslutninger",
    "auth_user": "brugere",
    "accounts_apitoken": "API-nøgler",
    "workflow_draft": "kladder",
    "workflow_notice": "meddelelser",
    "workflow_auditentry": "poster i revisionssporet",
}


class BackupError(Exception):
    """The backup or restore could not be made; nothing was changed."""


@dataclass(frozen=True)
class Summary:
    counts: dict[str, int]

    def text(self) -> str:
        return ", ".join(f"{n} {COUNTED[t]}" for t, n in self.counts.items())


def _bad(path: str, code: str, message: str) -> Rejected:
    return Rejected([InputError(path, code, message)])


# -- SQLite --------------------------------------------------------------------------------

def _counts(conn: sqlite3.Connection) -> Summary:
    return Summary({t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
                    for t in COUNTED})


def _private_file(path: Path) -> None:
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    path.chmod(0o600)


def sqlite_backup(database: Path, target: Path) -> Summary:
    """Copy the live database into ``target`` (a new file, mode 0600), page by page."""
    if target.exists():
        raise _bad("file", "exists", f"{target} findes allerede; vælg et nyt filnavn")
    partial = target.with_name(target.name + ".ufuldstaendig")
    _private_file(partial)
    try:
        src = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            summary = _counts(dst)
        finally:
            src.close()
            dst.close()
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def check_sqlite_backup(path: Path) -> Summary:
    """A readable, whole frisat database, or ``Rejected`` naming what is wrong."""
    if not path.is_file():
        raise _bad("file", "not_found", f"{path} findes ikke")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if ok != "ok":
                raise _bad("file", "invalid", f"{path} er beskadiget: {ok}")
            missing = [t for t in ("django_migrations", *COUNTED) if t not in tables]
            if missing:
                raise _bad("file", "invalid", f"{path} er ikke en frisat-sikkerhedskopi "
                           f"(mangler tabellerne {', '.join(missing)})")
            return _counts(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _bad("file", "invalid", f"{path} kan ikke læses som en SQLite-database: "
                   f"{exc}") from None


def sqlite_restore(backup: Path, database: Path) -> Summary:
    """Replace the database's whole content by the backup's (one SQLite backup step)."""
    summary = check_sqlite_backup(backup)
    if not database.exists():
        _private_file(database)
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    dst = sqlite3.connect(database, timeout=30)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    database.chmod(0o600)
    return summary


def sqlite_has_register(database: Path) -> bool:
    if not database.exists() or database.stat().st_size == 0:
        return False
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        return "registry_load" in names and bool(
            conn.execute("SELECT 1 FROM registry_load LIMIT 1").fetchone())
    finally:
        conn.close()


# -- PostgreSQL ----------------------------------------------------------------------------

def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} findes ikke på PATH; installér PostgreSQL's klientværktøjer "
                          "(Debian: postgresql-client) i samme hovedversion som serveren")
    return found


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} fejlede: {done.stderr.strip()[-2000:]}")


def pg_backup(url: str, target: Path) -> None:
    """``pg_dump --format=custom`` of the whole database into ``target`` (mode 0600)."""
    if target.exists():
        raise _bad("file", "exists", f"{target} findes allerede; vælg et nyt filnavn")
    partial = target.with_name(target.name + ".ufuldstaendig")
    _private_file(partial)
    try:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              f"--file={partial}", f"--dbname={url}"])
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def pg_restore(backup: Path, url: str, replace: bool) -> None:
    """``pg_restore`` into the database, in one transaction: all of it or none of it."""
    if not backup.is_file():
        raise _bad("file", "not_found", f"{backup} findes ikke")
    args = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
            "--exit-on-error", f"--dbname={url}"]
    if replace:
        args += ["--clean", "--if-exists"]
    _run([*args, str(backup)])
