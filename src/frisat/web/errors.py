"""Error answers outside a view's own handling: JSON with the API's error shape under
``/api/`` (``web.api_errors``), a page in Danish (English under ``/en/``) elsewhere.

Django's handlers for 400, 403, 404 and 500 point here (``web.urls``), and so do the
request-size limit (413) and the rate limit (429).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from frisat.registry.errors import InputError
from frisat.web import api_errors

PAGES = {
    400: ("bad_request", "Forespørgslen er ugyldig", "The request is invalid"),
    403: ("forbidden", "Du har ikke adgang til denne side", "You may not open this page"),
    404: ("not_found", "Siden findes ikke", "The page does not exist"),
    500: ("server_error", "Der opstod en fejl hos frisat. Fejlen er logget.",
          "frisat failed. The error has been logged."),
}


def respond(request: HttpRequest, status: int, code: str, da: str, en: str,
            path: str = "", headers: dict[str, str] | None = None) -> HttpResponse:
    if request.path.startswith("/api/") or request.GET.get("format") in ("json", "csv"):
        resp: HttpResponse = api_errors.response(status, [api_errors.item(path, code, da, en)])
    else:
        english = request.path.startswith("/en/")
        message = en if english else da
        html = render_to_string("frisat/error.html", {
            "errors": [InputError(path, code, message)], "status": status,
            "lang": "en" if english else "da", "prefix": "/en" if english else "",
            "qs": "", "other_lang_url": "/" if english else "/en/",
            "title": "Error" if english else "Fejl"})
        resp = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    for k, v in (headers or {}).items():
        resp[k] = v
    return resp


def _handler(status: int) -> Any:
    code, da, en = PAGES[status]

    def handler(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        return respond(request, status, code, da, en)

    return handler


bad_request = _handler(400)
permission_denied = _handler(403)
page_not_found = _handler(404)


def server_error(request: HttpRequest) -> HttpResponse:
    from frisat.web.busy import busy_response_for_current_error

    return busy_response_for_current_error(request) or _handler(500)(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return respond(request, 403, "csrf",
                   "Formularen er udløbet eller kom ikke fra frisat. Hent siden igen og prøv "
                   "igen.", "The form has expired or did not come from frisat. Reload the "
                   "page and try again.")
