"""The ``frisat`` Typer application; command modules register themselves on it."""

from __future__ import annotations

import typer

app = typer.Typer(help="frisat: register og regelmotor for frisættelse af kommuner",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
