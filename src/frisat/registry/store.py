"""Between the database and the engine's records: read the whole register as a World,
and append new records. Nothing here updates or deletes a stored row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from django.db import connections, router, transaction
from django.db.models import AutoField, CharField, Field, QuerySet, TextField

from frisat.engine import codec
from frisat.engine import model as m
from frisat.registry import models as db
from frisat.registry.bundle import OfficialVersion

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

    def q(model: Any, section: str) -> Any:
        if section not in wanted:
            return model.objects.none()
        rows = model.objects.all()
        if reference is not None:
            rows = rows.filter(reference=reference)
        if act is not None and section == "acts":
            rows = rows.filter(key=act)
        elif act is not None and section in ("provisions", "versions", "repeals", "kept"):
            rows = rows.filter(act_id=act)
        return rows

    listing_rows: Any = db.Listing.objects.all()
    target_rows: Any = db.Target.objects.all() if "decisions" in wanted \
        else db.Target.objects.none()
    if reference is not None:
        listing_rows = listing_rows.filter(regime__reference=reference)
        target_rows = target_rows.filter(decision__reference=reference)
    listings: dict[str, list[m.Listing]] = {}
    for row in listing_rows.order_by("regime_id", "position").values():
        listings.setdefault(row["regime_id"], []).append(m.Listing(
            act=row["act"], ref=row["ref"], mark=row["mark"], note=row["note"],
            source=row["source"], valid_from=row["valid_from"], valid_to=row["valid_to"],
            municipalities=None if row["municipalities"] is None
            else tuple(row["municipalities"]), part=row["part"], condition=row["condition"],
            condition_basis=row["condition_basis"]))
    targets: dict[str, list[m.Target]] = {}
    for row in target_rows.order_by("decision_id", "position").values():
        targets.setdefault(row["decision_id"], []).append(
            m.Target(act=row["act"], ref=row["ref"], extent=row["extent"], note=row["note"],
                     source_words=row["source_words"],
                     condition_met=row["condition_met"]))
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
    world = m.World(
        municipalities=tuple(
            m.Municipality(code=r["code"], name=r["name"], region_code=r["region_code"],
                           region_name=r["region_name"], source=r["source"],
                           recorded_at=r["recorded_at"])
            for r in q(db.Municipality, "municipalities").values()),
        areas=tuple(m.Area(key=r["key"], name=r["name"], name_en=r["name_en"],
                           recorded_at=r["recorded_at"])
                    for r in q(db.Area, "areas").values()),
        institutions=tuple(
            m.Institution(id=r["id"], name=r["name"], requested=tuple(r["requested"]),
                          source=r["source"], example=r["example"], recorded_at=r["recorded_at"])
            for r in q(db.Institution, "institutions").values()),
        memberships=tuple(
            m.Membership(institution=r["institution_id"], municipality=r["municipality_id"],
                         area=r["area_id"], kind=r["kind"], valid_from=r["valid_from"],
                         valid_to=r["valid_to"], provider=r["provider"],
                         recorded_at=r["recorded_at"])
            for r in q(db.Membership, "memberships").order_by("id").values()),
        acts=tuple(
            m.Act(key=r["key"], level=r["level"], title=r["title"], areas=tuple(r["areas"]),
                  valid_from=r["valid_from"], municipality=r["municipality_id"], eli=r["eli"],
                  source_url=r["source_url"],
                  kinds=None if r["kinds"] is None else tuple(r["kinds"]),
                  short_title=r["short_title"], partial=r["partial"],
                  recorded_at=r["recorded_at"])
            for r in q(db.Act, "acts").values()),
        provisions=tuple(
            m.Provision(act, ref, parent, heading, summary, order, recorded_at)
            for act, ref, parent, heading, summary, order, recorded_at in _fetch(
                q(db.Provision, "provisions").order_by("act_id", "order", "id").values_list(
                    "act_id", "ref", "parent_ref", "heading", "summary", "order",
                    "recorded_at"))),
        versions=tuple(_version(*r) for r in _fetch(
            q(db.Version, "versions").order_by("id").values_list(
                "act_id", "ref", "valid_from", "valid_to", "enacted_by", "exclusions",
                "recorded_at", "text", "heading", "note"))),
        regimes=tuple(
            m.Regime(key=r["key"], title=r["title"], kind=r["kind"],
                     legal_basis=r["legal_basis"], shape=r["shape"], acts=tuple(r["acts"]),
                     listings=tuple(listings.get(r["key"], ())),
                     min_effect_delay_days=r["min_effect_delay_days"],
                     delegation_allowed=r["delegation_allowed"],
                     kinds=None if r["kinds"] is None else tuple(r["kinds"]),
                     private_requires_request=r["private_requires_request"],
                     protected_groups=tuple(r["protected_groups"]),
                     general_guardrails=tuple(r["general_guardrails"]),
                     run_off_note=r["run_off_note"], source_url=r["source_url"],
                     recorded_at=r["recorded_at"])
            for r in q(db.Regime, "regimes").values()),
        coverage=tuple(
            m.Coverage(regime=r["regime_id"], municipality=r["municipality_id"],
                       area=r["area_id"], valid_from=r["valid_from"], valid_to=r["valid_to"],
                       source=r["source"], confidence=r["confidence"],
                       recorded_at=r["recorded_at"])
            for r in q(db.Coverage, "coverage").order_by("id").values()),
        delegations=tuple(
            m.Delegation(municipality=r["municipality_id"], regime=r["regime_id"], to=r["to"],
                         name=r["name"], institution=r["institution"],
                         decided_on=r["decided_on"], source=r["source"],
                         recorded_at=r["recorded_at"])
            for r in q(db.Delegation, "delegations").order_by("id").values()),
        decisions=tuple(_decision(r, targets) for r in q(db.Decision, "decisions").values()),
        exemptions=tuple(
            m.Exemption(id=r["id"], regime=r["regime_id"], municipality=r["municipality_id"],
                        area=r["area_id"], targets=tuple(m.Target(**t) for t in r["targets"]),
                        valid_from=r["valid_from"], valid_to=r["valid_to"],
                        approved_on=r["approved_on"], legal_basis=r["legal_basis"],
                        source_url=r["source_url"], recorded_at=r["recorded_at"])
            for r in q(db.Exemption, "exemptions").values()),
        repeals=tuple(
            m.Repeal(act=r["act_id"], ref=r["ref"], valid_from=r["valid_from"],
                     decided_on=r["decided_on"], source_url=r["source_url"],
                     recorded_at=r["recorded_at"])
            for r in q(db.Repeal, "repeals").order_by("id").values()),
        kept=tuple(
            m.Kept(act=r["act_id"], municipality=r["municipality_id"], reason=r["reason"],
                   source_url=r["source_url"], recorded_at=r["recorded_at"])
            for r in q(db.Kept, "kept").order_by("id").values()),
    )
    return world.with_(**{section: getattr(world, section) + tuple(rows)
                          for section, rows in later.items() if rows})


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


# The sections with tables of their own; the others are stored as generic records
# (``db.Record``). A table keyed once per record (``ONCE``) holds the first record of each
# key; the later records of its history are generic records too.
TABLES = frozenset({"municipalities", "areas", "institutions", "memberships", "acts",
                    "provisions", "versions", "regimes", "coverage", "delegations",
                    "decisions", "exemptions", "repeals", "kept"})
ONCE = frozenset({"municipalities", "areas", "institutions", "acts", "provisions", "regimes"})
GENERIC = tuple(k for k in m.KINDS if k.section not in TABLES)
KIND = {k.section: k for k in m.KINDS}


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


_NO_EXCLUSIONS: tuple[m.Exclusion, ...] = ()


def _version(act: str, ref: str, valid_from: dt.date | None, valid_to: dt.date | None,
             enacted_by: str, exclusions: list[dict[str, Any]], recorded_at: dt.datetime,
             text: str | None, heading: str | None, note: str | None) -> m.Version:
    excluded = tuple(m.Exclusion(**e) for e in exclusions) if exclusions else _NO_EXCLUSIONS
    if text is None and heading is None and note is None:
        return m.Version(act, ref, valid_from, valid_to, enacted_by, excluded, recorded_at)
    return OfficialVersion(act, ref, valid_from, valid_to, enacted_by, excluded, recorded_at,
                           text, heading, note)


def _decision(r: dict[str, Any], targets: dict[str, list[m.Target]]) -> m.Decision:
    scope = r["scope"]
    return m.Decision(
        id=r["id"], municipality=r["municipality_id"], regime=r["regime_id"], area=r["area_id"],
        decided_by=m.DecidedBy(body=r["body"], name=r["body_name"],
                               institution=r["body_institution"]),
        decided_on=r["decided_on"], published_on=r["published_on"], published=r["published"],
        effective_from=r["effective_from"], effective_to=r["effective_to"],
        scope=m.Scope(
            institutions=None if scope.get("institutions") is None
            else tuple(scope["institutions"]),
            kinds=None if scope.get("kinds") is None else tuple(scope["kinds"])),
        targets=tuple(targets.get(r["id"], ())), title=r["title"],
        replacement=r["replacement"], revokes=tuple(r["revokes"]),
        source_url=r["source_url"], date_precision=r["date_precision"],
        confidence=r["confidence"], example=r["example"], recorded_at=r["recorded_at"])


def _scope_json(s: m.Scope) -> dict[str, Any]:
    return {"institutions": None if s.institutions is None else list(s.institutions),
            "kinds": None if s.kinds is None else list(s.kinds)}


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
        db.Area.objects.bulk_create(
            db.Area(key=a.key, name=a.name, name_en=a.name_en, recorded_at=a.recorded_at, **ref)
            for a in new.areas)
        db.Municipality.objects.bulk_create(
            db.Municipality(code=x.code, name=x.name, region_code=x.region_code,
                            region_name=x.region_name, source=x.source,
                            recorded_at=x.recorded_at, **ref) for x in new.municipalities)
        db.Act.objects.bulk_create(
            db.Act(key=a.key, level=a.level, title=a.title, short_title=a.short_title,
                   areas=list(a.areas), kinds=None if a.kinds is None else list(a.kinds),
                   municipality_id=a.municipality, eli=a.eli, source_url=a.source_url,
                   valid_from=a.valid_from, partial=a.partial, recorded_at=a.recorded_at, **ref)
            for a in new.acts)
        _bulk_insert(db.Provision, (
            dict(act_id=p.act, ref=p.ref, parent_ref=p.parent, heading=p.heading,
                 summary=p.summary, order=p.order, recorded_at=p.recorded_at, **ref)
            for p in new.provisions))
        _bulk_insert(db.Version, (
            dict(act_id=v.act, ref=v.ref, valid_from=v.valid_from, valid_to=v.valid_to,
                 enacted_by=v.enacted_by, exclusions=[asdict(e) for e in v.exclusions],
                 text=getattr(v, "text", None), heading=getattr(v, "heading", None),
                 note=getattr(v, "note", None), recorded_at=v.recorded_at, **ref)
            for v in new.versions))
        for rg in new.regimes:
            db.Regime.objects.create(
                key=rg.key, title=rg.title, kind=rg.kind, legal_basis=rg.legal_basis,
                source_url=rg.source_url, shape=rg.shape, acts=list(rg.acts),
                min_effect_delay_days=rg.min_effect_delay_days,
                delegation_allowed=rg.delegation_allowed,
                kinds=None if rg.kinds is None else list(rg.kinds),
                private_requires_request=rg.private_requires_request,
                protected_groups=list(rg.protected_groups),
                general_guardrails=list(rg.general_guardrails), run_off_note=rg.run_off_note,
                recorded_at=rg.recorded_at, **ref)
            db.Listing.objects.bulk_create(
                db.Listing(regime_id=rg.key, act=li.act, ref=li.ref, mark=li.mark,
                           note=li.note, source=li.source, valid_from=li.valid_from,
                           valid_to=li.valid_to, position=i,
                           municipalities=None if li.municipalities is None
                           else list(li.municipalities), part=li.part,
                           condition=li.condition, condition_basis=li.condition_basis)
                for i, li in enumerate(rg.listings))
        db.Coverage.objects.bulk_create(
            db.Coverage(regime_id=c.regime, municipality_id=c.municipality, area_id=c.area,
                        valid_from=c.valid_from, valid_to=c.valid_to, source=c.source,
                        confidence=c.confidence, recorded_at=c.recorded_at, **ref)
            for c in new.coverage)
        _bulk_insert(db.Institution, (
            dict(id=i.id, name=i.name, requested=list(i.requested), source=i.source,
                 example=i.example, recorded_at=i.recorded_at, **ref)
            for i in new.institutions))
        _bulk_insert(db.Membership, (
            dict(institution_id=x.institution, municipality_id=x.municipality, area_id=x.area,
                 kind=x.kind, provider=x.provider, valid_from=x.valid_from,
                 valid_to=x.valid_to, recorded_at=x.recorded_at, **ref)
            for x in new.memberships))
        db.Delegation.objects.bulk_create(
            db.Delegation(municipality_id=x.municipality, regime_id=x.regime, to=x.to,
                          name=x.name, institution=x.institution, decided_on=x.decided_on,
                          source=x.source, recorded_at=x.recorded_at, **ref)
            for x in new.delegations)
        for d in new.decisions:
            db.Decision.objects.create(
                id=d.id, municipality_id=d.municipality, regime_id=d.regime, area_id=d.area,
                body=d.decided_by.body, body_name=d.decided_by.name,
                body_institution=d.decided_by.institution, decided_on=d.decided_on,
                published_on=d.published_on, published=d.published,
                effective_from=d.effective_from,
                effective_to=d.effective_to, scope=_scope_json(d.scope), title=d.title,
                replacement=d.replacement, revokes=list(d.revokes), source_url=d.source_url,
                date_precision=d.date_precision, confidence=d.confidence, example=d.example,
                recorded_at=d.recorded_at, **ref)
            db.Target.objects.bulk_create(
                db.Target(decision_id=d.id, act=t.act, ref=t.ref, extent=t.extent, note=t.note,
                          source_words=t.source_words,
                          condition_met=t.condition_met, position=i)
                for i, t in enumerate(d.targets))
        db.Exemption.objects.bulk_create(
            db.Exemption(id=e.id, regime_id=e.regime, municipality_id=e.municipality,
                         area_id=e.area, targets=[asdict(t) for t in e.targets],
                         valid_from=e.valid_from, valid_to=e.valid_to,
                         approved_on=e.approved_on, legal_basis=e.legal_basis,
                         source_url=e.source_url, recorded_at=e.recorded_at, **ref)
            for e in new.exemptions)
        db.Repeal.objects.bulk_create(
            db.Repeal(act_id=x.act, ref=x.ref, valid_from=x.valid_from, decided_on=x.decided_on,
                      source_url=x.source_url, recorded_at=x.recorded_at, **ref)
            for x in new.repeals)
        db.Kept.objects.bulk_create(
            db.Kept(act_id=x.act, municipality_id=x.municipality, reason=x.reason,
                    source_url=x.source_url, recorded_at=x.recorded_at, **ref)
            for x in new.kept)
        _bulk_insert(db.Record, (
            dict(section=section, data=codec.encode(x), recorded_at=x.recorded_at, **ref)
            for section, x in [*((k.section, x) for k in GENERIC
                                 for x in getattr(new, k.section)), *later]))
    return total


def counts(w: m.World) -> dict[str, int]:
    return {name: len(getattr(w, name)) for name in w.SECTIONS if getattr(w, name)}


def reference_keys() -> dict[str, set[Any]]:
    """Keys of records that came with the shipped reference data (left out of exports)."""
    return {
        "acts": set(db.Act.objects.filter(reference=True).values_list("key", flat=True)),
        "regimes": set(db.Regime.objects.filter(reference=True).values_list("key", flat=True)),
        "institutions": set(
            db.Institution.objects.filter(reference=True).values_list("id", flat=True)),
        "decisions": set(db.Decision.objects.filter(reference=True).values_list("id", flat=True)),
        "municipalities": set(
            db.Municipality.objects.filter(reference=True).values_list("code", flat=True)),
        "areas": set(db.Area.objects.filter(reference=True).values_list("key", flat=True)),
        "exemptions": set(
            db.Exemption.objects.filter(reference=True).values_list("id", flat=True)),
    }


HOW = {"init": "frisat init (medfølgende referencedata)", "bundle": "bundt (frisat load)",
       "api": "API", "form": "formular", "import": "import fra kilde", "": "ikke registreret"}


def loads(limit: int = 500) -> list[dict[str, Any]]:
    """The newest loads, newest first: who wrote what, when, how and from where."""
    return [{"at": x.loaded_at, "by": x.by or "ikke registreret", "how": HOW.get(x.how, x.how),
             "source": x.source, "counts": x.counts}
            for x in db.Load.objects.order_by("-id")[:limit]]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
