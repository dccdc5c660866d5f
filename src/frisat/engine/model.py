"""The facts the engine reasons over: plain frozen records, no Django, no I/O.

A ``World`` holds every record the register has ever known, each stamped with its record
time (``recorded_at``). ``World.known_at(K)`` gives the world as the register knew it at K:
only records registered at or before K, and for keyed histories (coverage, versions,
memberships) the latest registered record per key. The engine only ever sees such a view.

Dates are ``datetime.date`` (Danish calendar dates); intervals are half-open
``[valid_from, valid_to)`` with ``None`` for an open end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import Any, ClassVar, Literal

Date = dt.date
Instant = dt.datetime

Level = Literal["state", "municipal"]
Shape = Literal["listed", "all_but_guardrails"]
Body = Literal["council", "committee", "administration", "institution"]
# who decided a decision: a body, or "unknown" where the source does not say (never a guess)
Delegate = Literal["committee", "administration", "institution"]  # never the council itself
Decider = Literal["council", "committee", "administration", "institution", "unknown"]
Extent = Literal["whole", "partial"]
Mark = Literal["deviable", "guardrail"]

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def in_interval(d: Date, start: Date | None, end: Date | None) -> bool:
    """Half-open membership: start <= d < end; None means unbounded."""
    return (start is None or start <= d) and (end is None or d < end)


@dataclass(frozen=True)
class Municipality:
    code: int
    name: str
    region_code: int
    region_name: str
    source: str = ""
    recorded_at: Instant = EPOCH


@dataclass(frozen=True)
class Area:
    key: str  # dagtilbud, folkeskole, aeldre, ...
    name: str
    name_en: str = ""
    recorded_at: Instant = EPOCH


@dataclass(frozen=True)
class Membership:
    """An institution's dated belonging to a municipality and area (SEMANTICS §1).

    Keyed by (institution, valid_from): a later record with the same key (e.g. a closure
    date learnt from a newer register extract) supersedes the earlier one from its
    record time on.
    """

    institution: str
    municipality: int
    area: str
    kind: str
    valid_from: Date | None
    valid_to: Date | None = None
    provider: Literal["public", "private"] = "public"
    recorded_at: Instant = EPOCH


@dataclass(frozen=True)
class Institution:
    id: str
    name: str
    requested: tuple[str, ...] = ()  # regimes a private provider asked to be covered by
    source: str = ""
    example: bool = False
    recorded_at: Instant = EPOCH


@dataclass(frozen=True)
class Act:
    key: str
    level: Level
    title: str
    areas: tuple[str, ...]
    valid_from: Date | None = None
    municipality: int | None = None  # owner of a municipal rule set
    eli: str | None = None
    source_url: str | None = None
    kinds: tuple[str, ...] | None = None  # institution kinds it governs; None = all
    short_title: str = ""
    partial: bool = False  # the catalogue holds only some of its provisions (shown as such)
    recorded_at: Instant = EPOCH


@dataclass(frozen=True)
class Provision:
    """A node of an act's tree. ``ref`` is canonical (``§ 3 a, stk. 2``); "" is the act."""

    act: str
    ref: str
    parent: str | None  # ref of the parent node; None only for the act root
    heading: str = ""
    summary: str = ""
    order: int = 0  # position in the act, for printing in the act's own order
    recorded_at: Instant = EPOCH

    @property
    def key(self) -> tuple[str, str]:
        return (self.act, self.ref)

    @property
    def citation(self) -> str:
        return f"{self.act} {self.ref}".strip()


@dataclass(frozen=True)
class Exclusion:
    """A version "has no effect for municipalities covered by regime R" (SEMANTICS §3.2)."""

    regime: str
    area: str | None = None  # None: any area the regime covers
    basis: str = ""  # the act that made the exclusion, e.g. lov nr. 410 af 23/04/2024


@dataclass(frozen=True)
class Version:
    """A provision's validity ``[valid_from, valid_to)``; keyed by (act, ref, valid_from)."""

    act: str
    ref: str
    valid_from: Date | None
    valid_to: Date | None = None
    enacted_by: str = ""
    exclusions: tuple[Exclusion, ...] = ()
    recorded_at: Instant = EPOCH


@dataclass(frozen=True)
class Listing:
    """A node a regime lists as deviable or as a guardrail, for ``[valid_from, valid_to)``.

    Dates are for lists that changed while the regime ran (lov 880 § 9, stk. 4 was
    rewritten by LBK 1171/2022); None means for the whole life of the regime.
    """

    act: str
    ref: str
    mark: Mark
    note: str = ""
    source: str = ""
    valid_from: Date | None = None
    valid_to: Date | None = None
    # only for these municipalities (a frikommune network, a named group); None: all the
    # regime covers (SEMANTICS §3.4, "listings per part of a regime")
    municipalities: tuple[int, ...] | None = None
    part: str = ""  # only part of the node may be set aside, e.g. "1. pkt."
    # a further step the deviation needs (the minister's approval, the parents' choice …)
    condition: str = ""
    condition_basis: str = ""

    def applies_to(self, municipality: int | None) -> bool:
        """Whether the listing holds for the municipality (None: for the regime as such)."""
        return self.municipalities is None or municipality is None \
            or municipality in self.municipalities


@dataclass(frozen=True)
class Regime:
    key: str
    title: str
    kind: str  # velfaerdsaftale, frikommune, frisaettelse
    legal_basis: str
    shape: Shape
    acts: tuple[str, ...]
    listings: tuple[Listing, ...] = ()
    min_effect_delay_days: int = 1
    delegation_allowed: bool = True
    kinds: tuple[str, ...] | None = None
    private_requires_request: bool = False
    protected_groups: tuple[str, ...] = ()
    general_guardrails: tuple[str, ...] = ()
    run_off_note: str | None = None
    source_url: str | None = None
    recorded_at: Instant = EPOCH

    @cached_property
    def marks(self) -> dict[tuple[str, str], Mark]:
        """(act, ref) -> mark, ignoring listing dates; a guardrail wins if listed both ways."""
        return self.marks_on(None)

    def marks_on(self, d: Date | None,
                 municipality: int | None = None) -> dict[tuple[str, str], Mark]:
        """(act, ref) -> mark of the listings valid on D (all listings when D is None) that
        hold for the municipality (every listing when it is None)."""
        out: dict[tuple[str, str], Mark] = {}
        for lst in self.listings:
            if d is not None and not in_interval(d, lst.valid_from, lst.valid_to):
                continue
            if not lst.applies_to(municipality):
                continue
            if out.get((lst.act, lst.ref)) != "guardrail":
                out[(lst.act, lst.ref)] = lst.mark
        return out

    @cached_property
    def scoped(self) -> bool:
        """Whether some listing holds for part of the regime's municipalities only."""
        return any(li.municipalities is not None for li in self.listings)

    @cached_property
    def listing_dates(self) -> tuple[Date, ...]:
        """The dates on which the regime's lists change, in order."""
        return tuple(sorted({x for li in self.listings for x in (li.valid_from, li.valid_to)
                             if x is not None}))


@dataclass(frozen=True)
class Coverage:
    """Who a regime frees, and when. Keyed by (regime, municipality, area, valid_from)."""

    regime: str
    municipality: int
    area: str
    valid_from: Date
    valid_to: Date | None
    source: str = ""
    confidence: str = ""
    recorded_at: Instant = EPOCH

    @property
    def key(self) -> tuple[str, int, str, Date]:
        return (self.regime, self.municipality, self.area, self.valid_from)


@dataclass(frozen=True)
class Delegation:
    municipality: int
    regime: str
    to: Delegate
    name: str = ""
    institution: str | None = None  # when delegated to one institution
    decided_on: Date | None = None
    source: str = ""
    recorded_at: Instant = EPOCH


@dataclass(frozen=True)
class Target:
    act: str
    ref: str
    extent: Extent = "whole"
    note: str = ""
    # where the listing needs a further step (``Listing.condition``): was it taken?
    # True, False, or None: not known
    condition_met: bool | None = None
    # the source's own words, where the register itself mapped them to this citation
    # ("hjemmehjælp" → serviceloven § 83, stk. 1): an interpretation, shown as such
    source_words: str = ""

    @property
    def citation(self) -> str:
        return f"{self.act} {self.ref}".strip()


@dataclass(frozen=True)
class Scope:
    """Whole municipality (in the area), a list of institutions, or institution kinds."""

    institutions: tuple[str, ...] | None = None  # None together with kinds None: all
    kinds: tuple[str, ...] | None = None

    @property
    def whole(self) -> bool:
        return self.institutions is None and self.kinds is None


@dataclass(frozen=True)
class DecidedBy:
    body: Decider
    name: str = ""
    institution: str | None = None


@dataclass(frozen=True)
class Decision:
    id: str
    municipality: int
    regime: str
    area: str
    decided_by: DecidedBy
    decided_on: Date | None
    published_on: Date | None
    effective_from: Date
    effective_to: Date | None
    scope: Scope
    targets: tuple[Target, ...]
    title: str = ""
    replacement: str = ""
    revokes: tuple[str, ...] = ()
    source_url: str | None = None
    date_precision: Literal["day", "month", "year"] = "day"
    confidence: str = ""  # as the source research marks it: high, medium, low; "" = not rated
    # Published in the § 6 overview. A real decision may be known to be published while its
    # publication date is not (published_on None): it counts, and the date shows as unknown.
    published: bool = True
    example: bool = False
    recorded_at: Instant = EPOCH


@dataclass(frozen=True)
class Exemption:
    """A frikommune-style approval by the ministry, for the whole municipality."""

    id: str
    regime: str
    municipality: int
    area: str
    targets: tuple[Target, ...]
    valid_from: Date
    valid_to: Date | None
    approved_on: Date | None = None
    legal_basis: str = ""
    source_url: str | None = None
    recorded_at: Instant = EPOCH


@dataclass(frozen=True)
class Repeal:
    """A municipality repeals its own rule set or one provision of it from a date."""

    act: str
    ref: str
    valid_from: Date
    decided_on: Date | None = None
    source_url: str | None = None
    recorded_at: Instant = EPOCH


@dataclass(frozen=True)
class Kept:
    """A municipal rule set the municipality chose to keep, with its reason."""

    act: str
    municipality: int
    reason: str
    source_url: str | None = None
    recorded_at: Instant = EPOCH


@dataclass(frozen=True)
class Dependency:
    """A provision (or a whole act) that does not apply where another is set aside, by law
    (SEMANTICS §3.4): BEK 893/2021 § 3 — the Fælles Mål orders do not apply once
    folkeskoleloven §§ 9–10 are set aside. Keyed by (act, ref, on)."""

    act: str  # the dependent node (B)
    ref: str
    # the nodes it depends on (A, as (act, ref)): when every one of them is wholly set
    # aside, B does not apply
    on: tuple[tuple[str, str], ...]
    basis: str  # the rule that says so, e.g. "BEK nr. 893 af 12/05/2021 § 3"
    source: str = ""
    extent: Extent = "whole"  # partial: only some of B falls (``note`` says which)
    note: str = ""
    valid_from: Date | None = None
    valid_to: Date | None = None
    recorded_at: Instant = EPOCH

    @property
    def key(self) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        return (self.act, self.ref, self.on)


Known = Literal["complete", "partial", "unknown"]


@dataclass(frozen=True)
class Completeness:
    """What the register knows of a municipality's decisions in an area for a period
    (SEMANTICS §3.4, "completeness"): ``complete`` (every decision is registered — only then
    does "no decision" mean "not set aside"), ``partial`` or ``unknown``, with the source
    (e.g. the municipality's own § 6 overview). Keyed by (municipality, area, valid_from)."""

    municipality: int
    area: str
    valid_from: Date | None
    valid_to: Date | None
    level: Known
    source: str = ""
    source_url: str | None = None
    note: str = ""
    recorded_at: Instant = EPOCH

    @property
    def key(self) -> tuple[int, str, Date | None]:
        return (self.municipality, self.area, self.valid_from)


@dataclass(frozen=True)
class ConditionScope:
    """Where one of a regime's general guardrails or protected groups (by its text) concerns
    a set-aside (SEMANTICS §3.5: a condition is shown only where it concerns p and D): lov
    879 § 9 holds once serviceloven § 83, stk. 1, 3 or 5, § 83 a, § 84, stk. 1 or § 86 is
    set aside, § 9 a only from 1 July 2023. A text without a scope concerns every set-aside
    under its regime. Keyed by (regime, text)."""

    regime: str
    text: str  # as it stands in Regime.general_guardrails or Regime.protected_groups
    concerns: tuple[tuple[str, str], ...] = ()  # nodes (act, ref); empty: every provision
    valid_from: Date | None = None
    valid_to: Date | None = None
    basis: str = ""  # the rule that limits it, e.g. "lov 879 § 9, stk. 1"
    recorded_at: Instant = EPOCH

    def holds(self, path: Iterable[tuple[str, str]], d: Date) -> bool:
        """Whether it concerns a leaf (given as its path up to the act) on D."""
        if not in_interval(d, self.valid_from, self.valid_to):
            return False
        return not self.concerns or any(node in self.concerns for node in path)


@dataclass(frozen=True)
class Correction:
    """The register's correction of what it recorded about a published decision where the
    source does not support it: the deciding body is not known after all, or a citation
    is the register's own reading of the source's words ("hjemmehjælp" → serviceloven
    § 83, stk. 1). A published decision is never edited (SEMANTICS §4, ``immutable``); the
    correction is a record of its own, so a view cut at K applies the corrections known at
    K and an answer given before the correction stays as it was. Keyed by decision id."""

    decision: str
    decided_by: DecidedBy | None = None  # None: as the decision says
    source_words: tuple[tuple[str, str], ...] = ()  # (citation, the source's own words)
    reason: str = ""
    source: str = ""
    recorded_at: Instant = EPOCH

    def apply(self, d: Decision) -> Decision:
        words = dict(self.source_words)
        targets = tuple(replace(t, source_words=words[t.citation]) if t.citation in words
                        else t for t in d.targets)
        return replace(d, decided_by=self.decided_by or d.decided_by, targets=targets)


@dataclass(frozen=True)
class Claim:
    """A record's own claim of the time it was known ("kendt fra 23. april 2024"), kept beside
    the record time the register gave it. A record dated before the newest load is
    registered at its load's time, so an answer given for a record time K stays the answer
    for K (SEMANTICS §6); the time the record claimed is kept here and shown as a claim, never
    used to answer. ``record`` names the record it concerns: its section, its key as text
    (``claim_key``) and its record time in the register (this claim's own record time)."""

    section: str
    record: str
    known_from: Instant
    recorded_at: Instant = EPOCH


def corrected(decisions: Iterable[Decision],
              corrections: Iterable[Correction]) -> tuple[Decision, ...]:
    """The decisions with the register's corrections applied (idempotent)."""
    by_id = {c.decision: c for c in corrections}
    return tuple(by_id[d.id].apply(d) if d.id in by_id else d for d in decisions)


@dataclass(frozen=True)
class World:
    """Every record of the register. Immutable; build views with ``known_at``."""

    municipalities: tuple[Municipality, ...] = ()
    areas: tuple[Area, ...] = ()
    institutions: tuple[Institution, ...] = ()
    memberships: tuple[Membership, ...] = ()
    acts: tuple[Act, ...] = ()
    provisions: tuple[Provision, ...] = ()
    versions: tuple[Version, ...] = ()
    regimes: tuple[Regime, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    delegations: tuple[Delegation, ...] = ()
    decisions: tuple[Decision, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    repeals: tuple[Repeal, ...] = ()
    kept: tuple[Kept, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    completeness: tuple[Completeness, ...] = ()
    condition_scopes: tuple[ConditionScope, ...] = ()
    corrections: tuple[Correction, ...] = ()
    claims: tuple[Claim, ...] = ()
    # the record time this view was cut at, or None for the full history
    as_of: Instant | None = field(default=None, compare=False)
    # the sections, in the order of the declarations (``KINDS``, below)
    SECTIONS: ClassVar[tuple[str, ...]] = ()

    def known_at(self, k: Instant) -> World:
        """The register as it stood at record time K (SEMANTICS §6): the records registered
        at or before K; of a keyed history (``KINDS``), the latest registered record of
        each key (on a tie, the one listed last)."""

        def view(kind: Kind) -> tuple[Any, ...]:
            items = getattr(self, kind.section)
            if kind.key is None:
                return tuple(x for x in items if x.recorded_at <= k)
            best: dict[Hashable, Any] = {}
            for x in items:
                if x.recorded_at <= k:
                    kk = kind.key(x)
                    if kk not in best or best[kk].recorded_at <= x.recorded_at:
                        best[kk] = x
            return tuple(best.values())

        cut = {kind.section: view(kind) for kind in KINDS}
        # the register's corrections known at K speak for the decisions they correct
        cut["decisions"] = corrected(cut["decisions"], cut["corrections"])
        return World(**cut, as_of=k)

    def merged(self, other: World) -> World:
        """This world with the records of ``other`` added (used for scenario overlays)."""
        return World(**{name: getattr(self, name) + getattr(other, name)
                        for name in self.SECTIONS})

    def records(self) -> Iterable[object]:
        """Every record of every section."""
        for name in self.SECTIONS:
            yield from getattr(self, name)

    def covered_areas(self, regime: str, municipality: int) -> list[str]:
        """The areas in which the regime has covered the municipality at any time."""
        return sorted({c.area for c in self.coverage
                       if c.regime == regime and c.municipality == municipality})

    def with_(self, **changes: object) -> World:
        return replace(self, **changes)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- declarations
# One declaration per record type: its engine record, the section it lives in (of a World,
# of a bundle, of the database), its stable key and its kind of history:
#
# * ``history``: a later record of the same key supersedes the earlier one from its record
#   time on (an act corrected, a coverage extended, a membership closed);
# * ``fixed``: a key is recorded once and never changes (a published decision: a correction
#   is a new decision that revokes it); a different record under the same key is refused;
# * ``event``: no key; every distinct record stands (a delegation, a kept rule set).
#
# ``World.known_at``, the tables and their reading and writing (``registry.store``), the
# merge of a load with the register (``registry.loader``), export and the JSON codec
# (``codec``) work from these.

History = Literal["history", "fixed", "event"]


@dataclass(frozen=True, eq=False)
class Layout:
    """How a record stands in a bundle (docs/bundle.md). By default every field stands under
    its own name, in the record's order, encoded by its type: dates and record times in ISO
    8601, tuples as lists, nested records by their own layout. The exceptions, declared:"""

    keys: Mapping[str, str] = field(default_factory=dict)  # field -> bundle key, where other
    order: tuple[str, ...] = ()  # these fields first, in this order; the rest follow
    sparse: frozenset[str] = frozenset()  # written only when set (not None and not "")
    cite: bool = False  # ``act`` and ``ref`` stand as one citation, ``"act ref"``
    given: tuple[str, ...] = ()  # given by where it stands: the enclosing record's key
    # fields with a bundle shape of their own: a hook in registry.export and registry.bundle
    hooks: frozenset[str] = frozenset()
    # how it is read (registry.bundle); a field is required where the record has no default
    # and does not take None, text at most ``registry.validate.FIELD_MAX`` long
    keyed: frozenset[str] = frozenset()  # a register key: lower case, digits, "-" and "."
    required: frozenset[str] = frozenset()  # required although the record has a default
    optional: frozenset[str] = frozenset()  # not required although it has none
    max_len: Mapping[str, int] = field(default_factory=dict)

    def key(self, name: str) -> str:
        return self.keys.get(name, name)

    def fields(self, cls: type) -> tuple[str, ...]:
        """The fields of ``cls`` in bundle order (without those given by the enclosure)."""
        names = [f.name for f in fields(cls)]
        rest = [n for n in names if n not in self.order]
        return tuple(n for n in (*self.order, *rest) if n not in self.given)


PERIOD = {"valid_from": "from", "valid_to": "to"}  # a half-open period in a bundle


@dataclass(frozen=True)
class Kind:
    section: str  # World section, bundle section and table name
    record: type
    history: History
    key: Callable[[Any], Hashable] | None  # None for an event
    noun: str  # Danish, for messages: "Beslutning"
    layout: Layout = field(default_factory=Layout)
    # the section whose records it stands in, in a bundle (a provision in its act); the
    # layout's ``given`` fields are that record's key
    within: str | None = None

    def key_of(self, record: Any) -> Hashable:
        """The stable key; an event is keyed by its content (without its record time)."""
        if self.key is None:
            return replace(record, recorded_at=EPOCH)
        return self.key(record)


KINDS: tuple[Kind, ...] = (
    Kind("municipalities", Municipality, "history", lambda x: x.code, "Kommune",
         Layout(max_len={"name": 100})),
    Kind("areas", Area, "history", lambda x: x.key, "Område",
         Layout(keyed=frozenset({"key"}), max_len={"key": 50, "name": 100})),
    Kind("institutions", Institution, "history", lambda x: x.id, "Institution"),
    Kind("memberships", Membership, "history", lambda x: (x.institution, x.valid_from),
         "Tilhørsforhold", Layout(
             PERIOD, order=("municipality", "area", "kind", "provider", "valid_from"),
             given=("institution",), keyed=frozenset({"area"})), within="institutions"),
    Kind("acts", Act, "history", lambda x: x.key, "Lov", Layout(order=(
        "key", "level", "municipality", "title", "short_title", "areas", "kinds", "eli",
        "valid_from"), keyed=frozenset({"key"}))),
    Kind("provisions", Provision, "history", lambda x: (x.act, x.ref), "Bestemmelse", Layout(
        {"parent": "in"}, sparse=frozenset({"parent", "heading", "summary"}),
        given=("act",)), within="acts"),
    Kind("versions", Version, "history", lambda x: (x.act, x.ref, x.valid_from), "Version",
         # text, heading and note: an official version's wording (registry.bundle)
         Layout(PERIOD, sparse=frozenset({"text", "heading", "note"}),
                given=("act", "ref")), within="provisions"),
    Kind("regimes", Regime, "history", lambda x: x.key, "Ordning", Layout(
        order=("key", "title", "kind", "legal_basis", "source_url", "shape", "acts",
               "listings"), hooks=frozenset({"listings"}), keyed=frozenset({"key"}),
        optional=frozenset({"kind"}))),
    Kind("coverage", Coverage, "history", lambda x: x.key, "Dækning",
         Layout(PERIOD, keyed=frozenset({"regime", "area"}))),
    Kind("delegations", Delegation, "event", None, "Delegation",
         Layout(keyed=frozenset({"regime"}))),
    Kind("decisions", Decision, "fixed", lambda x: x.id, "Beslutning", Layout(order=(
        "id", "municipality", "regime", "area", "title", "decided_by", "decided_on",
        "published_on", "published", "effective_from", "effective_to", "scope", "targets",
        "replacement", "revokes", "source_url", "date_precision", "confidence", "example"),
        hooks=frozenset({"scope"}), keyed=frozenset({"regime"}),
        optional=frozenset({"area"}))),
    Kind("exemptions", Exemption, "fixed", lambda x: x.id, "Fritagelse", Layout(
        PERIOD, keyed=frozenset({"regime"}), optional=frozenset({"area"}),
        # an exemption exists only once the ministry has approved it
        required=frozenset({"approved_on"}))),
    Kind("repeals", Repeal, "history", lambda x: (x.act, x.ref, x.valid_from), "Ophævelse",
         Layout(PERIOD, keyed=frozenset({"act"}))),
    Kind("kept", Kept, "event", None, "Bevaret regelsæt", Layout(keyed=frozenset({"act"}))),
    Kind("dependencies", Dependency, "history", lambda x: x.key, "Afhængighed",
         Layout(PERIOD, cite=True, hooks=frozenset({"on"}))),
    Kind("completeness", Completeness, "history", lambda x: x.key, "Registrets viden",
         Layout(PERIOD, keyed=frozenset({"area"}), required=frozenset({"source"}))),
    Kind("condition_scopes", ConditionScope, "history", lambda x: (x.regime, x.text),
         "Betingelsens rækkevidde",
         Layout(PERIOD, hooks=frozenset({"concerns"}), keyed=frozenset({"regime"}))),
    Kind("corrections", Correction, "history", lambda x: x.decision, "Rettelse",
         Layout(sparse=frozenset({"decided_by"}), hooks=frozenset({"source_words"}),
                required=frozenset({"reason"}))),
    Kind("claims", Claim, "event", None, "Oplyst registreringstid"),
)
BY_SECTION: Mapping[str, Kind] = {k.section: k for k in KINDS}


def claim_key(kind: Kind, record: Any) -> str:
    """A record's key as the text a ``Claim`` names it by: its parts joined by " | " (an
    event, which has no key, by its fields)."""
    key = kind.key(record) if kind.key is not None else tuple(
        getattr(record, f.name) for f in fields(record) if f.name != "recorded_at")
    parts = key if isinstance(key, tuple) else (key,)
    return " | ".join("" if p is None else str(p) for p in parts).strip()


BY_RECORD: Mapping[type, Kind] = {k.record: k for k in KINDS}
World.SECTIONS = tuple(k.section for k in KINDS)
# the sections of a bundle, in the order of the shipped bundles (a section declared later
# follows them); a declaration ``within`` another stands in that one's records instead
_BUNDLE_ORDER = ("areas", "municipalities", "acts", "regimes", "coverage", "institutions",
                 "delegations", "decisions", "exemptions", "repeals", "kept", "dependencies",
                 "completeness", "corrections", "condition_scopes")
BUNDLE: tuple[Kind, ...] = tuple(sorted(
    (k for k in KINDS if k.within is None),
    key=lambda k: _BUNDLE_ORDER.index(k.section) if k.section in _BUNDLE_ORDER
    else len(_BUNDLE_ORDER)))
# every section of a World is declared, and every declaration is a section of a World
assert set(World.SECTIONS) == {f.name for f in fields(World)} - {"as_of"}

# the layouts of every record that stands in a bundle: the declared ones and their parts
LAYOUTS: Mapping[type, Layout] = {
    **{k.record: k.layout for k in KINDS},
    Listing: Layout(PERIOD, cite=True, given=("mark",), sparse=frozenset(
        {"municipalities", "part", "condition", "condition_basis"}), max_len={"part": 200}),
    Exclusion: Layout(keyed=frozenset({"regime"})),
    Target: Layout(cite=True, sparse=frozenset({"note", "condition_met", "source_words"}),
                   max_len={"source_words": 300}),
    DecidedBy: Layout(sparse=frozenset({"institution"})),
}


def layout_of(cls: type) -> Layout:
    """The layout of a record type (of its declared base, for a subclass)."""
    return next(LAYOUTS[c] for c in cls.__mro__ if c in LAYOUTS)
