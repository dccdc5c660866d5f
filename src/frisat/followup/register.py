"""The one place followup reads the register (it never writes it).

Everything follow-up needs from the register — municipalities, institutions, regimes and
their coverage — comes through ``world``; the register's state (its newest load) keys the
caches of evaluation results.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from frisat.engine import model as m


def world(known_at: dt.datetime | None = None) -> m.World:
    """The register as known at K (default: now)."""
    from frisat.queries.common import now
    from frisat.registry.snapshot import snapshot

    return snapshot(known_at or now()).world


def register_state() -> Any:
    """A value that changes whenever anything is loaded into the register."""
    from frisat.registry.snapshot import stamp

    return stamp()
