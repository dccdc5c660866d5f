"""The register an operations test works on, and how commands are run against it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FRISAT = [sys.executable, "-m", "frisat"]
SUITE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SUITE_URL.startswith(("postgres://", "postgresql://"))


@dataclass
class Register:
    """A register for one test: its environment, and how to run commands against it."""

    home: Path
    url: str | None = None          # PostgreSQL URL, None for the SQLite file under home
    env: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "postgresql" if self.url else "sqlite"

    @property
    def sqlite(self) -> Path:
        return self.home / "frisat.sqlite3"

    def run(self, *args: str, input: str | None = None, timeout: float = 300,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*FRISAT, *args], env={**self.env, **(env or {})}, input=input,
                              capture_output=True, text=True, timeout=timeout)

    def popen(self, *args: str, env: dict[str, str] | None = None,
              **kwargs: Any) -> subprocess.Popen[str]:
        return subprocess.Popen([*FRISAT, *args], env={**self.env, **(env or {})}, text=True,
                                **kwargs)


def base_env(home: Path, url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FRISAT_HOME")}
    env["FRISAT_HOME"] = str(home)
    env["FRISAT_SECRET_KEY"] = "tests-ops-not-secret"
    env["COLUMNS"] = "400"   # messages on one line each, as the tests read them
    if url:
        env["DATABASE_URL"] = url
    return env


