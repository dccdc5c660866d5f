"""The decision register in a real browser: a municipal editor drafts a decision that
targets a hegnspæl (and sees the error), fixes it, adopts and publishes it; the decision is
on the public § 6 overview and in the ministry's inbox, and the institution's rules change
from the effective date."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from conftest import axe_violations  # type: ignore[import-not-found]

PASSWORD = "en lang adgangskode til test"
ELVERHOEJEN = "frisat-217-boernehuset-elverhoejen"
DECISION = "217-2025-9500"


def add_user(server: Any, name: str, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "frisat", "users", "add", name, *args],
                          env=server.env, input=PASSWORD + "\n", capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def log_in(page: Any, name: str) -> None:
    page.goto("/forvaltning/login")
    page.get_by_label("Brugernavn").fill(name)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/forvaltning/")


def status_on(page: Any, day: str, citation: str) -> str:
    page.goto(f"/api/v1/institutions/{ELVERHOEJEN}/rules?date={day}")
    rules = json.loads(page.locator("body").inner_text())["provisions"]
    return next(p["status"] for p in rules if p["citation"] == citation)


def test_editor_drafts_fixes_adopts_and_publishes_a_decision(server: Any, browser: Any) -> None:
    add_user(server, "redaktoer-helsingoer", "--role", "municipal_editor",
             "--municipality", "217")
    add_user(server, "ministeriet-test", "--role", "ministry")
    ctx = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    citation = "dagtilbudsloven § 14, stk. 1"
    # the register does not know all of Helsingør's daycare decisions: not "applies" but
    # "unknown" until a known decision sets the provision aside
    assert status_on(page, "2025-03-15", citation) == "unknown"

    log_in(page, "redaktoer-helsingoer")
    page.get_by_role("link", name="Ny beslutning").click()
    page.get_by_label("Id", exact=True).fill(DECISION)
    page.get_by_label("Ordning (retsgrundlag)").select_option("velfaerdsaftale-dagtilbud")
    page.get_by_label("Titel").fill("Eksempel: forældrebestyrelsen efter egen model")
    page.get_by_label("Bestemmelser, der fraviges").fill("dagtilbudsloven § 23, stk. 1 | whole")
    page.get_by_label("Virkning fra").fill("2025-03-01")
    page.get_by_role("button", name="Gem kladde").click()
    page.wait_for_url(f"**/forvaltning/beslutning/{DECISION}")
    checks = page.get_by_role("status").inner_text()
    assert "hegnspæl" in checks and "guardrail" in checks  # the error, next to the targets
    assert axe_violations(page) == []

    page.get_by_label("Bestemmelser, der fraviges").fill(f"{citation} | whole")
    page.get_by_role("button", name="Gem kladde").click()
    page.wait_for_url(f"**/forvaltning/beslutning/{DECISION}")
    assert "guardrail" not in page.locator("main").inner_text()

    page.get_by_label("Mødedato").fill("2025-01-15")
    page.get_by_role("button", name="Registrér vedtagelsen").click()
    page.wait_for_url(f"**/forvaltning/beslutning/{DECISION}")
    assert "Vedtaget" in page.locator("main").inner_text()
    page.get_by_label("Offentliggjort den").fill("2025-02-01")
    # a date before today: the publication's address is the evidence (issue 14)
    page.get_by_label("Adresse på offentliggørelsen (kræves ved en tidligere dato)").fill(
        "https://kommune.example/samlet-oversigt/eksempel")
    page.get_by_role("button", name="Offentliggør").click()
    page.wait_for_url(f"**/forvaltning/beslutning/{DECISION}")
    assert "Offentliggjort" in page.locator("main").inner_text()

    page.goto("/kommune/217/oversigt")
    assert DECISION in page.locator("main").inner_text()

    # the institution's rules change from the effective date, not before
    assert status_on(page, "2025-02-15", citation) == "unknown"
    assert status_on(page, "2025-03-15", citation) == "set_aside"
    ctx.close()

    ministry = browser.new_context(base_url=server.url)
    mpage = ministry.new_page()
    log_in(mpage, "ministeriet-test")
    mpage.goto("/forvaltning/meddelelser")
    assert DECISION in mpage.locator("main").inner_text()
    ministry.close()
