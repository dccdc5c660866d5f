"""The municipal work on a decision before it enters the register, and what follows.

A draft is the one mutable thing in frisat: it carries a version number for optimistic
locking (two editors never silently overwrite each other). Publishing turns it into a
register decision through the same loader and checks as a bundle; from then on it is
immutable, and a correction is a new decision that revokes it. Notices and the audit
trail are append-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

STATES = {"draft": "Kladde", "adopted": "Vedtaget", "published": "Offentliggjort"}


class Draft(models.Model):
    id = models.CharField(max_length=64, primary_key=True)  # the decision id to be
    municipality = models.PositiveSmallIntegerField(db_index=True)
    state = models.CharField(max_length=16, choices=list(STATES.items()), default="draft")
    data = models.JSONField()  # the decision as in a bundle (docs/bundle.md)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)


class Notice(models.Model):
    """A publication reported to the ministry's inbox."""

    decision = models.CharField(max_length=64, db_index=True)
    municipality = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                related_name="+")
    comment = models.TextField(blank=True)


class AuditEntry(models.Model):
    """Who wrote what, when, with the state before and after. Never changed or deleted."""

    at = models.DateTimeField(db_index=True)
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    record = models.CharField(max_length=200)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("Revisionssporet kan ikke ændres")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Revisionssporet kan ikke slettes")


class LoginAttempt(models.Model):
    """Log-in attempts, for throttling repeated failures (and as a security record)."""

    username = models.CharField(max_length=150)
    ip = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField()
    success = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["username", "ip", "at"])]
