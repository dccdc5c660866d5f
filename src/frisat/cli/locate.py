"""Which database a command will use, which setting chose it, and how to say so.

The same choice as ``web.settings.database_url`` (``--database``, else ``DATABASE_URL``,
else the SQLite file under ``FRISAT_HOME``, else under ``~/.frisat``), made without
creating anything, so that an error can name the file and the setting.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

SCHEMES = {"sqlite": "SQLite", "postgres": "PostgreSQL", "postgresql": "PostgreSQL",
           "pgsql": "PostgreSQL"}


@dataclass(frozen=True)
class Where:
    url: str
    setting: str             # the words for the setting that chose the database
    path: Path | None        # the SQLite file, when the database is one
    problem: str = ""        # why the URL cannot be used at all

    @property
    def described(self) -> str:
        shown = str(self.path) if self.path is not None else _without_password(self.url)
        return f"{shown} (valgt af {self.setting})"

    def missing(self) -> str:
        return (f"Der er ingen database i {self.path} (valgt af {self.setting}). Kør først: "
                "frisat init — eller peg på registret med FRISAT_HOME eller --database.")


def where(database: str | None) -> Where:
    url = database or os.environ.get("DATABASE_URL")
    if url:
        setting = "--database" if database else "miljøvariablen DATABASE_URL"
        return Where(url, setting, _sqlite_path(url), _problem(url, setting))
    home_set = os.environ.get("FRISAT_HOME")
    home = Path(home_set or Path.home() / ".frisat").expanduser()
    setting = "miljøvariablen FRISAT_HOME" if home_set else \
        "standardstedet ~/.frisat, da FRISAT_HOME ikke er sat"
    path = home / "frisat.sqlite3"
    return Where(f"sqlite:///{path}", setting, path)


def _problem(url: str, setting: str) -> str:
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    if scheme not in SCHEMES:
        return (f"{setting} er ikke en database-URL frisat kan bruge: {url!r}. Brug fx "
                "postgres://bruger@vært:5432/navn eller sqlite:////sti/til/frisat.sqlite3")
    return ""


def _sqlite_path(url: str) -> Path | None:
    if not url.lower().startswith("sqlite://"):
        return None
    rest = url[len("sqlite://"):]
    return Path(rest[1:]) if rest.startswith("/") and rest[1:] else None


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url
