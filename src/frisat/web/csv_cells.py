"""CSV cells that a spreadsheet will not run as formulas (OWASP, "CSV Injection").

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line
feed is written with a leading apostrophe, which spreadsheets show as text and never
evaluate. Numbers — also negative ones, as numbers or as text such as ``-3`` or ``-2,5`` —
are written as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START) \
            and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def row(values: Iterable[Any]) -> list[Any]:
    return [cell(v) for v in values]
