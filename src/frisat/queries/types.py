"""The answers' shapes (CONTRACT.md), as typed dictionaries.

The questions return plain dictionaries of these shapes (no validation cost on the command
line); the API declares the same types as its response schemas, so the OpenAPI document
describes the real bodies. Keys are listed in the order they are written.
"""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict

# A reason: ``kind`` (SEMANTICS §3.5), its data fields (by kind: decision, regime,
# effective_from …; see docs/semantics.md) and ``text``, the sentence in the asked language.
ReasonJSON = dict[str, Any]


class VerdictJSON(TypedDict):
    citation: str
    act: str
    ref: str
    level: str
    status: str
    guardrail: bool
    because: list[ReasonJSON]
    heading: NotRequired[str]
    summary: NotRequired[str]


class InstitutionRef(TypedDict):
    id: str
    name: str
    municipality: int | None
    area: str | None
    kind: str | None
    provider: str | None
    example: bool


class RulesAnswer(TypedDict):
    institution: InstitutionRef
    date: str
    known_at: str
    provisions: list[VerdictJSON]
    registered: NotRequired[Registered]  # the institution's record (API and portal only)


class StatusAnswer(TypedDict):
    municipality: int
    area: str
    date: str
    known_at: str
    citation: str
    act: str
    ref: str
    level: str
    status: str
    guardrail: bool
    because: list[ReasonJSON]
    heading: NotRequired[str]
    summary: NotRequired[str]


class DecidedBy(TypedDict):
    body: str
    name: str
    institution: NotRequired[str]


class TargetJSON(TypedDict):
    citation: str
    extent: str
    note: NotRequired[str]


class DecisionJSON(TypedDict):
    id: str
    municipality: int
    regime: str
    area: str
    title: str
    decided_by: DecidedBy
    decided_on: str | None
    published_on: str | None
    published: bool
    effective_from: str | None
    effective_to: str | None
    scope: dict[str, Any]  # {"institutions": "all" | [ids]} or {"kinds": [kinds]}
    targets: list[TargetJSON]
    replacement: str
    revokes: list[str]
    source_url: str | None
    date_precision: str
    confidence: str
    example: bool


class OverviewDecision(DecisionJSON):
    state: str  # in_force | future | ended | revoked
    url: str


class OverviewAnswer(TypedDict):
    municipality: int
    date: str
    known_at: str
    decisions: list[OverviewDecision]


CoverageJSON = TypedDict("CoverageJSON", {"municipality": int, "name": str, "area": str,
                                          "from": str, "to": str | None})


class NationalRegimeJSON(TypedDict):
    key: str
    title: str
    legal_basis: str
    coverage: list[CoverageJSON]


class ExceptionJSON(TypedDict):
    municipality: int
    area: str
    institution: str | None
    citation: str
    act: str
    status: str
    decision: str
    decisions: list[str]


class NationalAnswer(TypedDict):
    date: str
    municipalities_total: int
    regimes: list[NationalRegimeJSON]
    freed_municipalities: int
    decisions_in_force: int
    exemptions_in_force: int
    provisions_set_aside: int
    exceptions: list[ExceptionJSON]
    known_at: str


VersionJSON = TypedDict("VersionJSON", {"from": str | None, "to": str | None,
                                        "enacted_by": str, "exclusions": list[str]})


class ProvisionNode(TypedDict):
    citation: str
    ref: str
    parent: str | None
    heading: str
    summary: str
    leaf: bool
    in_force: bool
    versions: list[VersionJSON]
    marks: dict[str, str]


class ActJSON(TypedDict):
    key: str
    title: str
    level: str
    areas: list[str]
    eli: str | None
    source_url: str | None
    partial: bool


class ProvisionsAnswer(TypedDict):
    act: ActJSON
    date: str
    known_at: str
    provisions: list[ProvisionNode]
    registered: NotRequired[Registered]  # the act's record (API only)


class MunicipalityJSON(TypedDict):
    code: int
    name: str
    region_code: int
    region_name: str


class MunicipalityList(TypedDict):
    count: int
    limit: int
    offset: int
    items: list[MunicipalityJSON]
    municipalities: list[MunicipalityJSON]


class InstitutionJSON(TypedDict):
    id: str
    name: str
    municipality: int
    area: str
    kind: str
    provider: str
    example: bool


class InstitutionList(TypedDict):
    count: int
    limit: int
    offset: int
    items: list[InstitutionJSON]


class DecisionWithState(DecisionJSON):
    state: str


class DecisionList(TypedDict):
    count: int
    limit: int
    offset: int
    items: list[DecisionWithState]


class DecisionAnswer(DecisionWithState):
    date: str
    recorded_at: str  # when the register registered it
    known_from: str | None  # the earlier time its source claimed it was known from
    registered_after_publication: bool
    registered: Registered  # the same record time, and from what it was registered


Page = dict[str, Any]  # a list page before it is typed: count, limit, offset, items


# ------------------------------------------------------------------ the first screen


# One thing that is different at an institution: a decision (or exemption, or the
# consequence of one) setting a target aside. Functional form: "from" is a keyword.
Deviation = TypedDict("Deviation", {
    "record": str, "kind": str, "title": str, "example": bool, "url": str | None,
    "target": str, "target_label": str, "target_url": str, "heading": str, "status": str,
    "extent": str, "note": str, "replacement": str, "from": str, "to": str,
    "date_precision": str, "provisions": int, "text": str})


class RightHeld(TypedDict):
    key: str
    name: str
    summary: str
    citation: str
    citation_label: str
    url: str
    status: str


class UnknownPart(TypedDict):
    kind: str
    provisions: int
    municipality: int | None
    municipality_name: str | None
    area: str | None
    decisions_known: Any
    level: str
    ask_url: str | None
    text: str


class EndedRegime(TypedDict):
    regime: str
    title: str
    area: str
    ceased: str
    last_day: str


HistoryStretch = dict[str, Any]


class SituationAnswer(TypedDict):
    institution: str
    date: str
    open: bool
    different: list[Deviation]
    rights: list[RightHeld]
    guardrails: int
    unknown: list[UnknownPart]
    ended: list[EndedRegime]
    history: list[HistoryStretch]


# When the register registered the record a page rests on and from what (public words of
# its load; None: not known). Functional form: "from" is a keyword.
Registered = TypedDict("Registered", {"at": str, "how": str | None, "from": str | None})
