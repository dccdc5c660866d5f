"""The provision trees of all acts, indexed once: children, ancestors, leaves under a node.

Every act has a root node with ``ref == ""`` (a virtual one when the catalogue holds no
root record). A node whose recorded parent is missing hangs on the root. Leaves are the
nodes without children; an act whose provisions are not catalogued (a partial executive
order named only as a whole) is its own single leaf. Nodes are kept in the act's own order: by
``Provision.order``, then by the Danish reading order of the reference.
"""

from __future__ import annotations

from collections.abc import Iterable

from frisat.engine.model import Provision
from frisat.law.citation import CitationError, sort_key

Key = tuple[str, str]


def _ref_order(ref: str) -> tuple[int, object]:
    try:
        return (0, sort_key(ref))
    except CitationError:
        return (1, ref)


def _in_order(nodes: list[Provision]) -> tuple[Provision, ...]:
    """Siblings by their position in the act, then (only where positions tie) by the
    Danish reading order of their references; parsing a reference is the costly part."""
    out = sorted(nodes, key=lambda c: c.order)
    if any(a.order == b.order for a, b in zip(out, out[1:], strict=False)):
        out.sort(key=lambda c: (c.order, _ref_order(c.ref)))
    return tuple(out)


class Tree:
    """Indexes over the provisions of a world view (built once, read many times)."""

    def __init__(self, provisions: Iterable[Provision], act_keys: Iterable[str] = ()) -> None:
        self.nodes: dict[Key, Provision] = {}
        for p in provisions:
            self.nodes[p.key] = p
        acts = {k for k, _ in self.nodes} | set(act_keys)
        for a in acts:
            if (a, "") not in self.nodes:
                self.nodes[(a, "")] = Provision(act=a, ref="", parent=None)
        self.parent: dict[Key, Key | None] = {}
        kids: dict[Key, list[Provision]] = {k: [] for k in self.nodes}
        for k, p in self.nodes.items():
            if p.ref == "":
                self.parent[k] = None
                continue
            par = (p.act, p.parent or "")
            if par not in self.nodes or par == k:
                par = (p.act, "")
            self.parent[k] = par
            kids[par].append(p)
        self.children: dict[Key, tuple[Provision, ...]] = {
            k: _in_order(v) for k, v in kids.items()}
        # pre-order walk per act: leaves in act order, and each node's slice of them
        self._leaves: dict[str, list[Provision]] = {}
        self._span: dict[Key, tuple[int, int]] = {}
        self.order: dict[Key, int] = {}
        for a in sorted(acts):
            out: list[Provision] = []
            self._walk((a, ""), out)
            self._leaves[a] = out
        self._anc: dict[Key, tuple[Key, ...]] = {}

    def _walk(self, root: Key, out: list[Provision]) -> None:
        # iterative pre-order walk (acts can be deep and wide)
        stack: list[tuple[Key, int]] = [(root, 0)]
        start: dict[Key, int] = {}
        while stack:
            k, i = stack.pop()
            if i == 0:
                start[k] = len(out)
                self.order[k] = len(self.order)
                kids = self.children[k]
                if not kids:  # an act whose provisions are not catalogued is its own leaf
                    out.append(self.nodes[k])
            kids = self.children[k]
            if i < len(kids):
                stack.append((k, i + 1))
                stack.append((kids[i].key, 0))
            else:
                self._span[k] = (start[k], len(out))

    def has(self, act: str, ref: str) -> bool:
        return (act, ref) in self.nodes

    def has_act(self, act: str) -> bool:
        return act in self._leaves

    def leaves(self, act: str) -> list[Provision]:
        """The act's leaves in its own order."""
        return list(self._leaves.get(act, ()))

    def leaves_under(self, act: str, ref: str) -> list[Provision]:
        """The leaves at or below a node (the node itself when it is a leaf)."""
        span = self._span.get((act, ref))
        if span is None:
            return []
        return self._leaves[act][span[0] : span[1]]

    def is_leaf(self, act: str, ref: str) -> bool:
        return (act, ref) in self.nodes and not self.children[(act, ref)]

    def ancestors(self, act: str, ref: str) -> tuple[Key, ...]:
        """The node itself, then its parent, … up to the act root (inclusive)."""
        k = (act, ref)
        got = self._anc.get(k)
        if got is not None:
            return got
        out: list[Key] = []
        cur: Key | None = k if k in self.nodes else None
        while cur is not None:
            out.append(cur)
            cur = self.parent[cur]
        res = tuple(out)
        self._anc[k] = res
        return res

    def descendants(self, act: str, ref: str) -> list[Provision]:
        """All nodes strictly below a node, in pre-order."""
        out: list[Provision] = []
        stack = list(reversed(self.children.get((act, ref), ())))
        while stack:
            p = stack.pop()
            out.append(p)
            stack.extend(reversed(self.children[p.key]))
        return out
