"""Read a ``frisat-bundle/1`` document into engine records (docs/bundle.md).

This module only reads: it turns a parsed JSON/YAML document into a ``World`` of new
records, collecting every error with its path instead of stopping at the first. Checking
the records against the register and storing them is ``frisat.registry.loader``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import yaml

from frisat.engine.model import (
    KINDS,
    Act,
    Area,
    Claim,
    Completeness,
    ConditionScope,
    Correction,
    Coverage,
    DecidedBy,
    Decision,
    Delegation,
    Dependency,
    Exclusion,
    Exemption,
    Institution,
    Kept,
    Listing,
    Membership,
    Municipality,
    Provision,
    Regime,
    Repeal,
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
        problem = validate.key_problem(v) if v else None
        if problem:
            self.error(f"{path}.{key}", *problem)
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
        problem = validate.date_problem(day)
        if problem:
            self.error(f"{path}.{key}", *problem)
            return None
        return day

    def period(self, o: dict[str, Any], path: str, *,
               required: bool = False) -> tuple[dt.date | None, dt.date | None]:
        """``from`` and ``to`` of a half-open period; the end must lie after the start."""
        start = self.date(o, "from", path, required=required)
        end = self.date(o, "to", path, required=False)
        problem = validate.period_problem(start, end)
        if problem:
            self.error(f"{path}.to", *problem)
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
    known = {"format", "municipalities", "areas", "acts", "regimes", "coverage", "institutions",
             "delegations", "decisions", "exemptions", "repeals", "kept", "dependencies",
             "completeness", "condition_scopes", "corrections", "claims", "title",
             "description",
             "source", "example", "lessons"}  # lessons: read and stored by frisat.followup
    for section in d:
        if section not in known:
            r.error(section, "invalid", f"Ukendt afsnit {section!r} i bundtet")

    world = World(
        municipalities=tuple(r.each(d, "municipalities", lambda p, o: _municipality(r, p, o))),
        areas=tuple(r.each(d, "areas", lambda p, o: _area(r, p, o))),
    )
    acts, provisions, versions = [], [], []
    for path, o in r.items(d, "acts"):
        got = _act(r, path, o)
        if got:
            acts.append(r.at(got[0], path))
            provisions.extend(got[1])
            versions.extend(got[2])
    regimes, coverage = [], []
    for path, o in r.items(d, "regimes"):
        got_r = _regime(r, path, o)
        if got_r:
            regimes.append(r.at(got_r[0], path))
            coverage.extend(got_r[1])
    coverage.extend(r.each(d, "coverage", lambda p, o: _coverage(r, p, o, None)))
    institutions, memberships = [], []
    for path, o in r.items(d, "institutions"):
        got_i = _institution(r, path, o)
        if got_i:
            institutions.append(r.at(got_i[0], path))
            memberships.extend(got_i[1])
    world = world.with_(
        acts=tuple(acts), provisions=tuple(provisions), versions=tuple(versions),
        regimes=tuple(regimes), coverage=tuple(coverage),
        institutions=tuple(institutions), memberships=tuple(memberships),
        delegations=tuple(r.each(d, "delegations", lambda p, o: _delegation(r, p, o))),
        decisions=tuple(r.each(d, "decisions", lambda p, o: _decision(r, p, o))),
        exemptions=tuple(r.each(d, "exemptions", lambda p, o: _exemption(r, p, o))),
        repeals=tuple(r.each(d, "repeals", lambda p, o: _repeal(r, p, o))),
        kept=tuple(r.each(d, "kept", lambda p, o: _kept(r, p, o))),
        dependencies=tuple(r.each(d, "dependencies", lambda p, o: _dependency(r, p, o))),
        completeness=tuple(r.each(d, "completeness", lambda p, o: _completeness(r, p, o))),
        condition_scopes=tuple(r.each(d, "condition_scopes",
                                      lambda p, o: _condition_scope(r, p, o))),
        corrections=tuple(r.each(d, "corrections", lambda p, o: _correction(r, p, o))),
        claims=tuple(r.each(d, "claims", lambda p, o: _claim(r, p, o))),
    )
    if r.errors:
        raise Rejected(r.errors)
    return world, r.paths


def read_decision(data: Any, now: dt.datetime) -> Decision:
    """One decision from its fields (a staff form's draft): the same field checks as in a
    bundle, without a bundle around it. Raises Rejected with the fields' paths."""
    r = Reader(now)
    o = r.obj(data, "decision")
    if o is None:
        raise Rejected(r.errors)
    validate.check_document(o)
    found = _decision(r, "decision", o)
    if r.errors:
        raise Rejected([InputError(e.path.removeprefix("decision").lstrip(".") or "decision",
                                   e.code, e.message, e.severity) for e in r.errors])
    return found


# -- sections ------------------------------------------------------------------------------


def _municipality(r: Reader, p: str, o: dict[str, Any]) -> Municipality | None:
    code = r.int_(o, "code", p)
    return Municipality(
        code=code or 0, name=r.str_(o, "name", p, max_len=100),
        region_code=r.int_(o, "region_code", p) or 0, region_name=r.str_(o, "region_name", p),
        source=r.str_(o, "source", p, required=False), recorded_at=r.recorded_at(o, p),
    )


def _area(r: Reader, p: str, o: dict[str, Any]) -> Area:
    return Area(key=r.key(o, "key", p, max_len=50), name=r.str_(o, "name", p, max_len=100),
                name_en=r.str_(o, "name_en", p, required=False), recorded_at=r.recorded_at(o, p))


def _act(r: Reader, p: str,
         o: dict[str, Any]) -> tuple[Act, list[Provision], list[Version]] | None:
    key = r.key(o, "key", p)
    level = r.choice(o, "level", p, ("state", "municipal"))
    recorded = r.recorded_at(o, p)
    act = Act(
        key=key, level=level,  # type: ignore[arg-type]
        title=r.str_(o, "title", p), areas=r.str_list(o, "areas", p) or (),
        valid_from=r.date(o, "valid_from", p, required=False),
        municipality=r.int_(o, "municipality", p, required=level == "municipal"),
        eli=r.opt_str(o, "eli", p), source_url=r.opt_str(o, "source_url", p),
        kinds=r.str_list(o, "kinds", p, nullable=True),
        short_title=r.str_(o, "short_title", p, required=False),
        partial=r.bool_(o, "partial", p, False), recorded_at=recorded,
    )
    if not act.areas:
        r.error(f"{p}.areas", "missing", "Loven skal gælde mindst ét område")
    provisions = [Provision(act=key, ref="", parent=None, heading=act.short_title or act.title,
                            recorded_at=recorded)]
    versions: list[Version] = [Version(act=key, ref="", valid_from=act.valid_from,
                                       recorded_at=recorded)]
    seen: set[str] = {""}
    raw = o.get("provisions") or []
    if not isinstance(raw, list):
        r.error(f"{p}.provisions", "invalid", "Forventede en liste")
        raw = []
    for i, po in enumerate(raw):
        pp = f"{p}.provisions[{i}]"
        if not isinstance(po, dict):
            r.error(pp, "invalid", "Forventede et objekt med felter")
            continue
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
        order = r.int_(po, "order", pp, required=False)
        provisions.append(r.at(Provision(
            act=key, ref=ref, parent=parent, heading=r.str_(po, "heading", pp, required=False),
            summary=r.str_(po, "summary", pp, required=False),
            order=i + 1 if order is None else order, recorded_at=recorded), pp))
        raw_versions = po.get("versions")
        if raw_versions is None:
            versions.append(Version(act=key, ref=ref, valid_from=act.valid_from,
                                    recorded_at=recorded))
        elif not isinstance(raw_versions, list):
            r.error(f"{pp}.versions", "invalid", "Forventede en liste")
        else:
            for j, vo in enumerate(raw_versions):
                vp = f"{pp}.versions[{j}]"
                if isinstance(vo, dict):
                    versions.append(r.at(_version(r, vp, vo, key, ref, recorded), vp))
                else:
                    r.error(vp, "invalid", "Forventede et objekt med felter")
    return act, provisions, versions


def _version(r: Reader, p: str, o: dict[str, Any], act: str, ref: str,
             default_recorded: dt.datetime) -> Version:
    exclusions = []
    raw_exclusions = o.get("exclusions") or []
    if not isinstance(raw_exclusions, list):
        r.error(f"{p}.exclusions", "invalid", "Forventede en liste")
        raw_exclusions = []
    for k, eo in enumerate(raw_exclusions):
        ep = f"{p}.exclusions[{k}]"
        if isinstance(eo, dict):
            exclusions.append(Exclusion(regime=r.key(eo, "regime", ep),
                                        area=r.opt_str(eo, "area", ep),
                                        basis=r.str_(eo, "basis", ep, required=False)))
        else:
            r.error(ep, "invalid", "Forventede et objekt med felter")
    start, end = r.period(o, p)
    recorded = r.recorded_at(o, p) if "recorded_at" in o else default_recorded
    official = {k: r.opt_str(o, k, p) for k in ("text", "heading", "note") if k in o}
    if any(v is not None for v in official.values()):
        return OfficialVersion(act=act, ref=ref, valid_from=start, valid_to=end,
                               enacted_by=r.str_(o, "enacted_by", p, required=False),
                               exclusions=tuple(exclusions), recorded_at=recorded, **official)
    return Version(act=act, ref=ref, valid_from=start, valid_to=end,
                   enacted_by=r.str_(o, "enacted_by", p, required=False),
                   exclusions=tuple(exclusions), recorded_at=recorded)


def _listings(r: Reader, o: dict[str, Any], p: str, key: str, mark: str) -> list[Listing]:
    out: list[Listing] = []
    raw = o.get(key) or []
    if not isinstance(raw, list):
        r.error(f"{p}.{key}", "invalid", "Forventede en liste af henvisninger")
        return out
    for i, item in enumerate(raw):
        ip = f"{p}.{key}[{i}]"
        extra: dict[str, Any] = {}
        if isinstance(item, dict):
            extra = dict(
                note=r.str_(item, "note", ip, required=False),
                source=r.str_(item, "source", ip, required=False),
                valid_from=r.date(item, "from", ip, required=False),
                valid_to=r.date(item, "to", ip, required=False),
                part=r.str_(item, "part", ip, required=False, max_len=200),
                condition=r.str_(item, "condition", ip, required=False),
                condition_basis=r.str_(item, "condition_basis", ip, required=False))
            if item.get("municipalities") is not None:
                extra["municipalities"] = _codes(r, item, "municipalities", ip)
            item = item.get("citation")
            ip = f"{ip}.citation"
        c = r.citation(item, ip)
        if c:
            out.append(Listing(act=c[0], ref=c[1], mark=mark,  # type: ignore[arg-type]
                               **extra))
    return out


def _regime(r: Reader, p: str, o: dict[str, Any]) -> tuple[Regime, list[Coverage]] | None:
    key = r.key(o, "key", p)
    delay = r.int_(o, "min_effect_delay_days", p, required=False)
    if delay is not None and not 0 <= delay <= 365:
        r.error(f"{p}.min_effect_delay_days", "invalid", "Skal være et antal dage fra 0 til 365")
        delay = None
    regime = Regime(
        key=key, title=r.str_(o, "title", p), kind=r.str_(o, "kind", p, required=False),
        legal_basis=r.str_(o, "legal_basis", p),
        shape=r.choice(o, "shape", p, ("listed", "all_but_guardrails")),  # type: ignore[arg-type]
        acts=r.str_list(o, "acts", p) or (),
        listings=tuple(_listings(r, o, p, "deviable", "deviable")
                       + _listings(r, o, p, "guardrails", "guardrail")),
        min_effect_delay_days=1 if delay is None else delay,
        delegation_allowed=r.bool_(o, "delegation_allowed", p, True),
        kinds=r.str_list(o, "kinds", p, nullable=True),
        private_requires_request=r.bool_(o, "private_requires_request", p, False),
        protected_groups=r.str_list(o, "protected_groups", p) or (),
        general_guardrails=r.str_list(o, "general_guardrails", p) or (),
        run_off_note=r.opt_str(o, "run_off_note", p), source_url=r.opt_str(o, "source_url", p),
        recorded_at=r.recorded_at(o, p),
    )
    coverage = []
    raw = o.get("coverage") or []
    if not isinstance(raw, list):
        r.error(f"{p}.coverage", "invalid", "Forventede en liste")
        raw = []
    for i, co in enumerate(raw):
        cp = f"{p}.coverage[{i}]"
        if isinstance(co, dict):
            cov = _coverage(r, cp, co, key)
            if cov:
                coverage.append(r.at(cov, cp))
        else:
            r.error(cp, "invalid", "Forventede et objekt med felter")
    return regime, coverage


def _coverage(r: Reader, p: str, o: dict[str, Any], regime: str | None) -> Coverage | None:
    start, end = r.period(o, p, required=True)
    if start is None:
        return None
    return Coverage(regime=regime or r.key(o, "regime", p),
                    municipality=r.int_(o, "municipality", p) or 0,
                    area=r.key(o, "area", p), valid_from=start, valid_to=end,
                    source=r.str_(o, "source", p, required=False),
                    confidence=r.str_(o, "confidence", p, required=False),
                    recorded_at=r.recorded_at(o, p))


_PRIVATE_OWNERS = re.compile(r"privat|selvejende|udliciteret", re.IGNORECASE)


def _institution(r: Reader, p: str,
                 o: dict[str, Any]) -> tuple[Institution, list[Membership]] | None:
    ident = r.str_(o, "id", p)
    recorded = r.recorded_at(o, p)
    inst = Institution(id=ident, name=r.str_(o, "name", p),
                       requested=r.str_list(o, "requested", p) or (),
                       source=r.str_(o, "source", p, required=False),
                       example=r.bool_(o, "example", p, False), recorded_at=recorded)
    memberships = []
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
        default_provider = "private" if owner and _PRIVATE_OWNERS.search(owner) else "public"
        provider = r.choice(mo, "provider", mp, ("public", "private"), default_provider)
        start = r.date(mo, "from", mp, required=False)
        end = r.date(mo, "to", mp, required=False)
        if start and end and end <= start:
            r.error(f"{mp}.to", "invalid", "Lukkedatoen skal ligge efter åbningsdatoen")
        memberships.append(r.at(Membership(
            institution=ident, municipality=r.int_(mo, "municipality", mp) or 0,
            area=r.key(mo, "area", mp), kind=r.str_(mo, "kind", mp), valid_from=start,
            valid_to=end, provider=provider,  # type: ignore[arg-type]
            recorded_at=r.recorded_at(mo, mp) if "recorded_at" in mo else recorded), mp))
    return inst, memberships


def _delegation(r: Reader, p: str, o: dict[str, Any]) -> Delegation:
    return Delegation(
        municipality=r.int_(o, "municipality", p) or 0, regime=r.key(o, "regime", p),
        to=r.choice(o, "to", p, BODIES[1:]),  # type: ignore[arg-type]
        name=r.str_(o, "name", p, required=False), institution=r.opt_str(o, "institution", p),
        decided_on=r.date(o, "decided_on", p, required=False),
        source=r.str_(o, "source", p, required=False), recorded_at=r.recorded_at(o, p))


def _targets(r: Reader, o: dict[str, Any], p: str) -> tuple[Target, ...]:
    raw = o.get("targets")
    if not isinstance(raw, list) or not raw:
        r.error(f"{p}.targets", "missing", "Angiv mindst én bestemmelse, der fraviges")
        return ()
    out: list[Target] = []
    for i, to in enumerate(raw):
        tp = f"{p}.targets[{i}]"
        if not isinstance(to, dict):
            r.error(tp, "invalid", "Forventede et objekt med felter")
            continue
        c = r.citation(to.get("citation"), f"{tp}.citation")
        extent = r.choice(to, "extent", tp, ("whole", "partial"), "whole")
        met = to.get("condition_met")
        if met is not None and not isinstance(met, bool):
            r.error(f"{tp}.condition_met", "invalid", "Skal være true, false eller null "
                    "(ikke kendt)")
            met = None
        if c:
            out.append(Target(act=c[0], ref=c[1], extent=extent,  # type: ignore[arg-type]
                              note=r.str_(to, "note", tp, required=False),
                              condition_met=met,
                              source_words=r.str_(to, "source_words", tp, required=False,
                                                  max_len=300)))
    return tuple(out)


def _codes(r: Reader, o: dict[str, Any], key: str, p: str) -> tuple[int, ...]:
    raw = o.get(key)
    if not isinstance(raw, list) or not all(isinstance(x, int) and not isinstance(x, bool)
                                            and 0 < x < 1000 for x in raw):
        r.error(f"{p}.{key}", "invalid", "Forventede en liste af kommunekoder (101–999)")
        return ()
    return tuple(raw)


def _dependency(r: Reader, p: str, o: dict[str, Any]) -> Dependency | None:
    c = r.citation(o.get("citation"), f"{p}.citation")
    raw = o.get("on")
    on: list[tuple[str, str]] = []
    if not isinstance(raw, list) or not raw:
        r.error(f"{p}.on", "missing", "Angiv de bestemmelser, den afhænger af")
        raw = []
    for i, item in enumerate(raw):
        got = r.citation(item, f"{p}.on[{i}]")
        if got:
            on.append(got)
    start, end = r.period(o, p)
    dep = Dependency(
        act=c[0] if c else "", ref=c[1] if c else "", on=tuple(on),
        basis=r.str_(o, "basis", p), source=r.str_(o, "source", p, required=False),
        extent=r.choice(o, "extent", p, ("whole", "partial"), "whole"),  # type: ignore[arg-type]
        note=r.str_(o, "note", p, required=False), valid_from=start, valid_to=end,
        recorded_at=r.recorded_at(o, p))
    return dep if c and on else None


def _completeness(r: Reader, p: str, o: dict[str, Any]) -> Completeness:
    start, end = r.period(o, p)
    return Completeness(
        municipality=r.int_(o, "municipality", p) or 0, area=r.key(o, "area", p),
        valid_from=start, valid_to=end,
        level=r.choice(o, "level", p, ("complete", "partial", "unknown")),  # type: ignore[arg-type]
        source=r.str_(o, "source", p), source_url=r.opt_str(o, "source_url", p),
        note=r.str_(o, "note", p, required=False), recorded_at=r.recorded_at(o, p))


def _claim(r: Reader, p: str, o: dict[str, Any]) -> Claim | None:
    section = r.choice(o, "section", p, tuple(k.section for k in KINDS if k.section != "claims"))
    record = r.str_(o, "record", p)
    if "known_from" not in o:
        r.error(f"{p}.known_from", "missing", "Mangler known_from (det oplyste tidspunkt)")
        return None
    return Claim(section=section, record=record, known_from=r.recorded_at(o, p, "known_from"),
                 recorded_at=r.recorded_at(o, p))


def _correction(r: Reader, p: str, o: dict[str, Any]) -> Correction:
    """``{"decision", "decided_by": {"body": "unknown"}, "source_words": [{"citation",
    "words"}], "reason", "source"}``: the register's correction of a published decision."""
    by = o.get("decided_by")
    decided_by = None
    if by is not None:
        if not isinstance(by, dict):
            r.error(f"{p}.decided_by", "invalid", "Forventede et objekt med feltet body")
        else:
            bp = f"{p}.decided_by"
            decided_by = DecidedBy(body=r.choice(by, "body", bp, DECIDERS),  # type: ignore[arg-type]
                                   name=r.str_(by, "name", bp, required=False),
                                   institution=r.opt_str(by, "institution", bp))
    words: list[tuple[str, str]] = []
    raw = o.get("source_words") or []
    if not isinstance(raw, list):
        r.error(f"{p}.source_words", "invalid", "Forventede en liste")
        raw = []
    for i, item in enumerate(raw):
        wp = f"{p}.source_words[{i}]"
        if not isinstance(item, dict):
            r.error(wp, "invalid", "Forventede et objekt med felterne citation og words")
            continue
        c = r.citation(item.get("citation"), f"{wp}.citation")
        text = r.str_(item, "words", wp, max_len=300)
        if c and text:
            words.append((f"{c[0]} {c[1]}".strip(), text))
    return Correction(decision=r.str_(o, "decision", p), decided_by=decided_by,
                      source_words=tuple(words), reason=r.str_(o, "reason", p),
                      source=r.str_(o, "source", p, required=False),
                      recorded_at=r.recorded_at(o, p))


def _condition_scope(r: Reader, p: str, o: dict[str, Any]) -> ConditionScope | None:
    """``{"regime", "text", "concerns": [citations], "from", "to", "basis"}``: where one of
    the regime's general guardrails or protected groups concerns a set-aside."""
    raw = o.get("concerns") or []
    if not isinstance(raw, list):
        r.error(f"{p}.concerns", "invalid", "Forventede en liste af henvisninger")
        raw = []
    concerns = [r.citation(x, f"{p}.concerns[{i}]") for i, x in enumerate(raw)]
    start, end = r.period(o, p)
    if any(c is None for c in concerns):
        return None
    return ConditionScope(
        regime=r.key(o, "regime", p), text=r.str_(o, "text", p),
        concerns=tuple(c for c in concerns if c is not None), valid_from=start,
        valid_to=end, basis=r.str_(o, "basis", p, required=False),
        recorded_at=r.recorded_at(o, p))


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


def _decision(r: Reader, p: str, o: dict[str, Any]) -> Decision:
    by = o.get("decided_by")
    if by is None:
        r.error(f"{p}.decided_by", "missing",
                "Angiv hvem der traf beslutningen (kommunalbestyrelsen, et udvalg, "
                "forvaltningen eller en institution)")
        by = {}
    if not isinstance(by, dict):
        r.error(f"{p}.decided_by", "invalid", "Forventede et objekt med feltet body")
        by = {}
    bp = f"{p}.decided_by"
    start = r.date(o, "effective_from", p)
    end = r.date(o, "effective_to", p, required=False)
    if start and end and end <= start:
        r.error(f"{p}.effective_to", "invalid", "Slutdatoen skal ligge efter startdatoen")
    return Decision(
        id=r.str_(o, "id", p), municipality=r.int_(o, "municipality", p) or 0,
        regime=r.key(o, "regime", p), area=r.str_(o, "area", p, required=False),
        decided_by=DecidedBy(body=r.choice(by, "body", bp, DECIDERS, "council"),  # type: ignore[arg-type]
                             name=r.str_(by, "name", bp, required=False),
                             institution=r.opt_str(by, "institution", bp)),
        decided_on=r.date(o, "decided_on", p, required=False),
        published_on=r.date(o, "published_on", p, required=False),
        published=r.bool_(o, "published", p, True),
        effective_from=start or dt.date.min, effective_to=end, scope=_scope(r, o, p),
        targets=_targets(r, o, p), title=r.str_(o, "title", p, required=False),
        replacement=r.str_(o, "replacement", p, required=False),
        revokes=r.str_list(o, "revokes", p) or (), source_url=r.opt_str(o, "source_url", p),
        date_precision=r.choice(o, "date_precision", p, ("day", "month", "year"), "day"),  # type: ignore[arg-type]
        confidence=r.str_(o, "confidence", p, required=False),
        example=r.bool_(o, "example", p, False), recorded_at=r.recorded_at(o, p))


def _exemption(r: Reader, p: str, o: dict[str, Any]) -> Exemption:
    start, end = r.period(o, p, required=True)
    return Exemption(
        id=r.str_(o, "id", p), regime=r.key(o, "regime", p),
        municipality=r.int_(o, "municipality", p) or 0, area=r.str_(o, "area", p, required=False),
        targets=_targets(r, o, p), valid_from=start or dt.date.min, valid_to=end,
        # an exemption exists only once the ministry has approved it
        approved_on=r.date(o, "approved_on", p),
        legal_basis=r.str_(o, "legal_basis", p, required=False),
        source_url=r.opt_str(o, "source_url", p), recorded_at=r.recorded_at(o, p))


def _repeal(r: Reader, p: str, o: dict[str, Any]) -> Repeal:
    return Repeal(act=r.key(o, "act", p), ref=r.ref(o.get("ref", ""), f"{p}.ref") or "",
                  valid_from=r.date(o, "from", p) or dt.date.min,
                  decided_on=r.date(o, "decided_on", p, required=False),
                  source_url=r.opt_str(o, "source_url", p), recorded_at=r.recorded_at(o, p))


def _kept(r: Reader, p: str, o: dict[str, Any]) -> Kept:
    return Kept(act=r.key(o, "act", p), municipality=r.int_(o, "municipality", p) or 0,
                reason=r.str_(o, "reason", p), source_url=r.opt_str(o, "source_url", p),
                recorded_at=r.recorded_at(o, p))
