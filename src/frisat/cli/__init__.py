"""The ``frisat`` command: a thin layer over the registry and the queries (CONTRACT.md).

``main`` answers a reading command with ``--format json`` straight from the register's
file (``fast``), without starting Django or loading the command framework; everything else
goes to the Typer application (``commands``), whose modules register their commands on
``app`` and share ``common``.
"""

from __future__ import annotations

import sys
from typing import Any


def main() -> None:
    from frisat.cli import fast

    code = fast.answer(sys.argv[1:])
    if code is not None:
        raise SystemExit(code)
    from frisat.cli.commands import app

    app(prog_name="frisat")


def __getattr__(name: str) -> Any:
    if name == "app":
        from frisat.cli.commands import app

        return app
    raise AttributeError(name)
