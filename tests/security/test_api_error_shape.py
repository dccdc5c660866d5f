"""Issue 14, finding 7: the API had two error shapes, and the OpenAPI document listed only
200 answers and no request body for POST /bundles. Now every 4xx and 5xx under /api/v1/ is
``{"errors": [{"path", "code", "message", "message_en", …}]}`` (web/api_errors.py), and the
document says so for every operation. (test_openapi_schemathesis.py checks the two against
each other with generated requests.)"""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory
from sechelp import post_bundle

from frisat.web import api_errors, errors
from frisat.web.api import api

pytestmark = pytest.mark.django_db


def shape(r, status: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.content
    assert r["Content-Type"].startswith("application/json")
    body = json.loads(r.content)
    assert list(body) == ["errors"] and body["errors"]
    for e in body["errors"]:
        assert {"path", "code", "message", "message_en"} <= set(e)
        assert all(isinstance(e[k], str) for k in ("path", "code", "message", "message_en"))
        assert e["message"] and e["message_en"]
    return body["errors"][0]


def test_400_bad_bundle(token):
    doc = {"format": "frisat-bundle/1", "decisions": [{"id": "217-2026-1"}]}
    e = shape(post_bundle(doc, token["editor"]), 400)
    assert e["code"] == "missing" and e["message_en"] == "The field is required"


def test_400_unreadable_document(token):
    e = shape(post_bundle("{ikke json", token["editor"]), 400)
    assert e["code"] == "format"


def test_401_without_or_with_a_wrong_token():
    for token in (None, "frisat_forkert"):
        e = shape(post_bundle({"format": "frisat-bundle/1"}, token), 401)
        assert e["code"] == "unauthorized"


def test_403_outside_the_users_rights(token):
    doc = {"format": "frisat-bundle/1", "areas": [{"key": "eksempel", "name": "Eksempel"}]}
    e = shape(post_bundle(doc, token["editor"]), 403)
    assert e["code"] == "forbidden" and "areas" in e["message"]


def test_404_unknown_record_and_unknown_path():
    assert shape(Client().get("/api/v1/decisions/ukendt-1"), 404)["code"] == "not_found"
    assert shape(Client().get("/api/v1/acts/ukendt/provisions"), 404)["code"] == "not_found"
    assert shape(Client().get("/api/v1/findes-ikke"), 404)["code"] == "not_found"


def test_405_wrong_method_keeps_allow():
    r = Client().delete("/api/v1/decisions/217-2021-001")
    e = shape(r, 405)
    assert e["code"] == "method_not_allowed" and r["Allow"] == "GET"


def test_422_ninjas_own_validation_names_the_parameter():
    e = shape(Client().get("/api/v1/decisions?limit=mange"), 422)
    assert (e["path"], e["code"], e["message"]) == ("limit", "invalid", "Forventede et heltal")
    e = shape(Client().get("/api/v1/municipalities/217/status"), 422)
    assert e["path"] in ("area", "provision") and e["message"] == "Feltet skal udfyldes"


def test_500_from_a_view_and_from_django():
    request = RequestFactory().get("/api/v1/national")
    e = shape(api.on_exception(request, RuntimeError("uventet")), 500)
    assert e["code"] == "server_error" and "uventet" not in json.dumps(e)
    e = shape(errors.server_error(RequestFactory().get("/api/v1/national")), 500)
    assert e["code"] == "server_error"


def test_error_pages_outside_the_api_stay_danish_html():
    r = Client().get("/findes-ikke")
    assert r.status_code == 404 and r["Content-Type"].startswith("text/html")
    assert "Siden findes ikke" in r.content.decode()


# -- the OpenAPI document --------------------------------------------------------------------


def _document() -> dict:  # type: ignore[type-arg]
    def no_duplicates(pairs):  # type: ignore[no-untyped-def]
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    r = Client().get("/api/v1/openapi.json")
    return json.loads(r.content, object_pairs_hook=no_duplicates)


def test_every_operation_documents_its_error_answers():
    doc = _document()
    assert doc["components"]["schemas"]["Errors"] == api_errors.ERROR_SCHEMA
    ops = [(path, method, op) for path, item in doc["paths"].items()
           for method, op in item.items()]
    assert {p for p, _m, _o in ops} >= {"/api/v1/national", "/api/v1/bundles", "/api/v1/evaluation"}
    for path, _method, op in ops:
        codes = set(op["responses"])
        assert {"200", "400", "404", "405", "413", "422", "429", "500", "503"} <= codes, path
        if op.get("security"):
            assert {"401", "403"} <= codes, path
        for code in codes - {"200"}:
            assert op["responses"][code]["content"]["application/json"]["schema"] == \
                {"$ref": "#/components/schemas/Errors"}, (path, code)


def test_the_bundle_endpoint_documents_its_body_and_answer():
    op = _document()["paths"]["/api/v1/bundles"]["post"]
    body = op["requestBody"]
    assert body["required"] is True
    assert set(body["content"]) == {"application/json", "application/yaml"}
    assert op["responses"]["200"]["content"]["application/json"]["schema"] == \
        {"$ref": "#/components/schemas/LoadResult"}
    assert op["security"] == [{"TokenAuth": []}]
