"""The public portal: every page in HTML, JSON and CSV, in Danish and English, and its errors."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ELVERHOEJEN = "frisat-217-boernehuset-elverhoejen"
PAGES = [
    "/",
    "/kommune/217",
    "/kommune/217/oversigt",
    f"/institution/{ELVERHOEJEN}",
    "/institution/341002",
    f"/institution/{ELVERHOEJEN}/regler",
    "/bestemmelse/dagtilbudsloven/" + quote("§ 8, stk. 4"),
    "/bestemmelse/folkeskoleloven",
    "/beslutning/217-2022-001",
    "/beslutninger",
]


@pytest.fixture
def client() -> Client:
    return Client()


def html(client: Client, url: str, status: int = 200, **params: str) -> str:
    r = client.get(url, params)
    assert r.status_code == status, (url, r.status_code)
    return r.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_every_page_in_three_formats_and_two_languages(client, url):
    page = html(client, url, date="2022-03-01")
    assert '<html lang="da">' in page
    assert 'href="#main-content"' in page and 'id="main-content"' in page
    en = html(client, "/en" + url, date="2022-03-01")
    assert '<html lang="en">' in en and 'hreflang="da"' in en
    r = client.get(url, {"date": "2022-03-01", "format": "json"})
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    assert r.json()
    r = client.get(url, {"date": "2022-03-01", "format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows and all(len(row) == len(rows[0]) for row in rows)


def test_national_view_on_2022_01_01_shows_the_seven_in_their_areas(client):
    data = client.get("/", {"date": "2022-01-01", "format": "json"}).json()
    by_area = {a["area"]: {m["name"] for m in a["municipalities"]} for a in data["by_area"]}
    assert {"Helsingør", "Rebild"} <= by_area["dagtilbud"]
    assert {"Esbjerg", "Holbæk"} <= by_area["folkeskole"]
    assert {"Viborg", "Middelfart", "Langeland"} <= by_area["aeldre"]
    assert len(data["municipalities"]) == 98
    events = {(t["regime"], t["event"]) for t in data["timeline"]}
    assert ("velfaerdsaftale-dagtilbud", "start") in events
    assert ("velfaerdsaftale-dagtilbud", "extended") in events  # lov 410/2024
    page = html(client, "/", date="2022-01-01")
    assert "Helsingør" in page and "Langeland" in page and "De 98 kommuner" in page
    # every chart has its numbers beside it as a table
    assert page.count("<table") >= 3


def test_national_csv_lists_all_98(client):
    r = client.get("/", {"date": "2022-01-01", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert len(rows) == 98
    helsingor = next(x for x in rows if x["municipality"] == "217")
    assert helsingor["freed_areas"] == "dagtilbud"


def test_municipality_page(client):
    data = client.get("/kommune/217", {"date": "2022-03-01", "format": "json"}).json()
    assert data["municipality"]["name"] == "Helsingør"
    assert {c["regime"] for c in data["coverage"]} >= {"velfaerdsaftale-dagtilbud"}
    assert {d["id"] for d in data["decisions"]} == {"217-2021-001", "217-2022-001"}
    assert any(r["state"] == "kept" for r in data["municipal_rules"])
    assert ELVERHOEJEN in {i["id"] for i in data["institutions"]}
    viborg = client.get("/kommune/791", {"date": "2022-03-01", "format": "json"}).json()
    removed = [r for r in viborg["municipal_rules"] if r["state"] == "removed"]
    assert removed and removed[0]["removed_from"] == "2021-09-01"


def test_overview_lists_every_published_decision_with_unknown_dates_visible(client):
    page = html(client, "/kommune/217/oversigt", date="2022-03-01")
    assert "217-2021-001" in page and "217-2022-001" in page
    assert "ukendt" in page  # published_on is not known for the real decisions
    assert "@media print" in open_static("frisat/portal.css")
    assert "oversigt/indlejr" in page and "&lt;iframe" in page
    en = html(client, "/en/kommune/217/oversigt", date="2022-03-01")
    assert "unknown" in en
    data = client.get("/kommune/217/oversigt", {"format": "json"}).json()
    assert all(d["state"] in ("in_force", "future", "ended", "revoked")
               for d in data["decisions"])


def open_static(name: str) -> str:
    from pathlib import Path

    import frisat.web

    return (Path(frisat.web.__file__).parent / "static" / name).read_text()


def test_overview_atom_feed_and_national_feed(client):
    for url in ("/kommune/217/oversigt", "/beslutninger"):
        r = client.get(url, {"format": "atom"})
        assert r.status_code == 200 and "atom" in r["Content-Type"]
        root = ET.fromstring(r.content)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        ids = [e.find("a:id", ns).text for e in root.findall("a:entry", ns)]
        assert "frisat:217-2022-001" in ids
    r = client.get("/kommune/217", {"format": "atom"})
    assert r.status_code == 400


def test_embed_can_be_framed(client):
    r = client.get("/kommune/217/oversigt/indlejr")
    assert r.status_code == 200
    assert "X-Frame-Options" not in r
    assert client.get("/kommune/217/oversigt").get("X-Frame-Options") == "DENY"


def test_institution_rules_grouped_with_reasons_rights_and_complaints(client):
    page = html(client, f"/institution/{ELVERHOEJEN}", date="2022-03-01")
    assert "Børnehuset Elverhøjen" in page
    assert "Det gælder stadig for dig" in page and "Alle hegnspæle" in page
    assert "Delvis sat ud af kraft" in page
    assert "§ 7" in page and "kan ikke indbringes" in page  # no appeal of the decisions
    rules = html(client, f"/institution/{ELVERHOEJEN}/regler", date="2022-03-01")
    assert "Hvorfor?" in rules and "Delvis sat ud af kraft" in rules
    data = client.get(f"/institution/{ELVERHOEJEN}",
                      {"date": "2022-03-01", "format": "json"}).json()
    partly = [p for p in data["provisions"] if p["status"] == "partially_set_aside"]
    assert partly and partly[0]["because"][0]["decision"] == "217-2022-001"
    assert data["counts"]["partially_set_aside"] == len(partly)


def test_the_full_rule_list_is_a_page_of_its_own(client):
    """The first page links to every rule ("Se alle N regler") where the list stood; the
    list keeps the chosen time axes, both languages and the data of the first page."""
    known = quote("2026-11-30T12:00:00+01:00")
    first = html(client, "/institution/341002", date="2022-03-01",
                 known_at="2026-11-30T12:00:00+01:00")
    data = client.get("/institution/341002", {"date": "2022-03-01", "format": "json",
                                              "known_at": "2026-11-30T12:00:00+01:00"}).json()
    n = len(data["provisions"])
    link = f'<a href="/institution/341002/regler?date=2022-03-01&amp;known_at={known}">' \
        f'Se alle {n} regler</a>'
    assert link in first
    assert first.index('id="overblik"') < first.index('id="regler"') < first.index(link)
    assert 'class="rule-list"' not in first and "Hvorfor?" not in first
    rules = html(client, "/institution/341002/regler", date="2022-03-01")
    assert "<h1>Alle regler for Jyderup Skole</h1>" in rules
    assert rules.count('class="rule-list"') > 10 and 'id="overblik"' in rules
    assert 'href="/institution/341002?date=2022-03-01"' in rules  # back to the first page
    assert '/bestemmelse/folkeskoleloven/%C2%A7%201%2C%20stk.%201?date=2022-03-01"' in rules
    en = html(client, "/en/institution/341002/regler", date="2022-03-01")
    assert "<h1>All rules for Jyderup Skole</h1>" in en and "Why?" in en
    assert f"See all {n} rules" in html(client, "/en/institution/341002", date="2022-03-01",
                                        known_at="2026-11-30T12:00:00+01:00")
    same = client.get("/institution/341002/regler", {"date": "2022-03-01", "format": "json",
                                                      "known_at": "2026-11-30T12:00:00+01:00"}
                      ).json()
    assert same["provisions"] == data["provisions"] and same["counts"] == data["counts"]
    assert client.get("/institution/findes-ikke/regler").status_code == 404


def test_before_the_agreement_everything_applies(client):
    data = client.get("/institution/341002", {"date": "2021-01-01", "format": "json"}).json()
    assert data["counts"]["set_aside"] == 0 and data["counts"]["partially_set_aside"] == 0
    assert data["counts"]["applies"] > 100


def test_compare_two_dates(client):
    data = client.get("/institution/341002", {"date": "2022-03-01", "compare": "2021-01-01",
                                              "format": "json"}).json()
    assert data["compare"] == "2021-01-01"
    changed = {c["citation"]: c for c in data["changes"]}
    c = changed["folkeskoleloven § 14 b, stk. 1, nr. 1"]
    assert (c["from"], c["to"]) == ("applies", "set_aside")
    assert "folkeskoleloven § 1, stk. 1" not in changed  # a guardrail: applies on both dates
    page = html(client, "/institution/341002", date="2022-03-01", compare="2021-01-01")
    assert "Hvad er ændret siden" in page


def test_provision_page(client):
    url = "/bestemmelse/dagtilbudsloven/" + quote("§ 8, stk. 4")
    data = client.get(url, {"date": "2022-03-01", "format": "json"}).json()
    assert data["citation"] == "dagtilbudsloven § 8, stk. 4"
    assert any(r["regime"] == "velfaerdsaftale-dagtilbud" for r in data["regimes"])
    assert any(x["institution"] == ELVERHOEJEN and x["since"] == "2022-02-01"
               for x in data["set_aside"])
    # the usual citation variants reach the same page
    assert client.get("/bestemmelse/dagtilbudsloven/§8 stk 4",
                      {"format": "json"}).json()["citation"] == data["citation"]
    page = html(client, url)
    assert ("Intet resumé" in page) != bool(data["summary"])


def test_guardrail_provision_says_so(client):
    data = client.get("/bestemmelse/dagtilbudsloven/" + quote("§ 23, stk. 1"),
                      {"format": "json"}).json()
    marks = {r["regime"]: r["mark"] for r in data["regimes"]}
    assert marks["velfaerdsaftale-dagtilbud"] == "guardrail"


def test_decision_page_and_known_at(client):
    data = client.get("/beslutning/217-2022-001", {"date": "2022-03-01",
                                                    "format": "json"}).json()
    assert data["state"] == "in_force" and data["published_on"] is None
    page = html(client, "/beslutning/217-2022-001")
    assert "ukendt" in page
    # before it was recorded, the register did not know it
    html(client, "/beslutning/217-2022-001", status=404, known_at="2000-01-01T00:00:00+01:00")


def test_search_by_name_citation_and_folded_letters(client):
    def hits(q: str) -> list[dict]:
        r = client.get("/soeg", {"q": q, "format": "json"})
        assert r.status_code == 200
        return r.json()["results"]

    assert any(h["key"] == ELVERHOEJEN for h in hits("Elverhøjen"))
    assert any(h["key"] == ELVERHOEJEN for h in hits("elverhoejen"))
    assert hits("Jyderup")[0]["key"] == "341002"
    assert any(h["key"] == "561024" for h in hits("kvaglund"))
    assert any(h["kind"] == "municipality" and h["key"] == "217" for h in hits("helsingoer"))
    first = hits("dagtilbudsloven §8 stk 4")[0]
    assert first["key"] == "dagtilbudsloven § 8, stk. 4"
    assert any(h["key"] == "dagtilbudsloven § 8, stk. 4" for h in hits("§8 stk. 4"))
    # stemming: a plural finds the singular
    assert any(h["kind"] == "decision" for h in hits("læreplanerne"))
    assert hits("zzzxqy") == []


def test_search_empty_query_is_a_labelled_error(client):
    r = client.get("/soeg", {"q": ""})
    assert r.status_code == 400
    page = r.content.decode()
    assert 'aria-invalid="true"' in page and "alert-error" in page
    assert client.get("/soeg").status_code == 200


@pytest.mark.parametrize("url", ["/", "/kommune/217", "/institution/341002", "/soeg"])
def test_bad_date_is_a_400_page_naming_the_field(client, url):
    r = client.get(url, {"date": "i går", "q": "x"})
    assert r.status_code == 400
    page = r.content.decode()
    # the field in words on the page; its key and the error code only in JSON
    assert "<strong>Dato</strong>" in page and "Forventede en dato" in page
    assert "(invalid)" not in page
    j = client.get(url, {"date": "i går", "format": "json", "q": "x"}).json()
    assert j["errors"][0]["path"] == "date" and j["errors"][0]["code"] == "invalid"
    r = client.get(url, {"known_at": "snart", "format": "json", "q": "x"})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == "known_at"


def test_bad_compare_and_format(client):
    r = client.get("/institution/341002", {"compare": "igår"})
    assert r.status_code == 400 and "compare" in r.content.decode()
    r = client.get("/", {"format": "xml"})
    assert r.status_code == 400 and "format" in r.content.decode()


@pytest.mark.parametrize("url", ["/kommune/999", "/kommune/abc", "/institution/findes-ikke",
                                 "/bestemmelse/findesikke", "/bestemmelse/dagtilbudsloven/§ 999",
                                 "/beslutning/findes-ikke", "/en/institution/findes-ikke",
                                 "/institution/findes-ikke/regler",
                                 "/kommune/999/oversigt"])
def test_unknown_ids_are_404(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert "Siden findes ikke" in r.content.decode() or "Not found" in r.content.decode()
    assert client.get(url, {"format": "json"}).json()["errors"][0]["code"] == "not_found"


def test_links_keep_the_chosen_date(client):
    page = html(client, "/kommune/217", date="2022-03-01")
    assert f'/institution/{ELVERHOEJEN}?date=2022-03-01"' in page


def test_language_switch_keeps_path_and_query(client):
    page = html(client, "/kommune/217", date="2022-03-01")
    assert 'href="/en/kommune/217?date=2022-03-01"' in page
    en = html(client, "/en/kommune/217", date="2022-03-01")
    assert 'href="/kommune/217?date=2022-03-01"' in en


def test_bulk_download_is_a_bundle(client):
    r = client.get("/data/frisat-register.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["format"] == "frisat-bundle/1"
    assert {d["id"] for d in doc["decisions"]} >= {"217-2021-001", "561-2021-001"}
    assert "frisat-register.json" in html(client, "/data")


def test_minimal_page(client):
    assert client.get("/_minimal").content == b"ok"


@pytest.mark.parametrize("url", ["/institution/341002", f"/en/institution/{ELVERHOEJEN}",
                                 "/kort", "/en/kort"])
def test_a_page_kept_for_a_stretch_is_the_page_rendered_afresh(client, url):
    """The institution and map pages are kept once per stretch with placeholders for the
    date, time axes, title and addresses: a second date of the stretch gets the same bytes
    as a page rendered afresh for it."""
    from frisat.web.cache import cache
    from frisat.web.state import current_known_at, snapshot

    def fresh() -> None:
        cache._items.clear()
        snapshot(current_known_at())._memo.clear()

    fresh()
    def kept() -> int:
        return sum(1 for k in snapshot(current_known_at())._memo
                   if isinstance(k, tuple) and k[0] == "page-html")

    first = html(client, url, date="2022-03-01")
    assert kept() == 1
    second = html(client, url, date="2022-03-02", other="x")
    assert kept() == 1  # the same stretch: the kept page answered
    fresh()
    assert html(client, url, date="2022-03-02", other="x") == second != first
    assert "\x00" not in second and "2022-03-02" in second
    assert ("2 March 2022" if url.startswith("/en") else "2. marts 2022") in second
    assert "other=x&amp;format=json" in second  # this request's own addresses
