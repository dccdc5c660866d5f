"""Is the database's schema the one this code expects? Without starting Django.

The expected schema is the set of migrations shipped with the code (their file names, per
app); the database's is the set recorded in ``django_migrations``. A database is ready when
every shipped migration is applied. Reading file names and one table is all it takes, so
the reading commands can check it before they answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

# The apps that own migrations, by label, with the package that holds them. Kept equal to
# the installed apps with migrations (tests/registry/test_schema.py checks it).
MIGRATING_APPS = {
    "contenttypes": "django.contrib.contenttypes",
    "auth": "django.contrib.auth",
    "admin": "django.contrib.admin",
    "sessions": "django.contrib.sessions",
    "registry": "frisat.registry",
    "accounts": "frisat.accounts",
    "workflow": "frisat.workflow",
    "web": "frisat.web",
    "nextround": "frisat.nextround",
}


def _package_dir(module: str) -> Path:
    """The folder of a package, found from its top-level package without importing it."""
    import importlib.util

    top, *rest = module.split(".")
    spec = importlib.util.find_spec(top)
    assert spec is not None and spec.submodule_search_locations, module
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*rest)


def expected() -> set[tuple[str, str]]:
    """(app, migration) for every migration shipped with the code."""
    out = set()
    for label, module in MIGRATING_APPS.items():
        for f in (_package_dir(module) / "migrations").glob("[0-9]*.py"):
            out.add((label, f.stem))
    return out


def missing(applied: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The shipped migrations the database has not applied (empty: ready)."""
    return expected() - set(applied)


def fingerprint(applied: Iterable[tuple[str, str]]) -> str:
    """A short digest of a database's applied migrations."""
    import hashlib

    text = "\n".join(f"{a}.{n}" for a, n in sorted(set(applied)))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
