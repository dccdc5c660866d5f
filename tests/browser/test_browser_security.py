"""The Content-Security-Policy in a real browser (issue 14, finding 2) and Swagger UI without
any CDN (finding 7): Chromium loads the pages with every request outside the server refused,
and reports no policy violation."""

from __future__ import annotations

from typing import Any

import pytest

PAGES = ["/", "/kommune/217", "/kommune/217/oversigt", "/kommune/217/oversigt/indlejr",
         "/institution/341002", "/beslutninger", "/soeg?q=pasning", "/forvaltning/login",
         "/api/v1/docs"]


@pytest.fixture
def offline_page(browser: Any, server: Any) -> Any:
    context = browser.new_context(base_url=server.url)
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith(server.url) else route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.frisat_console = []  # type: ignore[attr-defined]
    page.frisat_outside = []  # type: ignore[attr-defined]
    page.on("console", lambda m: page.frisat_console.append(m.text))
    page.on("request", lambda r: None if r.url.startswith((server.url, "data:"))
            else page.frisat_outside.append(r.url))
    yield page
    context.close()


def test_no_policy_violation_and_nothing_fetched_from_elsewhere(offline_page: Any) -> None:
    for path in PAGES:
        offline_page.goto(path)
        offline_page.wait_for_load_state("networkidle")
    violations = [m for m in offline_page.frisat_console if "Content Security Policy" in m]
    assert violations == []
    assert offline_page.frisat_outside == []


def test_swagger_ui_renders_offline(offline_page: Any) -> None:
    offline_page.goto("/api/v1/docs")
    offline_page.wait_for_selector(".swagger-ui .opblock")
    assert offline_page.locator(".swagger-ui .opblock").count() >= 10
    assert "frisat API" in offline_page.inner_text(".swagger-ui .info")
