"""World builders for engine tests: a small hand-made example world and random worlds.

Everything here is made up and marked as such (keys and names with ``eksempel``/``example``,
municipality codes 901–903 outside the real 101–860 range).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TypeVar

from hypothesis import event
from hypothesis import strategies as st

from frisat.engine.model import (
    Act,
    Area,
    Completeness,
    ConditionScope,
    Correction,
    Coverage,
    Date,
    DecidedBy,
    Decision,
    Delegation,
    Dependency,
    Exclusion,
    Exemption,
    Institution,
    Listing,
    Membership,
    Municipality,
    Provision,
    Regime,
    Repeal,
    Scope,
    Target,
    Version,
    World,
)
from frisat.law.citation import parse_citation

UTC = dt.UTC
T = TypeVar("T")
EXAMPLE_BASIS = "https://www.retsinformation.dk/eli/lta/2021/9999"
REGIME = "eksempel-ordning"
SCHOOL_REGIME = "eksempel-skoleordning"
ACT = "eksempelloven"


def d(s: str) -> Date:
    return Date.fromisoformat(s)


def at(s: str) -> dt.datetime:
    """A record time: a date (midnight UTC) or a full ISO instant."""
    if "T" in s:
        return dt.datetime.fromisoformat(s)
    return dt.datetime.combine(Date.fromisoformat(s), dt.time(), tzinfo=UTC)


def target(citation: str, extent: str = "whole", note: str = "") -> Target:
    c = parse_citation(citation)
    return Target(c.act, c.ref, extent, note)  # type: ignore[arg-type]


def tree(act: str, refs: list[str | tuple[str, str]]) -> tuple[Provision, ...]:
    """Provisions from refs (parent follows from the ref; ``(ref, parent)`` to override)."""
    out = [Provision(act, "", None, heading=f"{act} (eksempel)")]
    for i, r in enumerate(refs):
        if isinstance(r, tuple):
            ref, parent = r
        else:
            ref = r
            parts = [p.strip() for p in ref.split(",")]
            if len(parts) > 1:
                parent = ", ".join(parts[:-1])
            elif "." in ref and not ref.startswith("§"):
                parent = ref.rsplit(".", 1)[0]
            else:
                parent = ""
        out.append(Provision(act, ref, parent, heading=f"Eksempel {ref}", order=i + 1))
    return tuple(out)


def decision(
    id: str,
    targets: list[Target | str],
    *,
    municipality: int = 901,
    area: str = "dagtilbud",
    regime: str = REGIME,
    effective_from: str = "2021-08-01",
    effective_to: str | None = None,
    published_on: str | None = "2021-07-01",
    published: bool = True,
    decided_on: str | None = "2021-06-25",
    scope: Scope | None = None,
    by: DecidedBy | None = None,
    revokes: tuple[str, ...] = (),
    recorded_at: str = "2021-07-01",
    replacement: str = "",
    date_precision: str = "day",
) -> Decision:
    return Decision(
        id=id,
        municipality=municipality,
        regime=regime,
        area=area,
        decided_by=by or DecidedBy("council"),
        decided_on=d(decided_on) if decided_on else None,
        published_on=d(published_on) if published_on else None,
        published=published,
        effective_from=d(effective_from),
        effective_to=d(effective_to) if effective_to else None,
        scope=scope or Scope(),
        targets=tuple(target(t) if isinstance(t, str) else t for t in targets),
        title=f"Eksempelbeslutning {id}",
        replacement=replacement,
        revokes=revokes,
        date_precision=date_precision,  # type: ignore[arg-type]
        example=True,
        recorded_at=at(recorded_at),
    )


def example_world() -> World:
    """The hand-made example world.

    * Eksempelby (901) is covered by ``eksempel-ordning`` (listed) for dagtilbud from
      2021-05-15 to 2024-10-01 (recorded 2021-05-01), extended to 2025-08-01 by a record of
      2024-06-01. The regime reaches daginstitution and dagpleje, private providers only on
      request, and carries a protected group, a general guardrail and a run-off note.
    * Prøveby (902) is covered by ``eksempel-skoleordning`` (all but guardrails) for
      folkeskole. Andeby (903) is not covered.
    * The register knows every decision of both covered places (completeness ``complete``,
      as if they published through frisat), so "no decision" means "not set aside" here;
      the tests of an incomplete register say otherwise for themselves.
    * ``eksempelloven``: afsnit II (deviable) holds § 1 (stk. 1; stk. 2 a guardrail) and § 2;
      § 3 is deviable with stk. 2, nr. 2 a guardrail; § 4 is unlisted; § 5 had a 2022
      amendment that has no effect where ``eksempel-ordning`` covers.
    """
    municipalities = (
        Municipality(901, "Eksempelby", 1084, "Region Eksempel"),
        Municipality(902, "Prøveby", 1084, "Region Eksempel"),
        Municipality(903, "Andeby", 1085, "Region Eksempel"),
    )
    areas = (Area("dagtilbud", "Dagtilbud", "Day care"),
             Area("folkeskole", "Folkeskole", "Primary school"))
    acts = (
        Act(ACT, "state", "Eksempelloven (eksempel)", ("dagtilbud",), d("2010-01-01")),
        Act("eksempel-klubloven", "state", "Eksempel-klubloven", ("dagtilbud",),
            d("2010-01-01"), kinds=("klub",)),
        Act("eksempel-skoleloven", "state", "Eksempel-skoleloven", ("folkeskole",),
            d("2010-01-01")),
        Act("eksempelby-retningslinjer", "municipal", "Eksempelbys retningslinjer",
            ("dagtilbud",), d("2019-01-01"), municipality=901),
        Act("proeveby-retningslinjer", "municipal", "Prøvebys retningslinjer",
            ("dagtilbud",), d("2019-01-01"), municipality=902),
    )
    provisions = (
        tree(ACT, [
            "afsnit II", ("§ 1", "afsnit II"), "§ 1, stk. 1", "§ 1, stk. 2",
            ("§ 2", "afsnit II"),
            "§ 3", "§ 3, stk. 1", "§ 3, stk. 2", "§ 3, stk. 2, nr. 1", "§ 3, stk. 2, nr. 2",
            "§ 4", "§ 5",
        ])
        + tree("eksempel-klubloven", ["§ 1"])
        + tree("eksempel-skoleloven", ["§ 1", "§ 2", "§ 2, stk. 1", "§ 2, stk. 2"])
        + tree("eksempelby-retningslinjer", ["1", "2", "2.1", "2.2"])
        + tree("proeveby-retningslinjer", ["1"])
    )
    versions = (
        Version(ACT, "§ 5", d("2010-01-01"), d("2022-01-01"), "LBK nr. 1 af 2010 (eksempel)"),
        Version(ACT, "§ 5", d("2022-01-01"), None, "lov nr. 2 af 2021 (eksempel)",
                exclusions=(Exclusion(REGIME, None, "lov nr. 3 af 2022 (eksempel)"),)),
    )
    regimes = (
        Regime(
            key=REGIME, title="Eksempelordningen på dagtilbudsområdet",
            kind="velfaerdsaftale", legal_basis=EXAMPLE_BASIS, shape="listed", acts=(ACT,),
            listings=(
                Listing(ACT, "afsnit II", "deviable"),
                Listing(ACT, "§ 1, stk. 2", "guardrail"),
                Listing(ACT, "§ 3", "deviable"),
                Listing(ACT, "§ 3, stk. 2, nr. 2", "guardrail"),
            ),
            kinds=("daginstitution", "dagpleje"), private_requires_request=True,
            protected_groups=("borgere, der får hjælp efter eksempelloven § 9 (eksempel)",),
            general_guardrails=("børnene skal fortsat trives og lære (eksempel)",),
            run_off_note="Igangsatte tiltag kan fortsætte, til kommunen beslutter andet "
                         "(eksempel).",
        ),
        Regime(
            key=SCHOOL_REGIME, title="Eksempelordningen på skoleområdet",
            kind="velfaerdsaftale", legal_basis="lov nr. 9999 af 12/05/2021 (eksempel)",
            shape="all_but_guardrails", acts=("eksempel-skoleloven",),
            listings=(Listing("eksempel-skoleloven", "§ 2, stk. 2", "guardrail"),),
        ),
    )
    coverage = (
        Coverage(REGIME, 901, "dagtilbud", d("2021-05-15"), d("2024-10-01"),
                 recorded_at=at("2021-05-01")),
        Coverage(REGIME, 901, "dagtilbud", d("2021-05-15"), d("2025-08-01"),
                 recorded_at=at("2024-06-01")),
        Coverage(SCHOOL_REGIME, 902, "folkeskole", d("2021-05-15"), d("2025-08-01"),
                 recorded_at=at("2021-05-01")),
    )

    def inst(id: str, name: str, mun: int, area: str, kind: str,
             provider: str = "public", requested: tuple[str, ...] = (),
             since: str = "2000-01-01") -> tuple[Institution, Membership]:
        return (Institution(id, name, requested=requested, example=True),
                Membership(id, mun, area, kind, d(since), None, provider))  # type: ignore[arg-type]

    rows = [
        inst("eks-1", "Eksempel Børnehus", 901, "dagtilbud", "daginstitution"),
        inst("eks-2", "Privat Eksempelhus", 901, "dagtilbud", "daginstitution", "private"),
        inst("eks-3", "Privat Eksempelhus med anmodning", 901, "dagtilbud", "daginstitution",
             "private", (REGIME,)),
        inst("eks-4", "Eksempelklubben", 901, "dagtilbud", "klub"),
        inst("eks-5", "Eksempel Dagpleje", 901, "dagtilbud", "dagpleje"),
        inst("eks-6", "Andeby Børnehus (eksempel)", 903, "dagtilbud", "daginstitution"),
        inst("eks-7", "Prøveby Skole (eksempel)", 902, "folkeskole", "folkeskole"),
    ]
    institutions = tuple(r[0] for r in rows) + (
        Institution("eks-8", "Flytteby Børnehus (eksempel)", example=True),)
    memberships = tuple(r[1] for r in rows) + (
        Membership("eks-8", 903, "dagtilbud", "daginstitution", d("2000-01-01"),
                   d("2022-01-01")),
        Membership("eks-8", 901, "dagtilbud", "daginstitution", d("2022-01-01"), None),
    )
    delegations = (
        Delegation(901, REGIME, "committee", "Børne- og Eksempeludvalget",
                   decided_on=d("2021-06-01"), recorded_at=at("2021-06-02")),
        Delegation(901, REGIME, "institution", "", institution="eks-1",
                   decided_on=d("2021-06-01"), recorded_at=at("2021-06-02")),
    )
    completeness = (
        Completeness(901, "dagtilbud", None, None, "complete", "eksempel",
                     recorded_at=at("2021-05-01")),
        Completeness(902, "folkeskole", None, None, "complete", "eksempel",
                     recorded_at=at("2021-05-01")),
    )
    return World(
        municipalities=municipalities, areas=areas, institutions=institutions,
        memberships=memberships, acts=acts, provisions=provisions, versions=versions,
        regimes=regimes, coverage=coverage, delegations=delegations,
        completeness=completeness,
    )


def with_records(world: World, **extra: tuple[object, ...]) -> World:
    """The world with records appended to the named sections."""
    return world.with_(**{k: getattr(world, k) + tuple(v) for k, v in extra.items()})


def exemption(id: str, targets: list[str], *, municipality: int = 901,
              area: str = "dagtilbud", regime: str = REGIME, valid_from: str = "2021-08-01",
              valid_to: str | None = None, approved_on: str | None = "2021-07-01",
              recorded_at: str = "2021-07-01") -> Exemption:
    return Exemption(id, regime, municipality, area, tuple(target(t) for t in targets),
                     d(valid_from), d(valid_to) if valid_to else None,
                     d(approved_on) if approved_on else None, "eksempel-godkendelse",
                     recorded_at=at(recorded_at))


def repeal(act: str, ref: str, valid_from: str, recorded_at: str = "2021-07-01") -> Repeal:
    return Repeal(act, ref, d(valid_from), d(valid_from) - dt.timedelta(days=30),
                  recorded_at=at(recorded_at))


# --------------------------------------------------------------------------- random worlds
#
# ``worlds()`` builds a world record kind by record kind: each ``_draw_*`` step below adds one
# kind of record to a ``Draft`` and may read what the steps before it made (decisions are
# steered towards covered places and deviable nodes, scopes towards the institutions there).
# A new kind of record (dependencies between provisions, listings for part of a regime's
# coverage, conditions, completeness of a register) is one more step added to ``STEPS``,
# with its ``event()`` labels. Every step records what it made with ``event()``
# (``--hypothesis-show-statistics``), so a weakened generator shows in the statistics.

BASE = Date(2021, 1, 1)
STEP = 60  # days between grid dates; 0..24 covers 2021-2024
LAST = 24


def grid(i: int) -> Date:
    return BASE + dt.timedelta(days=STEP * i)


def grid_at(i: int) -> dt.datetime:
    return dt.datetime.combine(grid(i), dt.time(), tzinfo=UTC)


dates = st.integers(0, LAST)
MUNS = (901, 902)
AREAS = ("dagtilbud", "folkeskole")
KINDS = ("daginstitution", "dagpleje", "klub")
REGIME_KINDS = ("velfaerdsaftale", "frikommune", "frisaettelse")


@dataclass
class Draft:
    """A world under construction, with the questions the later steps ask of it."""

    municipalities: list[Municipality] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    acts: list[Act] = field(default_factory=list)
    provisions: list[Provision] = field(default_factory=list)
    versions: list[Version] = field(default_factory=list)
    regimes: list[Regime] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    institutions: list[Institution] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    delegations: list[Delegation] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    exemptions: list[Exemption] = field(default_factory=list)
    repeals: list[Repeal] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    completeness: list[Completeness] = field(default_factory=list)
    condition_scopes: list[ConditionScope] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    regime_keys: list[str] = field(default_factory=list)  # drawn first: versions name them
    _kids: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    _kids_of: list[Provision] = field(default_factory=list)

    def world(self) -> World:
        # no kept rule sets, and no claims (a claimed record time answers nothing)
        return World(**{name: tuple(getattr(self, name)) for name in World.SECTIONS
                        if name not in ("kept", "claims")})

    # ---- questions the steps ask

    def nodes(self, acts: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
        return [p.key for p in self.provisions if acts is None or p.act in acts]

    def children(self, key: tuple[str, str]) -> list[tuple[str, str]]:
        if len(self._kids_of) != len(self.provisions):  # the trees are drawn once, early
            kids: dict[tuple[str, str], list[tuple[str, str]]] = {}
            for p in self.provisions:
                if p.ref:
                    kids.setdefault((p.act, p.parent or ""), []).append(p.key)
            self._kids = kids
            self._kids_of = list(self.provisions)
        return self._kids.get(key, [])

    def below(self, key: tuple[str, str]) -> list[tuple[str, str]]:
        """The node and every node under it."""
        out, todo = [], [key]
        while todo:
            k = todo.pop()
            out.append(k)
            todo += self.children(k)
        return out

    def leaves(self) -> list[tuple[str, str]]:
        return [k for k in self.nodes() if k[1] and not self.children(k)]

    def regime(self, key: str) -> Regime:
        return next(r for r in self.regimes if r.key == key)

    def deviable_nodes(self, regime: Regime, municipality: int) -> list[tuple[str, str]]:
        """Nodes a decision of the municipality could set aside (ignoring listing dates)."""
        out = [(li.act, li.ref) for li in regime.listings if li.mark == "deviable"]
        if regime.shape == "all_but_guardrails":
            out += [k for k in self.nodes(regime.acts) if k[1]]
        out += [k for a in self.acts if a.level == "municipal" and a.municipality == municipality
                for k in self.nodes((a.key,))]
        return out or self.nodes()

    def places(self) -> list[tuple[str, int, str, Date, Date | None]]:
        """(regime, municipality, area, from, to) of every coverage record."""
        return [(c.regime, c.municipality, c.area, c.valid_from, c.valid_to)
                for c in self.coverage]

    def members_at(self, municipality: int, area: str) -> list[str]:
        return sorted({m.institution for m in self.memberships
                       if (m.municipality, m.area) == (municipality, area)})


# Hypothesis draws small integers and the first of several choices far more often than the
# rest (it likes simple examples). So the choice wanted most is always the first or the
# smallest, and these two helpers say how often a branch is taken in words.


def mostly(draw: st.DrawFn) -> bool:
    """True in most examples (about nine in ten)."""
    return draw(st.integers(0, 3)) < 3


def sometimes(draw: st.DrawFn) -> bool:
    """True in some examples (about one in four)."""
    return draw(st.integers(0, 2)) == 2


def distinct(items: list[T]) -> list[T]:
    """The items without repeats, in order (drawing unique lists makes Hypothesis retry)."""
    return list(dict.fromkeys(items))


def _grid_index(day: Date) -> int:
    return (day - BASE).days // STEP


@st.composite
def act_trees(draw: st.DrawFn, key: str) -> tuple[Provision, ...]:
    refs: list[str | tuple[str, str]] = []
    n_par = draw(st.integers(1, 4))
    use_afsnit = draw(st.booleans())
    if use_afsnit:
        refs.append("afsnit I")
    for p in range(1, n_par + 1):
        par = f"§ {p}"
        refs.append((par, "afsnit I") if use_afsnit and p <= 2 else par)
        for s in range(1, draw(st.integers(0, 3)) + 1):
            stk = f"{par}, stk. {s}"
            refs.append(stk)
            for n in range(1, draw(st.integers(0, 2)) + 1):
                refs.append(f"{stk}, nr. {n}")
    return tree(key, refs)


def _draw_places(draw: st.DrawFn, w: Draft) -> None:
    w.municipalities += [Municipality(c, f"Eksempel {c}", 1084, "Region Eksempel") for c in MUNS]
    w.areas += [Area(a, a) for a in AREAS]
    w.regime_keys = [f"eksempel-ordning-{j}" for j in range(draw(st.integers(1, 3)))]


def _draw_acts(draw: st.DrawFn, w: Draft) -> None:
    for i in range(draw(st.integers(1, 3))):
        key = f"eksempel-lov-{i}"
        municipal = i > 0 and draw(st.integers(0, 3)) == 0
        act_areas = draw(st.sampled_from([AREAS, AREAS, (AREAS[0],), (AREAS[1],)]))
        kinds = draw(st.sampled_from([("daginstitution", "dagpleje"), ("klub",)])) \
            if i > 0 and sometimes(draw) else None
        w.acts.append(Act(key, "municipal" if municipal else "state", key, act_areas, grid(0),
                          municipality=draw(st.sampled_from(MUNS)) if municipal else None,
                          kinds=kinds))
        w.provisions += draw(act_trees(key))
        if municipal:
            event("world: municipal act")
        if kinds:
            event("world: act for some institution kinds")


def _draw_versions(draw: st.DrawFn, w: Draft) -> None:
    """Two or three versions on some nodes (a leaf, or an ancestor whose versions its
    leaves inherit), the later ones with exclusions for a regime (any or one area)."""
    nodes = [k for k in w.nodes() if k[1]]
    for act, ref in distinct(draw(st.lists(st.sampled_from(nodes), max_size=3))):
        cuts = sorted(set(draw(st.lists(st.integers(1, 20), min_size=1, max_size=2))))
        starts = [draw(st.sampled_from([0, 0, 2])), *cuts]
        end = draw(st.one_of(st.none(), st.none(), st.integers(cuts[-1] + 1, LAST)))
        for j, start in enumerate(starts):
            stop = starts[j + 1] if j + 1 < len(starts) else end
            excl: tuple[Exclusion, ...] = ()
            if j > 0 and mostly(draw):
                area = draw(st.sampled_from([None, None, *AREAS]))
                excl = (Exclusion(draw(st.sampled_from(w.regime_keys)), area,
                                  "ændring (eksempel)"),)
                event("world: version exclusion for one area" if area else
                      "world: version exclusion")
            v = Version(act, ref, grid(start), grid(stop) if stop is not None else None,
                        f"v{j + 1}", exclusions=excl)
            w.versions.append(v)
        if sometimes(draw):  # the last version ended by a later record
            last = w.versions[-1]
            stop = draw(st.integers(_grid_index(last.valid_from or BASE) + 1, LAST))
            w.versions.append(replace(last, valid_to=grid(stop),
                                      recorded_at=grid_at(draw(st.integers(1, LAST)))))
            event("world: version ended by a later record")


def _draw_regimes(draw: st.DrawFn, w: Draft) -> None:
    """Regimes of both shapes with nested listings: deviable nodes, guardrails under them,
    and some listings dated (the law changed its list while the regime ran)."""
    act_keys = [a.key for a in w.acts if a.level == "state"] or [w.acts[0].key]
    for rk in w.regime_keys:
        shape = draw(st.sampled_from(["listed", "listed", "all_but_guardrails"]))
        r_acts = tuple(sorted(set(draw(st.lists(st.sampled_from(act_keys), min_size=1,
                                                max_size=2)))))
        own = [k for k in w.nodes(r_acts)]
        listings: list[Listing] = []
        for k in distinct(draw(st.lists(st.sampled_from(own),
                                        min_size=1 if shape == "listed" else 0, max_size=3))):
            mark = "deviable" if shape == "listed" else draw(st.sampled_from(
                ["deviable", "guardrail"]))
            listings.append(Listing(k[0], k[1], mark))
            under = w.below(k)[1:]
            if under and draw(st.booleans()):
                g = draw(st.sampled_from(under))
                listings.append(Listing(g[0], g[1], "guardrail"))
        for k in draw(st.lists(st.sampled_from(w.nodes()), max_size=2)):  # anywhere
            listings.append(Listing(k[0], k[1], draw(st.sampled_from(["deviable", "guardrail"]))))
        if listings and sometimes(draw):  # dated listings
            for i in distinct(draw(st.lists(st.integers(0, len(listings) - 1), min_size=1,
                                            max_size=2))):
                start = draw(st.one_of(st.none(), st.integers(1, 16)))
                stop = draw(st.one_of(st.none(), st.integers((start or 0) + 1, LAST)))
                if start is None and stop is None:
                    stop = draw(st.integers(2, LAST))
                listings[i] = replace(listings[i],
                                      valid_from=grid(start) if start is not None else None,
                                      valid_to=grid(stop) if stop is not None else None)
            event("world: dated listing")
        if listings and sometimes(draw):  # a power of part of the regime's coverage only
            i = draw(st.integers(0, len(listings) - 1))
            listings[i] = replace(listings[i], municipalities=(draw(st.sampled_from(MUNS)),),
                                  part=draw(st.sampled_from(["", "1. pkt."])))
            event("world: listing for part of the coverage")
        if listings and sometimes(draw):  # a deviation that needs a further step
            i = draw(st.integers(0, len(listings) - 1))
            if listings[i].mark == "deviable":
                listings[i] = replace(listings[i], condition="ministerens godkendelse "
                                      "(eksempel)", condition_basis="eksempel § 9")
                event("world: listing with a condition")
        kinds = draw(st.sampled_from([("daginstitution", "dagpleje"), ("daginstitution",)])) \
            if sometimes(draw) else None
        private = sometimes(draw)
        w.regimes.append(Regime(
            key=rk, title=f"Eksempelordning {rk}", kind=draw(st.sampled_from(REGIME_KINDS)),
            legal_basis=EXAMPLE_BASIS, shape=shape, acts=r_acts, listings=tuple(listings),
            kinds=kinds, private_requires_request=private,
            protected_groups=draw(st.sampled_from([(), ("beskyttet gruppe (eksempel)",)])),
            general_guardrails=draw(st.sampled_from([(), ("generel hegnspæl (eksempel)",)])),
            run_off_note=draw(st.sampled_from([None, "afvikling (eksempel)"])),
            recorded_at=grid_at(0),
        ))
        event(f"world: regime {shape}")
        if kinds:
            event("world: regime for some institution kinds")
        if private:
            event("world: regime needs a private provider's request")


def _draw_coverage(draw: st.DrawFn, w: Draft) -> None:
    """Coverage per regime, and later records of the same key: extended or shortened."""
    for r in w.regimes:
        for _ in range(draw(st.integers(1, 3))):
            mun = draw(st.sampled_from(MUNS))
            area = draw(st.sampled_from(AREAS))
            start = draw(st.integers(0, 8))
            end = draw(st.one_of(st.none(), st.integers(start + 1, 20)))
            rec = draw(st.integers(0, start + 1))
            w.coverage.append(Coverage(r.key, mun, area, grid(start),
                                       grid(end) if end is not None else None,
                                       recorded_at=grid_at(rec)))
            if sometimes(draw):  # re-recorded later
                new_end = draw(st.one_of(st.none(), st.integers(start + 1, LAST)))
                w.coverage.append(Coverage(r.key, mun, area, grid(start),
                                           grid(new_end) if new_end is not None else None,
                                           recorded_at=grid_at(draw(st.integers(rec, LAST)))))
                event("world: coverage re-recorded later")


def _draw_institutions(draw: st.DrawFn, w: Draft) -> None:
    """Institutions mostly where a regime covers, of kinds and providers the regimes care
    about; some move, some are closed by a later record."""
    places = [(c.municipality, c.area) for c in w.coverage]
    regime_keys = [r.key for r in w.regimes]
    for n in range(draw(st.integers(2, 6))):
        iid = f"eks-{n}"
        private = sometimes(draw)
        requested = tuple(sorted(set(draw(st.lists(st.sampled_from(regime_keys),
                                                   max_size=2))))) if private else ()
        w.institutions.append(Institution(iid, f"Eksempelinstitution {iid}", requested,
                                          example=True))
        if private:
            event("world: private provider with a request" if requested
                  else "world: private provider without a request")
        cut = draw(st.integers(1, 23)) if sometimes(draw) else None
        spans = [(0, None)] if cut is None else [(0, cut), (cut, None)]
        kind = draw(st.sampled_from(KINDS))
        for a, b in spans:
            mun, area = draw(st.sampled_from(places) if places and mostly(draw)
                             else st.tuples(st.sampled_from(MUNS), st.sampled_from(AREAS)))
            m = Membership(iid, mun, area, kind, grid(a), grid(b) if b is not None else None,
                           "private" if private else "public", recorded_at=grid_at(0))
            w.memberships.append(m)
        if sometimes(draw):  # closed by a later record of the same key
            last = w.memberships[-1]
            stop = draw(st.integers(_grid_index(last.valid_from or BASE) + 1, LAST))
            w.memberships.append(replace(last, valid_to=grid(stop),
                                         recorded_at=grid_at(draw(st.integers(1, LAST)))))
            event("world: membership closed by a later record")
        if cut is not None:
            event("world: institution moves")


def _draw_scope(draw: st.DrawFn, w: Draft, mun: int, area: str) -> Scope:
    kind = draw(st.sampled_from(["whole", "whole", "list", "list", "kinds"]))
    if kind == "whole":
        return Scope()
    if kind == "list":
        here = w.members_at(mun, area)
        pool = here if here and mostly(draw) else [i.id for i in w.institutions]
        event("world: scope lists institutions")
        return Scope(institutions=tuple(distinct(draw(st.lists(st.sampled_from(pool),
                                                               min_size=1, max_size=3)))))
    event("world: scope by institution kinds")
    return Scope(kinds=tuple(sorted(set(draw(st.lists(st.sampled_from(KINDS), min_size=1,
                                                       max_size=2))))))


def _draw_targets(draw: st.DrawFn, w: Draft, regime: Regime, mun: int,
                  area: str) -> tuple[Target, ...]:
    """Mostly deviable nodes of acts for the area (or a node above or below one),
    sometimes anything."""
    for_area = {a.key for a in w.acts if area in a.areas}
    deviable = [k for k in w.deviable_nodes(regime, mun) if k[0] in for_area] or \
        w.deviable_nodes(regime, mun)
    near = sorted({k for dv in set(deviable) for k in w.below(dv)})
    pool = st.one_of(st.sampled_from(deviable), st.sampled_from(deviable),
                     st.sampled_from(near), st.sampled_from(w.nodes()))
    return tuple(Target(k[0], k[1], draw(st.sampled_from(["whole", "whole", "partial"])),
                        "delvis (eksempel)",
                        draw(st.sampled_from([None, True, True, False])))
                 for k in distinct(draw(st.lists(pool, min_size=1, max_size=3))))


def _draw_body(draw: st.DrawFn, w: Draft) -> DecidedBy:
    """Who decided: the council mostly (the checks, not the engine, judge delegation)."""
    body = draw(st.sampled_from(["council", "council", "committee", "administration",
                                 "institution"]))
    if body == "committee":
        return DecidedBy("committee", draw(st.sampled_from(["", "Eksempeludvalget"])))
    if body == "institution":
        return DecidedBy("institution", institution=draw(st.sampled_from(
            [i.id for i in w.institutions])))
    return DecidedBy(body)  # type: ignore[arg-type]


def _draw_decisions(draw: st.DrawFn, w: Draft) -> None:
    """Decisions steered to covered places and periods and deviable targets; revocations
    (several revokers of one decision, unpublished revokers); unknown publication dates."""
    places = w.places()
    for n in range(0 if draw(st.integers(0, 15)) == 15 else draw(st.integers(2, 7))):
        did = f"eks-{n:03d}"
        if places and mostly(draw):
            rk, mun, area, start, end = draw(st.sampled_from(places))
            lo = _grid_index(start)
            hi = _grid_index(end) - 1 if end is not None else LAST - 2
            eff = draw(st.integers(lo, max(lo, hi)))
        else:
            rk = draw(st.sampled_from([r.key for r in w.regimes]))
            mun, area = draw(st.sampled_from(MUNS)), draw(st.sampled_from(AREAS))
            eff = draw(st.integers(0, LAST - 2))
        to = draw(st.one_of(st.none(), st.none(), st.integers(eff + 1, LAST)))
        earlier = [x.id for x in w.decisions]
        revokes: tuple[str, ...] = ()
        if earlier and sometimes(draw):
            revoked = [r for x in w.decisions for r in x.revokes]
            pool = revoked + earlier if revoked else earlier  # several revokers of one
            revokes = (draw(st.sampled_from(pool)),)
        published = mostly(draw)
        date_known = mostly(draw)
        pub = max(eff - 1, 0)
        w.decisions.append(Decision(
            id=did, municipality=mun, regime=rk, area=area, decided_by=_draw_body(draw, w),
            decided_on=grid(pub) if mostly(draw) else None,
            published_on=grid(pub) if published and date_known else None,
            date_precision=draw(st.sampled_from(["day", "day", "month", "year"])),
            replacement="lokale regler (eksempel)" if sometimes(draw) else "",
            source_url=f"https://eksempel.invalid/{did}" if sometimes(draw) else None,
            published=published, effective_from=grid(eff),
            effective_to=grid(to) if to is not None else None,
            scope=_draw_scope(draw, w, mun, area),
            targets=_draw_targets(draw, w, w.regime(rk), mun, area), revokes=revokes, example=True,
            recorded_at=grid_at(draw(st.integers(0, min(eff + 2, LAST)))),
        ))
        if not published:
            event("world: unpublished decision")
        if revokes:
            event("world: revoking decision" if published else "world: unpublished revoker")
    revoked = [r for x in w.decisions for r in x.revokes]
    if len(revoked) != len(set(revoked)):
        event("world: several revokers of one decision")
    if not w.decisions:
        event("world: no decisions")


def _draw_exemptions(draw: st.DrawFn, w: Draft) -> None:
    places = w.places()
    for n in range(draw(st.integers(0, 2))):
        if places and mostly(draw):
            rk, mun, area, _start, _end = draw(st.sampled_from(places))
        else:
            rk = draw(st.sampled_from([r.key for r in w.regimes]))
            mun, area = draw(st.sampled_from(MUNS)), draw(st.sampled_from(AREAS))
        start = draw(st.integers(0, 20))
        end = draw(st.one_of(st.none(), st.integers(start + 1, LAST)))
        approved = mostly(draw)
        w.exemptions.append(Exemption(
            f"eks-fritagelse-{n}", rk, mun, area, _draw_targets(draw, w, w.regime(rk), mun, area),
            grid(start), grid(end) if end is not None else None,
            grid(start) if approved else None,
            draw(st.sampled_from(["", "godkendelse (eksempel)"])),
            recorded_at=grid_at(draw(st.integers(0, LAST)))))
        event("world: exemption" if approved else "world: exemption not approved")


def _draw_repeals(draw: st.DrawFn, w: Draft) -> None:
    """Repeals, mostly of municipal rule sets (honoured for any act), mostly late."""
    if not sometimes(draw):
        return
    municipal = [k for a in w.acts if a.level == "municipal" for k in w.nodes((a.key,))]
    pool = municipal if municipal and mostly(draw) else [k for k in w.nodes() if k[1]]
    for k in distinct(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2))):
        start = LAST - draw(st.integers(0, LAST - 2))
        w.repeals.append(Repeal(k[0], k[1], grid(start),
                                grid(start - 1) if mostly(draw) else None,
                                "https://eksempel.invalid/ophaevelse" if sometimes(draw)
                                else None, recorded_at=grid_at(draw(st.integers(0, LAST)))))
        event("world: repeal")


def _draw_completeness(draw: st.DrawFn, w: Draft) -> None:
    """What the register knows of each covered place's decisions: mostly all (so that "no
    decision" means "not set aside"), else partly, not at all, or nothing recorded; some for
    a period only, some re-recorded later."""
    for mun, area in sorted({(c.municipality, c.area) for c in w.coverage}):
        if not mostly(draw):
            event("world: no completeness recorded for a covered place")
            continue
        level = draw(st.sampled_from(["complete", "complete", "partial", "unknown"]))
        start = draw(st.one_of(st.none(), st.none(), st.integers(0, 12)))
        w.completeness.append(Completeness(
            mun, area, grid(start) if start is not None else None, None, level,  # type: ignore[arg-type]
            "eksempel", "https://eksempel.dk/oversigt" if sometimes(draw) else None,
            recorded_at=grid_at(draw(st.integers(0, 4)))))
        event(f"world: completeness {level}")
        if sometimes(draw):  # learnt later: the register now knows every decision
            w.completeness.append(Completeness(
                mun, area, grid(start) if start is not None else None, None, "complete",
                "eksempel", recorded_at=grid_at(draw(st.integers(5, LAST)))))
            event("world: completeness re-recorded later")


def _draw_dependencies(draw: st.DrawFn, w: Draft) -> None:
    """Provisions that do not apply where another is set aside: mostly a node tied to a
    node the decisions target, sometimes a whole act; some for a period only."""
    if not w.provisions or not mostly(draw):
        return
    targeted = [(t.act, t.ref) for x in (*w.decisions, *w.exemptions) for t in x.targets]
    for _ in range(draw(st.integers(1, 2))):
        on = [draw(st.sampled_from(targeted)) if targeted and mostly(draw) else
              draw(st.sampled_from(w.nodes())) for _ in range(draw(st.integers(1, 2)))]
        dependent = draw(st.sampled_from([k for k in w.nodes() if k not in on]
                                         or w.nodes()))
        start = draw(st.one_of(st.none(), st.none(), st.integers(0, 16)))
        partial = sometimes(draw)
        w.dependencies.append(Dependency(
            dependent[0], dependent[1], tuple(dict.fromkeys(on)),
            "eksempel-bekendtgørelse § 3", extent="partial" if partial else "whole",
            note="kun reglerne om frokost (eksempel)" if partial else "",
            valid_from=grid(start) if start is not None else None,
            recorded_at=grid_at(draw(st.integers(0, 8)))))
        event("world: dependency" + (" for part of a node" if partial else ""))


def _draw_condition_scopes(draw: st.DrawFn, w: Draft) -> None:
    """Protected groups and general guardrails that concern only some provisions (a node
    the decisions target, or another) or only some dates (lov 879 § 9, § 9 a)."""
    targeted = [(t.act, t.ref) for x in (*w.decisions, *w.exemptions) for t in x.targets]
    for r in w.regimes:
        for text in (*r.protected_groups, *r.general_guardrails):
            if not sometimes(draw):
                continue
            concerns = tuple(dict.fromkeys(
                draw(st.sampled_from(targeted)) if targeted and mostly(draw)
                else draw(st.sampled_from(w.nodes()))
                for _ in range(draw(st.integers(0, 2))))) if w.provisions else ()
            start = draw(st.one_of(st.none(), st.integers(0, 16)))
            w.condition_scopes.append(ConditionScope(
                r.key, text, concerns, grid(start) if start is not None else None,
                basis="eksempelloven § 9 (eksempel)",
                recorded_at=grid_at(draw(st.integers(0, 8)))))
            event("world: condition scoped" + (" to provisions" if concerns else "")
                  + (" from a date" if start is not None else ""))


def _draw_corrections(draw: st.DrawFn, w: Draft) -> None:
    """The register's later corrections of published decisions: who decided is not known
    after all, or a target is the register's reading of the source's words."""
    for dec in w.decisions:
        if not sometimes(draw):
            continue
        body = DecidedBy("unknown") if mostly(draw) else None
        words = ((dec.targets[0].citation, "eksempelord"),) if sometimes(draw) else ()
        w.corrections.append(Correction(
            dec.id, body, words, "eksempel",
            recorded_at=max(dec.recorded_at, grid_at(draw(st.integers(0, LAST))))))
        event("world: decision corrected")


def turning_points(world: World) -> list[Date]:
    """Every date on which something in the world starts or ends: where the rules' edges are."""
    days: set[Date | None] = set()
    for dec in world.decisions:
        days |= {dec.effective_from, dec.effective_to}
    for ex in world.exemptions:
        days |= {ex.valid_from, ex.valid_to}
    for x in (*world.coverage, *world.versions, *world.memberships):
        days |= {x.valid_from, x.valid_to}
    days |= {rp.valid_from for rp in world.repeals}
    days |= {li.valid_from for r in world.regimes for li in r.listings}
    days |= {li.valid_to for r in world.regimes for li in r.listings}
    days |= {x.valid_from for x in (*world.dependencies, *world.completeness,
                                    *world.condition_scopes)}
    return sorted(x for x in days if x is not None)


def record_times(world: World) -> list[dt.datetime]:
    """Every record time in the world, in order."""
    return sorted({x.recorded_at for x in world.records()})  # type: ignore[attr-defined]


STEPS = (_draw_places, _draw_acts, _draw_versions, _draw_regimes, _draw_coverage,
         _draw_institutions, _draw_decisions, _draw_exemptions, _draw_repeals,
         _draw_completeness, _draw_dependencies, _draw_condition_scopes,
         _draw_corrections)


@st.composite
def worlds(draw: st.DrawFn) -> World:
    """A random world, made by the steps in ``STEPS`` in order (see the note above)."""
    w = Draft()
    for step in STEPS:
        step(draw, w)
    return w.world()
