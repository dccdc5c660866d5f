"""``frisat serve``: the portal and API on a production server."""

from __future__ import annotations

from typing import Annotated

import typer

from frisat.cli.common import DatabaseOpt, _ready, setup
from frisat.cli.root import app


@app.command()
def serve(host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port")] = 8000,
          workers: Annotated[int, typer.Option("--workers")] = 2,
          database: DatabaseOpt = None) -> None:
    """Portalen og API'et på en produktionsserver (gunicorn)."""
    setup(database)
    _ready()
    from frisat.web.server import serve as run_server

    run_server(host, port, workers)
