"""Fixtures of the registry tests: every kind of record, as the shipped data and a few
more hold them."""

from __future__ import annotations

import datetime as dt

import pytest

from frisat.engine import model as m
from frisat.registry.bundle import read_bundle
from frisat.registry.reference import reference_document

NOW = dt.datetime.now(dt.UTC)
AT = "2025-01-01T00:00:00+00:00"

# the kinds the shipped data does not hold, with every optional shape set
EXTRA = {
    "acts": [
        {"key": "eksempel-regler", "level": "municipal", "municipality": 217,
         "title": "Eksempelkommunens regler", "areas": ["aeldre"], "valid_from": "2020-01-01",
         "recorded_at": AT, "provisions": [
             {"ref": "§ 1", "heading": "Formål", "versions": [
                 {"from": "2020-01-01", "to": "2024-01-01", "text": "Reglerne gælder …",
                  "enacted_by": "Kommunalbestyrelsens beslutning af 1. december 2019",
                  "exclusions": [{"regime": "eksempel-ordning", "area": "aeldre",
                                  "basis": "lov nr. 879 af 12/05/2021"}],
                  "heading": "Formål", "note": "Tidligere § 2", "recorded_at": AT}]}]}],
    "regimes": [
        {"key": "eksempel-ordning", "title": "Eksempelordningen", "kind": "frisaettelse",
         "legal_basis": "lov nr. 879 af 12/05/2021", "shape": "listed",
         "acts": ["eksempel-regler"], "delegation_allowed": False,
         "deviable": ["eksempel-regler § 1"], "recorded_at": AT}],
    "institutions": [
        {"id": "eksempel-plejecenter", "name": "Eksempelplejecentret",
         "requested": ["eksempel-ordning"], "example": True, "recorded_at": AT,
         "memberships": [{"municipality": 217, "area": "aeldre", "kind": "plejecenter",
                          "from": "2020-01-01", "to": "2024-01-01"}]}],
    "decisions": [
        {"id": "217-2024-901", "municipality": 217, "regime": "eksempel-ordning",
         "area": "aeldre", "title": "Eksempel", "decided_by": {
             "body": "institution", "name": "Eksempelplejecentret",
             "institution": "eksempel-plejecenter"},
         "published": False, "effective_from": "2024-05-01",
         "scope": {"kinds": ["plejecenter"]},
         "targets": [{"citation": "eksempel-regler § 1"}],
         "revokes": ["217-2022-001"], "example": True, "recorded_at": AT}],
    "repeals": [
        {"act": "eksempel-regler", "ref": "§ 1", "from": "2023-01-01",
         "decided_on": "2022-12-01", "recorded_at": AT}],
    "delegations": [
        {"municipality": 217, "regime": "velfaerdsaftale-aeldre", "to": "institution",
         "name": "Plejecenteret", "institution": "plejecenter-1", "decided_on": "2024-03-01",
         "source": "https://www.helsingor.dk/x", "recorded_at": AT}],
    "exemptions": [
        {"id": "fritagelse-1", "regime": "velfaerdsaftale-aeldre", "municipality": 217,
         "area": "aeldre", "from": "2024-04-01", "to": "2025-04-01",
         "approved_on": "2024-03-01", "legal_basis": "lov nr. 879 af 12/05/2021",
         "source_url": "https://www.retsinformation.dk/eli/lta/2021/879", "recorded_at": AT,
         "targets": [{"citation": "serviceloven § 83, stk. 1", "extent": "partial",
                      "note": "kun om aftenen", "condition_met": False,
                      "source_words": "hjemmehjælp"}]}],
    "claims": [
        {"section": "decisions", "record": "217-2022-001",
         "known_from": "2022-02-01T00:00:00+01:00", "recorded_at": AT}],
}


@pytest.fixture(scope="session")
def world() -> m.World:
    doc = reference_document()
    for section, records in EXTRA.items():
        doc.setdefault(section, []).extend(records)
    return read_bundle(doc, NOW)
