"""Take the portal screenshots in docs/screenshots/ with the browser tests' Chromium.

    .venv/bin/python tests/browser/screenshots.py [NAME.png ...]

With names, only those screenshots are taken again.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))

from conftest import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SHOTS = [
    ("forside.png", "/?date=2022-01-01", 1280, 1500),
    ("kommune-helsingoer.png", "/kommune/217?date=2022-03-01", 1280, 1500),
    ("institution-elverhoejen.png",
     "/institution/frisat-217-boernehuset-elverhoejen?date=2022-03-01&compare=2021-01-01",
     1280, 1700),
    ("bestemmelse-dagtilbudsloven-8-4.png",
     "/bestemmelse/dagtilbudsloven/" + quote("§ 8, stk. 4") + "?date=2022-03-01", 1280, 1500),
    ("institution-elverhoejen-mobil.png",
     "/institution/frisat-217-boernehuset-elverhoejen?date=2022-03-01", 390, 1400),
    ("oversigt-helsingoer.png", "/kommune/217/oversigt?date=2022-03-01", 1280, 1400),
    ("resultat-normering-3-5.png",
     "/resultater/velfaerdsaftale-dagtilbud/normering-daginstitution-3-5", 1280, 3400),
    ("resultat-normering-3-5-mobil.png",
     "/resultater/velfaerdsaftale-dagtilbud/normering-daginstitution-3-5", 390, 2400),
    ("notat-2022-06-01.png", "/notat?date=2022-06-01", 1280, 2600),
    ("erfaringer.png", "/erfaringer", 1280, 1600),
    # issue 11: every page type at 1280 and 390 CSS px
    ("institution-elverhoejen-2022-06-01.png",
     "/institution/frisat-217-boernehuset-elverhoejen?date=2022-06-01", 1280, 1800),
    ("institution-elverhoejen-2022-06-01-mobil.png",
     "/institution/frisat-217-boernehuset-elverhoejen?date=2022-06-01", 390, 2400),
    ("institution-elverhoejen-efter-forsoeget.png",
     "/institution/frisat-217-boernehuset-elverhoejen?date=2026-01-15", 1280, 1200),
    ("institution-jyderup-mobil.png", "/institution/341002?date=2022-06-01", 390, 2400),
    ("kort-2022-06-01.png", "/kort?date=2022-06-01", 1280, 1900),
    ("kort-2022-06-01-mobil.png", "/kort?date=2022-06-01", 390, 2000),
    ("soeg-boernehave-helsingoer.png", "/soeg?q=" + quote("børnehave helsingør"), 1280, 1200),
    ("soeg-plejehjem-middelfart-mobil.png", "/soeg?q=" + quote("plejehjem Middelfart"),
     390, 1600),
    ("forside-mobil.png", "/?date=2022-01-01", 390, 1800),
    ("kommune-helsingoer-mobil.png", "/kommune/217?date=2022-03-01", 390, 2000),
    ("bestemmelse-dagtilbudsloven-8-4-mobil.png",
     "/bestemmelse/dagtilbudsloven/" + quote("§ 8, stk. 4") + "?date=2022-03-01", 390, 1600),
    ("beslutning-217-2022-001.png", "/beslutning/217-2022-001", 1280, 1300),
    ("beslutning-217-2022-001-mobil.png", "/beslutning/217-2022-001", 390, 1800),
    ("fejl-404.png", "/findes/ikke", 1280, 800),
    ("fejl-404-mobil.png", "/findes/ikke", 390, 900),
    ("institution-elverhoejen-en.png",
     "/en/institution/frisat-217-boernehuset-elverhoejen?date=2022-06-01", 1280, 1800),
    ("institution-elverhoejen-regler.png",
     "/institution/frisat-217-boernehuset-elverhoejen/regler?date=2022-06-01", 1280, 1800),
    ("institution-elverhoejen-regler-mobil.png",
     "/institution/frisat-217-boernehuset-elverhoejen/regler?date=2022-06-01", 390, 2400),
]


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    server = Server()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            wanted = set(sys.argv[1:])
            for name, path, width, height in SHOTS:
                if wanted and name not in wanted:
                    continue
                ctx = browser.new_context(viewport={"width": width, "height": height},
                                          base_url=server.url, locale="da-DK")
                page = ctx.new_page()
                page.goto(path, timeout=180_000)  # a first evaluation is computed
                page.screenshot(path=str(OUT / name))
                ctx.close()
                print(OUT / name)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
