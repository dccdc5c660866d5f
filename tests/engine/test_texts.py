"""The engine's wording helpers (docs/semantics.md § Texts): deciding bodies and date
precision, in Danish and English."""

from __future__ import annotations

import pytest

from frisat.engine import texts as tx
from frisat.engine.model import DecidedBy


@pytest.mark.parametrize(("by", "name", "da", "en"), [
    (DecidedBy("council"), None, "kommunalbestyrelsen", "the municipal council"),
    (DecidedBy("committee", "Børneudvalget"), None, "Børneudvalget", "Børneudvalget"),
    (DecidedBy("committee"), None, "udvalget", "the committee"),
    (DecidedBy("administration", "Børn og Unge"), None, "forvaltningen, Børn og Unge",
     "the administration, Børn og Unge"),
    (DecidedBy("administration"), None, "forvaltningen", "the administration"),
    (DecidedBy("institution", institution="eks-1"), "Eksempel Børnehus",
     "institutionen Eksempel Børnehus", "the institution Eksempel Børnehus"),
    (DecidedBy("institution", "Børnehuset", "eks-1"), None, "institutionen Børnehuset",
     "the institution Børnehuset"),
    (DecidedBy("institution", institution="eks-1"), None, "institutionen eks-1",
     "the institution eks-1"),
    (DecidedBy("institution"), None, "institutionen", "the institution"),
])
def test_deciding_bodies(by: DecidedBy, name: str | None, da: str, en: str) -> None:
    assert tx.body_da(by, name) == da
    assert tx.body_en(by, name) == en


def test_date_precision_notes() -> None:
    assert tx.precision_note_da("day") == tx.precision_note_en("day") == ""
    assert tx.precision_note_da("month") == " (datoen kendes kun på måned)"
    assert tx.precision_note_da("year") == " (datoen kendes kun på år)"
    assert tx.precision_note_en("month") == " (the date is only known to the month)"
    assert tx.precision_note_en("year") == " (the date is only known to the year)"
