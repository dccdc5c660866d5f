"""An import's records, checked as the same fields of a bundle are, without a bundle.

The importer builds its engine records (the act, its provisions, their versions) directly.
Each value meets the rules the bundle reader applies to the same field
(``registry.validate``): first the limits every text of a document meets (length, control
characters), reported as the document check reports them, then each field's own rule
(length, key pattern, URL, date range, period order). Each record and error is named by the
place it would have in a ``frisat-bundle/1`` document of the act
(``acts[0].provisions[3].versions[0].text``), so an import's errors read as they always did.

A provision the register already holds with the same content is not handed on (the loader
would skip it as identical); it is counted as skipped.

References are read (``parse_ref``) as the reader reads them, except those known to be
canonical already: the importer passes the references of the parsed document's nodes (the
parser builds them canonical, ``tests/sources``) with the parent each names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from frisat.engine import model as m
from frisat.law.citation import CitationError, parse_ref
from frisat.registry import validate
from frisat.registry.bundle import OfficialVersion
from frisat.registry.errors import InputError, Rejected

ACT = "acts[0]"


@dataclass
class Row:
    """A provision of the act in the order a bundle of it lists them (parents first)."""

    ref: str
    parent: str | None  # as given; None: the reference's own parent
    heading: str
    summary: str
    order: int
    stored: m.Provision | None = None  # the register's record of it, if any
    versions: list[m.Version] = field(default_factory=list)


@dataclass
class Records:
    world: m.World  # the act, its root, and the new or changed provisions and versions
    paths: dict[int, str]  # id(record) -> its place, for the loader's errors
    unchanged: int  # provisions the register holds as they are (skipped)


class _Check:
    def __init__(self, now: dt.datetime, canonical: Mapping[str, str]):
        self.now = now
        self.canonical = canonical
        self.errors: list[InputError] = []
        self.paths: dict[int, str] = {}

    def error(self, path: str, problem: tuple[str, str] | None) -> None:
        if problem:
            self.errors.append(InputError(path, *problem))

    def text(self, path: str, name: str, value: str | None, *, required: bool = False,
             max_len: int | None = None) -> str:
        """A text field: stripped, within its field's rule (the reader's ``str_``)."""
        if value is None:
            if required:
                self.errors.append(InputError(f"{path}.{name}", "missing",
                                              "Feltet skal udfyldes"))
            return ""
        text = value.strip()
        problem = validate.field_problem(name, text, max_len) if text else None
        if problem:
            self.errors.append(InputError(f"{path}.{name}", *problem))
            return ""
        return text

    def key(self, path: str, name: str, value: str) -> str:
        text = self.text(path, name, value, required=True)
        self.error(f"{path}.{name}", validate.key_problem(text) if text else None)
        return text

    def items(self, path: str, name: str, values: tuple[str, ...] | None) -> None:
        for i, x in enumerate(values or ()):
            self.error(f"{path}.{name}[{i}]", validate.field_problem(name, x))

    def date(self, path: str, day: dt.date | None) -> None:
        if day is not None:
            self.error(path, validate.date_problem(day))

    def ref(self, path: str, value: str) -> str | None:
        if value in self.canonical:
            return value
        try:
            return str(parse_ref(value))
        except CitationError as e:
            self.errors.append(InputError(path, "unknown_provision", str(e)))
            return None


def _limits(act: m.Act, rows: list[tuple[str, Row, Row | None]]) -> list[InputError]:
    """The document check's findings on every text a bundle of the import would hold: in
    the order that check reports them (it walks a document from its end), at most
    ``validate.MAX_ERRORS``."""
    texts: list[tuple[str, str | None]] = [
        (f"{ACT}.key", act.key), (f"{ACT}.level", act.level), (f"{ACT}.title", act.title),
        (f"{ACT}.short_title", act.short_title),
        *((f"{ACT}.areas[{i}]", x) for i, x in enumerate(act.areas)),
        *((f"{ACT}.kinds[{i}]", x) for i, x in enumerate(act.kinds or ())),
        (f"{ACT}.eli", act.eli), (f"{ACT}.source_url", act.source_url)]
    found = [InputError(p, *problem) for p, x in texts
             if x is not None and (problem := validate.value_problem(x))]
    for pp, row, record in rows:
        # a bundle row: ref, order, versions, then in, heading and summary
        if record is not None and (problem := validate.value_problem(row.ref)):
            found.append(InputError(f"{pp}.ref", *problem))
        for j, v in enumerate(row.versions):
            vp = f"{pp}.versions[{j}]"
            values: list[tuple[str, str | None]] = [("enacted_by", v.enacted_by)]
            for k, e in enumerate(v.exclusions):
                values += [(f"exclusions[{k}].regime", e.regime),
                           (f"exclusions[{k}].area", e.area),
                           (f"exclusions[{k}].basis", e.basis)]
            values += [(name, getattr(v, name, None)) for name in ("text", "heading", "note")]
            found += [InputError(f"{vp}.{name}", *problem) for name, x in values
                      if x is not None and (problem := validate.value_problem(x))]
        if record is not None:
            found += [InputError(f"{pp}.{name}", *problem) for name, x in (
                ("in", row.parent), ("heading", row.heading), ("summary", row.summary))
                if x and (problem := validate.value_problem(x))]
    return found[::-1][:validate.MAX_ERRORS]


def _texts(act: m.Act, placed: list[tuple[str, Row, Row | None]]) -> list[str]:
    """Every text a bundle of the import would hold (whose limits are checked)."""
    texts = [x for x in (act.key, act.level, act.title, act.short_title, *act.areas,
                         *(act.kinds or ()), act.eli, act.source_url) if x]
    for _pp, row, record in placed:
        if record is not None:
            texts += [x for x in (row.ref, row.parent, row.heading, row.summary) if x]
        for v in row.versions:
            texts += [x for x in (v.enacted_by, getattr(v, "text", None),
                                  getattr(v, "heading", None), getattr(v, "note", None)) if x]
            for e in v.exclusions:
                texts += [x for x in (e.regime, e.area, e.basis) if x]
    return texts


def _as_read(key: str, placed: list[tuple[str, Row, Row | None]],
             canonical: Mapping[str, str]) -> bool:
    """True when every new provision and version is already as the reader would give it
    and breaks no field's rule: then each is taken as it is, without a check one by one
    (the import of a large act has tens of thousands). False: check each."""
    headings: list[str] = []
    orders: list[int] = []
    by_field: dict[str, list[str]] = {"enacted_by": [], "text": [], "heading": [], "note": []}
    days: list[dt.date] = []
    exclusions: set[m.Exclusion] = set()
    for _pp, row, record in placed:
        if record is not None:
            if record.ref not in canonical or record.summary or (
                    record.parent is not None and record.parent not in canonical):
                return False  # a reference to read, or a summary: check it
            headings.append(record.heading)
            orders.append(record.order)
        for v in row.versions:
            official = [getattr(v, "text", None), getattr(v, "heading", None),
                        getattr(v, "note", None)]
            if (type(v) is OfficialVersion) != any(x is not None for x in official) \
                    or validate.period_problem(v.valid_from, v.valid_to) \
                    or v.act != key or v.ref != row.ref:
                return False
            by_field["enacted_by"].append(v.enacted_by)
            for name, x in zip(("text", "heading", "note"), official, strict=True):
                if x is not None:
                    by_field[name].append(x)
            days += [d for d in (v.valid_from, v.valid_to) if d is not None]
            exclusions.update(v.exclusions)
    if exclusions:
        return False  # few: check each
    lo, hi = validate.int_range("order")
    if orders and not (lo <= min(orders) and max(orders) <= hi):
        return False
    if days and (validate.date_problem(min(days)) or validate.date_problem(max(days))):
        return False
    by_field["heading"] += [x for x in headings if x]
    for name, values in by_field.items():
        # stripped, and an official wording never empty (the reader reads "" as none)
        if any(x != x.strip() for x in values) or (name != "enacted_by" and "" in values):
            return False
        if values and (not validate.only_length(name)
                       or validate.field_problem(name, max(values, key=len))):
            return False
    return True


def build(act: m.Act, rows: list[Row], now: dt.datetime,
          canonical: Mapping[str, str]) -> Records:
    """The records of an import of ``act`` whose provisions are ``rows`` (bundle order),
    checked; raises ``Rejected`` with every problem, as reading the same bundle would.
    ``canonical``: references known canonical -> the parent each names."""
    c = _Check(now, canonical)
    # the provisions whose record would be stored (new, or changed against the register)
    placed: list[tuple[str, Row, Row | None]] = []
    for i, row in enumerate(rows):
        record = None if row.stored is not None and _same(row, row.stored, canonical) \
            else row
        placed.append((f"{ACT}.provisions[{i}]", row, record))
    if not validate.within_limits(_texts(act, placed)):
        limits = _limits(act, placed)
        if limits:
            raise Rejected(limits)
    new_act = _act(c, act)
    as_read = not c.errors and new_act is act and _as_read(act.key, placed, canonical)
    # the records this import adds are known from now: an act imported again keeps its
    # own (earlier) record time, which its new provisions do not claim
    root = m.Provision(act=new_act.key, ref="", parent=None,
                       heading=new_act.short_title or new_act.title, recorded_at=c.now)
    provisions: list[m.Provision] = [root]
    versions: list[m.Version] = [m.Version(act=new_act.key, ref="",
                                           valid_from=new_act.valid_from, recorded_at=c.now)]
    paths = c.paths
    seen = {""}
    unchanged = 0
    for pp, row, record in placed:
        ref = c.ref(f"{pp}.ref", row.ref)
        if ref is None:
            continue
        if ref in seen:
            c.errors.append(InputError(f"{pp}.ref", "duplicate",
                                       f"{new_act.key} {ref} står to gange"))
            continue
        parent = _parent(c, pp, row, ref)
        if parent is not None and parent not in seen:
            c.errors.append(InputError(f"{pp}.ref", "unknown_provision",
                                       f"Overordnet bestemmelse {new_act.key} {parent} skal "
                                       f"stå før {ref}"))
            continue
        seen.add(ref)
        if record is None:
            unchanged += 1
        elif as_read:
            p = m.Provision(new_act.key, ref, parent, row.heading, "", row.order, c.now)
            paths[id(p)] = pp
            provisions.append(p)
        else:
            p = _checked_provision(c, pp, new_act, row, ref, parent)
            paths[id(p)] = pp
            provisions.append(p)
        for j, v in enumerate(row.versions):
            if not as_read:
                v = _version(c, f"{pp}.versions[{j}]", replace(v, act=new_act.key, ref=ref)
                             if (v.act, v.ref) != (new_act.key, ref) else v)
            paths[id(v)] = f"{pp}.versions[{j}]"
            versions.append(v)
    if c.errors:
        raise Rejected(c.errors)
    paths[id(new_act)] = ACT
    world = m.World(acts=(new_act,), provisions=tuple(provisions), versions=tuple(versions))
    return Records(world, paths, unchanged)


def _parent(c: _Check, pp: str, row: Row, ref: str) -> str | None:
    if row.parent is not None:
        return c.ref(f"{pp}.in", row.parent)
    if ref in c.canonical:
        return c.canonical[ref]
    up = parse_ref(ref).parent
    return "" if up is None else str(up)


def read_ref(ref: str, canonical: Mapping[str, str]) -> tuple[str, str]:
    """A reference as the reader reads it, and the parent it names."""
    if ref in canonical:
        return ref, canonical[ref]
    parsed = parse_ref(ref)
    up = parsed.parent
    return str(parsed), "" if up is None else str(up)


def _same(row: Row, p: m.Provision, canonical: Mapping[str, str]) -> bool:
    """The provision a bundle row of ``p`` reads back to is ``p`` as stored (so the loader
    would skip it)."""
    try:
        ref, parent = read_ref(row.ref, canonical)
    except CitationError:
        return False
    if row.parent is not None:
        parent = row.parent if row.parent in canonical else str(parse_ref(row.parent))
    return (ref, parent, row.heading.strip(), row.summary.strip(), row.order) == \
        (p.ref, p.parent, p.heading, p.summary, p.order)


def _act(c: _Check, a: m.Act) -> m.Act:
    """The act's fields in the reader's order, each under its rule."""
    key = c.key(ACT, "key", a.key)
    if a.level not in ("state", "municipal"):
        c.errors.append(InputError(f"{ACT}.level", "invalid",
                                   f"Skal være en af state, municipal, fik {a.level!r}"))
    if a.recorded_at > c.now:
        c.errors.append(InputError(f"{ACT}.recorded_at", "future_record",
                                   "Registreringstidspunktet må ikke ligge i fremtiden"))
    title = c.text(ACT, "title", a.title, required=True)
    c.items(ACT, "areas", a.areas)
    c.date(f"{ACT}.valid_from", a.valid_from)
    if a.municipality is None and a.level == "municipal":
        c.errors.append(InputError(f"{ACT}.municipality", "missing", "Feltet skal udfyldes"))
    elif a.municipality is not None:
        lo, hi = validate.int_range("municipality")
        if not lo <= a.municipality <= hi:
            c.errors.append(InputError(f"{ACT}.municipality", "out_of_range",
                                       f"Skal være et heltal fra {lo} til {hi}, fik "
                                       f"{a.municipality}"[:200]))
    eli = c.text(ACT, "eli", a.eli) or None
    source_url = c.text(ACT, "source_url", a.source_url) or None
    c.items(ACT, "kinds", a.kinds)
    short_title = c.text(ACT, "short_title", a.short_title)
    if not a.areas:
        c.errors.append(InputError(f"{ACT}.areas", "missing",
                                   "Loven skal gælde mindst ét område"))
    if (key, title, eli, source_url, short_title) == (a.key, a.title, a.eli, a.source_url,
                                                      a.short_title):
        return a
    return replace(a, key=key, title=title, eli=eli, source_url=source_url,
                   short_title=short_title)


def _checked_provision(c: _Check, pp: str, act: m.Act, row: Row, ref: str,
                       parent: str | None) -> m.Provision:
    lo, hi = validate.int_range("order")
    if not lo <= row.order <= hi:
        c.errors.append(InputError(f"{pp}.order", "out_of_range",
                                   f"Skal være et heltal fra {lo} til {hi}, fik "
                                   f"{row.order}"[:200]))
    return m.Provision(act=act.key, ref=ref, parent=parent,
                       heading=c.text(pp, "heading", row.heading),
                       summary=c.text(pp, "summary", row.summary), order=row.order,
                       recorded_at=c.now)


def _version(c: _Check, vp: str, v: m.Version) -> m.Version:
    """A version under the reader's rules, in its order: exclusions, period, wording, enacted
    by. Unchanged when its values are already in the form the reader gives them."""
    exclusions = []
    for k, e in enumerate(v.exclusions):
        ep = f"{vp}.exclusions[{k}]"
        exclusions.append(m.Exclusion(regime=c.key(ep, "regime", e.regime),
                                      area=c.text(ep, "area", e.area) or None,
                                      basis=c.text(ep, "basis", e.basis)))
    c.date(f"{vp}.from", v.valid_from)
    c.date(f"{vp}.to", v.valid_to)
    c.error(f"{vp}.to", validate.period_problem(v.valid_from, v.valid_to))
    official = {name: c.text(vp, name, getattr(v, name, None)) or None
                for name in ("text", "heading", "note")}
    enacted_by = c.text(vp, "enacted_by", v.enacted_by)
    kind = OfficialVersion if any(x is not None for x in official.values()) else m.Version
    if type(v) is kind and tuple(exclusions) == v.exclusions and enacted_by == v.enacted_by \
            and all(getattr(v, k, None) == x for k, x in official.items()):
        return v
    common = dict(act=v.act, ref=v.ref, valid_from=v.valid_from, valid_to=v.valid_to,
                  enacted_by=enacted_by, exclusions=tuple(exclusions),
                  recorded_at=v.recorded_at)
    if kind is OfficialVersion:
        return OfficialVersion(**common, **official)  # type: ignore[arg-type]
    return m.Version(**common)  # type: ignore[arg-type]
