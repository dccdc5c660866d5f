"""The portal in a real browser: the main flow, search, the national view, English,
keyboard-only use and an axe-core accessibility check."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest

from conftest import axe_violations  # type: ignore[import-not-found]

ELVERHOEJEN = "frisat-217-boernehuset-elverhoejen"


def count(page: Any, status: str) -> int:
    """The number in the summary box of a status (set_aside, applies …)."""
    cls = {"set_aside": "st-aside", "partially_set_aside": "st-partly",
           "applies": "st-applies", "not_in_force": "st-off"}[status]
    box = page.locator(f"ul.counts li:has(span.{cls})")
    return int(box.locator("strong").inner_text())


def test_find_an_institution_see_why_change_date_and_compare(page: Any) -> None:
    page.goto("/")
    page.get_by_role("searchbox", name="Søg").fill("Elverhøjen")
    page.get_by_role("button", name="Søg").first.click()
    page.get_by_role("link", name="Børnehuset Elverhøjen", exact=True).click()
    page.wait_for_url(f"**/institution/{ELVERHOEJEN}*")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Børnehuset Elverhøjen")
    assert page.get_by_role("heading", name="Det gælder stadig for dig").is_visible()

    page.locator("summary", has_text="Vælg dato").click()  # the date controls fold away
    page.get_by_label("Vis på datoen").fill("2022-03-01")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url("**date=2022-03-01*")
    assert count(page, "partially_set_aside") > 0
    # every rule on its own page, on the same date
    page.get_by_role("link", name=re.compile(r"^Se alle \d+ regler$")).click()
    page.wait_for_url(f"**/institution/{ELVERHOEJEN}/regler?date=2022-03-01")
    assert page.get_by_role("heading", level=1).inner_text() == \
        "Alle regler for Børnehuset Elverhøjen"
    # open the "because" of the partly set-aside rules: the decision and who made it
    act = page.locator("section", has=page.locator("ul.rule-list span.st-partly")).first
    why = act.locator("details.why", has=page.locator("summary span.st-partly")).first
    why.locator("summary").click()
    text = why.locator("ul.because").inner_text()
    assert "Helsingør Kommune" in text
    assert why.get_by_role("link", name="Se beslutningen").first.is_visible()
    page.go_back()
    page.wait_for_url(f"**/institution/{ELVERHOEJEN}?date=2022-03-01*")

    # before the agreement every rule applies
    page.get_by_label("Vis på datoen").fill("2021-01-01")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url("**date=2021-01-01*")
    assert count(page, "set_aside") == 0 and count(page, "partially_set_aside") == 0
    assert count(page, "applies") > 100

    # compare the two dates
    page.get_by_label("Vis på datoen").fill("2022-03-01")
    page.get_by_label("Sammenlign med datoen (valgfri)").fill("2021-01-01")
    page.get_by_role("button", name="Vis", exact=True).click()
    heading = page.get_by_role("heading", name="Hvad er ændret siden 1. januar 2021")
    assert heading.is_visible()
    assert "Delvis sat ud af kraft" in page.locator("#aendringer + div table").inner_text()


def test_search_by_citation(page: Any) -> None:
    page.goto("/soeg?q=" + quote("dagtilbudsloven §8 stk 4"))
    first = page.locator("ol.rule-list > li a").first
    assert first.inner_text() == "dagtilbudsloven § 8, stk. 4"
    first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "dagtilbudsloven § 8, stk. 4"
    assert page.get_by_role("heading", name="Status under hver ordning").is_visible()


def test_national_view_2022_shows_the_seven_in_their_areas(page: Any) -> None:
    page.goto("/?date=2022-01-01")
    table = page.locator("table:has(caption:text('Antal frisatte kommuner pr. område'))")
    rows = {r.locator("th").inner_text(): r.locator("td").nth(1).inner_text()
            for r in table.locator("tbody tr").all()}

    def names(area: str, regime: str) -> set[str]:
        line = next(x for x in rows[area].splitlines() if x.startswith(regime))
        return set(line.split(": ", 1)[1].split(", "))

    assert names("Dagtilbud", "Velfærdsaftale") == {"Helsingør", "Rebild"}
    assert names("Folkeskole", "Velfærdsaftale") == {"Esbjerg", "Holbæk"}
    assert names("Ældreområdet", "Velfærdsaftale") == {"Langeland", "Middelfart", "Viborg"}
    page.get_by_role("link", name="De 98 kommuner på et kort").click()
    page.wait_for_url("**/kort?date=2022-01-01")
    assert page.locator("svg.frisat-map a").count() == 98


def test_english_switch(page: Any) -> None:
    page.goto("/kommune/217?date=2022-03-01")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/kommune/217?date=2022-03-01")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Decisions", exact=True).is_visible()
    page.get_by_role("link", name="Dansk").click()
    assert page.locator("html").get_attribute("lang") == "da"


def test_keyboard_only_main_flow(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Gå til sidens indhold"
    page.keyboard.press("Tab")  # the site title, then the search field
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "site-q"
    page.keyboard.type("Jyderup")
    page.keyboard.press("Enter")
    page.wait_for_url("**/soeg?q=Jyderup")
    # tab to the first result and follow it
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Jyderup Skole":
            break
    # a visible focus indicator on the focused link
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**/institution/341002")
    # follow "Se alle N regler" and open a chapter from the keyboard
    page.get_by_role("link", name=re.compile(r"^Se alle \d+ regler$")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/institution/341002/regler")
    summary = page.locator("#regler ~ section details > summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert summary.locator("xpath=..").get_attribute("open") is not None


@pytest.mark.parametrize("path", [
    "/", "/?date=2022-01-01", "/kommune/217", "/kommune/217/oversigt",
    f"/institution/{ELVERHOEJEN}?date=2022-03-01&compare=2021-01-01",
    "/bestemmelse/dagtilbudsloven/" + quote("§ 8, stk. 4"), "/beslutning/217-2022-001",
    "/soeg?q=skole", "/soeg?q=", "/en/", "/data", "/institution/findes-ikke",
    "/kort?date=2022-06-01", "/en/kort", f"/institution/{ELVERHOEJEN}?date=2026-01-15",
    "/soeg?q=" + quote("børnehave helsingør"), "/findes/ikke", "/institution/341002",
    f"/institution/{ELVERHOEJEN}/regler?date=2022-03-01", "/en/institution/341002/regler",
])
def test_no_serious_accessibility_violations(page: Any, path: str) -> None:
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404
            and "/static/" in r.url else None)
    page.goto(path)
    assert axe_violations(page) == []
    assert missing == []  # every stylesheet, font and icon the page uses is shipped
