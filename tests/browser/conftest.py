"""Browser tests: Playwright drives Debian's Chromium against `frisat serve`.

One server per session, on a free port, against a fresh FRISAT_HOME made with `frisat init`
(the live_server fixture cannot be used: transactional tests flush the reference data).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("FRISAT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`frisat serve` on a fresh home, for browser tests, screenshots and benchmarks."""

    def __init__(self, workers: int = 1, bundles: tuple[Path, ...] = ()) -> None:
        self.home = tempfile.mkdtemp(prefix="frisat-browser-")
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env["FRISAT_HOME"] = self.home
        # one browser asks for many dates in a few seconds: not what the rate limit is for
        self.env["FRISAT_RATE_LIMIT"] = "100000/60"
        done = subprocess.run([sys.executable, "-m", "frisat", "init"], env=self.env,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"frisat init failed: {done.stderr}")
        for path in bundles:  # a test's own records, loaded before the server starts
            done = subprocess.run([sys.executable, "-m", "frisat", "load", str(path)],
                                  env=self.env, capture_output=True, text=True, timeout=600)
            if done.returncode != 0:
                raise RuntimeError(f"frisat load {path} failed: {done.stderr}")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "frisat", "serve", "--port", str(self.port),
             "--workers", str(workers)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.url + "/_minimal", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("frisat serve did not answer")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.home, ignore_errors=True)


def launch(playwright: Any) -> Any:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's "
                    "chromium (apt-get install chromium, or `make browser`).", pytrace=False)
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical WCAG 2.1 A/AA violations axe-core finds on the page."""
    # evaluated through the browser's debugging protocol: the pages' Content-Security-Policy
    # (rightly) refuses an injected inline <script>
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
