"""Where an institution is (address, postcode, town) and since when a register knows it.

Read from ``frisat/data/reference/institution-places.csv`` (generated from the STIL and
Dagtilbudsregisteret extracts by ``scripts/build_reference.py``; docs/data-sources.md). The
bundle format has no field for an address, so this is its own small table, keyed by
institution id. Both extracts are snapshots without opening dates: membership before the
extract's date is not known (``known_from``).
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from pathlib import Path
from typing import TypedDict

DATA = Path(__file__).resolve().parents[1] / "data" / "reference" / "institution-places.csv"

# The extracts' dates (docs/data-sources.md, "recorded_at is the extract's date"): the STIL
# copy's commit date and the daycare list's refresh date.
KNOWN_FROM = {"stil": dt.date(2024, 10, 23), "dagtilbud": dt.date(2026, 4, 1)}
REGISTER_NAME = {"stil": ("STIL's institutionsregister", "STIL's register of institutions"),
                 "dagtilbud": ("Dagtilbudsregisteret", "the Danish day-care register")}


class Place(TypedDict):
    id: str
    register: str
    register_name: str
    unit_type: str
    address: str
    postcode: str
    city: str
    known_from: str | None


@cache
def _rows() -> dict[str, dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def place(institution: str, lang: str = "da") -> Place | None:
    """The institution's address and register, or None when no extract names it."""
    r = _rows().get(institution)
    if r is None:
        return None
    known = KNOWN_FROM.get(r["register"])
    names = REGISTER_NAME.get(r["register"], (r["register"], r["register"]))
    return {"id": institution, "register": r["register"],
            "register_name": names[1] if lang == "en" else names[0],
            "unit_type": r["unit_type"], "address": r["address"], "postcode": r["postcode"],
            "city": r["city"], "known_from": known.isoformat() if known else None}


def all_places() -> dict[str, dict[str, str]]:
    """Every row, by institution id (for the search index)."""
    return _rows()
