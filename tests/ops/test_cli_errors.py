"""Issue 14, finding 8: the command line never shows a traceback. An unusable ``--database``
is bad input (exit 2), an unreachable server exit 1, both with a Danish message naming the
database; a command run without FRISAT_HOME does not quietly create a second, empty register
under ~/.frisat but names the file and the setting that chose it; the Statistics Denmark
client's User-Agent is ASCII (it held "æ", like Retsinformation's, and failed before any
network call)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

FRISAT = [sys.executable, "-m", "frisat"]


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*FRISAT, *args], env=env, capture_output=True, text=True,
                          timeout=120)


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FRISAT_HOME")}
    env.update(HOME=str(home), COLUMNS="400", **extra)
    return env


def test_a_database_url_frisat_cannot_use_is_bad_input(tmp_path):
    done = run("rules", "--institution", "341002", "--database", "garbage",
               env=clean_env(tmp_path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "--database er ikke en database-URL" in done.stderr and "'garbage'" in done.stderr


def test_an_unreachable_server_is_a_clear_error(tmp_path):
    done = run("overview", "--municipality", "217", "--database",
               "postgres://eksempel:hemmeligt@127.0.0.1:1/frisat", env=clean_env(tmp_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "kan ikke nås" in done.stderr and "127.0.0.1:1/frisat" in done.stderr
    assert "hemmeligt" not in done.stderr   # the password is never shown


def test_without_frisat_home_no_second_register_is_created(tmp_path):
    done = run("rules", "--institution", "341002", env=clean_env(tmp_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    expected = tmp_path / ".frisat" / "frisat.sqlite3"
    assert str(expected) in done.stderr
    assert "FRISAT_HOME ikke er sat" in done.stderr and "frisat init" in done.stderr
    assert not (tmp_path / ".frisat").exists()


def test_a_frisat_home_without_a_database_is_named(tmp_path):
    home = tmp_path / "ingen"
    done = run("national", "--format", "json", env=clean_env(tmp_path, FRISAT_HOME=str(home)))
    assert done.returncode == 1
    assert done.stdout == ""
    assert str(home / "frisat.sqlite3") in done.stderr
    assert "miljøvariablen FRISAT_HOME" in done.stderr
    assert not home.exists()


def test_the_statbank_client_sends_an_ascii_user_agent():
    from frisat.sources import statbank

    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "BOERN8", "variables": []})

    client = statbank.Client()
    client.http = httpx.Client(transport=httpx.MockTransport(answer),
                               headers=client.http.headers)
    client.request("GET", f"{statbank.API}/tableinfo/BOERN8")
    assert statbank.USER_AGENT.isascii()
    assert seen[0].headers["User-Agent"] == statbank.USER_AGENT
