"""A parsed LexDania act → a ``frisat-bundle/1`` act, loaded through the register's loader.

Identity follows the citation: a provision is ``(act key, canonical ref)`` and keeps its
record (parent, heading, order) from the first import that knew it. Every import adds
*versions*: a node whose official wording changed gets a new version from the document's
in-force date and its predecessor is ended there (a superseding record with the same key,
so the register's history keeps both); a node the document no longer holds is ended; an
unchanged node gets nothing, so a re-import is a no-op. A node that disappears while a new
node with the very same wording appears is recorded as renumbered (a note on both
versions), not silently as a new provision.

Amending acts (``AendringCentreretParagraf``) change the act they name: replacements,
repeals, inserted paragraphs and »x« til »y« word changes are applied; any other
instruction is reported (``amendment_not_applied``) and waits for the next consolidation.

Regimes list provisions by citation, so their marks follow the provisions. After an
import, a listing whose provision holds no version on the in-force date is reported
(``listing_unresolved``, or ``listing_renumbered`` with the new reference) and kept.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from frisat.engine import model as m
from frisat.law.citation import CitationError, parse_ref
from frisat.registry.bundle import OfficialVersion
from frisat.registry.errors import InputError, Rejected
from frisat.sources import act_records, import_digest
from frisat.sources.act_records import Records, Row
from frisat.sources.import_digest import Noop
from frisat.sources.lexdania import Node, ParsedAct

# the records every import of an act hands to the loader besides its provisions' rows: the
# act, its root provision and the root's version (skipped as stored when unchanged)
_ROOT_RECORDS = 3
ORDER_STEP = 1000  # room between the orders of imported nodes for later insertions


@dataclass(frozen=True)
class Change:
    """One line of what an import does, for ``--dry-run`` and the report."""

    kind: str  # new | changed | ended | renumbered | metadata
    ref: str
    detail: str = ""


@dataclass
class ImportResult:
    key: str
    designation: str
    in_force: dt.date | None
    changes: list[Change]
    warnings: list[InputError]
    added: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    dry_run: bool = False
    # what importing the same document again, right after this import, reports (it adds
    # nothing: an import is idempotent); None when not known (an amending act)
    again: Noop | None = field(default=None, repr=False)

    @property
    def noop(self) -> bool:
        return not self.added


# -- keys -------------------------------------------------------------------------------

_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u"})


def slug(text: str) -> str:
    s = unicodedata.normalize("NFC", text).lower().translate(_TRANSLIT)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


def derive_key(parsed: ParsedAct) -> str:
    """The act key from the popular title (``Dagtilbudsloven`` → ``dagtilbudsloven``), else
    from the short name in the title's parenthesis, else ``bek-892-2021`` as the shipped
    executive orders are keyed."""
    meta = parsed.meta
    if meta.popular_title and len(meta.popular_title.split()) <= 3:
        return slug(meta.popular_title)
    paren = re.search(r"\(([^()]+)\)\s*$", meta.title)
    if paren and len(paren.group(1).split()) == 1:
        return slug(paren.group(1))
    if meta.number and meta.year:
        return f"{meta.document_type.lower()}-{meta.number}-{meta.year}"
    return slug(meta.popular_title or meta.title)[:80]


def in_force_date(parsed: ParsedAct) -> dt.date | None:
    meta = parsed.meta
    return meta.start or meta.published or meta.signed


# -- the world as it stands ---------------------------------------------------------------


def _versions_by_ref(view: m.World, key: str) -> dict[str, list[m.Version]]:
    out: dict[str, list[m.Version]] = {}
    for v in view.versions:
        if v.act == key:
            out.setdefault(v.ref, []).append(v)
    for vs in out.values():
        vs.sort(key=lambda v: v.valid_from or dt.date.min)
    return out


def _at(versions: list[m.Version], d: dt.date) -> m.Version | None:
    for v in versions:
        if m.in_interval(d, v.valid_from, v.valid_to):
            return v
    return None


def _next_start(versions: list[m.Version], d: dt.date) -> dt.date | None:
    later = [v.valid_from for v in versions if v.valid_from is not None and v.valid_from > d]
    return min(later) if later else None


def _wording(v: m.Version | None) -> tuple[str | None, str | None]:
    if v is None:
        return None, None
    return getattr(v, "text", None), getattr(v, "heading", None)


# -- the plan ---------------------------------------------------------------------------


@dataclass
class _Target:
    """What the register should hold for one node from the in-force date on."""

    ref: str
    parent: str
    heading: str
    text: str
    node: Node | None = None


class _Plan:
    def __init__(self, view: m.World, key: str, when: dt.date, enacted_by: str,
                 exclusions: tuple[m.Exclusion, ...], now: dt.datetime):
        self.view = view
        self.key = key
        self.when = when
        self.enacted_by = enacted_by
        self.exclusions = exclusions
        self.now = now
        self.existing = {p.ref: p for p in view.provisions if p.act == key}
        self.versions = _versions_by_ref(view, key)
        self.new_provisions: list[Row] = []
        self.version_rows: dict[str, list[m.Version]] = {}
        self.changes: list[Change] = []
        self.warnings: list[InputError] = []
        self.ended: dict[str, str] = {}  # ref -> its wording, for renumbering
        self.renumbered: dict[str, str] = {}  # old ref -> new ref
        # references known canonical (the parsed document's) -> the parent each names
        self.canonical: dict[str, str] = {}

    def row(self, v: m.Version) -> None:
        self.version_rows.setdefault(v.ref, []).append(v)

    def version(self, ref: str, valid_from: dt.date | None, valid_to: dt.date | None,
                enacted_by: str, exclusions: Iterable[m.Exclusion], text: str | None,
                heading: str | None, note: str | None) -> m.Version:
        """A version recorded by this import (with its wording when it has any)."""
        common: dict[str, Any] = dict(act=self.key, ref=ref, valid_from=valid_from,
                                      valid_to=valid_to, enacted_by=enacted_by,
                                      exclusions=tuple(exclusions), recorded_at=self.now)
        if text is None and heading is None and note is None:
            return m.Version(**common)
        return OfficialVersion(**common, text=text, heading=heading, note=note)

    def _superseding(self, v: m.Version, **changes: Any) -> m.Version:
        """``v`` recorded again by this import with ``changes`` (``to``, ``text``,
        ``heading``, ``note``; None removes a wording)."""
        def get(name: str) -> Any:
            return changes[name] if name in changes else getattr(v, name, None)

        return self.version(v.ref, v.valid_from, changes.get("to", v.valid_to), v.enacted_by,
                            v.exclusions, get("text"), get("heading"), get("note"))

    def put(self, t: _Target, note: str | None = None) -> None:
        """The node holds ``t``'s wording from the in-force date on."""
        vs = self.versions.get(t.ref, [])
        cur = _at(vs, self.when)
        text, heading = t.text.strip() or None, t.heading.strip() or None
        if cur is not None and _wording(cur) == (text, heading) and note is None:
            return
        if cur is not None and cur.valid_from == self.when:
            # a corrected reading of the same version: supersede it, keep its end
            self.row(self._superseding(cur, text=text, heading=heading, note=note))
            self.changes.append(Change("changed", t.ref, "rettet tekst"))
            return
        exclusions = list(self.exclusions)
        if cur is not None:
            self.row(self._superseding(cur, to=self.when))
            if getattr(cur, "text", None) is None:
                # the register did not know the wording: this is the same rule read for the
                # first time, so a "has no effect for" clause on it still holds
                exclusions = list(cur.exclusions) + [e for e in exclusions
                                                     if e not in cur.exclusions]
        end = cur.valid_to if cur is not None else _next_start(vs, self.when)
        self.row(self.version(t.ref, self.when, end, self.enacted_by, exclusions, text, heading,
                              note or None))
        kind = "new" if cur is None else "changed"
        self.changes.append(Change(kind, t.ref, note or ""))

    def end(self, ref: str, note: str) -> bool:
        cur = _at(self.versions.get(ref, []), self.when)
        if cur is None:
            return False
        self.row(self._superseding(cur, to=self.when, note=note))
        return True


def _canonical(parsed: ParsedAct) -> dict[str, str]:
    """The references of the document's nodes, which the parser builds canonical, each with
    the parent it names (a §, chapter or part names none: its node's parent is the
    document's structure, not the reference's)."""
    nodes = [*parsed.walk(), *(n for a in parsed.amendments for top in a.new_nodes
                                for n in top.walk())]
    return {n.ref: "" if n.kind in ("paragraf", "kapitel", "afsnit") else n.parent
            for n in nodes}


def _targets_of(parsed: ParsedAct) -> list[_Target]:
    return [_Target(ref=n.ref, parent=n.parent, heading=n.heading, text=n.text, node=n)
            for n in parsed.walk()]


def _alias(parsed: ParsedAct, existing: Iterable[str],
           index: dict[str, Node]) -> dict[str, str]:
    """Document ref → the register's ref for the same node, where they are spelt
    differently (``§ 2, stk. 1, nr. 3`` in the register, ``§ 2, nr. 3`` in a document
    whose § 2 has one stk.)."""
    out: dict[str, str] = {}
    for ref in existing:
        if not ref or ref in index:
            continue
        try:
            node, pkt = parsed.resolve(ref, index)
        except (KeyError, CitationError):
            continue
        if pkt is None and node.ref not in existing:
            out[node.ref] = ref
    return out


def _sentence_targets(parsed: ParsedAct, existing: Iterable[str],
                      index: dict[str, Node]) -> list[_Target]:
    """The register's punktum nodes get the wording of their sentence."""
    out = []
    for ref in existing:
        if "pkt" not in ref:  # not a sentence (without reading the reference)
            continue
        try:
            kinds = [k for k, _ in parse_ref(ref).parts]
        except CitationError:
            continue
        if not kinds or kinds[-1] != "pkt":
            continue
        try:
            node, pkt = parsed.resolve(ref, index)
        except (KeyError, CitationError):
            continue
        assert pkt is not None
        out.append(_Target(ref=ref, parent=ref.rsplit(",", 1)[0], heading="",
                           text=node.sentences[pkt - 1]))
    return out


def _orders(plan: _Plan, targets: list[_Target]) -> dict[str, int]:
    """Orders for the new nodes: between the existing nodes they stand between."""
    out: dict[str, int] = {}
    run: list[str] = []
    last = 0

    def flush(hi: int | None) -> None:
        nonlocal run
        n = len(run)
        for k, ref in enumerate(run, start=1):
            if hi is None:
                out[ref] = last + ORDER_STEP * k
            elif hi - last > n:
                out[ref] = last + (hi - last) * k // (n + 1)
            else:  # no room: equal orders, the reference's reading order decides
                out[ref] = last
        run = []

    for t in targets:
        p = plan.existing.get(t.ref)
        if p is None:
            run.append(t.ref)
            continue
        flush(p.order)
        last = max(last, p.order)
    flush(None)
    return out


def _consolidation(plan: _Plan, parsed: ParsedAct) -> None:
    index = parsed.index  # built once: resolve() would build it for every reference
    alias = _alias(parsed, plan.existing, index)
    targets = []
    for t in _targets_of(parsed):
        t.ref = alias.get(t.ref, t.ref)
        t.parent = alias.get(t.parent, t.parent)
        targets.append(t)
    present = {t.ref for t in targets}
    # nodes of the register the document no longer holds (sentences follow their node)
    gone = []
    for ref in plan.existing:
        if not ref or ref in present:
            continue
        try:
            parsed.resolve(ref, index)
            continue
        except (KeyError, CitationError):
            pass
        if _at(plan.versions.get(ref, []), plan.when) is not None:
            gone.append(ref)
    # renumbering: a vanished node and a new node of the same kind with the same wording
    fresh = [t for t in targets if t.ref not in plan.existing and t.text]
    for old in gone:
        text, _ = _wording(_at(plan.versions.get(old, []), plan.when))
        if not text:
            continue
        kind = parse_ref(old).kind
        same = [t for t in fresh if t.text == text and parse_ref(t.ref).kind == kind]
        if len(same) == 1:
            plan.renumbered[old] = same[0].ref
    new_of = {new: old for old, new in plan.renumbered.items()}
    _new_provisions(plan, targets)
    for t in targets:
        note = f"Tidligere {new_of[t.ref]}" if t.ref in new_of else None
        plan.put(t, note)
    for t in _sentence_targets(parsed, plan.existing, index):
        plan.put(t)
    for ref in gone:
        if ref in plan.renumbered:
            note = f"Omnummereret til {plan.renumbered[ref]} ved {plan.enacted_by}"
            plan.changes.append(Change("renumbered", ref, plan.renumbered[ref]))
        else:
            note = f"Findes ikke i {plan.enacted_by}"
            plan.changes.append(Change("ended", ref, note))
        plan.end(ref, note)


def _new_provisions(plan: _Plan, targets: list[_Target]) -> None:
    orders = _orders(plan, targets)
    for t in targets:
        if t.ref in plan.existing:
            continue
        kind = t.node.kind if t.node is not None else parse_ref(t.ref).kind
        top = kind in ("paragraf", "kapitel", "afsnit")  # their reference names no parent
        plan.new_provisions.append(Row(
            ref=t.ref, parent=t.parent if t.parent and top else None, heading=t.heading,
            summary="", order=orders[t.ref]))


def _amendments(plan: _Plan, parsed: ParsedAct) -> None:
    for a in parsed.amendments:
        where = f"ændring {a.paragraph}, nr. {a.number}"
        target = a.targets[0] if len(a.targets) == 1 else None
        if target is not None and target not in plan.existing:
            target = next((r for r in plan.existing if r and _same_node(r, target)), target)
        cur = (_at(plan.versions.get(target, []), plan.when)
               if target in plan.existing else None) if target else None
        if a.action == "repeal" and target and cur is not None:
            below = [r for r in plan.existing if r.startswith(target + ",")]
            for ref in [target, *below]:
                if plan.end(ref, f"Ophævet ved {plan.enacted_by}"):
                    plan.changes.append(Change("ended", ref, f"ophævet ({where})"))
            continue
        if a.action == "replace" and target and cur is not None and a.new_text:
            p = plan.existing[target]
            plan.put(_Target(ref=target, parent=p.parent or "", heading=p.heading,
                             text=a.new_text))
            continue
        if a.action == "insert" and a.new_nodes and target in plan.existing:
            anchor = plan.existing[target]
            targets = []
            for top in a.new_nodes:
                for n in top.walk():
                    parent = anchor.parent or "" if n is top else n.parent
                    targets.append(_Target(ref=n.ref, parent=parent, heading=n.heading,
                                           text=n.text, node=n))
            if all(t.ref not in plan.existing for t in targets):
                ordered = _after(plan, target, targets)
                _new_provisions(plan, ordered)
                for t in targets:
                    plan.put(t)
                continue
        if a.action == "modify" and target and cur is not None:
            words = re.fullmatch(r".*?ændres\s+»([^«]+)«\s+til\s+»([^«]*)«\.?", a.instruction)
            text = getattr(cur, "text", None)
            if words and text and text.count(words.group(1)) == 1:
                p = plan.existing[target]
                plan.put(_Target(ref=target, parent=p.parent or "", heading=p.heading,
                                 text=text.replace(words.group(1), words.group(2))))
                continue
        plan.warnings.append(InputError(
            where, "amendment_not_applied",
            f"{a.instruction!r} er ikke gennemført i registret; den næste "
            f"lovbekendtgørelse bringer teksten", "warning"))


def _same_node(a: str, b: str) -> bool:
    strip = [p for p in parse_ref(a).parts if p != ("stk", "1")]
    return strip == [p for p in parse_ref(b).parts if p != ("stk", "1")]


def _after(plan: _Plan, anchor: str, targets: list[_Target]) -> list[_Target]:
    """Existing nodes up to ``anchor``'s subtree, then the inserted ones (for orders)."""
    ordered = sorted(plan.existing.values(), key=lambda p: p.order)
    cut = max(i for i, p in enumerate(ordered)
              if p.ref == anchor or p.ref.startswith(anchor + ","))
    before = [_Target(ref=p.ref, parent=p.parent or "", heading="", text="")
              for p in ordered[:cut + 1]]
    after = [_Target(ref=p.ref, parent=p.parent or "", heading="", text="")
             for p in ordered[cut + 1:]]
    return before + targets + after


# -- the records ------------------------------------------------------------------------


def _parent_named(ref: str) -> str:
    up = parse_ref(ref).parent
    return "" if up is None else str(up)


def _rows(plan: _Plan) -> list[Row]:
    """The act's provisions as a bundle of it lists them: the register's in the act's order,
    then the new ones; parents before children (equal orders must not reverse them)."""
    rows = [Row(ref=p.ref, parent=p.parent or None, heading=p.heading, summary=p.summary,
                order=p.order, stored=p)
            for p in sorted(plan.existing.values(), key=lambda p: p.order) if p.ref]
    rows.extend(plan.new_provisions)
    out: list[Row] = []
    placed = {""}
    waiting = rows
    while waiting:
        later = []
        for row in waiting:
            parent = row.parent
            if parent is None:
                parent = plan.canonical[row.ref] if row.ref in plan.canonical \
                    else _parent_named(row.ref)
            if parent in placed:
                out.append(row)
                placed.add(row.ref)
            else:
                later.append(row)
        if len(later) == len(waiting):  # orphans: the checks name them
            out.extend(later)
            break
        waiting = later
    for row in out:
        row.versions = plan.version_rows.get(row.ref, [])
    return out


def _listed(plan: _Plan) -> list[tuple[str, m.Listing]]:
    """The regimes' listings of the act still running on the in-force date (regime key,
    listing), in the regimes' order."""
    return [(rg.key, li) for rg in plan.view.regimes for li in rg.listings
            if li.act == plan.key and (li.valid_to is None or li.valid_to > plan.when)]


def _live(plan: _Plan, incoming: m.World) -> set[str]:
    """The act's references that hold a version on the in-force date after the import."""
    # the act's versions as known at the import's record time, this import's included: per
    # key the latest registered (the incoming ones come last, as in a merged register)
    current = {(v.ref, v.valid_from): v for vs in plan.versions.values() for v in vs}
    for v in incoming.versions:
        if v.act == plan.key and v.recorded_at <= plan.now:
            k = (v.ref, v.valid_from)
            if k not in current or current[k].recorded_at <= v.recorded_at:
                current[k] = v
    return {v.ref for v in current.values()
            if m.in_interval(plan.when, v.valid_from, v.valid_to)}


def _check_listings(plan: _Plan, listed: list[tuple[str, m.Listing]], live: set[str],
                    renumbered: dict[str, str]) -> list[InputError]:
    """The listings (``_listed``) that hold no version on the in-force date after the
    import (``live``); ``renumbered``: the act's references this import renumbers."""
    out: list[InputError] = []
    for regime, li in listed:
        if li.ref not in live:
            path = f"regimes[{regime}].{'guardrails' if li.mark == 'guardrail' else 'deviable'}"
            cite = f"{li.act} {li.ref}".strip()
            if li.ref in renumbered:
                out.append(InputError(
                    path, "listing_renumbered",
                    f"{cite} er omnummereret til {renumbered[li.ref]} ved "
                    f"{plan.enacted_by}; listningen er bevaret uændret og skal vurderes",
                    "warning"))
            elif li.ref in plan.existing or li.ref == "":
                out.append(InputError(
                    path, "listing_unresolved",
                    f"{cite} har ingen gældende version efter {plan.enacted_by} "
                    f"({plan.when.isoformat()}); listningen er bevaret og skal vurderes",
                    "warning"))
    return out


def plan_import(parsed: ParsedAct, world: m.World, *, key: str | None = None,
                areas: tuple[str, ...] = (), exclusions: tuple[m.Exclusion, ...] = (),
                now: dt.datetime, when: dt.date | None = None,
                ) -> tuple[Records, ImportResult]:
    """The records an import would hand to the loader (checked field by field, with where
    each would stand in a bundle of the act), and what it changes. ``world``: the register,
    or as much of it as ``store.read_world(act=key)`` reads. Raises ``Rejected``."""
    meta = parsed.meta
    key = key or derive_key(parsed)
    view = world.known_at(now)
    act = next((a for a in view.acts if a.key == key), None)
    when = when or in_force_date(parsed)
    if when is None:
        raise Rejected([InputError("Meta.StartDate", "missing",
                                   "Dokumentet har ingen ikrafttrædelses- eller "
                                   "underskriftsdato; angiv datoen")])
    result = ImportResult(key=key, designation=meta.designation, in_force=when, changes=[],
                          warnings=[])
    if parsed.is_amending and act is None:
        raise Rejected([InputError(
            "key", "unknown_act",
            f"{meta.designation} ændrer en lov, som ikke findes i registret under nøglen "
            f"{key!r}; importér først loven, eller angiv dens nøgle med --key")])
    if act is None:
        if not areas:
            raise Rejected([InputError("acts[0].areas", "missing",
                                       f"Loven {key} er ny i registret: angiv mindst ét "
                                       "område (--area)")])
        act = m.Act(key=key, level="state", title=meta.title, areas=areas, valid_from=when,
                    eli=meta.eli, source_url=meta.eli,
                    short_title=(meta.popular_title or key), recorded_at=now)
        result.changes.append(Change("metadata", "", f"ny lov {key}: {meta.title}"))
    plan = _Plan(view, key, when, meta.designation, exclusions, now)
    plan.canonical = _canonical(parsed)
    if not parsed.has_body:
        result.warnings.append(InputError(
            "DokumentIndhold", "text_not_available",
            f"{meta.designation} har kun metadata (ingen lovtekst); kun loven selv er "
            "registreret", "warning"))
    elif parsed.is_amending:
        _amendments(plan, parsed)
    else:
        _consolidation(plan, parsed)
    rows = _rows(plan)
    records = act_records.build(act, rows, now, plan.canonical)
    listed = _listed(plan)
    live = _live(plan, records.world) if listed else set()
    plan.warnings += _check_listings(plan, listed, live, plan.renumbered)
    result.changes.extend(plan.changes)
    result.warnings.extend(plan.warnings)
    if parsed.has_body and not parsed.is_amending:
        # the same again: every provision (and the act, its root provision and root
        # version) skipped as stored; a listing this import renumbers then names an ended
        # provision, and nothing is renumbered any more
        result.again = Noop(len(rows) + _ROOT_RECORDS,
                            _check_listings(plan, listed, live, {}))
    return records, result


def import_act(parsed: ParsedAct, *, key: str | None = None, areas: Iterable[str] = (),
               exclusions: Iterable[m.Exclusion] = (), dry_run: bool = False,
               source: str = "retsinformation", now: dt.datetime | None = None,
               when: dt.date | None = None) -> ImportResult:
    """Import a parsed act into the register: atomic, idempotent (see the module doc).

    Reads only the act's own rows (and the areas, municipalities and regimes its checks
    resolve), builds its records directly and hands them to the loader."""
    from django.db import transaction

    from frisat.registry import store
    from frisat.registry.loader import Provenance, load_records, os_user

    now = now or store.now()
    key = key or derive_key(parsed)
    exclusions = tuple(exclusions)
    day = when or in_force_date(parsed)
    digest = import_digest.digest(parsed, key, day, exclusions) if day else None
    collecting = gc.isenabled()
    # tens of thousands of records that all live until the end: the cyclic collector's
    # passes over them (and over the parsed tree) would find nothing to free
    gc.disable()
    try:
        with transaction.atomic():
            kept = import_digest.noop(key, digest, now) if digest else None
            if kept is not None:  # imported just so, nothing written since: a no-op
                return ImportResult(key=key, designation=parsed.meta.designation,
                                    in_force=day, changes=[], warnings=list(kept.warnings),
                                    skipped=kept.skipped, dry_run=dry_run, again=kept)
            world = store.read_world(act=key)
            records, result = plan_import(parsed, world, key=key, areas=tuple(areas),
                                          exclusions=exclusions, now=now, when=when)
            # the register as already read in this transaction: not read again
            source = f"{source} ({parsed.meta.designation})"[:500]
            loaded = load_records(records.world, Provenance(os_user(), "import", source),
                                  now=now, dry_run=dry_run, paths=records.paths,
                                  existing=world)
            if digest and not dry_run:
                if not loaded.added:  # a no-op itself: its own report
                    result.again = Noop(loaded.skipped + records.unchanged,
                                        result.warnings + loaded.warnings)
                if result.again is not None:
                    import_digest.keep(key, digest, result.again)
    finally:
        if collecting:
            gc.enable()
    result.added = loaded.added
    result.skipped = loaded.skipped + records.unchanged
    result.warnings.extend(loaded.warnings)
    result.dry_run = dry_run
    return result


def text_at(world: m.World, key: str, ref: str, d: dt.date,
            known_at: dt.datetime | None = None) -> str | None:
    """The official wording of a provision on D, as the register knew it at K (default:
    everything it knows)."""
    view = world.known_at(known_at or dt.datetime.max.replace(tzinfo=dt.UTC))
    v = _at(sorted((x for x in view.versions if x.act == key and x.ref == ref),
                   key=lambda x: x.valid_from or dt.date.min), d)
    return getattr(v, "text", None)
