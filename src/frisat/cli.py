"""The ``frisat`` command: a thin layer over the registry and the engine (CONTRACT.md).

Exit codes: 0 success, 2 bad input (messages name the record, field and code), 1 anything
else. ``--format json`` prints one JSON document to stdout and nothing else.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="frisat: register og regelmotor for frisættelse af kommuner",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
from frisat.accounts.cli import users_app  # noqa: E402
from frisat.cli_import import import_app  # noqa: E402

app.add_typer(import_app, name="import")
app.add_typer(users_app, name="users")
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


def setup(database: str | None) -> None:
    """Point Django at the database and make sure it is ready."""
    if database:
        os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frisat.web.settings")
    import django

    django.setup()


def fail(exc: BaseException) -> None:
    """Report an error the way the contract asks, then exit."""
    from frisat.registry.errors import Rejected

    if isinstance(exc, Rejected):
        for e in exc.errors:
            err.print(f"[red]fejl[/red] {e.path}: [bold]{e.code}[/bold] — {e.message}",
                      highlight=False)
        for w in exc.warnings:
            err.print(f"[yellow]advarsel[/yellow] {w.path}: {w.code} — {w.message}",
                      highlight=False)
        raise typer.Exit(2)
    err.print(f"[red]fejl[/red]: {exc}", highlight=False)
    raise typer.Exit(1)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _ready() -> None:
    """Refuse to work on a database that is missing or behind the code's migrations."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if "registry_municipality" not in connection.introspection.table_names():
        err.print("Databasen er ikke oprettet endnu. Kør først: frisat init")
        raise typer.Exit(1)
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        err.print("Databasen skal opdateres til denne version af frisat. Kør: frisat init")
        raise typer.Exit(1)


def run(database: str | None, action: Any) -> Any:
    setup(database)
    _ready()
    try:
        return action()
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


@app.command()
def init(database: DatabaseOpt = None) -> None:
    """Opret eller migrér databasen og indlæs de medfølgende referencedata (idempotent)."""
    setup(database)
    from django.core.management import call_command

    from frisat.registry.reference import load_reference

    try:
        call_command("migrate", interactive=False, verbosity=0)
        with err.status("Indlæser referencedata …"):
            result = load_reference()
    except Exception as exc:
        fail(exc)
    added = sum(result.added.values())
    err.print(f"Databasen er klar. Tilføjet {added} poster, {result.skipped} fandtes allerede.")


@app.command()
def load(file: Path, database: DatabaseOpt = None,
         dry_run: Annotated[bool, typer.Option("--dry-run")] = False) -> None:
    """Indlæs et bundt (frisat-bundle/1, JSON eller YAML): alt eller intet."""

    def act() -> None:
        from frisat.registry.bundle import read_document
        from frisat.registry.loader import load as load_bundle

        result = load_bundle(read_document(file), source=str(file), dry_run=dry_run)
        for w in result.warnings:
            err.print(f"[yellow]advarsel[/yellow] {w.path}: {w.code} — {w.message}",
                      highlight=False)
        verb = "Ville tilføje" if dry_run else "Tilføjet"
        parts = ", ".join(f"{n} {k}" for k, n in result.added.items()) or "intet nyt"
        err.print(f"{verb}: {parts}; {result.skipped} fandtes allerede.")

    run(database, act)


@app.command()
def export(database: DatabaseOpt = None,
           output: Annotated[Path | None, typer.Option("--output")] = None,
           all_: Annotated[bool, typer.Option("--all", help="Medtag de medfølgende referencedata")]
           = False) -> None:
    """Skriv registret som et bundt, der kan indlæses igen med samme svar."""

    def act() -> None:
        from frisat.registry.export import to_bundle
        from frisat.registry.store import read_world

        doc = to_bundle(read_world(reference=None if all_ else False))
        text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)

    run(database, act)


def _verdict_table(provisions: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    table.add_column("Bestemmelse")
    table.add_column("Status")
    table.add_column("Fordi")
    labels = {"applies": "gælder", "set_aside": "[bold]sat ud af kraft[/bold]",
              "partially_set_aside": "[bold]delvist sat ud af kraft[/bold]",
              "not_in_force": "ikke i kraft"}
    for p in provisions:
        because = p["because"][0]["text"] if p["because"] else ""
        mark = " (hegnspæl)" if p.get("guardrail") else ""
        table.add_row(p["citation"] + mark, labels.get(p["status"], p["status"]), because)
    return table


@app.command()
def rules(institution: Annotated[str, typer.Option("--institution")],
          date: DateOpt = None, known_at: KnownOpt = None, fmt: FormatOpt = Fmt.text,
          lang: LangOpt = "da", database: DatabaseOpt = None,
          changed_only: Annotated[bool, typer.Option("--changed-only",
                                                     help="Kun fravegne bestemmelser (tekst)")]
          = False) -> None:
    """Afgørelsen for hver bestemmelse, der er relevant for institutionen."""
    from frisat.registry import answers

    def act() -> None:
        data = answers.rules(institution, answers.parse_date(date),
                             answers.parse_instant(known_at), lang)
        if fmt is Fmt.json:
            return emit_json(data)
        inst = data["institution"]
        rows = data["provisions"]
        if changed_only:
            rows = [p for p in rows if p["status"] != "applies"]
        out.print(_verdict_table(rows, f"{inst['name']} ({inst['id']}), {data['date']}"))
        counts: dict[str, int] = {}
        for p in data["provisions"]:
            counts[p["status"]] = counts.get(p["status"], 0) + 1
        out.print(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))

    run(database, act)


@app.command()
def status(municipality: Annotated[int, typer.Option("--municipality")],
           area: Annotated[str, typer.Option("--area")],
           provision: Annotated[str, typer.Option("--provision")],
           date: DateOpt = None, known_at: KnownOpt = None, fmt: FormatOpt = Fmt.text,
           lang: LangOpt = "da", database: DatabaseOpt = None) -> None:
    """Afgørelsen på kommuneniveau for én bestemmelse (kun beslutninger for hele kommunen)."""
    from frisat.registry import answers

    def act() -> None:
        data = answers.status(municipality, area, provision, answers.parse_date(date),
                              answers.parse_instant(known_at), lang)
        if fmt is Fmt.json:
            return emit_json(data)
        out.print(_verdict_table([data], f"Kommune {municipality}, {area}, {data['date']}"))
        for r in data["because"]:
            out.print(f"- [{r['kind']}] {r['text']}", highlight=False)

    run(database, act)


@app.command()
def overview(municipality: Annotated[int, typer.Option("--municipality")],
             date: DateOpt = None, known_at: KnownOpt = None, fmt: FormatOpt = Fmt.text,
             database: DatabaseOpt = None) -> None:
    """Kommunens samlede oversigt over beslutninger (lov 879/880 § 6)."""
    from frisat.registry import answers

    def act() -> None:
        data = answers.overview(municipality, answers.parse_date(date),
                                answers.parse_instant(known_at))
        if fmt is Fmt.json:
            return emit_json(data)
        table = Table(title=f"Samlet oversigt, kommune {municipality}, {data['date']}")
        for col in ("Beslutning", "Tilstand", "Offentliggjort", "Virkning", "Bestemmelser"):
            table.add_column(col)
        for d in data["decisions"]:
            table.add_row(f"{d['id']} {d['title']}", d["state"], d["published_on"] or "ukendt",
                          f"{d['effective_from']} – {d['effective_to'] or ''}",
                          "; ".join(t["citation"] for t in d["targets"]))
        out.print(table)

    run(database, act)


@app.command()
def national(date: DateOpt = None, known_at: KnownOpt = None, fmt: FormatOpt = Fmt.text,
             lang: LangOpt = "da", database: DatabaseOpt = None) -> None:
    """Hvem er frisat fra hvad, nationalt, på datoen."""
    from frisat.registry import answers

    def act() -> None:
        data = answers.national(answers.parse_date(date), answers.parse_instant(known_at), lang)
        if fmt is Fmt.json:
            return emit_json(data)
        table = Table(title=f"Frisatte kommuner {data['date']}")
        for col in ("Ordning", "Kommune", "Område", "Fra", "Til"):
            table.add_column(col)
        for r in data["regimes"]:
            for c in r["coverage"]:
                table.add_row(r["key"], f"{c['name']} ({c['municipality']})", c["area"],
                              c["from"], c["to"] or "")
        out.print(table)
        out.print(f"{data['freed_municipalities']} af {data['municipalities_total']} kommuner "
                  f"frisat; {data['decisions_in_force']} beslutninger i kraft; "
                  f"{data['provisions_set_aside']} bestemmelser sat ud af kraft.")

    run(database, act)


@app.command()
def provisions(act_key: Annotated[str, typer.Option("--act")], date: DateOpt = None,
               known_at: KnownOpt = None, fmt: FormatOpt = Fmt.text,
               database: DatabaseOpt = None) -> None:
    """Lovens bestemmelser (henvisninger, overskrifter, resuméer, markeringer pr. ordning)."""
    from frisat.registry import answers

    def act() -> None:
        data = answers.provisions(act_key, answers.parse_date(date),
                                  answers.parse_instant(known_at))
        if fmt is Fmt.json:
            return emit_json(data)
        table = Table(title=f"{data['act']['title']} ({data['date']})")
        for col in ("Bestemmelse", "I kraft", "Markering", "Overskrift / resumé"):
            table.add_column(col)
        for p in data["provisions"]:
            marks = ", ".join(f"{k}: {v}" for k, v in p["marks"].items())
            table.add_row(p["citation"], "ja" if p["in_force"] else "nej", marks,
                          p["heading"] or p["summary"])
        out.print(table)

    run(database, act)


@app.command()
def serve(host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port")] = 8000,
          workers: Annotated[int, typer.Option("--workers")] = 2,
          database: DatabaseOpt = None) -> None:
    """Portalen og API'et på en produktionsserver (gunicorn)."""
    setup(database)
    _ready()
    from frisat.web.server import serve as run_server

    run_server(host, port, workers)


if __name__ == "__main__":  # pragma: no cover
    app()
