"""What changed for an institution between two dates: the leaves whose status differs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from frisat.engine.timeline import changes as status_changes
from frisat.queries.rules import verdicts
from frisat.registry.snapshot import Snapshot


def changes(snap: Snapshot, institution: str, before: dt.date, after: dt.date,
            lang: str = "da") -> list[dict[str, Any]]:
    """Each leaf whose status on ``after`` differs from ``before``: its citation, act
    title, heading, the two statuses and the reasons (of the later verdict if listed then).
    """
    out = []
    for c in status_changes(verdicts(snap, institution, before)[1],
                            verdicts(snap, institution, after)[1]):
        v = c.verdict
        act = snap.engine.acts.get(v.act)
        asked = after if c.after is not None else before
        out.append({"citation": v.citation, "act": v.act, "ref": v.ref,
                    "act_title": act.title if act else v.act, "heading": v.heading,
                    "from": c.before.status if c.before else None,
                    "to": c.after.status if c.after else None,
                    "because": v.to_json(lang, asked)["because"]})
    return out
