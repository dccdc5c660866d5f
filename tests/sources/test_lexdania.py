"""The LexDania parser on fixtures written in the real shape (tests/fixtures/lexdania/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frisat.law.citation import parse_citation, parse_ref
from frisat.sources.acts import _canonical
from frisat.sources.lexdania import LexDaniaError, ParsedAct, parse, parse_file, split_sentences

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lexdania"


def refs(name: str) -> dict[str, tuple[str, str, list[str]]]:
    act = parse_file(str(FIX / name))
    return {n.ref: (n.parent, n.heading, n.sentences) for n in act.walk()}


def test_parts_chapters_and_paragraph_groups() -> None:
    got = refs("parts-chapters-paragraph-groups.xml")
    assert list(got) == ["afsnit I", "kapitel 1", "§ 1", "§ 2", "afsnit II A", "kapitel 5 a",
                         "§ 10"]
    assert got["afsnit I"][:2] == ("", "Indledning")
    assert got["kapitel 1"][:2] == ("afsnit I", "Formål")
    assert got["kapitel 5 a"][0] == "afsnit II A"
    # a group's heading is printed above its first § only
    assert got["§ 1"][:2] == ("kapitel 1", "Lovens formål")
    assert got["§ 2"][:2] == ("kapitel 1", "")
    assert got["§ 10"][:2] == ("kapitel 5 a", "Tilskud")


def test_lettered_paragraphs_unmarked_first_stk_and_numbers() -> None:
    got = refs("lettered-paragraphs-unmarked-first-stk-numbered-lists.xml")
    assert "§ 3 a" in got and "§ 3 a, stk. 1" in got  # the unmarked first stk. is stk. 1
    assert got["§ 3 a, stk. 1, nr. 2"][0] == "§ 3 a, stk. 1"
    assert got["§ 3 a, stk. 1"][2] == ["Planen skal indeholde følgende, jf. dog stk. 2, nr. 1:"]
    # a number has its own sentences
    assert got["§ 3 a, stk. 1, nr. 1"][2] == ["Mål.", "Målene skal være klare."]
    # a § with one stk. has no stk. node: its numbers hang on the §
    assert "§ 4, stk. 1" not in got
    assert got["§ 4, nr. 2"][0] == "§ 4"
    # a litra indent is text of its stk., not a number; every Linea ends a sentence
    assert got["§ 3 a, stk. 3"][2] == ["Ministeren kan fastsætte regler.",
                                       "Reglerne offentliggøres", "på nettet"]


def test_resolve_accepts_stk_1_for_a_single_stk_paragraph() -> None:
    act = parse_file(str(FIX / "lettered-paragraphs-unmarked-first-stk-numbered-lists.xml"))
    node, pkt = act.resolve("§ 4, stk. 1, nr. 2")
    assert node.ref == "§ 4, nr. 2" and pkt is None
    node, pkt = act.resolve("§ 3 a, stk. 2, 3. pkt.")
    assert (node.ref, pkt) == ("§ 3 a, stk. 2", 3)
    with pytest.raises(KeyError):
        act.resolve("§ 3 a, stk. 2, 4. pkt.")
    with pytest.raises(KeyError):
        act.resolve("§ 9")


@pytest.mark.parametrize(("text", "sentences"), [
    ("Kravet gælder ikke, jf. dog 4. pkt. For små tilbud gælder det.",
     ["Kravet gælder ikke, jf. dog 4. pkt.", "For små tilbud gælder det."]),
    ("Se jf. Europa-Parlamentets forordning. Den gælder.",
     ["Se jf. Europa-Parlamentets forordning.", "Den gælder."]),
    ("Efter lov nr. 12 af 1. januar 2020 gælder stk. 2. Dog ikke her.",
     ["Efter lov nr. 12 af 1. januar 2020 gælder stk. 2.", "Dog ikke her."]),
    ("Tilbud m.v. Skal gives.", ["Tilbud m.v. Skal gives."]),
    ("Bl.a. dagplejen. Og f.eks. Klubber.", ["Bl.a. dagplejen.", "Og f.eks. Klubber."]),
    ("Beløbet er 1.234,50 kr. Det reguleres.", ["Beløbet er 1.234,50 kr. Det reguleres."]),
    ("Efter § 3 a. Den gælder.", ["Efter § 3 a.", "Den gælder."]),
    ("", []),
])
def test_sentence_splitting(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_nested_char_runs_are_joined_exactly() -> None:
    got = refs("nested-char-runs.xml")
    assert got["§ 1"][2] == ["Ved dagtilbud forstås et eksempel."]


def test_metadata_of_a_consolidation() -> None:
    act = parse_file(str(FIX / "consolidation-v1.xml"))
    m = act.meta
    assert (m.document_type, m.document_type_raw) == ("LBK", "LBK H#LOKDOK03")
    assert (m.year, m.number, m.accession) == (2020, 101, "A20200000129")
    assert m.title.startswith("Bekendtgørelse af lov om eksempeltilbud")
    assert m.popular_title == "Eksempelloven"
    assert (m.signed, m.published, m.start) == (dt.date(2020, 1, 15), dt.date(2020, 1, 20),
                                                dt.date(2020, 2, 1))
    assert (m.status, m.ministry, m.rank) == ("Valid", "Eksempelministeriet", "A")
    assert m.eli == "https://www.retsinformation.dk/eli/lta/2020/101"
    assert m.designation == "LBK nr. 101 af 15/01/2020"
    # the Ref_* siblings are tied to their marker by REFid
    assert [(r.kind, r.accession, r.date) for r in act.relations] == [
        ("concerns", "A20180000130", dt.date(2018, 6, 1))]
    assert not act.is_amending


def test_amending_act() -> None:
    act = parse_file(str(FIX / "amending-act.xml"))
    assert act.is_amending
    assert [(r.kind, r.accession) for r in act.relations] == [("change", "A20200000129")]
    got = [(a.number, a.targets, a.action) for a in act.amendments]
    assert got == [("1", ("§ 2, stk. 1",), "replace"), ("2", ("§ 2",), "insert"),
                   ("3", ("§ 4",), "repeal"), ("4", ("§ 3",), "modify")]
    first = act.amendments[0]
    assert first.law.startswith("I lov om eksempeltilbud")
    assert first.new_text == "Kommunen sørger for tilbud til alle. Tilbuddet skal være godt."
    inserted = act.amendments[1].new_nodes
    assert [n.ref for n in inserted] == ["§ 2 a"]
    assert inserted[0].text == "Kommunen kan samarbejde med andre kommuner."
    # quoted new text does not become provisions of the amending act itself
    assert [n.ref for n in act.walk()] == ["§ 1", "§ 2"]


def test_historic_meta_only_document() -> None:
    act = parse_file(str(FIX / "historic-meta-only.xml"))
    assert not act.has_body and act.nodes == []
    assert act.meta.status == "Historic"
    assert act.meta.document_type == "BEK"
    assert (act.meta.start, act.meta.end) == (dt.date(1995, 2, 1), dt.date(2005, 1, 1))
    assert act.relations[0].text == "Lov om gamle eksempler"


@pytest.mark.parametrize(("name", "code", "where"), [
    ("broken-truncated.xml", "lexdania_malformed", "linje"),
    ("broken-paragraph-without-number.xml", "lexdania_malformed", "/Paragraf[2]"),
    ("broken-duplicate-paragraph.xml", "lexdania_duplicate", "/Paragraf[2]"),
    ("broken-not-lexdania.xml", "lexdania_malformed", "/html"),
    ("broken-missing-meta.xml", "lexdania_malformed", "Meta"),
])
def test_broken_documents_name_the_element(name: str, code: str, where: str) -> None:
    with pytest.raises(LexDaniaError) as e:
        parse_file(str(FIX / name))
    assert e.value.code == code
    assert where in e.value.element


def test_empty_input_is_malformed() -> None:
    with pytest.raises(LexDaniaError) as e:
        parse(b"  ")
    assert e.value.code == "lexdania_malformed"


def test_entities_are_not_expanded() -> None:
    doc = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b"<Dokument><Meta><DocumentTitle>&x;</DocumentTitle></Meta></Dokument>")
    try:
        act = parse(doc)
    except LexDaniaError:
        return
    assert "root:" not in act.meta.title


# -- round trip: render an act, parse it, render every citation, resolve it back --------

_WORDS = st.sampled_from(["Kommunen", "Tilbuddet", "Ministeren", "Planen", "Stedet"])
_TAIL = st.sampled_from(["skal gives", "gælder, jf. stk. 1", "kan fraviges, jf. dog 2. pkt",
                         "følger lov nr. 12 af 1. januar 2020",
                         "gælder m.v. i kommunen", "følger § 3 a"])
_SENTENCE = st.builds(lambda a, b: f"{a} {b}.", _WORDS, _TAIL)
_STK = st.tuples(st.lists(_SENTENCE, min_size=1, max_size=3),
                 st.lists(st.lists(_SENTENCE, min_size=1, max_size=2), max_size=3))
_PARA = st.tuples(st.sampled_from(["", "a", "b"]), st.lists(_STK, min_size=1, max_size=3))


def _render(paras: list[tuple[str, list[tuple[list[str], list[list[str]]]]]]) -> tuple[
        bytes, dict[str, str]]:
    expected: dict[str, str] = {}
    body = []
    for i, (letter, stks) in enumerate(paras, start=1):
        num = f"{i} {letter}".strip()
        pref = f"§ {num}"
        xml_stks = []
        for j, (sentences, numbers) in enumerate(stks, start=1):
            base = pref if len(stks) == 1 else f"{pref}, stk. {j}"
            label = "" if j == 1 else f"<Explicatus>Stk. {j}.</Explicatus>"
            text = " ".join(sentences)
            expected[base] = text
            for k, s in enumerate(sentences, start=1):
                expected[f"{base}, {k}. pkt."] = s
            items = []
            for n, nr_sentences in enumerate(numbers, start=1):
                expected[f"{base}, nr. {n}"] = " ".join(nr_sentences)
                items.append(f'<Indentatio formaInd="Nummer"><Explicatus>{n})</Explicatus>'
                             f"<Exitus><Linea><Char>{' '.join(nr_sentences)}</Char></Linea>"
                             "</Exitus></Indentatio>")
            index = f"<Index>{''.join(items)}</Index>" if items else ""
            xml_stks.append(f"<Stk>{label}<Exitus><Linea><Char>{text}</Char></Linea></Exitus>"
                            f"{index}</Stk>")
        body.append(f'<Paragraf localId="{num.replace(" ", "")}"><Explicatus>§ {num}.'
                    f"</Explicatus>{''.join(xml_stks)}</Paragraf>")
    doc = ("<Dokument><Meta><DocumentType>LOV H#LOKDOK01</DocumentType>"
           "<DocumentTitle>Lov om eksempler</DocumentTitle><Year>2021</Year>"
           "<Number>1</Number></Meta><DokumentIndhold><Kapitel><Explicatus>Kapitel 1"
           f"</Explicatus>{''.join(body)}</Kapitel></DokumentIndhold></Dokument>")
    return doc.encode(), expected


@settings(max_examples=60, deadline=None)
@given(st.lists(_PARA, min_size=1, max_size=5))
def test_round_trip_parse_render_resolve(paras: list) -> None:  # type: ignore[type-arg]
    doc, expected = _render(paras)
    act = parse(doc)
    seen = set()
    for ref in act.citations():
        # every rendered citation reads back as itself
        assert parse_citation(f"eksempelloven {ref}").ref == ref
        node, pkt = act.resolve(ref)
        text = node.text if pkt is None else node.sentences[pkt - 1]
        if ref in expected:
            assert text == expected[ref]
        seen.add(ref)
    # every stk., number and sentence the document holds was rendered and resolved
    multi = {r for r in expected if not r.endswith("pkt.")}
    assert multi <= seen


# -- the parser's references are canonical: the importer takes them as they stand ---------


def _named_parent(ref: str) -> str:
    up = parse_ref(ref).parent
    return "" if up is None else str(up)


def _assert_canonical(act: ParsedAct) -> None:
    known = _canonical(act)
    nodes = [*act.walk(), *(n for a in act.amendments for top in a.new_nodes
                            for n in top.walk())]
    for n in nodes:
        assert str(parse_ref(n.ref)) == n.ref
        assert known[n.ref] == _named_parent(n.ref)


@pytest.mark.parametrize("name", sorted(p.name for p in FIX.glob("*.xml")
                                        if not p.name.startswith("broken")))
def test_every_reference_the_parser_builds_is_canonical(name: str) -> None:
    _assert_canonical(parse_file(str(FIX / name)))


@settings(max_examples=60, deadline=None)
@given(st.lists(_PARA, min_size=1, max_size=5))
def test_references_of_rendered_acts_are_canonical(paras: list) -> None:  # type: ignore[type-arg]
    _assert_canonical(parse(_render(paras)[0]))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.sampled_from(["", "a", "b", "æ"]),
                          st.sampled_from(["", " ", "  "])), min_size=1, max_size=4,
                unique_by=lambda x: (x[0], x[1])))
def test_numbers_with_letters_and_spaces_are_canonical(labels: list) -> None:  # type: ignore[type-arg]
    items = "".join(f'<Indentatio formaInd="Nummer"><Explicatus>{n}{space}{letter})'
                    f"</Explicatus><Exitus><Linea><Char>Tekst.</Char></Linea></Exitus>"
                    "</Indentatio>" for n, letter, space in labels)
    doc = ("<Dokument><Meta><DocumentTitle>Lov om eksempler</DocumentTitle></Meta>"
           "<DokumentIndhold><Paragraf><Explicatus>§ 4 b.</Explicatus><Stk><Exitus><Linea>"
           f"<Char>Tekst.</Char></Linea></Exitus><Index>{items}</Index></Stk></Paragraf>"
           "</DokumentIndhold></Dokument>")
    _assert_canonical(parse(doc.encode()))
