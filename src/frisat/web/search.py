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
from frisat.queries.common import now
from frisat.registry import snapshot as register_snapshot
from frisat.registry.locking import retry_when_busy
from frisat.web.stemming import stemmer as danish_stemmer

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})
_WORD = re.compile(r"\w+", re.UNICODE)
_lock = threading.Lock()
LIMIT = 50


def fold(word: str) -> str:
    w = word.lower().translate(_FOLD)
    w = unicodedata.normalize("NFKD", w)
    return "".join(c for c in w if c.isascii() and c.isalnum())


def terms(text: str, query: bool = False) -> list[str]:
    """The folded stem of every word; the index also keeps the plain folded word (a query
    matches by prefix, so its stems find both)."""
    out: list[str] = []
    stemmer = danish_stemmer()
    for raw in _WORD.findall(text.lower()):
        stem = stemmer.stemWord(raw) if stemmer is not None else raw
        for w in (fold(stem),) if query else (fold(stem), fold(raw)):
            if w and w not in out:
                out.append(w)
    return out


def provision_url(act: str, ref: str) -> str:
    return links.provision(act, ref)


def _docs(eng: Any) -> list[dict[str, str]]:
    w = eng.world
    names = {a.key: a.name for a in w.areas}
    docs: list[dict[str, str]] = []

    def add(kind: str, key: str, title: str, url: str, detail: str, text: str) -> None:
        docs.append({"kind": kind, "key": key, "title": title, "url": url,
                     "detail": detail[:300], "terms": " ".join(terms(f"{title} {text}"))})

    for m in w.municipalities:
        add("municipality", str(m.code), f"{m.name} Kommune", links.path("municipality", m.code),
            m.region_name, f"{m.code} {m.region_name} kommune")
    for inst in w.institutions:
        ms = sorted(eng.memberships.get(inst.id, ()),
                    key=lambda x: x.valid_from or dt.date.min)
        last = ms[-1] if ms else None
        mun = eng.municipalities.get(last.municipality) if last else None
        where = f"{names.get(last.area, last.area)}, {mun.name if mun else ''} Kommune" \
            if last else ""
        add("institution", inst.id, inst.name, links.path("institution", inst.id), where,
            f"{inst.id} {where} {last.kind if last else ''}")
    for a in w.acts:
        add("rule" if a.level == "municipal" else "act", a.key, a.title,
            provision_url(a.key, ""), a.key, f"{a.key} {a.short_title}")
    titles = {a.key: a.title for a in w.acts}
    for p in w.provisions:
        if not p.ref:
            continue
        add("provision", p.citation, p.citation, provision_url(p.act, p.ref),
            p.heading or p.summary or titles.get(p.act, ""),
            f"{p.heading} {p.summary} {titles.get(p.act, '')}")
    for d in w.decisions:
        if not d.published:
            continue
        mun = eng.municipalities.get(d.municipality)
        add("decision", d.id, d.title or d.id, links.path("decision", d.id),
            f"{mun.name if mun else d.municipality} Kommune",
            f"{d.id} {mun.name if mun else ''} {d.replacement} "
            + " ".join(t.citation for t in d.targets))
    return docs


def _stamp() -> str:
    from frisat.registry.models import Load

    s = Load.objects.order_by("-id").values_list("id", "loaded_at").first()
    return "" if s is None else f"{s[0]}@{s[1].isoformat()}"


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


def _match_ids(words: list[str]) -> list[int]:
    if connection.vendor == "sqlite":
        q = " ".join(f'"{w}"*' for w in words)
        sql = ("SELECT doc_id FROM web_searchfts WHERE web_searchfts MATCH %s "
               "ORDER BY bm25(web_searchfts) LIMIT %s")
        params: list[Any] = [q, LIMIT]
    elif connection.vendor == "postgresql":
        q = " & ".join(f"{w}:*" for w in words)
        sql = ("SELECT id FROM web_searchdoc WHERE to_tsvector('simple', terms) @@ "
               "to_tsquery('simple', %s) ORDER BY ts_rank(to_tsvector('simple', terms), "
               "to_tsquery('simple', %s)) DESC, id LIMIT %s")
        params = [q, q, LIMIT]
    else:  # pragma: no cover - other databases: every word as a substring
        from frisat.web.models import SearchDoc

        qs = SearchDoc.objects.all()
        for w in words:
            qs = qs.filter(terms__contains=w)
        return list(qs.values_list("id", flat=True)[:LIMIT])
    with connection.cursor() as c:
        c.execute(sql, params)
        return [int(r[0]) for r in c.fetchall()]


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


def search(q: str) -> list[dict[str, Any]]:
    from frisat.web.models import SearchDoc

    ensure_index()
    hits: list[Any] = []
    seen: set[int] = set()
    eng = register_snapshot.snapshot(now()).engine
    cit = _citation_keys(q, set(eng.acts))
    if cit is not None:
        act, ref = cit
        keys = [f"{act} {ref}".strip()] if act else \
            [p.citation for p in eng.world.provisions if p.ref == ref and ref]
        for doc in SearchDoc.objects.filter(kind__in=("provision", "act", "rule"),
                                            key__in=keys)[:LIMIT]:
            seen.add(doc.id)
            hits.append(doc)
    words = terms(q, query=True)
    if words:
        ids = [i for i in _match_ids(words) if i not in seen]
        by_id = SearchDoc.objects.in_bulk(ids)
        hits += [by_id[i] for i in ids if i in by_id]
    return [{"kind": h.kind, "key": h.key, "title": h.title, "detail": h.detail,
             "url": h.url} for h in hits[:LIMIT]]
