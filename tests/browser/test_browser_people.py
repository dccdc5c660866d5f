"""The journeys of issue 11 in a real browser: a parent, a relative, a journalist; and the
reflow test at 320 CSS px (WCAG 1.4.10)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

ELVERHOEJEN = "frisat-217-boernehuset-elverhoejen"


def test_parent_finds_the_daycare_sees_what_is_different_and_the_banner(page: Any) -> None:
    page.goto("/")
    page.get_by_role("searchbox", name="Søg").fill("elverhojen")
    page.get_by_role("button", name="Søg").first.click()
    hit = page.locator("ol.search-hits li", has_text="Helsingør").filter(
        has_text="Elverhøjen").first
    hit.get_by_role("link").click()
    page.wait_for_url(f"**/institution/{ELVERHOEJEN}*")
    page.locator("summary", has_text="Vælg dato").click()
    page.get_by_label("Vis på datoen").fill("2022-06-01")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url("**date=2022-06-01*")
    first = page.locator("section.first-screen")
    different = first.locator("li.deviation")
    assert different.count() == 1
    assert "Delvis sat ud af kraft" in different.inner_text()
    assert "I stedet gælder" in different.inner_text()
    assert first.get_by_role("heading", name="Det gælder stadig for dig").is_visible()
    assert first.get_by_text("Pasningsgaranti").is_visible()
    # the first screen of a phone-sized window holds the answer, not counters
    box = page.locator("#anderledes").bounding_box()
    assert box is not None and box["y"] < 900
    # today: the experiment has ended, and the page says so with a link to its last day
    page.goto(f"/institution/{ELVERHOEJEN}")
    banner = page.locator(".banner-ended")
    assert banner.is_visible() and "de almindelige regler gælder igen" in banner.inner_text()
    banner.get_by_role("link").click()
    page.wait_for_url("**date=2025-07-30*")
    assert page.locator(".banner-ended").count() == 0
    assert page.locator("li.deviation").count() == 1


def test_relative_finds_care_home_municipality(page: Any) -> None:
    page.goto("/soeg?q=" + quote("plejehjem Middelfart"))
    assert "Ældreområdet" in page.locator(".alert-info").first.inner_text()
    page.locator("#hits-municipality + ol a").first.click()
    page.wait_for_url("**/kommune/410*")
    assert page.get_by_role("heading", level=1).inner_text() == "Middelfart Kommune"


def test_journalist_map_to_holbaek_to_decision_to_provision(page: Any) -> None:
    page.goto("/kort?date=2022-06-01")
    holbaek = page.locator('svg.frisat-map a[href^="/kommune/316"]')
    assert "folkeskole" in (holbaek.locator("title").text_content() or "")
    holbaek.click()
    page.wait_for_url("**/kommune/316?date=2022-06-01")
    page.locator("table a[href^='/beslutning/316-2021-002']").first.click()
    page.wait_for_url("**/beslutning/316-2021-002*")
    target = page.locator("h2:has-text('Bestemmelser sat ud af kraft') + ul a").first
    name = target.inner_text()
    target.click()
    page.wait_for_url("**/bestemmelse/folkeskoleloven/*")
    assert page.get_by_role("heading", level=1).inner_text() == name


@pytest.mark.parametrize("path", [
    "/?date=2022-06-01", "/kort?date=2022-06-01", "/kommune/217?date=2022-06-01",
    "/kommune/217/oversigt?date=2022-06-01", f"/institution/{ELVERHOEJEN}?date=2022-06-01",
    "/institution/341002?date=2022-06-01&compare=2021-01-01",
    "/bestemmelse/dagtilbudsloven/" + quote("§ 8, stk. 4") + "?date=2022-06-01",
    "/beslutning/217-2022-001", "/beslutninger", "/soeg?q=" + quote("børnehave helsingør"),
    "/en/institution/341002", "/findes/ikke",
    f"/institution/{ELVERHOEJEN}/regler?date=2022-06-01", "/en/institution/341002/regler",
])
def test_no_sideways_scroll_at_320_px(browser: Any, server: Any, path: str) -> None:
    ctx = browser.new_context(base_url=server.url, viewport={"width": 320, "height": 800})
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    page.goto(path)
    for d in page.locator("details").all():  # open what folds, so its content is measured
        d.evaluate("el => el.open = true")
    wide = page.evaluate("document.documentElement.scrollWidth")
    ctx.close()
    assert wide <= 320, (path, wide)
