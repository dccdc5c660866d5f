"""The limits every bundle document meets before a record is read (docs/bundle.md, "Limits").

Every write path — ``frisat load``, ``POST /api/v1/bundles``, the staff forms, imports and
the shipped reference data — meets these checks: first on the document as a whole (size,
nesting, YAML aliases, control characters, numbers), then field by field (length, identifier
pattern, key pattern, URL scheme, date range, period order). ``registry.bundle`` applies them
to what it reads; an act's import, which builds its records without a document, applies the
same functions to its values (``sources.act_records``). A rejected document changes nothing,
and each error names the field it concerns.

A field's rule follows from its name: ``source_url`` is a URL wherever it stands, ``id`` an
identifier, ``title`` a text of at most 1,000 characters. The tables below are the whole
policy; ``docs/bundle.md`` prints them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent, NodeEvent
from yaml.resolver import Resolver

from frisat.registry.errors import InputError, Rejected

# -- the document as a whole -------------------------------------------------------------------

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # a bundle file; API bodies are smaller (settings)
MAX_DEPTH = 20  # the deepest real bundle (a version's exclusions) is 8 levels
MAX_NODES = 2_000_000  # values in the document, YAML aliases expanded
MAX_ALIAS_NODES = 10_000  # values reached through YAML aliases, expanded
MAX_KEY_CHARS = 100  # a field name
MAX_TEXT_CHARS = 100_000  # the longest text of any field (a provision's official wording)
MAX_INT = 2**53  # larger numbers are never meaningful in a bundle
MAX_ERRORS = 50  # a document with more problems than this is reported by its first 50

# C0 controls but tab, newline and carriage return; DEL and the C1 controls; lone surrogates
# (invalid UTF-8) and the two non-characters XML forbids — each breaks a feed, a CSV, a
# terminal or PostgreSQL's text type.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class LimitExceeded(Exception):
    """A YAML document over one of the limits above (``code`` and Danish ``message``)."""

    def __init__(self, code: str, message: str):
        self.code, self.message = code, message


class _Bounded:
    """Counts nesting and alias expansion while YAML nodes are composed, so that an alias
    bomb (a few hundred bytes that expand to billions of values) or a nesting that would
    exhaust the C stack is refused before anything is built from it."""

    def _bounded_init(self) -> None:
        self.frisat_depth = self.frisat_nodes = self.frisat_aliased = 0
        self.frisat_open: set[str] = set()
        self.frisat_weight: dict[str, int] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, AliasEvent):
            anchor = event.anchor
            if anchor in self.frisat_open:
                raise LimitExceeded("alias", f"Aliaset *{anchor} henviser til sig selv")
            self.frisat_aliased += self.frisat_weight.get(anchor or "", 1)
            if self.frisat_aliased > MAX_ALIAS_NODES:
                raise LimitExceeded("too_many_aliases",
                                    f"YAML-aliaser udfolder sig til mere end "
                                    f"{MAX_ALIAS_NODES:,} værdier".replace(",", "."))
            return Composer.compose_node(self, parent, index)  # type: ignore[arg-type]
        anchor = event.anchor if isinstance(event, NodeEvent) else None
        self.frisat_depth += 1
        if self.frisat_depth > MAX_DEPTH:
            raise LimitExceeded("too_deep",
                                f"Dokumentet er indlejret mere end {MAX_DEPTH} niveauer")
        before = self.frisat_nodes + self.frisat_aliased
        self.frisat_nodes += 1
        if self.frisat_nodes > MAX_NODES:
            raise LimitExceeded("too_large", f"Dokumentet har mere end {MAX_NODES:,} værdier"
                                .replace(",", "."))
        if anchor is not None and isinstance(event, CollectionStartEvent):
            self.frisat_open.add(anchor)
        try:
            node = Composer.compose_node(self, parent, index)  # type: ignore[arg-type]
        finally:
            self.frisat_depth -= 1
            self.frisat_open.discard(anchor)  # type: ignore[arg-type]
        if anchor is not None:
            self.frisat_weight[anchor] = self.frisat_nodes + self.frisat_aliased - before
        return node


try:  # libyaml parses (fast, in C, without recursion); the composing is Python's, bounded
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    class _YamlLoader(_Bounded, CParser, SafeConstructor, Resolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self.anchors: dict[str, Any] = {}
            self._bounded_init()

        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document
        compose_scalar_node = Composer.compose_scalar_node
        compose_sequence_node = Composer.compose_sequence_node
        compose_mapping_node = Composer.compose_mapping_node
        check_node = Composer.check_node
        get_node = Composer.get_node

except ImportError:  # pragma: no cover - PyYAML without libyaml
    class _YamlLoader(_Bounded, yaml.SafeLoader):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            yaml.SafeLoader.__init__(self, stream)
            self._bounded_init()


def load_yaml(text: str) -> Any:
    """YAML with the safe constructors only, and the limits above. ``LimitExceeded`` on excess."""
    loader = _YamlLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def check_size(size: int, name: str, limit: int = MAX_DOCUMENT_BYTES) -> None:
    if size > limit:
        raise Rejected([InputError(name, "too_large",
                                   f"Dokumentet fylder {size:,} byte; højst {limit:,} byte "
                                   "er tilladt".replace(",", "."))])


def check_document(doc: Any) -> None:
    """Walk the whole document once: nesting, size, field names, numbers and text.

    Raises ``Rejected`` naming the path of every offending value (up to ``MAX_ERRORS``)."""
    errors: list[InputError] = []
    nodes = 0
    # (value, parent path, key or index, depth); paths are built only for errors
    stack: list[tuple[Any, Any, Any, int]] = [(doc, None, None, 0)]
    while stack:
        value, parent, step, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            errors.append(InputError("", "too_large",
                                     f"Dokumentet har mere end {MAX_NODES:,} værdier"
                                     .replace(",", ".")))
            break
        problem = _problem(value, depth)
        if problem is not None:
            errors.append(InputError(_path(parent, step), *problem))
            if len(errors) >= MAX_ERRORS:
                break
            continue
        if isinstance(value, dict):
            here = (parent, step)
            for k, v in value.items():
                if not isinstance(k, str):
                    errors.append(InputError(_path(parent, step), "invalid",
                                             f"Feltnavnet {k!r} skal være en tekst"))
                    continue
                key_problem = _text_problem(k, MAX_KEY_CHARS, "Feltnavnet")
                if key_problem is not None:
                    errors.append(InputError(_path(here, k[:MAX_KEY_CHARS]), *key_problem))
                    continue
                stack.append((v, here, k, depth + 1))
        elif isinstance(value, list):
            here = (parent, step)
            stack.extend((v, here, i, depth + 1) for i, v in enumerate(value))
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise Rejected(errors)


def _path(parent: Any, step: Any) -> str:
    parts: list[Any] = []
    while step is not None:
        parts.append(step)
        parent, step = parent
    out = ""
    for p in reversed(parts):
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _problem(value: Any, depth: int) -> tuple[str, str] | None:
    if isinstance(value, str):
        return _text_problem(value, MAX_TEXT_CHARS, "Teksten")
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        if -MAX_INT <= value <= MAX_INT:
            return None
        return "out_of_range", f"Tallet er for stort (højst {MAX_INT:,})".replace(",", ".")
    if isinstance(value, float):
        if value == value and abs(value) != float("inf"):
            return None
        return "invalid", "Tallet er ikke endeligt"
    if isinstance(value, dict | list):
        if depth >= MAX_DEPTH:
            return "too_deep", f"Dokumentet er indlejret mere end {MAX_DEPTH} niveauer"
        return None
    import datetime as dt

    if isinstance(value, dt.date):  # YAML dates and timestamps
        return None
    return "invalid", f"Værdier af typen {type(value).__name__} hører ikke hjemme i et bundt"


def value_problem(text: str) -> tuple[str, str] | None:
    """What the document check finds wrong with one text value wherever it stands (length,
    control characters), or None: for records built without a document (the importer)."""
    return _text_problem(text, MAX_TEXT_CHARS, "Teksten")


def within_limits(texts: list[str]) -> bool:
    """True when no text of the list breaks the limits ``value_problem`` checks: one scan of
    all of them (a large import holds tens of thousands)."""
    return max(map(len, texts), default=0) <= MAX_TEXT_CHARS \
        and _CONTROL.search("\n".join(texts)) is None


def _text_problem(text: str, limit: int, what: str) -> tuple[str, str] | None:
    if len(text) > limit:
        return "too_long", f"{what} har {len(text):,} tegn; højst {limit:,} er tilladt" \
            .replace(",", ".")
    bad = _CONTROL.search(text)
    if bad:
        return ("control_character",
                f"{what} indeholder kontroltegnet U+{ord(bad.group()):04X}, som ikke er "
                "tilladt")
    return None


# -- field by field ----------------------------------------------------------------------------

# The longest text each field may hold, by field name (never more than its database column).
FIELD_MAX: dict[str, int] = {
    "id": 64, "institution": 64, "key": 120, "act": 120, "regime": 120, "area": 50,
    "name": 300, "name_en": 100, "region_name": 100, "title": 1000, "short_title": 200,
    "kind": 40, "confidence": 16, "enacted_by": 300, "ref": 200, "in": 200,
    "citation": 330, "source_url": 500, "eli": 300, "legal_basis": 500, "source": 2000,
    "owner": 100, "heading": 2000, "summary": 10_000, "note": 10_000, "reason": 10_000,
    "replacement": 10_000, "run_off_note": 10_000, "basis": 2000, "text": MAX_TEXT_CHARS,
    # lists: the longest item
    "areas": 50, "kinds": 40, "acts": 120, "revokes": 64, "requested": 120,
    "protected_groups": 2000, "general_guardrails": 2000,
}
DEFAULT_MAX = 1000

# Identifiers of decisions, exemptions and institutions: they become URLs (/beslutning/{id})
# and file names, so letters, digits, ".", "_" and "-" only, starting with a letter or digit.
ID_PATTERN = re.compile(r"[0-9A-Za-zÆØÅæøå][0-9A-Za-zÆØÅæøå._-]{0,63}")
ID_FIELDS = frozenset({"id", "institution", "revokes"})

# Fields that hold a URL and nothing else, and fields that hold a citation of a source or a
# URL ("Lov nr. 880 af 12/05/2021" or "https://…"): a URL there must be http(s) too.
URL_FIELDS = frozenset({"source_url", "eli"})
URL_OR_TEXT_FIELDS = frozenset({"legal_basis", "source", "basis"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):\S")

# Whole numbers: municipality and region codes; anything else (a provision's position in
# its act among them: the importer spaces positions 1,000 apart, so a large act needs
# millions) is 0 … 2^31-1, what the database stores.
INT_RANGE: dict[str, tuple[int, int]] = {
    "municipality": (1, 9999), "code": (1, 9999), "region_code": (1, 9999),
}
DEFAULT_INT_RANGE = (0, 2**31 - 1)


def field_problem(field: str, value: str, limit: int | None = None) -> tuple[str, str] | None:
    """What is wrong with a text value of the field ``field``, or None."""
    most = limit or FIELD_MAX.get(field, DEFAULT_MAX)
    if len(value) > most:
        return "too_long", f"Feltet har {len(value):,} tegn; højst {most:,} er tilladt" \
            .replace(",", ".")
    if field in ID_FIELDS and not ID_PATTERN.fullmatch(value):
        return ("invalid_id", f"{value[:80]!r} er ikke et gyldigt id: brug bogstaver, tal, "
                "punktum, bindestreg og understregning, begyndende med et bogstav eller tal "
                "(højst 64 tegn)")
    if field in URL_FIELDS:
        return url_problem(value)
    if field in URL_OR_TEXT_FIELDS:
        m = _SCHEME.match(value)
        if m and m.group(1).lower() not in ("http", "https"):
            return ("unsafe_url", f"Kun adresser med http eller https er tilladt, ikke "
                    f"{m.group(1)}:")
    return None


# Keys of acts, regimes and areas: lower case, digits, "-", "." and "_".
KEY_PATTERN = re.compile(r"[a-z0-9æøå][a-z0-9æøå._-]*")


def key_problem(value: str) -> tuple[str, str] | None:
    if KEY_PATTERN.fullmatch(value):
        return None
    return "invalid", f"{value!r} er ikke en gyldig nøgle (små bogstaver, tal, - og .)"


# Dates outside these years are typing errors (and keep date arithmetic from overflowing).
MIN_DATE, MAX_DATE = dt.date(1800, 1, 1), dt.date(2199, 12, 31)


def date_problem(day: dt.date) -> tuple[str, str] | None:
    if MIN_DATE <= day <= MAX_DATE:
        return None
    return ("invalid",
            f"Datoen {day.isoformat()} ligger uden for {MIN_DATE.year}–{MAX_DATE.year}")


def period_problem(start: dt.date | None, end: dt.date | None) -> tuple[str, str] | None:
    """A half-open period's end must lie after its start (the problem is the end's)."""
    if start and end and end <= start:
        return "invalid", "Slutdatoen skal ligge efter startdatoen"
    return None


def only_length(field: str) -> bool:
    """Whether the field's rule is its length alone (so its longest value decides)."""
    return field not in ID_FIELDS and field not in URL_FIELDS \
        and field not in URL_OR_TEXT_FIELDS


def url_problem(value: str) -> tuple[str, str] | None:
    """An absolute http(s) URL with a host and no spaces, or the reason it is not one."""
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https"):
        return ("unsafe_url", "Kun adresser med http eller https er tilladt "
                "(fx https://www.retsinformation.dk/eli/lta/2021/880)")
    if not parts.netloc or any(c.isspace() for c in value):
        return "invalid_url", "Adressen skal være en fuld adresse uden mellemrum"
    return None


def is_safe_url(value: Any) -> bool:
    """True for an absolute http(s) URL: the only kind the portal renders as a link."""
    return isinstance(value, str) and not _CONTROL.search(value) and url_problem(value) is None


def int_range(field: str) -> tuple[int, int]:
    return INT_RANGE.get(field, DEFAULT_INT_RANGE)
