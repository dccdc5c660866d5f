"""Write the register as a ``frisat-bundle/1`` document that loads back to the same answers.

One writer for every record, from its declaration (``engine.model.KINDS`` and ``LAYOUTS``):
each field under its bundle key, encoded by its type; the few fields whose bundle shape is
their own have a hook below. Every record carries its ``recorded_at`` so that the history
(and so every past answer, SEMANTICS.md section 6) survives the round trip.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from functools import cache
from typing import Any

from frisat.engine import model as m

# the order records are written in, where it is not the register's
SORT: dict[str, Callable[[Any], Any]] = {
    "municipalities": lambda x: x.code,
    "provisions": lambda x: (x.act, x.order),
}


def value(v: Any) -> Any:
    """A field's value as plain JSON: dates and record times in ISO 8601, tuples as lists,
    nested records by their layout."""
    if isinstance(v, dt.date):  # also a datetime
        return v.isoformat()
    if isinstance(v, tuple):
        return [value(x) for x in v]
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return record_json(v)
    return v


def record_json(x: Any) -> dict[str, Any]:
    """One record as it stands in a bundle (without the records nested in it)."""
    out: dict[str, Any] = {}
    for name, key, sparse, hook in _plan(type(x)):  # type: ignore[arg-type]  # a class is hashable
        v = getattr(x, name)
        if sparse and (v is None or v == ""):
            continue
        if hook is not None:
            out.update(hook(v))
        elif key == "citation":
            out[key] = cite(x.act, x.ref)
        elif key:
            out[key] = value(v)
    return out


Step = tuple[str, str, bool, Callable[[Any], dict[str, Any]] | None]


@cache
def _plan(cls: type) -> tuple[Step, ...]:
    """How each field of ``cls`` is written, in bundle order: (field, bundle key — "" for a
    ref written in its citation —, written only when set, hook)."""
    layout = m.layout_of(cls)
    steps = []
    for name in layout.fields(cls):
        key = layout.key(name)
        if layout.cite and name in ("act", "ref"):
            key = "citation" if name == "act" else ""
        steps.append((name, key, name in layout.sparse,
                      WRITE[(layout, name)] if name in layout.hooks else None))
    return tuple(steps)


def cite(act: str, ref: str) -> str:
    return f"{act} {ref}".strip()


def _citations(key: str) -> Callable[[tuple[tuple[str, str], ...]], dict[str, Any]]:
    return lambda nodes: {key: [cite(act, ref) for act, ref in nodes]}


def _listings(listings: tuple[m.Listing, ...]) -> dict[str, Any]:
    return {"deviable": [record_json(li) for li in listings if li.mark == "deviable"],
            "guardrails": [record_json(li) for li in listings if li.mark == "guardrail"]}


def _scope(s: m.Scope) -> dict[str, Any]:
    if s.kinds is not None:
        return {"scope": {"kinds": list(s.kinds)}}
    if s.institutions is not None:
        return {"scope": {"institutions": list(s.institutions)}}
    return {"scope": {"institutions": "all"}}


def _source_words(words: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {"source_words": [{"citation": c, "words": t} for c, t in words]}


# the fields named in a layout's ``hooks``: (layout, field) -> its bundle entries
WRITE: dict[tuple[m.Layout, str], Callable[[Any], dict[str, Any]]] = {
    (m.BY_SECTION["regimes"].layout, "listings"): _listings,
    (m.BY_SECTION["decisions"].layout, "scope"): _scope,
    (m.BY_SECTION["dependencies"].layout, "on"): _citations("on"),
    (m.BY_SECTION["condition_scopes"].layout, "concerns"): _citations("concerns"),
    (m.BY_SECTION["corrections"].layout, "source_words"): _source_words,
}


def _key(kind: m.Kind, x: Any) -> tuple[Hashable, ...]:
    k = kind.key_of(x)
    return k if isinstance(k, tuple) else (k,)


def to_bundle(w: m.World) -> dict[str, Any]:
    """The records of ``w`` as a bundle document (plain JSON types)."""
    # records that stand within another, by the key of the record they stand in; an act's
    # own node (ref "") and its version are the act itself
    within: dict[str, dict[tuple[Hashable, ...], list[Any]]] = {}
    for kind in m.KINDS:
        if kind.within:
            group = within[kind.section] = defaultdict(list)
            for x in _ordered(kind, getattr(w, kind.section)):
                if getattr(x, "ref", None) != "":
                    group[tuple(getattr(x, f) for f in kind.layout.given)].append(x)

    def write(kind: m.Kind, x: Any) -> dict[str, Any]:
        out = record_json(x)
        for inner in m.KINDS:
            if inner.within == kind.section:
                out[inner.section] = [write(inner, y)
                                      for y in within[inner.section].get(_key(kind, x), [])]
        return out

    doc: dict[str, Any] = {"format": "frisat-bundle/1"}
    for kind in m.BUNDLE:
        doc[kind.section] = [write(kind, x) for x in _ordered(kind, getattr(w, kind.section))]
    return {k: v for k, v in doc.items() if v}


def _ordered(kind: m.Kind, records: Iterable[Any]) -> list[Any]:
    sort = SORT.get(kind.section)
    return sorted(records, key=sort) if sort else list(records)


def decision_json(d: m.Decision) -> dict[str, Any]:
    """A decision as in the bundle (also the body of the § 6 overview's entries)."""
    out = record_json(d)
    del out["recorded_at"]
    return out
