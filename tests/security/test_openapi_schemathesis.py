"""The API against its own OpenAPI document, with generated requests (issue 14: "Schemathesis
run in CI against the OpenAPI document, stateless, with and without a token: 0 server
errors, 0 undocumented responses").

Schemathesis (pinned in pyproject.toml) reads /api/v1/openapi.json from the WSGI application
in this process and generates requests for every operation — data that fits the document
and data that does not — without a token, and with a municipal editor's token. Every answer
must be no 5xx, a status code the document lists, a content type it lists, and a body that
fits the documented schema (the one error shape included). The run is derandomised and
bounded (``EXAMPLES`` per operation and mode), so it is the same on every machine.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

EXAMPLES = 10  # per operation and generation mode: 10 operations × 2 modes × 2 clients
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def app(settings):  # type: ignore[no-untyped-def]
    """The WSGI application on the test database: generated dates are not rate-limited, and
    connections are not closed between requests (as Django's own test client arranges)."""
    from frisat.web.wsgi import application

    settings.FRISAT_RATE_LIMIT = (10**6, 60)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def run(app: Any, headers: dict[str, str]) -> tuple[Counter[str], list[str]]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    statuses: Counter[str] = Counter()
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10  # the register's questions, bundles, and the follow-up
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def probe(case: Any) -> None:
                # the in-process WSGI client does not undo gzip; a real client does
                response = case.call(headers={"Accept-Encoding": "identity", **headers})
                statuses[f"{response.status_code}"] += 1
                try:
                    case.validate_response(response, checks=CHECKS)
                except BaseException as e:  # every failed check is collected
                    failures.append(f"{case.method} {case.formatted_path} "
                                    f"{response.status_code}: {str(e)[:300]}")

            probe()
    return statuses, failures


def test_without_a_token(app):
    statuses, failures = run(app, {})
    print("\nschemathesis, no token:", sum(statuses.values()), "cases", dict(statuses))
    assert failures == []
    assert sum(statuses.values()) >= 150
    assert not [s for s in statuses if s.startswith("5")]
    assert statuses["401"] > 0 and statuses["200"] > 0


def test_with_an_editors_token(app, token):
    statuses, failures = run(app, {"Authorization": f"Bearer {token['editor']}"})
    print("\nschemathesis, editor's token:", sum(statuses.values()), "cases", dict(statuses))
    assert failures == []
    assert sum(statuses.values()) >= 150
    assert not [s for s in statuses if s.startswith("5")]
    assert statuses["200"] > 0 and statuses["401"] < statuses["200"]
