"""Who may do what: a role per user, bound to a municipality or an institution, and API
tokens (stored only as a hash; the token itself is shown once)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from frisat.accounts.roles import ROLES

TOKEN_DAYS = 365  # a token's default life
USE_RESOLUTION = dt.timedelta(minutes=1)  # last use is recorded to the minute


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="frisat_profile")
    role = models.CharField(max_length=32, choices=list(ROLES.items()))
    municipality = models.PositiveSmallIntegerField(null=True, blank=True)
    institution = models.CharField(max_length=64, null=True, blank=True)

    def __str__(self) -> str:
        where = self.institution or self.municipality or "national"
        return f"{self.user} ({self.role}, {where})"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token: ``frisat_<prefix>_<secret>``. The prefix is public — it names the token
    in listings and when it is revoked; only the SHA-256 of the whole token is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True)  # None: a token from before expiry dates
    revoked_at = models.DateTimeField(null=True)
    last_used_at = models.DateTimeField(null=True)

    @classmethod
    def issue(cls, user: object, expires_at: dt.datetime | None = None) -> str:
        """Create a token for the user and return it; only its hash is stored."""
        prefix = secrets.token_hex(4)
        token = f"frisat_{prefix}_{secrets.token_urlsafe(32)}"
        cls.objects.create(user=user, digest=_digest(token), prefix=prefix,
                           expires_at=expires_at or timezone.now()
                           + dt.timedelta(days=TOKEN_DAYS))
        return token

    @staticmethod
    def prefix_of(token: str) -> str:
        parts = token.split("_", 2)
        return parts[1] if len(parts) == 3 and parts[0] == "frisat" else ""

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "active"

    @classmethod
    def user_for(cls, token: str) -> object | None:
        """The user of a valid token: not revoked, not expired, the user active."""
        row = cls.objects.select_related("user").filter(digest=_digest(token)).first()
        if row is None or row.state != "active" or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= USE_RESOLUTION:
            cls.objects.filter(pk=row.pk).update(last_used_at=now)
        return row.user
