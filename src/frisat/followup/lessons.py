"""Lessons (erfaringer): what a freed municipality did with a rule, and what followed.

A lesson is a structured note — what was tried, what replaced the rule, what happened, a
contact and a source — linked to decisions, provisions, institutions and indicators. It
comes in through the staff pages, through the ``lessons`` section of a ``frisat-bundle/1``
(read and stored here, in the same transaction as the rest of the bundle) and as shipped
data (``data/lessons/lessons.yaml``). A lesson is a fact: amending one appends a new row
with the same key; the latest row per key is the lesson.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from frisat.engine import model as m
from frisat.law.citation import CitationError, parse_citation
from frisat.registry.errors import InputError, Rejected

DATA = Path(__file__).resolve().parent.parent / "data" / "lessons" / "lessons.yaml"
_KEY = re.compile(r"[a-z0-9][a-z0-9._-]*")
TEXTS = ("title", "tried", "replaced_by", "outcome", "contact", "source", "source_url",
         "confidence", "area", "regime")
LINKS = ("decisions", "provisions", "institutions", "indicators")


@dataclass(frozen=True)
class LessonRecord:
    key: str
    title: str
    tried: str
    source: str
    municipality: int | None = None
    area: str = ""
    regime: str = ""
    replaced_by: str = ""
    outcome: str = ""
    contact: str = ""
    source_url: str = ""
    confidence: str = ""
    decisions: tuple[str, ...] = ()
    provisions: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    recorded_at: dt.datetime | None = field(default=None, compare=False)

    def content(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("recorded_at")
        for k in LINKS:
            d[k] = list(d[k])
        return d


def read_lessons(items: Any, world: m.World, now: dt.datetime,
                 section: str = "lessons") -> tuple[list[LessonRecord], list[InputError]]:
    """Read and check a ``lessons`` section against the register (as after the load)."""
    from frisat.followup.models import Indicator

    errors: list[InputError] = []
    if not isinstance(items, list):
        return [], [InputError(section, "invalid", "Forventede en liste")]
    munis = {x.code for x in world.municipalities}
    decisions = {x.id for x in world.decisions}
    insts = {x.id for x in world.institutions}
    acts = {x.key for x in world.acts}
    provs = {(x.act, x.ref) for x in world.provisions}
    indicators = set(Indicator.objects.values_list("key", flat=True))
    out: list[LessonRecord] = []
    seen: set[str] = set()
    for i, o in enumerate(items):
        p = f"{section}[{i}]"
        if not isinstance(o, dict):
            errors.append(InputError(p, "invalid", "Forventede et objekt med felter"))
            continue
        bad = len(errors)
        unknown = set(o) - {"key", "municipality", "recorded_at", *TEXTS, *LINKS}
        for k in sorted(unknown):
            errors.append(InputError(f"{p}.{k}", "invalid", f"Ukendt felt {k!r}"))
        key = str(o.get("key") or "").strip()
        if not _KEY.fullmatch(key):
            errors.append(InputError(f"{p}.key", "missing" if not key else "invalid",
                                     "Nøglen skal udfyldes med små bogstaver, tal, . _ -"))
        elif key in seen:
            errors.append(InputError(f"{p}.key", "duplicate", f"Erfaringen {key} står to gange"))
        seen.add(key)
        for req in ("title", "tried", "source"):
            if not str(o.get(req) or "").strip():
                errors.append(InputError(f"{p}.{req}", "missing", "Feltet skal udfyldes"))
        texts = {k: str(o.get(k) or "").strip() for k in TEXTS}
        muni = o.get("municipality")
        if muni is not None:
            if isinstance(muni, bool) or not str(muni).strip().isdigit() \
                    or int(muni) not in munis:
                errors.append(InputError(f"{p}.municipality", "unknown_municipality",
                                         f"Ukendt kommune {muni!r}"))
                muni = None
            else:
                muni = int(muni)
        links: dict[str, list[str]] = {}
        for k in LINKS:
            v = o.get(k) or []
            if not isinstance(v, list):
                errors.append(InputError(f"{p}.{k}", "invalid", "Forventede en liste"))
                v = []
            links[k] = [str(x).strip() for x in v]
        for j, d in enumerate(links["decisions"]):
            if d not in decisions:
                errors.append(InputError(f"{p}.decisions[{j}]", "unknown_decision",
                                         f"Ukendt beslutning {d!r}"))
        for j, x in enumerate(links["institutions"]):
            if x not in insts:
                errors.append(InputError(f"{p}.institutions[{j}]", "unknown_institution",
                                         f"Ukendt institution {x!r}"))
        for j, x in enumerate(links["indicators"]):
            if x not in indicators:
                errors.append(InputError(f"{p}.indicators[{j}]", "unknown_indicator",
                                         f"Ukendt indikator {x!r}"))
        citations = []
        for j, c in enumerate(links["provisions"]):
            try:
                cit = parse_citation(c)
            except CitationError as e:
                errors.append(InputError(f"{p}.provisions[{j}]", "unknown_provision", str(e)))
                continue
            if cit.act not in acts or (cit.ref and (cit.act, cit.ref) not in provs):
                errors.append(InputError(f"{p}.provisions[{j}]", "unknown_provision",
                                         f"{c} findes ikke i kataloget"))
            citations.append(str(cit))
        when = now
        if o.get("recorded_at") is not None:
            when = _instant(o["recorded_at"], now, f"{p}.recorded_at", errors)
        if len(errors) > bad:
            continue
        out.append(LessonRecord(
            key=key, municipality=muni, area=texts["area"], regime=texts["regime"],
            title=texts["title"], tried=texts["tried"], replaced_by=texts["replaced_by"],
            outcome=texts["outcome"], contact=texts["contact"], source=texts["source"],
            source_url=texts["source_url"], confidence=texts["confidence"],
            decisions=tuple(links["decisions"]), provisions=tuple(citations),
            institutions=tuple(links["institutions"]),
            indicators=tuple(links["indicators"]), recorded_at=when))
    return out, errors


def _instant(v: Any, now: dt.datetime, path: str, errors: list[InputError]) -> dt.datetime:
    from frisat.queries.common import DK

    try:
        when = v if isinstance(v, dt.datetime) else (
            dt.datetime.combine(v, dt.time()) if isinstance(v, dt.date)
            else dt.datetime.fromisoformat(str(v)))
    except ValueError:
        errors.append(InputError(path, "invalid", f"Ukendt tidspunkt {v!r}"))
        return now
    when = when if when.tzinfo else when.replace(tzinfo=DK)
    if when > now:
        errors.append(InputError(path, "invalid", "Registreringstidspunktet ligger i fremtiden"))
    return when


def _now() -> dt.datetime:
    from frisat.registry import store as reg_store

    return reg_store.now()


def latest() -> dict[str, Any]:
    """The newest row per key (the lesson as it stands)."""
    from frisat.followup.models import Lesson

    out: dict[str, Any] = {}
    for row in Lesson.objects.order_by("recorded_at", "id"):
        out[row.key] = row
    return out


def _row_content(row: Any) -> dict[str, Any]:
    return {"key": row.key, "municipality": row.municipality,
            **{k: getattr(row, k) for k in TEXTS}, **{k: list(getattr(row, k)) for k in LINKS}}


def plan(records: list[LessonRecord]) -> tuple[list[LessonRecord], int]:
    """The records that change something (new key, or amended content); count skipped."""
    have = latest()
    new, skipped = [], 0
    for r in records:
        row = have.get(r.key)
        if row is not None and _row_content(row) == r.content():
            skipped += 1
        else:
            new.append(r)
    return new, skipped


def store(records: Iterable[LessonRecord], *, reference: bool = False,
          recorded_by: str = "") -> int:
    from frisat.followup.models import Lesson

    rows = [Lesson(recorded_at=r.recorded_at or _now(), reference=reference,
                   recorded_by=recorded_by, **r.content()) for r in records]
    Lesson.objects.bulk_create(rows)
    return len(rows)


def bundle_section(items: Any, world: m.World, now: dt.datetime) -> Any:
    """The ``lessons`` section of a bundle: checked now, stored when the load stores."""
    from frisat.registry.loader import SectionLoad

    records, errors = read_lessons(items, world, now)
    new, skipped = plan(records) if not errors else ([], 0)
    return SectionLoad(errors, skipped, lambda reference: store(new, reference=reference))


def refusals(actor: Any, doc: Any) -> list[tuple[str, str]]:
    """What a user may not write in a bundle's ``lessons``: an editor only their own
    municipality's lessons; the ministry any; other roles none."""
    items = doc.get("lessons") if isinstance(doc, dict) else None
    if not items or actor.is_ministry:
        return []
    if actor.role != "municipal_editor":
        return [("lessons", "Kun ministeriet og kommunens redaktører skriver erfaringer")]
    out = []
    for i, o in enumerate(items if isinstance(items, list) else []):
        muni = o.get("municipality") if isinstance(o, dict) else None
        if str(muni) != str(actor.municipality):
            out.append((f"lessons[{i}]", f"Erfaring for kommune {muni}"))
    return out


def load_shipped() -> int:
    """The real lessons in data/lessons/lessons.yaml (idempotent; ``frisat init``)."""
    from django.db import transaction

    from frisat.followup.register import world
    from frisat.registry import store as reg_store
    from frisat.registry.bundle import read_document

    doc = read_document(DATA)
    records, errors = read_lessons(doc.get("lessons"), world(), reg_store.now())
    if errors:
        raise Rejected(errors)
    with transaction.atomic():
        new, _ = plan(records)
        return store(new, reference=True)


# -- reading -------------------------------------------------------------------------------


def as_json(row: Any, prefix: str = "") -> dict[str, Any]:
    return {**_row_content(row), "recorded_at": row.recorded_at.isoformat(),
            "url": f"{prefix}/erfaringer/{row.key}"}


def _ancestors(world: m.World, act: str, ref: str) -> set[tuple[str, str]]:
    parent = {(p.act, p.ref): p.parent for p in world.provisions}
    out = {(act, ref), (act, "")}
    cur: str | None = ref
    while cur:
        cur = parent.get((act, cur))
        if cur is not None:
            out.add((act, cur))
    return out


def lessons_for_provision(act: str, ref: str, world: m.World | None = None) -> list[dict[str, Any]]:
    """Lessons about this provision: linked to it, to a part of it or to a provision or act
    it belongs to, directly or through a linked decision's targets."""
    from frisat.followup.register import world as register_world

    w = world or register_world()
    mine = _ancestors(w, act, ref)
    targets = {d.id: [(t.act, t.ref) for t in d.targets] for d in w.decisions}
    out = []
    for row in latest().values():
        cited = []
        for c in row.provisions:
            cit = parse_citation(c)
            cited.append((cit.act, cit.ref))
        for d in row.decisions:
            cited += targets.get(d, [])
        hit = any(x in mine or (x[0] == act and ref and x[1].startswith(ref + ","))
                  for x in cited)
        if hit:
            out.append(as_json(row))
    return sorted(out, key=lambda x: (x["municipality"] or 0, x["key"]))


def search(q: str, prefix: str = "") -> list[dict[str, Any]]:
    """Lessons whose text contains every word of ``q`` (case-insensitive); all when empty."""
    words = [w for w in re.split(r"\s+", q.lower().strip()) if w]
    out = []
    for row in latest().values():
        doc = as_json(row, prefix)
        text = " ".join(str(v) for v in doc.values()).lower()
        if all(w in text for w in words):
            out.append(doc)
    return sorted(out, key=lambda x: (x["municipality"] or 0, x["key"]))


def lesson_documents(prefix: str = "") -> list[dict[str, str]]:
    """Every lesson as a search document (title, url, text) for the site-wide search."""
    out = []
    for row in latest().values():
        text = " ".join(x for x in (row.tried, row.replaced_by, row.outcome, row.source,
                                    " ".join(row.provisions)) if x)
        out.append({"title": row.title, "url": f"{prefix}/erfaringer/{row.key}", "text": text})
    return sorted(out, key=lambda x: x["url"])
