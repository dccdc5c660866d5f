"""Follow-up tables: indicator definitions, observations, lessons (erfaringer).

Like the register itself these are facts with a record time, never updated or deleted
(``frisat.registry.models.Fact``). An observation revised by its source is a new row with
the same key and a later record time; a lesson amended is a new row with the same key.
``EvaluationCache`` is bookkeeping, not a fact: results computed for a register state and
a data state, kept so that a page answers at once.
"""

from __future__ import annotations

from django.db import models

from frisat.registry.models import Fact


class Indicator(Fact):
    """What is measured: name, unit, level, which direction is better, source and breaks."""

    key = models.CharField(max_length=120, primary_key=True)
    name = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300, blank=True)
    unit = models.CharField(max_length=300)
    unit_en = models.CharField(max_length=300, blank=True)
    level = models.CharField(max_length=16)  # municipality | institution
    better = models.CharField(max_length=8)  # higher | lower
    area = models.CharField(max_length=50, blank=True)
    period_kind = models.CharField(max_length=16, default="year")  # year | school_year
    source = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(max_length=200, blank=True)
    attribution = models.CharField(max_length=300, blank=True)
    # [{"period": "2023", "explanation": …, "explanation_en": …}]: a new method from period
    breaks = models.JSONField(default=list)
    caveats = models.JSONField(default=list)  # [{"da": …, "en": …}]
    note = models.TextField(blank=True)


class Observation(Fact):
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT,
                                  related_name="observations")
    unit_kind = models.CharField(max_length=16)  # municipality | institution
    unit = models.CharField(max_length=64)
    period = models.CharField(max_length=10)  # 2021 | 2021Q3 | 2021-09
    value = models.FloatField()
    source = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["indicator", "unit_kind", "unit", "period"])]


class DataLoad(models.Model):
    """One successful load of indicator data: the data state that evaluations are cut at."""

    loaded_at = models.DateTimeField()
    source = models.CharField(max_length=500)
    counts = models.JSONField(default=dict)


class Lesson(Fact):
    """What a freed municipality tried with a rule, what replaced it, what followed."""

    key = models.CharField(max_length=120, db_index=True)
    municipality = models.PositiveSmallIntegerField(null=True)
    area = models.CharField(max_length=50, blank=True)
    regime = models.CharField(max_length=120, blank=True)
    title = models.CharField(max_length=300)
    tried = models.TextField()
    replaced_by = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    contact = models.CharField(max_length=300, blank=True)
    source = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    confidence = models.CharField(max_length=16, blank=True)
    decisions = models.JSONField(default=list)
    provisions = models.JSONField(default=list)  # canonical citations
    institutions = models.JSONField(default=list)
    indicators = models.JSONField(default=list)
    recorded_by = models.CharField(max_length=150, blank=True)


class EvaluationCache(models.Model):
    key = models.CharField(max_length=64, primary_key=True)
    result = models.JSONField()
    created_at = models.DateTimeField()
