"""What a regime lets a municipality set aside (SEMANTICS §2): the most-specific listing.

For a node p, walk from p up to the act root; the first node the regime lists decides
(``deviable`` or ``guardrail``). Unlisted under a *listed* regime: not deviable (``None``).
Unlisted under *all but guardrails*: deviable when the act is one of the regime's acts.
A municipal rule set is always deviable by the municipality that owns it.
"""

from __future__ import annotations

from frisat.engine.model import Act, Regime
from frisat.engine.tree import Key, Tree


class Listings:
    """Marks per regime, with a memo per (regime, node)."""

    def __init__(self, regimes: dict[str, Regime], tree: Tree, acts: dict[str, Act]) -> None:
        self.regimes = regimes
        self.tree = tree
        self.acts = acts
        self._memo: dict[tuple[str, str, str], tuple[str | None, Key | None]] = {}

    def listed(self, regime_key: str, act: str, ref: str) -> tuple[str | None, Key | None]:
        """(mark, the node whose listing decided) by the most-specific listing walk.

        Municipal ownership is not considered here (see ``mark``)."""
        memo_key = (regime_key, act, ref)
        got = self._memo.get(memo_key)
        if got is not None:
            return got
        regime = self.regimes.get(regime_key)
        res: tuple[str | None, Key | None] = (None, None)
        if regime is not None:
            marks = regime.marks
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
        self, regime_key: str, act: str, ref: str, municipality: int | None = None
    ) -> tuple[str | None, Key | None]:
        """As ``listed``, but a municipal act owned by ``municipality`` is always deviable."""
        if municipality is not None:
            a = self.acts.get(act)
            if a is not None and a.level == "municipal" and a.municipality == municipality:
                return ("deviable", None)
        return self.listed(regime_key, act, ref)
