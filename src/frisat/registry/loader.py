"""Load a bundle into the register: check everything, then store all of it or none of it.

Order of work: read the document (``bundle``), compare each record with what the register
already holds (identical → skipped; changed → ``conflict``, or ``immutable`` for a decision;
keyed histories such as coverage append), resolve references against the bundle and the
register, run the decision checks of SEMANTICS.md section 4 on the new decisions, and
only then append the new records in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from django.db import transaction

from frisat.engine import model as m
from frisat.registry import publication, store
from frisat.registry.bundle import read_bundle_with_paths
from frisat.registry.errors import InputError, Rejected

R = TypeVar("R")


@dataclass
class SectionLoad:
    """A bundle section stored beside the register by another package (``lessons``)."""

    errors: list[InputError]
    skipped: int
    store: Callable[[bool], int]  # (reference) -> rows added; called inside the load


# name -> hook(records, register as it will be after the load, now); see register_section
_SECTIONS: dict[str, Callable[[Any, m.World, dt.datetime], SectionLoad]] = {}


def register_section(name: str,
                     hook: Callable[[Any, m.World, dt.datetime], SectionLoad]) -> None:
    """Let another package read and store one more bundle section in the same transaction."""
    _SECTIONS[name] = hook


@dataclass
class LoadResult:
    added: dict[str, int]
    skipped: int
    warnings: list[InputError] = field(default_factory=list)


def _bare(x: Any) -> Any:
    """A record without its record time, for comparing content."""
    return replace(x, recorded_at=m.EPOCH)


class _Merge:
    def __init__(self, existing: m.World, paths: dict[int, str],
                 floor: dt.datetime | None = None):
        self.existing = existing
        self.paths = paths
        # the newest load's time: a record may not be registered before it (an answer given
        # for a record time K stays the answer for K), so an earlier record time becomes
        # the time of this load
        self.floor = floor
        self.errors: list[InputError] = []
        self.skipped = 0
        # the claimed record times of the records registered at this load's time instead
        # (section, claim key, claimed time): kept as ``Claim`` records
        self.moved: list[tuple[str, str, dt.datetime]] = []

    def _move(self, section: str, x: R, now: dt.datetime, path: str) -> R:
        """The record registered at this load's time; its claimed time is kept as a claim."""
        at = x.recorded_at  # type: ignore[attr-defined]
        self.moved.append((section, m.claim_key(m.BY_SECTION[section], x), at))
        x = replace(x, recorded_at=now)  # type: ignore[type-var]
        self.paths[id(x)] = path
        return x

    def unique(self, section: str, incoming: Iterable[R], current: Iterable[R],
               key: Callable[[R], Hashable], label: Callable[[R], str],
               changed_code: str = "conflict", now: dt.datetime | None = None) -> list[R]:
        """Records keyed once and for all: identical → skip, different → error. A new record
        dated before the newest load is registered at this load's time (``now``)."""
        have = {key(x): x for x in current}
        out: list[R] = []
        seen: dict[Hashable, R] = {}
        for i, x in enumerate(incoming):
            k = key(x)
            path = self.paths.get(id(x), f"{section}[{i}]")
            if k in seen:
                if _bare(seen[k]) != _bare(x):
                    msg = f"{label(x)} står to gange med forskelligt indhold"
                    self.errors.append(InputError(path, "duplicate", msg))
                continue
            seen[k] = x
            if k in have:
                if _bare(have[k]) == _bare(x):
                    self.skipped += 1
                    continue
                msg = (f"{label(x)} er allerede offentliggjort og kan ikke ændres; en rettelse "
                       "er en ny beslutning, der ophæver den" if changed_code == "immutable"
                       else f"{label(x)} findes allerede med andet indhold")
                self.errors.append(InputError(path, changed_code, msg))
                continue
            if now is not None and self.floor is not None and \
                    x.recorded_at < self.floor:  # type: ignore[attr-defined]
                x = self._move(section, x, now, path)
            out.append(x)
        return out

    def history(self, section: str, incoming: Iterable[R], current: Iterable[R],
                key: Callable[[R], Hashable], now: dt.datetime) -> list[R]:
        """Keyed histories (the catalogue, coverage, versions, memberships …): a record
        appends history.

        A record is skipped when that very record is stored, or when its content equals the
        latest stored record of its key (loads of history are idempotent). A record dated
        before the newest load is registered at this load's time. Two records of one bundle
        with the same key and record time but different content contradict each other."""
        incoming = list(incoming)
        if not incoming:  # nothing of this section in the load: the register is not read
            return []
        # everything below is per key: only the register's records of the keys loaded count
        incoming_keys = [key(x) for x in incoming]
        keys = set(incoming_keys)
        current = [x for x in current if key(x) in keys]
        if not current and len(keys) == len(incoming) and (
                self.floor is None
                or min(x.recorded_at for x in incoming) >= self.floor):  # type: ignore[attr-defined]
            return incoming  # all new, one record per key, none dated before the newest load
        stored = set(current)
        latest: dict[Hashable, R] = {}
        for x in current:
            k = key(x)
            if k not in latest or latest[k].recorded_at <= x.recorded_at:  # type: ignore[attr-defined]
                latest[k] = x
        # the newest record time of each content of each key (built when first needed): a
        # record the register has known since its own record time (e.g. registered at a
        # later load) is not new
        since: dict[tuple[Hashable, R], dt.datetime] = {}

        def known_since(k: Hashable, x: R) -> dt.datetime | None:
            if not since:
                for y in current:
                    bare = (key(y), _bare(y))
                    if bare not in since or since[bare] < y.recorded_at:  # type: ignore[attr-defined]
                        since[bare] = y.recorded_at  # type: ignore[attr-defined]
            return since.get((k, _bare(x)))

        seen: dict[tuple[Hashable, dt.datetime], R] = {}
        newest: dict[Hashable, dt.datetime] = {}  # the newest claimed record time per key
        for k, x in zip(incoming_keys, incoming, strict=True):
            at = x.recorded_at  # type: ignore[attr-defined]
            if k not in newest or newest[k] < at:
                newest[k] = at
        out: list[R] = []
        for i, (k, x) in enumerate(zip(incoming_keys, incoming, strict=True)):
            at = x.recorded_at  # type: ignore[attr-defined]
            if (k, at) in seen:
                if _bare(seen[(k, at)]) != _bare(x):
                    path = self.paths.get(id(x), f"{section}[{i}]")
                    self.errors.append(InputError(
                        path, "duplicate", "To poster i bundtet siger forskellige ting om det "
                        "samme på samme tidspunkt"))
                else:
                    self.skipped += 1
                continue
            seen[(k, at)] = x
            # (a stored record's key has a latest record: a new key needs no comparing)
            if k in latest and (x in stored or _bare(latest[k]) == _bare(x)
                                or (known_since(k, x) or at) > at):
                self.skipped += 1
                continue
            if self.floor is not None and at < self.floor:
                # of the records of one key registered now, only the newest claim is seen
                if at < newest[k]:
                    self.skipped += 1
                    continue
                x = self._move(section, x, now, self.paths.get(id(x), f"{section}[{i}]"))
            out.append(x)
        return out


def _area_of(world: m.World, regime: str, municipality: int, given: str,
             path: str, errors: list[InputError]) -> str:
    if given:
        return given
    areas = world.covered_areas(regime, municipality)
    if len(areas) == 1:
        return areas[0]
    errors.append(InputError(f"{path}.area", "missing" if areas else "not_covered",
                             "Angiv området (area): ordningen dækker kommunen på flere områder"
                             if areas else
                             f"Ordningen {regime} dækker ikke kommune {municipality}"))
    return ""


def merge(existing: m.World, incoming: m.World, paths: dict[int, str],
          now: dt.datetime, floor: dt.datetime | None = None,
          ) -> tuple[m.World, int, list[InputError], list[tuple[str, str, dt.datetime]]]:
    """The new records of ``incoming`` that are not already in ``existing``; errors; the
    records registered at this load's time instead of their claimed time."""
    g = _Merge(existing, paths, floor)
    e = existing
    new = m.World().with_(**{
        k.section: tuple(g.history(k.section, getattr(incoming, k.section),
                                   getattr(e, k.section), k.key or k.key_of, now))
        for k in m.KINDS if k.history != "fixed" and k.section != "claims"})
    # decisions and exemptions are checked below, after their area is known; the claims
    # after them, when every record this load registers is known
    new = new.with_(decisions=incoming.decisions, exemptions=incoming.exemptions)
    return new, g.skipped, g.errors, g.moved


def _claims(new: m.World, given: Iterable[m.Claim], moved: list[tuple[str, str, dt.datetime]],
            now: dt.datetime) -> tuple[tuple[m.Claim, ...], int]:
    """The claims this load stores, and how many of the given ones it skips.

    A record registered at this load's time instead of its claimed time gets a claim of
    that time (or of the time a claim in the load made for it: an exported register's claim
    survives a reload). A claim in the load about another record it registers (at its own
    time) is kept; a claim about a record the load does not register is skipped (it was
    stored with that record, or concerns a record the load may not speak for)."""
    claimed = {(c.section, c.record, c.recorded_at): c.known_from for c in given}
    out = {(section, key, now): claimed.pop((section, key, at), at)
           for section, key, at in moved}
    kept: dict[tuple[str, str, dt.datetime], dt.datetime] = {}
    if claimed:
        mine = {(k.section, m.claim_key(k, x), x.recorded_at)
                for k in m.KINDS if k.section != "claims" for x in getattr(new, k.section)}
        kept = {k: v for k, v in claimed.items() if k in mine}
    return (tuple(m.Claim(section, key, known_from, at)
                  for (section, key, at), known_from in (out | kept).items()),
            len(claimed) - len(kept))


def _check_references(world: m.World, new: m.World,
                      paths: dict[int, str]) -> list[InputError]:
    """Everything a new record points at must exist in the bundle or the register."""
    errs: list[InputError] = []

    def at(x: object, fallback: str) -> str:
        return paths.get(id(x), fallback)

    munis = {x.code for x in world.municipalities}
    areas = {x.key for x in world.areas}
    acts = {x.key for x in world.acts}
    regimes = {x.key for x in world.regimes}
    insts = {x.id for x in world.institutions}
    provs = {(p.act, p.ref) for p in world.provisions}

    def need(cond: bool, path: str, code: str, msg: str) -> None:
        if not cond:
            errs.append(InputError(path, code, msg))

    for i, a in enumerate(new.acts):
        p = at(a, f"acts[{i}]")
        for area in a.areas:
            need(area in areas, f"{p}.areas", "unknown_area", f"Ukendt område {area!r}")
        if a.municipality is not None:
            need(a.municipality in munis, f"{p}.municipality", "unknown_municipality",
                 f"Ukendt kommune {a.municipality}")
    for pv in new.provisions:
        if pv.parent is not None:
            need((pv.act, pv.parent) in provs, at(pv, f"acts.{pv.act}"), "unknown_provision",
                 f"Overordnet bestemmelse {pv.act} {pv.parent} findes ikke")
    for i, v in enumerate(new.versions):
        need((v.act, v.ref) in provs, at(v, f"versions[{i}]"), "unknown_provision",
             f"{v.act} {v.ref} findes ikke")
    for i, rg in enumerate(new.regimes):
        p = at(rg, f"regimes[{i}]")
        for key in rg.acts:
            need(key in acts, f"{p}.acts", "unknown_act", f"Ukendt lov {key!r}")
        for li in rg.listings:
            need((li.act, li.ref) in provs, f"{p}.{li.mark}", "unknown_provision",
                 f"{li.act} {li.ref} findes ikke i kataloget".replace("  ", " "))
    for i, c in enumerate(new.coverage):
        p = at(c, f"coverage[{i}]")
        need(c.regime in regimes, f"{p}.regime", "unknown_regime", f"Ukendt ordning {c.regime!r}")
        need(c.municipality in munis, f"{p}.municipality", "unknown_municipality",
             f"Ukendt kommune {c.municipality}")
        need(c.area in areas, f"{p}.area", "unknown_area", f"Ukendt område {c.area!r}")
    for i, ms in enumerate(new.memberships):
        p = at(ms, f"institutions[{i}]")
        need(ms.municipality in munis, f"{p}.municipality", "unknown_municipality",
             f"Ukendt kommune {ms.municipality}")
        need(ms.area in areas, f"{p}.area", "unknown_area", f"Ukendt område {ms.area!r}")
    for i, dg in enumerate(new.delegations):
        p = at(dg, f"delegations[{i}]")
        need(dg.municipality in munis, f"{p}.municipality", "unknown_municipality",
             f"Ukendt kommune {dg.municipality}")
        need(dg.regime in regimes, f"{p}.regime", "unknown_regime", f"Ukendt ordning {dg.regime!r}")
        if dg.institution:
            need(dg.institution in insts, f"{p}.institution", "unknown_institution",
                 f"Ukendt institution {dg.institution!r}")
    rule_sets: list[tuple[str, m.Repeal | m.Kept]] = [
        *((f"repeals[{i}]", x) for i, x in enumerate(new.repeals)),
        *((f"kept[{i}]", x) for i, x in enumerate(new.kept))]
    for path, x in rule_sets:
        need(x.act in acts, f"{at(x, path)}.act", "unknown_act", f"Ukendt lov {x.act!r}")
    for i, rp in enumerate(new.repeals):
        need((rp.act, rp.ref) in provs, f"repeals[{i}].ref", "unknown_provision",
             f"{rp.act} {rp.ref} findes ikke")
    for i, k in enumerate(new.kept):
        need(k.municipality in munis, f"kept[{i}].municipality", "unknown_municipality",
             f"Ukendt kommune {k.municipality}")
    for i, dep in enumerate(new.dependencies):
        p = at(dep, f"dependencies[{i}]")
        for act, ref in ((dep.act, dep.ref), *dep.on):
            need((act, ref) in provs, p, "unknown_provision",
                 f"{act} {ref} findes ikke i kataloget".replace("  ", " "))
    decisions = {x.id: x for x in world.decisions}
    for i, cx in enumerate(new.corrections):
        p = at(cx, f"corrections[{i}]")
        dec = decisions.get(cx.decision)
        need(dec is not None, f"{p}.decision", "unknown_decision",
             f"Ukendt beslutning {cx.decision!r}")
        for cit, _words in cx.source_words:
            need(dec is None or cit in {t.citation for t in dec.targets},
                 f"{p}.source_words", "unknown_provision",
                 f"{cit} er ikke en af beslutningens bestemmelser")
    texts = {(rg.key, t) for rg in world.regimes
             for t in (*rg.general_guardrails, *rg.protected_groups)}
    for i, cs in enumerate(new.condition_scopes):
        p = at(cs, f"condition_scopes[{i}]")
        need(cs.regime in regimes, f"{p}.regime", "unknown_regime",
             f"Ukendt ordning {cs.regime!r}")
        need((cs.regime, cs.text) in texts, f"{p}.text", "unknown_condition",
             "Teksten er ikke en af ordningens generelle hegnspæle eller beskyttede grupper")
        for act, ref in cs.concerns:
            need((act, ref) in provs, f"{p}.concerns", "unknown_provision",
                 f"{act} {ref} findes ikke i kataloget".replace("  ", " "))
    for i, known in enumerate(new.completeness):
        p = at(known, f"completeness[{i}]")
        need(known.municipality in munis, f"{p}.municipality", "unknown_municipality",
             f"Ukendt kommune {known.municipality}")
        need(known.area in areas, f"{p}.area", "unknown_area", f"Ukendt område {known.area!r}")
    return errs


def _check_revokes(d: m.Decision, decisions: dict[str, m.Decision],
                   path: str) -> list[InputError]:
    """A decision may revoke only published decisions of its own municipality, never itself,
    and never in a circle (each would make the register contradict itself)."""
    out: list[InputError] = []
    for rev in d.revokes:
        target = decisions.get(rev)
        if target is None:
            out.append(InputError(path, "unknown_decision",
                                  f"Beslutning {d.id} ophæver {rev}, som ikke findes"))
        elif rev == d.id:
            out.append(InputError(path, "revokes", f"Beslutning {d.id} kan ikke ophæve sig selv"))
        elif target.municipality != d.municipality:
            out.append(InputError(path, "revokes",
                                  f"Beslutning {d.id} (kommune {d.municipality}) kan ikke ophæve "
                                  f"{rev}, som er truffet af kommune {target.municipality}"))
        elif not target.published:
            out.append(InputError(path, "revokes",
                                  f"{rev} er ikke offentliggjort; en kladde ophæves ikke"))
    seen, todo = set(), list(d.revokes)
    while todo:  # walk what d revokes, transitively: reaching d again is a circle
        rid = todo.pop()
        if rid == d.id:
            out.append(InputError(path, "revokes",
                                  f"Beslutning {d.id} indgår i en kreds af ophævelser"))
            break
        if rid not in seen and rid in decisions:
            seen.add(rid)
            todo.extend(decisions[rid].revokes)
    return out


def check(incoming: m.World, existing: m.World, now: dt.datetime,
          paths: dict[int, str] | None = None, floor: dt.datetime | None = None,
          ) -> tuple[m.World, int, list[InputError], list[InputError]]:
    """New records to store, count skipped, errors, warnings. ``floor``: the newest load's
    time (no record is registered before it). A published decision is never changed: the
    register's own correction of one is a ``corrections`` record."""
    from frisat.registry.checks import check_decision, check_exemption

    paths = paths or {}
    new, skipped, errors, moved = merge(existing, incoming, paths, now, floor)
    merged = existing.merged(new)
    errors += _check_references(merged, new, paths)
    warnings: list[InputError] = []

    decisions = []
    for i, d in enumerate(new.decisions):
        path = paths.get(id(d), f"decisions[{i}]")
        d = replace(d, area=_area_of(merged, d.regime, d.municipality, d.area, path, errors))
        paths[id(d)] = path
        decisions.append((path, d))
    exemptions = []
    for i, x in enumerate(new.exemptions):
        path = paths.get(id(x), f"exemptions[{i}]")
        x = replace(x, area=_area_of(merged, x.regime, x.municipality, x.area, path, errors))
        paths[id(x)] = path
        exemptions.append((path, x))
    kept_decisions = _Merge(existing, paths, floor)
    fresh_d = kept_decisions.unique("decisions", [d for _, d in decisions],
                                    existing.decisions, lambda x: x.id,
                                    lambda x: f"Beslutning {x.id}", "immutable", now)
    fresh_e = kept_decisions.unique("exemptions", [x for _, x in exemptions],
                                    existing.exemptions, lambda x: x.id,
                                    lambda x: f"Fritagelse {x.id}", "conflict", now)
    errors += kept_decisions.errors
    skipped += kept_decisions.skipped
    new = new.with_(decisions=tuple(fresh_d), exemptions=tuple(fresh_e))
    claims, not_mine = _claims(new, incoming.claims, moved + kept_decisions.moved, now)
    new = new.with_(claims=claims)
    skipped += not_mine
    if not new.decisions and not new.exemptions:  # nothing left to check as of now
        return new, skipped, errors, warnings
    merged = existing.merged(new)
    view = merged.known_at(now)
    by_id = {d.id: p for p, d in decisions} | {x.id: p for p, x in exemptions}
    all_decisions = {d.id: d for d in merged.decisions}
    cut: dict[str, dt.date] = {}
    for d in new.decisions:
        path = by_id[d.id]
        errors += _check_revokes(d, all_decisions, f"{path}.revokes")
        errors += publication.problems(d, path)
        # an operator's bundle may register a decision long after it was published; without
        # the publication's address that is said (the staff pages and the API refuse it)
        warnings += [replace(e, severity="warning")
                     for e in publication.evidence_problems(d, path)]
        for pr in check_decision(view, d):
            item = InputError(f"{path}.{pr.field}" if pr.field else path, pr.code, pr.message,
                              pr.severity)
            (warnings if pr.severity == "warning" else errors).append(item)
            if pr.code == "cut_to_period" and pr.value:
                cut[d.id] = dt.date.fromisoformat(pr.value)
    if cut:  # SEMANTICS §4: an end past the regime's end is cut to that end
        new = new.with_(decisions=tuple(replace(d, effective_to=cut.get(d.id, d.effective_to))
                                        for d in new.decisions))
    for x in new.exemptions:
        path = by_id[x.id]
        for pr in check_exemption(view, x):
            item = InputError(f"{path}.{pr.field}" if pr.field else path, pr.code, pr.message,
                              pr.severity)
            (warnings if pr.severity == "warning" else errors).append(item)
    return new, skipped, errors, warnings


def os_user() -> str:
    """The operating-system user behind a command (a load's ``by`` from the CLI)."""
    import getpass

    try:
        return f"{getpass.getuser()} (kommandolinjen)"
    except (KeyError, OSError):  # no name for the uid (a container)
        return "(ukendt bruger, kommandolinjen)"


@dataclass(frozen=True)
class Provenance:
    """Who writes, how (``Load.HOW``) and from where: kept on the load every stored fact
    links to."""

    by: str = ""
    how: str = "bundle"
    source: str = "bundle"


def load(doc: Any, *, now: dt.datetime | None = None, reference: bool = False,
         source: str = "bundle", dry_run: bool = False, by: str = "", how: str = "bundle",
         read: tuple[m.World, dict[int, str]] | None = None,
         existing: m.World | None = None) -> LoadResult:
    """Check and store a bundle document atomically. Raises ``Rejected`` with every error.

    ``read`` is ``read_bundle_with_paths(doc, now)`` when the caller already has it, and
    ``existing`` the register as ``store.read_world()`` returns it when the caller read it
    inside its own, still open transaction (the API's write): neither is read twice.
    ``by`` and ``how`` say who wrote it and how (``Load.HOW``).
    """
    when = now or store.now()
    incoming, paths = read if read is not None else read_bundle_with_paths(doc, when,
                                                                            name=source)
    return load_records(incoming, Provenance(by, how, source), now=when, reference=reference,
                        dry_run=dry_run, paths=paths, existing=existing,
                        sections=other_sections(doc))


def other_sections(doc: Any) -> dict[str, tuple[Callable[[Any, m.World, dt.datetime],
                                                          SectionLoad], Any]]:
    """The sections of a bundle document that other packages read and store
    (``register_section``), with their hooks."""
    return {name: (hook, doc[name]) for name, hook in _SECTIONS.items()
            if isinstance(doc, dict) and doc.get(name)}


def load_records(incoming: m.World, provenance: Provenance, *,
                 now: dt.datetime | None = None, reference: bool = False,
                 dry_run: bool = False, paths: dict[int, str] | None = None,
                 existing: m.World | None = None,
                 sections: dict[str, tuple[Callable[[Any, m.World, dt.datetime], SectionLoad],
                                           Any]] | None = None) -> LoadResult:
    """The one write path: check records (already read from a bundle, a form, the API or an
    importer) against the register and store all of them or none, linked to one load.
    Raises ``Rejected`` with every error. ``paths`` says where each record stood in its
    document (for errors); ``sections``: other packages' bundle sections (``lessons``).

    ``existing``: the register as the caller read it in its own open transaction. It may
    be only the part the records concern (``store.read_world(act=KEY)`` for records of that
    act alone: the merge compares each record with the register's records of its key, and
    the references an act's records make are to its own provisions, areas and
    municipalities)."""
    from frisat.registry.models import Load

    when = now or store.now()
    with transaction.atomic():
        if existing is None:
            existing = store.read_world()
        newest = Load.objects.order_by("-id").values_list("loaded_at", flat=True).first()
        new, skipped, errors, warnings = check(incoming, existing, when, paths or {},
                                               min(newest, when) if newest else None)
        extra = {name: hook(raw, existing.merged(new), when)
                 for name, (hook, raw) in (sections or {}).items()}
        for x in extra.values():
            errors += x.errors
            skipped += x.skipped
        if errors:
            raise Rejected(errors, warnings)
        if dry_run or not (store.counts(new) or extra):  # nothing new: no load, same stamp
            return LoadResult(store.counts(new) if dry_run else {}, skipped, warnings)
        stored = Load.objects.create(loaded_at=when, source=provenance.source[:500],
                                     by=provenance.by[:150], how=provenance.how)
        added = store.append(new, reference=reference, load=stored, existing=existing)
        for name, x in extra.items():
            if n := x.store(reference):
                added[name] = n
        if added:
            stored.counts = added
            stored.save(update_fields=["counts"])
        else:  # another package's section turned out to add nothing
            stored.delete()
    return LoadResult(added, skipped, warnings)
