"""The answer index: answers kept per stretch between change dates, built from the engine.

Decisions are sparse, and an answer changes only on the dates something changes in the
municipality and area (``timeline.change_dates``). The index therefore keeps:

* per institution *profile* and stretch, the verdict list: institutions of the same
  municipality, area, kind and provider, with the same requests and named in the same
  decisions' scopes, get the same verdicts (``institution_rules``);
* per municipality, area and stretch, the freedoms of the national view, and per stretch
  between the nation's change dates the national answer itself (``national``).

Entries are built on first use (or ahead, ``warm``) by the engine itself, so the index is
never wrong: it only remembers. Reasons that name the date asked are rendered for the date
of each question (``Verdict.to_json(lang, asked)``). An index belongs to one register view
(one ``Engine``) and dies with it.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from frisat.engine.model import Date, Membership
from frisat.engine.stretches import Span, change_dates, national_dates, span_of
from frisat.engine.verdict import Engine, Verdict

if TYPE_CHECKING:
    from frisat.engine.nationwide import AreaExceptions, National

Profile = tuple[Hashable, ...]


class AnswerIndex:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._named: dict[str, frozenset[str]] | None = None
        self._rules: dict[tuple[Profile, Span], tuple[Verdict, ...]] = {}
        self._areas: dict[tuple[int, str, Span], AreaExceptions] = {}
        self._national: dict[Span, National] = {}

    # ------------------------------------------------------------------ institutions

    def _named_in(self, institution: str) -> frozenset[str]:
        """The published decisions whose scope names the institution."""
        if self._named is None:
            named: dict[str, set[str]] = {}
            for decisions in self.engine.decisions_by_area.values():
                for dec in decisions:
                    for i in dec.scope.institutions or ():
                        named.setdefault(i, set()).add(dec.id)
            self._named = {k: frozenset(v) for k, v in named.items()}
        return self._named.get(institution, frozenset())

    def profile(self, institution: str, m: Membership) -> Profile:
        """What the verdicts of an institution depend on besides the date."""
        inst = self.engine.institutions.get(institution)
        requested = frozenset(inst.requested) if inst is not None and \
            m.provider == "private" else frozenset()
        return (m.municipality, m.area, m.kind, m.provider, requested,
                self._named_in(institution))

    def key(self, institution: str, d: Date) -> tuple[Profile, Span] | None:
        """What the institution's verdicts on D are kept under (None: not open on D).
        Institutions and dates with the same key get the same verdicts."""
        m = self.engine.membership(institution, d)  # raises UnknownRecord
        if m is None:
            return None
        span = span_of(change_dates(self.engine, m.municipality, m.area), d)
        return (self.profile(institution, m), span)

    def institution_rules(self, institution: str, d: Date) -> tuple[Verdict, ...]:
        """As ``Engine.institution_rules``: every relevant leaf's verdict on D."""
        key = self.key(institution, d)
        if key is None:
            return ()
        got = self._rules.get(key)
        if got is None:
            got = self._rules[key] = tuple(self.engine.institution_rules(institution, d))
        return got

    # ------------------------------------------------------------------ national

    def area(self, mun: int, area: str, d: Date) -> AreaExceptions:
        from frisat.engine.nationwide import area_exceptions

        span = span_of(change_dates(self.engine, mun, area), d)
        got = self._areas.get((mun, area, span))
        if got is None:
            got = self._areas[(mun, area, span)] = area_exceptions(self.engine, mun, area, d)
        return got

    def national(self, d: Date) -> National:
        """As ``national(engine, d)``: kept per stretch between the nation's change dates,
        and built from the freedoms kept per area and stretch."""
        from dataclasses import replace

        from frisat.engine.nationwide import assemble

        span = self.national_span(d)
        got = self._national.get(span)
        if got is None:
            if len(self._national) > 256:
                self._national.clear()
            got = self._national[span] = assemble(
                self.engine, d, (self.area(mun, area, d)
                                 for mun, area in sorted(self.engine.mun_area_keys())))
        return got if got.date == d else replace(got, date=d)

    def national_span(self, d: Date) -> Span:
        """The stretch between the nation's change dates that holds D: every national
        answer in it is the same (but for its date)."""
        return span_of(national_dates(self.engine), d)

    def warm(self, d: Date) -> None:
        """Build the national entries for D ahead of the first question."""
        self.national(d)
