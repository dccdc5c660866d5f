"""Follow-up commands: ``frisat indicators load|fetch|list`` and ``frisat evaluate``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from frisat.cli.common import DatabaseOpt, Fmt, FormatOpt, emit_json, err, out, run
from frisat.cli.root import app

indicators_app = typer.Typer(help="Indikatorer: definitioner og data til opfølgning",
                             no_args_is_help=True)
app.add_typer(indicators_app, name="indicators")

DefineOpt = Annotated[list[str] | None, typer.Option(
    "--define", help='Definér en ny indikator i samme kørsel: KEY:"Navn":enhed:higher|lower')]


def _defines(specs: list[str] | None) -> list[Any]:
    from frisat.followup.indicators import parse_define

    return [parse_define(s, f"--define[{i}]") for i, s in enumerate(specs or [])]


def _report(result: Any, fmt: Fmt, dry_run: bool) -> None:
    if fmt == Fmt.json:
        emit_json({"added": result.added, "skipped": result.skipped, "dry_run": dry_run})
        return
    verb = "Ville tilføje" if dry_run else "Tilføjet"
    parts = ", ".join(f"{n} {k}" for k, n in result.added.items()) or "intet nyt"
    err.print(f"{verb}: {parts}; {result.skipped} fandtes allerede.")


@indicators_app.command("load")
def load(file: Path, define: DefineOpt = None, database: DatabaseOpt = None,
         dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
         fmt: FormatOpt = Fmt.text) -> None:
    """Indlæs indikatordata (CSV eller XLSX: indicator,unit_kind,unit,period,value,source)."""

    def act() -> None:
        from frisat.followup.indicators import load_file

        _report(load_file(file, _defines(define), dry_run=dry_run), fmt, dry_run)

    run(database, act)


@indicators_app.command("fetch")
def fetch(table: str,
          indicator: Annotated[str, typer.Option("--indicator", help="Indikatorens nøgle")],
          select: Annotated[list[str] | None, typer.Option(
              "--select", help="Fast værdi for en variabel: VAR=KODE (gentages)")] = None,
          periods: Annotated[str | None, typer.Option(
              "--periods", help="Perioder, kommasepareret (standard: alle)")] = None,
          define: DefineOpt = None, database: DatabaseOpt = None,
          api_format: Annotated[str, typer.Option("--api-format",
                                                  help="CSV eller JSONSTAT")] = "CSV",
          dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
          fmt: FormatOpt = Fmt.text) -> None:
    """Hent en tabel fra Danmarks Statistiks statistikbank (api.statbank.dk) og indlæs den."""

    def act() -> None:
        from rich.progress import Progress

        from frisat.followup.connectors import fetch_and_load
        from frisat.registry.errors import InputError, Rejected
        from frisat.sources.statbank import Client, StatbankError

        chosen: dict[str, str] = {}
        for i, s in enumerate(select or []):
            var, eq, val = s.partition("=")
            if not eq or not var.strip() or not val.strip():
                raise Rejected([InputError(f"--select[{i}]", "invalid",
                                           f"Forventede VAR=KODE, fik {s!r}")])
            chosen[var.strip()] = val.strip()
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task(f"Henter {table} …", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            try:
                result = fetch_and_load(
                    Client(), table, indicator, select=chosen,
                    periods=[p.strip() for p in periods.split(",")] if periods else None,
                    defines=_defines(define), api_format=api_format.upper(),
                    progress=progress, dry_run=dry_run)
            except StatbankError as e:
                raise Rejected([InputError(table, e.code, e.message)]) from None
        _report(result, fmt, dry_run)

    run(database, act)


@indicators_app.command("list")
def list_(database: DatabaseOpt = None, fmt: FormatOpt = Fmt.text) -> None:
    """Indikatorerne med kilde og antal observationer ("ingen data indlæst" når 0)."""

    def act() -> None:
        from frisat.followup.views import indicator_list

        items = indicator_list()
        if fmt == Fmt.json:
            emit_json({"indicators": items})
            return
        for x in items:
            n = x["observations"] or "ingen data indlæst"
            out.print(f"{x['key']:38} {x['name']} — {n}", highlight=False)

    run(database, act)


@app.command()
def evaluate(indicator: Annotated[str, typer.Option("--indicator")],
             regime: Annotated[str, typer.Option("--regime")],
             comparison: Annotated[str, typer.Option("--comparison",
                                                     help="all eller matched")] = "all",
             draws: Annotated[int, typer.Option("--draws", help="Placebotrækninger")] = 1000,
             database: DatabaseOpt = None, fmt: FormatOpt = Fmt.text) -> None:
    """Forskel-i-forskelle: de frisatte kommuner mod de øvrige, med placebo-inferens."""

    def act() -> None:
        from frisat.followup.evaluate import evaluate as run_evaluation

        r = run_evaluation(indicator, regime, comparison, draws=draws)
        if fmt == Fmt.json:
            emit_json({k: v for k, v in r.items() if k not in ("series", "names", "state")})
            return
        d = r["definition"]
        out.print(f"[bold]{d['name']}[/bold] — {regime} ({comparison})", highlight=False)
        out.print(f"Frisatte: {', '.join(map(str, r['treated']))}; "
                  f"sammenligning: {len(r['comparison'])} kommuner", highlight=False)
        if r["estimate"] is None:
            out.print("Intet estimat.")
        else:
            out.print(f"Estimat: {r['estimate']:+.3f} {d['unit']} "
                      f"(95 %: {r['ci_low']:+.3f} til {r['ci_high']:+.3f}; "
                      f"p = {r['p_value']:.3f}; {r['method']['placebo_draws']} placebotrækninger)",
                      highlight=False)
        for s in r["synthetic"]:
            out.print(f"Syntetisk tvilling for {s['unit']}: {s['estimate']:+.3f} "
                      f"(pre-RMSPE {s['pre_rmspe']:.3f})", highlight=False)
        for w in r["warnings"]:
            out.print(f"[yellow]{w['code']}[/yellow]: {w['message']}", highlight=False)

    run(database, act)
