"""External sources of indicator data → the checked, atomic indicator load."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from frisat.followup.indicators import Definition, LoadResult, load_rows
from frisat.sources import statbank


def fetch_and_load(client: statbank.Client, table: str, indicator: str, *,
                   select: dict[str, str], periods: list[str] | None = None,
                   defines: Iterable[Definition] = (), api_format: str = "CSV",
                   progress: Callable[[int, int], None] | None = None,
                   dry_run: bool = False) -> LoadResult:
    """Fetch a Statbank table and load it like a file: every row checked, all or nothing."""
    rows: list[dict[str, Any]] = list(statbank.fetch(
        client, table, indicator, select=select, periods=periods, fmt=api_format,
        progress=progress))
    return load_rows(rows, defines, source=f"statbank:{table}", dry_run=dry_run)
