"""A rate limit for the expensive requests of anonymous clients.

Every page and API answer takes ``?date=`` and ``?known_at=`` (and an institution page
``?compare=``). A question for a moment the register has not been asked about lately costs
an answer computed afresh (and, for a new ``known_at``, the register cut at that moment);
the same question again is answered from caches. So a client is limited in the number of
*new* combinations of these parameters it may ask for: at most ``FRISAT_RATE_LIMIT``
(default 30 per 60 seconds) per address. Repeating a combination it used within the window,
asking without them, logged-in staff and API clients with a valid token are not counted.
Over the limit the answer is 429 with ``Retry-After`` (JSON under ``/api/``, a Danish page
elsewhere).

The counts live in Django's cache (``CACHES["default"]``, in-process by default); servers
that share the load share a cache (docs/security.md).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from frisat.web.security import client_address

PARAMETERS = ("date", "known_at", "compare")
EXEMPT_PREFIXES = ("/static/", "/forvaltning/", "/admin/")


def limit() -> tuple[int, int]:
    """(new combinations allowed, per so many seconds)."""
    count, seconds = getattr(settings, "FRISAT_RATE_LIMIT", (30, 60))
    return int(count), int(seconds)


class RateLimit:
    """Middleware (after authentication): refuses an anonymous client's new combination of
    time parameters beyond the limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse],
                 clock: Callable[[], float] = time.time):
        self.get_response = get_response
        self.clock = clock

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wait = self.wait(request)
        if wait:
            from frisat.web.errors import respond

            count, seconds = limit()
            return respond(
                request, 429, "rate_limited",
                f"For mange forespørgsler på nye datoer og tidspunkter (højst {count} pr. "
                f"{seconds} sekunder). Prøv igen om {wait} sekunder.",
                f"Too many requests for new dates and times (at most {count} per {seconds} "
                f"seconds). Try again in {wait} seconds.",
                headers={"Retry-After": str(wait)})
        return self.get_response(request)

    def wait(self, request: HttpRequest) -> int:
        """Seconds the client must wait, or 0 when the request may proceed (and is counted)."""
        asked = tuple(request.GET.get(p, "") for p in PARAMETERS)
        if (request.method not in ("GET", "HEAD") or not any(asked)
                or request.path.startswith(EXEMPT_PREFIXES) or _known_client(request)):
            return 0
        count, seconds = limit()
        key = "frisat-rate:" + hashlib.sha256(client_address(request).encode()).hexdigest()
        combo = hashlib.sha256("\x1f".join(asked).encode()).hexdigest()[:16]
        now = self.clock()
        seen: dict[str, float] = {k: t for k, t in (cache.get(key) or {}).items()
                                  if now - t < seconds}
        if combo not in seen and len(seen) >= count:
            return max(1, math.ceil(seconds - (now - min(seen.values()))))
        seen[combo] = now
        cache.set(key, seen, seconds)
        return 0


def _known_client(request: HttpRequest) -> bool:
    """Logged-in staff, or an API client with a valid token."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.startswith("Bearer "):
        from frisat.accounts.models import ApiToken

        return ApiToken.user_for(header[7:].strip()) is not None
    return False
