"""The reading commands with ``--format json``, answered without Django and without Typer.

A reading command needs the register as of its newest load. The first command after a load
reads it through Django and keeps it beside the database (``registry.snapshot.persist``);
later commands find those files by the database, its newest load and the code, check that
the database's schema is the one the files were written with (``registry.schema``) and
answer from them. Anything this path does not handle — text
output, help, a PostgreSQL database, a missing file, an unknown option, an error to report —
returns ``None`` and the full command takes over, with its own checks and messages.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

# option → whether it takes a value; per reading command, the options it accepts
_VALUE = {"--institution", "--date", "--known-at", "--format", "--lang", "--database",
          "--municipality", "--area", "--provision", "--act"}
_FLAG = {"--pretty", "--changed-only"}
COMMANDS: dict[str, set[str]] = {
    "rules": {"--institution", "--date", "--known-at", "--format", "--lang", "--database",
              "--pretty", "--changed-only"},
    "status": {"--municipality", "--area", "--provision", "--date", "--known-at", "--format",
               "--lang", "--database", "--pretty"},
    "overview": {"--municipality", "--date", "--known-at", "--format", "--database",
                 "--pretty"},
    "national": {"--date", "--known-at", "--format", "--lang", "--database", "--pretty"},
    "provisions": {"--act", "--date", "--known-at", "--format", "--database", "--pretty"},
}
REQUIRED = {"rules": {"--institution"}, "status": {"--municipality", "--area", "--provision"},
            "overview": {"--municipality"}, "provisions": {"--act"}}


def _options(command: str, args: list[str]) -> dict[str, Any] | None:
    allowed = COMMANDS[command]
    out: dict[str, Any] = {}
    i = 0
    while i < len(args):
        name, eq, value = args[i].partition("=")
        if name not in allowed:
            return None
        if name in _FLAG:
            if eq:
                return None
            out[name] = True
            i += 1
            continue
        if not eq:
            if i + 1 >= len(args):
                return None
            value = args[i + 1]
            i += 1
        out[name] = value
        i += 1
    if not REQUIRED.get(command, set()) <= set(out) or out.get("--format") != "json":
        return None
    return out


def home() -> Path:
    return Path(os.environ.get("FRISAT_HOME", Path.home() / ".frisat")).expanduser()


def sqlite_path(database: str | None) -> Path | None:
    """The SQLite file a command would use, or None for another database."""
    url = database or os.environ.get("DATABASE_URL")
    if not url:
        return home() / "frisat.sqlite3"
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):])
    return None


def _state(path: Path) -> tuple[tuple[int, dt.datetime] | None, str] | None:
    """(the newest load, the schema's fingerprint) of the database; None when it cannot be
    read (the full command explains why)."""
    from frisat.registry import schema

    if not path.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            applied = con.execute("SELECT app, name FROM django_migrations").fetchall()
            row = con.execute("SELECT id, loaded_at FROM registry_load "
                              "ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if row is None:
        return None, schema.fingerprint(applied)
    when = dt.datetime.fromisoformat(str(row[1]))
    return ((int(row[0]), when if when.tzinfo else when.replace(tzinfo=dt.UTC)),
            schema.fingerprint(applied))


def answer(argv: list[str]) -> int | None:
    """Answer a reading JSON command; None when the full command should."""
    if not argv or argv[0] not in COMMANDS:
        return None
    opts = _options(argv[0], argv[1:])
    if opts is None:
        return None
    path = sqlite_path(opts.get("--database"))
    if path is None:
        return None
    state = _state(path)
    if state is None:
        return None
    from frisat.registry import snapshot as snap

    stamp, schema_print = state
    if not snap.install(home() / "cache", str(path), stamp, schema_print):
        return None
    snap.begin(stamp)
    try:
        data = _ASK[argv[0]](opts)
    except Exception:  # bad input or anything else: the full command reports it
        return None
    if opts.get("--pretty"):
        text = json.dumps(data, ensure_ascii=False, indent=2)
    else:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write(text + "\n")
    return 0


def _axes(opts: dict[str, Any]) -> tuple[dt.date, dt.datetime]:
    from frisat.queries.common import parse_date, parse_instant

    return parse_date(opts.get("--date")), parse_instant(opts.get("--known-at"))


def _rules(opts: dict[str, Any]) -> Any:
    from frisat.queries.rules import rules
    from frisat.registry.snapshot import snapshot

    d, k = _axes(opts)
    return rules(snapshot(k), opts["--institution"], d, k, opts.get("--lang", "da"))


def _status(opts: dict[str, Any]) -> Any:
    from frisat.queries.status import status
    from frisat.registry.snapshot import snapshot

    d, k = _axes(opts)
    return status(snapshot(k), int(opts["--municipality"]), opts["--area"],
                  opts["--provision"], d, k, opts.get("--lang", "da"))


def _overview(opts: dict[str, Any]) -> Any:
    from frisat.queries.overview import overview
    from frisat.registry.snapshot import snapshot

    d, k = _axes(opts)
    return overview(snapshot(k), int(opts["--municipality"]), d, k)


def _national(opts: dict[str, Any]) -> Any:
    from frisat.queries.national import national
    from frisat.registry.snapshot import snapshot

    d, k = _axes(opts)
    return national(snapshot(k), d, k, opts.get("--lang", "da"))


def _provisions(opts: dict[str, Any]) -> Any:
    from frisat.queries.provisions import provisions
    from frisat.registry.snapshot import snapshot

    d, k = _axes(opts)
    return provisions(snapshot(k), opts["--act"], d, k)


_ASK: dict[str, Callable[[dict[str, Any]], Any]] = {
    "rules": _rules, "status": _status, "overview": _overview, "national": _national,
    "provisions": _provisions}
