"""Log-in throttling, shared by the staff log-in (/forvaltning/login) and /admin/login/.

Failures are counted per user name — normalised as authentication normalises it (NFKC,
surrounding white space removed; case folded, so "Anna" and "anna" share a count) — from
any address, and per address for any user name. Either limit locks further attempts for
``LOCKOUT`` (docs/security.md):

- ``MAX_FAILURES_PER_USER`` failed attempts for one user name, from anywhere;
- ``MAX_FAILURES_PER_ADDRESS`` failed attempts from one address, for any user names.

A locked attempt is refused before the password is checked, so it tells nothing about the
password either.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from frisat.web.security import client_address
from frisat.workflow.models import LoginAttempt

MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20
LOCKOUT = dt.timedelta(minutes=15)
LOCKED_MESSAGE = "For mange mislykkede forsøg. Prøv igen om 15 minutter."


def throttle_key(username: str) -> str:
    """The user name as authentication sees it: NFKC, stripped — and case folded."""
    return unicodedata.normalize("NFKC", username).strip().casefold()[:150]


def locked(username: str, address: str) -> bool:
    since = timezone.now() - LOCKOUT
    failures = LoginAttempt.objects.filter(success=False, at__gte=since)
    return (failures.filter(username=throttle_key(username)).count() >= MAX_FAILURES_PER_USER
            or failures.filter(ip=address).count() >= MAX_FAILURES_PER_ADDRESS)


def record(username: str, address: str, success: bool) -> None:
    LoginAttempt.objects.create(username=throttle_key(username), ip=address, success=success,
                                at=timezone.now())


class Throttled:
    """Mixed into an authentication form: refuse when locked, record every attempt."""

    request: HttpRequest | None
    data: Any

    def clean(self) -> dict[str, Any]:
        username = str(self.data.get("username") or "")
        address = client_address(self.request) if self.request else ""
        if locked(username, address):
            raise ValidationError(LOCKED_MESSAGE, code="throttled")
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        except ValidationError:
            record(username, address, success=False)
            raise
        record(username, address, success=True)
        return cleaned


class ThrottledLoginForm(Throttled, AuthenticationForm):
    pass


class ThrottledAdminLoginForm(Throttled, AdminAuthenticationForm):
    pass
