"""The register's questions in the JSON shapes of CONTRACT.md, shared by CLI, API and portal.

Each function reads the register as known at K, hands the engine that snapshot and
returns plain JSON data. Views and commands only format these answers; they never
compute law themselves.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict
from typing import Any
from zoneinfo import ZoneInfo

from frisat.engine import Engine, NotAnswerable, UnknownRecord
from frisat.engine import model as m
from frisat.engine import national as engine_national
from frisat.law.citation import CitationError, parse_citation
from frisat.registry.errors import InputError, Rejected
from frisat.registry.export import decision_json

DK = ZoneInfo("Europe/Copenhagen")


def today() -> dt.date:
    return dt.datetime.now(DK).date()


def parse_date(value: str | None, field: str = "date") -> dt.date:
    if not value:
        return today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Rejected([InputError(field, "invalid",
                                   f"Forventede en dato ÅÅÅÅ-MM-DD, fik {value!r}")]) from None


def parse_instant(value: str | None, field: str = "known_at") -> dt.datetime:
    if not value:
        return dt.datetime.now(DK)
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            when = dt.datetime.combine(dt.date.fromisoformat(value), dt.time(23, 59, 59))
        except ValueError:
            raise Rejected([InputError(field, "invalid",
                                       "Forventede et tidspunkt i ISO 8601, fx "
                                       f"2024-05-01T12:00:00+02:00, fik {value!r}")]) from None
    return when if when.tzinfo else when.replace(tzinfo=DK)


class _Snapshots:
    """The full register read once per change; engines cut per record time.

    The cache key is the newest load, so a load by another process is seen at the next
    question.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: object = None
        self._world: m.World | None = None
        self._latest: dt.datetime = m.EPOCH  # the newest record time in the register
        self._engines: dict[dt.datetime | None, Engine] = {}

    def engine(self, known_at: dt.datetime) -> Engine:
        from frisat.registry import store
        from frisat.registry.models import Load

        # id and time: an id can be reused after a rolled-back transaction, the time cannot
        stamp = Load.objects.order_by("-id").values_list("id", "loaded_at").first()
        with self._lock:
            if self._world is None or stamp != self._stamp:
                self._world = store.read_world()
                self._latest = max((x.recorded_at  # type: ignore[attr-defined]
                                    for x in self._world.records()), default=m.EPOCH)
                self._stamp = stamp
                self._engines = {}
            # Any K at or after the newest record sees the whole register: one shared engine
            # ("now" is the common question); an earlier K gets its own exact view.
            k: dt.datetime | None = None if known_at >= self._latest else known_at
            eng = self._engines.get(k)
            if eng is None:
                if len(self._engines) > 32:
                    self._engines.clear()
                eng = Engine(self._world.known_at(known_at if k is not None else self._latest))
                self._engines[k] = eng
            return eng


snapshots = _Snapshots()


def _unknown(kind: str, value: object, field: str) -> Rejected:
    return Rejected([InputError(field, "not_found", f"Ukendt {kind}: {value}")])


# The engine's answers per (institution, date) for the last few questions: the same day
# asked again — another format or language, a ``compare`` date — is not judged again. An
# answer (≈ 1 MB for a school's 650 rules) is kept with a weak reference to its engine (one
# immutable view of the register), so a replaced engine's answers are never returned.
# Verdicts are frozen; callers still get fresh JSON.
_VERDICTS_KEPT = 16
_verdict_lock = threading.Lock()
_verdicts: OrderedDict[tuple[int, str, dt.date],
                       tuple[weakref.ref[Engine], tuple[Any, tuple[Any, ...]]]] = OrderedDict()


def _institution_verdicts(eng: Engine, institution: str,
                          date: dt.date) -> tuple[Any, tuple[Any, ...]]:
    key = (id(eng), institution, date)
    with _verdict_lock:
        hit = _verdicts.get(key)
        if hit is not None and hit[0]() is eng:
            _verdicts.move_to_end(key)
            return hit[1]
    got = (eng.membership(institution, date), tuple(eng.institution_rules(institution, date)))
    with _verdict_lock:
        _verdicts[key] = (weakref.ref(eng), got)
        _verdicts.move_to_end(key)
        while len(_verdicts) > _VERDICTS_KEPT:
            _verdicts.popitem(last=False)
    return got


def rules(institution: str, date: dt.date, known_at: dt.datetime,
          lang: str = "da") -> dict[str, Any]:
    eng = snapshots.engine(known_at)
    inst = next((i for i in eng.world.institutions if i.id == institution), None)
    if inst is None:
        raise _unknown("institution", institution, "institution")
    ms, verdicts = _institution_verdicts(eng, institution, date)
    return {
        "institution": {
            "id": inst.id, "name": inst.name,
            "municipality": ms.municipality if ms else None,
            "area": ms.area if ms else None, "kind": ms.kind if ms else None,
            "provider": ms.provider if ms else None, "example": inst.example,
        },
        "date": date.isoformat(),
        "known_at": known_at.isoformat(),
        "provisions": [v.to_json(lang) for v in verdicts],
    }


def status(municipality: int, area: str, provision: str, date: dt.date, known_at: dt.datetime,
           lang: str = "da") -> dict[str, Any]:
    eng = snapshots.engine(known_at)
    try:
        c = parse_citation(provision)
    except CitationError as e:
        raise Rejected([InputError("provision", "unknown_provision", str(e))]) from None
    try:
        verdict = eng.municipality_status(municipality, area, c.act, c.ref, date)
    except (UnknownRecord, NotAnswerable) as e:
        raise Rejected([InputError("provision", getattr(e, "code", "not_found"), str(e))]) from None
    return {"municipality": municipality, "area": area, "date": date.isoformat(),
            "known_at": known_at.isoformat(), **verdict.to_json(lang)}


def overview(municipality: int, date: dt.date, known_at: dt.datetime,
             base_url: str = "") -> dict[str, Any]:
    """The consolidated overview of lov 879/880 § 6: every published decision, newest first."""
    eng = snapshots.engine(known_at)
    if not any(x.code == municipality for x in eng.world.municipalities):
        raise _unknown("kommune", municipality, "municipality")
    decisions = [d for d in eng.world.decisions if d.municipality == municipality and d.published]
    # newest publication first; an unknown publication date sorts by the effective date
    decisions.sort(key=lambda d: (d.published_on or d.effective_from, d.id), reverse=True)
    return {
        "municipality": municipality, "date": date.isoformat(), "known_at": known_at.isoformat(),
        "decisions": [decision_json(d) | {"state": eng.decision_state(d.id, date),
                                          "url": f"{base_url}/beslutning/{d.id}"}
                      for d in decisions],
    }


def national(date: dt.date, known_at: dt.datetime, lang: str = "da") -> dict[str, Any]:
    eng = snapshots.engine(known_at)
    return {**engine_national(eng, date).to_json(lang), "known_at": known_at.isoformat()}


def provisions(act: str, date: dt.date, known_at: dt.datetime) -> dict[str, Any]:
    """The act's provision tree with its versions on D and its marks per regime."""
    eng = snapshots.engine(known_at)
    a = next((x for x in eng.world.acts if x.key == act), None)
    if a is None:
        raise _unknown("lov", act, "act")
    versions: dict[str, list[m.Version]] = {}
    for v in eng.world.versions:
        if v.act == act:
            versions.setdefault(v.ref, []).append(v)
    regimes = [r for r in eng.world.regimes if act in r.acts
               or any(li.act == act for li in r.listings)]
    nodes = []
    for p in sorted((p for p in eng.world.provisions if p.act == act), key=lambda p: p.order):
        vs = versions.get(p.ref, [])
        in_force = any(m.in_interval(date, v.valid_from, v.valid_to) for v in vs)
        nodes.append({
            "citation": p.citation, "ref": p.ref, "parent": p.parent, "heading": p.heading,
            "summary": p.summary, "leaf": not eng.children(act, p.ref),
            "in_force": in_force,
            "versions": [{"from": v.valid_from.isoformat() if v.valid_from else None,
                          "to": v.valid_to.isoformat() if v.valid_to else None,
                          "enacted_by": v.enacted_by,
                          "exclusions": [e.regime for e in v.exclusions]}
                         for v in sorted(vs, key=lambda v: v.valid_from or dt.date.min)],
            "marks": {r.key: eng.mark(r.key, act, p.ref) for r in regimes
                      if eng.mark(r.key, act, p.ref)},
        })
    return {"act": {"key": a.key, "title": a.title, "level": a.level, "areas": list(a.areas),
                    "eli": a.eli, "source_url": a.source_url, "partial": a.partial},
            "date": date.isoformat(), "known_at": known_at.isoformat(), "provisions": nodes}


__all__ = ["rules", "status", "overview", "national", "provisions", "parse_date",
           "parse_instant", "snapshots", "today", "UnknownRecord"]
