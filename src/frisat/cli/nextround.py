"""The next round's commands (docs/nextround.md):

- ``frisat scenario diff|save|list`` (CONTRACT "Scenarios"): a scenario is an overlay
  (``frisat-scenario/1``); nothing here writes the register. ``save`` keeps the scenario
  document in the scenarios table (never in the register), to be shared by its link;
- ``frisat models compare``: the application model against the blank sheet;
- ``frisat frikommune records|vedtaegt``: the frikommune records and a municipality's
  frikommunevedtægt.
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


models_app = typer.Typer(help="De to modeller for frisættelse sammenlignet",
                         no_args_is_help=True)
app.add_typer(models_app, name="models")
frikommune_app = typer.Typer(help="Frikommuneforsøgene: netværk, beføjelser, vedtægter",
                             no_args_is_help=True)
app.add_typer(frikommune_app, name="frikommune")


@models_app.command("compare")
def compare(municipality: Annotated[int | None, typer.Option("--municipality")] = None,
            area: Annotated[str | None, typer.Option("--area")] = None,
            fmt: FormatOpt = Fmt.text, lang: LangOpt = "da", database: DatabaseOpt = None,
            pretty: PrettyOpt = False) -> None:
    """Ansøgningsmodellen mod det blanke papir, pr. kommune og område (alle, uden filter)."""

    def act() -> None:
        from frisat.queries import models_compared as q
        from frisat.queries.common import now

        k = now()
        snap = snapshot(k)
        rows: list[dict[str, Any]]
        if municipality is not None and area:
            rows = [dict(q.compare(snap, municipality, area, k, lang))]
        else:
            rows = q.overview(snap, k, lang)
        if fmt is Fmt.json:
            return emit_json(rows if municipality is None else rows[0], pretty)
        table = Table(title="To modeller for frisættelse")
        for col in ("Kommune", "Område", "Model", "Kunne", "Blev", "Registret kender"):
            table.add_column(col)
        for r in rows:
            for x in r["regimes"]:
                table.add_row(str(r.get("name", r["municipality"])), r["area"],
                              x["model_name"], str(x["could"]), str(x["were"]),
                              x["completeness"])
        out.print(table)

    run(database, act)


@frikommune_app.command("records")
def frikommune_records(date: DateOpt = None, fmt: FormatOpt = Fmt.text,
                       database: DatabaseOpt = None, pretty: PrettyOpt = False) -> None:
    """Programmerne, de otte netværk og deres beføjelser, med kilder."""

    def act() -> None:
        from frisat.queries.common import now, parse_date
        from frisat.queries.frikommune import records

        data = records(snapshot(now()), parse_date(date))
        if fmt is Fmt.json:
            return emit_json(data, pretty)
        for n in data["networks"]:
            out.print(f"Netværk {n['number']}: {n['theme']} — "
                      + ", ".join(m["name"] for m in n["municipalities"]))
        for p in data["powers"]:
            out.print(f"{p['basis']} (netværk {', '.join(map(str, p['networks']))}): "
                      f"{p['summary']}")

    run(database, act)


@frikommune_app.command("vedtaegt")
def frikommune_vedtaegt(municipality: Annotated[int, typer.Option("--municipality")],
                        date: DateOpt = None, fmt: FormatOpt = Fmt.text,
                        database: DatabaseOpt = None, pretty: PrettyOpt = False) -> None:
    """Kommunens frikommunevedtægt, dannet af de godkendte fritagelser i registret."""

    def act() -> None:
        from frisat.queries.common import now, parse_date
        from frisat.queries.frikommune import vedtaegt

        data = vedtaegt(snapshot(now()), municipality, parse_date(date))
        if fmt is Fmt.json:
            return emit_json(data, pretty)
        out.print(f"Frikommunevedtægt for {data['name']} Kommune ({data['date']})")
        for x in data["exemptions"]:
            out.print(f"{x['id']}: " + "; ".join(t["citation"] for t in x["targets"])
                      + f" — {x['from']}–{x['to'] or ''} ({x['state']}), {x['legal_basis']}")
        if not data["exemptions"]:
            out.print("Registret kender ingen godkendte fritagelser for kommunen.")
        out.print(data["note"])

    run(database, act)
