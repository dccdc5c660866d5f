"""What a regime lets a municipality set aside (SEMANTICS §2): the most-specific listing.

For a node p, walk from p up to the act root; the first node the regime lists decides
(``deviable`` or ``guardrail``). Unlisted under a *listed* regime: not deviable (``None``).
Unlisted under *all but guardrails*: deviable when the act is one of the regime's acts.
A municipal rule set is always deviable by the municipality that owns it.
"""

from __future__ import annotations

from bisect import bisect_right

from frisat.engine.model import Act, Date, Listing, Mark, Regime, in_interval
from frisat.engine.tree import Key, Tree


class Listings:
    """Marks per regime, with a memo per (regime, node)."""

    def __init__(self, regimes: dict[str, Regime], tree: Tree, acts: dict[str, Act]) -> None:
        self.regimes = regimes
        self.tree = tree
        self.acts = acts
        self._memo: dict[tuple[str, str, str, int, int | None],
                         tuple[str | None, Key | None]] = {}
        self._marks: dict[tuple[str, int, int | None], dict[Key, Mark]] = {}

    def _epoch(self, regime: Regime, d: Date | None) -> int:
        """Which stretch between the regime's list-change dates D falls in (-1: any date)."""
        return -1 if d is None or not regime.listing_dates else bisect_right(
            regime.listing_dates, d)

    def listed(self, regime_key: str, act: str, ref: str, d: Date | None = None,
               municipality: int | None = None) -> tuple[str | None, Key | None]:
        """(mark, the node whose listing decided) by the most-specific listing walk, using
        the listings valid on D (all listings when D is None) that hold for the
        municipality (a listing may be a power of one network only; None: every listing).

        Municipal ownership is not considered here (see ``mark``)."""
        regime = self.regimes.get(regime_key)
        epoch = -1 if regime is None else self._epoch(regime, d)
        mun = municipality if regime is not None and regime.scoped else None
        memo_key = (regime_key, act, ref, epoch, mun)
        got = self._memo.get(memo_key)
        if got is not None:
            return got
        res: tuple[str | None, Key | None] = (None, None)
        if regime is not None:
            cached = self._marks.get((regime_key, epoch, mun))
            if cached is None:
                cached = regime.marks_on(d, mun) if epoch >= 0 or mun is not None \
                    else regime.marks
                self._marks[(regime_key, epoch, mun)] = cached
            marks = cached
            path = self.tree.ancestors(act, ref) or ((act, ref),)
            for node in path:
                m = marks.get(node)
                if m is not None:
                    res = (m, node)
                    break
            else:
                if regime.shape == "all_but_guardrails" and act in regime.acts:
                    res = ("deviable", None)
        self._memo[memo_key] = res
        return res

    def mark(
        self, regime_key: str, act: str, ref: str, municipality: int | None = None,
        d: Date | None = None,
    ) -> tuple[str | None, Key | None]:
        """As ``listed``, but a municipal act owned by ``municipality`` is always deviable."""
        if municipality is not None:
            a = self.acts.get(act)
            if a is not None and a.level == "municipal" and a.municipality == municipality:
                return ("deviable", None)
        return self.listed(regime_key, act, ref, d, municipality)

    def listing_at(self, regime_key: str, node: Key | None, d: Date | None,
                   municipality: int | None) -> Listing | None:
        """The listing of the regime at a node (valid on D, holding for the municipality)
        that gave it its mark — for the part and the condition it carries."""
        regime = self.regimes.get(regime_key)
        if regime is None or node is None:
            return None
        found = [li for li in regime.listings if (li.act, li.ref) == node
                 and (d is None or in_interval(d, li.valid_from, li.valid_to))
                 and li.applies_to(municipality)]
        # a guardrail wins where a node is listed both ways (as in ``Regime.marks_on``)
        found.sort(key=lambda li: li.mark != "guardrail")
        return found[0] if found else None

    def listing_for(self, regime_key: str, act: str, ref: str) -> Listing | None:
        """The listing that marks the node: its own or its nearest listed ancestor's (the
        first listed for that node, whatever its dates)."""
        regime = self.regimes.get(regime_key)
        if regime is None:
            return None
        by_node: dict[Key, Listing] = {}
        for li in regime.listings:
            by_node.setdefault((li.act, li.ref), li)
        for node in self.tree.ancestors(act, ref) or ((act, ref),):
            if node in by_node:
                return by_node[node]
        return None
