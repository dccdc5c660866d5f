"""The catalogue and the register as the staff pages list them: regimes and their coverage
over time, provisions found by citation or words, decisions filtered, a municipality's own
rule sets and delegations. Read from the snapshot (the register as known at its record
time), never from the tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from frisat.engine import model as m
from frisat.law.citation import CitationError, canonical_ref, parse_citation
from frisat.registry.snapshot import Snapshot


@dataclass(frozen=True)
class RegimeChoice:
    key: str
    title: str
    ended: bool  # no coverage (of the municipality, or of anyone) lasts to the day asked


def regime_choices(snap: Snapshot, municipality: int | None, day: dt.date,
                   current: str = "", earlier: bool = False) -> list[RegimeChoice]:
    """The regimes a new decision can be made under on DAY: those whose coverage of the
    municipality (of any municipality when it is None) has not ended by then, future
    coverage included. CURRENT, a draft's regime, stays in the list, marked if ended.

    ``earlier``: registering a decision made earlier (the register does not know every
    decision of the schemes' years): every regime that has ever covered the municipality,
    the ended ones marked; the checks hold the decision to the regime's period."""
    place = [c for c in snap.world.coverage
             if municipality is None or c.municipality == municipality]
    running = {c.regime for c in place if c.valid_to is None or day < c.valid_to}
    offered = {c.regime for c in place} if earlier else running
    return [RegimeChoice(r.key, r.title, r.key not in running)
            for r in sorted(snap.world.regimes, key=lambda r: r.key)
            if r.key in offered or r.key == current]


def covered_municipalities(snap: Snapshot) -> list[tuple[int, str]]:
    """(code, name) of every municipality some regime has covered, by name."""
    codes = {c.municipality for c in snap.world.coverage}
    return sorted(((x.code, x.name) for x in snap.world.municipalities if x.code in codes),
                  key=lambda x: x[1])


def provision_text(snap: Snapshot, act: str, ref: str) -> str:
    """What a provision is about: its heading or summary, else its nearest ancestor's
    (``§ 14: Forældrebestyrelser …`` for ``§ 14, stk. 1``); "" when none is known."""
    nodes: dict[tuple[str, str], m.Provision] = snap.memo(
        "provisions-by-key", lambda: {p.key: p for p in snap.world.provisions})
    node, first = nodes.get((act, ref)), True
    while node is not None:
        text = node.heading or node.summary
        if text:
            return text if first else f"{node.ref}: {text}"
        node, first = (nodes.get((act, node.parent)) if node.parent else None), False
    return ""


@dataclass(frozen=True)
class RegimeHistory:
    regime: m.Regime
    coverage: list[tuple[m.Coverage, str]]  # every coverage record with the municipality
    listings: list[m.Listing]


def regime_histories(snap: Snapshot) -> list[RegimeHistory]:
    """Every regime with every coverage record as registered over time (an extension
    beside the period it extended) and its listings, guardrails after the deviable ones."""
    names = {x.code: x.name for x in snap.world.municipalities}
    coverage = sorted(snap.history("coverage"), key=lambda c: (
        c.municipality, c.area, c.valid_from, c.recorded_at))
    return [RegimeHistory(
        regime=r,
        coverage=[(c, names.get(c.municipality, "")) for c in coverage if c.regime == r.key],
        listings=sorted(r.listings, key=lambda li: li.mark != "deviable"))
        for r in sorted(snap.world.regimes, key=lambda r: r.key)]


def act_keys(snap: Snapshot) -> list[str]:
    return sorted(a.key for a in snap.world.acts)


def find_provisions(snap: Snapshot, q: str, act: str = "",
                    limit: int = 100) -> list[m.Provision]:
    """Provisions by citation (``dagtilbudsloven § 3``), by reference (``§ 3 a, stk. 2``),
    by the start of a citation or by words of their heading or summary; in the act's own
    order."""
    q = q.strip()
    if not q:
        return []
    rows = [p for p in snap.world.provisions if p.ref and (not act or p.act == act)]
    try:
        c = parse_citation(q) if not q.startswith("§") else None
    except CitationError:
        c = None
    if c is not None and any(a.key == c.act for a in snap.world.acts):
        hits = [p for p in rows if p.act == c.act and p.ref.startswith(c.ref)]
    elif q.startswith(("§", "kapitel", "afsnit")):
        try:
            ref = canonical_ref(q)
        except CitationError:
            ref = q
        hits = [p for p in rows if p.ref.startswith(ref)]
    else:
        # words of the heading or summary, or the start of a citation being typed
        # ("dagtilbudsloven § 23, stk" before the number)
        words = " ".join(q.casefold().split())
        hits = [p for p, text, citation in _searchable(snap)
                if (not act or p.act == act) and (words in text or citation.startswith(words))]
    return sorted(hits, key=lambda p: (p.act, p.order))[:limit]


def _searchable(snap: Snapshot) -> list[tuple[m.Provision, str, str]]:
    """Each provision with its summary and heading, and its citation, casefolded once per
    snapshot (the picker asks at every keystroke)."""
    return snap.memo("provisions-searchable", lambda: [
        (p, f"{p.summary.casefold()}\n{p.heading.casefold()}", p.citation.casefold())
        for p in snap.world.provisions if p.ref])


def decision_titles(snap: Snapshot, ids: list[str]) -> dict[str, str]:
    wanted = set(ids)
    return {d.id: d.title for d in snap.world.decisions if d.id in wanted}


def decisions(snap: Snapshot, *, municipality: int | None = None, area: str = "",
              provision: str = "", date: dt.date | None = None,
              invalid: bool = False) -> list[m.Decision]:
    """The register's decisions (published ones), filtered: of a municipality, an area,
    targeting a provision or a node under it, in effect on a date. ``invalid``: a filter
    could not be read, so nothing matches."""
    if invalid:
        return []
    target: tuple[str, str] | None = None
    if provision:
        try:
            c = parse_citation(provision)
        except CitationError:
            return []
        target = (c.act, c.ref)
    out = []
    for d in snap.world.decisions:
        if municipality is not None and d.municipality != municipality:
            continue
        if area and d.area != area:
            continue
        if target and not any(t.act == target[0] and t.ref.startswith(target[1])
                              for t in d.targets):
            continue
        if date and not (d.effective_from <= date
                         and (d.effective_to is None or date < d.effective_to)):
            continue
        out.append(d)
    return sorted(out, key=lambda d: (d.municipality, d.id))


def municipality_names(snap: Snapshot) -> dict[int, str]:
    return {x.code: x.name for x in snap.world.municipalities}


def own_rules(snap: Snapshot, code: int | None) -> dict[str, Any]:
    """A municipality's own acts, and the delegations, kept rule sets and repeals it
    registered."""
    acts = sorted((a for a in snap.world.acts if a.level == "municipal"
                   and a.municipality == code), key=lambda a: a.key)
    own = {a.key for a in acts}
    return {
        "acts": acts,
        "delegations": [x for x in snap.world.delegations if x.municipality == code],
        "kept": [x for x in snap.world.kept if x.municipality == code],
        "repeals": [x for x in snap.world.repeals if x.act in own],
    }
