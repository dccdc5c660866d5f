"""The sections with tables of their own, one declaration each, and how their rows and
records map onto each other (``registry.store`` reads and writes them).

A record field is stored in the column of its name (a foreign key in its ``x_id``), a JSON
column through the field's codec (``engine.codec``: tuples as lists, nested records as
objects); a table declares only the exceptions. Adding a field to a table-backed record
needs the field, its column (a migration) and nothing else here
(``tests/registry/test_store_rows.py`` fails for a field without a column).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import AutoField, JSONField

from frisat.engine import codec
from frisat.engine import model as m
from frisat.registry import models as db
from frisat.registry.bundle import OfficialVersion


@dataclass(frozen=True)
class Nested:
    """A field holding a record whose fields stand in columns of the table: field of the
    nested record -> column (a decision's ``decided_by``)."""

    record: type
    columns: Mapping[str, str]


@dataclass(frozen=True)
class Rows:
    """A field holding records stored as rows of a table of their own (a regime's listings,
    a decision's targets): each row names its record by the foreign key ``parent`` and
    keeps its place in the field in ``position``."""

    model: Any
    parent: str


@dataclass(frozen=True, eq=False)
class Table:
    section: str
    model: Any
    # the fields stored otherwise than in the column of their name
    columns: Mapping[str, str | Nested | Rows] = field(default_factory=dict)
    # the order its rows are read in (the World's record order feeds answers); (): the
    # model's own ordering, if any
    order: tuple[str, ...] = ()
    # the subclass of the section's record the table holds (with fields of its own); a row
    # whose own fields are all None is read as the section's record
    record: type | None = None

    @cached_property
    def plan(self) -> Plan:
        return Plan(self.model, self.record or m.BY_SECTION[self.section].record,
                    self.columns, base=m.BY_SECTION[self.section].record)


# In the order they are written (a row's foreign keys before it; ids in this order).
TABLES: tuple[Table, ...] = (
    Table("areas", db.Area),
    Table("municipalities", db.Municipality),
    Table("acts", db.Act),
    Table("provisions", db.Provision, {"parent": "parent_ref"}, order=("act_id", "order", "id")),
    Table("versions", db.Version, order=("id",), record=OfficialVersion),
    Table("regimes", db.Regime, {"listings": Rows(db.Listing, "regime")}),
    Table("coverage", db.Coverage, order=("id",)),
    Table("institutions", db.Institution),
    Table("memberships", db.Membership, order=("id",)),
    Table("delegations", db.Delegation, order=("id",)),
    Table("decisions", db.Decision, {
        "decided_by": Nested(m.DecidedBy, {"body": "body", "name": "body_name",
                                           "institution": "body_institution"}),
        "targets": Rows(db.Target, "decision")}),
    Table("exemptions", db.Exemption),
    Table("repeals", db.Repeal, order=("id",)),
    Table("kept", db.Kept, order=("id",)),
)
BY_SECTION: Mapping[str, Table] = {t.section: t for t in TABLES}

# columns every fact has besides its record's fields (models.Fact), and those of a row
# that stands for a record within another (``Rows``)
BOOKKEEPING = frozenset({"reference", "load"})
ROW_PLACE = frozenset({"position"})


class Plan:
    """How the rows of one table become records of one type and back: the columns read
    (``select``, in the record's field order) and one step per field."""

    def __init__(self, model: Any, record: type, columns: Mapping[str, Any], *,
                 base: type | None = None, parent: str | None = None) -> None:
        self.model, self.record = model, record
        names = [f.name for f in dataclasses.fields(record)]  # type: ignore[arg-type]
        # the record's own fields beyond its base's: read as the base where all are None
        self.base = base if base is not None and base is not record else None
        self.n_base = len(dataclasses.fields(self.base)) if self.base else len(names)  # type: ignore[arg-type]
        codecs = codec.codecs(record)
        select: list[str] = [model._meta.get_field(parent).attname] if parent else []
        self.steps: list[tuple[str, str, Any]] = []
        self.rows: dict[str, Plan] = {}
        for name in names:
            spec = columns.get(name, name)
            if isinstance(spec, Rows):
                self.rows[name] = Plan(spec.model, _item(record, name), {}, parent=spec.parent)
                self.steps.append(("rows", name, None))
                continue
            if isinstance(spec, Nested):
                attnames = tuple(_column(model, c).attname for c in spec.columns.values())
                self.steps.append(("nested", name, (spec, len(select))))
                select.extend(attnames)
                continue
            col = _column(model, spec)
            self.steps.append(("column", name, (col.attname, len(select),
                                                codecs[name] if isinstance(col, JSONField)
                                                else None)))
            select.append(col.attname)
        self.select = tuple(select)
        self.parent = parent
        # the field a ``Rows`` row names its record by: the one stored in the primary key
        self.key: str = next((name for what, name, arg in self.steps
                              if what == "column" and arg[0] == model._meta.pk.attname), "")

    # -- reading ---------------------------------------------------------------------

    def records(self, rows: Sequence[tuple[Any, ...]],
                parts: Mapping[str, Mapping[Any, list[Any]]] | None = None) -> list[Any]:
        """The records of rows read as ``select``; ``parts``: the records of each ``Rows``
        field by the key of the record they belong to."""
        if not rows:
            return []
        cols = list(zip(*rows, strict=True))
        key = cols[self.select.index(self.model._meta.pk.attname)] if self.rows else ()
        out: list[Sequence[Any]] = []
        for what, name, arg in self.steps:
            if what == "column":
                _attname, i, coded = arg
                out.append(cols[i] if coded is None else _decoded(cols[i], coded[1]))
            elif what == "nested":
                spec, i = arg
                n = len(spec.columns)
                made: dict[tuple[Any, ...], Any] = {}  # each distinct one once
                for v in set(zip(*cols[i:i + n], strict=True)):
                    made[v] = spec.record(**dict(zip(spec.columns, v, strict=True)))
                out.append([made[v] for v in zip(*cols[i:i + n], strict=True)])
            else:
                of = (parts or {}).get(name, {})
                out.append([tuple(of.get(k, ())) for k in key])
        cls, base, n = self.record, self.base, self.n_base
        if base is None:
            return [cls(*r) for r in zip(*out, strict=True)]
        return [base(*r[:n]) if all(v is None for v in r[n:]) else cls(*r)
                for r in zip(*out, strict=True)]

    def grouped(self, rows: Sequence[tuple[Any, ...]]) -> dict[Any, list[Any]]:
        """The records of a ``Rows`` table (read as ``select``: its parent key first) by
        the key of the record they belong to, in the order read."""
        out: dict[Any, list[Any]] = {}
        for k, x in zip((r[0] for r in rows), self.records(rows), strict=True):
            out.setdefault(k, []).append(x)
        return out

    # -- writing ---------------------------------------------------------------------

    def values(self, records: Sequence[Any], extra: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The rows of ``records`` as column -> value (with ``extra`` in each)."""
        names: list[str] = []
        cols: list[list[Any]] = []
        defaults = {f.name: f.default for f in dataclasses.fields(self.record)}  # type: ignore[arg-type]
        for what, name, arg in self.steps:
            if what == "rows":
                continue
            # a record of the base type lacks the subclass's own fields: their defaults
            got = [getattr(x, name, defaults[name]) for x in records]
            if what == "nested":
                spec = arg[0]
                for sub, column in spec.columns.items():
                    names.append(_column(self.model, column).attname)
                    cols.append([getattr(v, sub) for v in got])
            else:
                attname, _i, coded = arg
                names.append(attname)
                cols.append(got if coded is None else [coded[0](v) for v in got])
        return [{**dict(zip(names, vals, strict=True)), **extra}
                for vals in zip(*cols, strict=True)] if cols else []

    def part_values(self, records: Sequence[Any]) -> Iterable[tuple[Any, list[dict[str, Any]]]]:
        """For each ``Rows`` field: its table and the rows of every record's items."""
        for name, sub in self.rows.items():
            parent = sub.select[0]
            rows: list[dict[str, Any]] = []
            for x in records:
                items = sub.values(getattr(x, name), {parent: getattr(x, self.key)})
                rows.extend(row | {"position": i} for i, row in enumerate(items))
            yield sub, rows

    # -- the declaration's check ---------------------------------------------------------

    def unmapped(self) -> list[str]:
        """Columns of the table that no record field is stored in (besides the bookkeeping
        of a fact, a row's id, parent and position)."""
        used = set(self.select)
        skip = BOOKKEEPING | ROW_PLACE
        return [f.name for f in self.model._meta.concrete_fields
                if f.attname not in used and f.name not in skip
                and not (isinstance(f, AutoField))] + \
            [f"{name}: {x}" for name, sub in self.rows.items() for x in sub.unmapped()]


class NoColumn(LookupError):
    """A record field without a column of its name and without a declared exception."""


def _column(model: Any, name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        raise NoColumn(f"{model.__name__} has no column for the record field {name!r}: add "
                       "it (a migration) or declare the exception (registry.tables)") from None


def _item(record: type, name: str) -> type:
    """The record type a tuple field holds (``tuple[Listing, ...]`` -> Listing)."""
    tp = typing.get_type_hints(record, vars(m))[name]
    return typing.get_args(tp)[0]  # type: ignore[no-any-return]


_UNSET = object()


def _decoded(values: Sequence[Any], dec: Callable[[Any], Any]) -> list[Any]:
    """A JSON column decoded, each stored value once (``store._fetch`` shares equal values
    read as one object; the records made from them hold tuples, so sharing is safe)."""
    memo: dict[int, Any] = {}
    out = []
    for v in values:
        d = memo.get(id(v), _UNSET)
        if d is _UNSET:
            d = memo[id(v)] = dec(v)
        out.append(d)
    return out
