"""Write endpoints of the API: bundles from municipal systems, with token authentication."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.security import HttpBearer

from frisat.accounts.models import ApiToken
from frisat.workflow import services


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return ApiToken.user_for(token)


router = Router(tags=["skrivning"])


@router.post("/bundles", auth=TokenAuth(), summary="Indlæs et bundt (alt eller intet)")
def post_bundle(request: HttpRequest) -> dict[str, Any]:
    from frisat.registry.bundle import parse_text

    doc = parse_text(request.body.decode("utf-8", errors="replace"), "request")
    result = services.load_as(request.auth, doc, source="api")  # type: ignore[attr-defined]
    return {"added": result.added, "skipped": result.skipped,
            "warnings": [w.to_json() for w in result.warnings]}


def install(api: Any) -> None:
    """Mount the write endpoints on the public API and map refusals to 403."""
    api.add_router("/", router)

    @api.exception_handler(services.Forbidden)
    def forbidden(request: HttpRequest, exc: services.Forbidden) -> Any:
        from frisat.web import api_errors

        return api_errors.response(403, [api_errors.item("", "forbidden", str(exc))])
