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


def test_municipality_list_filters_and_pages(client):
    data = client.get("/api/v1/municipalities").json()
    assert data["count"] == 98 and len(data["municipalities"]) == 98
    page = client.get("/api/v1/municipalities", {"limit": 10, "offset": 90}).json()
    assert len(page["items"]) == 8 and page["offset"] == 90
    region = client.get("/api/v1/municipalities", {"region_code": 1084}).json()
    assert 0 < region["count"] < 98
    assert all(m["region_code"] == 1084 for m in region["items"])
    assert client.get("/api/v1/municipalities", {"limit": 0}).status_code == 400


def test_institution_list_filters(client):
    data = client.get("/api/v1/institutions", {"municipality": 217, "area": "dagtilbud",
                                               "date": "2022-03-01"}).json()
    ids = {i["id"] for i in data["items"]}
    assert "frisat-217-boernehuset-elverhoejen" in ids
    assert all(i["municipality"] == 217 for i in data["items"])
    assert client.get("/api/v1/institutions", {"q": "jyderup"}).json()["items"][0]["id"] \
        == "341002"
    assert client.get("/api/v1/institutions", {"date": "x"}).status_code == 400


def test_decision_list_and_detail(client):
    data = client.get("/api/v1/decisions", {"municipality": 217, "date": "2022-03-01"}).json()
    assert {d["id"] for d in data["items"]} == {"217-2021-001", "217-2022-001"}
    assert all(d["state"] == "in_force" for d in data["items"])
    none = client.get("/api/v1/decisions", {"state": "future", "date": "2022-03-01",
                                            "municipality": 217}).json()
    assert none["count"] == 0
    one = client.get("/api/v1/decisions/316-2021-002").json()
    assert one["scope"] == {"institutions": ["341002"]}
    assert client.get("/api/v1/decisions/findes-ikke").status_code == 404
    assert client.get("/api/v1/decisions", {"state": "x"}).status_code == 400


def test_openapi_documents_the_lists(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in ("/api/v1/municipalities", "/api/v1/institutions", "/api/v1/decisions",
              "/api/v1/decisions/{decision_id}"):
        assert p in paths
