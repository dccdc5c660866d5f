"""One error shape for every 4xx and 5xx under ``/api/v1/``, and the OpenAPI text for it.

::

    {"errors": [{"path": "decisions[3].effective_from", "code": "too_early",
                 "message": "Beslutningen kan tidligst …", "message_en": "The decision …",
                 "severity": "error"}]}

``path`` names the field (empty when the error concerns the request as a whole), ``code`` is
stable for programs, ``message`` is Danish for people and ``message_en`` English. The bundle
reader's and the checks' own sentences are Danish only; their English text is the meaning of
the code (``CODE_EN``). Ninja's own errors (validation 422, 401, 404, 405) and Django's (404
for an unknown path, 413, 500) are turned into the same shape, so a program reads one thing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger

from frisat.registry.errors import InputError, Rejected

log = logging.getLogger("frisat.api")

# status -> (code, Danish, English) when nothing more specific is known
STATUS = {
    400: ("bad_request", "Forespørgslen er ugyldig", "The request is invalid"),
    401: ("unauthorized", "Mangler gyldig API-nøgle (Authorization: Bearer …), eller nøglen "
          "er udløbet eller tilbagekaldt",
          "Missing valid API token (Authorization: Bearer …), or the token has expired or "
          "been revoked"),
    403: ("forbidden", "Brugeren må ikke dette", "The user may not do this"),
    404: ("not_found", "Findes ikke", "Not found"),
    405: ("method_not_allowed", "Metoden er ikke tilladt på denne adresse",
          "The method is not allowed on this path"),
    406: ("not_acceptable", "Svaret findes kun som JSON", "The answer is JSON only"),
    413: ("too_large", "Forespørgslen er for stor", "The request body is too large"),
    415: ("unsupported_media_type", "Indholdstypen understøttes ikke",
          "Unsupported content type"),
    422: ("invalid", "Ugyldig værdi", "Invalid value"),
    429: ("rate_limited", "For mange forespørgsler; prøv igen senere",
          "Too many requests; try again later"),
    500: ("server_error", "Der opstod en fejl hos frisat; fejlen er logget",
          "frisat failed; the error has been logged"),
    503: ("unavailable", "frisat er optaget; prøv igen om lidt",
          "frisat is busy; try again shortly"),
}

# the English meaning of each error code of the bundle reader, the checks and the workflow
CODE_EN = {
    "not_covered": "The scheme does not cover the municipality in the area on the date",
    "outside_period": "The effect lies outside the period the scheme covers the municipality",
    "cut_to_period": "The decision holds only while the scheme covers the municipality; "
                     "its end was cut to the scheme's end",
    "guardrail": "The provision is a guardrail under the scheme and cannot be set aside",
    "guardrail_inside": "The cited part contains provisions that still apply (guardrails or "
                        "not deviable)",
    "not_deviable": "The provision cannot be set aside under the scheme",
    "too_early": "The decision takes effect earlier than the scheme allows after publication",
    "publication_date_unknown": "The publication date is unknown, so the earliest effect "
                                "cannot be checked",
    "scope": "The institution does not belong to the municipality and area on the date",
    "kind_not_covered": "The scheme does not reach institutions of this kind",
    "private_provider": "The institution is run by a private provider that has not asked to "
                        "be covered",
    "delegation": "The deciding body has no recorded delegation from the council",
    "unknown_provision": "Unknown provision",
    "unknown_regime": "Unknown scheme",
    "unknown_institution": "Unknown institution",
    "unknown_municipality": "Unknown municipality",
    "unknown_area": "Unknown area",
    "unknown_act": "Unknown act",
    "unknown_decision": "Unknown decision",
    "unknown_condition": "The text is not one of the scheme's general guardrails or protected "
                         "groups",
    "revokes": "The decision cannot revoke what it names (itself, another municipality's "
               "decision, a draft, or in a circle)",
    "duplicate": "The record appears twice with different content",
    "immutable": "The decision is published and cannot be changed; a correction is a new "
                 "decision that revokes it",
    "conflict": "The record exists with different content, or was changed by someone else",
    "missing": "The field is required",
    "invalid": "Invalid value",
    "format": "The document cannot be read as JSON or YAML",
    "future_record": "The record time may not lie in the future",
    "forbidden": "The user may not write this record",
    "not_found": "Not found",
    "not_leaf": "The provision is not a leaf; ask for one of its parts",
    "too_large": "The document or request is too large",
    "too_deep": "The document is nested too deeply",
    "too_long": "The text is too long for the field",
    "too_many_aliases": "YAML aliases expand to too many values",
    "alias": "A YAML alias refers to itself",
    "out_of_range": "The number is out of range",
    "control_character": "The text contains a control character",
    "invalid_id": "Not a valid id: letters, digits, '.', '_' and '-' only",
    "unsafe_url": "Only http and https addresses are allowed",
    "invalid_url": "The address must be a full URL without spaces",
    "rate_limited": "Too many requests; try again later",
    "busy": "The database is busy with another write; nothing was saved; try again shortly",
    "future_publication": "The publication date lies after the day the decision is "
                          "registered",
    "publication_evidence": "A publication date before the day of registration needs the "
                            "publication's address (source_url) as evidence",
}


def item(path: str, code: str, message: str, message_en: str | None = None,
         severity: str = "error") -> dict[str, str]:
    return {"path": path, "code": code, "message": message,
            "message_en": message_en or CODE_EN.get(code, f"Invalid input ({code})"),
            "severity": severity}


def from_input(e: InputError) -> dict[str, str]:
    return item(e.path, e.code, e.message, severity=e.severity)


def body(errors: list[dict[str, str]]) -> dict[str, Any]:
    return {"errors": errors}


def response(status: int, errors: list[dict[str, str]]) -> HttpResponse:
    return HttpResponse(json.dumps(body(errors), ensure_ascii=False), status=status,
                        content_type="application/json; charset=utf-8")


def for_status(status: int, message: str | None = None,
               message_en: str | None = None) -> HttpResponse:
    code, da, en = STATUS.get(status, STATUS[500 if status >= 500 else 400])
    return response(status, [item("", code, message or da, message_en or en)])


# -- ninja ---------------------------------------------------------------------------------

_PYDANTIC_DA = {
    "missing": "Feltet skal udfyldes",
    "int_parsing": "Forventede et heltal",
    "int_type": "Forventede et heltal",
    "string_type": "Forventede en tekst",
    "json_invalid": "Ugyldig JSON",
}


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for e in exc.errors:
        loc = [str(x) for x in e.get("loc", ())]
        path = ".".join(loc[1:] if loc[:1] in (["query"], ["path"], ["body"], ["header"])
                        else loc)
        kind = str(e.get("type", "invalid"))
        ctx = e.get("ctx") or {}
        if kind == "less_than_equal":
            da = f"Må højst være {ctx.get('le')}"
        elif kind == "greater_than_equal":
            da = f"Skal være mindst {ctx.get('ge')}"
        else:
            da = _PYDANTIC_DA.get(kind, "Ugyldig værdi")
        errors.append(item(path, "invalid", da, str(e.get("msg", "Invalid value"))))
    return response(422, errors or [item("", *STATUS[422])])


def install(api: NinjaAPI) -> None:
    """Every error of the API in the one shape (the handlers ninja consults)."""

    def rejected(request: HttpRequest, exc: Rejected) -> HttpResponse:
        status = 404 if all(e.code == "not_found" for e in exc.errors) else 400
        return response(status, [from_input(e) for e in exc.errors])

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            resp = for_status(401)
            resp["WWW-Authenticate"] = "Bearer"
            return resp
        return for_status(exc.status_code)

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return for_status(404)

    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        from django.core.exceptions import RequestDataTooBig

        if isinstance(exc, RequestDataTooBig):
            from frisat.web.security import too_large

            return too_large(request)
        from frisat.registry.locking import is_busy

        if is_busy(exc):  # nothing was written; the client may ask again (web/busy.py)
            from frisat.web.busy import response as busy

            return busy(request)
        log.exception("API-fejl ved %s %s", request.method, request.path, exc_info=exc)
        return for_status(500)

    handlers: dict[type[Exception], Callable[..., HttpResponse]] = {
        Rejected: rejected, ValidationError: _validation, HttpError: http_error,
        Http404: not_found, Exception: server_error}
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, handler)


class ApiErrorShape:
    """Middleware: an error under /api/ that did not come through the handlers above (ninja's
    405, Django's 404 for an unknown path, a CSRF or size refusal) gets the one shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        resp = self.get_response(request)
        if (request.path.startswith("/api/") and resp.status_code >= 400
                and not _shaped(resp)):
            shaped = for_status(resp.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in resp:
                    shaped[header] = resp[header]
            return shaped
        return resp


def _shaped(resp: HttpResponse) -> bool:
    if not resp.get("Content-Type", "").startswith("application/json"):
        return False
    content = getattr(resp, "content", b"")
    return content.startswith(b'{"errors": [')


# -- OpenAPI -------------------------------------------------------------------------------

ERROR_SCHEMA = {
    "type": "object", "required": ["errors"], "additionalProperties": False,
    "properties": {"errors": {"type": "array", "minItems": 1, "items": {
        "type": "object", "required": ["path", "code", "message", "message_en"],
        "properties": {
            "path": {"type": "string", "description": "Feltet fejlen gælder (tom: hele "
                     "forespørgslen), fx decisions[3].effective_from"},
            "code": {"type": "string", "description": "Stabil kode for programmer"},
            "message": {"type": "string", "description": "Dansk tekst"},
            "message_en": {"type": "string", "description": "English text"},
            "severity": {"type": "string", "enum": ["error", "warning"]}}}}},
}

BUNDLE_SCHEMA = {
    "type": "object", "required": ["format"],
    "description": "Et frisat-bundle/1-dokument (docs/bundle.md); alle afsnit er valgfri. "
                   "Sendes som JSON eller YAML; alt eller intet indlæses.",
    "properties": {
        "format": {"type": "string", "enum": ["frisat-bundle/1"]},
        **{section: {"type": "array", "items": {"type": "object"}} for section in (
            "municipalities", "areas", "acts", "regimes", "coverage", "institutions",
            "delegations", "decisions", "exemptions", "repeals", "kept")},
        "title": {"type": "string"}, "description": {"type": "string"},
        "source": {"type": "string"}, "example": {"type": "boolean"},
    },
}

LOAD_RESULT_SCHEMA = {
    "type": "object", "required": ["added", "skipped", "warnings"],
    "properties": {
        "added": {"type": "object", "additionalProperties": {"type": "integer"}},
        "skipped": {"type": "integer"},
        "warnings": {"type": "array", "items": {"type": "object"}},
    },
}

_DESCRIPTIONS = {
    "400": "Ugyldigt input; hver fejl navngiver feltet og en kode",
    "401": "Mangler gyldig API-nøgle",
    "403": "Brugeren må ikke skrive disse poster; intet er gemt",
    "404": "Findes ikke",
    "405": "Metoden er ikke tilladt",
    "413": "Forespørgslen er for stor",
    "422": "Ugyldig parameter",
    "429": "For mange forespørgsler (se Retry-After)",
    "500": "Fejl hos frisat",
    "503": "Databasen er optaget (se Retry-After)",
}


class FrisatAPI(NinjaAPI):
    """Ninja with the error handlers above and an OpenAPI document that tells them.

    The interactive docs are ninja's own Swagger UI from /static/ninja/ (no CDN), without
    the online validator badge (which would call validator.swagger.io)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("docs", Swagger(settings={"validatorUrl": None}))
        super().__init__(*args, **kwargs)
        install(self)

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {}).update(
            {"Errors": ERROR_SCHEMA, "Bundle": BUNDLE_SCHEMA, "LoadResult": LOAD_RESULT_SCHEMA})
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}}
        for path, operations in schema["paths"].items():
            for method, op in operations.items():
                # ninja keys responses by int; one key per code in the written document
                op["responses"] = {str(k): v for k, v in op["responses"].items()}
                codes = ["400", "404", "405", "413", "422", "429", "500", "503"]
                if op.get("security"):
                    codes += ["401", "403"]
                for code in codes:
                    op["responses"].setdefault(code, {"description": _DESCRIPTIONS[code], **ref})
                if method == "post" and path.endswith("/bundles"):
                    op["requestBody"] = {"required": True, "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Bundle"}},
                        "application/yaml": {"schema": {"$ref": "#/components/schemas/Bundle"}},
                    }}
                    op["responses"]["200"] = {"description": "Indlæst", "content": {
                        "application/json": {"schema": {
                            "$ref": "#/components/schemas/LoadResult"}}}}
        return schema
