"""Issue 14, finding 7: there were no size limits on bodies; an oversized body got an empty
English HTML 400. Now a body over FRISAT_MAX_BODY_BYTES is refused with 413 before it is
read: JSON in the API's error shape under /api/, a Danish page elsewhere (web/security.py)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from sechelp import post_bundle

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(settings):  # type: ignore[no-untyped-def]
    settings.FRISAT_MAX_BODY_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000


def test_an_oversized_bundle_is_a_json_413(small_limit, token):
    doc = {"format": "frisat-bundle/1", "description": "x" * 3000}
    r = post_bundle(doc, token["editor"])
    assert r.status_code == 413
    assert r["Content-Type"].startswith("application/json")
    error = r.json()["errors"][0]
    assert error["code"] == "too_large"
    assert "højst 2.000 byte" in error["message"] and "2,000 bytes" in error["message_en"]


def test_the_size_is_refused_before_the_token_is_even_checked(small_limit):
    r = post_bundle({"format": "frisat-bundle/1", "description": "x" * 3000}, None)
    assert r.status_code == 413


def test_a_bundle_under_the_limit_is_read(small_limit, token):
    assert post_bundle({"format": "frisat-bundle/1"}, token["editor"]).status_code == 200


def test_an_oversized_form_gets_a_danish_page(small_limit):
    r = Client().post("/forvaltning/login", {"username": "x", "password": "y" * 3000})
    assert r.status_code == 413
    assert r["Content-Type"].startswith("text/html")
    page = r.content.decode()
    assert "Forespørgslen er for stor" in page and 'lang="da"' in page


def test_the_default_limit_is_ten_megabytes(settings):
    assert settings.FRISAT_MAX_BODY_BYTES == settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 10 * 2**20


def test_a_large_but_allowed_bundle_is_not_refused_for_its_size(token):
    doc = {"format": "frisat-bundle/1", "description": "x" * 90_000}
    r = post_bundle(json.dumps(doc), token["editor"])
    assert r.status_code == 200, r.content
