"""Who may do what: a role per user, bound to a municipality or an institution, and API
tokens (stored only as a hash; the token itself is shown once)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

from frisat.accounts.roles import ROLES


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
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True)

    @classmethod
    def issue(cls, user: object) -> str:
        """Create a token for the user and return it; only its hash is stored."""
        token = "frisat_" + secrets.token_urlsafe(32)
        cls.objects.create(user=user, digest=_digest(token))
        return token

    @classmethod
    def user_for(cls, token: str) -> object | None:
        from django.utils import timezone

        row = cls.objects.select_related("user").filter(digest=_digest(token)).first()
        if row is None or not row.user.is_active:
            return None
        cls.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        return row.user
