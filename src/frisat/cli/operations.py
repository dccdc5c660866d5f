"""``frisat backup`` and ``frisat restore``: the whole database, accounts and audit included
(``registry.backup``; docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from frisat.cli.common import DatabaseOpt, err, fail, run, setup
from frisat.cli.root import app


def _database() -> tuple[str, Path | None]:
    """The database's engine and, for SQLite, its file."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return "sqlite", Path(str(db["NAME"]))
    if db["ENGINE"] == "django.db.backends.postgresql":
        return "postgresql", None
    return str(db["ENGINE"]), None


def _pg_url() -> str:
    import os

    return os.environ["DATABASE_URL"]


@app.command()
def backup(file: Annotated[Path, typer.Argument(help="Ny fil til sikkerhedskopien")],
           database: DatabaseOpt = None) -> None:
    """Tag en sikkerhedskopi af hele databasen: registret, brugere og API-nøgler, kladder,
    meddelelser og revisionssporet (SQLite: online, mens serveren kører; PostgreSQL:
    pg_dump)."""

    def act() -> None:
        from frisat.registry import backup as b

        kind, path = _database()
        if kind == "sqlite" and path is not None:
            summary = b.sqlite_backup(path, file)
            err.print(f"Sikkerhedskopi skrevet til {file}: {summary.text()}.", highlight=False)
        elif kind == "postgresql":
            b.pg_backup(_pg_url(), file)
            err.print(f"Sikkerhedskopi (pg_dump, custom-format) skrevet til {file}.",
                      highlight=False)
        else:
            raise b.BackupError(f"Sikkerhedskopi understøttes ikke for {kind}")

    run(database, act)


@app.command()
def restore(file: Annotated[Path, typer.Argument(help="Sikkerhedskopi fra frisat backup")],
            database: DatabaseOpt = None,
            replace: Annotated[bool, typer.Option(
                "--replace", help="Erstat et register, der allerede har indhold")] = False,
            ) -> None:
    """Genskab hele databasen fra en sikkerhedskopi (alt eller intet). Stop serverne først."""
    setup(database, create=True)
    from frisat.registry import backup as b

    try:
        kind, path = _database()
        if kind == "sqlite" and path is not None:
            if b.sqlite_has_register(path) and not replace:
                _refuse(str(path))
            summary = b.sqlite_restore(file, path)
            _forget_kept_register()
            err.print(f"Genskabt fra {file}: {summary.text()}.", highlight=False)
        elif kind == "postgresql":
            from django.db import connection

            has = "registry_load" in connection.introspection.table_names()
            connection.close()
            if has and not replace:
                _refuse("PostgreSQL-databasen")
            b.pg_restore(file, _pg_url(), replace)
            err.print(f"Genskabt fra {file} (pg_restore).", highlight=False)
        else:
            raise b.BackupError(f"Genskabelse understøttes ikke for {kind}")
    except typer.Exit:
        raise
    except Exception as exc:
        fail(exc)


def _refuse(where: str) -> None:
    from frisat.registry.errors import InputError, Rejected

    fail(Rejected([InputError("database", "exists",
                              f"{where} har allerede et register; intet er ændret. Brug "
                              "--replace for at erstatte det med sikkerhedskopien")]))


def _forget_kept_register() -> None:
    """The reading commands' files describe the register before the restore: remove them."""
    from django.conf import settings

    for old in (settings.FRISAT_HOME / "cache").glob("*.pickle"):
        old.unlink(missing_ok=True)
