"""The applicability engine (SEMANTICS §2, §3, §6): verdicts with reasons.

Pure Python over a ``World`` view (``World.known_at(K)``). Indexes are built once in
``Engine.__init__``; a question then costs what it touches:

* ``institution_rules``: the relevant leaves × their depth, plus the decisions of the
  institution's municipality and area;
* ``national``: the decisions in force × the leaves under their targets × the institutions
  in their scope (see ``national.py``).

The plain, literal reading of the same rules lives in ``tests/engine/reference.py`` and
the two are compared on random worlds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from frisat.engine import texts as tx
from frisat.engine.listing import Listings
from frisat.engine.model import (
    Act,
    Completeness,
    ConditionScope,
    Coverage,
    Date,
    Decision,
    Dependency,
    Exemption,
    Institution,
    Listing,
    Membership,
    Municipality,
    Provision,
    Regime,
    Repeal,
    Target,
    Version,
    World,
    corrected,
    in_interval,
)
from frisat.engine.reasons import EMPTY, Lexicon, Reason
from frisat.engine.reasons import frozen as _frozen
from frisat.engine.tree import Key, Tree

STATUSES = ("applies", "set_aside", "partially_set_aside", "not_in_force", "unknown")
REASON_KINDS = (
    "decision", "exemption", "guardrail", "not_deviable", "no_decision", "not_covered",
    "regime_ended", "not_yet_effective", "expired", "revoked", "version_exclusion",
    "condition", "repealed", "consequential", "decisions_incomplete",
)


class UnknownRecord(LookupError):
    """An unknown institution, municipality, act, provision or decision."""

    code = "not_found"


def _decisive(c: tuple[Item, Target]) -> tuple[bool, int, str]:
    """The order of candidates: whole before partial, the latest start first, then id."""
    return (c[1].extent != "whole", -c[0].start.toordinal(), c[0].id)


def _record_key(it: Item) -> str:
    return "exemption" if it.exemption is not None else "decision"


class NotAnswerable(ValueError):
    """A question the model gives no verdict for: a provision outside the area's acts
    (``not_relevant``) or a node that is not a leaf (``not_leaf``)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Verdict:
    act: str
    ref: str
    level: str
    status: str
    guardrail: bool
    because: tuple[Reason, ...]
    heading: str = ""
    summary: str = ""

    @property
    def citation(self) -> str:
        return f"{self.act} {self.ref}".strip()

    def to_json(self, lang: str = "da", asked: Date | None = None) -> dict[str, object]:
        """The verdict in the answers' JSON shape; dated reasons speak of ``asked``."""
        out: dict[str, object] = {
            "citation": self.citation,
            "act": self.act,
            "ref": self.ref,
            "level": self.level,
            "status": self.status,
            "guardrail": self.guardrail,
            "because": [r.to_json(lang, asked) for r in self.because],
        }
        if self.heading:
            out["heading"] = self.heading
        if self.summary:
            out["summary"] = self.summary
        return out

    def decision_ids(self) -> tuple[str, ...]:
        """Ids of the decisions/exemptions that set the leaf aside, most decisive first."""
        return tuple(
            r.record_id for r in self.because
            if r.kind in ("decision", "exemption") and r.record_id is not None
        )

    def consequence_ids(self) -> tuple[str, ...]:
        """Ids of the records that set aside what the leaf depends on (a consequence)."""
        return tuple(str(i) for r in self.because if r.kind == "consequential"
                     for i in r.data.get("decisions", ()))  # type: ignore[attr-defined]

    @property
    def has_partial_scope_candidate(self) -> bool:
        """Whether a decision with a list or kinds scope sets the leaf (or, for a
        consequence, what it depends on) aside."""
        return any(r.kind == "decision" and r.data.get("scope") != "whole" for r in self.because)


# --------------------------------------------------------------------------- contexts


@dataclass
class Item:
    """A published decision or approved exemption of one municipality and area, with its
    state on the question's date."""

    decision: Decision | None
    exemption: Exemption | None
    regime: Regime | None
    regime_key: str
    state: str  # holding | revoked | not_yet_effective | expired | regime_ended | not_covered
    targets: tuple[Target, ...]
    whole_scope: bool
    revoked_by: str | None = None
    revoked_from: Date | None = None
    regime_end: Date | None = None

    @property
    def id(self) -> str:
        if self.decision is not None:
            return self.decision.id
        assert self.exemption is not None
        return self.exemption.id

    @property
    def start(self) -> Date:
        if self.decision is not None:
            return self.decision.effective_from
        assert self.exemption is not None
        return self.exemption.valid_from


@dataclass
class Ctx:
    """A question's context: municipality, area, date, who is covered and which items."""

    municipality: int
    area: str
    d: Date
    covering: dict[str, Regime]  # regimes covering (municipality, area) on d
    items: list[Item]
    reach: dict[str, Regime] = field(default_factory=dict)  # covering regimes reaching the unit
    not_reached: dict[str, str] = field(default_factory=dict)  # regime -> why not (kind/private)
    institution: Institution | None = None
    membership: Membership | None = None
    index: dict[Key, list[tuple[Item, Target]]] = field(default_factory=dict)
    # reasons shared by many leaves of this question (built once)
    reasons: dict[object, Reason] = field(default_factory=dict)
    # per node: the records that set it wholly aside, or None (a consequence's trigger)
    wholly: dict[Key, tuple[str, ...] | None] = field(default_factory=dict)

    def build_index(self) -> None:
        idx: dict[Key, list[tuple[Item, Target]]] = {}
        for it in self.items:
            for t in it.targets:
                idx.setdefault((t.act, t.ref), []).append((it, t))
        self.index = idx

    def for_municipality(self) -> Ctx:
        c = Ctx(self.municipality, self.area, self.d, self.covering,
                [it for it in self.items if it.whole_scope], reach=dict(self.covering))
        c.build_index()
        return c


# --------------------------------------------------------------------------- engine


class Engine:
    """Answers SEMANTICS §3 questions over one world view."""

    def __init__(self, world: World) -> None:
        if world.corrections:  # a view from known_at has them applied already (idempotent)
            world = world.with_(decisions=corrected(world.decisions, world.corrections))
        self.world = world
        self.municipalities: dict[int, Municipality] = {m.code: m for m in world.municipalities}
        self.areas = {a.key for a in world.areas}
        self.institutions: dict[str, Institution] = {i.id: i for i in world.institutions}
        self.acts: dict[str, Act] = {a.key: a for a in world.acts}
        self.act_order: dict[str, int] = {a.key: i for i, a in enumerate(world.acts)}
        self.regimes: dict[str, Regime] = {r.key: r for r in world.regimes}
        self.tree = Tree(world.provisions, self.acts)
        self.listings = Listings(self.regimes, self.tree, self.acts)
        self.lex = Lexicon(world)
        self.memo: dict[object, object] = {}  # derived answers of this view (timeline.py)
        self._conditions_memo: dict[object, list[Reason]] = {}
        self.condition_scopes: dict[tuple[str, str], ConditionScope] = {
            (x.regime, x.text): x for x in world.condition_scopes}

        self.memberships: dict[str, list[Membership]] = {}
        self.members_by_area: dict[tuple[int, str], list[Membership]] = {}
        for ms in world.memberships:
            self.memberships.setdefault(ms.institution, []).append(ms)
            self.members_by_area.setdefault((ms.municipality, ms.area), []).append(ms)
        for lst in self.memberships.values():
            lst.sort(key=lambda x: (x.valid_from or Date.min))

        self.coverage: dict[tuple[int, str], list[Coverage]] = {}
        self.coverage_by_regime: dict[str, list[Coverage]] = {}
        self.coverage_rma: dict[tuple[str, int, str], list[Coverage]] = {}
        for c in world.coverage:
            self.coverage.setdefault((c.municipality, c.area), []).append(c)
            self.coverage_by_regime.setdefault(c.regime, []).append(c)
            self.coverage_rma.setdefault((c.regime, c.municipality, c.area), []).append(c)

        self.decisions: dict[str, Decision] = {}
        self.decisions_by_area: dict[tuple[int, str], list[Decision]] = {}
        self.revoked: dict[str, tuple[Date, str]] = {}
        for dec in world.decisions:
            self.decisions[dec.id] = dec
            if not dec.published:
                continue
            self.decisions_by_area.setdefault((dec.municipality, dec.area), []).append(dec)
            for r in dec.revokes:
                cur = self.revoked.get(r)
                if cur is None or (dec.effective_from, dec.id) < cur:
                    self.revoked[r] = (dec.effective_from, dec.id)
        self.exemptions: dict[str, Exemption] = {e.id: e for e in world.exemptions}
        self.exemptions_by_area: dict[tuple[int, str], list[Exemption]] = {}
        for e in world.exemptions:
            if e.approved_on is not None:
                self.exemptions_by_area.setdefault((e.municipality, e.area), []).append(e)

        self.versions: dict[Key, list[Version]] = {}
        for v in world.versions:
            self.versions.setdefault((v.act, v.ref), []).append(v)
        for lst2 in self.versions.values():
            lst2.sort(key=lambda v: (v.valid_from or Date.min))
        self.repeals: dict[Key, list[Repeal]] = {}
        for rp in world.repeals:
            self.repeals.setdefault((rp.act, rp.ref), []).append(rp)
        self.dependencies: dict[Key, list[Dependency]] = {}
        self.depends_on: dict[Key, list[Dependency]] = {}
        for dep in world.dependencies:
            self.dependencies.setdefault((dep.act, dep.ref), []).append(dep)
            for node in dep.on:
                self.depends_on.setdefault(node, []).append(dep)
        self.completeness_of: dict[tuple[int, str], list[Completeness]] = {}
        for known in world.completeness:
            self.completeness_of.setdefault((known.municipality, known.area), []).append(known)

    # ------------------------------------------------------------------ tree helpers

    def leaves(self, act: str) -> list[Provision]:
        if not self.tree.has_act(act) or act not in self.acts and not self.tree.leaves(act):
            raise UnknownRecord(f"Ukendt lov: {act}")
        return self.tree.leaves(act)

    def children(self, act: str, ref: str = "") -> list[Provision]:
        self._node(act, ref)
        return list(self.tree.children[(act, ref)])

    def ancestors(self, act: str, ref: str) -> list[Provision]:
        """The node's ancestors, nearest first, ending with the act root (not the node)."""
        self._node(act, ref)
        return [self.tree.nodes[k] for k in self.tree.ancestors(act, ref)[1:]]

    def provision(self, act: str, ref: str) -> Provision:
        return self._node(act, ref)

    def _node(self, act: str, ref: str) -> Provision:
        if act not in self.acts and not self.tree.has_act(act):
            raise UnknownRecord(f"Ukendt lov: {act}")
        p = self.tree.nodes.get((act, ref))
        if p is None:
            raise UnknownRecord(f"Ukendt bestemmelse: {act} {ref}".strip())
        return p

    def mark(self, regime_key: str, act: str, ref: str,
             municipality: int | None = None, d: Date | None = None) -> str | None:
        """Most-specific listing of (act, ref) under the regime: deviable, guardrail or None.

        With ``municipality``, a municipal act owned by it is always ``deviable``; with D,
        only the listings valid on D count (without D: any listing ever made, a guardrail
        winning — for checks that span a regime's life, never for an answer on a date)."""
        return self.listings.mark(regime_key, act, ref, municipality, d)[0]

    def standing(self, regime_key: str, act: str, ref: str, d: Date,
                 municipality: int | None = None) -> tuple[str | None, Listing | None]:
        """Whether (act, ref) may be set aside under the regime on D: ``deviable``,
        ``guardrail`` or None, with the listing that decides (None where the regime's shape
        decides: all but guardrails). The one answer to "deviable or guardrail on date D"
        that the verdicts, ``frisat provisions``, the API and the portal all use: only the
        listings valid on D count (folkeskoleloven § 13, stk. 3 became a guardrail only in
        2022)."""
        mark, node = self.listings.mark(regime_key, act, ref, municipality, d)
        return mark, self.listings.listing_at(regime_key, node, d, municipality)

    # ------------------------------------------------------------------ membership & scope

    def membership(self, institution_id: str, d: Date) -> Membership | None:
        if institution_id not in self.institutions and institution_id not in self.memberships:
            raise UnknownRecord(f"Ukendt institution: {institution_id}")
        best = None
        for m in self.memberships.get(institution_id, ()):
            if in_interval(d, m.valid_from, m.valid_to):
                best = m
        return best

    def memberships_of(self, institution_id: str) -> list[Membership]:
        """The institution's memberships, earliest first."""
        return list(self.memberships.get(institution_id, ()))

    def members_on(self, mun: int, area: str, d: Date) -> list[Membership]:
        by_inst: dict[str, Membership] = {}
        for m in self.members_by_area.get((mun, area), ()):
            if in_interval(d, m.valid_from, m.valid_to):
                cur = by_inst.get(m.institution)
                if cur is None or (m.valid_from or Date.min) >= (cur.valid_from or Date.min):
                    by_inst[m.institution] = m
        return list(by_inst.values())

    def scope_institutions(self, decision: Decision, d: Date) -> list[str]:
        """Institutions a non-whole scope names or reaches by kind, in its area on d."""
        sc = decision.scope
        if sc.institutions is not None:
            return list(dict.fromkeys(sc.institutions))
        if sc.kinds is not None:
            return [m.institution
                    for m in self.members_on(decision.municipality, decision.area, d)
                    if m.kind in sc.kinds]
        return [m.institution
                for m in self.members_on(decision.municipality, decision.area, d)]

    def _reaches(self, regime: Regime, m: Membership, inst: Institution | None) -> str | None:
        """None when the regime reaches the institution, else why not (kind / private)."""
        if regime.kinds is not None and m.kind not in regime.kinds:
            return "kind"
        if regime.private_requires_request and m.provider == "private":
            requested = inst.requested if inst is not None else ()
            if regime.key not in requested:
                return "private"
        return None

    @staticmethod
    def _in_scope(dec: Decision, inst_id: str, m: Membership) -> bool:
        if dec.municipality != m.municipality or dec.area != m.area:
            return False
        sc = dec.scope
        if sc.institutions is not None and inst_id not in sc.institutions:
            return False
        return not (sc.kinds is not None and m.kind not in sc.kinds)

    # ------------------------------------------------------------------ coverage & states

    def covers(self, regime_key: str, mun: int, area: str, d: Date) -> bool:
        return any(in_interval(d, c.valid_from, c.valid_to)
                   for c in self.coverage_rma.get((regime_key, mun, area), ()))

    def covering(self, mun: int, area: str, d: Date) -> dict[str, Regime]:
        out: dict[str, Regime] = {}
        for c in self.coverage.get((mun, area), ()):
            if in_interval(d, c.valid_from, c.valid_to) and c.regime in self.regimes:
                out[c.regime] = self.regimes[c.regime]
        return out

    def _regime_gap_state(self, regime_key: str, mun: int, area: str,
                          d: Date) -> tuple[str, Date | None]:
        """Why a regime does not cover on d: ended (with the end) or not covered."""
        ends = [c.valid_to for c in self.coverage_rma.get((regime_key, mun, area), ())
                if c.valid_to is not None and c.valid_to <= d]
        if ends:
            return "regime_ended", max(ends)
        return "not_covered", None

    def _decision_item(self, dec: Decision, d: Date) -> Item:
        regime = self.regimes.get(dec.regime)
        item = Item(dec, None, regime, dec.regime, "holding", dec.targets, dec.scope.whole)
        rev = self.revoked.get(dec.id)
        if rev is not None:
            item.revoked_from, item.revoked_by = rev
        if rev is not None and rev[0] <= d:
            item.state = "revoked"
        elif d < dec.effective_from:
            item.state = "not_yet_effective"
        elif dec.effective_to is not None and d >= dec.effective_to:
            item.state = "expired"
        elif not self.covers(dec.regime, dec.municipality, dec.area, d):
            item.state, item.regime_end = self._regime_gap_state(
                dec.regime, dec.municipality, dec.area, d)
        return item

    def _exemption_item(self, ex: Exemption, d: Date) -> Item:
        regime = self.regimes.get(ex.regime)
        item = Item(None, ex, regime, ex.regime, "holding", ex.targets, True)
        if d < ex.valid_from:
            item.state = "not_yet_effective"
        elif ex.valid_to is not None and d >= ex.valid_to:
            item.state = "expired"
        elif not self.covers(ex.regime, ex.municipality, ex.area, d):
            item.state, item.regime_end = self._regime_gap_state(
                ex.regime, ex.municipality, ex.area, d)
        return item

    def decision_state(self, decision_id: str, d: Date) -> str:
        """in_force | future | ended | revoked (``draft`` for an unpublished decision)."""
        dec = self.decisions.get(decision_id)
        if dec is None:
            raise UnknownRecord(f"Ukendt beslutning: {decision_id}")
        if not dec.published:
            return "draft"
        st = self._decision_item(dec, d).state
        if st == "holding":
            return "in_force"
        if st == "revoked":
            return "revoked"
        if st == "not_yet_effective":
            return "future"
        if st == "not_covered" and any(
            c.valid_from > d
            for c in self.coverage_rma.get((dec.regime, dec.municipality, dec.area), ())
        ):
            return "future"
        return "ended"

    def mun_area_keys(self) -> set[tuple[int, str]]:
        return set(self.decisions_by_area) | set(self.exemptions_by_area)

    def area_context(self, mun: int, area: str, d: Date) -> Ctx:
        items = [self._decision_item(x, d) for x in self.decisions_by_area.get((mun, area), ())]
        items += [self._exemption_item(e, d) for e in self.exemptions_by_area.get((mun, area), ())]
        return Ctx(mun, area, d, self.covering(mun, area, d), items)

    def institution_context(self, institution_id: str, d: Date,
                            area_ctx: Ctx | None = None) -> Ctx | None:
        m = self.membership(institution_id, d)
        if m is None:
            return None
        if area_ctx is None or (area_ctx.municipality, area_ctx.area) != (m.municipality,
                                                                          m.area):
            area_ctx = self.area_context(m.municipality, m.area, d)
        inst = self.institutions.get(institution_id)
        reach: dict[str, Regime] = {}
        why: dict[str, str] = {}
        for k, r in area_ctx.covering.items():
            w = self._reaches(r, m, inst)
            if w is None:
                reach[k] = r
            else:
                why[k] = w
        items = []
        for it in area_ctx.items:
            if it.decision is not None:
                if not self._in_scope(it.decision, institution_id, m):
                    continue
                if it.regime is not None and self._reaches(it.regime, m, inst) is not None:
                    continue
            items.append(it)
        ctx = Ctx(m.municipality, m.area, d, area_ctx.covering, items, reach, why, inst, m)
        ctx.build_index()
        return ctx

    def relevant(self, act_key: str, ctx: Ctx) -> bool:
        """SEMANTICS §3.1: the act governs the unit's area (and kind, where it says so);
        a municipal rule set only governs its own municipality."""
        a = self.acts.get(act_key)
        if a is None:
            return False
        if ctx.area not in a.areas:
            return False
        if a.level == "municipal" and a.municipality != ctx.municipality:
            return False
        return not (a.kinds is not None and ctx.membership is not None
                    and ctx.membership.kind not in a.kinds)

    # ------------------------------------------------------------------ questions

    def institution_rules(self, institution_id: str, d: Date) -> list[Verdict]:
        """Every leaf relevant to the institution on d, acts in catalogue order, leaves in
        the act's order. An institution not open on d has no rules: ``[]``."""
        ctx = self.institution_context(institution_id, d)
        if ctx is None:
            return []
        out: list[Verdict] = []
        for a in self.world.acts:
            if not self.relevant(a.key, ctx):
                continue
            for leaf in self.tree.leaves(a.key):
                out.append(self.judge(leaf, ctx))
        return out

    def leaf_verdict(self, institution_id: str, act: str, ref: str, d: Date) -> Verdict:
        p = self._node(act, ref)
        ctx = self.institution_context(institution_id, d)
        if ctx is None:
            raise UnknownRecord(
                f"Institutionen {institution_id} hører ikke til en kommune den {d.isoformat()}")
        return self.judge(p, ctx)

    def municipality_status(self, municipality: int, area: str, act: str, ref: str,
                            d: Date) -> Verdict:
        if municipality not in self.municipalities:
            raise UnknownRecord(f"Ukendt kommune: {municipality}")
        if self.areas and area not in self.areas:
            raise UnknownRecord(f"Ukendt område: {area}")
        p = self._node(act, ref)
        ctx = self.area_context(municipality, area, d).for_municipality()
        if not self.relevant(act, ctx):
            raise NotAnswerable("not_relevant",
                                f"{p.citation} hører ikke under området {area} i kommune "
                                f"{municipality}")
        if self.tree.children[p.key]:
            leaves = self.tree.leaves_under(act, ref)
            sample = ", ".join(lf.citation for lf in leaves[:5])
            raise NotAnswerable("not_leaf",
                                f"{p.citation} har underpunkter; spørg til et af dem, fx "
                                f"{sample}{' …' if len(leaves) > 5 else ''}")
        return self.judge(p, ctx)

    # ------------------------------------------------------------------ the verdict

    def _versions_for(self, leaf: Provision) -> list[Version]:
        for k in self.tree.ancestors(leaf.act, leaf.ref) or (leaf.key,):
            vs = self.versions.get(k)
            if vs:
                return vs
        a = self.acts.get(leaf.act)
        return [Version(leaf.act, leaf.ref, a.valid_from if a else None, None)]

    def _repeal(self, leaf: Provision, d: Date) -> Repeal | None:
        best: Repeal | None = None
        for k in self.tree.ancestors(leaf.act, leaf.ref):
            for rp in self.repeals.get(k, ()):
                if rp.valid_from <= d and (best is None or rp.valid_from < best.valid_from):
                    best = rp
        return best

    def judge(self, leaf: Provision, ctx: Ctx) -> Verdict:
        d = ctx.d
        a = self.acts.get(leaf.act)
        level = a.level if a else "state"

        def verdict(status: str, guard: bool, because: list[Reason]) -> Verdict:
            return Verdict(leaf.act, leaf.ref, level, status, guard, tuple(because),
                           leaf.heading, leaf.summary)

        guard = any(
            self.listings.mark(k, leaf.act, leaf.ref, ctx.municipality, d)[0] == "guardrail"
            for k in ctx.reach
        )
        rp = self._repeal(leaf, d)
        if rp is not None:
            return verdict("not_in_force", guard, [self._r_repealed(leaf, rp, ctx)])

        # SEMANTICS §3.2: the version valid on d, exclusions → the latest earlier version
        versions = self._versions_for(leaf)
        chosen = None
        for v in versions:
            if in_interval(d, v.valid_from, v.valid_to):
                chosen = v
        if chosen is None:
            return verdict("not_in_force", guard, [self._r_no_version(leaf, versions, d)])
        version_reasons: list[Reason] = []
        while True:
            excl = [e for e in chosen.exclusions
                    if e.regime in ctx.covering and (e.area is None or e.area == ctx.area)]
            if not excl:
                break
            cur = chosen
            earlier = [v for v in versions
                       if cur.valid_from is not None
                       and (v.valid_from is None or v.valid_from < cur.valid_from)]
            chosen = earlier[-1] if earlier else None
            version_reasons.append(self._r_exclusion(leaf, cur, excl[0], chosen, ctx))
            if chosen is None:
                return verdict("not_in_force", guard, version_reasons)

        # SEMANTICS §3.3: candidates (each item once, by its most specific target)
        found: dict[int, tuple[Item, Target]] = {}
        for node in self.tree.ancestors(leaf.act, leaf.ref):
            for it, t in ctx.index.get(node, ()):
                if id(it) not in found:
                    found[id(it)] = (it, t)
        candidates: list[tuple[Item, Target]] = []
        pending: list[tuple[Item, Target]] = []  # a condition the register does not know met
        permissions: list[Reason] = []  # the conditions of the deviations that count
        blocked: list[Reason] = []  # guardrail / not_deviable / condition not met
        states: list[Reason] = []
        run_off: dict[str, Reason] = {}
        for it, t in found.values():
            if it.state != "holding":
                states.append(self._r_state(it, ctx))
                if it.state == "regime_ended" and it.regime is not None \
                        and it.regime.run_off_note and it.regime_key not in run_off:
                    run_off[it.regime_key] = self._r_run_off(it.regime)
                continue
            # SEMANTICS §3.3: a decision or an exemption counts only where p is deviable
            mk, node_key = self.listings.mark(it.regime_key, leaf.act, leaf.ref,
                                              ctx.municipality, d)
            if mk == "guardrail":
                blocked.append(self._r_guardrail(it, t, node_key, leaf))
                continue
            if mk != "deviable":
                blocked.append(self._r_not_deviable(it, t, leaf))
                continue
            listing = self.listings.listing_at(it.regime_key, node_key, d, ctx.municipality)
            if listing is not None and listing.part and t.extent == "whole":
                # only part of the node may be set aside: a whole target sets that part aside
                t = Target(t.act, t.ref, "partial", t.note or f"Kun {listing.part}",
                           t.condition_met)
            if listing is not None and listing.condition:
                permission = self._r_permission(it, t, listing)
                if t.condition_met is False:
                    blocked.append(permission)
                    continue
                permissions.append(permission)
                if t.condition_met is None:
                    pending.append((it, t))
                    continue
            candidates.append((it, t))

        # SEMANTICS §3.4: status
        candidates.sort(key=_decisive)
        pending.sort(key=_decisive)
        blocked.sort(key=lambda r: (r.kind != "guardrail", str(r.record_id)))
        states.sort(key=lambda r: (r.kind, str(r.record_id)))
        rest = blocked + states + list(run_off.values())
        because: list[Reason] = []
        if candidates:
            status = "set_aside" if any(t.extent == "whole" for _, t in candidates) \
                else "partially_set_aside"
            because += [self._r_candidate(it, t, ctx) for it, t in candidates]
            seen_regimes: list[str] = []
            for it, _ in candidates:
                if it.regime is not None and it.regime_key not in seen_regimes:
                    seen_regimes.append(it.regime_key)
                    because += self._r_conditions(it.regime, leaf, d)
            because += permissions + rest
        elif pending:  # set aside if a condition was met, which the register does not know
            status = "unknown"
            because += [self._r_candidate(it, t, ctx) for it, t in pending]
            because += permissions + rest
        elif (consequence := self._r_consequence(leaf, ctx)) is not None:
            status = "set_aside" if consequence.data["extent"] == "whole" \
                else "partially_set_aside"
            because += [consequence, *rest]
        else:
            status = "applies"
            because += rest
            # SEMANTICS §3.4: a known decision that does not hold on D says nothing of the
            # decisions the register does not know
            reason = self._r_coverage(ctx, leaf)
            if reason.kind == "decisions_incomplete":
                status = "unknown"  # the reason for "unknown" goes before the known records
                because.insert(0 if blocked or states else len(because), reason)
            elif not blocked and not states:
                because.append(reason)
        because += version_reasons
        return verdict(status, guard, because)

    def wholly_set_aside(self, act: str, ref: str, ctx: Ctx) -> tuple[str, ...] | None:
        """The records that set every leaf at or under the node aside wholly for the unit on
        D (a consequence's trigger), or None when some leaf is not set aside wholly. Leaves
        not in force on D are passed over; at least one must be in force."""
        key = (act, ref)
        if key in ctx.wholly:
            return ctx.wholly[key]
        ctx.wholly[key] = None  # while it is judged: a circle of dependencies answers no
        leaves = self.tree.leaves_under(act, ref)
        ids: dict[str, None] = {}
        in_force = 0
        for leaf in leaves:
            v = self.judge(leaf, ctx)
            if v.status == "not_in_force":  # a leaf not in force on D does not apply anyway
                continue
            if v.status != "set_aside":
                return None
            in_force += 1
            ids.update(dict.fromkeys(v.decision_ids() or v.consequence_ids()))
        got = tuple(ids) if in_force else None
        ctx.wholly[key] = got
        return got

    def dependents(self, keys: Iterable[Key], d: Date) -> list[Provision]:
        """The leaves that may not apply as a consequence of the given nodes being set aside
        (dependencies on them or on a node above them, valid on D)."""
        out: dict[Key, Provision] = {}
        for k in keys:
            for node in self.tree.ancestors(*k):
                for dep in self.depends_on.get(node, ()):
                    if in_interval(d, dep.valid_from, dep.valid_to):
                        for leaf in self.tree.leaves_under(dep.act, dep.ref):
                            out.setdefault(leaf.key, leaf)
        return list(out.values())

    def dependencies_of(self, leaf: Provision, d: Date) -> list[Dependency]:
        """The dependencies, valid on D, of the leaf or a node above it."""
        return [dep for node in self.tree.ancestors(leaf.act, leaf.ref)
                for dep in self.dependencies.get(node, ())
                if in_interval(d, dep.valid_from, dep.valid_to)]

    def completeness(self, mun: int, area: str, d: Date) -> Completeness | None:
        """What the register knows of the municipality's decisions in the area on D."""
        best = None
        for c in self.completeness_of.get((mun, area), ()):
            if in_interval(d, c.valid_from, c.valid_to) and (
                    best is None or (c.valid_from or Date.min) >= (best.valid_from or Date.min)):
                best = c
        return best

    # ------------------------------------------------------------------ reasons
    # Each builds a reason's data; its sentence is rendered only when read (reasons.py).

    def _reason(self, kind: str, data: Mapping[str, object],
                **hidden: object) -> Reason:
        return Reason(kind, _frozen(data), self.lex, _frozen(hidden) if hidden else EMPTY)

    def _r_candidate(self, it: Item, t: Target, ctx: Ctx) -> Reason:
        # the same (decision, target) sets many leaves aside: one reason object for all
        key = (id(it), t)
        got = ctx.reasons.get(key)
        if got is None:
            got = ctx.reasons[key] = self._build_candidate(it, t)
        return got

    def _build_candidate(self, it: Item, t: Target) -> Reason:
        legal_basis = it.regime.legal_basis if it.regime else ""
        if it.exemption is not None:
            ex = it.exemption
            data: dict[str, object] = {
                "exemption": ex.id, "regime": ex.regime, "legal_basis": legal_basis,
                "exemption_basis": ex.legal_basis, "municipality": ex.municipality,
                "area": ex.area, "approved_on": tx.iso(ex.approved_on),
                "from": tx.iso(ex.valid_from), "to": tx.iso(ex.valid_to),
                "target": t.citation, "extent": t.extent,
            }
            if t.note:
                data["note"] = t.note
            if ex.source_url:
                data["source_url"] = ex.source_url
            return self._reason("exemption", data)
        dec = it.decision
        assert dec is not None
        inst_name = self.lex.institution_name(dec.decided_by.institution)
        scope = "whole" if dec.scope.whole else (
            "institutions" if dec.scope.institutions is not None else "kinds")
        data = {
            "decision": dec.id, "regime": dec.regime, "legal_basis": legal_basis,
            "municipality": dec.municipality, "area": dec.area,
            "body": dec.decided_by.body, "body_text": tx.body_da(dec.decided_by, inst_name),
            "decided_on": tx.iso(dec.decided_on), "published_on": tx.iso(dec.published_on),
            "effective_from": tx.iso(dec.effective_from),
            "effective_to": tx.iso(dec.effective_to), "date_precision": dec.date_precision,
            "target": t.citation, "extent": t.extent, "scope": scope,
        }
        if dec.decided_by.name:
            data["body_name"] = dec.decided_by.name
        if dec.decided_by.institution:
            data["body_institution"] = dec.decided_by.institution
        if t.note:
            data["note"] = t.note
        if t.source_words:  # the register's own mapping of the source's words
            data["source_words"] = t.source_words
        if dec.replacement:
            data["replacement"] = dec.replacement
        if dec.source_url:
            data["source_url"] = dec.source_url
        if dec.example:
            data["example"] = True
        return self._reason("decision", data)

    def _r_conditions(self, regime: Regime, leaf: Provision, d: Date) -> list[Reason]:
        """The regime's protected groups and general guardrails that concern the leaf on D
        (SEMANTICS §3.5; a text without a scope concerns every set-aside)."""
        path = self.tree.ancestors(leaf.act, leaf.ref) or (leaf.key,)

        def concerns(text: str) -> bool:
            scope = self.condition_scopes.get((regime.key, text))
            return scope is None or scope.holds(path, d)

        groups = tuple(g for g in regime.protected_groups if concerns(g))
        guards = tuple(g for g in regime.general_guardrails if concerns(g))
        memo = (regime.key, groups, guards)
        got = self._conditions_memo.get(memo)
        if got is None:
            got = self._conditions_memo[memo] = [
                *(self._reason("condition", {"regime": regime.key,
                                             "condition": "protected_group", "value": g})
                  for g in groups),
                *(self._reason("condition", {"regime": regime.key,
                                             "condition": "general_guardrail", "value": g})
                  for g in guards)]
        return got

    def _r_run_off(self, regime: Regime) -> Reason:
        return self._reason("condition", {"regime": regime.key, "condition": "run_off",
                                          "value": regime.run_off_note or ""})

    def _r_guardrail(self, it: Item, t: Target, node: Key | None, leaf: Provision) -> Reason:
        node_cit = f"{node[0]} {node[1]}".strip() if node else leaf.citation
        return self._reason("guardrail", {_record_key(it): it.id, "regime": it.regime_key,
                                          "guardrail_node": node_cit, "target": t.citation})

    def _r_not_deviable(self, it: Item, t: Target, leaf: Provision) -> Reason:
        return self._reason("not_deviable", {_record_key(it): it.id, "regime": it.regime_key,
                                             "target": t.citation}, citation=leaf.citation)

    def _r_state(self, it: Item, ctx: Ctx) -> Reason:
        data: dict[str, object] = {_record_key(it): it.id, "regime": it.regime_key}
        if it.state == "revoked":
            data.update(revoked_by=it.revoked_by, revoked_from=tx.iso(it.revoked_from))
            return self._reason("revoked", data)
        if it.state == "not_yet_effective":
            data["effective_from"] = tx.iso(it.start)
            return self._reason("not_yet_effective", data)
        if it.state == "expired":
            end = it.decision.effective_to if it.decision else (
                it.exemption.valid_to if it.exemption else None)
            data["effective_to"] = tx.iso(end)
            return self._reason("expired", data)
        if it.state == "regime_ended":
            data["regime_end"] = tx.iso(it.regime_end)
            return self._reason("regime_ended", data)
        return self._reason("not_covered", data, date=ctx.d)

    def _r_permission(self, it: Item, t: Target, listing: Listing) -> Reason:
        return self._reason("condition", {
            _record_key(it): it.id, "regime": it.regime_key, "condition": "permission",
            "value": listing.condition, "basis": listing.condition_basis,
            "target": t.citation, "listed": f"{listing.act} {listing.ref}".strip(),
            "met": t.condition_met})

    def _r_consequence(self, leaf: Provision, ctx: Ctx) -> Reason | None:
        """SEMANTICS §3.4: the leaf does not apply because a provision it depends on is set
        aside wholly (a dependency, with its legal basis)."""
        for dep in self.dependencies_of(leaf, ctx.d):
            found: dict[str, None] = {}
            for act, ref in dep.on:
                ids = self.wholly_set_aside(act, ref, ctx)
                if not ids:
                    break
                found.update(dict.fromkeys(ids))
            else:
                if dep.on:
                    data: dict[str, object] = {
                        "depends_on": [f"{a} {r}".strip() for a, r in dep.on],
                        "dependent": f"{dep.act} {dep.ref}".strip(), "basis": dep.basis,
                        "extent": dep.extent, "decisions": list(found)}
                    if dep.note:
                        data["note"] = dep.note
                    return self._reason("consequential", data)
        return None

    def _r_coverage(self, ctx: Ctx, leaf: Provision) -> Reason:
        if ctx.reach:
            keys = sorted(ctx.reach)
            marks = {self.listings.mark(k, leaf.act, leaf.ref, ctx.municipality, ctx.d)[0]
                     for k in keys}
            why = "deviable" if "deviable" in marks else (
                "guardrail" if marks == {"guardrail"} else "closed")
            known = self.completeness(ctx.municipality, ctx.area, ctx.d)
            if why == "deviable" and (known is None or known.level != "complete"):
                # SEMANTICS §3.4: only a complete register may say "not set aside"
                memo = ctx.reasons.get("decisions_incomplete")
                if memo is None:
                    facts: dict[str, object] = {
                        "regimes": keys, "municipality": ctx.municipality, "area": ctx.area,
                        "level": known.level if known else "unknown",
                        "decisions_known": sum(
                            1 for x in self.decisions_by_area.get(
                                (ctx.municipality, ctx.area), ()))}
                    if known is not None and known.source:
                        facts["source"] = known.source
                    if known is not None and known.source_url:
                        facts["source_url"] = known.source_url
                    memo = ctx.reasons["decisions_incomplete"] = self._reason(
                        "decisions_incomplete", facts)
                return memo
            memo = ctx.reasons.get(("no_decision", why))
            if memo is None:
                memo = ctx.reasons[("no_decision", why)] = self._reason(
                    "no_decision", {"regimes": keys, "municipality": ctx.municipality,
                                    "area": ctx.area, "deviable": why == "deviable"}, why=why)
            return memo
        memo = ctx.reasons.get("not_covered")
        if memo is None:
            data: dict[str, object] = {"municipality": ctx.municipality, "area": ctx.area,
                                       "date": ctx.d.isoformat()}
            if ctx.not_reached:
                data["regimes"] = sorted(ctx.not_reached)
                data["why"] = dict(sorted(ctx.not_reached.items()))
            kind = ctx.membership.kind if ctx.membership else ""
            memo = ctx.reasons["not_covered"] = self._reason("not_covered", data, date=ctx.d,
                                                             unit_kind=kind)
        return memo

    def _r_repealed(self, leaf: Provision, rp: Repeal, ctx: Ctx) -> Reason:
        a = self.acts.get(leaf.act)
        owner = a.municipality if a and a.municipality is not None else ctx.municipality
        data: dict[str, object] = {"act": rp.act, "repealed": f"{rp.act} {rp.ref}".strip(),
                                   "from": rp.valid_from.isoformat(),
                                   "decided_on": tx.iso(rp.decided_on)}
        if rp.source_url:
            data["source_url"] = rp.source_url
        return self._reason("repealed", data, owner=owner)

    def _r_no_version(self, leaf: Provision, versions: list[Version], d: Date) -> Reason:
        if all(v.valid_from is not None and v.valid_from > d for v in versions):
            start = min(v.valid_from for v in versions if v.valid_from is not None)
            return self._reason("not_yet_effective", {"provision_from": start.isoformat()},
                                citation=leaf.citation)
        ends = [v.valid_to for v in versions if v.valid_to is not None and v.valid_to <= d]
        end = max(ends) if ends else None
        return self._reason("repealed", {"provision_to": tx.iso(end)}, citation=leaf.citation)

    def _r_exclusion(self, leaf: Provision, excluded: Version, e: Any,
                     used: Version | None, ctx: Ctx) -> Reason:
        return self._reason("version_exclusion", {
            "regime": e.regime, "excluded_from": tx.iso(excluded.valid_from),
            "excluded_enacted_by": excluded.enacted_by, "basis": e.basis,
            "applied_from": tx.iso(used.valid_from) if used else None,
        }, citation=leaf.citation, has_earlier=used is not None)
