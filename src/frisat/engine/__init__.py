"""The applicability engine: which provisions apply, where, when, and why.

Public API (pure Python, no Django, no I/O)::

    from frisat.engine import Engine
    engine = Engine(world.known_at(k))
    engine.institution_rules("280123", date(2022, 3, 1))   # list[Verdict]
    engine.municipality_status(217, "dagtilbud", "dagtilbudsloven", "§ 3 a, stk. 2", d)
    national(engine, d).to_json()
"""

from frisat.engine.national import CoverageRow, ExceptionRow, National, NationalRegime, national
from frisat.engine.reasons import Reason
from frisat.engine.verdict import (
    REASON_KINDS,
    STATUSES,
    Engine,
    NotAnswerable,
    UnknownRecord,
    Verdict,
)

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
