"""Danish legal citations: parse, print and order references to provisions.

A reference (``ref``) is the part of a citation after the act key. Its canonical form is
the way Danish lawyers print it: ``§ 3 a, stk. 2, nr. 3, 1. pkt.``, ``kapitel 7``,
``afsnit II A``. Municipal rule sets may number their own way (``1``, ``1.2``); such
references are kept as they are and their parent is the prefix before the last dot.
The empty reference is the act itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# One level of a reference: (kind, label). Kinds, outermost first.
KINDS = ("afsnit", "kapitel", "paragraf", "stk", "nr", "pkt", "local")

Part = tuple[str, str]


class CitationError(ValueError):
    """A reference or citation that cannot be read."""

    code = "unknown_provision"


_ROMAN = r"[IVXLC]+(?:\s?[A-Z](?![a-zæøå]))?"  # "afsnit I kapitel 1": no "I k"
_NUM = r"\d+(?:\s?[a-zæøå](?![a-zæøå.]))?"

_TOKEN = re.compile(
    rf"""
    (?P<afsnit>afsnit\s*(?P<afsnit_l>{_ROMAN}|\d+))
  | (?P<kapitel>kap(?:itel|\.)?\s*(?P<kapitel_l>{_NUM}))
  | (?P<paragraf>§\s*(?P<paragraf_l>{_NUM}))
  | (?P<stk>stk\.?\s*(?P<stk_l>\d+))
  | (?P<nr>nr\.?\s*(?P<nr_l>{_NUM}))
  | (?P<pkt>(?P<pkt_l>\d+)\.?\s*(?:pkt|punktum)\.?)
  | (?P<pkt2>pkt\.?\s*(?P<pkt2_l>\d+))
    """,
    re.VERBOSE | re.IGNORECASE,
)
_LOCAL = re.compile(r"^\d+(?:\.\d+)*[a-z]?$")
_SEPARATORS = re.compile(r"^[\s,.]*$")
_LOCAL_AFSNIT = re.compile(r"(?i)afsnit\s+(\d+(?:\.\d+)*)")
_LETTERED = re.compile(r"(\d+)\s?([a-zæøå])", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_ROMAN_LABEL = re.compile(r"([IVXLC]+)\s?([A-Z])?")
# the token's outer group closes last, so ``lastgroup`` names its kind
_TOKEN_KIND = {"afsnit": "afsnit", "kapitel": "kapitel", "paragraf": "paragraf", "stk": "stk",
               "nr": "nr", "pkt": "pkt", "pkt2": "pkt2"}
_KIND_INDEX = {k: i for i, k in enumerate(KINDS)}


def _label(raw: str) -> str:
    """Normalise a label: ``3a`` and ``3 A`` both become ``3 a``."""
    s = raw.strip()
    if s.isdigit():
        return s
    m = _LETTERED.fullmatch(s)
    if m:
        return f"{m.group(1)} {m.group(2).lower()}"
    return _SPACES.sub(" ", s)


def _afsnit_label(raw: str) -> str:
    m = _ROMAN_LABEL.fullmatch(raw.strip().upper())
    if m:
        return m.group(1) + (f" {m.group(2)}" if m.group(2) else "")
    return raw.strip()


@dataclass(frozen=True, order=True)
class Ref:
    """A parsed reference: the path of parts from the act root down."""

    parts: tuple[Part, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Ref:
        return parse_ref(text)

    def __str__(self) -> str:
        return _format_cached(self.parts)

    @property
    def parent(self) -> Ref | None:
        """The reference one level up, or None for the act itself."""
        if not self.parts:
            return None
        kind, label = self.parts[-1]
        if kind == "local" and "." in label:
            return Ref(self.parts[:-1] + (("local", label.rsplit(".", 1)[0]),))
        return Ref(self.parts[:-1])

    @property
    def kind(self) -> str:
        return self.parts[-1][0] if self.parts else "act"


def format_parts(parts: tuple[Part, ...]) -> str:
    out: list[str] = []
    for kind, label in parts:
        if kind == "afsnit":
            out.append(f"afsnit {label}")
        elif kind == "kapitel":
            out.append(f"kapitel {label}")
        elif kind == "paragraf":
            out.append(f"§ {label}")
        elif kind == "stk":
            out.append(f"stk. {label}")
        elif kind == "nr":
            out.append(f"nr. {label}")
        elif kind == "pkt":
            out.append(f"{label}. pkt.")
        else:
            out.append(label)
    return ", ".join(out)


_format_cached = lru_cache(maxsize=1 << 16)(format_parts)


def parse_ref(text: str) -> Ref:
    """Parse the part of a citation after the act key.

    Tolerates the usual variants: ``§3a stk 2``, ``§ 3a, stk. 2.``, ``stk.2, 1.pkt``.
    Memoised: a ``Ref`` is immutable, and an import reads the same references many times.
    """
    return _parse_ref(text)


@lru_cache(maxsize=1 << 16)
def _parse_ref(text: str) -> Ref:
    s = text.strip().rstrip(".").strip()
    if not s:
        return Ref()
    if _LOCAL.match(s) and "§" not in s:
        return Ref((("local", s),))
    m_local = _LOCAL_AFSNIT.fullmatch(s)
    if m_local:
        return Ref((("afsnit", m_local.group(1)),))
    parts: list[Part] = []
    pos = 0
    for m in _TOKEN.finditer(s):
        start = m.start()
        if start != pos and not _SEPARATORS.match(s[pos:start]):
            raise CitationError(f"Kan ikke læse henvisningen {text!r} (ved {s[pos:start]!r})")
        pos = m.end()
        kind = _TOKEN_KIND[m.lastgroup or ""]
        if kind == "afsnit":
            parts.append(("afsnit", _afsnit_label(m.group("afsnit_l"))))
        elif kind == "pkt2":
            parts.append(("pkt", m.group("pkt2_l")))
        else:
            parts.append((kind, _label(m.group(f"{kind}_l"))))
    if not _SEPARATORS.match(s[pos:]):
        raise CitationError(f"Kan ikke læse henvisningen {text!r} (ved {s[pos:]!r})")
    if not parts:
        raise CitationError(f"Kan ikke læse henvisningen {text!r}")
    order = [_KIND_INDEX[k] for k, _ in parts]
    if order != sorted(order) or len(set(order)) != len(order):
        raise CitationError(f"Henvisningens led står i forkert rækkefølge: {text!r}")
    return Ref(tuple(parts))


@lru_cache(maxsize=1 << 16)
def canonical_ref(text: str) -> str:
    """The canonical printed form of a reference (memoised, like ``parse_ref``)."""
    return str(parse_ref(text))


@dataclass(frozen=True)
class Citation:
    """An act key and a reference within it: ``dagtilbudsloven § 3 a, stk. 2``."""

    act: str
    ref: str  # canonical reference, "" for the whole act

    def __str__(self) -> str:
        return f"{self.act} {self.ref}".strip()


def parse_citation(text: str) -> Citation:
    """Split a citation into act key and canonical reference.

    The act key is the first word (keys contain no spaces): ``folkeskoleloven kapitel 7``.
    """
    s = text.strip()
    if not s:
        raise CitationError("Tom henvisning")
    key, _, rest = s.partition(" ")
    if "§" in key:  # "dagtilbudsloven§3"
        key, _, tail = key.partition("§")
        rest = "§" + tail + " " + rest
    if not re.fullmatch(r"[a-z0-9æøå][a-z0-9æøå._-]*", key):
        raise CitationError(f"Ukendt lov i henvisningen {text!r}")
    return Citation(key, canonical_ref(rest))


def _label_key(label: str) -> tuple[int, str, int, str]:
    m = re.match(r"(\d+)\s?([a-zæøå]?)", label)
    if m:
        return (0, "", int(m.group(1)), m.group(2))
    roman = re.match(r"([IVXLC]+)\s?([A-Z]?)", label)
    if roman:
        return (0, "", _roman_value(roman.group(1)), roman.group(2))
    return (1, label, 0, "")


def _roman_value(s: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = values[a]
        total += -v if b != " " and values[b] > v else v
    return total


def sort_key(ref: str) -> tuple[tuple[int, tuple[int, str, int, str]], ...]:
    """Order references the way the act prints them (§ 3 before § 3 a before § 10)."""
    parsed = parse_ref(ref)
    out = []
    for kind, label in parsed.parts:
        if kind == "local":
            for piece in label.split("."):
                out.append((KINDS.index(kind), _label_key(piece)))
        else:
            out.append((KINDS.index(kind), _label_key(label)))
    return tuple(out)
