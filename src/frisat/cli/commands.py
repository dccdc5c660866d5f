"""The whole ``frisat`` command: every module registers its commands on ``app``."""

from __future__ import annotations

from frisat.cli import (  # noqa: F401  (they register commands)
    followup,
    nextround,
    operations,
    questions,
    register,
    serve,
)
from frisat.cli.importing import import_app
from frisat.cli.root import app
from frisat.cli.users import users_app

app.add_typer(import_app, name="import")
app.add_typer(users_app, name="users")

__all__ = ["app"]
