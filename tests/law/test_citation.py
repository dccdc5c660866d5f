"""The citation parser: tolerated spellings, canonical form, errors, order, round trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frisat.law.citation import (
    CitationError,
    Ref,
    canonical_ref,
    format_parts,
    parse_citation,
    parse_ref,
    sort_key,
)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("§3a stk 2", "§ 3 a, stk. 2"),
        ("§ 3a, stk. 2.", "§ 3 a, stk. 2"),
        ("§ 3 a, stk. 2", "§ 3 a, stk. 2"),
        ("§ 3 A, stk.2", "§ 3 a, stk. 2"),
        ("§ 83, stk. 1, nr. 3", "§ 83, stk. 1, nr. 3"),
        ("§ 34, stk. 2, 1. pkt.", "§ 34, stk. 2, 1. pkt."),
        ("§ 34, stk. 2, 1.pkt", "§ 34, stk. 2, 1. pkt."),
        ("§ 34 stk 2 pkt 1", "§ 34, stk. 2, 1. pkt."),
        ("§ 42, stk. 1, 2. punktum", "§ 42, stk. 1, 2. pkt."),
        ("§ 1, nr. 3", "§ 1, nr. 3"),
        ("afsnit II", "afsnit II"),
        ("afsnit II A", "afsnit II A"),
        ("afsnit IIA", "afsnit II A"),
        ("kapitel 7", "kapitel 7"),
        ("kap. 7", "kapitel 7"),
        ("kapitel 5a", "kapitel 5 a"),
        ("  § 7  ", "§ 7"),
    ],
)
def test_tolerated_variants_print_canonically(text: str, canonical: str) -> None:
    assert canonical_ref(text) == canonical


def test_empty_reference_is_the_act_itself() -> None:
    assert parse_ref("").parts == ()
    assert canonical_ref("") == ""


@pytest.mark.parametrize(("text", "kind"), [("1", "local"), ("1.2", "local"), ("3.4.1a", "local")])
def test_local_numbering_is_kept_as_written(text: str, kind: str) -> None:
    ref = parse_ref(text)
    assert ref.kind == kind
    assert str(ref) == text


def test_local_numbering_parent_is_the_prefix_before_the_last_dot() -> None:
    assert str(parse_ref("1.2.3").parent) == "1.2"
    assert str(parse_ref("1").parent) == ""
    assert str(parse_ref("afsnit 3")) == "afsnit 3"


def test_parents_follow_the_reference() -> None:
    ref = parse_ref("§ 2, stk. 1, nr. 3")
    assert str(ref.parent) == "§ 2, stk. 1"
    assert str(ref.parent.parent) == "§ 2"  # type: ignore[union-attr]
    assert ref.parent.parent.parent == Ref()  # type: ignore[union-attr]
    assert Ref().parent is None


@pytest.mark.parametrize(
    "text",
    ["stk. 2, § 3", "§ 3, stk. 2, stk. 3", "paragraf tre", "§ 3 xyz", "§", "§ 3, pkt. 1, nr. 2"],
)
def test_unreadable_references_raise(text: str) -> None:
    with pytest.raises(CitationError):
        parse_ref(text)


def test_citation_error_carries_the_unknown_provision_code() -> None:
    with pytest.raises(CitationError) as info:
        parse_ref("stk. 2, § 3")
    assert info.value.code == "unknown_provision"


@pytest.mark.parametrize(
    ("text", "act", "ref"),
    [
        ("dagtilbudsloven § 3 a, stk. 2", "dagtilbudsloven", "§ 3 a, stk. 2"),
        ("dagtilbudsloven §3a stk 2", "dagtilbudsloven", "§ 3 a, stk. 2"),
        ("dagtilbudsloven§3", "dagtilbudsloven", "§ 3"),
        ("folkeskoleloven", "folkeskoleloven", ""),
        ("folkeskoleloven kapitel 7", "folkeskoleloven", "kapitel 7"),
        ("dagtilbudsloven afsnit II A", "dagtilbudsloven", "afsnit II A"),
        ("bek-892-2021 § 2", "bek-892-2021", "§ 2"),
        ("viborg-kvalitetsstandard-2021 1.2", "viborg-kvalitetsstandard-2021", "1.2"),
    ],
)
def test_citations_split_into_act_key_and_canonical_reference(
    text: str, act: str, ref: str
) -> None:
    citation = parse_citation(text)
    assert (citation.act, citation.ref) == (act, ref)
    assert str(citation) == f"{act} {ref}".strip()


@pytest.mark.parametrize("text", ["", "   ", "Dagtilbudsloven § 3", "§ 3"])
def test_citations_without_a_valid_act_key_raise(text: str) -> None:
    with pytest.raises(CitationError):
        parse_citation(text)


def test_sort_order_follows_the_printed_act() -> None:
    refs = ["§ 10", "§ 3 a", "§ 3", "§ 3, stk. 2", "§ 3, stk. 10", "§ 2, stk. 1, nr. 2", "§ 2"]
    assert sorted(refs, key=sort_key) == [
        "§ 2", "§ 2, stk. 1, nr. 2", "§ 3", "§ 3, stk. 2", "§ 3, stk. 10", "§ 3 a", "§ 10",
    ]


def test_sort_order_of_afsnit_is_roman() -> None:
    refs = ["afsnit VI", "afsnit II A", "afsnit IV", "afsnit II", "afsnit I", "afsnit V"]
    assert sorted(refs, key=sort_key) == [
        "afsnit I", "afsnit II", "afsnit II A", "afsnit IV", "afsnit V", "afsnit VI",
    ]


def test_sort_order_of_local_numbering_is_numeric() -> None:
    assert sorted(["1.10", "1.2", "2", "1"], key=sort_key) == ["1", "1.2", "1.10", "2"]


_labels = st.builds(
    lambda n, letter: f"{n}{(' ' + letter) if letter else ''}",
    st.integers(min_value=1, max_value=999),
    st.sampled_from(["", "a", "b", "c", "æ"]),
)
_roman = st.sampled_from(["I", "II", "II A", "III", "IV", "V", "VI", "VII", "IX", "XII"])


@st.composite
def _refs(draw: st.DrawFn) -> tuple[tuple[str, str], ...]:
    parts: list[tuple[str, str]] = []
    if draw(st.booleans()):
        parts.append(("afsnit", draw(_roman)))
    if draw(st.booleans()):
        parts.append(("kapitel", draw(_labels)))
    if draw(st.booleans()) or not parts:
        parts.append(("paragraf", draw(_labels)))
        if draw(st.booleans()):
            parts.append(("stk", str(draw(st.integers(1, 30)))))
        if draw(st.booleans()):
            parts.append(("nr", str(draw(st.integers(1, 40)))))
        if draw(st.booleans()):
            parts.append(("pkt", str(draw(st.integers(1, 9)))))
    return tuple(parts)


@given(_refs())
def test_parse_format_parse_round_trip(parts: tuple[tuple[str, str], ...]) -> None:
    printed = format_parts(parts)
    parsed = parse_ref(printed)
    assert parsed.parts == parts
    assert parse_ref(str(parsed)) == parsed
    assert canonical_ref(printed) == printed


@given(_refs())
def test_tight_spelling_parses_to_the_same_reference(parts: tuple[tuple[str, str], ...]) -> None:
    tight = format_parts(parts).replace("§ ", "§").replace("stk. ", "stk").replace(", ", " ")
    tight = tight.replace("kapitel ", "kapitel ")
    assert parse_ref(tight).parts == parts


def test_afsnit_numerals_are_normalised_whatever_their_case() -> None:
    assert canonical_ref("afsnit ii a") == "afsnit II A"
    assert canonical_ref("afsnit iv") == "afsnit IV"
