"""One declaration per record type (issue 9): the bundle writer and reader work from
``engine.model.KINDS`` and ``LAYOUTS`` alone, so every record comes back as it was written,
and a field added to a record type is written and read without touching either."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import Any

import pytest

from frisat.engine import model as m
from frisat.registry import bundle, export
from frisat.registry.bundle import OfficialVersion, Reader, read_bundle, read_record

NOW = dt.datetime.now(dt.UTC)


def test_the_world_used_holds_every_kind_of_record(world: m.World) -> None:
    assert [k.section for k in m.KINDS if not getattr(world, k.section)] == []


def test_every_record_of_every_kind_comes_back_as_it_was_written(world: m.World) -> None:
    again = read_bundle(export.to_bundle(world), NOW)
    for kind in m.KINDS:
        assert Counter(getattr(again, kind.section)) == Counter(getattr(world, kind.section)), \
            kind.section


def _records(world: m.World) -> dict[type, Any]:
    """One record of every type that stands in a bundle, a record of each kind and the
    records nested in them."""
    found: dict[type, Any] = {}
    for x in world.records():
        found.setdefault(type(x), x)
        for f in dataclasses.fields(x):  # type: ignore[arg-type]
            v = getattr(x, f.name)
            for y in v if isinstance(v, tuple) else (v,):
                if type(y) in m.LAYOUTS:
                    found.setdefault(type(y), y)
    return found


def test_every_field_of_every_record_type_is_read_and_written(world: m.World) -> None:
    """A field is written by its type or by a hook, and read back the same (a field with
    no reader for its type, or a hook only one way, fails here)."""
    records = _records(world)
    assert set(m.LAYOUTS) | {OfficialVersion} <= set(records)
    for cls, x in records.items():
        layout = m.layout_of(cls)
        assert layout.hooks <= {f.name for f in dataclasses.fields(cls)}, cls
        for name in layout.hooks:
            assert (layout, name) in export.WRITE and (layout, name) in bundle.READ, name
        given = _given(x)
        r = Reader(NOW)
        back = read_record(r, cls, export.record_json(x), "x", given=given)
        assert (r.errors, back) == ([], x), cls.__name__


def _given(x: Any) -> dict[str, Any]:
    """What a record's enclosure gives it; a provision's place in its act (its ref and
    parent) is read with the act (``bundle._in_act``)."""
    names = (*m.layout_of(type(x)).given, *(("ref", "parent") if isinstance(x, m.Provision)
                                            else ()))
    return {n: getattr(x, n) for n in names}


# a field of each type a record may gain, with a value other than its default
NEW_FIELDS: list[tuple[Any, Any]] = [
    (str, "ny tekst"), (str | None, "https://www.retsinformation.dk/eli/lta/2024/1"),
    (int, 7), (int | None, 3), (bool, True), (bool | None, False),
    (m.Date, dt.date(2024, 1, 31)), (m.Date | None, dt.date(2024, 2, 1)),
    (tuple[str, ...], ("a", "b")), (tuple[str, ...] | None, ("c",)),
]


@pytest.mark.parametrize(("tp", "value"), NEW_FIELDS, ids=[str(t) for t, _ in NEW_FIELDS])
def test_a_field_added_to_any_record_type_is_written_and_read_without_more(
        world: m.World, tp: Any, value: Any) -> None:
    for cls, x in _records(world).items():
        name = "added"
        grown = dataclasses.make_dataclass(
            f"{cls.__name__}Grown", [(name, tp, dataclasses.field(default=None))],
            bases=(cls,), frozen=True)
        y = grown(**{f.name: getattr(x, f.name) for f in dataclasses.fields(cls)},
                  **{name: value})
        written = export.record_json(y)
        assert written[name] == (list(value) if isinstance(value, tuple)
                                 else value.isoformat() if isinstance(value, dt.date)
                                 else value), (cls.__name__, tp)
        r = Reader(NOW)
        given = _given(x)
        assert (r.errors, read_record(r, grown, written, "x", given=given)) == ([], y)
