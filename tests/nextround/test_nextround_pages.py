"""The next round's pages and API: every page in Danish and English and as data, the
scenario builder (save, share by link, errors beside the text), the applications through
the API with tokens (401 without, 403 for want of rights), the network power as the
public records page shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from frisat.accounts.models import ApiToken, Profile
from frisat.nextround.models import Application, SavedScenario

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "frisat" / "nextround" / "examples"


@pytest.mark.parametrize("path", ["/naeste-runde", "/frikommuner", "/modeller",
                                  "/modeller/561/folkeskole", "/modeller/791/aeldre",
                                  "/scenarie", "/ansoegninger",
                                  "/kommune/751/frikommunevedtaegt"])
def test_pages_answer_in_both_languages_and_as_data(path: str) -> None:
    c = Client()
    da, en = c.get(path), c.get("/en" + path)
    assert da.status_code == 200 and en.status_code == 200
    assert da.content != en.content
    if path != "/scenarie":
        data = c.get(path + "?format=json")
        assert data.status_code == 200 and json.loads(data.content) is not None


def test_unknown_municipality_and_area_are_404_in_danish() -> None:
    r = Client().get("/kommune/999/frikommunevedtaegt")
    assert r.status_code == 404 and "Siden findes ikke" in r.content.decode()  # the one 404
    r = Client().get("/kommune/999/frikommunevedtaegt", {"format": "json"})
    assert r.status_code == 404 and "Ukendt kommune" in r.content.decode()
    assert Client().get("/modeller/101/ukendt").status_code == 404


def test_records_page_shows_section_29_open_only_to_network_6() -> None:
    data = json.loads(Client().get("/frikommuner?date=2018-06-01&format=json").content)
    s29 = next(p for p in data["powers"] if p["basis"].endswith("§ 29"))
    row = next(x for x in s29["provisions"] if x["citation"] == "serviceloven § 151, stk. 2")
    assert row["part"] == "1. pkt."
    assert 710 not in row["deviable_for_on_date"]  # Favrskov: networks 2 and 3
    assert set(row["deviable_for_on_date"]) == {101, 461, 561, 730, 751}
    assert len(data["networks"]) == 8
    assert data["programmes"][1]["experiments_approved"] == 79
    html = Client().get("/frikommuner").content.decode()
    assert "ikke kendt" in html  # the experiments the sources do not name


def test_scenario_builder_saves_shares_and_marks_the_scenario() -> None:
    c = Client()
    text = (EXAMPLE / "alle-98-aeldre.yaml").read_text(encoding="utf-8")
    r = c.post("/scenarie", {"scenario": text})
    assert r.status_code == 302
    url = r["Location"]
    page = Client().get(url)  # another visitor, by the link
    body = page.content.decode()
    assert page.status_code == 200 and "ikke gældende ret" in body
    assert "Frisatte kommuner" in body
    data = json.loads(Client().get(url + "?format=json").content)
    assert data["scenario"] is True and data["national"]["scenario"]["freed_municipalities"] == 98
    assert Client().post("/scenarie", {"scenario": text})["Location"] == url
    assert SavedScenario.objects.count() == 1
    bad = c.post("/scenarie", {"scenario": "format: frisat-scenario/1\ntitle: x\n"
                                            "changes: [{teleport: {}}]"})
    assert bad.status_code == 400 and "unknown_change" in bad.content.decode()
    assert SavedScenario.objects.count() == 1


def test_scenario_api_diff_and_saved_link() -> None:
    c = Client()
    text = (EXAMPLE / "alle-98-aeldre.yaml").read_text(encoding="utf-8")
    r = c.post("/api/v1/scenarios/diff?institutions=false", data=text,
               content_type="application/yaml")
    assert r.status_code == 200
    assert r.json()["notice"].startswith("Scenarie")
    saved = c.post("/api/v1/scenarios", data=text, content_type="application/yaml").json()
    again = c.get(f"/api/v1/scenarios/{saved['key']}/diff?institutions=false").json()
    assert again["changes"] == r.json()["changes"]
    bad = c.post("/api/v1/scenarios/diff", data='{"format": "frisat-scenario/1"}',
                 content_type="application/json")
    assert bad.status_code == 400
    assert {e["code"] for e in bad.json()["errors"]} == {"required"}


def _token(name: str, role: str, municipality: int | None = None) -> str:
    user = get_user_model().objects.create_user(username=name, password="en lang adgangskode")
    Profile.objects.create(user=user, role=role, municipality=municipality)
    return ApiToken.issue(user)


def test_applications_through_the_api_with_tokens() -> None:
    from frisat.accounts.permissions import Actor
    from frisat.nextround import services

    services.create_round(Actor("min", "ministry"), {
        "key": "eksempel-api", "title": "Eksempel: runde", "regime": "frikommune-2",
        "opens_on": "2000-01-01", "deadline": "2099-12-31", "example": True})
    editor = _token("red", "municipal_editor", 751)
    other = _token("red2", "municipal_editor", 461)
    ministry = _token("min", "ministry")
    c = Client()
    body = json.dumps({"round": "eksempel-api", "municipality": 751, "area": "aeldre",
                       "title": "Eksempel", "purpose": "Eksempel", "expected_results": "Eksempel",
                       "period_from": "2018-04-01", "period_to": "2019-04-01",
                       "targets": ["serviceloven § 151, stk. 2"]})
    assert c.post("/api/v1/applications", data=body,
                  content_type="application/json").status_code == 401
    forbidden = c.post("/api/v1/applications", data=body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {other}")
    assert forbidden.status_code == 403
    assert forbidden.json()["errors"][0]["code"] == "forbidden"
    made = c.post("/api/v1/applications", data=body, content_type="application/json",
                  HTTP_AUTHORIZATION=f"Bearer {editor}")
    assert made.status_code == 200, made.content
    app = made.json()
    # a draft is not public
    assert c.get(f"/api/v1/applications/{app['id']}").status_code == 404
    sub = c.post(f"/api/v1/applications/{app['id']}/submit?version={app['version']}",
                 HTTP_AUTHORIZATION=f"Bearer {editor}").json()
    assert sub["state"] == "submitted"
    assert c.get(f"/api/v1/applications/{app['id']}").status_code == 200
    decide = json.dumps({"approved": ["serviceloven § 151, stk. 2"],
                         "legal_basis": "LBK nr. 831 af 25/06/2018 § 29"})
    no = c.post(f"/api/v1/applications/{app['id']}/decide?version={sub['version']}",
                data=decide, content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {editor}")
    assert no.status_code == 403
    yes = c.post(f"/api/v1/applications/{app['id']}/decide?version={sub['version']}",
                 data=decide, content_type="application/json",
                 HTTP_AUTHORIZATION=f"Bearer {ministry}")
    assert yes.status_code == 200 and yes.json()["state"] == "approved"
    assert [e["action"] for e in yes.json()["events"]] == ["created", "submitted", "decided"]
    assert Application.objects.get(id=app["id"]).exemption == app["id"]
    listed = Client().get("/ansoegninger").content.decode()
    assert "Godkendt" in listed
    vedtaegt = json.loads(Client().get("/kommune/751/frikommunevedtaegt?date=2018-06-01"
                                       "&format=json").content)
    assert [x["id"] for x in vedtaegt["exemptions"]] == [app["id"]]
    assert vedtaegt["exemptions"][0]["state"] == "in_force"


def test_the_briefing_has_the_two_models_section() -> None:
    body = Client().get("/notat?date=2022-06-01").content.decode()
    assert "De to modeller" in body
    data = json.loads(Client().get("/notat?date=2022-06-01&format=json").content)
    models = {(r["municipality"], r["area"]): {x["model"] for x in r["regimes"]}
              for r in data["models"]}
    assert models[(561, "folkeskole")] == {"blank_sheet"}  # Esbjerg: velfærdsaftale
    assert models[(159, "folkeskole")] == {"application"}  # Gladsaxe: frikommune I and II
    assert "application" in models[(791, "aeldre")] and "blank_sheet" in models[(791, "aeldre")]


def test_a_saved_scenario_compared_with_another_by_link() -> None:
    c = Client()
    first = (EXAMPLE / "alle-98-aeldre.yaml").read_text(encoding="utf-8")
    second = ("format: frisat-scenario/1\ntitle: 'Eksempel: § 8 som hegnspæl'\n"
              "changes: [{guardrail: {regime: velfaerdsaftale-dagtilbud, "
              "citation: 'dagtilbudsloven § 8'}}]\n")
    a = c.post("/api/v1/scenarios", data=first, content_type="application/yaml").json()["key"]
    b = c.post("/api/v1/scenarios?key=eksempel-hegnspael", data=second,
               content_type="application/yaml").json()["key"]
    assert b == "eksempel-hegnspael"
    page = c.get(f"/scenarie/{a}?mod={b}")
    assert page.status_code == 200 and "Sammenlignet med scenariet" in page.content.decode()
    data = json.loads(c.get(f"/scenarie/{a}?mod={b}&format=json&institutioner=nej").content)
    assert data["against"] == "Eksempel: § 8 som hegnspæl"
    api = c.get(f"/api/v1/scenarios/{a}/diff?against={b}&institutions=false").json()
    assert api["changes"] == data["changes"]
    assert c.get(f"/scenarie/{a}?mod=findes-ikke").status_code == 404
