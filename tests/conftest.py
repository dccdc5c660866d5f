"""Shared fixtures: a test database with the shipped reference data loaded once; the
Hypothesis profiles; a fast password hasher for tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles, chosen by HYPOTHESIS_PROFILE (default ``ci``):
# - ci: derandomised, the same examples on every run (what `make test` and CI run);
# - dev: random examples, as many as ci (explore while working);
# - deep: 5,000 random examples (`make deep`); a failure prints the blob to reproduce it;
# - mutation: derandomised and few, for `make mutation`, which runs the tests once per mutant.
_SLOW_WORLDS = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("ci", derandomize=True, database=None, max_examples=300,
                          deadline=None, suppress_health_check=_SLOW_WORLDS, print_blob=True)
settings.register_profile("dev", max_examples=300, deadline=None,
                          suppress_health_check=_SLOW_WORLDS, print_blob=True)
settings.register_profile("deep", max_examples=5000, deadline=None,
                          suppress_health_check=_SLOW_WORLDS, print_blob=True)
settings.register_profile("mutation", derandomize=True, database=None, max_examples=15,
                          deadline=None, suppress_health_check=_SLOW_WORLDS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():  # type: ignore[no-untyped-def]
    """MD5 instead of Argon2 while testing: hashing a password is then instant, not ~1 s
    per user. Production settings are unchanged; `frisat serve` in the browser tests runs
    in its own process with them."""
    from django.test import override_settings

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    fast.enable()
    yield
    fast.disable()


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
