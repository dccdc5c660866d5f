"""Applications for frikommune exemptions, their rounds and events, and saved scenarios.

None of this is the register: an approved application becomes an exemption in the register
through the one write path (``registry.loader``); a scenario is only ever an overlay. Events
and decided applications are never changed or deleted (the audit trail and the ministry's
answers are public records).
"""

from __future__ import annotations

from django.db import models

STATES = {
    "draft": "Kladde",
    "submitted": "Indsendt",
    "approved": "Godkendt",
    "partly_approved": "Delvist godkendt",
    "refused": "Afslået",
    "withdrawn": "Trukket tilbage",
}
DECIDED = ("approved", "partly_approved", "refused")


class Round(models.Model):
    """An application round: which regime it grants exemptions under, and its deadline."""

    key = models.SlugField(max_length=64, primary_key=True)
    title = models.CharField(max_length=200)
    regime = models.CharField(max_length=64)  # the register's regime key
    opens_on = models.DateField()
    deadline = models.DateField()  # applications must be submitted on or before this day
    answer_by = models.DateField(null=True)  # when the ministry means to answer
    source = models.TextField(blank=True)
    example = models.BooleanField(default=False)


class Application(models.Model):
    """A municipality's (or a network's) application for exemption from named provisions."""

    id = models.CharField(max_length=64, primary_key=True)  # e.g. 2026-1-751-003
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    municipality = models.PositiveSmallIntegerField(db_index=True)  # the applicant
    network = models.PositiveSmallIntegerField(null=True)  # applies on behalf of a network
    area = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    purpose = models.TextField()
    expected_results = models.TextField()
    period_from = models.DateField()
    period_to = models.DateField()
    # [{"citation": "...", "extent": "whole"|"partial", "note": "..."}]
    targets = models.JSONField()
    state = models.CharField(max_length=20, choices=list(STATES.items()), default="draft")
    version = models.PositiveIntegerField(default=1)  # optimistic locking of drafts
    submitted_at = models.DateTimeField(null=True)
    # the ministry's answer
    decided_at = models.DateTimeField(null=True)
    decided_by = models.CharField(max_length=150, blank=True)
    sector_ministry = models.CharField(max_length=200, blank=True)  # consulted
    approved = models.JSONField(default=list)  # the citations approved
    reasons = models.TextField(blank=True)  # the ministry's reasons (refusal, part refusal)
    legal_basis = models.TextField(blank=True)  # bekendtgørelse or law the approval rests on
    exemption = models.CharField(max_length=64, blank=True)  # the register's exemption id
    example = models.BooleanField(default=False)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        if self.state != "draft":
            raise PermissionError("En indsendt ansøgning kan ikke slettes")
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]


class Event(models.Model):
    """One step of an application: who did what, when, with the state before and after.
    The status history, the notices and the audit trail of the applications."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="events")
    at = models.DateTimeField(db_index=True)
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=40)  # created, edited, submitted, decided …
    before = models.CharField(max_length=20, blank=True)
    after = models.CharField(max_length=20, blank=True)
    # a notice: to the ministry ("ministry") or to the applicant ("municipality"); "" none
    notify = models.CharField(max_length=20, blank=True)
    read_at = models.DateTimeField(null=True)
    note = models.TextField(blank=True)

    def save(self, *args: object, **kwargs: object) -> None:
        # the one change allowed: a notice marked as read, once
        if not self._state.adding and (
                list(kwargs.get("update_fields") or ()) != ["read_at"]  # type: ignore[call-overload]
                or type(self).objects.filter(pk=self.pk, read_at__isnull=False).exists()):
            raise PermissionError("Sagsforløbet kan ikke ændres")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Sagsforløbet kan ikke slettes")


class SavedScenario(models.Model):
    """A scenario document kept so it can be shared by its link; never part of the
    register. Saved once, never changed: a new version is a new scenario."""

    key = models.SlugField(max_length=80, primary_key=True)
    title = models.CharField(max_length=200)
    document = models.JSONField()
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField()

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("Et gemt scenarie kan ikke ændres")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
