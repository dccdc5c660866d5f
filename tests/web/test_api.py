"""The HTTP API answers with the CLI's shapes (CONTRACT.md, HTTP API)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client()


def test_national_json(client):
    r = client.get("/api/v1/national", {"date": "2022-01-01"})
    assert r.status_code == 200
    data = r.json()
    assert data["date"] == "2022-01-01"
    assert data["freed_municipalities"] >= 7


def test_institution_rules_json(client):
    r = client.get("/api/v1/institutions/341002/rules", {"date": "2022-03-01"})
    assert r.status_code == 200
    assert r.json()["institution"]["name"] == "Jyderup Skole"


def test_unknown_institution_is_404(client):
    r = client.get("/api/v1/institutions/findes-ikke/rules")
    assert r.status_code == 404
    assert r.json()["errors"][0]["code"] == "not_found"


def test_bad_date_is_400_with_code(client):
    r = client.get("/api/v1/national", {"date": "i går"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "invalid"


def test_status_and_overview(client):
    r = client.get("/api/v1/municipalities/217/status",
                   {"area": "dagtilbud", "provision": "dagtilbudsloven § 23, stk. 1",
                    "date": "2022-01-01"})
    assert r.status_code == 200
    assert r.json()["guardrail"] is True
    r = client.get("/api/v1/municipalities/217/overview")
    assert r.status_code == 200
    assert r.json()["municipality"] == 217


def test_openapi_document(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert "/api/v1/national" in r.json()["paths"]


def test_home_page_lists_municipalities_and_regimes(client):
    r = client.get("/", {"date": "2022-01-01"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Helsingør" in html and "Velfærdsaftale" in html and "Ærø" in html
    r = client.get("/en/", {"date": "2022-01-01"})
    assert r.status_code == 200 and 'lang="en"' in r.content.decode()
