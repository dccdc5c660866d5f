"""What-if scenarios: an overlay on the register, answered by the one engine.

A scenario (``frisat-scenario/1``, CONTRACT.md "Scenarios") is a bundle whose records
overlay the register without being stored in it, plus a few named changes that are
compiled to such records:

- ``cover``: a regime covers municipalities (``all`` or a list) in an area from a date
  ("if all 98 municipalities were covered in elder care from date X");
- ``end``: a regime's coverage ends on another date ("if the trial ended a year earlier");
- ``guardrail`` / ``deviable``: a regime lists a provision as a hegnspæl or as deviable
  ("if this provision became a guardrail");
- ``complete``: assume the register knows every decision of the municipalities in an area
  (without it, a deviable provision with no known decision is ``unknown``);
- ``adopt``: municipality M adopts the whole-municipality and kinds-scoped decisions of
  municipality N in an area ("if M adopted the decisions of N").

The overlay is applied to the register as known at K, record by record, the way a later
registration would supersede an earlier one (``World.known_at``): a keyed record replaces
the record of the same key, a new key or an event is added. The result is a separate
World; the register's own World, engine and answers are never touched. Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from frisat.engine import model as m
from frisat.engine.verdict import Engine, Verdict
from frisat.law.citation import CitationError, parse_citation
from frisat.registry.bundle import read_bundle
from frisat.registry.errors import InputError, Rejected

FORMAT = "frisat-scenario/1"
SECTIONS = ("regimes", "coverage", "decisions", "exemptions")
CHANGES = ("cover", "end", "guardrail", "deviable", "adopt", "complete")
META = ("format", "key", "title", "description", "date", "example", "changes")
SOURCE = "Scenarie (ikke gældende ret)"


@dataclass(frozen=True)
class Scenario:
    """A parsed scenario: its words, the date it asks about, and its overlay records."""

    title: str
    description: str
    date: dt.date | None
    records: m.World  # the overlay, never stored
    document: dict[str, Any]  # the normalised document: saving and reloading give this back

    def canonical(self) -> str:
        return json.dumps(self.document, ensure_ascii=False, sort_keys=True, default=str)


def _err(path: str, code: str, message: str) -> InputError:
    return InputError(path, code, message)


def _date(value: Any, path: str, errors: list[InputError]) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.append(_err(path, "invalid", f"Forventede en dato ÅÅÅÅ-MM-DD, fik {value!r}"))
        return None


def parse(doc: Any, base: m.World, *, at: dt.datetime) -> Scenario:
    """Read a scenario document against the register as known (``base``); every record
    gets the record time ``at`` (after everything in ``base``). Rejected with every
    problem at once, each naming its path and a stable code, in Danish."""
    if not isinstance(doc, dict):
        raise Rejected([_err("scenario", "invalid", "Et scenarie skal være et objekt")])
    if doc.get("format") != FORMAT:
        raise Rejected([_err("format", "format",
                             f"Ukendt format {doc.get('format')!r}; forventede {FORMAT}")])
    errors: list[InputError] = []
    for k in doc:
        if k not in META and k not in SECTIONS:
            errors.append(_err(k, "invalid", f"Ukendt afsnit {k!r} i scenariet"))
    title = doc.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.append(_err("title", "required", "Scenariet skal have en titel"))
        title = ""
    description = doc.get("description") or ""
    if not isinstance(description, str):
        errors.append(_err("description", "invalid", "Beskrivelsen skal være tekst"))
        description = ""
    when = _date(doc.get("date"), "date", errors)

    # the bundle sections, read by the bundle reader (same paths and codes)
    sections = {k: doc[k] for k in SECTIONS if k in doc}
    overlay = m.World()
    if sections:
        # record times come from the scenario, never from the document
        stamped = {k: [{f: x for f, x in r.items() if f != "recorded_at"}
                       if isinstance(r, dict) else r for r in v] if isinstance(v, list) else v
                   for k, v in sections.items()}
        try:
            overlay = read_bundle({"format": "frisat-bundle/1", **stamped}, at, name="scenario")
        except Rejected as e:
            errors.extend(e.errors)

    changes = doc.get("changes") or []
    if not isinstance(changes, list):
        errors.append(_err("changes", "invalid", "Forventede en liste af ændringer"))
        changes = []
    compiled = _Compiler(base, overlay, at, errors)
    for i, ch in enumerate(changes):
        compiled.change(ch, f"changes[{i}]")
    overlay = compiled.result()
    _check_references(base, overlay, errors)
    if errors:
        raise Rejected(errors)
    normal = {k: doc[k] for k in META if k in doc}
    normal.update(sections)
    normal["format"] = FORMAT
    if when is not None:
        normal["date"] = when.isoformat()
    return Scenario(title=title, description=description, date=when,
                    records=_stamp(overlay, at), document=_plain(normal))


def _plain(doc: Any) -> Any:
    """Dates as text: the document as it is saved (JSON) and read back."""
    return json.loads(json.dumps(doc, default=str))


def _stamp(w: m.World, at: dt.datetime) -> m.World:
    sections: dict[str, Any] = {s: tuple(replace(x, recorded_at=at) for x in getattr(w, s))
                                for s in m.World.SECTIONS}
    return m.World(**sections)


class _Compiler:
    """Turns the named changes into overlay records."""

    def __init__(self, base: m.World, overlay: m.World, at: dt.datetime,
                 errors: list[InputError]) -> None:
        self.base = base
        self.at = at
        self.errors = errors
        self.coverage: list[m.Coverage] = list(overlay.coverage)
        self.regimes: dict[str, m.Regime] = {r.key: r for r in overlay.regimes}
        self.decisions: list[m.Decision] = list(overlay.decisions)
        self.completeness: list[m.Completeness] = []
        self.overlay = overlay
        self.munis = {x.code for x in base.municipalities}
        self.areas = {x.key for x in base.areas}

    def result(self) -> m.World:
        return self.overlay.with_(coverage=tuple(self.coverage),
                                  regimes=tuple(self.regimes.values()),
                                  decisions=tuple(self.decisions),
                                  completeness=tuple(self.completeness))

    def regime(self, key: Any, path: str) -> m.Regime | None:
        got = self.regimes.get(key) or next((r for r in self.base.regimes if r.key == key),
                                            None)
        if got is None:
            self.errors.append(_err(path, "not_found", f"Ukendt ordning: {key!r}"))
        return got

    def municipalities(self, value: Any, path: str) -> list[int]:
        if value == "all":
            return sorted(self.munis)
        if not isinstance(value, list) or not value:
            self.errors.append(_err(path, "invalid",
                                    "Forventede \"all\" eller en liste af kommunekoder"))
            return []
        out = []
        for i, c in enumerate(value):
            if not isinstance(c, int) or isinstance(c, bool) or c not in self.munis:
                self.errors.append(_err(f"{path}[{i}]", "not_found", f"Ukendt kommune: {c!r}"))
            else:
                out.append(c)
        return out

    def area(self, value: Any, path: str, required: bool = True) -> str | None:
        if value is None and not required:
            return None
        if value not in self.areas:
            self.errors.append(_err(path, "not_found", f"Ukendt område: {value!r}"))
            return None
        return str(value)

    def change(self, ch: Any, path: str) -> None:
        if not isinstance(ch, dict) or len(ch) != 1 or next(iter(ch)) not in CHANGES:
            self.errors.append(_err(path, "unknown_change",
                                    "En ændring er ét af: " + ", ".join(CHANGES)))
            return
        kind, body = next(iter(ch.items()))
        p = f"{path}.{kind}"
        if not isinstance(body, dict):
            self.errors.append(_err(p, "invalid", "Forventede et objekt"))
            return
        getattr(self, f"_{kind}")(body, p)

    def _cover(self, o: dict[str, Any], p: str) -> None:
        reg = self.regime(o.get("regime"), f"{p}.regime")
        area = self.area(o.get("area"), f"{p}.area")
        munis = self.municipalities(o.get("municipalities"), f"{p}.municipalities")
        start = _date(o.get("from"), f"{p}.from", self.errors)
        end = _date(o.get("to"), f"{p}.to", self.errors)
        if start is None and "from" not in o:
            self.errors.append(_err(f"{p}.from", "required", "Angiv hvornår dækningen begynder"))
        if start and end and end <= start:
            self.errors.append(_err(f"{p}.to", "invalid", "Slutdatoen skal ligge efter "
                                    "startdatoen"))
            return
        if reg is None or area is None or start is None:
            return
        for c in munis:
            self.coverage.append(m.Coverage(reg.key, c, area, start, end, source=SOURCE,
                                            recorded_at=self.at))

    def _complete(self, o: dict[str, Any], p: str) -> None:
        area = self.area(o.get("area"), f"{p}.area")
        munis = self.municipalities(o.get("municipalities"), f"{p}.municipalities")
        start = _date(o.get("from"), f"{p}.from", self.errors)
        end = _date(o.get("to"), f"{p}.to", self.errors)
        if area is None:
            return
        for c in munis:
            self.completeness.append(m.Completeness(
                c, area, start, end, "complete", source=SOURCE,
                note="Antagelse i scenariet: registret kender alle kommunens beslutninger",
                recorded_at=self.at))

    def _end(self, o: dict[str, Any], p: str) -> None:
        reg = self.regime(o.get("regime"), f"{p}.regime")
        area = self.area(o.get("area"), f"{p}.area", required=False)
        munis = set(self.municipalities(o["municipalities"], f"{p}.municipalities")) \
            if "municipalities" in o else None
        end = _date(o.get("to"), f"{p}.to", self.errors)
        if end is None:
            self.errors.append(_err(f"{p}.to", "required", "Angiv den nye slutdato"))
            return
        if reg is None:
            return
        latest: dict[tuple[str, int, str, dt.date], m.Coverage] = {}
        for c in (*self.base.coverage, *self.coverage):
            latest[c.key] = c
        hit = 0
        for c in latest.values():
            if c.regime != reg.key or (area and c.area != area) or \
                    (munis is not None and c.municipality not in munis):
                continue
            hit += 1
            # an end before the start leaves the coverage empty (half-open: from == to)
            self.coverage.append(replace(c, valid_to=max(end, c.valid_from), source=SOURCE,
                                         recorded_at=self.at))
        if not hit:
            self.errors.append(_err(p, "not_found", f"Ordningen {reg.key} dækker ingen af de "
                                    "angivne kommuner og områder"))

    def _listing(self, o: dict[str, Any], p: str, mark: m.Mark) -> None:
        reg = self.regime(o.get("regime"), f"{p}.regime")
        try:
            c = parse_citation(str(o.get("citation") or ""))
        except CitationError as e:
            self.errors.append(_err(f"{p}.citation", "unknown_provision", str(e)))
            return
        if reg is None:
            return
        if not any(x.act == c.act and x.ref == c.ref for x in self.base.provisions):
            self.errors.append(_err(f"{p}.citation", "unknown_provision",
                                    f"Ukendt bestemmelse: {c.act} {c.ref}".strip()))
            return
        kept = tuple(li for li in reg.listings if (li.act, li.ref) != (c.act, c.ref))
        listing = m.Listing(c.act, c.ref, mark, note=str(o.get("note") or ""), source=SOURCE)
        self.regimes[reg.key] = replace(reg, listings=kept + (listing,), recorded_at=self.at)

    def _guardrail(self, o: dict[str, Any], p: str) -> None:
        self._listing(o, p, "guardrail")

    def _deviable(self, o: dict[str, Any], p: str) -> None:
        self._listing(o, p, "deviable")

    def _adopt(self, o: dict[str, Any], p: str) -> None:
        to = self.municipalities([o.get("municipality")], f"{p}.municipality")
        src = self.municipalities([o.get("from_municipality")], f"{p}.from_municipality")
        area = self.area(o.get("area"), f"{p}.area", required=False)
        if not to or not src:
            return
        if to == src:
            self.errors.append(_err(f"{p}.municipality", "invalid",
                                    "En kommune kan ikke overtage sine egne beslutninger"))
            return
        copied = 0
        for dec in self.base.decisions:
            if dec.municipality != src[0] or (area and dec.area != area) or not dec.published:
                continue
            if dec.scope.institutions is not None:
                continue  # named institutions of N do not exist in M
            copied += 1
            self.decisions.append(replace(
                dec, id=f"scenarie-{to[0]}-{dec.id}", municipality=to[0],
                revokes=tuple(f"scenarie-{to[0]}-{r}" for r in dec.revokes),
                title=f"Som {dec.id}" + (f": {dec.title}" if dec.title else ""),
                source_url=None, example=True, recorded_at=self.at))
        if not copied:
            self.errors.append(_err(f"{p}.from_municipality", "not_found",
                                    "Kommunen har ingen registrerede beslutninger for hele "
                                    "kommunen at overtage"))


def _check_references(base: m.World, overlay: m.World, errors: list[InputError]) -> None:
    """The overlay's records name regimes, municipalities and areas that exist."""
    regimes = {r.key for r in base.regimes} | {r.key for r in overlay.regimes}
    munis = {x.code for x in base.municipalities}
    areas = {x.key for x in base.areas}
    for i, c in enumerate(overlay.coverage):
        if c.regime not in regimes:
            errors.append(_err(f"coverage[{i}].regime", "not_found",
                               f"Ukendt ordning: {c.regime}"))
        if c.municipality not in munis:
            errors.append(_err(f"coverage[{i}].municipality", "not_found",
                               f"Ukendt kommune: {c.municipality}"))
        if c.area not in areas:
            errors.append(_err(f"coverage[{i}].area", "not_found", f"Ukendt område: {c.area}"))
    for i, d in enumerate(overlay.decisions):
        if d.regime not in regimes:
            errors.append(_err(f"decisions[{i}].regime", "not_found",
                               f"Ukendt ordning: {d.regime}"))
        if d.municipality not in munis:
            errors.append(_err(f"decisions[{i}].municipality", "not_found",
                               f"Ukendt kommune: {d.municipality}"))


# --------------------------------------------------------------------------- applying


def apply(view: m.World, overlay: m.World) -> m.World:
    """The register as known (``view``, already cut at K) with the overlay registered after
    it: the same result as ``(full + overlay).known_at(T)`` for T after both, computed on
    the view alone."""
    sections: dict[str, Any] = {}
    for kind in m.KINDS:
        extra = getattr(overlay, kind.section)
        items = getattr(view, kind.section)
        if not extra:
            sections[kind.section] = items
        elif kind.key is None:
            sections[kind.section] = items + extra
        else:
            merged: dict[Any, Any] = {kind.key(x): x for x in items}
            for x in extra:
                merged[kind.key(x)] = x
            sections[kind.section] = tuple(merged.values())
    last = max((x.recorded_at for x in overlay.records()),  # type: ignore[attr-defined]
               default=view.as_of)
    return m.World(**sections, as_of=last)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the diff


@dataclass(frozen=True)
class Change:
    level: str  # municipality | institution
    municipality: int
    area: str
    citation: str
    before: str
    after: str
    institution: str | None = None
    guardrail: tuple[bool, bool] | None = None  # (register, scenario) when they differ

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"institution": self.institution} if self.institution else {}
        out.update({"municipality": self.municipality, "area": self.area,
                    "citation": self.citation, "from": self.before, "to": self.after})
        if self.guardrail is not None:
            out["guardrail_from"], out["guardrail_to"] = self.guardrail
        return out


def _change(level: str, mun: int, area: str, before: Verdict, after: Verdict,
            institution: str | None = None) -> Change | None:
    """The change between two verdicts of one leaf: its status, or whether it is a
    hegnspæl; None when neither differs."""
    if before.status == after.status and before.guardrail == after.guardrail:
        return None
    guard = None if before.guardrail == after.guardrail else (before.guardrail,
                                                                after.guardrail)
    return Change(level, mun, area, before.citation, before.status, after.status,
                  institution, guard)


def _signature(e: Engine, mun: int, area: str, d: dt.date) -> tuple[Any, ...]:
    """Everything a verdict of (municipality, area) on D depends on besides the law
    itself: the coverage records, the regimes they name, the decisions, exemptions and
    completeness records of the pair. Equal signatures (and equal dependencies) give equal
    verdicts, so only pairs whose signature differs need judging."""
    cov = tuple(sorted(e.coverage.get((mun, area), ()), key=lambda c: c.key))
    regs = tuple(e.regimes.get(k) for k in sorted({c.regime for c in cov}))
    decs = tuple(sorted(e.decisions_by_area.get((mun, area), ()), key=lambda x: x.id))
    revoked = tuple(sorted((r, e.revoked.get(r)) for x in decs for r in (x.id,)
                           if r in e.revoked))
    exs = tuple(sorted(e.exemptions_by_area.get((mun, area), ()), key=lambda x: x.id))
    known = tuple(e.completeness_of.get((mun, area), ()))
    return (tuple(_strip(x) for x in cov), tuple(_strip(x) for x in regs if x),
            tuple(_strip(x) for x in decs), revoked, tuple(_strip(x) for x in exs),
            tuple(_strip(x) for x in known))


def _strip(x: Any) -> Any:
    """A record without its record time (which differs between register and overlay)."""
    return replace(x, recorded_at=m.EPOCH)


def touched(base: Engine, scen: Engine, d: dt.date) -> list[tuple[int, str]]:
    """The (municipality, area) pairs whose verdicts may differ between the two engines."""
    pairs = set(base.coverage) | set(scen.coverage) | base.mun_area_keys() \
        | scen.mun_area_keys() | set(base.completeness_of) | set(scen.completeness_of)
    if {_strip(x) for x in base.world.dependencies} != \
            {_strip(x) for x in scen.world.dependencies}:
        return sorted(p for p in pairs if p[0] in base.municipalities)
    return sorted(p for p in pairs if p[0] in base.municipalities
                  and _signature(base, *p, d) != _signature(scen, *p, d))


def _municipality_verdicts(e: Engine, mun: int, area: str, d: dt.date) -> Iterable[Verdict]:
    ctx = e.area_context(mun, area, d).for_municipality()
    for a in e.world.acts:
        if e.relevant(a.key, ctx):
            for leaf in e.tree.leaves(a.key):
                yield e.judge(leaf, ctx)


@dataclass(frozen=True)
class Diff:
    date: dt.date
    changes: tuple[Change, ...]
    pairs: tuple[tuple[int, str], ...]  # the municipality and area pairs compared

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.changes:
            out[c.after] = out.get(c.after, 0) + 1
        return dict(sorted(out.items()))


def diff(base: Engine, scen: Engine, d: dt.date, *, institutions: bool = True) -> Diff:
    """Every verdict that differs (status or hegnspæl) between the register and the
    scenario on D: per
    municipality and area (municipality level) and, with ``institutions``, per institution
    open in such a pair on D."""
    pairs = touched(base, scen, d)
    out: list[Change] = []
    for mun, area in pairs:
        for before, after in zip(_municipality_verdicts(base, mun, area, d),
                                 _municipality_verdicts(scen, mun, area, d), strict=True):
            ch = _change("municipality", mun, area, before, after)
            if ch is not None:
                out.append(ch)
        if not institutions:
            continue
        for ms in sorted(base.members_on(mun, area, d), key=lambda x: x.institution):
            for before, after in zip(base.institution_rules(ms.institution, d),
                                     scen.institution_rules(ms.institution, d), strict=True):
                ch = _change("institution", mun, area, before, after, ms.institution)
                if ch is not None:
                    out.append(ch)
    return Diff(d, tuple(out), tuple(pairs))
