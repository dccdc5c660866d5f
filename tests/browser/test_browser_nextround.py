"""The next round in a real browser: build a scenario, save it, open its shared link, see
it marked as a scenario; the records and comparison pages; an axe-core check."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import axe_violations  # type: ignore[import-not-found]


def test_build_save_and_share_a_scenario(page: Any) -> None:
    page.goto("/naeste-runde")
    page.get_by_role("link", name="Scenarier (hvad nu hvis)").click()
    page.get_by_role("link", name="En bestemmelse bliver hegnspæl").click()
    assert "guardrail" in page.get_by_label("Scenariet (frisat-scenario/1, YAML eller JSON)") \
        .input_value()
    page.get_by_role("button", name="Gem og sammenlign med registret").click()
    page.wait_for_url("**/scenarie/s-*")
    assert "ikke gældende ret" in page.get_by_role("note").inner_text()
    shared = page.url
    table = page.locator("table:has(caption:text('Ændrede svar'))")
    assert "dagtilbudsloven § 8" in table.inner_text()
    assert "hegnspæl" in table.inner_text()
    other = page.context.browser.new_page(base_url=shared)
    other.goto(shared)
    assert other.get_by_role("heading", level=1).inner_text().startswith("Scenarie:")
    other.close()


def test_a_bad_scenario_comes_back_with_its_problems(page: Any) -> None:
    page.goto("/scenarie")
    page.get_by_label("Scenariet (frisat-scenario/1, YAML eller JSON)").fill(
        "format: frisat-scenario/1\ntitle: Eksempel\nchanges: [{teleport: {}}]")
    page.get_by_role("button", name="Gem og sammenlign med registret").click()
    assert "unknown_change" in page.get_by_role("alert").inner_text()


def test_records_page_names_the_networks(page: Any) -> None:
    page.goto("/frikommuner?date=2018-06-01")
    table = page.locator("table:has(caption:text('Netværk og kommuner'))")
    assert "Favrskov" in table.inner_text() and "Esbjerg" in table.inner_text()
    assert "kun 1. pkt." in page.locator("section.power").nth(1).inner_text()


@pytest.mark.parametrize("path", ["/naeste-runde", "/frikommuner", "/modeller", "/scenarie",
                                  "/ansoegninger", "/modeller/561/folkeskole",
                                  "/en/scenarie"])
def test_no_serious_accessibility_violations(page: Any, path: str) -> None:
    page.goto(path)
    assert axe_violations(page) == []
