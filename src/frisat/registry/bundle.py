"""Read a ``frisat-bundle/1`` document into engine records (docs/bundle.md).

This module only reads: it turns a parsed JSON/YAML document into a ``World`` of new
records, collecting every error with its path instead of stopping at the first. Checking
the records against the register and storing them is ``frisat.registry.loader``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import re
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import yaml

from frisat.engine import model as m
from frisat.engine.model import (
    Act,
    Coverage,
    DecidedBy,
    Decision,
    Institution,
    Listing,
    Membership,
    Provision,
    Regime,
    Scope,
    Target,
    Version,
    World,
)
from frisat.law.citation import CitationError, Ref, parse_citation, parse_ref
from frisat.registry import validate
from frisat.registry.errors import InputError, Rejected

FORMATS = ("frisat-bundle/1", "frisat-scenario/1")
DK = ZoneInfo("Europe/Copenhagen")
T = TypeVar("T")

MIN_DATE, MAX_DATE = dt.date(1800, 1, 1), dt.date(2199, 12, 31)
_KEY = re.compile(r"[a-z0-9æøå][a-z0-9æøå._-]*")
_DIGITS = re.compile(r"[0-9]{1,10}")


@dataclass(frozen=True)
class OfficialVersion(Version):
    """A version that also carries its official wording (imported from Retsinformation).

    The engine needs only the validity of a version; the wording travels beside it so the
    register keeps it, compares it on re-import and exports it.
    """

    text: str | None = None
    heading: str | None = None
    note: str | None = None  # e.g. a renumbering: "Tidligere § 5"


BODIES = ("council", "committee", "administration", "institution")
# a decision's body may also be "unknown": the source does not say who decided (never a guess)
DECIDERS = (*BODIES, "unknown")


def read_document(path: str | Path) -> Any:
    """Parse a bundle file (JSON or YAML). Malformed input is rejected with code ``format``."""
    p = Path(path)
    try:
        validate.check_size(p.stat().st_size, str(p))
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Rejected([InputError(str(p), "not_found", "Filen findes ikke")]) from None
    except UnicodeDecodeError:
        raise Rejected([InputError(str(p), "format", "Filen er ikke UTF-8")]) from None
    return parse_text(text, str(p))


def parse_text(text: str, name: str = "bundle") -> Any:
    """Parse JSON or YAML within the limits of ``registry.validate`` (size, nesting, aliases,
    numbers, control characters); anything else is rejected with the reason."""
    validate.check_size(len(text.encode("utf-8", "surrogatepass")), name)
    try:
        json_like = text.lstrip().startswith(("{", "["))
        doc = json.loads(text) if json_like else validate.load_yaml(text)
    except validate.LimitExceeded as e:
        raise Rejected([InputError(name, e.code, e.message)]) from None
    except RecursionError:
        raise Rejected([InputError(name, "too_deep", "Dokumentet er for dybt indlejret")]) \
            from None
    except (ValueError, OverflowError) as e:
        if not isinstance(e, json.JSONDecodeError):  # e.g. a 5,000-digit number, 2021-02-30
            if "digits" in str(e):
                raise Rejected([InputError(name, "out_of_range",
                                           "Et tal i dokumentet har for mange cifre")]) from None
            raise Rejected([InputError(name, "format", "Dokumentet indeholder en ugyldig "
                                       "værdi, fx en dato der ikke findes")]) from None
        raise Rejected([InputError(name, "format", "Dokumentet kan ikke læses som JSON "
                                   f"(linje {e.lineno}, kolonne {e.colno})")]) from None
    except yaml.YAMLError as e:
        where = ""
        if getattr(e, "problem_mark", None) is not None:
            mark = e.problem_mark  # type: ignore[attr-defined]
            where = f" (linje {mark.line + 1}, kolonne {mark.column + 1})"
        msg = f"Dokumentet kan ikke læses som JSON eller YAML{where}"
        raise Rejected([InputError(name, "format", msg)]) from None
    validate.check_document(doc)
    return doc


class Reader:
    """Reads one document, collecting errors with the path of the offending field."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self.errors: list[InputError] = []
        self.paths: dict[int, str] = {}  # id(record) -> where it stands in the document

    def at(self, rec: T, path: str) -> T:
        self.paths[id(rec)] = path
        return rec

    # -- primitives -------------------------------------------------------------------

    def error(self, path: str, code: str, message: str) -> None:
        self.errors.append(InputError(path, code, message))

    def obj(self, value: Any, path: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, "invalid", "Forventede et objekt med felter")
            return None
        return value

    def items(self, doc: dict[str, Any], section: str) -> Iterable[tuple[str, dict[str, Any]]]:
        value = doc.get(section)
        if value is None:
            return
        if not isinstance(value, list):
            self.error(section, "invalid", "Forventede en liste")
            return
        for i, item in enumerate(value):
            path = f"{section}[{i}]"
            o = self.obj(item, path)
            if o is not None:
                yield path, o

    def entries(self, o: dict[str, Any], key: str, path: str, *,
                what: str = "Forventede et objekt med felter",
                ) -> Iterable[tuple[str, dict[str, Any]]]:
        """The objects listed under ``key`` of a record (none when it is absent or empty),
        each with its path; what is no list, or no object, is an error."""
        raw = o.get(key) or []
        if not isinstance(raw, list):
            self.error(f"{path}.{key}", "invalid", "Forventede en liste")
            return
        for i, item in enumerate(raw):
            ip = f"{path}.{key}[{i}]"
            if isinstance(item, dict):
                yield ip, item
            else:
                self.error(ip, "invalid", what)

    def str_(self, o: dict[str, Any], key: str, path: str, *, required: bool = True,
             default: str = "", max_len: int | None = None) -> str:
        v = o.get(key)
        if v is None:
            if required:
                self.error(f"{path}.{key}", "missing", "Feltet skal udfyldes")
            return default
        if isinstance(v, bool) or not isinstance(v, str | int):
            self.error(f"{path}.{key}", "invalid", "Forventede en tekst")
            return default
        text = str(v).strip()
        problem = validate.field_problem(key, text, max_len) if text else None
        if problem:  # length, identifier pattern, URL scheme (registry.validate)
            self.error(f"{path}.{key}", *problem)
            return default
        return text

    def opt_str(self, o: dict[str, Any], key: str, path: str) -> str | None:
        v = self.str_(o, key, path, required=False)
        return v or None

    def key(self, o: dict[str, Any], key: str, path: str, max_len: int | None = None) -> str:
        v = self.str_(o, key, path, max_len=max_len)
        if v and not _KEY.fullmatch(v):
            self.error(f"{path}.{key}", "invalid",
                       f"{v!r} er ikke en gyldig nøgle (små bogstaver, tal, - og .)")
        return v

    def int_(self, o: dict[str, Any], key: str, path: str, *, required: bool = True) -> int | None:
        v = o.get(key)
        if v is None:
            if required:
                self.error(f"{path}.{key}", "missing", "Feltet skal udfyldes")
            return None
        if isinstance(v, bool):
            self.error(f"{path}.{key}", "invalid", "Forventede et heltal")
            return None
        if isinstance(v, str) and _DIGITS.fullmatch(v.strip()):
            v = int(v)
        if not isinstance(v, int):
            self.error(f"{path}.{key}", "invalid", f"Forventede et heltal, fik {v!r}"[:200])
            return None
        lo, hi = validate.int_range(key)
        if not lo <= v <= hi:
            self.error(f"{path}.{key}", "out_of_range",
                       f"Skal være et heltal fra {lo} til {hi}, fik {v}"[:200])
            return None
        return v

    def bool_(self, o: dict[str, Any], key: str, path: str, default: bool) -> bool:
        v = o.get(key, default)
        if v is None:
            return default
        if not isinstance(v, bool):
            self.error(f"{path}.{key}", "invalid", "Forventede true eller false")
            return default
        return v

    def date(self, o: dict[str, Any], key: str, path: str, *,
             required: bool = True) -> dt.date | None:
        v = o.get(key)
        if v is None:
            if required:
                self.error(f"{path}.{key}", "missing", "Datoen skal udfyldes")
            return None
        day: dt.date | None = None
        if isinstance(v, dt.datetime):
            day = v.date()
        elif isinstance(v, dt.date):
            day = v
        elif isinstance(v, str):
            with contextlib.suppress(ValueError):
                day = dt.date.fromisoformat(v.strip())
        if day is None:
            self.error(f"{path}.{key}", "invalid", f"Forventede en dato ÅÅÅÅ-MM-DD, fik {v!r}")
            return None
        if not MIN_DATE <= day <= MAX_DATE:  # also keeps date arithmetic from overflowing
            self.error(f"{path}.{key}", "invalid",
                       f"Datoen {day.isoformat()} ligger uden for {MIN_DATE.year}–{MAX_DATE.year}")
            return None
        return day

    def period(self, o: dict[str, Any], path: str, *, required: bool = False,
               start_key: str = "from", end_key: str = "to",
               message: str = "Slutdatoen skal ligge efter startdatoen",
               ) -> tuple[dt.date | None, dt.date | None]:
        """``from`` and ``to`` of a half-open period; the end must lie after the start."""
        start = self.date(o, start_key, path, required=required)
        end = self.date(o, end_key, path, required=False)
        if start and end and end <= start:
            self.error(f"{path}.{end_key}", "invalid", message)
        return start, end

    def str_list(self, o: dict[str, Any], key: str, path: str, *,
                 nullable: bool = False) -> tuple[str, ...] | None:
        v = o.get(key)
        if v is None:
            return None if nullable else ()
        if not isinstance(v, list) or not all(isinstance(x, str | int) for x in v):
            self.error(f"{path}.{key}", "invalid", "Forventede en liste af tekster")
            return None if nullable else ()
        return self.checked_items(key, [str(x) for x in v], f"{path}.{key}")

    def checked_items(self, field: str, items: list[str],
                      path: str) -> tuple[str, ...]:
        """List items under the rule of their field (``registry.validate``)."""
        out = []
        for i, x in enumerate(items):
            problem = validate.field_problem(field, x)
            if problem:
                self.error(f"{path}[{i}]", *problem)
            else:
                out.append(x)
        return tuple(out)

    def recorded_at(self, o: dict[str, Any], path: str,
                    key: str = "recorded_at") -> dt.datetime:
        """A record time (``key``; none given: now), not in the future."""
        v = o.get(key)
        if v is None:
            return self.now
        when: dt.datetime | None = None
        if isinstance(v, dt.datetime):
            when = v if v.tzinfo else v.replace(tzinfo=DK)
        elif isinstance(v, dt.date):
            when = dt.datetime.combine(v, dt.time(), DK)
        elif isinstance(v, str):
            try:
                when = dt.datetime.fromisoformat(v.strip())
                if when.tzinfo is None:
                    when = when.replace(tzinfo=DK)
            except ValueError:
                pass
        if when is None:
            self.error(f"{path}.{key}", "invalid",
                       f"Forventede et tidspunkt i ISO 8601, fik {v!r}")
            return self.now
        if when > self.now:
            self.error(f"{path}.{key}", "future_record",
                       "Registreringstidspunktet må ikke ligge i fremtiden")
            return self.now
        return when

    def ref(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str | int):
            self.error(path, "invalid", "Forventede en henvisning som tekst")
            return None
        try:
            return str(parse_ref(str(value)))
        except CitationError as e:
            self.error(path, "unknown_provision", str(e))
            return None

    def citation(self, value: Any, path: str) -> tuple[str, str] | None:
        if not isinstance(value, str):
            self.error(path, "invalid", "Forventede en henvisning som tekst")
            return None
        try:
            c = parse_citation(value)
        except CitationError as e:
            self.error(path, "unknown_provision", str(e))
            return None
        return c.act, c.ref

    def choice(self, o: dict[str, Any], key: str, path: str, options: tuple[str, ...],
               default: str | None = None) -> str:
        v = o.get(key, default)
        if v not in options:
            self.error(f"{path}.{key}", "invalid",
                       f"Skal være en af {', '.join(options)}, fik {v!r}"[:300])
            return options[0]
        return str(v)

    def each(self, doc: dict[str, Any], section: str,
             read: Callable[[str, dict[str, Any]], T | None]) -> list[T]:
        out = []
        for path, o in self.items(doc, section):
            rec = read(path, o)
            if rec is not None:
                out.append(self.at(rec, path))
        return out


def read_bundle(doc: Any, now: dt.datetime, *, name: str = "bundle") -> World:
    """Turn a bundle document into a World of its records; raise Rejected on any error."""
    return read_bundle_with_paths(doc, now, name=name)[0]


# sections a bundle may carry besides the records' (lessons: read by frisat.followup)
OTHER_SECTIONS = ("format", "title", "description", "source", "example", "lessons")


def read_bundle_with_paths(doc: Any, now: dt.datetime, *,
                           name: str = "bundle") -> tuple[World, dict[int, str]]:
    """As ``read_bundle``, with where each record stands in the document (for errors)."""
    r = Reader(now)
    d = r.obj(doc, name)
    if d is None:
        raise Rejected(r.errors)
    validate.check_document(d)
    if d.get("format") not in FORMATS:
        msg = f"Ukendt format {d.get('format')!r}; forventede frisat-bundle/1"
        raise Rejected([InputError("format", "format", msg)])
    known = {*OTHER_SECTIONS, *(k.section for k in m.BUNDLE)}
    for section in d:
        if section not in known:
            r.error(section, "invalid", f"Ukendt afsnit {section!r} i bundtet")

    found: dict[str, list[Any]] = {k.section: [] for k in m.KINDS}
    for kind in m.BUNDLE:
        for path, o in r.items(d, kind.section):
            rec: Any = read_record(r, kind.record, o, path)
            found[kind.section].append(r.at(rec, path))
            if kind.section in WITHIN:
                for section, inner in WITHIN[kind.section](r, rec, o, path):
                    found[section].append(inner)
    if r.errors:
        raise Rejected(r.errors)
    return World(**{k: tuple(v) for k, v in found.items()}), r.paths  # type: ignore[arg-type]


def read_one(section: str, data: Any, now: dt.datetime, name: str | None = None) -> Any:
    """One record of a bundle section from its fields (a staff form): the same field checks
    as in a bundle, without a bundle around it. Raises Rejected with the fields' paths
    (``decided_on``; NAME, by default the section, for the record as a whole)."""
    name = name or section
    r = Reader(now)
    o = r.obj(data, name)
    if o is None:
        raise Rejected(r.errors)
    validate.check_document(o)
    found: Any = read_record(r, m.BY_SECTION[section].record, o, name)
    if r.errors:
        raise Rejected([InputError(e.path.removeprefix(name).lstrip(".") or name,
                                   e.code, e.message, e.severity) for e in r.errors])
    return found


def read_decision(data: Any, now: dt.datetime) -> Decision:
    """One decision from its fields (a staff form's draft); see ``read_one``."""
    found: Decision = read_one("decisions", data, now, "decision")
    return found


# -- a record, from its declaration ---------------------------------------------------------

# the periods of a record: start field -> end field (read and checked together)
PERIODS = {"valid_from": "valid_to", "effective_from": "effective_to"}


# reads one field (or a period, or a citation's two) of a record's object into ``values``:
# (reader, object, path, values, defaults)
FieldReader = Callable[[Reader, dict[str, Any], str, dict[str, Any], dict[str, Any]], None]


@cache
def _readers(cls: type) -> tuple[tuple[str, FieldReader], ...]:
    """A record type's readers, one per field in its order, chosen once from its layout and
    field types (the writer's counterpart is ``export._plan``)."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    hints = typing.get_type_hints(cls)
    layout = m.layout_of(cls)
    names = {f.name for f in fields}
    return tuple((f.name, _reader(layout, f, hints[f.name], names)) for f in fields)


def read_record(r: Reader, cls: type[T], o: dict[str, Any], p: str, *,
                given: dict[str, Any] | None = None,
                defaults: dict[str, Any] | None = None) -> T:
    """A record of ``cls`` from its object in a bundle, field by field from its declaration
    (``engine.model.LAYOUTS``): each under its bundle key, read and checked by its type
    (``Reader``, ``registry.validate``); a field with a bundle shape of its own by its hook
    (``READ``). ``given`` fields come from where it stands; ``defaults`` stand in for the
    record's own (a nested record's record time is its enclosing record's)."""
    values: dict[str, Any] = dict(given) if given else {}
    defaults = defaults or {}
    for name, read in _readers(cls):  # type: ignore[arg-type]  # a class is hashable
        if name not in values:  # given, or read with another (a period's end, a citation)
            read(r, o, p, values, defaults)
    return cls(**values)


def _reader(layout: m.Layout, f: dataclasses.Field[Any], tp: Any,
            names: set[str]) -> FieldReader:
    """The reader of one field: its hook, a citation, a period, the record time, or its
    type's (``_value``)."""
    name = f.name
    hook = READ.get((layout, name))
    if hook is not None:
        def read_hook(r: Reader, o: dict[str, Any], p: str, values: dict[str, Any],
                      _d: dict[str, Any]) -> None:
            values[name] = hook(r, o, p)
        return read_hook
    if layout.cite and name in ("act", "ref"):
        def read_citation(r: Reader, o: dict[str, Any], p: str, values: dict[str, Any],
                          _d: dict[str, Any]) -> None:
            values["act"], values["ref"] = r.citation(o.get("citation"), f"{p}.citation") \
                or ("", "")
        return read_citation
    if name in PERIODS and PERIODS[name] in names:
        end, required, optional = PERIODS[name], _required(layout, f, tp), _optional(tp)
        start_key, end_key = layout.key(name), layout.key(end)

        def read_period(r: Reader, o: dict[str, Any], p: str, values: dict[str, Any],
                        _d: dict[str, Any]) -> None:
            start, stop = r.period(o, p, required=required, start_key=start_key,
                                   end_key=end_key)
            values[name] = start if start or optional else dt.date.min
            values[end] = stop
        return read_period
    if name == "recorded_at":
        def read_recorded(r: Reader, o: dict[str, Any], p: str, values: dict[str, Any],
                          defaults: dict[str, Any]) -> None:
            values[name] = r.recorded_at(o, p) if "recorded_at" in o \
                or name not in defaults else defaults[name]
        return read_recorded
    value = _value(layout, f, tp)

    def read_value(r: Reader, o: dict[str, Any], p: str, values: dict[str, Any],
                   defaults: dict[str, Any]) -> None:
        values[name] = value(r, o, p, defaults)
    return read_value


def _optional(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType) \
        and type(None) in typing.get_args(tp)


def _required(layout: m.Layout, f: dataclasses.Field[Any], tp: Any) -> bool:
    """Required: declared so, or the record has no default and does not take None."""
    no_default = f.default is dataclasses.MISSING \
        and f.default_factory is dataclasses.MISSING
    return f.name in layout.required or (
        no_default and not _optional(tp) and f.name not in layout.optional)


ValueReader = Callable[[Reader, dict[str, Any], str, dict[str, Any]], Any]


def _value(layout: m.Layout, f: dataclasses.Field[Any], tp: Any) -> ValueReader:
    """One field's value, read by its type: (reader, object, path, defaults) -> value."""
    name, key = f.name, layout.key(f.name)
    optional, required = _optional(tp), _required(layout, f, tp)
    if optional:
        tp = next(a for a in typing.get_args(tp) if a is not type(None))
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    max_len = layout.max_len.get(name)

    def default(defaults: dict[str, Any]) -> Any:
        return defaults.get(name, f.default)

    if name in layout.keyed:
        return lambda r, o, p, _d: r.key(o, key, p, max_len=max_len)
    if name == "ref":  # a node of an act: canonical form (§ 3 a, stk. 2)
        return lambda r, o, p, _d: r.ref(o.get(key, ""), f"{p}.{key}") or ""
    if origin is typing.Literal:
        def choice(r: Reader, o: dict[str, Any], p: str, d: dict[str, Any]) -> Any:
            dflt = default(d)
            return r.choice(o, key, p, args, None if dflt is dataclasses.MISSING else dflt)
        return choice
    if tp is str:
        if optional:
            return lambda r, o, p, _d: r.str_(o, key, p, required=required,
                                             max_len=max_len) or None
        return lambda r, o, p, _d: r.str_(o, key, p, required=required, max_len=max_len)
    if tp is bool:
        if optional:  # true, false or not known
            def maybe(r: Reader, o: dict[str, Any], p: str, _d: dict[str, Any]) -> Any:
                v = o.get(key)
                if v is not None and not isinstance(v, bool):
                    r.error(f"{p}.{key}", "invalid",
                            "Skal være true, false eller null (ikke kendt)")
                    return None
                return v
            return maybe
        return lambda r, o, p, d: r.bool_(o, key, p, default(d))
    if tp is int:
        def number(r: Reader, o: dict[str, Any], p: str, d: dict[str, Any]) -> Any:
            n = r.int_(o, key, p, required=required)
            if n is not None or optional:
                return n
            dflt = default(d)
            return 0 if dflt is dataclasses.MISSING else dflt
        return number
    if tp is dt.datetime:  # an instant besides the record time (a claim's known_from)
        def instant(r: Reader, o: dict[str, Any], p: str, _d: dict[str, Any]) -> Any:
            if o.get(key) is None:
                if required:
                    r.error(f"{p}.{key}", "missing", "Feltet skal udfyldes")
                return None if optional else r.now
            return r.recorded_at(o, p, key)
        return instant
    if tp is dt.date:
        def day(r: Reader, o: dict[str, Any], p: str, _d: dict[str, Any]) -> Any:
            v = r.date(o, key, p, required=required)
            return v if v is not None or optional else dt.date.min
        return day
    if origin is tuple and args[0] is str:
        if optional:
            return lambda r, o, p, _d: r.str_list(o, key, p, nullable=True)
        return lambda r, o, p, _d: r.str_list(o, key, p) or ()
    if origin is tuple and args[0] is int:
        return lambda r, o, p, _d: None if o.get(key) is None else _codes(r, o, key, p)
    if origin is tuple and dataclasses.is_dataclass(args[0]):
        item = typing.cast(type, args[0])
        return lambda r, o, p, _d: _records(r, item, o, key, p)

    def unknown(_r: Reader, _o: dict[str, Any], _p: str, _d: dict[str, Any]) -> Any:
        raise TypeError(f"{name}: no reader for {tp}; declare a hook (READ)")
    return unknown


def _records(r: Reader, cls: type, o: dict[str, Any], key: str, p: str) -> tuple[Any, ...]:
    """A list of records that stand in another (a version's exclusions, a decision's
    targets)."""
    return tuple(read_record(r, cls, item, ip) for ip, item in r.entries(o, key, p))


def _codes(r: Reader, o: dict[str, Any], key: str, p: str) -> tuple[int, ...]:
    raw = o.get(key)
    if not isinstance(raw, list) or not all(isinstance(x, int) and not isinstance(x, bool)
                                            and 0 < x < 1000 for x in raw):
        r.error(f"{p}.{key}", "invalid", "Forventede en liste af kommunekoder (101–999)")
        return ()
    return tuple(raw)


# -- fields with a bundle shape of their own -------------------------------------------------


def _listings(r: Reader, o: dict[str, Any], p: str) -> tuple[Listing, ...]:
    """A regime's ``deviable`` and ``guardrails``: citations, or objects with a citation."""
    out: list[Listing] = []
    for key, mark in (("deviable", "deviable"), ("guardrails", "guardrail")):
        raw = o.get(key) or []
        if not isinstance(raw, list):
            r.error(f"{p}.{key}", "invalid", "Forventede en liste af henvisninger")
            continue
        for i, item in enumerate(raw):
            ip = f"{p}.{key}[{i}]"
            if isinstance(item, dict):
                out.append(read_record(r, Listing, item, ip, given={"mark": mark}))
            elif c := r.citation(item, ip):
                out.append(Listing(act=c[0], ref=c[1], mark=mark))  # type: ignore[arg-type]
    return tuple(out)


def _targets(r: Reader, o: dict[str, Any], p: str) -> tuple[Target, ...]:
    raw = o.get("targets")
    if not isinstance(raw, list) or not raw:
        r.error(f"{p}.targets", "missing", "Angiv mindst én bestemmelse, der fraviges")
        return ()
    return _records(r, Target, o, "targets", p)


def _decided_by(r: Reader, o: dict[str, Any], p: str) -> DecidedBy:
    """Who made a decision; the council unless it says otherwise."""
    by = o.get("decided_by")
    if by is None:
        r.error(f"{p}.decided_by", "missing",
                "Angiv hvem der traf beslutningen (kommunalbestyrelsen, et udvalg, "
                "forvaltningen eller en institution)")
        by = {}
    if not isinstance(by, dict):
        r.error(f"{p}.decided_by", "invalid", "Forventede et objekt med feltet body")
        by = {}
    return read_record(r, DecidedBy, by, f"{p}.decided_by", defaults={"body": "council"})


def _corrected_by(r: Reader, o: dict[str, Any], p: str) -> DecidedBy | None:
    """A correction's deciding body, where it corrects it."""
    by = o.get("decided_by")
    if by is None:
        return None
    if not isinstance(by, dict):
        r.error(f"{p}.decided_by", "invalid", "Forventede et objekt med feltet body")
        return None
    return read_record(r, DecidedBy, by, f"{p}.decided_by")


def _source_words(r: Reader, o: dict[str, Any], p: str) -> tuple[tuple[str, str], ...]:
    """``[{"citation", "words"}]``: the source's own words the register mapped to a citation."""
    words: list[tuple[str, str]] = []
    for wp, item in r.entries(o, "source_words", p,
                              what="Forventede et objekt med felterne citation og words"):
        c = r.citation(item.get("citation"), f"{wp}.citation")
        text = r.str_(item, "words", wp, max_len=300)
        if c and text:
            words.append((f"{c[0]} {c[1]}".strip(), text))
    return tuple(words)


def _depends_on(r: Reader, o: dict[str, Any], p: str) -> tuple[tuple[str, str], ...]:
    raw = o.get("on")
    if not isinstance(raw, list) or not raw:
        r.error(f"{p}.on", "missing", "Angiv de bestemmelser, den afhænger af")
        raw = []
    return tuple(c for i, item in enumerate(raw) if (c := r.citation(item, f"{p}.on[{i}]")))


def _concerns(r: Reader, o: dict[str, Any], p: str) -> tuple[tuple[str, str], ...]:
    raw = o.get("concerns") or []
    if not isinstance(raw, list):
        r.error(f"{p}.concerns", "invalid", "Forventede en liste af henvisninger")
        raw = []
    return tuple(c for i, x in enumerate(raw) if (c := r.citation(x, f"{p}.concerns[{i}]")))


def _scope(r: Reader, o: dict[str, Any], p: str) -> Scope:
    so = o.get("scope", {"institutions": "all"})
    if not isinstance(so, dict):
        r.error(f"{p}.scope", "invalid", "Forventede et objekt med felter")
        return Scope()
    if "kinds" in so:
        if "institutions" in so:
            r.error(f"{p}.scope", "invalid",
                    "Angiv enten institutioner eller institutionstyper, ikke begge")
        kinds = r.str_list(so, "kinds", f"{p}.scope") or ()
        if not kinds:
            r.error(f"{p}.scope.kinds", "invalid", "Angiv mindst én institutionstype")
        return Scope(kinds=kinds)
    inst = so.get("institutions", "all")
    if inst == "all":
        return Scope()
    if not isinstance(inst, list) or not inst or not all(isinstance(x, str | int)
                                                          for x in inst):
        r.error(f"{p}.scope.institutions", "invalid",
                "Skal være \"all\" eller en liste af institutionsnumre")
        return Scope()
    return Scope(institutions=r.checked_items("institution", [str(x) for x in inst],
                                              f"{p}.scope.institutions"))


def _delay(r: Reader, o: dict[str, Any], p: str) -> int:
    delay = r.int_(o, "min_effect_delay_days", p, required=False)
    if delay is not None and not 0 <= delay <= 365:
        r.error(f"{p}.min_effect_delay_days", "invalid", "Skal være et antal dage fra 0 til 365")
        delay = None
    return 1 if delay is None else delay


def _municipality_of_act(r: Reader, o: dict[str, Any], p: str) -> int | None:
    """The owner of a rule set: required for a municipal one."""
    return r.int_(o, "municipality", p, required=o.get("level") == "municipal")


def _areas_of_act(r: Reader, o: dict[str, Any], p: str) -> tuple[str, ...]:
    areas = r.str_list(o, "areas", p) or ()
    if not areas:
        r.error(f"{p}.areas", "missing", "Loven skal gælde mindst ét område")
    return areas


_L = m.BY_SECTION
# (layout, field) -> reads the field from its record's object: the fields whose bundle shape
# is their own (``Layout.hooks``) and the few checks beyond the field's type
READ: dict[tuple[m.Layout, str], Callable[[Reader, dict[str, Any], str], Any]] = {
    (_L["acts"].layout, "municipality"): _municipality_of_act,
    (_L["acts"].layout, "areas"): _areas_of_act,
    (_L["regimes"].layout, "listings"): _listings,
    (_L["regimes"].layout, "min_effect_delay_days"): _delay,
    (_L["decisions"].layout, "decided_by"): _decided_by,
    (_L["decisions"].layout, "scope"): _scope,
    (_L["decisions"].layout, "targets"): _targets,
    (_L["exemptions"].layout, "targets"): _targets,
    (_L["dependencies"].layout, "on"): _depends_on,
    (_L["condition_scopes"].layout, "concerns"): _concerns,
    (_L["corrections"].layout, "decided_by"): _corrected_by,
    (_L["corrections"].layout, "source_words"): _source_words,
}


# -- records that stand within another --------------------------------------------------------

Within = Iterable[tuple[str, Any]]


def _in_act(r: Reader, act: Act, o: dict[str, Any], p: str) -> Within:
    """An act's provisions and their versions (the act itself is its node ``""``)."""
    key, recorded = act.key, act.recorded_at
    yield "provisions", Provision(act=key, ref="", parent=None,
                                  heading=act.short_title or act.title, recorded_at=recorded)
    yield "versions", Version(act=key, ref="", valid_from=act.valid_from, recorded_at=recorded)
    seen: set[str] = {""}
    for i, (pp, po) in enumerate(r.entries(o, "provisions", p)):
        ref = r.ref(po.get("ref"), f"{pp}.ref")
        if ref is None:
            continue
        if ref in seen:
            r.error(f"{pp}.ref", "duplicate", f"{key} {ref} står to gange")
            continue
        parent: str | None
        if po.get("in") is not None:
            parent = r.ref(po["in"], f"{pp}.in")
        else:
            up = Ref.parse(ref).parent
            parent = str(up) if up is not None else ""
        if parent is not None and parent not in seen:
            r.error(f"{pp}.ref", "unknown_provision",
                    f"Overordnet bestemmelse {key} {parent} skal stå før {ref}")
            continue
        seen.add(ref)
        yield "provisions", r.at(read_record(
            r, Provision, po, pp, given={"act": key, "ref": ref, "parent": parent},
            defaults={"order": i + 1, "recorded_at": recorded}), pp)
        raw_versions = po.get("versions")
        if raw_versions is None:
            yield "versions", Version(act=key, ref=ref, valid_from=act.valid_from,
                                      recorded_at=recorded)
        elif not isinstance(raw_versions, list):
            r.error(f"{pp}.versions", "invalid", "Forventede en liste")
        else:
            for j, vo in enumerate(raw_versions):
                vp = f"{pp}.versions[{j}]"
                if isinstance(vo, dict):
                    yield "versions", r.at(_version(r, vp, vo, key, ref, recorded), vp)
                else:
                    r.error(vp, "invalid", "Forventede et objekt med felter")


def _version(r: Reader, p: str, o: dict[str, Any], act: str, ref: str,
             recorded: dt.datetime) -> Version:
    """A version; an official one where it carries its wording."""
    v = read_record(r, OfficialVersion, o, p, given={"act": act, "ref": ref},
                    defaults={"recorded_at": recorded})
    if v.text is None and v.heading is None and v.note is None:
        return Version(**{f.name: getattr(v, f.name) for f in dataclasses.fields(Version)})
    return v


def _in_regime(r: Reader, regime: Regime, o: dict[str, Any], p: str) -> Within:
    """The coverage a regime's own entry lists."""
    # the regime's key, or (where it has none) the entry's own
    given = {"regime": regime.key} if regime.key else {}
    for cp, co in r.entries(o, "coverage", p):
        yield "coverage", r.at(read_record(r, Coverage, co, cp, given=given), cp)


_PRIVATE_OWNERS = re.compile(r"privat|selvejende|udliciteret", re.IGNORECASE)


def _in_institution(r: Reader, inst: Institution, o: dict[str, Any], p: str) -> Within:
    """An institution's memberships; an entry without them is one membership itself, with
    ``opened``, ``closed`` and ``owner`` (as a register extract has them)."""
    raw = o.get("memberships")
    if raw is None:
        raw = [{**o, "from": o.get("opened"), "to": o.get("closed")}]
        paths = [p]
    elif isinstance(raw, list):
        paths = [f"{p}.memberships[{i}]" for i in range(len(raw))]
    else:
        r.error(f"{p}.memberships", "invalid", "Forventede en liste")
        raw, paths = [], []
    for mp, mo in zip(paths, raw, strict=True):
        if not isinstance(mo, dict):
            r.error(mp, "invalid", "Forventede et objekt med felter")
            continue
        owner = r.str_(mo, "owner", mp, required=False)
        start, end = r.period(mo, mp, message="Lukkedatoen skal ligge efter åbningsdatoen")
        yield "memberships", r.at(read_record(
            r, Membership, mo, mp,
            given={"institution": inst.id, "valid_from": start, "valid_to": end},
            defaults={"recorded_at": inst.recorded_at, "provider": "private" if owner
                      and _PRIVATE_OWNERS.search(owner) else "public"}), mp)


# section -> the records that stand within one of its records
WITHIN: dict[str, Callable[[Reader, Any, dict[str, Any], str], Within]] = {
    "acts": _in_act,
    "regimes": _in_regime,
    "institutions": _in_institution,
}
