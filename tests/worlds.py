"""World builders for engine tests: a small hand-made example world and random worlds.

Everything here is made up and marked as such (keys and names with ``eksempel``/``example``,
municipality codes 901–903 outside the real 101–860 range).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from frisat.engine.model import (
    Act,
    Area,
    Coverage,
    Date,
    DecidedBy,
    Decision,
    Delegation,
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
    return World(
        municipalities=municipalities, areas=areas, institutions=institutions,
        memberships=memberships, acts=acts, provisions=provisions, versions=versions,
        regimes=regimes, coverage=coverage, delegations=delegations,
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

BASE = Date(2021, 1, 1)
STEP = 60  # days between grid dates; 0..24 covers 2021-2024


def grid(i: int) -> Date:
    return BASE + dt.timedelta(days=STEP * i)


def grid_at(i: int) -> dt.datetime:
    return dt.datetime.combine(grid(i), dt.time(), tzinfo=UTC)


dates = st.integers(0, 24)
MUNS = (901, 902)
AREAS = ("dagtilbud", "folkeskole")
KINDS = ("daginstitution", "dagpleje", "klub")


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


@st.composite
def worlds(draw: st.DrawFn) -> World:
    """A random world: acts with random trees, regimes of both shapes with nested
    listings, coverage with later extensions, institutions with memberships, kinds and
    private providers, decisions with scopes, partial targets, revocations and record
    times, exemptions, version exclusions and repeals."""
    municipalities = tuple(Municipality(c, f"Eksempel {c}", 1084, "Region Eksempel")
                           for c in MUNS)
    areas = tuple(Area(a, a) for a in AREAS)
    n_acts = draw(st.integers(1, 3))
    acts: list[Act] = []
    provisions: list[Provision] = []
    for i in range(n_acts):
        key = f"eksempel-lov-{i}"
        municipal = draw(st.booleans()) and i > 0
        act_areas = tuple(draw(st.one_of(st.just(set(AREAS)),
                                         st.sets(st.sampled_from(AREAS), min_size=1))))
        kinds = draw(st.one_of(st.none(), st.sets(st.sampled_from(KINDS), min_size=1)
                               .map(lambda s: tuple(sorted(s)))))
        acts.append(Act(key, "municipal" if municipal else "state", key, tuple(sorted(act_areas)),
                        grid(0), municipality=draw(st.sampled_from(MUNS)) if municipal else None,
                        kinds=kinds))
        provisions += draw(act_trees(key))
    nodes = [p for p in provisions]
    node_keys = [p.key for p in nodes]
    has_child = {(p.act, p.parent or "") for p in nodes if p.ref}
    leaves = [p for p in nodes if p.ref and p.key not in has_child]

    # versions with exclusions
    regime_keys = [f"eksempel-ordning-{j}" for j in range(draw(st.integers(1, 3)))]
    versions: list[Version] = []
    for leaf in draw(st.lists(st.sampled_from(leaves), max_size=3, unique=True)):
        split = draw(st.integers(1, 20))
        end = draw(st.one_of(st.none(), st.integers(split + 1, 24)))
        excl = draw(st.one_of(st.just(()), st.sampled_from(regime_keys).map(
            lambda r: (Exclusion(r, None, "eksempel-ændring"),))))
        first_from = draw(st.sampled_from([0, 2]))
        versions.append(Version(leaf.act, leaf.ref, grid(first_from), grid(split), "v1"))
        versions.append(Version(leaf.act, leaf.ref, grid(split), grid(end) if end else None,
                                "v2", exclusions=excl))

    regimes: list[Regime] = []
    coverage: list[Coverage] = []
    state_acts = [a.key for a in acts]
    for rk in regime_keys:
        shape = draw(st.sampled_from(["listed", "all_but_guardrails"]))
        r_acts = tuple(draw(st.sets(st.sampled_from(state_acts), min_size=1)))
        own_nodes = [k for k in node_keys if k[0] in r_acts]
        listings = tuple(
            Listing(k[0], k[1], m)
            for k, m in draw(st.dictionaries(st.sampled_from(own_nodes) | st.sampled_from(
                                                 node_keys),
                                             st.sampled_from(["deviable", "guardrail"]),
                                             max_size=6)).items()
        )
        regimes.append(Regime(
            key=rk, title=f"Eksempelordning {rk}", kind="velfaerdsaftale",
            legal_basis=EXAMPLE_BASIS, shape=shape, acts=tuple(sorted(r_acts)),
            listings=listings,
            kinds=draw(st.one_of(st.none(), st.none(), st.sets(st.sampled_from(KINDS),
                                                               min_size=1)
                                 .map(lambda s: tuple(sorted(s))))),
            private_requires_request=draw(st.sampled_from([False, False, True])),
            protected_groups=draw(st.sampled_from([(), ("beskyttet gruppe (eksempel)",)])),
            general_guardrails=draw(st.sampled_from([(), ("generel hegnspæl (eksempel)",)])),
            run_off_note=draw(st.sampled_from([None, "afvikling (eksempel)"])),
            recorded_at=grid_at(0),
        ))
        for _ in range(draw(st.integers(0, 3))):
            mun = draw(st.sampled_from(MUNS))
            area = draw(st.sampled_from(AREAS))
            start = draw(st.integers(0, 8))
            end = draw(st.one_of(st.none(), st.integers(start + 1, 20)))
            rec = draw(st.integers(0, start + 1))
            coverage.append(Coverage(rk, mun, area, grid(start), grid(end) if end else None,
                                     recorded_at=grid_at(rec)))
            if end is not None and draw(st.booleans()):  # an extension recorded later
                coverage.append(Coverage(rk, mun, area, grid(start),
                                         grid(draw(st.integers(end + 1, 24))),
                                         recorded_at=grid_at(draw(st.integers(rec, 24)))))

    places = [(c.municipality, c.area) for c in coverage] or [(MUNS[0], AREAS[0])]
    reg_nodes = {r.key: [k for k in node_keys if k[0] in r.acts] or node_keys
                 for r in regimes}
    institutions: list[Institution] = []
    memberships: list[Membership] = []
    inst_ids = [f"eks-{i}" for i in range(draw(st.integers(1, 5)))]
    for iid in inst_ids:
        requested = tuple(sorted(draw(st.sets(st.sampled_from(regime_keys)))))
        institutions.append(Institution(iid, f"Eksempelinstitution {iid}", requested,
                                        example=True))
        moves = draw(st.integers(0, 1))
        cut = draw(st.integers(1, 23))
        spans = [(None, None)] if not moves else [(None, cut), (cut, None)]
        for a, b in spans:
            mun, area = draw(st.one_of(st.sampled_from(places), st.sampled_from(places),
                                       st.tuples(st.sampled_from(MUNS),
                                                 st.sampled_from(AREAS))))
            memberships.append(Membership(
                iid, mun, area,
                draw(st.sampled_from(KINDS)), grid(a) if a is not None else grid(0),
                grid(b) if b is not None else None,
                draw(st.sampled_from(["public", "private"])),
                recorded_at=grid_at(0)))

    decisions: list[Decision] = []
    for n in range(draw(st.integers(0, 6))):
        did = f"eks-{n:03d}"
        covered = [(c.regime, c.municipality, c.area) for c in coverage]
        if covered and draw(st.integers(0, 4)):
            dec_regime, mun, area = draw(st.sampled_from(covered))
        else:
            dec_regime = draw(st.sampled_from(regime_keys))
            mun = draw(st.sampled_from(MUNS))
            area = draw(st.sampled_from(AREAS))
        eff = draw(st.integers(0, 22))
        to = draw(st.one_of(st.none(), st.integers(eff + 1, 24)))
        scope_kind = draw(st.sampled_from(["whole", "whole", "list", "kinds"]))
        if scope_kind == "whole":
            scope = Scope()
        elif scope_kind == "list":
            scope = Scope(institutions=tuple(draw(st.lists(st.sampled_from(inst_ids),
                                                           min_size=1, max_size=3,
                                                           unique=True))))
        else:
            scope = Scope(kinds=tuple(sorted(draw(st.sets(st.sampled_from(KINDS),
                                                          min_size=1)))))
        tgts = tuple(
            Target(k[0], k[1], draw(st.sampled_from(["whole", "partial"])),
                   "delvis (eksempel)")
            for k in draw(st.lists(st.sampled_from(reg_nodes[dec_regime]) | st.sampled_from(
                node_keys), min_size=1, max_size=3, unique=True))
        )
        earlier = [x.id for x in decisions]
        revokes = tuple(draw(st.lists(st.sampled_from(earlier), max_size=1))) if earlier else ()
        published = draw(st.integers(0, 4)) > 0 or bool(revokes)
        date_known = draw(st.integers(0, 5)) > 0  # real decisions: published, date unknown
        decisions.append(Decision(
            id=did, municipality=mun, regime=dec_regime, area=area,
            decided_by=DecidedBy("council"), decided_on=grid(max(eff - 1, 0)),
            published_on=grid(max(eff - 1, 0)) if published and date_known else None,
            published=published,
            effective_from=grid(eff), effective_to=grid(to) if to else None, scope=scope,
            targets=tgts, revokes=revokes, example=True,
            recorded_at=grid_at(draw(st.integers(0, eff + 1))),
        ))

    exemptions: list[Exemption] = []
    for n in range(draw(st.integers(0, 2))):
        start = draw(st.integers(0, 20))
        end = draw(st.one_of(st.none(), st.integers(start + 1, 24)))
        exemptions.append(Exemption(
            f"eks-fritagelse-{n}", draw(st.sampled_from(regime_keys)),
            draw(st.sampled_from(MUNS)), draw(st.sampled_from(AREAS)),
            tuple(Target(k[0], k[1], draw(st.sampled_from(["whole", "partial"])))
                  for k in draw(st.lists(st.sampled_from(node_keys), min_size=1, max_size=2,
                                         unique=True))),
            grid(start), grid(end) if end else None,
            grid(start) if draw(st.booleans()) else None,
            recorded_at=grid_at(draw(st.integers(0, 24)))))

    repeals: list[Repeal] = []
    municipal_nodes = [p.key for p in nodes
                       if any(a.key == p.act and a.level == "municipal" for a in acts)]
    if municipal_nodes:
        for k in draw(st.lists(st.sampled_from(municipal_nodes), max_size=2, unique=True)):
            repeals.append(Repeal(k[0], k[1], grid(draw(st.integers(0, 24))),
                                  recorded_at=grid_at(draw(st.integers(0, 24)))))

    return World(
        municipalities=municipalities, areas=areas, institutions=tuple(institutions),
        memberships=tuple(memberships), acts=tuple(acts), provisions=tuple(provisions),
        versions=tuple(versions), regimes=tuple(regimes), coverage=tuple(coverage),
        decisions=tuple(decisions), exemptions=tuple(exemptions), repeals=tuple(repeals),
    )
