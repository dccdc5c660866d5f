"""Follow-up in a real browser: the results page (charts, tables, downloads, the matched
comparison), the lessons search, the briefing and its PDF, and an axe-core check."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import axe_violations  # type: ignore[import-not-found]

RESULT = "/resultater/velfaerdsaftale-dagtilbud/normering-daginstitution-3-5"
FIRST = 180_000  # ms: the first request computes the evaluation (then it is cached)


def test_results_page_charts_tables_and_downloads(page: Any) -> None:
    page.goto("/resultater")
    page.get_by_role("link", name="Normering i daginstitutioner, 3-5 år").first.click(
        timeout=FIRST)
    page.wait_for_url(f"**{RESULT}", timeout=FIRST)
    assert page.get_by_role("heading", level=1).inner_text() == \
        "Normering i daginstitutioner, 3-5 år"
    charts = page.get_by_role("img")
    assert charts.count() >= 4  # development, event study, two synthetic twins
    assert "frisatte kommuner og sammenligning" in charts.first.get_attribute("aria-labelledby") \
        or charts.first.locator("title").count() == 1
    table = page.locator("table:has(caption:text('Tallene bag diagrammet'))")
    assert "2022" in table.inner_text() and "Helsingør" in table.inner_text()
    warnings = page.locator(".alert-warning").inner_text()
    assert "lov nr. 2594" in warnings and "ny metode" in warnings
    with page.expect_download() as dl:
        page.get_by_role("link", name="Hent diagrammet (SVG)").first.click()
    assert dl.value.suggested_filename.endswith("-udvikling.svg")
    svg = page.request.get(RESULT + "/eventstudie.svg")
    assert svg.ok and svg.text().startswith("<svg")
    page.get_by_label("Sammenlign med").select_option("matched")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url("**comparison=matched", timeout=FIRST)
    assert "25 sammenligningskommuner" in page.locator("p.lede").inner_text()


def test_lessons_search(page: Any) -> None:
    page.goto("/erfaringer")
    page.get_by_label("Søg i erfaringerne").fill("forebyggende")
    page.get_by_role("button", name="Søg", exact=True).last.click()
    page.wait_for_url("**q=forebyggende")
    page.get_by_role("link", name="forebyggende hjemmebesøg", exact=False).first.click()
    assert "§ 79 a" in page.locator("table").inner_text()


def test_briefing_and_pdf(page: Any) -> None:
    page.goto("/notat?date=2022-06-01", timeout=FIRST)
    for name in ("1. Ordninger og kommuner", "3. Hvad registret ikke ved",
                 "4. Resultater: de frisatte kommuner mod de øvrige"):
        assert page.get_by_role("heading", name=name).is_visible()
    assert "Rebild" in page.locator("main").inner_text()
    pdf = page.request.get("/notat.pdf?date=2022-06-01", timeout=FIRST)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:4] == b"%PDF"


@pytest.mark.parametrize("path", [RESULT, "/notat?date=2022-06-01", "/erfaringer",
                                  "/resultater", "/en" + RESULT])
def test_no_serious_accessibility_violations(page: Any, path: str) -> None:
    page.goto(path, timeout=FIRST)
    assert axe_violations(page) == []
