"""Scenario commands: ``frisat scenario diff|national|save|list`` (CONTRACT "Scenarios").

A scenario is an overlay (``frisat-scenario/1``); nothing here writes the register. ``save``
keeps the scenario document in the scenarios table (never in the register) so it can be
shared by its link and compared again later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from frisat.cli.common import (
    DatabaseOpt,
    DateOpt,
    Fmt,
    FormatOpt,
    KnownOpt,
    LangOpt,
    PrettyOpt,
    emit_json,
    err,
    out,
    parse_instant,
    run,
    snapshot,
)
from frisat.cli.root import app

scenario_app = typer.Typer(help="Scenarier (hvad nu hvis): et overlag på registret, aldrig "
                           "gældende ret", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")

InstitutionsOpt = Annotated[bool, typer.Option(
    "--institutions/--no-institutions", help="Sammenlign også hver institution (standard: ja)")]


def _document(file: str) -> Any:
    from frisat.nextround.store import saved_document
    from frisat.registry.bundle import read_document

    if file.startswith("saved:"):
        return saved_document(file.removeprefix("saved:"))
    return read_document(Path(file))


@scenario_app.command("diff")
def diff(file: Annotated[str, typer.Argument(help="Scenariefil (JSON/YAML) eller saved:NØGLE")],
         date: DateOpt = None, known_at: KnownOpt = None, fmt: FormatOpt = Fmt.text,
         lang: LangOpt = "da", institutions: InstitutionsOpt = True,
         database: DatabaseOpt = None, pretty: PrettyOpt = False) -> None:
    """Hver afgørelse, der ville være anderledes under scenariet, mod registret."""

    def act() -> None:
        from frisat.queries.common import parse_date
        from frisat.queries.scenario import scenario_diff

        k = parse_instant(known_at)
        d = parse_date(date, "date") if date else None
        data = scenario_diff(snapshot(k), _document(file), d, k, lang, institutions)
        if fmt is Fmt.json:
            return emit_json(data, pretty)
        err.print(f"[yellow]{data['notice']}[/yellow]", highlight=False)
        table = Table(title=f"{data['title']} — {data['date']}")
        for col in ("Kommune", "Institution", "Område", "Bestemmelse", "Register", "Scenarie"):
            table.add_column(col)
        for c in data["changes"][:200]:
            table.add_row(str(c["municipality"]), c.get("institution", ""), c["area"],
                          c["citation"], c["from"], c["to"])
        out.print(table)
        if len(data["changes"]) > 200:
            out.print(f"… og {len(data['changes']) - 200} flere (brug --format json)")
        out.print(", ".join(f"{k}: {v}" for k, v in data["counts"].items()) or "ingen ændringer")
        reg, scen = data["national"]["register"], data["national"]["scenario"]
        out.print(f"Frisatte kommuner: {reg['freed_municipalities']} → "
                  f"{scen['freed_municipalities']}; bestemmelser sat ud af kraft: "
                  f"{reg['provisions_set_aside']} → {scen['provisions_set_aside']}")

    run(database, act)


@scenario_app.command("save")
def save(file: Path, key: Annotated[str | None, typer.Option("--key")] = None,
         database: DatabaseOpt = None) -> None:
    """Gem et scenarie (ikke i registret), så det kan deles med et link."""

    def act() -> None:
        from frisat.nextround.store import save_scenario
        from frisat.registry.bundle import read_document

        saved = save_scenario(read_document(file), key=key, user=None)
        out.print(f"{saved.key}\t/scenarie/{saved.key}")

    run(database, act)


@scenario_app.command("list")
def list_(fmt: FormatOpt = Fmt.text, database: DatabaseOpt = None) -> None:
    """De gemte scenarier."""

    def act() -> None:
        from frisat.nextround.models import SavedScenario

        rows = [{"key": s.key, "title": s.title, "created_at": s.created_at.isoformat()}
                for s in SavedScenario.objects.order_by("-created_at")]
        if fmt is Fmt.json:
            return emit_json(rows)
        for r in rows:
            out.print(f"{r['key']}\t{r['title']}")

    run(database, act)
