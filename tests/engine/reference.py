"""The oracle: a deliberately plain, literal reading of SEMANTICS.md §2, §3 and §6.

No indexes, no caching, no shared code with ``frisat.engine`` beyond the record types:
every question loops over all records of the world. Slow on purpose; the fast engine is
compared against it on random worlds (``test_oracle.py``) and timed against it in
``benchmarks/engine.py``.

Outputs are ``Out`` records: status, guardrail flag and the set of (reason kind, decision
or exemption id) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

from frisat.engine.model import (
    Date,
    Decision,
    Exemption,
    Membership,
    Provision,
    Regime,
    World,
    in_interval,
)


@dataclass(frozen=True)
class Out:
    act: str
    ref: str
    status: str
    guardrail: bool
    reasons: frozenset[tuple[str, str | None]]


def inside(d: Date, start: Date | None, end: Date | None) -> bool:
    if start is not None and d < start:
        return False
    return not (end is not None and d >= end)


# ------------------------------------------------------------------ the tree, literally


def find(world: World, act: str, ref: str) -> Provision | None:
    for p in world.provisions:
        if p.act == act and p.ref == ref:
            return p
    return None


def parent_ref(world: World, act: str, ref: str) -> str | None:
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


def is_leaf(world: World, p: Provision) -> bool:
    """A node without children; an act with no provisions in the catalogue is its own leaf."""
    return all(
        not (q.act == p.act and q.ref != "" and parent_ref(world, q.act, q.ref) == p.ref)
        for q in world.provisions
    )


def all_leaves(world: World, act: str) -> list[Provision]:
    return [p for p in world.provisions if p.act == act and is_leaf(world, p)]


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
    for c in world.coverage:
        if c.regime == key and c.municipality == mun and c.area == area and inside(
            d, c.valid_from, c.valid_to
        ):
            return True
    return False


def covering(world: World, mun: int, area: str, d: Date) -> list[Regime]:
    return [r for r in world.regimes if covers(world, r.key, mun, area, d)]


def mark(world: World, reg: Regime, act: str, ref: str, mun: int,
         d: Date | None = None) -> str | None:
    for a in world.acts:
        if a.key == act and a.level == "municipal" and a.municipality == mun:
            return "deviable"
    for node in path_up(world, act, ref):
        marks = {lst.mark for lst in reg.listings if lst.act == act and lst.ref == node
                 and (d is None or in_interval(d, lst.valid_from, lst.valid_to))}
        if "guardrail" in marks:
            return "guardrail"
        if "deviable" in marks:
            return "deviable"
    if reg.shape == "all_but_guardrails" and act in reg.acts:
        return "deviable"
    return None


def reaches(world: World, reg: Regime, m: Membership) -> bool:
    if reg.kinds is not None and m.kind not in reg.kinds:
        return False
    if reg.private_requires_request and m.provider == "private":
        return any(i.id == m.institution and reg.key in i.requested
                   for i in world.institutions)
    return True


def revoked_on(world: World, dec: Decision, d: Date) -> bool:
    for x in world.decisions:
        if x.published and dec.id in x.revokes and x.effective_from <= d:
            return True
    return False


def state_of(world: World, item: Decision | Exemption, d: Date) -> str:
    if isinstance(item, Decision):
        if revoked_on(world, item, d):
            return "revoked"
        start, end = item.effective_from, item.effective_to
    else:
        start, end = item.valid_from, item.valid_to
    if d < start:
        return "not_yet_effective"
    if end is not None and d >= end:
        return "expired"
    if covers(world, item.regime, item.municipality, item.area, d):
        return "holding"
    for c in world.coverage:
        if (c.regime == item.regime and c.municipality == item.municipality
                and c.area == item.area and c.valid_to is not None and c.valid_to <= d):
            return "regime_ended"
    return "not_covered"


# ------------------------------------------------------------------ the verdict


def verdict(world: World, leaf: Provision, mun: int, area: str, d: Date,
            m: Membership | None) -> Out:
    """SEMANTICS §3 for one leaf; ``m`` None: a municipality-level question."""
    regimes_here = covering(world, mun, area, d)
    reach = [r for r in regimes_here if m is None or reaches(world, r, m)]
    guard = any(mark(world, r, leaf.act, leaf.ref, mun, d) == "guardrail" for r in reach)
    up = path_up(world, leaf.act, leaf.ref)

    def out(status: str, reasons: set[tuple[str, str | None]]) -> Out:
        return Out(leaf.act, leaf.ref, status, guard, frozenset(reasons))

    # repeal of the leaf or an ancestor
    for rp in world.repeals:
        if rp.act == leaf.act and rp.ref in up and rp.valid_from <= d:
            return out("not_in_force", {("repealed", None)})

    # versions: the leaf's own, else the nearest ancestor's, else the act's
    versions = []
    for node in up:
        versions = [v for v in world.versions if v.act == leaf.act and v.ref == node]
        if versions:
            break
    if not versions:
        start = None
        for a in world.acts:
            if a.key == leaf.act:
                start = a.valid_from
        versions = [None]  # type: ignore[list-item]
        chosen_from: Date | None = start
        chosen_to: Date | None = None
        chosen_excl: tuple = ()  # type: ignore[type-arg]
        if not inside(d, chosen_from, chosen_to):
            return out("not_in_force", {("not_yet_effective", None)})
    else:
        on_d = [v for v in versions if inside(d, v.valid_from, v.valid_to)]
        if not on_d:
            if all(v.valid_from is not None and v.valid_from > d for v in versions):
                return out("not_in_force", {("not_yet_effective", None)})
            return out("not_in_force", {("repealed", None)})
        v = max(on_d, key=lambda x: x.valid_from or Date.min)
        chosen_from, chosen_excl = v.valid_from, v.exclusions
    reasons: set[tuple[str, str | None]] = set()
    while any(e.regime in [r.key for r in regimes_here] and e.area in (None, area)
              for e in chosen_excl):
        reasons.add(("version_exclusion", None))
        before = [v for v in versions if v is not None and chosen_from is not None
                  and (v.valid_from is None or v.valid_from < chosen_from)]
        if not before:
            return out("not_in_force", reasons)
        v = max(before, key=lambda x: x.valid_from or Date.min)
        chosen_from, chosen_excl = v.valid_from, v.exclusions

    items: list[Decision | Exemption] = []
    for dec in world.decisions:
        if not dec.published or dec.municipality != mun or dec.area != area:
            continue
        if m is None:
            if not dec.scope.whole:
                continue
        else:
            if dec.scope.institutions is not None and m.institution not in dec.scope.institutions:
                continue
            if dec.scope.kinds is not None and m.kind not in dec.scope.kinds:
                continue
            reg = regime(world, dec.regime)
            if reg is not None and not reaches(world, reg, m):
                continue
        items.append(dec)
    for ex in world.exemptions:
        if ex.approved_on is not None and ex.municipality == mun and ex.area == area:
            items.append(ex)

    candidates: list[tuple[Decision | Exemption, str]] = []
    others = False
    for it in items:
        extent = None
        for node in up:
            for t in it.targets:
                if t.act == leaf.act and t.ref == node:
                    extent = t.extent
                    break
            if extent is not None:
                break
        if extent is None:
            continue
        st = state_of(world, it, d)
        if st != "holding":
            reasons.add((st, it.id))
            reg = regime(world, it.regime)
            if st == "regime_ended" and reg is not None and reg.run_off_note:
                reasons.add(("condition", None))
            others = True
            continue
        reg = regime(world, it.regime)
        mk = mark(world, reg, leaf.act, leaf.ref, mun, d) if reg is not None else None
        if mk == "deviable":
            candidates.append((it, extent))
            reasons.add(("exemption" if isinstance(it, Exemption) else "decision", it.id))
        elif mk == "guardrail":
            reasons.add(("guardrail", it.id))
            others = True
        else:
            reasons.add(("not_deviable", it.id))
            others = True
    if candidates:
        for it, _ in candidates:
            reg = regime(world, it.regime)
            if reg is not None and (reg.protected_groups or reg.general_guardrails):
                reasons.add(("condition", None))
        status = ("set_aside" if any(e == "whole" for _, e in candidates)
                  else "partially_set_aside")
        return out(status, reasons)
    if not others:
        reasons.add(("no_decision", None) if reach else ("not_covered", None))
    return out("applies", reasons)


def relevant(world: World, act_key: str, m: Membership) -> bool:
    for a in world.acts:
        if a.key == act_key:
            if m.area not in a.areas:
                return False
            if a.level == "municipal" and a.municipality != m.municipality:
                return False
            return a.kinds is None or m.kind in a.kinds
    return False


def institution_rules(world: World, inst: str, d: Date) -> list[Out]:
    m = membership_on(world, inst, d)
    if m is None:
        return []
    out = []
    for a in world.acts:
        if relevant(world, a.key, m):
            for leaf in all_leaves(world, a.key):
                out.append(verdict(world, leaf, m.municipality, m.area, d, m))
    return out


def municipality_status(world: World, mun: int, area: str, act: str, ref: str,
                        d: Date) -> Out:
    p = find(world, act, ref)
    assert p is not None
    return verdict(world, p, mun, area, d, None)


def national_exceptions(
    world: World, d: Date, institutions: list[str] | None = None
) -> set[tuple[int, str, str | None, str, str, str, frozenset[str]]]:
    """Every (municipality, area, institution or None, act, ref, status, ids) set aside.

    Institution rows: the institution's own verdict, when a decision with a list or kinds
    scope is among its candidates. ``institutions`` restricts the institution rows to a
    sample (the benchmark uses this at scale)."""
    rows = set()
    leaves = [p for a in world.acts for p in all_leaves(world, a.key)]
    areas = {a.key for a in world.areas} | {m.area for m in world.memberships}
    for mu in world.municipalities:
        for area in sorted(areas):
            for leaf in leaves:
                o = verdict(world, leaf, mu.code, area, d, None)
                if o.status in ("set_aside", "partially_set_aside"):
                    ids = frozenset(i for k, i in o.reasons
                                    if k in ("decision", "exemption") and i is not None)
                    rows.add((mu.code, area, None, leaf.act, leaf.ref, o.status, ids))
    whole = {x.id for x in world.decisions if x.scope.whole}
    for inst in (institutions if institutions is not None
                 else [i.id for i in world.institutions]):
        m = membership_on(world, inst, d)
        if m is None:
            continue
        for o in institution_rules(world, inst, d):
            ids = frozenset(i for k, i in o.reasons
                            if k in ("decision", "exemption") and i is not None)
            if o.status in ("set_aside", "partially_set_aside") and any(
                k == "decision" and i not in whole for k, i in o.reasons
            ):
                rows.add((m.municipality, m.area, inst, o.act, o.ref, o.status, ids))
    return rows
