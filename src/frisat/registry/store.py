"""Between the database and the engine's records: read the whole register as a World,
and append new records. Nothing here updates or deletes a stored row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connections, router, transaction
from django.db.models import AutoField, CharField, Field, QuerySet, TextField, UniqueConstraint

from frisat.engine import codec
from frisat.engine import model as m
from frisat.registry import models as db
from frisat.registry import tables

# What an import of one act checks against (``read_world(act=…)``): the act's own rows,
# and the areas, municipalities and regimes its records and the regimes' listings name.
ACT_SECTIONS = frozenset({"municipalities", "areas", "acts", "provisions", "versions",
                          "regimes", "repeals", "kept"})


def read_world(*, reference: bool | None = None, act: str | None = None) -> m.World:
    """Every record of the register, with its record time (the full history).

    ``reference`` False leaves out the shipped reference data (for exports), True keeps
    only it; None reads everything.

    ``act``: only what an import of that act checks against (``ACT_SECTIONS``): the act's
    own records (the act, its provisions, versions, repeals and kept rule sets, with their
    history) and every area, municipality and regime; the other sections are empty. The
    loader's checks of records of that act alone need nothing more.

    Read inside a transaction, it is read to be written over: the writers' lock is taken
    first (``registry.locking``), so concurrent loads check against each other's rows.
    """
    from frisat.registry.locking import serialize_writes

    serialize_writes()
    wanted = ACT_SECTIONS if act is not None else frozenset(k.section for k in m.KINDS)

    later: dict[str, list[Any]] = {k.section: [] for k in m.KINDS}
    records = db.Record.objects.filter(section__in=wanted)
    if reference is not None:
        records = records.filter(reference=reference)
    for section, data, recorded_at in records.order_by("id").values_list(
            "section", "data", "recorded_at"):
        if section in later:  # a section of a newer release is left to that release
            x = codec.decode(KIND[section].record, data, recorded_at=recorded_at)
            if act is None or _of_act(x, act):
                later[section].append(x)

    def read(table: tables.Table) -> tuple[Any, ...]:
        """The table's records, in today's row order, with the records of its ``Rows``."""
        if table.section not in wanted:
            return ()
        plan = table.plan
        found = table.model.objects.all()
        if reference is not None:
            found = found.filter(reference=reference)
        if act is not None:
            found = found.filter(**_act_rows(table.model, act))
        if table.order:
            found = found.order_by(*table.order)
        parts = {}
        for name, sub in plan.rows.items():
            items = sub.model.objects.order_by(sub.select[0], "position")
            if reference is not None:
                items = items.filter(**{f"{sub.parent}__reference": reference})
            parts[name] = sub.grouped(_fetch(items.values_list(*sub.select)))
        return tuple(plan.records(_fetch(found.values_list(*plan.select)), parts))

    world = m.World(**{t.section: read(t) for t in tables.TABLES})  # type: ignore[arg-type]
    return world.with_(**{section: getattr(world, section) + tuple(rows)
                          for section, rows in later.items() if rows})


def _act_rows(model: Any, act: str) -> dict[str, str]:
    """The filter of a table's rows that belong to the act: the act itself, or the rows
    whose foreign key names it (none: every row)."""
    if model is db.Act:
        return {"pk": act}
    return {f.attname: act for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is db.Act}


def _of_act(x: Any, act: str) -> bool:
    """Whether a record belongs to the act (or is of a section every act's checks read)."""
    if isinstance(x, m.Act):
        return x.key == act
    return getattr(x, "act", act) == act


def _fetch(rows: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` query, each value converted as Django converts it
    (its backend's and its field's converters), but each distinct stored value of a
    converted column once: a register repeats its record times, dates and JSON far more
    often than it holds distinct ones. Converted values are shared between rows: the
    records made from them must not change them (they hold tuples)."""
    compiler = rows.query.get_compiler(using=rows.db)
    connection = compiler.connection
    sql, params = compiler.as_sql()
    selected = compiler.select[:compiler.col_count]
    converters = compiler.get_converters([s[0] for s in selected])
    if connection.vendor == "sqlite":
        # SQLite's driver turns every stored date and time into an object (in Python, value
        # by value) before Django's converters see it: read them as their stored text, which
        # those converters read just the same, once per distinct text
        for _expression, (column, _params), _alias in selected:
            if _expression.output_field.get_internal_type() in ("DateField",
                                                                 "DateTimeField"):
                sql = sql.replace(column, f"CAST({column} AS TEXT)", 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        data = cursor.fetchall()
    if not data:
        return []
    columns: list[Any] = list(zip(*data, strict=True))
    for pos, (convs, expression) in converters.items():
        def convert(value: Any) -> Any:
            for converter in convs:  # noqa: B023 - used within this iteration only
                value = converter(value, expression, connection)  # noqa: B023
            return value

        try:
            memo = {value: convert(value) for value in set(columns[pos])}
        except TypeError:  # an unhashable stored value (a JSON document on PostgreSQL)
            columns[pos] = [convert(value) for value in columns[pos]]
            continue
        columns[pos] = [memo[value] for value in columns[pos]]
    return list(zip(*columns, strict=True))


# The sections with tables of their own (``registry.tables``); the others are stored as
# generic records (``db.Record``). A table keyed once per record (``ONCE``: a history whose
# key is the table's primary key or unique) holds the first record of each key; the later
# records of its history are generic records too.
TABLES = frozenset(t.section for t in tables.TABLES)
KIND = {k.section: k for k in m.KINDS}
ONCE = frozenset(t.section for t in tables.TABLES if KIND[t.section].history == "history" and (
    not isinstance(t.model._meta.pk, AutoField)
    or any(isinstance(c, UniqueConstraint) for c in t.model._meta.constraints)))
GENERIC = tuple(k for k in m.KINDS if k.section not in TABLES)


def _split(new: m.World, existing: m.World | None) -> tuple[m.World, list[Any]]:
    """The records for the tables, and the later records of a key a table already holds
    (or that come twice in one load), which go to the generic records."""
    first: dict[str, list[Any]] = {}
    later: list[tuple[str, Any]] = []
    for section in ONCE:
        if not getattr(new, section):
            continue
        kind = KIND[section]
        seen = {kind.key_of(x) for x in getattr(existing, section)} if existing else set()
        keep = first[section] = []
        for x in getattr(new, section):
            k = kind.key_of(x)
            (later.append((section, x)) if k in seen else keep.append(x))
            seen.add(k)
    return new.with_(**{s: tuple(v) for s, v in first.items()}), later


def _bulk_insert(model: Any, rows: Iterable[dict[str, Any]], batch_size: int = 2000) -> None:
    """``model.objects.bulk_create`` for rows of plain values, without building a model
    instance and compiling SQL for every row: each value goes through its field's
    ``get_db_prep_save`` (so the database sees exactly what ``bulk_create`` would send;
    fields left out get their default) and each batch is one ``executemany``. The large
    sections (provisions, versions, institutions, memberships) are stored this way.

    A text of a text column is sent as it is (what its field's conversion returns for any
    text); every other value is converted once per distinct value and column (record
    times, dates, flags, keys and JSON repeat across a load's rows)."""
    db_alias = router.db_for_write(model)
    connection = connections[db_alias]
    fields = [f for f in model._meta.concrete_fields
              if not isinstance(f, AutoField) and not getattr(f, "generated", False)]
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} "
           f"({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    rows = list(rows)
    columns = [_column([row.get(f.attname, _MISSING) for row in rows], f,
                       _text_as_is(f, connection), connection) for f in fields]
    values = list(zip(*columns, strict=True))
    with connection.cursor() as cursor:
        for i in range(0, len(values), batch_size):
            cursor.executemany(sql, values[i:i + batch_size])


_MISSING = object()


def _column(values: list[Any], field: Any, as_is: bool, connection: Any) -> list[Any]:
    """One column's values as the database gets them (see ``_bulk_insert``)."""
    save = field.get_db_prep_save
    kinds = set(map(type, values))
    if as_is and kinds <= {str, type(None)}:
        return values
    if kinds <= _BY_VALUE and not {bool, int} <= kinds:
        # each distinct value once (equal values convert to the same stored value; a flag
        # and a number that are equal are not mixed)
        memo = {v: save(field.get_default() if v is _MISSING else v, connection)
                for v in set(values)}
        return [memo[v] for v in values]
    by_repr: dict[tuple[type, str], Any] = {}  # lists and dicts for JSON: by printed form
    out = []
    for v in values:
        if v is _MISSING:
            v = field.get_default()
        key = (type(v), repr(v))
        if key not in by_repr:
            by_repr[key] = save(v, connection)
        out.append(by_repr[key])
    return out


_BY_VALUE = frozenset({type(None), bool, int, str, dt.date, dt.datetime, type(_MISSING)})


def _text_as_is(field: Any, connection: Any) -> bool:
    """Whether the field (or the key it refers to) sends any text to the database as it is:
    Django's char and text fields do, on every backend (no adapter is asked); a key sends
    "" as NULL on a backend that takes empty texts for NULL."""
    target = field.target_field if field.is_relation else field
    if field.is_relation and (connection.features.interprets_empty_strings_as_nulls
                              or not target.empty_strings_allowed):
        return False
    kind = type(target)
    return (kind.get_db_prep_save is Field.get_db_prep_save
            and kind.get_db_prep_value is Field.get_db_prep_value
            and kind.get_prep_value in (CharField.get_prep_value, TextField.get_prep_value)
            and kind.to_python in (CharField.to_python, TextField.to_python))


def append(new: m.World, *, reference: bool = False, load: db.Load | None = None,
           existing: m.World | None = None) -> dict[str, int]:
    """Store the records of ``new`` (already checked) in one transaction, each linked to
    its ``load``; return counts. ``existing``: the register as read for the load (None:
    read here when needed)."""
    total = counts(new)
    if existing is None and any(getattr(new, s) for s in ONCE):
        existing = read_world()
    new, later = _split(new, existing)
    ref: dict[str, Any] = {"reference": reference, "load_id": load.pk if load else None}
    with transaction.atomic():
        for table in tables.TABLES:
            records = getattr(new, table.section)
            if records:
                _bulk_insert(table.model, table.plan.values(records, ref))
                for sub, rows in table.plan.part_values(records):
                    _bulk_insert(sub.model, rows)
        _bulk_insert(db.Record, (
            dict(section=section, data=codec.encode(x), recorded_at=x.recorded_at, **ref)
            for section, x in [*((k.section, x) for k in GENERIC
                                 for x in getattr(new, k.section)), *later]))
    return total


def counts(w: m.World) -> dict[str, int]:
    return {name: len(getattr(w, name)) for name in w.SECTIONS if getattr(w, name)}


HOW = {"init": "frisat init (medfølgende referencedata)", "bundle": "bundt (frisat load)",
       "api": "API", "form": "formular", "import": "import fra kilde", "": "ikke registreret"}


def loads(limit: int = 500) -> list[dict[str, Any]]:
    """The newest loads, newest first: who wrote what, when, how and from where."""
    return [{"at": x.loaded_at, "by": x.by or "ikke registreret", "how": HOW.get(x.how, x.how),
             "source": x.source, "counts": x.counts}
            for x in db.Load.objects.order_by("-id")[:limit]]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
