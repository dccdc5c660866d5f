"""The oracle: a deliberately plain, literal reading of SEMANTICS.md §2, §3, §5 and §6 and of
the choices in docs/semantics.md.

No indexes, no caching, no code from ``frisat.engine`` beyond the record types (``World``,
``Decision`` …): its own record-time filter (``known_at``), its own provision trees and leaf
order, its own listing walk; every question loops over all records of the world. Slow on
purpose; the fast engine is compared against it on random worlds (``test_oracle.py``) and
timed against it in ``benchmarks/engine.py``.

A verdict is an ``Out``: status, guardrail flag and the reasons in order, each reason a
``dict`` with its kind and its key data (ids, regime, dates as ISO strings, the main
fields of docs/semantics.md's table of reason kinds). ``KEY_FIELDS`` names, per kind, the
fields the comparison looks at.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from frisat.engine.model import (
    Act,
    Completeness,
    Date,
    Decision,
    Exemption,
    Listing,
    Membership,
    Provision,
    Regime,
    World,
)
from frisat.law.citation import CitationError, sort_key

Reason = dict[str, Any]

KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "decision": ("decision", "regime", "legal_basis", "target", "extent", "note", "scope",
                 "municipality", "area", "body", "body_name", "body_institution", "decided_on",
                 "published_on", "effective_from", "effective_to", "date_precision",
                 "replacement", "source_url", "example"),
    "exemption": ("exemption", "regime", "legal_basis", "exemption_basis", "municipality",
                  "area", "target", "extent", "note", "approved_on", "from", "to",
                  "source_url"),
    "guardrail": ("decision", "exemption", "regime", "guardrail_node", "target"),
    "not_deviable": ("decision", "exemption", "regime", "target"),
    "no_decision": ("regimes", "municipality", "area", "deviable"),
    "not_covered": ("decision", "exemption", "regime", "regimes", "why", "municipality", "area",
                    "date"),
    "regime_ended": ("decision", "exemption", "regime", "regime_end"),
    "not_yet_effective": ("decision", "exemption", "regime", "effective_from",
                          "provision_from"),
    "expired": ("decision", "exemption", "regime", "effective_to"),
    "revoked": ("decision", "regime", "revoked_by", "revoked_from"),
    "version_exclusion": ("regime", "excluded_from", "excluded_enacted_by", "basis",
                          "applied_from"),
    "condition": ("decision", "exemption", "regime", "condition", "value", "basis", "target",
                  "listed", "met"),
    "repealed": ("act", "repealed", "from", "decided_on", "source_url", "provision_to"),
    "consequential": ("depends_on", "dependent", "basis", "extent", "note", "decisions"),
    "decisions_incomplete": ("regimes", "municipality", "area", "level", "decisions_known",
                             "source", "source_url"),
}


def key_data(kind: str, data: Any) -> tuple[tuple[str, Any], ...]:
    """(kind, …) and the key fields present in a reason's data, for comparing."""
    return (("kind", kind),) + tuple((f, data[f]) for f in KEY_FIELDS[kind] if f in data)


@dataclass(frozen=True)
class Out:
    act: str
    ref: str
    status: str
    guardrail: bool
    because: tuple[Reason, ...]

    @property
    def reasons(self) -> tuple[tuple[tuple[str, Any], ...], ...]:
        return tuple(key_data(r["kind"], r) for r in self.because)


def iso(d: Date | None) -> str | None:
    return d.isoformat() if d is not None else None


def inside(d: Date, start: Date | None, end: Date | None) -> bool:
    if start is not None and d < start:
        return False
    return not (end is not None and d >= end)


# ------------------------------------------------------------------ record time (§6)


def known_at(world: World, k: dt.datetime) -> World:
    """The register as it stood at record time K: the records registered at or before K;
    of several records with the same key, the one registered last (on a tie, the one listed
    last). Records keep the place where their key first appeared."""

    def current(items: Iterable[Any], key: Callable[[Any], object] | None) -> tuple[Any, ...]:
        seen = [x for x in items if x.recorded_at <= k]
        if key is None:
            return tuple(seen)
        out: list[Any] = []
        for x in seen:
            if any(key(y) == key(x) for y in out):
                continue
            same = [y for y in seen if key(y) == key(x)]
            latest = max(y.recorded_at for y in same)
            out.append([y for y in same if y.recorded_at == latest][-1])
        return tuple(out)

    corrections = current(world.corrections, lambda x: x.decision)

    def as_corrected(d: Any) -> Any:
        """A decision as the register's corrections known at K state it."""
        for c in corrections:
            if c.decision == d.id:
                words = dict(c.source_words)
                d = dataclasses.replace(
                    d, decided_by=c.decided_by or d.decided_by,
                    targets=tuple(dataclasses.replace(t, source_words=words[t.citation])
                                  if t.citation in words else t for t in d.targets))
        return d

    return World(
        municipalities=current(world.municipalities, lambda m: m.code),
        areas=current(world.areas, lambda a: a.key),
        institutions=current(world.institutions, lambda i: i.id),
        memberships=current(world.memberships, lambda m: (m.institution, m.valid_from)),
        acts=current(world.acts, lambda a: a.key),
        provisions=current(world.provisions, lambda p: (p.act, p.ref)),
        versions=current(world.versions, lambda v: (v.act, v.ref, v.valid_from)),
        regimes=current(world.regimes, lambda r: r.key),
        coverage=current(world.coverage,
                         lambda c: (c.regime, c.municipality, c.area, c.valid_from)),
        delegations=current(world.delegations, None),
        decisions=tuple(as_corrected(d) for d in current(world.decisions, lambda d: d.id)),
        exemptions=current(world.exemptions, lambda e: e.id),
        repeals=current(world.repeals, lambda r: (r.act, r.ref, r.valid_from)),
        kept=current(world.kept, None),
        dependencies=current(world.dependencies, lambda x: (x.act, x.ref, x.on)),
        completeness=current(world.completeness,
                             lambda x: (x.municipality, x.area, x.valid_from)),
        condition_scopes=current(world.condition_scopes, lambda x: (x.regime, x.text)),
        corrections=corrections,
    )


# ------------------------------------------------------------------ the trees, literally


def act_of(world: World, key: str) -> Act | None:
    for a in world.acts:
        if a.key == key:
            return a
    return None


def find(world: World, act: str, ref: str) -> Provision | None:
    for p in world.provisions:
        if p.act == act and p.ref == ref:
            return p
    return None


def parent_ref(world: World, act: str, ref: str) -> str | None:
    """The parent's ref; a node whose recorded parent is missing hangs on the act root."""
    if ref == "":
        return None
    p = find(world, act, ref)
    if p is None or p.parent is None or p.parent == ref:
        return ""
    if p.parent != "" and find(world, act, p.parent) is None:
        return ""
    return p.parent


def path_up(world: World, act: str, ref: str) -> list[str]:
    """The node, its parent, …, the act root ""."""
    out = [ref]
    cur: str | None = ref
    while True:
        cur = parent_ref(world, act, cur) if cur is not None else None
        if cur is None:
            return out
        out.append(cur)


def children(world: World, act: str, ref: str) -> list[Provision]:
    """In the act's own order: by ``order``, then the Danish reading order of the ref."""
    def order(p: Provision) -> tuple[int, tuple[int, object]]:
        try:
            return (p.order, (0, sort_key(p.ref)))
        except CitationError:
            return (p.order, (1, p.ref))
    kids = [p for p in world.provisions
            if p.act == act and p.ref != "" and parent_ref(world, act, p.ref) == ref]
    return sorted(kids, key=order)


def leaves(world: World, act: str) -> list[Provision]:
    """The act's leaves in its own order (a pre-order walk); an act with no catalogued
    provisions is its own single leaf."""
    root = find(world, act, "") or Provision(act, "", None)
    out: list[Provision] = []

    def walk(p: Provision) -> None:
        kids = children(world, act, p.ref)
        if not kids:
            out.append(p)
        for c in kids:
            walk(c)

    walk(root)
    return out


def is_leaf(world: World, act: str, ref: str) -> bool:
    return not children(world, act, ref)


def citation(act: str, ref: str) -> str:
    return f"{act} {ref}".strip()


# ------------------------------------------------------------------ facts, literally


def membership_on(world: World, inst: str, d: Date) -> Membership | None:
    found = None
    for m in world.memberships:
        if m.institution == inst and inside(d, m.valid_from, m.valid_to) and (
            found is None or (m.valid_from or Date.min) >= (found.valid_from or Date.min)
        ):
            found = m
    return found


def regime(world: World, key: str) -> Regime | None:
    for r in world.regimes:
        if r.key == key:
            return r
    return None


def covers(world: World, key: str, mun: int, area: str, d: Date) -> bool:
    return any(c.regime == key and c.municipality == mun and c.area == area
               and inside(d, c.valid_from, c.valid_to) for c in world.coverage)


def covering(world: World, mun: int, area: str, d: Date) -> list[Regime]:
    return [r for r in world.regimes if covers(world, r.key, mun, area, d)]


def listings_at(reg: Regime, act: str, node: str, mun: int, d: Date) -> list[Listing]:
    """The regime's listings of a node valid on D that hold for the municipality (a listing
    may be the power of one network only)."""
    return [lst for lst in reg.listings if lst.act == act and lst.ref == node
            and inside(d, lst.valid_from, lst.valid_to)
            and (lst.municipalities is None or mun in lst.municipalities)]


def mark(world: World, reg: Regime, act: str, ref: str, mun: int,
         d: Date) -> tuple[str | None, str | None]:
    """(deviable | guardrail | None, the listed node's ref that decided)."""
    a = act_of(world, act)
    if a is not None and a.level == "municipal" and a.municipality == mun:
        return "deviable", None
    for node in path_up(world, act, ref):
        marks = {lst.mark for lst in listings_at(reg, act, node, mun, d)}
        if "guardrail" in marks:
            return "guardrail", node
        if "deviable" in marks:
            return "deviable", node
    if reg.shape == "all_but_guardrails" and act in reg.acts:
        return "deviable", None
    return None, None


def why_not_reached(world: World, reg: Regime, m: Membership) -> str | None:
    if reg.kinds is not None and m.kind not in reg.kinds:
        return "kind"
    if reg.private_requires_request and m.provider == "private" and not any(
            i.id == m.institution and reg.key in i.requested for i in world.institutions):
        return "private"
    return None


def revoker(world: World, dec: Decision) -> Decision | None:
    """The published decision that revokes it first (earliest start, then id)."""
    found = [x for x in world.decisions if x.published and dec.id in x.revokes]
    return min(found, key=lambda x: (x.effective_from, x.id)) if found else None


def state_of(world: World, item: Decision | Exemption, d: Date) -> tuple[str, Reason]:
    """holding, or the reason the decision/exemption does not hold on D."""
    noun = "decision" if isinstance(item, Decision) else "exemption"
    base: Reason = {noun: item.id, "regime": item.regime}
    if isinstance(item, Decision):
        rv = revoker(world, item)
        if rv is not None and rv.effective_from <= d:
            return "revoked", {"kind": "revoked", **base, "revoked_by": rv.id,
                               "revoked_from": iso(rv.effective_from)}
        start, end = item.effective_from, item.effective_to
    else:
        start, end = item.valid_from, item.valid_to
    if d < start:
        return "not_yet_effective", {"kind": "not_yet_effective", **base,
                                     "effective_from": iso(start)}
    if end is not None and d >= end:
        return "expired", {"kind": "expired", **base, "effective_to": iso(end)}
    if covers(world, item.regime, item.municipality, item.area, d):
        return "holding", {}
    ends = [c.valid_to for c in world.coverage
            if (c.regime, c.municipality, c.area) == (item.regime, item.municipality, item.area)
            and c.valid_to is not None and c.valid_to <= d]
    if ends:
        return "regime_ended", {"kind": "regime_ended", **base, "regime_end": iso(max(ends))}
    return "not_covered", {"kind": "not_covered", **base}


def in_scope(world: World, dec: Decision, m: Membership | None) -> bool:
    """``m`` None: a municipality-level question, where only whole-municipality decisions
    count."""
    if m is None:
        return dec.scope.institutions is None and dec.scope.kinds is None
    if dec.scope.institutions is not None and m.institution not in dec.scope.institutions:
        return False
    if dec.scope.kinds is not None and m.kind not in dec.scope.kinds:
        return False
    reg = regime(world, dec.regime)
    return reg is None or why_not_reached(world, reg, m) is None


# ------------------------------------------------------------------ the verdict


def verdict(world: World, leaf: Provision, mun: int, area: str, d: Date,
            m: Membership | None, judging: frozenset[tuple[str, str]] = frozenset()) -> Out:
    """SEMANTICS §3 for one leaf; ``m`` None: a municipality-level question. ``judging``:
    the trigger nodes being judged for a consequence above (a circle answers "no")."""
    regimes_here = covering(world, mun, area, d)
    reach = [r for r in regimes_here if m is None or why_not_reached(world, r, m) is None]
    guard = any(mark(world, r, leaf.act, leaf.ref, mun, d)[0] == "guardrail" for r in reach)
    up = path_up(world, leaf.act, leaf.ref)

    def out(status: str, because: list[Reason]) -> Out:
        return Out(leaf.act, leaf.ref, status, guard, tuple(because))

    # §5: a repeal of the leaf or an ancestor, from its first day (the earliest one named)
    repeals = [rp for rp in world.repeals
               if rp.act == leaf.act and rp.ref in up and rp.valid_from <= d]
    if repeals:
        first = min(repeals, key=lambda rp: rp.valid_from)
        reason = {"kind": "repealed", "act": first.act,
                  "repealed": citation(first.act, first.ref), "from": iso(first.valid_from),
                  "decided_on": iso(first.decided_on)}
        if first.source_url:
            reason["source_url"] = first.source_url
        return out("not_in_force", [reason])

    # §3.2: the leaf's versions, else the nearest ancestor's, else the act's whole life
    versions: list[tuple[Date | None, Date | None, tuple[Any, ...], str]] = []
    for node in up:
        versions = [(v.valid_from, v.valid_to, v.exclusions, v.enacted_by) for v in world.versions
                    if v.act == leaf.act and v.ref == node]
        if versions:
            break
    if not versions:
        a = act_of(world, leaf.act)
        versions = [(a.valid_from if a else None, None, (), "")]
    on_d = [v for v in versions if inside(d, v[0], v[1])]
    if not on_d:
        if all(v[0] is not None and v[0] > d for v in versions):
            first_start = min(v[0] for v in versions if v[0] is not None)
            return out("not_in_force", [{"kind": "not_yet_effective",
                                         "provision_from": iso(first_start)}])
        ended = [v[1] for v in versions if v[1] is not None and v[1] <= d]
        return out("not_in_force", [{"kind": "repealed",
                                     "provision_to": iso(max(ended)) if ended else None}])
    chosen = max(on_d, key=lambda v: v[0] or Date.min)
    version_reasons: list[Reason] = []
    covering_keys = [r.key for r in regimes_here]
    while True:
        excl = [e for e in chosen[2]
                if e.regime in covering_keys and (e.area is None or e.area == area)]
        if not excl:
            break
        start = chosen[0]
        before = [v for v in versions
                  if start is not None and (v[0] is None or v[0] < start)]
        older = max(before, key=lambda v: v[0] or Date.min) if before else None
        version_reasons.append({"kind": "version_exclusion", "regime": excl[0].regime,
                                "excluded_from": iso(start), "excluded_enacted_by": chosen[3],
                                "basis": excl[0].basis,
                                "applied_from": iso(older[0]) if older else None})
        if older is None:
            return out("not_in_force", version_reasons)
        chosen = older

    # §3.3: the decisions and exemptions of the place that target the leaf or an ancestor
    items: list[Decision | Exemption] = [
        x for x in world.decisions
        if x.published and x.municipality == mun and x.area == area and in_scope(world, x, m)]
    items += [x for x in world.exemptions
              if x.approved_on is not None and x.municipality == mun and x.area == area]
    candidates: list[tuple[Decision | Exemption, Reason]] = []
    pending: list[tuple[Decision | Exemption, Reason]] = []
    permissions: list[Reason] = []
    blocked: list[Reason] = []
    states: list[Reason] = []
    for it in items:
        # the most specific target of the item above the leaf decides its extent
        target = next((t for node in up for t in it.targets
                       if t.act == leaf.act and t.ref == node), None)
        if target is None:
            continue
        noun = "decision" if isinstance(it, Decision) else "exemption"
        state, reason = state_of(world, it, d)
        if state != "holding":
            states.append(reason)
            continue
        reg = regime(world, it.regime)
        mk, node = mark(world, reg, leaf.act, leaf.ref, mun, d) if reg else (None, None)
        tcit = citation(target.act, target.ref)
        if mk == "guardrail":
            blocked.append({"kind": "guardrail", noun: it.id, "regime": it.regime,
                            "target": tcit,
                            "guardrail_node": citation(leaf.act, node if node is not None
                                                       else leaf.ref)})
            continue
        if mk != "deviable":
            blocked.append({"kind": "not_deviable", noun: it.id, "regime": it.regime,
                            "target": tcit})
            continue
        listing = next(iter(listings_at(reg, leaf.act, node, mun, d)), None) \
            if reg is not None and node is not None else None
        extent, note = target.extent, target.note
        if listing is not None and listing.part and extent == "whole":
            extent, note = "partial", note or f"Kun {listing.part}"
        entry = (it, candidate_reason(world, it, tcit, extent, note))
        if listing is not None and listing.condition:
            permission = {"kind": "condition", noun: it.id, "regime": it.regime,
                          "condition": "permission", "value": listing.condition,
                          "basis": listing.condition_basis, "target": tcit,
                          "listed": citation(listing.act, listing.ref),
                          "met": target.condition_met}
            if target.condition_met is False:
                blocked.append(permission)
                continue
            permissions.append(permission)
            if target.condition_met is None:
                pending.append(entry)
                continue
        candidates.append(entry)

    def rid(r: Reason) -> str:
        return str(r.get("decision") or r.get("exemption"))

    def decisive(c: tuple[Decision | Exemption, Reason]) -> tuple[bool, int, str]:
        start = c[0].effective_from if isinstance(c[0], Decision) else c[0].valid_from
        return (c[1]["extent"] != "whole", -start.toordinal(), c[0].id)

    # §3.4–3.5: status, and the reasons most decisive first
    candidates.sort(key=decisive)
    pending.sort(key=decisive)
    blocked.sort(key=lambda r: (r["kind"] != "guardrail", rid(r)))
    states.sort(key=lambda r: (r["kind"], rid(r)))
    run_off: list[Reason] = []
    for st in states:
        reg = regime(world, st["regime"])
        if st["kind"] == "regime_ended" and reg is not None and reg.run_off_note and not any(
                r["regime"] == reg.key for r in run_off):
            run_off.append({"kind": "condition", "regime": reg.key, "condition": "run_off",
                            "value": reg.run_off_note})
    rest = blocked + states + run_off
    because: list[Reason] = []
    if candidates:
        status = "set_aside" if any(c[1]["extent"] == "whole" for c in candidates) \
            else "partially_set_aside"
        because = [r for _, r in candidates]
        def concerns(key: str, text: str) -> bool:
            """§3.5: shown only where it concerns the leaf and the date (no scope: always)."""
            scopes = [x for x in world.condition_scopes if (x.regime, x.text) == (key, text)]
            return all(inside(d, x.valid_from, x.valid_to)
                       and (not x.concerns or any(a == leaf.act and r in up
                                                  for a, r in x.concerns))
                       for x in scopes)

        for key in dict.fromkeys(c[0].regime for c in candidates):
            reg = regime(world, key)
            if reg is not None:
                because += [{"kind": "condition", "regime": reg.key,
                             "condition": "protected_group", "value": g}
                            for g in reg.protected_groups if concerns(reg.key, g)]
                because += [{"kind": "condition", "regime": reg.key,
                             "condition": "general_guardrail", "value": g}
                            for g in reg.general_guardrails if concerns(reg.key, g)]
        because += permissions + rest
    elif pending:
        status = "unknown"
        because = [r for _, r in pending] + permissions + rest
    elif (consequence := consequence_reason(world, leaf, mun, area, d, m, judging)):
        status = "set_aside" if consequence["extent"] == "whole" else "partially_set_aside"
        because = [consequence, *rest]
    else:
        status = "applies"
        because = list(rest)
        reason = coverage_reason(world, leaf, mun, area, d, m, regimes_here, reach)
        if reason["kind"] == "decisions_incomplete":
            status = "unknown"
            because.insert(0 if blocked or states else len(because), reason)
        elif not blocked and not states:
            because.append(reason)
    because += version_reasons
    return out(status, because)


def consequence_reason(world: World, leaf: Provision, mun: int, area: str, d: Date,
                       m: Membership | None,
                       judging: frozenset[tuple[str, str]]) -> Reason | None:
    """§3.4: the leaf does not apply because a node it depends on (a dependency on the leaf
    or a node above it, valid on D) is wholly set aside: every leaf under that node that is
    in force on D is (and at least one is)."""
    up = path_up(world, leaf.act, leaf.ref)
    mine = [dep for dep in world.dependencies if dep.act == leaf.act and dep.ref in up]
    # the dependency of the node nearest the leaf first (then in the register's order)
    for dep in sorted(mine, key=lambda x: up.index(x.ref)):
        if not inside(d, dep.valid_from, dep.valid_to):
            continue
        ids: dict[str, None] = {}
        for trigger in dep.on:
            under = [lf for lf in leaves(world, trigger[0])
                     if trigger[1] in path_up(world, lf.act, lf.ref)]
            if trigger in judging or not under:
                break
            outs = [verdict(world, lf, mun, area, d, m, judging | {trigger}) for lf in under]
            outs = [o for o in outs if o.status != "not_in_force"]  # do not apply anyway
            if not outs or not all(o.status == "set_aside" for o in outs):
                break
            for o in outs:
                own = [r.get("decision") or r.get("exemption") for r in o.because
                       if r["kind"] in ("decision", "exemption")]
                if not own:
                    own = [i for r in o.because if r["kind"] == "consequential"
                           for i in r["decisions"]]
                ids.update(dict.fromkeys(own))
        else:
            if dep.on:
                r: Reason = {"kind": "consequential",
                             "depends_on": [citation(*t) for t in dep.on],
                             "dependent": citation(dep.act, dep.ref), "basis": dep.basis,
                             "extent": dep.extent, "decisions": list(ids)}
                if dep.note:
                    r["note"] = dep.note
                return r
    return None


def candidate_reason(world: World, it: Decision | Exemption, target: str, extent: str,
                     note: str) -> Reason:
    reg = regime(world, it.regime)
    r: Reason
    if isinstance(it, Exemption):
        r = {"kind": "exemption", "exemption": it.id, "regime": it.regime,
             "legal_basis": reg.legal_basis if reg else "", "exemption_basis": it.legal_basis,
             "municipality": it.municipality, "area": it.area, "target": target,
             "extent": extent, "approved_on": iso(it.approved_on), "from": iso(it.valid_from),
             "to": iso(it.valid_to)}
    else:
        scope = ("whole" if it.scope.institutions is None and it.scope.kinds is None
                 else "institutions" if it.scope.institutions is not None else "kinds")
        r = {"kind": "decision", "decision": it.id, "regime": it.regime,
             "legal_basis": reg.legal_basis if reg else "", "target": target,
             "extent": extent, "scope": scope, "municipality": it.municipality,
             "area": it.area, "body": it.decided_by.body, "decided_on": iso(it.decided_on),
             "published_on": iso(it.published_on), "effective_from": iso(it.effective_from),
             "effective_to": iso(it.effective_to), "date_precision": it.date_precision}
        optional = {"body_name": it.decided_by.name, "body_institution":
                    it.decided_by.institution, "replacement": it.replacement,
                    "example": it.example}
        r.update({k: v for k, v in optional.items() if v})
    if note:
        r["note"] = note
    if it.source_url:
        r["source_url"] = it.source_url
    return r


def coverage_reason(world: World, leaf: Provision, mun: int, area: str, d: Date,
                    m: Membership | None, regimes_here: list[Regime],
                    reach: list[Regime]) -> Reason:
    if reach:
        deviable = any(mark(world, r, leaf.act, leaf.ref, mun, d)[0] == "deviable"
                       for r in reach)
        known = completeness(world, mun, area, d)
        if deviable and (known is None or known.level != "complete"):
            r: Reason = {"kind": "decisions_incomplete",
                         "regimes": sorted(r.key for r in reach), "municipality": mun,
                         "area": area, "level": known.level if known else "unknown",
                         "decisions_known": sum(1 for x in world.decisions if x.published
                                                and x.municipality == mun
                                                and x.area == area)}
            if known is not None and known.source:
                r["source"] = known.source
            if known is not None and known.source_url:
                r["source_url"] = known.source_url
            return r
        return {"kind": "no_decision", "regimes": sorted(r.key for r in reach),
                "municipality": mun, "area": area, "deviable": deviable}
    why = {r.key: why_not_reached(world, r, m) for r in regimes_here} if m else {}
    place = {"municipality": mun, "area": area, "date": d.isoformat()}
    if why:
        return {"kind": "not_covered", **place, "regimes": sorted(why),
                "why": dict(sorted(why.items()))}
    return {"kind": "not_covered", **place}


def completeness(world: World, mun: int, area: str, d: Date) -> Completeness | None:
    """What the register knows of the place's decisions on D (the record starting last)."""
    held = [c for c in world.completeness if c.municipality == mun and c.area == area
            and inside(d, c.valid_from, c.valid_to)]
    return max(held, key=lambda c: c.valid_from or Date.min) if held else None


# ------------------------------------------------------------------ questions


def relevant(world: World, act_key: str, mun: int, area: str, kind: str | None) -> bool:
    """§3.1 and docs/semantics.md: the act governs the area (and the kind, where it names
    kinds), and a municipal rule set only its own municipality. ``kind`` None: a
    municipality-level question, where kinds do not apply."""
    a = act_of(world, act_key)
    if a is None or area not in a.areas:
        return False
    if a.level == "municipal" and a.municipality != mun:
        return False
    return kind is None or a.kinds is None or kind in a.kinds


def institution_rules(world: World, inst: str, d: Date) -> list[Out]:
    """Every relevant leaf, acts in catalogue order, leaves in the act's order."""
    m = membership_on(world, inst, d)
    if m is None:
        return []
    return [verdict(world, leaf, m.municipality, m.area, d, m)
            for a in world.acts if relevant(world, a.key, m.municipality, m.area, m.kind)
            for leaf in leaves(world, a.key)]


def municipality_cases(world: World) -> list[tuple[int, str, Provision]]:
    """Every (municipality, area, leaf) a municipality-level question is answered for."""
    return [(mu.code, ar.key, leaf)
            for mu in world.municipalities for ar in world.areas for a in world.acts
            if relevant(world, a.key, mu.code, ar.key, None) for leaf in leaves(world, a.key)]


def municipality_status(world: World, mun: int, area: str, act: str, ref: str,
                        d: Date) -> Out:
    p = find(world, act, ref) or Provision(act, ref, None)
    return verdict(world, p, mun, area, d, None)


@dataclass(frozen=True)
class NationalOut:
    regimes: list[tuple[str, str, str, list[tuple[int, str, str, str, str | None]]]]
    incomplete: list[tuple[int, str, str, str | None]]
    freed_municipalities: int
    decisions_in_force: int
    exemptions_in_force: int
    provisions_set_aside: int
    rows: list[tuple[int, str, str | None, str, str, str, tuple[str, ...]]]


def national(world: World, d: Date) -> NationalOut:
    """docs/semantics.md § National, literally: the regimes covering on D with those
    coverage records, the counts, and every freedom row (municipality level: every leaf of
    every act in every municipality and area; institution level: every institution's own
    set-aside verdicts that a list- or kinds-scoped decision takes part in)."""
    regimes = []
    freed: set[int] = set()
    for r in world.regimes:
        rows = sorted((c.municipality, next((x.name for x in world.municipalities
                                             if x.code == c.municipality), ""),
                       c.area, c.valid_from.isoformat(), iso(c.valid_to))
                      for c in world.coverage
                      if c.regime == r.key and inside(d, c.valid_from, c.valid_to))
        if rows:
            regimes.append((r.key, r.title, r.legal_basis, rows))
            freed |= {row[0] for row in rows}
    in_force = sum(1 for x in world.decisions
                   if x.published and state_of(world, x, d)[0] == "holding")
    ex_in_force = sum(1 for x in world.exemptions
                      if x.approved_on is not None and state_of(world, x, d)[0] == "holding")

    def ids(o: Out) -> tuple[str, ...]:
        own = tuple(r.get("decision") or r.get("exemption") for r in o.because
                    if r["kind"] in ("decision", "exemption"))
        return own or tuple(i for r in o.because if r["kind"] == "consequential"
                            for i in r["decisions"])

    def by_list_or_kinds(o: Out) -> bool:
        """A decision with a list or kinds scope sets the leaf aside, or what it depends
        on."""
        if any(r["kind"] == "decision" and r["scope"] != "whole" for r in o.because):
            return True
        return any(x.id == i and (x.scope.institutions is not None or x.scope.kinds is not None)
                   for r in o.because if r["kind"] == "consequential"
                   for i in r["decisions"] for x in world.decisions)

    freedoms = []
    every_leaf = [leaf for a in world.acts for leaf in leaves(world, a.key)]
    for mu in world.municipalities:
        for ar in world.areas:
            for leaf in every_leaf:
                o = verdict(world, leaf, mu.code, ar.key, d, None)
                if o.status in ("set_aside", "partially_set_aside"):
                    freedoms.append((mu.code, ar.key, None, leaf.act, leaf.ref, o.status, ids(o)))
    for inst in world.institutions:
        m = membership_on(world, inst.id, d)
        if m is None:
            continue
        for o in institution_rules(world, inst.id, d):
            if o.status in ("set_aside", "partially_set_aside") and by_list_or_kinds(o):
                freedoms.append((m.municipality, m.area, inst.id, o.act, o.ref, o.status,
                                 ids(o)))
    incomplete = []
    for mun, area in sorted({(row[0], row[2]) for _k, _t, _b, rows in regimes for row in rows}):
        known = completeness(world, mun, area, d)
        if known is None or known.level != "complete":
            incomplete.append((mun, area, known.level if known else "unknown",
                               known.source_url if known else None))
    return NationalOut(
        regimes=regimes, incomplete=incomplete, freed_municipalities=len(freed),
        decisions_in_force=in_force,
        exemptions_in_force=ex_in_force,
        provisions_set_aside=len({(r[3], r[4]) for r in freedoms}),
        rows=sorted(freedoms, key=repr))
