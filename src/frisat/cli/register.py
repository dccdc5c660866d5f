"""Commands that build the register: ``init``, ``load``, ``export``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from frisat.cli.common import DatabaseOpt, err, fail, keep_register, run, setup
from frisat.cli.root import app


@app.command()
def init(database: DatabaseOpt = None) -> None:
    """Opret eller migrér databasen og indlæs de medfølgende referencedata (idempotent)."""
    setup(database, create=True)
    from django.core.management import call_command

    from frisat.registry.reference import load_reference

    try:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)  # only with FRISAT_CACHE=database
        with err.status("Indlæser referencedata …"):
            result = load_reference()
            from frisat.followup.shipped import load_shipped

            followup = load_shipped()
    except Exception as exc:
        fail(exc)
    added = sum(result.added.values()) + sum(v for k, v in followup.items() if k != "skipped")
    keep_register()
    err.print(f"Databasen er klar. Tilføjet {added} poster, {result.skipped} fandtes allerede.")
    if result.skipped and result.added:  # an upgrade: say what changed, section by section
        parts = ", ".join(f"{n} {section}" for section, n in sorted(result.added.items()))
        err.print(f"Opdateret med nye eller rettede referencedata: {parts}. Tidligere svar "
                  "er uændrede (se --known-at).")


@app.command()
def load(file: Path, database: DatabaseOpt = None,
         dry_run: Annotated[bool, typer.Option("--dry-run")] = False) -> None:
    """Indlæs et bundt (frisat-bundle/1, JSON eller YAML): alt eller intet."""

    def act() -> None:
        from frisat.registry.bundle import read_document
        from frisat.registry.loader import load as load_bundle
        from frisat.registry.loader import os_user

        result = load_bundle(read_document(file), source=str(file), dry_run=dry_run,
                             by=os_user(), how="bundle")
        for w in result.warnings:
            err.print(f"[yellow]advarsel[/yellow] {w.path}: {w.code} — {w.message}",
                      highlight=False)
        verb = "Ville tilføje" if dry_run else "Tilføjet"
        parts = ", ".join(f"{n} {k}" for k, n in result.added.items()) or "intet nyt"
        err.print(f"{verb}: {parts}; {result.skipped} fandtes allerede.")
        if not dry_run:
            keep_register()

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
