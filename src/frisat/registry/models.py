"""The register's tables: one per thing of SEMANTICS.md section 1.

Every row is a fact with a record time (``recorded_at``). Rows are only ever added:
history of a keyed fact (a coverage extended, a version ended, an institution closed) is a
new row with the same key and a later record time, so any past answer can be rebuilt
(``frisat.registry.store.read_world``). ``reference`` marks the shipped reference data,
which ``frisat export`` leaves out unless asked.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class ImmutableRecord(Exception):
    """A stored fact was about to be changed or deleted."""

    code = "immutable"


class Fact(models.Model):
    recorded_at = models.DateTimeField(db_index=True)
    reference = models.BooleanField(default=False)
    # the load that stored it (who, how, from where); None only for rows stored before loads
    # were linked to their facts
    load = models.ForeignKey("registry.Load", null=True, on_delete=models.PROTECT,
                             related_name="+")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableRecord(
                f"{type(self).__name__} {self.pk} er registreret og kan ikke ændres")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableRecord(f"{type(self).__name__} {self.pk} er registreret og kan ikke slettes")


class Area(Fact):
    key = models.SlugField(primary_key=True)
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100, blank=True)


class Municipality(Fact):
    code = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=100)
    region_code = models.PositiveSmallIntegerField()
    region_name = models.CharField(max_length=100)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]


class Institution(Fact):
    id = models.CharField(max_length=64, primary_key=True)
    name = models.CharField(max_length=300)
    requested = models.JSONField(default=list)  # regimes a private provider asked for
    source = models.TextField(blank=True)
    example = models.BooleanField(default=False)


class Membership(Fact):
    """An institution's dated belonging to a municipality and area."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT,
                                    related_name="memberships")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    area = models.ForeignKey(Area, on_delete=models.PROTECT)
    kind = models.CharField(max_length=64)
    provider = models.CharField(max_length=16, default="public")
    valid_from = models.DateField(null=True)
    valid_to = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["municipality", "area"])]


class Act(Fact):
    key = models.CharField(max_length=120, primary_key=True)
    level = models.CharField(max_length=16)  # state | municipal
    title = models.TextField()
    short_title = models.CharField(max_length=200, blank=True)
    areas = models.JSONField(default=list)
    kinds = models.JSONField(null=True)
    municipality = models.ForeignKey(Municipality, null=True, on_delete=models.PROTECT)
    eli = models.URLField(max_length=300, null=True)
    source_url = models.URLField(max_length=500, null=True)
    valid_from = models.DateField(null=True)
    partial = models.BooleanField(default=False)


class Provision(Fact):
    # no index of its own: the key (act, ref) leads with it, and every insert pays per index
    act = models.ForeignKey(Act, on_delete=models.PROTECT, related_name="provisions",
                            db_index=False)
    ref = models.CharField(max_length=200)  # canonical, "" = the act itself
    parent_ref = models.CharField(max_length=200, null=True)
    heading = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["act", "ref"], name="provision_key")]


class Version(Fact):
    act = models.ForeignKey(Act, on_delete=models.PROTECT, db_index=False)  # see Provision
    ref = models.CharField(max_length=200)
    valid_from = models.DateField(null=True)
    valid_to = models.DateField(null=True)
    enacted_by = models.CharField(max_length=300, blank=True)
    exclusions = models.JSONField(default=list)
    # the official wording of this version, as imported from Retsinformation (None: not known)
    text = models.TextField(null=True)
    heading = models.TextField(null=True)
    note = models.TextField(null=True)  # e.g. a renumbering: "Tidligere § 5"

    class Meta:
        indexes = [models.Index(fields=["act", "ref"])]


class Regime(Fact):
    key = models.CharField(max_length=120, primary_key=True)
    title = models.TextField()
    kind = models.CharField(max_length=40)
    legal_basis = models.CharField(max_length=500)
    source_url = models.URLField(max_length=500, null=True)
    shape = models.CharField(max_length=32)
    acts = models.JSONField(default=list)
    min_effect_delay_days = models.PositiveSmallIntegerField(default=1)
    delegation_allowed = models.BooleanField(default=True)
    kinds = models.JSONField(null=True)
    private_requires_request = models.BooleanField(default=False)
    protected_groups = models.JSONField(default=list)
    general_guardrails = models.JSONField(default=list)
    run_off_note = models.TextField(null=True)


class Listing(models.Model):
    """A provision a regime lists as deviable or as a guardrail (hegnspæl)."""

    regime = models.ForeignKey(Regime, on_delete=models.PROTECT, related_name="listings")
    act = models.CharField(max_length=120)
    ref = models.CharField(max_length=200)
    mark = models.CharField(max_length=16)  # deviable | guardrail
    note = models.TextField(blank=True)
    source = models.TextField(blank=True)
    valid_from = models.DateField(null=True)
    valid_to = models.DateField(null=True)
    municipalities = models.JSONField(null=True)  # None: every municipality it covers
    part = models.CharField(max_length=200, blank=True)
    condition = models.TextField(blank=True)
    condition_basis = models.TextField(blank=True)
    position = models.PositiveIntegerField()


class Coverage(Fact):
    regime = models.ForeignKey(Regime, on_delete=models.PROTECT, related_name="coverage")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    area = models.ForeignKey(Area, on_delete=models.PROTECT)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True)
    source = models.TextField(blank=True)
    confidence = models.CharField(max_length=16, blank=True)


class Delegation(Fact):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    regime = models.ForeignKey(Regime, on_delete=models.PROTECT)
    to = models.CharField(max_length=32)
    name = models.CharField(max_length=300, blank=True)
    institution = models.CharField(max_length=64, null=True)
    decided_on = models.DateField(null=True)
    source = models.TextField(blank=True)


class Decision(Fact):
    """A municipal decision that provisions shall not apply. Published: never edited."""

    id = models.CharField(max_length=64, primary_key=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    regime = models.ForeignKey(Regime, on_delete=models.PROTECT)
    area = models.ForeignKey(Area, on_delete=models.PROTECT)
    body = models.CharField(max_length=32)
    body_name = models.CharField(max_length=300, blank=True)
    body_institution = models.CharField(max_length=64, null=True)
    decided_on = models.DateField(null=True)
    published_on = models.DateField(null=True)
    published = models.BooleanField(default=True)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True)
    scope = models.JSONField()
    title = models.TextField(blank=True)
    replacement = models.TextField(blank=True)
    revokes = models.JSONField(default=list)
    source_url = models.URLField(max_length=500, null=True)
    date_precision = models.CharField(max_length=8, default="day")
    confidence = models.CharField(max_length=16, blank=True)
    example = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["municipality", "published_on"])]


class Target(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="targets")
    act = models.CharField(max_length=120)
    ref = models.CharField(max_length=200)
    extent = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    condition_met = models.BooleanField(null=True)
    # the source's words the register mapped to the citation (model.Target.source_words)
    source_words = models.TextField(blank=True, default="")
    position = models.PositiveSmallIntegerField()


class Exemption(Fact):
    id = models.CharField(max_length=64, primary_key=True)
    regime = models.ForeignKey(Regime, on_delete=models.PROTECT)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    area = models.ForeignKey(Area, on_delete=models.PROTECT)
    targets = models.JSONField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True)
    approved_on = models.DateField(null=True)
    legal_basis = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, null=True)


class Repeal(Fact):
    act = models.ForeignKey(Act, on_delete=models.PROTECT)
    ref = models.CharField(max_length=200)
    valid_from = models.DateField()
    decided_on = models.DateField(null=True)
    source_url = models.URLField(max_length=500, null=True)


class Kept(Fact):
    act = models.ForeignKey(Act, on_delete=models.PROTECT)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    reason = models.TextField()
    source_url = models.URLField(max_length=500, null=True)


class Record(Fact):
    """A record of a section declared in ``engine.model.KINDS`` that has no table of its own
    (dependencies, completeness …), stored as ``engine.codec`` JSON: a new record type or
    field needs no new table or column."""

    section = models.CharField(max_length=40)
    data = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["section"])]


class SyncState(models.Model):
    """Where ``frisat import sync`` got to, per channel (mutable bookkeeping, not a fact)."""

    channel = models.CharField(max_length=64, primary_key=True)
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField()


class ImportDigest(models.Model):
    """What the last import of an act was given, so that importing the same document again
    is known to be a no-op without reading the act's rows (``sources.import_digest``). Not
    a fact of the register: each import replaces it, and it holds only while the
    register's stamp (its newest load) is the one kept here."""

    act = models.CharField(max_length=120, primary_key=True)
    digest = models.CharField(max_length=64)  # the document, key, date, exclusions, code
    stamp_id = models.BigIntegerField()  # the newest load's id and time after the import
    stamp_at = models.DateTimeField()
    skipped = models.PositiveIntegerField()  # what a no-op import of it reports
    warnings = models.JSONField(default=list)  # InputError.to_json() of each


class Load(models.Model):
    """One successful write to the register: what came in, when, from where, by whom and
    how. Every fact stored since links to its load (provenance); the audit trail lists
    every load."""

    loaded_at = models.DateTimeField()
    source = models.CharField(max_length=500)  # the file, form, document or URL
    counts = models.JSONField(default=dict)
    by = models.CharField(max_length=150, blank=True)  # user, token owner or OS user
    how = models.CharField(max_length=16, blank=True)  # one of HOW

    HOW = ("init", "bundle", "api", "form", "import")
