"""Search across institutions, municipalities, acts, provisions and decisions.

Both the index and the query go through the same Snowball Danish stemmer and the same
folding of æ/ø/å to ae/oe/aa, so ``boernehaver`` finds "Børnehaver". The words are
stored in ``SearchDoc.terms``; SQLite matches them with FTS5, PostgreSQL with a
``tsvector`` of the ``simple`` configuration (the stemming is already done), so both
databases give the same hits. A query that reads as a citation (``§3a stk 2``,
``dagtilbudsloven § 8, stk. 4``) is also looked up directly, with exact provisions first.

The index is rebuilt from the register whenever its newest load changes.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
from typing import Any

from django.db import connection, transaction

from frisat import links
from frisat.law.citation import CitationError, parse_citation, parse_ref
from frisat.queries import places as q_places
from frisat.queries.common import now
from frisat.registry import snapshot as register_snapshot
from frisat.registry.locking import retry_when_busy
from frisat.web import synonyms
from frisat.web.stemming import stemmer as danish_stemmer
from frisat.web.synonyms import fold as loose

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})
_WORD = re.compile(r"\w+", re.UNICODE)
_lock = threading.Lock()
LIMIT = 50


def fold(word: str) -> str:
    w = word.lower().translate(_FOLD)
    w = unicodedata.normalize("NFKD", w)
    return "".join(c for c in w if c.isascii() and c.isalnum())


def terms(text: str, query: bool = False) -> list[str]:
    """The folded stem of every word; the index also keeps the plain folded word and its
    loose spelling key (``synonyms.fold``: ø/oe/o alike, so "elverhojen" finds
    "Elverhøjen"); a query matches by prefix, so its stems find all three."""
    out: list[str] = []
    stemmer = danish_stemmer()
    for raw in _WORD.findall(text.lower()):
        stem = stemmer.stemWord(raw) if stemmer is not None else raw
        for w in (fold(stem),) if query else (fold(stem), fold(raw), loose(raw)):
            if w and w not in out:
                out.append(w)
    return out


def word_groups(text: str) -> list[list[str]]:
    """Per query word the keys any of which may match it: the folded stem and the loose
    spelling key (a word the index keeps under the other spelling still matches)."""
    groups: list[list[str]] = []
    stemmer = danish_stemmer()
    for raw in _WORD.findall(text.lower()):
        stem = stemmer.stemWord(raw) if stemmer is not None else raw
        keys = list(dict.fromkeys(k for k in (fold(stem), loose(raw))
                                  if k and not k.startswith(TAG)))
        if keys:
            groups.append(keys)
    return groups


# Tags in a document's terms for what it is (area, institution kind), which the search
# vocabulary's concepts select on ("børnehave" → kind daginstitution). Letters only, so both
# FTS5 and tsvector keep them as one token; query words never start with it.
TAG = "xq"


def tag(kind: str, value: str) -> str:
    return TAG + kind + fold(value)


def provision_url(act: str, ref: str) -> str:
    return links.provision(act, ref)


def _docs(eng: Any) -> list[dict[str, str]]:
    w = eng.world
    names = {a.key: a.name for a in w.areas}
    docs: list[dict[str, str]] = []

    def add(kind: str, key: str, title: str, url: str, detail: str, text: str) -> None:
        docs.append({"kind": kind, "key": key, "title": title, "url": url,
                     "detail": detail[:300], "terms": " ".join(terms(f"{title} {text}"))})

    freed: dict[int, set[str]] = {}
    for c in w.coverage:  # the areas a scheme has ever freed the municipality in
        freed.setdefault(c.municipality, set()).add(c.area)
    for m in w.municipalities:
        areas = sorted(freed.get(m.code, ()))
        add("municipality", str(m.code), f"{m.name} Kommune", links.path("municipality", m.code),
            m.region_name, f"{m.code} {m.region_name} kommune "
            + " ".join(tag("area", a) for a in areas))
    places = q_places.all_places()
    for inst in w.institutions:
        ms = sorted(eng.memberships.get(inst.id, ()),
                    key=lambda x: x.valid_from or dt.date.min)
        last = ms[-1] if ms else None
        mun = eng.municipalities.get(last.municipality) if last else None
        where = f"{names.get(last.area, last.area)}, {mun.name if mun else ''} Kommune" \
            if last else ""
        p = places.get(inst.id)
        address = f"{p['address']}, {p['postcode']} {p['city']}" if p else ""
        tags = f"{tag('area', last.area)} {tag('kind', last.kind)}" if last else ""
        add("institution", inst.id, inst.name, links.path("institution", inst.id),
            f"{where}{' · ' + address if address else ''}",
            f"{inst.id} {where} {last.kind if last else ''} {address} "
            f"{p['unit_type'] if p else ''} {tags}")
    for a in w.acts:
        add("rule" if a.level == "municipal" else "act", a.key, a.title,
            provision_url(a.key, ""), a.key, f"{a.key} {a.short_title}")
    titles = {a.key: a.title for a in w.acts}
    short = {a.key: a.short_title or a.title for a in w.acts}
    for p in w.provisions:
        if not p.ref:
            continue
        # the title as people read it (the act's short title, never its key)
        add("provision", p.citation, f"{short.get(p.act, p.act)} {p.ref}",
            provision_url(p.act, p.ref),
            p.heading or p.summary or titles.get(p.act, ""),
            f"{p.act} {p.ref} {p.heading} {p.summary} {titles.get(p.act, '')}")
    for d in w.decisions:
        if not d.published:
            continue
        mun = eng.municipalities.get(d.municipality)
        add("decision", d.id, d.title or d.id, links.path("decision", d.id),
            f"{mun.name if mun else d.municipality} Kommune",
            f"{d.id} {mun.name if mun else ''} {d.replacement} "
            + " ".join(t.citation for t in d.targets))
    return docs


# Raised when the documents' shape changes, so an index built by older code is rebuilt.
INDEX_VERSION = "2"


def _stamp() -> str:
    from frisat.registry.models import Load

    s = Load.objects.order_by("-id").values_list("id", "loaded_at").first()
    return "" if s is None else f"{s[0]}@{s[1].isoformat()}/v{INDEX_VERSION}"


@retry_when_busy
def ensure_index() -> None:
    """Rebuild the index when the register has changed since it was built.

    The documents are made (seconds: every institution and provision stemmed) before the
    write transaction begins, so the register's write lock is held only while the rows are
    swapped; a rebuilder that finds the index already renewed meanwhile writes nothing."""
    from frisat.web.models import SearchState

    stamp = _stamp()
    st = SearchState.objects.first()
    if st is not None and st.stamp == stamp:
        return
    with _lock:
        st = SearchState.objects.first()
        if st is not None and st.stamp == stamp:
            return
        docs = _docs(register_snapshot.snapshot(now()).engine)
        _store(docs, stamp)


def _store(docs: list[dict[str, str]], stamp: str) -> None:
    from frisat.web.models import SearchDoc, SearchState

    with transaction.atomic():
        # the row lock makes concurrent rebuilders (several workers) take turns
        st = SearchState.objects.select_for_update().first()
        if st is not None and st.stamp == stamp:
            return
        SearchDoc.objects.all().delete()
        objs = SearchDoc.objects.bulk_create(SearchDoc(**d) for d in docs)
        if connection.vendor == "sqlite":
            with connection.cursor() as c:
                c.execute("DELETE FROM web_searchfts")
                c.executemany("INSERT INTO web_searchfts (terms, doc_id) VALUES (%s, %s)",
                              [(o.terms, o.id) for o in objs])
        if st is None:
            SearchState.objects.create(stamp=stamp)
        else:
            st.stamp = stamp
            st.save()


def _match_ids(groups: list[list[str]], limit: int = LIMIT) -> list[int]:
    """Documents with every group (any key of a group, as a prefix), best first."""
    if not groups:
        return []
    if connection.vendor == "sqlite":
        q = " AND ".join("(" + " OR ".join(f'"{w}"*' for w in g) + ")" for g in groups)
        sql = ("SELECT doc_id FROM web_searchfts WHERE web_searchfts MATCH %s "
               "ORDER BY bm25(web_searchfts) LIMIT %s")
        params: list[Any] = [q, limit]
    elif connection.vendor == "postgresql":
        q = " & ".join("(" + " | ".join(f"{w}:*" for w in g) + ")" for g in groups)
        sql = ("SELECT id FROM web_searchdoc WHERE to_tsvector('simple', terms) @@ "
               "to_tsquery('simple', %s) ORDER BY ts_rank(to_tsvector('simple', terms), "
               "to_tsquery('simple', %s)) DESC, id LIMIT %s")
        params = [q, q, limit]
    else:  # pragma: no cover - other databases: every group as a substring
        from django.db.models import Q

        from frisat.web.models import SearchDoc

        qs = SearchDoc.objects.all()
        for g in groups:
            any_of = Q()
            for w in g:
                any_of |= Q(terms__contains=w)
            qs = qs.filter(any_of)
        return list(qs.values_list("id", flat=True)[:limit])
    with connection.cursor() as c:
        c.execute(sql, params)
        return [int(r[0]) for r in c.fetchall()]


# The words of the index, per index state, for typos: a word that matches nothing is taken
# for the closest word of the index (difflib, at least ``TYPO_CUTOFF`` alike).
TYPO_CUTOFF = 0.8
TYPO_MIN = 5
_words: dict[str, tuple[str, ...]] = {}


def _index_words() -> tuple[str, ...]:
    from frisat.web.models import SearchDoc, SearchState

    st = SearchState.objects.first()
    stamp = st.stamp if st is not None else ""
    got = _words.get(stamp)
    if got is None:
        seen: set[str] = set()
        for t in SearchDoc.objects.values_list("terms", flat=True).iterator():
            seen.update(w for w in t.split() if w.isalpha() and not w.startswith(TAG))
        got = tuple(sorted(seen))
        _words.clear()
        _words[stamp] = got
    return got


def _near(group: list[str]) -> list[str] | None:
    """A typo's nearest index word, as a group of its own; None when nothing is near."""
    import difflib

    key = group[-1]  # the loose spelling key
    if len(key) < TYPO_MIN or not key.isalpha():
        return None
    near = difflib.get_close_matches(key, _index_words(), n=1, cutoff=TYPO_CUTOFF)
    return [near[0]] if near else None


def _citation_keys(q: str, acts: set[str]) -> tuple[str | None, str] | None:
    """(act or None, canonical ref) when the query reads as a citation."""
    s = q.strip()
    try:
        c = parse_citation(s)
        if c.act in acts:
            return c.act, c.ref
    except CitationError:
        pass
    if "§" in s or re.match(r"(?i)\s*(kap|kapitel|afsnit)\b", s):
        try:
            return None, str(parse_ref(s))
        except CitationError:
            return None
    return None


def search(q: str, lang: str = "da", date: dt.date | None = None) -> list[dict[str, Any]]:
    """The hits for a query, best first: exact citations, then what the everyday words and
    the other words name together (``synonyms.expand``: "børnehave helsingør" → day-care
    units in Helsingør), then the other words alone; a word that matches nothing is taken
    for the nearest word of the index (a typo)."""
    from frisat.web.models import SearchDoc

    ensure_index()
    hits: list[Any] = []
    seen: set[int] = set()
    snap = register_snapshot.snapshot(now())
    eng = snap.engine
    cit = _citation_keys(q, set(eng.acts))
    if cit is not None:
        act, ref = cit
        keys = [f"{act} {ref}".strip()] if act else \
            [p.citation for p in eng.world.provisions if p.ref == ref and ref]
        for doc in SearchDoc.objects.filter(kind__in=("provision", "act", "rule"),
                                            key__in=keys)[:LIMIT]:
            seen.add(doc.id)
            hits.append(doc)
    # a citation is searched by its words as typed: "dagtilbudsloven" there is an act
    expansion = synonyms.expand(q) if cit is None else synonyms.Expansion(q, (), (q,))
    rest = word_groups(" ".join(expansion.rest))
    # a word of the rest that matches nothing alone is a typo of the nearest index word
    rest = [g if _match_ids([g], 1) else (_near(g) or g) for g in rest]
    rounds: list[list[list[str]]] = []
    if expansion.hits:
        concept = [tag("kind", k) for k in expansion.kinds] + \
            [tag("area", a) for a in expansion.areas]
        # the everyday words as words: a provision heading or a name may use them
        said = word_groups(" ".join(h.words for h in expansion.hits)) + rest
        if rest:  # "børnehave helsingør": what the words name, there
            rounds += [[*rest, concept] if concept else rest, rest, said]
        else:  # "pasningsgaranti": the words themselves first, then what they name
            rounds += [said, [concept] if concept else []]
    else:
        rounds.append(rest)
    for groups in rounds:
        if not groups or len(hits) >= LIMIT:
            continue
        ids = [i for i in _match_ids(groups) if i not in seen]
        by_id = SearchDoc.objects.in_bulk(ids)
        found = [by_id[i] for i in ids if i in by_id]
        # within a round, a hit whose name has every word comes first ("Jyderup Skole"
        # before a kindergarten at an address in Jyderup); otherwise the database's rank
        found.sort(key=lambda d: not _in_title(groups, d.title))
        for d in found:
            seen.add(d.id)
            hits.append(d)
    out = [{"kind": h.kind, "key": h.key, "title": h.title, "detail": h.detail,
            "url": h.url} for h in hits[:LIMIT]]
    _hints(snap, out, lang, date or now().date())
    return out


def _in_title(groups: list[list[str]], title: str) -> bool:
    words = set(terms(title))
    return all(any(w.startswith(k) for k in g for w in words) for g in groups
               if not g[0].startswith(TAG))


def concepts(q: str, lang: str = "da") -> list[dict[str, Any]]:
    """What the query's everyday words mean in the register, with the vocabulary's note."""
    names = {a.key: (a.name_en or a.name) if lang == "en" else a.name
             for a in register_snapshot.snapshot(now()).world.areas}
    return [{"words": h.words, "area": h.concept.area,
             "area_name": names.get(h.concept.area or "", ""),
             "note": h.concept.note_in(lang) or "", "exact": h.exact}
            for h in synonyms.expand(q).hits]


def _hints(snap: Any, hits: list[dict[str, Any]], lang: str, date: dt.date) -> None:
    """A hint per provision hit: a guardrail under a scheme, and in how many
    municipalities it is set aside on the date (from the national answer)."""
    eng = snap.engine
    national = snap.index.national(date).to_json(lang)
    where: dict[str, set[int]] = {}
    for e in national["exceptions"]:
        where.setdefault(e["citation"], set()).add(e["municipality"])
    for h in hits:
        h["hint"] = ""
        if h["kind"] != "provision":
            continue
        act, _, ref = h["key"].partition(" ")
        marks = {eng.mark(r, act, ref) for r in eng.regimes} if act in eng.acts else set()
        parts = []
        if "guardrail" in marks:
            parts.append("hegnspæl" if lang != "en" else "guardrail")
        n = len({m for c, ms in where.items() if c == h["key"] or
                 c.startswith(h["key"] + ",") or c.startswith(h["key"] + " ") for m in ms})
        if n:
            parts.append(f"set aside in {n} municipalit{'y' if n == 1 else 'ies'}"
                         if lang == "en" else
                         f"sat ud af kraft i {n} kommune{'' if n == 1 else 'r'}")
        h["hint"] = "; ".join(parts)
