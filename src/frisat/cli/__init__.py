"""The ``frisat`` command: a thin layer over the registry and the engine (CONTRACT.md).

Each module registers its commands on ``app``; ``common`` holds what they share.
"""

from __future__ import annotations

from frisat.cli import followup, questions, register, serve  # noqa: F401,I001  (they register commands)
from frisat.cli.app import app
from frisat.cli.importing import import_app
from frisat.cli.users import users_app

app.add_typer(import_app, name="import")
app.add_typer(users_app, name="users")

__all__ = ["app"]
