"""Everyday words in a search, turned into the register's words (pure Python, no Django).

``expand("børnehave helsingør")`` finds the concept behind "børnehave" in
``frisat/data/search/synonyms.yaml`` (area ``dagtilbud``, kind ``daginstitution``, the
register's words "dagtilbud", "daginstitution") and leaves "helsingør" for the full-text
search. Matching forgives what people type:

* Danish letters: ``fold`` makes æ/ae, ø/oe/o and å/aa one letter each, so "elverhojen",
  "elverhoejen" and "Elverhøjen" fold alike (``web.search.fold`` keeps ø as "oe", so there
  "elverhojen" misses);
* inflection: a Danish word also matches by its Snowball stem ("børnehaven", "plejehjemmet");
  an English one by its singular ("nursing homes");
* spacing: phrases match with or without spaces ("care home", "carehome");
* typos: a word of ``TYPO_MIN`` letters or more that matches nothing may match the closest
  known single word (``difflib``, similarity at least ``TYPO_CUTOFF``), marked
  ``exact=False``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parents[1] / "data" / "search" / "synonyms.yaml"
MAX_PHRASE = 4  # words in the longest phrase tried
TYPO_MIN = 7  # letters a word needs before a near miss counts
TYPO_CUTOFF = 0.9  # lower, and names like "Lindegården" pass for "kindergarden"

_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})
_WORD = re.compile(r"[\w'.-]+", re.UNICODE)


def fold(text: str) -> str:
    """A loose Danish spelling key: lower case, æ/ae → e, ø/oe → o, å/aa → a, accents off,
    only letters and digits. "Børnehave", "boernehave" and "bornehave" give "bornehave"."""
    s = unicodedata.normalize("NFKC", text).lower().translate(_LETTERS)
    s = s.replace("aa", "a").replace("ae", "e").replace("oe", "o")
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if c.isascii() and c.isalnum())


def _stem(word: str) -> str:
    from frisat.web.stemming import stemmer  # one per thread

    return fold(stemmer().stemWord(word.lower()))


@dataclass(frozen=True)
class Concept:
    """What an everyday word means in the register."""

    key: str
    area: str | None  # dagtilbud | folkeskole | aeldre; None: words about the schemes
    kinds: tuple[str, ...]
    terms: tuple[str, ...]  # the register's own words to search for
    law: str | None  # where the law places it (a citation the catalogue holds)
    note: tuple[str, str] | None  # Danish, English
    words: tuple[str, ...]

    def note_in(self, lang: str) -> str | None:
        return None if self.note is None else self.note[1] if lang == "en" else self.note[0]


@dataclass(frozen=True)
class Hit:
    words: str  # the words of the query that matched, as typed
    concept: Concept
    exact: bool  # False: matched as the nearest known word (a typo)


@dataclass(frozen=True)
class Expansion:
    query: str
    hits: tuple[Hit, ...]
    rest: tuple[str, ...]  # the query's other words, in order (names, towns, postcodes)

    @property
    def areas(self) -> tuple[str, ...]:
        return _unique(h.concept.area for h in self.hits if h.concept.area)

    @property
    def kinds(self) -> tuple[str, ...]:
        return _unique(k for h in self.hits for k in h.concept.kinds)

    @property
    def terms(self) -> tuple[str, ...]:
        return _unique(t for h in self.hits for t in h.concept.terms)

    def text(self, keep_words: bool = True) -> str:
        """The query for an any-word full-text search: the query's words (the matched ones
        too, unless ``keep_words`` is false: "Hornbæk Skole" is also a name), then the
        register's words. For an all-words search use ``rest`` and filter by ``areas``."""
        said = tuple(w for h in self.hits for w in h.words.split()) if keep_words else ()
        return " ".join(_unique((*self.rest, *said, *self.terms)))


def _unique(items: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@dataclass(frozen=True)
class Vocabulary:
    concepts: tuple[Concept, ...]
    index: dict[str, Concept]  # folded word or phrase (spaces removed) → concept
    near: tuple[str, ...]  # the keys a typo may be taken for: single words, letters only


def _keys(word: str, danish: bool) -> list[str]:
    keys = [fold(word)]
    if danish and " " not in word:
        keys.append(_stem(word))
    return [k for k in keys if k]


def build(doc: dict[str, Any]) -> Vocabulary:
    """The vocabulary of a synonyms document; a word claimed by two concepts is an error."""
    concepts: list[Concept] = []
    index: dict[str, Concept] = {}
    near: set[str] = set()
    for c in doc["concepts"]:
        note = c.get("note")
        words = c["words"]
        concept = Concept(
            key=c["key"], area=c.get("area"), kinds=tuple(c.get("kinds") or ()),
            terms=tuple(c["terms"]), law=c.get("law"),
            note=(note["da"], note["en"]) if note else None,
            words=tuple(words.get("da", []) + words.get("en", [])))
        concepts.append(concept)
        for lang in ("da", "en"):
            for w in words.get(lang, []):
                for key in _keys(w, lang == "da"):
                    if " " not in w and key.isalpha() and len(key) >= TYPO_MIN:
                        near.add(key)
                    other = index.setdefault(key, concept)
                    if other is not concept:
                        raise ValueError(f"{w!r} ({key}) står under både {other.key} og "
                                         f"{concept.key}")
    return Vocabulary(tuple(concepts), index, tuple(sorted(near)))


@cache
def vocabulary() -> Vocabulary:
    return build(yaml.safe_load(DATA.read_text(encoding="utf-8")))


def _lookup(vocab: Vocabulary, words: Sequence[str]) -> tuple[Concept, bool] | None:
    joined = "".join(fold(w) for w in words)
    if joined in vocab.index:
        return vocab.index[joined], True
    if len(words) > 1:
        return None
    word = words[0]
    for key in (_stem(word), joined[:-1] if joined.endswith("s") else ""):
        if key and key in vocab.index:
            return vocab.index[key], True
    if len(joined) >= TYPO_MIN and not joined.isdigit():
        near = difflib.get_close_matches(joined, vocab.near, n=1, cutoff=TYPO_CUTOFF)
        if near:
            return vocab.index[near[0]], False
    return None


def expand(query: str, vocab: Vocabulary | None = None) -> Expansion:
    """The concepts the query's words name (longest phrase first) and the words left over."""
    vocab = vocab or vocabulary()
    words = [w.strip(".-'") or w for w in _WORD.findall(query)]
    hits: list[Hit] = []
    rest: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            got = _lookup(vocab, words[i:i + n])
            if got is not None:
                hits.append(Hit(" ".join(words[i:i + n]), got[0], got[1]))
                i += n
                break
        else:
            rest.append(words[i])
            i += 1
    return Expansion(query, tuple(hits), tuple(rest))
