"""Reading and writing rows in bulk gives exactly what Django's own conversions give, and
every field of every table-backed record is stored in a column (``registry.tables``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from frisat.engine import model as m
from frisat.registry import models as db
from frisat.registry import store, tables

pytestmark = pytest.mark.django_db

# every table a record is stored in (each is read with ``_fetch``, written with
# ``_bulk_insert``)
BULK = (*(t.model for t in tables.TABLES), db.Listing, db.Target, db.Record)
# the shipped reference data holds rows of these
SHIPPED = (db.Area, db.Municipality, db.Act, db.Provision, db.Version, db.Regime, db.Listing,
           db.Coverage, db.Institution, db.Membership, db.Decision, db.Target, db.Repeal,
           db.Kept, db.Record)


@pytest.mark.parametrize("model", SHIPPED)
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


def _grown(cls: type) -> type:
    """``cls`` with one more field."""
    return dataclasses.make_dataclass(f"{cls.__name__}Grown",
                                      [("added", str, dataclasses.field(default=""))],
                                      bases=(cls,), frozen=True)


@pytest.mark.parametrize("table", tables.TABLES, ids=lambda t: t.section)
def test_every_field_of_a_table_backed_record_has_a_column_and_every_column_a_field(
        table: tables.Table) -> None:
    assert table.plan.unmapped() == []
    grown = _grown(table.plan.record)
    with pytest.raises(tables.NoColumn, match="added"):
        tables.Plan(table.model, grown, table.columns)


def test_a_column_no_field_is_stored_in_is_reported() -> None:
    fewer = dataclasses.make_dataclass("KeptFewer", [
        (f.name, f.type, f) for f in dataclasses.fields(m.Kept) if f.name != "reason"],
        frozen=True)
    assert tables.Plan(db.Kept, fewer, {}).unmapped() == ["reason"]


def _empty_register() -> None:
    """No record in any table (undone with the test's transaction)."""
    for model in (db.Target, db.Listing, db.Record, *reversed([t.model for t in tables.TABLES])):
        model.objects.all()._raw_delete(model.objects.db)


def _unset(records: list[Any]) -> list[str]:
    """The fields of the records (and of the records in their fields) that hold their
    default in every record: a field not stored at all would pass unnoticed there."""
    by_type: dict[type, list[Any]] = {}
    for x in records:
        for cls in type(x).__mro__[:-1]:  # an official version is a version too
            by_type.setdefault(cls, []).append(x)
        for f in dataclasses.fields(x):
            v = getattr(x, f.name)
            for y in v if isinstance(v, tuple) else (v,):
                if dataclasses.is_dataclass(y):
                    by_type.setdefault(type(y), []).append(y)
    return [f"{cls.__name__}.{f.name}" for cls, xs in by_type.items()
            for f in dataclasses.fields(cls)
            if f.default is not dataclasses.MISSING
            and all(getattr(x, f.name) == f.default for x in xs)]


def test_every_field_of_every_table_backed_record_comes_back_from_a_fresh_register(
        world: m.World) -> None:
    """Stored in an empty register and read back, every record is what was stored: its
    type, its fields and their order within a section."""
    assert _unset([x for t in tables.TABLES for x in getattr(world, t.section)]) == []
    _empty_register()
    assert store.read_world() == m.World()
    store.append(world, existing=m.World())
    again = store.read_world()
    for kind in m.KINDS:
        assert Counter((type(x), x) for x in getattr(again, kind.section)) == \
            Counter((type(x), x) for x in getattr(world, kind.section)), kind.section
    # the first record of every key is in its table
    for t in tables.TABLES:
        firsts = {store.KIND[t.section].key_of(x) for x in getattr(world, t.section)}
        assert t.model.objects.count() == (len(firsts) if t.section in store.ONCE
                                           else len(getattr(world, t.section))), t.section
