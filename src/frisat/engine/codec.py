"""Records as JSON and back, from their declarations (``model.KINDS``) and field types.

``encode`` turns a record into plain JSON values (dates as ISO strings, tuples as lists,
nested records as objects) and ``decode`` back; the database stores records this way
(``registry.store``). A field added to a record later reads older rows with its default.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from frisat.engine import model as m

# fields kept beside a record rather than in its content
TIMES = ("recorded_at",)

# --------------------------------------------------------------------------- JSON


def encode(record: Any) -> dict[str, Any]:
    """A record's content as plain JSON values (dates as ISO strings, tuples as lists,
    nested records as objects), without its record time."""
    codecs = _fields(type(record))  # type: ignore[arg-type]  # a class is hashable
    return {name: enc(getattr(record, name)) for name, enc, _dec in codecs
            if name not in TIMES}


def decode(cls: type, data: Mapping[str, Any], **times: Any) -> Any:
    """The record of ``cls`` from ``encode``'s output (fields missing in ``data`` take
    their defaults: a field added later reads older rows)."""
    values = {name: dec(data[name]) for name, _enc, dec in _fields(cls)
              if name in data and name not in TIMES}
    return cls(**values, **times)


Codec = tuple[str, Callable[[Any], Any], Callable[[Any], Any]]


@cache
def _fields(cls: Any) -> tuple[Codec, ...]:
    hints = typing.get_type_hints(cls, vars(m))
    return tuple((f.name, *_codec(hints[f.name])) for f in dataclasses.fields(cls))


def _same(v: Any) -> Any:
    return v


def _codec(tp: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """(encode, decode) for one field's type."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        enc, dec = _codec(inner[0]) if len(inner) == 1 else (_same, _same)
        return ((lambda v: None if v is None else enc(v)),
                (lambda v: None if v is None else dec(v)))
    if tp is dt.date:
        return (lambda v: v.isoformat()), dt.date.fromisoformat
    if tp is dt.datetime:
        return (lambda v: v.isoformat()), dt.datetime.fromisoformat
    if origin is tuple:
        enc, dec = _codec(args[0])
        return (lambda v: [enc(x) for x in v]), (lambda v: tuple(dec(x) for x in v))
    if origin in (Mapping, dict) or tp is Mapping:
        return (lambda v: dict(v)), (lambda v: dict(v))
    if dataclasses.is_dataclass(tp):
        return encode, (lambda v, cls=tp: decode(cls, v))  # type: ignore[misc]
    return _same, _same


def codecs(cls: type) -> dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]]:
    """Each field of a record type: (encode, decode) of its value as JSON."""
    return {name: (enc, dec) for name, enc, dec in _fields(cls)}  # type: ignore[arg-type]
