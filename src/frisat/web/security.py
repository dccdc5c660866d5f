"""HTTP hardening in one place: response headers, request-size limits, the client's address.

Headers (docs/security.md): every response gets a strict Content-Security-Policy (the portal
runs no inline script or style; only its own static files), ``X-Content-Type-Options``,
``Referrer-Policy`` and ``Permissions-Policy``. A page made to be embedded (the § 6 overview
at ``/kommune/{code}/oversigt/indlejr``, marked with Django's ``xframe_options_exempt``) may be
framed by any site (``frame-ancestors *``); every other page by none. Staff pages are never
stored by a browser or proxy (``Cache-Control: no-store``).

Requests whose declared body is larger than ``FRISAT_MAX_BODY_BYTES`` are refused with 413
before the body is read (JSON under ``/api/``, a Danish page elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

_POLICY = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}
CSP = "; ".join(f"{k} {v}" for k, v in _POLICY.items())
CSP_EMBED = "; ".join(f"{k} {'*' if k == 'frame-ancestors' else v}" for k, v in _POLICY.items())
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                      "magnetometer=(), microphone=(), payment=(), usb=()")
STAFF_PREFIXES = ("/forvaltning/", "/admin/")


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind ``FRISAT_PROXIES`` trusted reverse proxies
    the address the outermost of them saw (counted from the right of X-Forwarded-For, which
    a client can only prepend to)."""
    proxies = getattr(settings, "FRISAT_PROXIES", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def max_body_bytes() -> int:
    return int(getattr(settings, "FRISAT_MAX_BODY_BYTES", settings.DATA_UPLOAD_MAX_MEMORY_SIZE))


class SecurityHeaders:
    """Adds the headers above to every response, and refuses oversized requests."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._too_large(request) or self.get_response(request)
        return self.add_headers(request, response)

    @staticmethod
    def _too_large(request: HttpRequest) -> HttpResponse | None:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        return too_large(request) if declared > max_body_bytes() else None

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        # a body that turns out larger than declared (or undeclared) while it is read
        return too_large(request) if isinstance(exc, RequestDataTooBig) else None

    @staticmethod
    def add_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        embed = getattr(response, "xframe_options_exempt", False)
        response.headers.setdefault("Content-Security-Policy", CSP_EMBED if embed else CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith(STAFF_PREFIXES):
            response["Cache-Control"] = "no-store"
        return response


def too_large(request: HttpRequest) -> HttpResponse:
    from frisat.web.errors import respond

    limit = max_body_bytes()
    return respond(request, 413, "too_large",
                   f"Forespørgslen er for stor; højst {limit:,} byte er tilladt"
                   .replace(",", "."),
                   f"The request body is too large; at most {limit:,} bytes are allowed")
