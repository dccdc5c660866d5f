"""The JSON API under /api/v1/ (django-ninja), with the same shapes as the CLI."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from frisat.registry import answers
from frisat.registry.errors import Rejected

api = NinjaAPI(
    title="frisat API",
    version="1",
    description="Hvilke regler gælder for institutionen på datoen, og hvorfor. "
    "Samme spørgsmål og JSON-former som kommandoen frisat.",
    urls_namespace="api-v1",
)


@api.exception_handler(Rejected)
def rejected(request: HttpRequest, exc: Rejected) -> HttpResponse:
    status = 404 if all(e.code == "not_found" for e in exc.errors) else 400
    return api.create_response(request, {"errors": [e.to_json() for e in exc.errors]},
                               status=status)


@api.exception_handler(answers.UnknownRecord)
def unknown(request: HttpRequest, exc: LookupError) -> HttpResponse:
    return api.create_response(request, {"errors": [{"path": "", "code": "not_found",
                                                     "message": str(exc)}]}, status=404)


def _lang(request: HttpRequest, lang: str | None) -> str:
    return lang or ("en" if request.path.startswith("/en/") else "da")


@api.get("/institutions/{institution_id}/rules", summary="Reglerne for en institution")
def institution_rules(request: HttpRequest, institution_id: str, date: str | None = None,
                      known_at: str | None = None, lang: str | None = None) -> dict[str, Any]:
    return answers.rules(institution_id, answers.parse_date(date),
                         answers.parse_instant(known_at), _lang(request, lang))


@api.get("/municipalities/{code}/status", summary="Status for én bestemmelse i en kommune")
def municipality_status(request: HttpRequest, code: int, area: str, provision: str,
                        date: str | None = None, known_at: str | None = None,
                        lang: str | None = None) -> dict[str, Any]:
    return answers.status(code, area, provision, answers.parse_date(date),
                          answers.parse_instant(known_at), _lang(request, lang))


@api.get("/municipalities/{code}/overview", summary="Kommunens samlede oversigt (§ 6)")
def municipality_overview(request: HttpRequest, code: int, date: str | None = None,
                          known_at: str | None = None) -> dict[str, Any]:
    return answers.overview(code, answers.parse_date(date), answers.parse_instant(known_at),
                            base_url=request.build_absolute_uri("/").rstrip("/"))


@api.get("/national", summary="Hvem er frisat fra hvad, nationalt")
def national(request: HttpRequest, date: str | None = None, known_at: str | None = None,
             lang: str | None = None) -> dict[str, Any]:
    return answers.national(answers.parse_date(date), answers.parse_instant(known_at),
                            _lang(request, lang))


@api.get("/acts/{key}/provisions", summary="Lovens bestemmelser")
def act_provisions(request: HttpRequest, key: str, date: str | None = None,
                   known_at: str | None = None) -> dict[str, Any]:
    return answers.provisions(key, answers.parse_date(date), answers.parse_instant(known_at))


@api.get("/municipalities", summary="De 98 kommuner")
def municipalities(request: HttpRequest, known_at: str | None = None) -> dict[str, Any]:
    eng = answers.snapshots.engine(answers.parse_instant(known_at))
    return {"municipalities": [
        {"code": x.code, "name": x.name, "region_code": x.region_code,
         "region_name": x.region_name}
        for x in sorted(eng.world.municipalities, key=lambda x: x.code)]}


# Write endpoints (bundles from municipal systems) live with the workflow.
from frisat.workflow.api import install as _install_write_api  # noqa: E402

_install_write_api(api)
