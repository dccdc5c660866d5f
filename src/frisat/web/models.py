"""The portal's search index: a copy of the register's searchable texts, rebuilt on change."""

from __future__ import annotations

from django.db import models


class SearchDoc(models.Model):
    """One searchable page: an institution, municipality, act, provision or decision."""

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=300)
    title = models.CharField(max_length=500)
    detail = models.TextField(blank=True)
    url = models.CharField(max_length=600)
    # Snowball-stemmed, ASCII-folded words (æ → ae, ø → oe, å → aa) of everything indexed
    terms = models.TextField()


class SearchState(models.Model):
    """Which register load the index was built from (one row)."""

    stamp = models.CharField(max_length=100)
