"""Shared fixtures: a test database with the shipped reference data loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
LAWTEXTS = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "lawtexts"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Migrate, then load the shipped reference data once for the whole session."""
    from frisat.followup.shipped import load_shipped
    from frisat.registry.reference import load_reference

    with django_db_blocker.unblock():
        load_reference()
        load_shipped()  # indicator panels and lessons (frisat.followup)


@pytest.fixture
def example_bundle():  # type: ignore[no-untyped-def]
    from frisat.registry.bundle import read_document

    return read_document(FIXTURES / "example-world.yaml")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():  # type: ignore[no-untyped-def]
    """Each test starts with no requests counted against the rate limit (web/throttle.py)."""
    from django.core.cache import cache

    cache.clear()
    yield
