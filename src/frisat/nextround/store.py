"""Saved scenarios: kept as documents beside the register (never in it), by a stable key."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.utils import timezone

from frisat.nextround.models import SavedScenario
from frisat.registry.errors import InputError, Rejected

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{2,79}$")


def _key_for(doc: dict[str, Any]) -> str:
    """A key from the content: saving the same scenario twice gives the same link."""
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, default=str)
    return "s-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def save_scenario(doc: Any, *, key: str | None, user: str | None) -> SavedScenario:
    """Check the scenario against the register now, then keep its normalised document.
    Rejected (nothing saved) when it does not read; a taken key with another scenario is
    a conflict."""
    from frisat.queries.common import now
    from frisat.queries.scenario import prepare
    from frisat.registry.snapshot import snapshot

    parsed, _ = prepare(snapshot(now()), doc)
    if key is not None and not _KEY.match(key):
        raise Rejected([InputError("key", "invalid", "Nøglen skal være 3-80 tegn: små "
                                   "bogstaver, tal og bindestreg")])
    key = key or _key_for(parsed.document)
    existing = SavedScenario.objects.filter(key=key).first()
    if existing is not None:
        if existing.document == parsed.document:
            return existing
        raise Rejected([InputError("key", "conflict",
                                   f"Der findes allerede et andet scenarie med nøglen {key}")])
    return SavedScenario.objects.create(key=key, title=parsed.title[:200],
                                        document=parsed.document, created_by=user or "",
                                        created_at=timezone.now())


def saved_document(key: str) -> dict[str, Any]:
    got = SavedScenario.objects.filter(key=key).first()
    if got is None:
        raise Rejected([InputError("scenario", "not_found", f"Ukendt scenarie: {key}")])
    return dict(got.document)
