"""The rights that matter most to a citizen in each area ("Det gælder stadig for dig").

Read from ``frisat/data/reference/citizen-rights.yaml``: per area, at most eight rights that
a velfærdsaftale could not take away, each with its frisat citation, why the regime protects
it (a guardrail, a general guardrail or a protected group), a short name and a one-line
summary in Danish and English in frisat's own words, and its source; plus the candidates
left out (with the reason) and the notices to show beside them. Pure data, no Django: a page
asks ``rights(area, on=date)`` and links each citation to its provision page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data" / "reference" / "citizen-rights.yaml"


@dataclass(frozen=True)
class Text:
    da: str
    en: str

    def in_(self, lang: str) -> str:
        return self.en if lang == "en" else self.da


@dataclass(frozen=True)
class Right:
    area: str
    regime: str
    key: str
    citation: str
    also: tuple[str, ...]  # provisions that belong with it (e.g. the other stk.)
    basis: str  # guardrail | general_guardrail | protected_group
    basis_text: str | None  # the reference in the regime's text (general ones)
    valid_from: dt.date | None
    valid_to: dt.date | None  # half-open
    name: Text
    summary: Text
    source: str
    confidence: str

    def holds_on(self, d: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= d) and (
            self.valid_to is None or d < self.valid_to)


@dataclass(frozen=True)
class LeftOut:
    area: str
    citation: str
    status: str  # deviable | not_listed | guardrail: how the regime marks it
    reason: Text


@dataclass(frozen=True)
class Notice:
    area: str
    citation: str
    text: Text


@dataclass(frozen=True)
class AreaRights:
    area: str
    regime: str
    rights: tuple[Right, ...]
    left_out: tuple[LeftOut, ...]
    notices: tuple[Notice, ...]


def _text(o: dict[str, str]) -> Text:
    return Text(" ".join(o["da"].split()), " ".join(o["en"].split()))


def _date(v: Any) -> dt.date | None:
    return v if v is None or isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def read(doc: dict[str, Any]) -> dict[str, AreaRights]:
    out = {}
    for area, a in doc["by_area"].items():
        regime = a["regime"]
        out[area] = AreaRights(
            area=area, regime=regime,
            rights=tuple(Right(
                area=area, regime=regime, key=r["key"], citation=r["citation"],
                also=tuple(r.get("also") or ()), basis=r["basis"],
                basis_text=r.get("basis_text"), valid_from=_date(r.get("from")),
                valid_to=_date(r.get("to")), name=_text(r["name"]),
                summary=_text(r["summary"]), source=" ".join(r["source"].split()),
                confidence=r["confidence"]) for r in a["rights"]),
            left_out=tuple(LeftOut(area, x["citation"], x["status"], _text(x["reason"]))
                           for x in a.get("left_out") or ()),
            notices=tuple(Notice(area, x["citation"], _text(x["text"]))
                          for x in a.get("notices") or ()))
    return out


@cache
def by_area() -> dict[str, AreaRights]:
    return read(yaml.safe_load(DATA.read_text(encoding="utf-8")))


def rights(area: str, on: dt.date | None = None) -> list[Right]:
    """The area's rights in their order; with ``on``, those that hold on that date."""
    got = by_area().get(area)
    if got is None:
        return []
    return [r for r in got.rights if on is None or r.holds_on(on)]
