"""`frisat import …`: acts from Retsinformation and institutions from the official registers."""

from __future__ import annotations

import typer

import_app = typer.Typer(help="Importér love og institutioner fra de officielle kilder",
                         no_args_is_help=True)
