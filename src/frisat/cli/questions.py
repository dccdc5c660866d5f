"""The reading commands: ``rules``, ``status``, ``overview``, ``national``, ``provisions``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    keep_register,
    out,
    parse_date,
    parse_instant,
    run,
    snapshot,
)
from frisat.cli.root import app
from frisat.vocabulary import label

STATUSES = ("applies", "set_aside", "partially_set_aside", "not_in_force")
SET_ASIDE = ("set_aside", "partially_set_aside")


def _verdict_table(provisions: Sequence[Mapping[str, Any]], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    table.add_column("Bestemmelse")
    table.add_column("Status")
    table.add_column("Fordi")
    labels = {k: (f"[bold]{label(k, 'da').lower()}[/bold]" if k in SET_ASIDE
                  else label(k, "da").lower()) for k in STATUSES}
    for p in provisions:
        because = p["because"][0]["text"] if p["because"] else ""
        mark = " (hegnspæl)" if p.get("guardrail") else ""
        table.add_row(p["citation"] + mark, labels.get(p["status"], p["status"]), because)
    return table


@app.command()
def rules(institution: Annotated[str, typer.Option("--institution")],
          date: DateOpt = None, known_at: KnownOpt = None, fmt: FormatOpt = Fmt.text,
          lang: LangOpt = "da", database: DatabaseOpt = None, pretty: PrettyOpt = False,
          changed_only: Annotated[bool, typer.Option("--changed-only",
                                                     help="Kun fravegne bestemmelser (tekst)")]
          = False) -> None:
    """Afgørelsen for hver bestemmelse, der er relevant for institutionen."""

    def act() -> None:
        from frisat.queries.rules import rules as answer

        d, k = parse_date(date), parse_instant(known_at)
        data = answer(snapshot(k), institution, d, k, lang)
        keep_register()
        if fmt is Fmt.json:
            return emit_json(data, pretty)
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
           lang: LangOpt = "da", database: DatabaseOpt = None, pretty: PrettyOpt = False) -> None:
    """Afgørelsen på kommuneniveau for én bestemmelse (kun beslutninger for hele kommunen)."""

    def act() -> None:
        from frisat.queries.status import status as answer

        d, k = parse_date(date), parse_instant(known_at)
        data = answer(snapshot(k), municipality, area, provision, d, k, lang)
        keep_register()
        if fmt is Fmt.json:
            return emit_json(data, pretty)
        out.print(_verdict_table([data], f"Kommune {municipality}, {area}, {data['date']}"))
        for r in data["because"]:
            out.print(f"- [{r['kind']}] {r['text']}", highlight=False)

    run(database, act)


@app.command()
def overview(municipality: Annotated[int, typer.Option("--municipality")],
             date: DateOpt = None, known_at: KnownOpt = None, fmt: FormatOpt = Fmt.text,
             database: DatabaseOpt = None, pretty: PrettyOpt = False) -> None:
    """Kommunens samlede oversigt over beslutninger (lov 879/880 § 6)."""

    def act() -> None:
        from frisat.queries.overview import overview as answer

        d, k = parse_date(date), parse_instant(known_at)
        data = answer(snapshot(k), municipality, d, k)
        keep_register()
        if fmt is Fmt.json:
            return emit_json(data, pretty)
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
             lang: LangOpt = "da", database: DatabaseOpt = None, pretty: PrettyOpt = False) -> None:
    """Hvem er frisat fra hvad, nationalt, på datoen."""

    def act() -> None:
        from frisat.queries.national import national as answer

        d, k = parse_date(date), parse_instant(known_at)
        data = answer(snapshot(k), d, k, lang)
        keep_register()
        if fmt is Fmt.json:
            return emit_json(data, pretty)
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
               database: DatabaseOpt = None, pretty: PrettyOpt = False) -> None:
    """Lovens bestemmelser (henvisninger, overskrifter, resuméer, markeringer pr. ordning)."""

    def act() -> None:
        from frisat.queries.provisions import provisions as answer

        d, k = parse_date(date), parse_instant(known_at)
        data = answer(snapshot(k), act_key, d, k)
        keep_register()
        if fmt is Fmt.json:
            return emit_json(data, pretty)
        table = Table(title=f"{data['act']['title']} ({data['date']})")
        for col in ("Bestemmelse", "I kraft", "Markering", "Overskrift / resumé"):
            table.add_column(col)
        for p in data["provisions"]:
            marks = ", ".join(f"{k}: {v}" for k, v in p["marks"].items())
            table.add_row(p["citation"], "ja" if p["in_force"] else "nej", marks,
                          p["heading"] or p["summary"])
        out.print(table)

    run(database, act)
