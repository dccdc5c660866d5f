"""What every ``frisat`` command shares: options, database setup, errors and output.

Exit codes: 0 success, 2 bad input (messages name the record, field and code), 1 anything
else. ``--format json`` prints one JSON document to stdout and nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console

err = Console(stderr=True)
out = Console()

DatabaseOpt = Annotated[str | None, typer.Option("--database", help="Database-URL (standard: "
                                                 "den indlejrede SQLite-fil under FRISAT_HOME)")]
DateOpt = Annotated[str | None, typer.Option("--date", help="Dato ÅÅÅÅ-MM-DD (standard: i dag)")]
KnownOpt = Annotated[str | None, typer.Option("--known-at", help="Registerets viden på tidspunktet "
                                              "(ISO 8601; standard: nu)")]


class Fmt(StrEnum):
    text = "text"
    json = "json"


FormatOpt = Annotated[Fmt, typer.Option("--format", help="text eller json")]
LangOpt = Annotated[str, typer.Option("--lang", help="da eller en")]
PrettyOpt = Annotated[bool, typer.Option("--pretty", help="JSON med indrykning (standard: "
                                         "kompakt)")]


def setup(database: str | None, *, create: bool = False) -> None:
    """Point Django at the database and make sure it can be opened.

    Without ``create`` (every command but ``init``) a missing embedded database is an
    error that names the file and the setting that chose it, not a new empty register.
    A database that cannot be named or reached is a clear error, never a traceback."""
    if database:
        os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frisat.web.settings")
    from frisat.cli import locate

    where = locate.where(database)
    global _where
    _where = where
    if where.problem:
        err.print(f"[red]fejl[/red]: {where.problem}", highlight=False)
        raise typer.Exit(2)
    if where.path is not None and not create and not where.path.exists():
        err.print(f"[red]fejl[/red]: {where.missing()}", highlight=False)
        raise typer.Exit(1)
    import django

    try:
        django.setup()
    except Exception as exc:  # a URL Django cannot use: bad input, not a stack trace
        err.print(f"[red]fejl[/red]: Databasen {where.described} kan ikke bruges: "
                  f"{_first_line(exc)}", highlight=False)
        raise typer.Exit(2) from None


_where: Any = None  # the database ``setup`` chose (cli.locate.Where)


def _described() -> str:
    from frisat.cli import locate

    return (_where or locate.where(None)).described


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def fail(exc: BaseException) -> None:
    """Report an error the way the contract asks, then exit."""
    from django.db import IntegrityError

    from frisat.registry.errors import Rejected
    from frisat.registry.locking import Busy, as_conflict, is_busy

    if isinstance(exc, IntegrityError):
        exc = as_conflict(exc)
    if isinstance(exc, Rejected):
        for e in exc.errors:
            err.print(f"[red]fejl[/red] {e.path}: [bold]{e.code}[/bold] — {e.message}",
                      highlight=False)
        for w in exc.warnings:
            err.print(f"[yellow]advarsel[/yellow] {w.path}: {w.code} — {w.message}",
                      highlight=False)
        raise typer.Exit(2)
    if is_busy(exc) and not isinstance(exc, Busy):
        exc = Busy()
    from django.db import OperationalError

    if isinstance(exc, OperationalError):  # the server cannot be reached, or refused us
        err.print(f"[red]fejl[/red]: Databasen {_described()} kan ikke nås: "
                  f"{_first_line(exc)}", highlight=False)
        raise typer.Exit(1)
    err.print(f"[red]fejl[/red]: {exc}", highlight=False)
    raise typer.Exit(1)


def emit_json(data: Any, pretty: bool = False) -> None:
    """One JSON document on stdout: compact, or indented with ``--pretty``."""
    text = json.dumps(data, ensure_ascii=False, indent=2) if pretty else \
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write(text + "\n")


def parse_date(value: str | None) -> Any:
    from frisat.queries.common import parse_date as parse

    return parse(value)


def parse_instant(value: str | None) -> Any:
    from frisat.queries.common import parse_instant as parse

    return parse(value)


def snapshot(known_at: Any) -> Any:
    """The register known at K (the register state is fixed for the whole command)."""
    from frisat.registry import snapshot as snap

    return snap.snapshot(known_at)


def _ready() -> None:
    """Refuse to work on a database that is missing or behind the code's migrations."""
    from django.db import connection

    from frisat.registry import schema

    try:
        tables = connection.introspection.table_names()
    except Exception as exc:
        fail(exc)
    if "registry_municipality" not in tables:
        err.print(f"Databasen {_described()} er ikke oprettet endnu. "
                  "Kør først: frisat init", highlight=False)
        raise typer.Exit(1)
    if schema.missing(_applied()):
        err.print("Databasen skal opdateres til denne version af frisat. Kør: frisat init")
        raise typer.Exit(1)


def _applied() -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        return [(str(a), str(n)) for a, n in cursor.fetchall()]


def keep_register() -> None:
    """Keep the register as of its newest load beside an embedded database, so the next
    reading command answers without starting Django (``cli.fast``)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        return
    from frisat.registry import schema
    from frisat.registry import snapshot as snap

    with contextlib.suppress(OSError):  # a read-only home only costs the next command time
        snap.persist(settings.FRISAT_HOME / "cache", str(db["NAME"]),
                     schema.fingerprint(_applied()))


def run(database: str | None, action: Any) -> Any:
    from frisat.registry.locking import retry_when_busy

    setup(database)
    _ready()
    try:
        return retry_when_busy(action)()
    except typer.Exit:
        raise
    except Exception as exc:  # reported, never a stack trace
        from frisat.engine import UnknownRecord
        from frisat.registry.errors import InputError, Rejected

        if isinstance(exc, UnknownRecord):
            fail(Rejected([InputError("", getattr(exc, "code", "not_found"), str(exc))]))
        if os.environ.get("FRISAT_DEBUG") == "1":
            raise
        fail(exc)
