"""503 with ``Retry-After`` when the database stays busy with another writer, never a 500.

A write that could not get the database's write lock in time (``registry.locking``) wrote
nothing, so the client may simply ask again: under ``/api/`` the answer is the API's one
JSON error shape (code ``busy``), elsewhere a Danish page (English under ``/en/``). The
view's own errors come through ``process_exception`` (and the API's exception handler);
a busy error raised by another middleware (a session being saved) reaches Django's 500
handler, which asks ``busy_response_for_current_error`` first.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from frisat.registry.locking import RETRY_AFTER, is_busy

DA = f"frisat er optaget af en anden skrivning; intet er gemt. Prøv igen om {RETRY_AFTER} sekunder."
EN = f"frisat is busy with another write; nothing was saved. Try again in {RETRY_AFTER} seconds."


def response(request: HttpRequest) -> HttpResponse:
    from frisat.web.errors import respond

    return respond(request, 503, "busy", DA, EN, headers={"Retry-After": str(RETRY_AFTER)})


def busy_response_for_current_error(request: HttpRequest) -> HttpResponse | None:
    """Inside an error handler: the 503 answer when the error being handled is "busy"."""
    exc = sys.exc_info()[1]
    return response(request) if exc is not None and is_busy(exc) else None


class BusyDatabase:
    """Middleware: a view that failed because the database was busy answers 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        return response(request) if is_busy(exc) else None
