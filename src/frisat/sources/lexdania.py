"""LexDania XML (Retsinformation) → an act's provision tree, metadata and relations.

The shape follows ``../shared/reference/lexdania-notes.md``: ``Dokument`` holds ``Meta``
and the body (``DokumentIndhold``, or the structural elements directly under the root);
the body nests ``Afsnit`` → ``Kapitel`` → (``ParagrafGruppe``) → ``Paragraf`` → ``Stk`` →
``Indentatio``. Labels are ``Explicatus``, headings ``Rubrica``, text ``Exitus`` →
``Linea`` → ``Char``. LexDania has no punktum element: sentences are split here.

References follow the shipped catalogue (``scripts/build_catalogue.py``) so that the
regimes' listings attach by citation: a § with a single stk. has no stk. node (its numbers
hang on the §), chapters and parts are nodes of their own, paragraph groups are not (their
heading goes to the group's first §).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from frisat.law.citation import CitationError, format_parts, parse_ref

_SECURE = dict(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True,
               remove_pis=True)


class LexDaniaError(ValueError):
    """A document that cannot be read; ``element`` names where (path and line)."""

    def __init__(self, code: str, element: str, message: str):
        self.code = code
        self.element = element
        self.message = message
        super().__init__(f"{element}: {code} — {message}")


# -- metadata ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """A ``Meta`` link: the marker (``Change``, ``Concerns`` …) and the act it names."""

    kind: str  # the marker element's name, lower case: change, concerns, …
    accession: str | None
    date: dt.date | None
    text: str


@dataclass(frozen=True)
class Meta:
    document_type: str  # normalised: LOV, LBK, BEK, … (the raw value's first word)
    document_type_raw: str
    rank: str | None
    accession: str | None
    document_id: str | None
    unique_id: str | None
    title: str
    popular_title: str | None
    year: int | None
    number: int | None
    signed: dt.date | None  # DiesSigni
    published: dt.date | None  # DiesEdicti
    start: dt.date | None  # StartDate: in force from
    end: dt.date | None  # EndDate
    historic_mark: dt.date | None
    status: str | None  # Valid | Historic
    ministry: str | None
    authority: str | None
    announced_in: str | None

    @property
    def eli(self) -> str | None:
        if self.year is None or self.number is None:
            return None
        return f"https://www.retsinformation.dk/eli/lta/{self.year}/{self.number}"

    @property
    def designation(self) -> str:
        """How Danish lawyers name the document: ``LBK nr. 1038 af 11/08/2025``."""
        out = f"{self.document_type} nr. {self.number}" if self.number else self.document_type
        if self.signed:
            out += f" af {self.signed:%d/%m/%Y}"
        return out


# -- body -------------------------------------------------------------------------------


@dataclass
class Node:
    """A provision of the act: afsnit, kapitel, paragraf, stk. or nr."""

    kind: str
    label: str
    ref: str  # canonical reference (citation.py)
    parent: str  # ref of the parent node ("" = the act)
    heading: str = ""
    lines: list[str] = field(default_factory=list)  # own text, one entry per Linea
    children: list[Node] = field(default_factory=list)
    # the element it was read from; its path is worked out only when a message needs it
    source: etree._Element | None = field(default=None, compare=False, repr=False)

    @property
    def element(self) -> str:
        """Where in the document (path:line), for messages."""
        return "" if self.source is None else _where(self.source)

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def sentences(self) -> list[str]:
        out: list[str] = []
        for line in self.lines:
            out.extend(split_sentences(line))
        return out

    def walk(self) -> Iterator[Node]:
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass(frozen=True)
class Amendment:
    """One change instruction of an amending act (``AendringsNummer`` → ``Aendring``)."""

    paragraph: str  # ref of the amending act's § that holds it, e.g. "§ 1"
    number: str  # the instruction's number within that §, e.g. "3"
    law: str  # the amended law as the § names it
    targets: tuple[str, ...]  # canonical refs of the AendringURN targets that parse
    raw_targets: tuple[str, ...]  # the AendringURN texts as written
    action: str  # replace | repeal | insert | modify | renumber | other
    instruction: str  # the AendringAktion text
    new_text: str  # the AendringNyTekst text ("" when none)
    new_nodes: tuple[Node, ...] = ()  # structure inside AendringNyTekst, when it has any


@dataclass
class ParsedAct:
    meta: Meta
    nodes: list[Node]  # top-level nodes, in document order
    relations: list[Relation]
    amendments: list[Amendment]
    has_body: bool

    def walk(self) -> Iterator[Node]:
        """Every node in reading order (parents before their children)."""
        stack = self.nodes[::-1]
        while stack:  # without a generator per level: an act has thousands of nodes
            n = stack.pop()
            yield n
            stack.extend(n.children[::-1])

    @property
    def index(self) -> dict[str, Node]:
        return {n.ref: n for n in self.walk()}

    def citations(self) -> Iterator[str]:
        """Every reference the act holds, sentences included, in reading order."""
        for n in self.walk():
            yield n.ref
            if len(n.sentences) > 1:
                for i in range(1, len(n.sentences) + 1):
                    yield f"{n.ref}, {i}. pkt."

    def resolve(self, ref: str,
                index: dict[str, Node] | None = None) -> tuple[Node, int | None]:
        """The node (and sentence number) a reference names; ``KeyError`` when none.

        Accepts ``§ 2, stk. 1, nr. 3`` for a § with a single stk. (Danish practice cites it
        both with and without ``stk. 1``). ``index`` is ``self.index`` when the caller
        resolves many references (it is otherwise built for each call).
        """
        parts = list(parse_ref(ref).parts)
        pkt: int | None = None
        if parts and parts[-1][0] == "pkt":
            pkt = int(parts.pop()[1])
        if index is None:
            index = self.index
        key = format_parts(tuple(parts))
        node = index.get(key)
        if node is None and any(p == ("stk", "1") for p in parts):
            node = index.get(format_parts(tuple(p for p in parts if p != ("stk", "1"))))
        if node is None:
            raise KeyError(ref)
        if pkt is not None and not (1 <= pkt <= len(node.sentences)):
            raise KeyError(ref)
        return node, pkt

    @property
    def is_amending(self) -> bool:
        return bool(self.amendments)


# -- sentences --------------------------------------------------------------------------

# Words whose period never ends a sentence, even before a capital ("jf. Europa-Parlamentets").
_ABBREV = {
    "jf", "nr", "stk", "m.v", "mv", "bl.a", "f.eks", "ca", "kr", "pct", "evt", "inkl", "ekskl",
    "dvs", "osv", "hhv", "vedr", "iht", "mht", "m.fl", "m.m", "pkt.-", "litra", "tlf", "jvf",
    "lovbek", "bekg", "kap", "art", "ff", "p.t", "s.d", "el", "o.l", "o.lign", "gl", "afd",
}
_BOUNDARY = re.compile(r"([.!?])[»«\"')\]]*\s+(?=[«»\"(]?[A-ZÆØÅ])")


def split_sentences(text: str) -> list[str]:
    """Split one line of legal text into sentences (punktummer).

    A sentence ends at ``.``, ``!`` or ``?`` followed by a space and a capital letter,
    unless the word before the period is an abbreviation that never ends one (``jf.``,
    ``nr.``, ``stk.``, ``m.v.``, ``bl.a.`` …). ``pkt.`` is not such a word: "… jf. dog
    4. pkt. For …" ends a sentence after "pkt.". Numbers followed by a lower-case word
    ("1. januar", "2. pkt.") never end one, because the next word is not a capital.
    """
    s = " ".join(text.split())
    if not s:
        return []
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(s):
        end = m.end(1)
        if m.group(1) == ".":
            word = _ABBREV_WORD.search(s[start:end])
            if word and word.group(1).lower() in _ABBREV:
                continue
        piece = s[start:m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    rest = s[start:].strip()
    if rest:
        out.append(rest)
    return out


# -- reading ----------------------------------------------------------------------------

_STK_LABEL = re.compile(r"[»«\"]?\s*Stk\.\s*(\d+)")
_NR_LABEL = re.compile(r"\s*(\d+\s*[a-zæøå]?)\s*\)")
_PARAGRAPH_LABEL = re.compile(r"[»«\"]?\s*§\s*(\d+\s*[a-zA-ZæøåÆØÅ]?)\s*\.?\s*$")
_SPACE = re.compile(r"\s+")
_ABBREV_WORD = re.compile(r"([\wæøåÆØÅ.\-]+)\.$")

_STRUCTURAL = {"Afsnit", "Kapitel", "ParagrafGruppe", "Paragraf", "Stk", "Index", "Indentatio",
               "AendringCentreretParagraf"}


_LOCAL_NAMES: dict[str, str] = {}  # tag -> local name (a document has few distinct tags)


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rsplit("}", 1)[-1]
    return name


def _children(el: etree._Element, *names: str) -> list[etree._Element]:
    return [c for c in el if _local(c) in names]


def _first(el: etree._Element, name: str) -> etree._Element | None:
    for c in el:
        if _local(c) == name:
            return c
    return None


def _inline_text(el: etree._Element, skip: tuple[str, ...] = ("Explicatus",)) -> str:
    """Text of an inline element: Char runs joined exactly as they are.

    Text outside any ``Char`` that is only whitespace is the document's indentation, not
    content, and is dropped; inside a ``Char`` every character counts.
    """
    parts: list[str] = []

    def visit(e: etree._Element, in_char: bool) -> None:
        name = _local(e)
        inside = in_char or name == "Char"
        if name in skip:
            pass
        elif e.text and (inside or e.text.strip()):
            parts.append(e.text)
        if name not in skip:
            for c in e:
                if not isinstance(c.tag, str):  # comment or processing instruction
                    if c.tail and (inside or c.tail.strip()):
                        parts.append(c.tail)
                    continue
                visit(c, inside)
        if e.tail and (in_char or e.tail.strip()) and e is not root:
            parts.append(e.tail)

    root = el
    visit(el, False)
    return " ".join("".join(parts).split())


def _lines(el: etree._Element) -> list[str]:
    """The lines (``Linea``) of an ``Exitus`` or ``Rubrica``; one when it has none."""
    lineas = list(el.iter("{*}Linea"))  # any namespace or none, as _local() reads it
    if not lineas:
        t = _inline_text(el)
        return [t] if t else []
    out = []
    for li in lineas:
        t = _inline_text(li)
        if t:
            out.append(t)
    return out


def _label_of(el: etree._Element) -> str | None:
    ex = _first(el, "Explicatus")
    if ex is None:  # some documents put the label inside the first line
        exitus = _first(el, "Exitus")
        if exitus is not None:
            ex = next((x for x in exitus.iter() if _local(x) == "Explicatus"), None)
    if ex is None:
        return None
    return " ".join("".join(ex.itertext()).split()) or None


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    s = text.strip()[:10]
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def _where(el: etree._Element) -> str:
    return f"{el.getroottree().getpath(el)} (linje {el.sourceline})"


class _Reader:
    def __init__(self, tree: etree._ElementTree):
        self.tree = tree
        self.seen: dict[str, Node] = {}

    def fail(self, el: etree._Element, message: str, code: str = "lexdania_malformed") -> None:
        raise LexDaniaError(code, _where(el), message)

    def add(self, node: Node, el: etree._Element) -> Node:
        if node.ref in self.seen:
            self.fail(el, f"{node.ref} står to gange (også {self.seen[node.ref].element})",
                      "lexdania_duplicate")
        node.source = el
        self.seen[node.ref] = node
        return node

    # -- meta --

    def meta(self, meta: etree._Element) -> tuple[Meta, list[Relation]]:
        def text(name: str) -> str | None:
            e = _first(meta, name)
            if e is None:
                return None
            t = " ".join("".join(e.itertext()).split())
            return t or None

        def integer(name: str) -> int | None:
            t = text(name)
            if t is None:
                return None
            if not t.isdigit():
                e = _first(meta, name)
                assert e is not None
                self.fail(e, f"{name} skal være et tal, fik {t!r}")
            return int(t)

        def date(name: str) -> dt.date | None:
            t = text(name)
            d = _date(t)
            if t and d is None:
                e = _first(meta, name)
                assert e is not None
                self.fail(e, f"{name} er ikke en dato: {t!r}")
            return d

        raw_type = text("DocumentType") or ""
        first = raw_type.split()[0] if raw_type.split() else ""
        norm = {"lov": "LOV", "lovbekendtgørelse": "LBK", "bekendtgørelse": "BEK"}.get(
            first.lower(), first.upper())
        title = text("DocumentTitle")
        if not title:
            self.fail(meta, "DocumentTitle mangler: dokumentet har ingen titel")
        m = Meta(
            document_type=norm, document_type_raw=raw_type, rank=text("Rank"),
            accession=text("AccessionNumber"), document_id=text("DocumentId"),
            unique_id=text("UniqueDocumentId"), title=title or "",
            popular_title=text("PopularTitle"), year=integer("Year"), number=integer("Number"),
            signed=date("DiesSigni"), published=date("DiesEdicti"), start=date("StartDate"),
            end=date("EndDate"), historic_mark=date("DateOfHistoricMark"),
            status=text("Status"), ministry=text("Ministry"),
            authority=text("AdministrativeAuthority"), announced_in=text("AnnouncedIn"),
        )
        return m, self.relations(meta)

    def relations(self, meta: etree._Element) -> list[Relation]:
        """Markers with an ``id`` and the ``Ref_*`` siblings that point at it by ``REFid``
        (or, in some documents, nested inside the marker)."""
        refs: dict[str, dict[str, str]] = {}
        markers: list[tuple[str, str, etree._Element]] = []
        for e in meta:
            name = _local(e)
            if name.startswith("Ref_"):
                rid = e.get("REFid")
                if rid:
                    refs.setdefault(rid, {})[name] = " ".join("".join(e.itertext()).split())
            elif name in ("Change", "Concerns", "Consolidates", "ChangedBy", "Repeals",
                          "Authority", "Hjemmel"):
                markers.append((name, e.get("id") or "", e))
        out = []
        for name, ident, e in markers:
            got = dict(refs.get(ident, {})) if ident else {}
            for c in e:  # nested variant
                if _local(c).startswith("Ref_"):
                    got[_local(c)] = " ".join("".join(c.itertext()).split())
            if not got:
                continue
            out.append(Relation(kind=name.lower(), accession=got.get("Ref_Accn"),
                                date=_date(got.get("Ref_Af")), text=got.get("Ref_Text", "")))
        return out

    # -- body --

    def body(self, root: etree._Element) -> tuple[list[Node], list[Amendment]]:
        container = _first(root, "DokumentIndhold")
        if container is None:
            container = root
        nodes: list[Node] = []
        amendments: list[Amendment] = []
        self.container(container, "", nodes, amendments, None)
        return nodes, amendments

    def container(self, el: etree._Element, parent: str, out: list[Node],
                  amendments: list[Amendment], group_heading: list[str] | None) -> None:
        for c in el:
            name = _local(c)
            if name == "Afsnit":
                out.append(self.division(c, "afsnit", parent, amendments))
            elif name == "Kapitel":
                out.append(self.division(c, "kapitel", parent, amendments))
            elif name == "ParagrafGruppe":
                rub = _first(c, "Rubrica")
                heading = [" ".join(_lines(rub))] if rub is not None else [""]
                self.container(c, parent, out, amendments, heading)
            elif name == "Paragraf":
                out.append(self.paragraph(c, parent, group_heading))
            elif name == "AendringCentreretParagraf":
                node, found = self.amending_paragraph(c, parent)
                out.append(node)
                amendments.extend(found)
            elif name in ("Titel", "Meta", "Rubrica", "Explicatus", "Exitus"):
                continue
            elif name in _STRUCTURAL:
                self.fail(c, f"{name} står uden for en Paragraf")

    def division(self, el: etree._Element, kind: str, parent: str,
                 amendments: list[Amendment]) -> Node:
        label = _label_of(el)
        raw = label or el.get("localId") or ""
        m = re.match(rf"(?i)\s*(?:{kind}\s*)?(.+?)\.?\s*$", raw)
        if not raw or not m:
            self.fail(el, f"{kind.capitalize()} uden nummer (Explicatus mangler)")
            raise AssertionError  # unreachable
        ref = self.ref(el, f"{kind} {m.group(1)}")
        rub = _first(el, "Rubrica")
        node = self.add(Node(kind=kind, label=ref.split(" ", 1)[1], ref=ref, parent=parent,
                             heading=" ".join(_lines(rub)) if rub is not None else ""), el)
        self.container(el, ref, node.children, amendments, None)
        return node

    def ref(self, el: etree._Element, text: str) -> str:
        try:
            return str(parse_ref(text))
        except CitationError as e:
            self.fail(el, f"Betegnelsen {text!r} kan ikke læses som henvisning ({e})")
            raise AssertionError from None  # unreachable

    def paragraph_ref(self, el: etree._Element) -> str:
        label = _label_of(el)
        if label:
            m = _PARAGRAPH_LABEL.match(label)
            if m:
                return self.ref(el, f"§ {m.group(1)}")
        local = (el.get("localId") or "").replace("§", "").strip()
        if local:
            return self.ref(el, f"§ {local}")
        self.fail(el, "Paragraf uden nummer (hverken Explicatus eller localId)")
        raise AssertionError  # unreachable

    def paragraph(self, el: etree._Element, parent: str,
                  group_heading: list[str] | None) -> Node:
        ref = self.paragraph_ref(el)
        rub = _first(el, "Rubrica")
        heading = " ".join(_lines(rub)) if rub is not None else ""
        if not heading and group_heading and group_heading[0]:
            heading = group_heading[0]
            group_heading[0] = ""  # printed above the group's first § only
        node = self.add(Node(kind="paragraf", label=ref[2:], ref=ref, parent=parent,
                             heading=heading), el)
        stks = _children(el, "Stk")
        loose = _children(el, "Exitus")
        if not stks and not loose:
            self.fail(el, f"{ref} har hverken stykker (Stk) eller tekst (Exitus)")
        if len(stks) <= 1:
            # one stk.: cited without "stk. 1"; its text and numbers hang on the §
            for x in loose:
                node.lines.extend(_lines(x))
            if stks:
                self.stk_content(stks[0], node)
            return node
        for x in loose:
            node.lines.extend(_lines(x))
        for i, s in enumerate(stks, start=1):
            label = _label_of(s)
            if i == 1 and label is None:
                number = 1
            else:
                m = _STK_LABEL.match(label or "")
                if not m:
                    self.fail(s, f"Stk. {i} i {ref} mangler sin betegnelse (Explicatus)")
                    raise AssertionError  # unreachable
                number = int(m.group(1))
                if number != i:
                    self.fail(s, f"{ref}: forventede stk. {i}, fandt stk. {number}")
            child = self.add(Node(kind="stk", label=str(number), ref=f"{ref}, stk. {number}",
                                  parent=ref), s)
            self.stk_content(s, child)
            node.children.append(child)
        return node

    def stk_content(self, el: etree._Element, node: Node) -> None:
        """Own text of a stk. (its Exitus lines) and its numbers (Index → Indentatio)."""
        for c in el:
            name = _local(c)
            if name == "Exitus":
                node.lines.extend(_lines(c))
            elif name in ("Index", "Indentatio"):
                items = [c] if name == "Indentatio" else _children(c, "Indentatio")
                for item in items:
                    self.item(item, node)

    def item(self, el: etree._Element, parent: Node) -> None:
        label = _label_of(el) or ""
        m = _NR_LABEL.match(label)
        if el.get("formaInd", "Nummer") != "Nummer" or not m:
            # litra and unnumbered indents belong to the text of their parent
            parent.lines.extend(_lines_of_item(el))
            return
        # built directly (no parse_ref): numbers are the bulk of a large act
        num = _SPACE.sub("", m.group(1))
        label = f"{num[:-1]} {num[-1]}" if num[-1].isalpha() else num
        ref = f"{parent.ref}, nr. {label}"
        node = self.add(Node(kind="nr", label=ref.rsplit(" ", 1)[-1], ref=ref,
                             parent=parent.ref), el)
        node.lines.extend(_lines_of_item(el))
        parent.children.append(node)

    def amending_paragraph(self, el: etree._Element,
                           parent: str) -> tuple[Node, list[Amendment]]:
        ref = self.paragraph_ref(el)
        node = self.add(Node(kind="paragraf", label=ref[2:], ref=ref, parent=parent), el)
        for x in _children(el, "Exitus"):
            node.lines.extend(_lines(x))
        law = node.text
        found: list[Amendment] = []
        for number_el in el.iter():
            if _local(number_el) != "AendringsNummer":
                continue
            number = (_label_of(number_el) or str(len(found) + 1)).rstrip(".").strip()
            changes = [x for x in number_el.iter() if _local(x) == "Aendring"] or [number_el]
            for ch in changes:
                found.append(self.amendment(ch, ref, number, law))
        return node, found

    def amendment(self, el: etree._Element, paragraph: str, number: str,
                  law: str) -> Amendment:
        action_el = next((x for x in el.iter() if _local(x) == "AendringAktion"), None)
        new_el = next((x for x in el.iter() if _local(x) == "AendringNyTekst"), None)
        if action_el is None:
            self.fail(el, f"Ændring nr. {number} i {paragraph} mangler AendringAktion")
            raise AssertionError  # unreachable
        instruction = _inline_text(action_el)
        raw_targets = tuple(
            " ".join("".join(x.itertext()).split()) for x in action_el.iter()
            if _local(x) == "Char" and x.get("signiChar") == "AendringURN")
        targets = []
        for t in raw_targets:
            try:
                targets.append(str(parse_ref(t)))
            except CitationError:
                continue
        low = instruction.lower()
        if "ophæves" in low:
            action = "repeal"
        elif "affattes" in low:
            action = "replace"
        elif "indsættes" in low:
            action = "insert"
        elif re.search(r"\bbliver\b", low):
            action = "renumber"
        elif "ændres" in low or "udgår" in low:
            action = "modify"
        else:
            action = "other"
        new_text = _unquote(" ".join(_lines(new_el))) if new_el is not None else ""
        new_nodes: list[Node] = []
        if new_el is not None:
            sub = _Reader(self.tree)
            for c in new_el:
                if _local(c) == "Paragraf":
                    new_nodes.append(sub.paragraph(c, "", None))
            for n in new_nodes:
                for x in n.walk():
                    x.lines = [_unquote(t) for t in x.lines]
        return Amendment(paragraph=paragraph, number=number, law=law, targets=tuple(targets),
                         raw_targets=raw_targets, action=action, instruction=instruction,
                         new_text=new_text, new_nodes=tuple(new_nodes))


def _unquote(text: str) -> str:
    """New text in an amending act is quoted »…«; the quotes are not part of it."""
    return text.strip().lstrip("»").rstrip("«").strip()


def _lines_of_item(el: etree._Element) -> list[str]:
    out: list[str] = []
    for c in el:
        if _local(c) == "Exitus":
            out.extend(_lines(c))
    if not out:  # text straight inside the Indentatio
        t = _inline_text(el)
        if t:
            out.append(t)
    return out


def parse(data: bytes | str) -> ParsedAct:
    """Parse a LexDania document. Raises ``LexDaniaError`` naming the element."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw.strip():
        raise LexDaniaError("lexdania_malformed", "Dokument", "Dokumentet er tomt")
    parser = etree.XMLParser(**_SECURE)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as e:
        line = getattr(e, "lineno", None) or (e.position[0] if e.position else "?")
        raise LexDaniaError("lexdania_malformed", f"linje {line}",
                            f"Dokumentet er ikke gyldig XML (afbrudt eller beskadiget): "
                            f"{e.msg}") from None
    if _local(root) != "Dokument":
        raise LexDaniaError("lexdania_malformed", f"/{_local(root)} (linje {root.sourceline})",
                            "Rodelementet skal være Dokument (LexDania)")
    reader = _Reader(root.getroottree())
    meta_el = _first(root, "Meta")
    if meta_el is None:
        raise LexDaniaError("lexdania_malformed", "/Dokument/Meta",
                            "Meta mangler: dokumentets metadata findes ikke")
    meta, relations = reader.meta(meta_el)
    nodes, amendments = reader.body(root)
    return ParsedAct(meta=meta, nodes=nodes, relations=relations, amendments=amendments,
                     has_body=bool(nodes))


def parse_file(path: str) -> ParsedAct:
    with open(path, "rb") as f:
        return parse(f.read())
