"""The README's first command in miniature: init a fresh home, serve it, fetch pages."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

FRISAT = [sys.executable, "-m", "frisat"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_init_and_serve_on_a_fresh_sqlite_home(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env["FRISAT_HOME"] = str(tmp_path)
    done = subprocess.run([*FRISAT, "init"], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "frisat.sqlite3").exists()
    port = free_port()
    server = subprocess.Popen([*FRISAT, "serve", "--port", str(port), "--workers", "1"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/?date=2022-01-01",
                                            timeout=5) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "Helsingør" in body and "De 98 kommuner" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/national?date=2022-01-01",
                                    timeout=10) as r:
            assert b'"freed_municipalities"' in r.read()
    finally:
        server.terminate()
        server.wait(timeout=20)
