"""Search vocabulary (frisat/data/search/synonyms.yaml, frisat.web.synonyms): pure, no database."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from frisat.law.citation import parse_citation
from frisat.sources import registers
from frisat.web import synonyms as s

DATA = Path(__file__).resolve().parents[2] / "src" / "frisat" / "data"


@cache
def catalogue() -> dict[str, set[str]]:
    """Act key → the canonical references of its provisions, from the shipped acts."""
    out: dict[str, set[str]] = {}
    for path in (DATA / "acts").glob("*.yaml"):
        for act in yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["acts"]:
            out[act["key"]] = {parse_citation(f"{act['key']} {p['ref']}").ref
                               for p in act["provisions"]}
    return out


def regimes() -> dict[str, dict]:  # type: ignore[type-arg]
    doc = yaml.safe_load((DATA / "reference" / "20-regimes.yaml").read_text(encoding="utf-8"))
    return {r["key"]: r for r in doc["regimes"]}


def area_of(query: str) -> tuple[str, ...]:
    return s.expand(query).areas


@pytest.mark.parametrize(("query", "area", "kind"), [
    ("børnehave", "dagtilbud", "daginstitution"),
    ("vuggestue", "dagtilbud", "daginstitution"),
    ("integreret institution", "dagtilbud", "daginstitution"),
    ("dagpleje", "dagtilbud", "dagpleje"),
    ("SFO", "folkeskole", "folkeskole"),
    ("skolefritidsordning", "folkeskole", "folkeskole"),
    ("fritidshjem", "dagtilbud", "fritidshjem"),
    ("klub", "dagtilbud", "klub"),
    ("skole", "folkeskole", "folkeskole"),
    ("folkeskole", "folkeskole", "folkeskole"),
    ("plejehjem", "aeldre", "plejehjem"),
    ("plejebolig", "aeldre", "plejehjem"),
    ("childcare", "dagtilbud", "daginstitution"),
    ("nursery", "dagtilbud", "daginstitution"),
    ("kindergarten", "dagtilbud", "daginstitution"),
    ("school", "folkeskole", "folkeskole"),
    ("care home", "aeldre", "plejehjem"),
    ("nursing home", "aeldre", "plejehjem"),
])
def test_everyday_words_name_the_registers_area_and_kind(query: str, area: str,
                                                         kind: str) -> None:
    e = s.expand(query)
    assert e.areas == (area,) and kind in e.kinds and e.rest == ()


@pytest.mark.parametrize("query", ["hjemmehjælp", "hjemmepleje", "ældrepleje", "home care",
                                   "home help", "elder care", "elderly care"])
def test_elder_care_words(query: str) -> None:
    assert area_of(query) == ("aeldre",)


def test_sfo_is_a_school_matter_and_clubs_are_outside_the_agreement() -> None:
    sfo = s.expand("SFO").hits[0].concept
    assert sfo.law == "folkeskoleloven § 3, stk. 7" and "folkeskoleloven" in sfo.note_in("da")  # type: ignore[operator]
    daycare = regimes()["velfaerdsaftale-dagtilbud"]
    deviable = {d["citation"] for d in daycare["deviable"]}
    for word, part in (("fritidshjem", "afsnit III"), ("klub", "afsnit IV")):
        c = s.expand(word).hits[0].concept
        assert c.law == f"dagtilbudsloven {part}" and f"dagtilbudsloven {part}" not in deviable
        assert "velfærdsaftalen" in c.note_in("da")  # type: ignore[operator]
    assert "dagtilbudsloven afsnit II" in deviable


@pytest.mark.parametrize("spelling", ["Børnehave", "boernehave", "bornehave", "børnehaven",
                                      "Børnehaver", "BØRNEHAVE"])
def test_danish_letters_and_inflection(spelling: str) -> None:
    e = s.expand(spelling)
    assert [h.concept.key for h in e.hits] == ["daginstitution"] and e.hits[0].exact


def test_fold_makes_the_danish_letters_one() -> None:
    assert s.fold("Elverhøjen") == s.fold("elverhoejen") == s.fold("elverhojen") == "elverhojen"
    assert s.fold("Ældre") == s.fold("aeldre") == "eldre"
    assert s.fold("Åbenrå") == s.fold("Aabenraa") == "abenra"
    assert s.fold("Sct. Georgs Vej 17B") == "sctgeorgsvej17b"


def test_places_and_names_are_left_for_the_text_search() -> None:
    e = s.expand("børnehave helsingør")
    assert e.areas == ("dagtilbud",) and e.rest == ("helsingør",)
    e = s.expand("plejehjem Middelfart")
    assert e.areas == ("aeldre",) and e.rest == ("Middelfart",)
    assert s.expand("elverhojen").hits == () and s.expand("Helsingør").hits == ()
    e = s.expand("vuggestue 3060")
    assert e.rest == ("3060",)
    assert s.expand("Hornbæk Skole").text() == "Hornbæk Skole folkeskole"
    assert s.expand("Hornbæk Skole").text(keep_words=False) == "Hornbæk folkeskole"


def test_phrases_with_or_without_spaces_and_plurals() -> None:
    for q in ("care home", "carehome", "care homes", "nursing homes"):
        assert area_of(q) == ("aeldre",), q
    assert [h.words for h in s.expand("hjemme hjælp i Viborg").hits] == ["hjemme hjælp"]


def test_typos_of_longer_words_only_and_marked() -> None:
    e = s.expand("bornehve")
    assert e.areas == ("dagtilbud",) and e.hits[0].exact is False
    assert s.expand("plejehjm").areas == ("aeldre",)
    # short words and names close to a known word are not taken for it
    assert s.expand("dagplj").hits == ()  # 6 letters: too short to be taken for "dagplej"
    assert s.expand("Lindegården").hits == () and s.expand("Kildegården").hits == ()


def test_municipality_names_are_never_taken_for_a_concept() -> None:
    doc = yaml.safe_load((DATA / "reference" / "00-base.yaml").read_text(encoding="utf-8"))
    for m in doc["municipalities"]:
        assert s.expand(m["name"]).hits == (), m["name"]


def test_every_law_citation_is_in_the_catalogue() -> None:
    cat = catalogue()
    for c in s.vocabulary().concepts:
        if c.law is None:
            continue
        cit = parse_citation(c.law)
        assert cit.act in cat, c.key
        assert cit.ref == "" or cit.ref in cat[cit.act], c.key


def test_areas_and_kinds_are_the_registers() -> None:
    base = yaml.safe_load((DATA / "reference" / "00-base.yaml").read_text(encoding="utf-8"))
    areas = {a["key"] for a in base["areas"]}
    shipped = set()
    for path in (DATA / "reference").glob("3*.yaml"):
        for rec in yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)[
                "institutions"]:
            shipped |= {ms["kind"] for ms in rec.get("memberships", [rec])}
    known = shipped | set(registers._DAYCARE_KINDS.values()) | set(
        registers._UNIT_KINDS.values()) | {"plejehjem", "friplejebolig"}
    for r in regimes().values():
        known |= set(r["kinds"] or ())
    for c in s.vocabulary().concepts:
        assert c.area is None or c.area in areas, c.key
        assert set(c.kinds) <= known, c.key
        assert c.terms, c.key


def test_a_word_under_two_concepts_is_refused() -> None:
    doc = {"concepts": [
        {"key": "a", "area": "dagtilbud", "terms": ["x"], "words": {"da": ["børnehave"]}},
        {"key": "b", "area": "aeldre", "terms": ["y"], "words": {"da": ["boernehave"]}}]}
    with pytest.raises(ValueError, match="både a og b"):
        s.build(doc)


def test_not_a_bundle_section_for_frisat_init() -> None:
    from frisat.registry.reference import SECTIONS

    doc = yaml.safe_load(s.DATA.read_text(encoding="utf-8"))
    assert not set(doc) & set(SECTIONS)
