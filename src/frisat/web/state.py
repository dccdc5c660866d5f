"""The register state of each request: one change check, then one snapshot per record time.

The middleware has the newest load read once per request, when the request first asks the
register (``snapshot.stamp``), and fixed for everything else it asks. ``current_known_at``
turns "as known now" into an instant that stays the same until the register changes, so
requests share one snapshot and one cached answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from frisat.queries.common import DK, now
from frisat.registry import snapshot as snap


class RegisterStateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = snap.begin()  # read when the request first asks the register
        try:
            return self.get_response(request)
        finally:
            snap.end(token)


def current_known_at() -> dt.datetime:
    """"As known now", as an instant that stays the same until the register changes.

    Every record is stamped no later than its load, so the register known at the newest
    load (rounded up to the second) is the register known now."""
    current = now()
    s = snap.stamp()
    if s is None:
        return current
    last = s[1]
    ceil = last.replace(microsecond=0) + (dt.timedelta(seconds=1) if last.microsecond else
                                          dt.timedelta())
    return min(current, ceil.astimezone(DK))


def snapshot(known_at: dt.datetime) -> snap.Snapshot:
    return snap.snapshot(known_at)
