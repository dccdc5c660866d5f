"""The national picture on a date: who is freed from what (CONTRACT ``national``).

Computed from exceptions, never from the full matrix: for each decision or exemption that
holds on D, the leaves under its targets, and for decisions with a partial scope the
institutions in that scope. Cost: decisions × leaves under their targets × institutions in
their scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from frisat.engine.model import Date

if TYPE_CHECKING:
    from frisat.engine.verdict import Engine


@dataclass(frozen=True)
class CoverageRow:
    municipality: int
    name: str
    area: str
    valid_from: Date
    valid_to: Date | None

    def to_json(self) -> dict[str, object]:
        return {
            "municipality": self.municipality,
            "name": self.name,
            "area": self.area,
            "from": self.valid_from.isoformat(),
            "to": self.valid_to.isoformat() if self.valid_to else None,
        }


@dataclass(frozen=True)
class NationalRegime:
    key: str
    title: str
    legal_basis: str
    coverage: tuple[CoverageRow, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "title": self.title,
            "legal_basis": self.legal_basis,
            "coverage": [c.to_json() for c in self.coverage],
        }


@dataclass(frozen=True)
class ExceptionRow:
    """One freedom: a leaf set aside (wholly or partly) for a municipality's area
    (``institution`` None: by a whole-municipality decision or an exemption) or for one
    institution (by a decision whose scope is a list of institutions or kinds)."""

    municipality: int
    area: str
    institution: str | None
    act: str
    ref: str
    status: str  # set_aside | partially_set_aside
    decisions: tuple[str, ...]  # decision / exemption ids, most decisive first

    @property
    def decision(self) -> str:
        return self.decisions[0]

    @property
    def citation(self) -> str:
        return f"{self.act} {self.ref}".strip()

    def to_json(self) -> dict[str, object]:
        return {
            "municipality": self.municipality,
            "area": self.area,
            "institution": self.institution,
            "citation": self.citation,
            "act": self.act,
            "status": self.status,
            "decision": self.decision,
            "decisions": list(self.decisions),
        }


@dataclass(frozen=True)
class IncompleteRow:
    """A covered municipality and area whose decisions the register does not all know."""

    municipality: int
    area: str
    level: str  # partial | unknown
    source_url: str | None

    def to_json(self) -> dict[str, object]:
        return {"municipality": self.municipality, "area": self.area, "level": self.level,
                "source_url": self.source_url}


@dataclass(frozen=True)
class National:
    date: Date
    municipalities_total: int
    regimes: list[NationalRegime]
    freed_municipalities: int
    decisions_in_force: int
    provisions_set_aside: int
    exceptions: list[ExceptionRow] = field(default_factory=list)
    exemptions_in_force: int = 0
    # covered places where the register does not know every decision (SEMANTICS §3.4)
    incomplete: list[IncompleteRow] = field(default_factory=list)

    def to_json(self, lang: str = "da") -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "municipalities_total": self.municipalities_total,
            "regimes": [r.to_json() for r in self.regimes],
            "freed_municipalities": self.freed_municipalities,
            "decisions_in_force": self.decisions_in_force,
            "exemptions_in_force": self.exemptions_in_force,
            "provisions_set_aside": self.provisions_set_aside,
            "exceptions": [e.to_json() for e in self.exceptions],
            "incomplete": [e.to_json() for e in self.incomplete],
        }


SET_ASIDE = ("set_aside", "partially_set_aside")


@dataclass(frozen=True)
class AreaExceptions:
    """The freedoms of one municipality and area on a date, and its records in force."""

    rows: tuple[ExceptionRow, ...]
    decisions_in_force: int
    exemptions_in_force: int

    @property
    def provisions(self) -> frozenset[tuple[str, str]]:
        return frozenset((e.act, e.ref) for e in self.rows)


def national(engine: Engine, d: Date) -> National:
    """Who is freed from what on D, computed from the decisions in force."""
    return assemble(engine, d, (area_exceptions(engine, mun, area, d)
                                for mun, area in sorted(engine.mun_area_keys())))


def assemble(engine: Engine, d: Date, parts: Iterable[AreaExceptions]) -> National:
    """The national answer from the coverage on D and each area's freedoms."""
    regimes: list[NationalRegime] = []
    freed: set[int] = set()
    for reg in engine.regimes.values():
        rows = []
        for c in engine.coverage_by_regime.get(reg.key, ()):
            if c.valid_from <= d and (c.valid_to is None or d < c.valid_to):
                m = engine.municipalities.get(c.municipality)
                rows.append(
                    CoverageRow(c.municipality, m.name if m else "", c.area, c.valid_from,
                                c.valid_to)
                )
                freed.add(c.municipality)
        if rows:
            rows.sort(key=lambda r: (r.municipality, r.area, r.valid_from))
            regimes.append(NationalRegime(reg.key, reg.title, reg.legal_basis, tuple(rows)))
    incomplete: list[IncompleteRow] = []
    for mun, area in sorted({(c.municipality, c.area) for r in regimes for c in r.coverage}):
        known = engine.completeness(mun, area, d)
        if known is None or known.level != "complete":
            incomplete.append(IncompleteRow(mun, area, known.level if known else "unknown",
                                            known.source_url if known else None))
    exceptions: list[ExceptionRow] = []
    decisions_in_force = exemptions_in_force = 0
    distinct: set[tuple[str, str]] = set()
    for part in parts:
        exceptions.extend(part.rows)
        decisions_in_force += part.decisions_in_force
        exemptions_in_force += part.exemptions_in_force
        distinct.update(part.provisions)
    return National(
        date=d,
        municipalities_total=len(engine.municipalities),
        regimes=regimes,
        freed_municipalities=len(freed),
        decisions_in_force=decisions_in_force,
        provisions_set_aside=len(distinct),
        exceptions=exceptions,
        exemptions_in_force=exemptions_in_force,
        incomplete=incomplete,
    )


def area_exceptions(engine: Engine, mun: int, area: str, d: Date) -> AreaExceptions:
    """The leaves set aside in one municipality and area on D: by whole-municipality
    decisions and exemptions (institution None), and per institution by decisions with a
    list or kinds scope."""
    ctx = engine.area_context(mun, area, d)
    holding = [it for it in ctx.items if it.state == "holding"]
    in_force = sum(1 for it in holding if it.decision is not None)
    exempted = sum(1 for it in holding if it.exemption is not None)
    exceptions: list[ExceptionRow] = []
    # municipality level: whole-municipality decisions and exemptions
    muni_items = [it for it in holding if it.whole_scope]
    if muni_items:
        mctx = ctx.for_municipality()
        seen: set[tuple[str, str]] = set()
        targeted = [leaf for it in muni_items for t in it.targets
                    for leaf in engine.tree.leaves_under(t.act, t.ref)]
        # then the leaves that may fall as a consequence of those set aside (dependencies)
        for leaf in targeted + engine.dependents([lf.key for lf in targeted], d):
            if leaf.key in seen:
                continue
            seen.add(leaf.key)
            v = engine.judge(leaf, mctx)
            if v.status in SET_ASIDE:
                exceptions.append(ExceptionRow(
                    mun, area, None, leaf.act, leaf.ref, v.status, v.decision_ids()
                    or v.consequence_ids()))
    # institution level: decisions with a list or kinds scope
    partial = [it for it in holding if not it.whole_scope and it.decision is not None]
    if partial:
        per_inst: dict[str, set[tuple[str, str]]] = {}
        for it in partial:
            assert it.decision is not None
            leaves = [lf.key for t in it.targets
                      for lf in engine.tree.leaves_under(t.act, t.ref)]
            leaves += [lf.key for lf in engine.dependents(leaves, d)]
            for inst in engine.scope_institutions(it.decision, d):
                per_inst.setdefault(inst, set()).update(leaves)
        for inst in sorted(per_inst):
            ictx = engine.institution_context(inst, d, ctx)
            # a listed institution outside this municipality and area on D is answered
            # (if at all) in its own (municipality, area)
            if ictx is None or (ictx.municipality, ictx.area) != (mun, area):
                continue
            keys = sorted(per_inst[inst], key=lambda k: engine.tree.order[k])
            for key in keys:
                leaf = engine.tree.nodes[key]
                if not engine.relevant(leaf.act, ictx):
                    continue
                v = engine.judge(leaf, ictx)
                if v.status in SET_ASIDE and (v.has_partial_scope_candidate or any(
                        i in engine.decisions and not engine.decisions[i].scope.whole
                        for i in v.consequence_ids())):
                    exceptions.append(ExceptionRow(
                        mun, area, inst, leaf.act, leaf.ref, v.status, v.decision_ids()
                        or v.consequence_ids()))
    return AreaExceptions(tuple(exceptions), in_force, exempted)
