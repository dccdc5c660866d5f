"""Reading and writing rows in bulk gives exactly what Django's own conversions give."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from frisat.registry import models as db
from frisat.registry import store

pytestmark = pytest.mark.django_db

BULK = (db.Provision, db.Version, db.Institution, db.Membership)


@pytest.mark.parametrize("model", [*BULK, db.Act, db.Listing, db.Coverage, db.Record])
def test_fetched_rows_are_converted_as_django_converts_them(model) -> None:  # type: ignore[no-untyped-def]
    names = [f.attname for f in model._meta.concrete_fields]
    rows = model.objects.order_by("pk").values_list(*names)
    expected = [tuple(r) for r in rows]
    assert expected  # the shipped reference data holds rows of each
    assert store._fetch(rows) == expected


@pytest.mark.parametrize("model", BULK)
def test_bulk_values_are_what_each_field_sends(model) -> None:  # type: ignore[no-untyped-def]
    """Every column of a bulk insert holds what the field's ``get_db_prep_save`` gives for
    each value (texts as they are, other values converted once per distinct value)."""
    copenhagen = ZoneInfo("Europe/Copenhagen")
    same_instant = (dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC),
                    dt.datetime(2024, 3, 1, 13, tzinfo=copenhagen))
    samples = {
        "DateTimeField": [*same_instant, same_instant[0], None],
        "DateField": [dt.date(2024, 1, 1), None, dt.date(2024, 1, 1), dt.date(1800, 1, 1)],
        "JSONField": [[], [{"regime": "r", "area": None, "basis": ""}], [], ["a", 1], {},
                      None],
        "BooleanField": [True, False, True, None],
    }
    texts = ["", "tekst", "  mellemrum ", None, "æøå"]
    numbers = [0, 1, 1, 2**31 - 1, None]
    for field in model._meta.concrete_fields:
        kind = field.get_internal_type()
        target = field.target_field if field.is_relation else field
        values = samples.get(kind) or (
            numbers if target.get_internal_type().endswith(("IntegerField", "AutoField"))
            else texts)
        got = store._column(list(values), field, store._text_as_is(field, connection),
                            connection)
        want = [field.get_db_prep_save(v, connection) for v in values]
        # equal, or (an adapter object for JSON on PostgreSQL) printed alike; a time is the
        # same instant whatever zone it came in
        assert all(x == y or repr(x) == repr(y) for x, y in zip(got, want, strict=True)), \
            field.name
