"""`frisat import …`: acts from Retsinformation and institutions from the official registers."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from frisat.cli.common import err, out, run

import_app = typer.Typer(help="Importér love og institutioner fra de officielle kilder",
                         no_args_is_help=True)

DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Vis hvad der ville ændres; "
                                         "gem intet")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Skriv resultatet som JSON på stdout")]


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                    console=err, transient=True)


def _warn(items: Any) -> None:
    for w in items:
        err.print(f"[yellow]advarsel[/yellow] {w.path}: {w.code} — {w.message}",
                  highlight=False, soft_wrap=True)


def _rejected(path: str, code: str, message: str) -> Exception:
    from frisat.registry.errors import InputError, Rejected

    return Rejected([InputError(path, code, message)])


def _exclusions(values: list[str], basis: str) -> list[Any]:
    from frisat.engine.model import Exclusion

    out = []
    for i, v in enumerate(values):
        regime, _, area = v.partition(":")
        if not regime:
            raise _rejected(f"--no-effect-for[{i}]", "invalid",
                            "Angiv ordningen som REGIME eller REGIME:OMRÅDE")
        out.append(Exclusion(regime=regime, area=area or None, basis=basis))
    return out


def _read_act(source: str) -> tuple[bytes, str]:
    """The XML of an act from a file or from Retsinformation by ELI."""
    from frisat.sources.retsinformation import Client, RetsinformationError

    p = Path(source)
    if p.exists():
        return p.read_bytes(), str(p)
    if "eli/" in source or source.startswith(("lta/", "accn/", "retsinfo/")):
        try:
            return Client().act_xml(source), source
        except RetsinformationError as e:
            if e.code in ("invalid_eli", "not_found"):
                raise _rejected(source, e.code, e.message) from None
            raise
    raise _rejected(source, "not_found", "Hverken en fil eller en ELI-adresse "
                    "(fx https://www.retsinformation.dk/eli/lta/2021/880)")


@import_app.command("act")
def act(source: Annotated[str, typer.Argument(help="ELI-adresse eller LexDania-XML-fil",
                                              metavar="ELI-OR-FILE")],
        key: Annotated[str | None, typer.Option("--key", help="Lovens nøgle (standard: "
                                                "afledt af den populære titel)")] = None,
        area: Annotated[list[str] | None, typer.Option(
            "--area", help="Område(r) for en ny lov, fx dagtilbud")] = None,
        no_effect_for: Annotated[list[str] | None, typer.Option(
            "--no-effect-for", help="Ændringerne har ikke virkning, hvor ordningen dækker "
            "(REGIME eller REGIME:OMRÅDE)")] = None,
        basis: Annotated[str, typer.Option("--basis", help="Hjemlen for --no-effect-for")]
        = "",
        dry_run: DryRunOpt = False, as_json: JsonOpt = False,
        database: Annotated[str | None, typer.Option("--database")] = None) -> None:
    """Importér en lov (LOV, LBK, BEK) fra Retsinformation eller en LexDania-fil."""

    def action() -> None:
        from frisat.sources.acts import import_act
        from frisat.sources.lexdania import LexDaniaError, parse

        with _progress() as bar:
            task = bar.add_task("Henter", total=3)
            data, name = _read_act(source)
            bar.update(task, advance=1, description="Læser LexDania")
            try:
                parsed = parse(data)
            except LexDaniaError as e:
                raise _rejected(f"{name}: {e.element}", e.code, e.message) from None
            bar.update(task, advance=1, description="Gemmer")
            result = import_act(parsed, key=key, areas=area or (), dry_run=dry_run,
                                exclusions=_exclusions(no_effect_for or [], basis),
                                source=name)
            bar.update(task, advance=1)
        _warn(result.warnings)
        if as_json:
            sys.stdout.write(json.dumps({
                "key": result.key, "document": result.designation,
                "in_force": result.in_force.isoformat() if result.in_force else None,
                "dry_run": dry_run, "added": result.added,
                "changes": [{"kind": c.kind, "ref": c.ref, "detail": c.detail}
                            for c in result.changes],
                "warnings": [w.to_json() for w in result.warnings]},
                ensure_ascii=False, indent=2) + "\n")
            return
        labels = {"new": "ny", "changed": "ændret", "ended": "ophørt",
                  "renumbered": "omnummereret", "metadata": "lov"}
        for c in result.changes:
            detail = f" ({c.detail})" if c.detail else ""
            out.print(f"{labels.get(c.kind, c.kind):>13}  {result.key} {c.ref}".rstrip()
                          + detail, highlight=False, soft_wrap=True)
        verb = "Ville tilføje" if dry_run else "Tilføjet"
        parts = ", ".join(f"{n} {k}" for k, n in result.added.items()) or "intet nyt"
        err.print(f"{result.designation} → {result.key} (gældende fra "
                      f"{result.in_force}): {verb}: {parts}.", highlight=False, soft_wrap=True)

    run(database, action)


@import_app.command("sync")
def sync_cmd(database: Annotated[str | None, typer.Option("--database")] = None) -> None:
    """Hent ændrede dokumenter fra Retsinformations høst-API og importér dem, der hører til
    love i registret. Kan genoptages: fortsætter, hvor den sidst slap."""

    def action() -> None:
        from frisat.sources.retsinformation import Client, sync

        with _progress() as bar:
            task = bar.add_task("Synkroniserer (højst én forespørgsel pr. 10 s)", total=None)
            report = sync(Client(), progress=lambda ident: bar.update(
                task, advance=1, description=f"Dokument {ident}"))
        for w in report.warnings:
            err.print(f"[yellow]advarsel[/yellow] {w}", highlight=False, soft_wrap=True)
        for line in report.imported:
            out.print(f"importeret  {line}", highlight=False, soft_wrap=True)
        err.print(f"Dage læst: {len(report.days)}; importeret {len(report.imported)}, "
                      f"uændret {report.unchanged}, sprunget over {report.skipped}.",
                      soft_wrap=True)

    run(database, action)


@import_app.command("institutions")
def institutions(
        stil: Annotated[Path | None, typer.Option("--stil", help="STIL Institutionsregister-"
                                                  "udtræk (UTF-16LE, ;)")] = None,
        dagtilbud: Annotated[Path | None, typer.Option(
            "--dagtilbud", help="Dagtilbudsregisteret-udtræk (CSV, ;)")] = None,
        plejehjem: Annotated[Path | None, typer.Option(
            "--plejehjem", help="Plejehjemsoversigten-udtræk (CSV, ;, Windows-1252)")] = None,
        as_of: Annotated[str | None, typer.Option(
            "--as-of", help="Udtrækkets dato ÅÅÅÅ-MM-DD: lukninger og flytninger dateres "
            "hertil")] = None,
        dry_run: DryRunOpt = False, as_json: JsonOpt = False,
        database: Annotated[str | None, typer.Option("--database")] = None) -> None:
    """Importér institutioner fra de officielle registre; idempotent og atomart."""
    files = [(k, v) for k, v in (("stil", stil), ("dagtilbud", dagtilbud),
                                 ("plejehjem", plejehjem)) if v is not None]

    def action() -> None:
        from django.db import transaction

        from frisat.sources.registers import import_institutions

        if not files:
            raise _rejected("--stil", "missing", "Angiv mindst én fil: --stil, --dagtilbud "
                            "eller --plejehjem")
        day = None
        if as_of:
            try:
                day = dt.date.fromisoformat(as_of)
            except ValueError:
                raise _rejected("--as-of", "invalid",
                                f"Forventede en dato ÅÅÅÅ-MM-DD, fik {as_of!r}") from None
        results = []
        with _progress() as bar, transaction.atomic():  # all files, or none of them
            task = bar.add_task("Importerer", total=len(files))
            for register, path in files:
                bar.update(task, description=f"{register}: {path.name}")
                results.append(import_institutions(register, path, as_of=day,
                                                   dry_run=dry_run))
                bar.update(task, advance=1)
        for r in results:
            _warn(r.warnings)
        if as_json:
            sys.stdout.write(json.dumps([{
                "register": r.register, "new": r.new, "moved": r.moved, "closed": r.closed,
                "reopened": r.reopened, "unchanged": r.unchanged, "left_out": r.left_out,
                "added": r.added, "dry_run": dry_run,
                "warnings": [w.to_json() for w in r.warnings]} for r in results],
                ensure_ascii=False, indent=2) + "\n")
            return
        verb = "ville blive" if dry_run else "blev"
        for r in results:
            err.print(f"{r.register}: {r.new} nye, {r.moved} flyttet, {r.closed} lukket, "
                          f"{r.reopened} genåbnet, {r.unchanged} uændrede ({verb} gemt).",
                          highlight=False, soft_wrap=True)
            for reason, n in sorted(r.left_out.items()):
                err.print(f"  udeladt: {n} {reason}", highlight=False, soft_wrap=True)

    run(database, action)
