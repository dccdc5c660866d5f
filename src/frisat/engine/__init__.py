"""The applicability engine: which provisions apply, where, when, and why.

Public API (pure Python, no Django, no I/O)::

    from frisat.engine import Engine
    engine = Engine(world.known_at(k))
    engine.institution_rules("280123", date(2022, 3, 1))   # list[Verdict]
    engine.municipality_status(217, "dagtilbud", "dagtilbudsloven", "§ 3 a, stk. 2", d)
    national(engine, d).to_json()

The names are loaded on first use: a command that answers one question imports only the
modules it needs (the reading commands start in a fraction of a second).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from frisat.engine.nationwide import (
        CoverageRow,
        ExceptionRow,
        National,
        NationalRegime,
        national,
    )
    from frisat.engine.reasons import Reason
    from frisat.engine.verdict import (
        REASON_KINDS,
        STATUSES,
        Engine,
        NotAnswerable,
        UnknownRecord,
        Verdict,
    )

_WHERE = {
    "CoverageRow": "nationwide", "ExceptionRow": "nationwide", "National": "nationwide",
    "NationalRegime": "nationwide", "national": "nationwide", "Reason": "reasons",
    "REASON_KINDS": "verdict", "STATUSES": "verdict", "Engine": "verdict",
    "NotAnswerable": "verdict", "UnknownRecord": "verdict", "Verdict": "verdict",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(f"frisat.engine.{module}"), name)


__all__ = [
    "REASON_KINDS",
    "STATUSES",
    "CoverageRow",
    "Engine",
    "ExceptionRow",
    "National",
    "NationalRegime",
    "national",
    "NotAnswerable",
    "Reason",
    "UnknownRecord",
    "Verdict",
]
