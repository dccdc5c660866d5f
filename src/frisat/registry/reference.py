"""The shipped reference data: every ``*.yaml`` bundle under ``frisat/data``.

The files are read as one bundle so that references between them (an act's provisions
used by a regime, an institution named by a decision) resolve regardless of file order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from frisat.engine.model import BUNDLE
from frisat.registry.bundle import read_document
from frisat.registry.loader import LoadResult, load, os_user

DATA = Path(__file__).resolve().parent.parent / "data"
SECTIONS = tuple(k.section for k in BUNDLE)  # the sections of a bundle (engine.model)


def reference_files() -> list[Path]:
    return sorted(DATA.rglob("*.yaml"))


def reference_document() -> dict[str, Any]:
    doc: dict[str, Any] = {"format": "frisat-bundle/1"}
    for path in reference_files():
        part = read_document(path)
        for section in SECTIONS:
            if part.get(section):
                doc.setdefault(section, []).extend(part[section])
    return doc


def load_reference() -> LoadResult:
    """Load the shipped reference data. On an existing register this upgrades it in place:
    a fact the shipped data now states differently is appended as a new record of its
    history, registered at the time of this load, so every earlier answer stays as it was."""
    return load(reference_document(), reference=True, source="frisat reference data",
                by=os_user(), how="init")
