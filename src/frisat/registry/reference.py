"""The shipped reference data: every ``*.yaml`` bundle under ``frisat/data``.

The files are read as one bundle so that references between them (an act's provisions
used by a regime, an institution named by a decision) resolve regardless of file order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from frisat.registry.bundle import read_document
from frisat.registry.errors import InputError, Rejected
from frisat.registry.loader import LoadResult, load

DATA = Path(__file__).resolve().parent.parent / "data"
SECTIONS = ("areas", "municipalities", "acts", "regimes", "coverage", "institutions",
            "delegations", "decisions", "exemptions", "repeals", "kept")


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
    try:
        return load(reference_document(), reference=True, source="frisat reference data")
    except Rejected as e:
        if any(x.code == "conflict" for x in e.errors):
            # Catalogue records are stored once per key; a newer frisat whose shipped facts
            # changed cannot rewrite them in place (history is never edited).
            hint = InputError(
                "reference", "reference_changed",
                "De medfølgende referencedata er ændret siden denne database blev oprettet. "
                "Gem dine egne poster med `frisat export`, opret en ny database (tom "
                "FRISAT_HOME eller ny DATABASE_URL), kør `frisat init` og indlæs eksporten "
                "med `frisat load`.")
            raise Rejected([*e.errors, hint], e.warnings) from None
        raise
