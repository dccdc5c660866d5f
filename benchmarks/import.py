"""Benchmark: parse and store a large act, against lxml's bare parse of the same file.

    python benchmarks/import.py [--paragraphs 1000] [--cpu]

Builds a synthetic LexDania act (made up, wording "Eksempeltekst …"): 1,000 paragraphs in
20 chapters, 3,000 stk. and 5,000 nr., two sentences per text. Prints the time of lxml's
bare parse (``etree.fromstring``), of ``frisat.sources.lexdania.parse`` (tree, text, sentences,
citations), of planning the import and of storing it (a fresh SQLite database in a
temporary FRISAT_HOME), of a re-import (a no-op), and each as a ratio to the bare parse.
Prints; asserts nothing about time. ``--cpu`` times CPU (``time.process_time``) instead
of the wall clock, for a machine shared with other work.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def synthetic_act(paragraphs: int, stk: int, nr: int) -> bytes:
    """An act with the given counts, spread evenly; the first stk. of each § unmarked."""
    stk_per = [stk // paragraphs + (1 if i < stk % paragraphs else 0) for i in range(paragraphs)]
    nr_left = nr
    body = []
    chapters = max(1, paragraphs // 50)
    per_chapter = -(-paragraphs // chapters)
    n_stk_total = sum(stk_per)
    for c in range(chapters):
        body.append(f"<Kapitel><Explicatus>Kapitel {c + 1}</Explicatus><Rubrica><Linea><Char>"
                    f"Eksempelkapitel {c + 1}</Char></Linea></Rubrica>")
        for i in range(c * per_chapter, min(paragraphs, (c + 1) * per_chapter)):
            stks = []
            for j in range(stk_per[i]):
                share = round(nr * 1 / n_stk_total) if nr_left > 0 else 0
                k = min(share + (1 if (i + j) % 3 == 0 else 0), nr_left)
                nr_left -= k
                items = "".join(
                    f'<Indentatio formaInd="Nummer"><Explicatus>{n + 1})</Explicatus><Exitus>'
                    f"<Linea><Char>eksempelpunkt {n + 1}, jf. stk. 1,</Char></Linea></Exitus>"
                    "</Indentatio>" for n in range(k))
                label = f"<Explicatus>Stk. {j + 1}.</Explicatus>" if j else ""
                stks.append(
                    f"<Stk>{label}<Exitus><Linea><Char>Eksempeltekst for § {i + 1}, jf. "
                    f"nr. 2. Den </Char><Char formaChar=\"Kursiv\">gælder</Char><Char> også "
                    f"m.v.</Char></Linea></Exitus>{f'<Index>{items}</Index>' if items else ''}"
                    "</Stk>")
            body.append(f'<Paragraf localId="{i + 1}"><Explicatus>§ {i + 1}.</Explicatus>'
                        f"{''.join(stks)}</Paragraf>")
        body.append("</Kapitel>")
    doc = ('<?xml version="1.0" encoding="utf-8"?><Dokument><Meta>'
           "<DocumentType>LBK H#LOKDOK03</DocumentType><DocumentTitle>Bekendtgørelse af lov "
           "om eksempler (benchmarkloven)</DocumentTitle><PopularTitle>Benchmarkloven"
           "</PopularTitle><Year>2024</Year><Number>1</Number><DiesSigni>2024-01-01"
           "</DiesSigni><StartDate>2024-01-02</StartDate></Meta><DokumentIndhold>"
           f"{''.join(body)}</DokumentIndhold></Dokument>")
    return doc.encode("utf-8")


CLOCK = time.perf_counter


def timed(fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = CLOCK()
        out = fn()
        best = min(best, CLOCK() - t)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--paragraphs", type=int, default=1000)
    ap.add_argument("--stk", type=int, default=3000)
    ap.add_argument("--nr", type=int, default=5000)
    ap.add_argument("--cpu", action="store_true", help="CPU time instead of wall clock")
    args = ap.parse_args()
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time

    home = tempfile.mkdtemp(prefix="frisat-bench-")
    os.environ["FRISAT_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frisat.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from lxml import etree

    from frisat.registry.loader import load
    from frisat.registry.store import now, read_world
    from frisat.sources.acts import import_act, plan_import
    from frisat.sources.lexdania import parse

    call_command("migrate", interactive=False, verbosity=0)
    load({"format": "frisat-bundle/1", "areas": [{"key": "dagtilbud", "name": "Dagtilbud"}]})

    data = synthetic_act(args.paragraphs, args.stk, args.nr)
    bare, _ = timed(lambda: etree.fromstring(data), repeat=5)
    t_parse, act = timed(lambda: parse(data), repeat=3)
    kinds: dict[str, int] = {}
    for n in act.walk():
        kinds[n.kind] = kinds.get(n.kind, 0) + 1
    t_plan, _ = timed(lambda: plan_import(act, read_world(act="benchmarkloven"),
                                          key="benchmarkloven",
                                          areas=("dagtilbud",), now=now()))
    t_store, first = timed(lambda: import_act(act, key="benchmarkloven",
                                              areas=("dagtilbud",)))
    t_again, again = timed(lambda: import_act(act, key="benchmarkloven"))
    assert again.noop

    print(f"Synthetic act: {len(data) / 1e6:.1f} MB, {kinds.get('kapitel', 0)} chapters, "
          f"{kinds.get('paragraf', 0)} §, {kinds.get('stk', 0)} stk. nodes "
          f"({args.stk} stk. incl. the single ones), {kinds.get('nr', 0)} nr.; stored "
          f"{first.added.get('provisions', 0)} provisions, {first.added.get('versions', 0)} "
          "versions")
    rows = [("lxml etree.fromstring (bare parse)", bare),
            ("lexdania.parse (tree, text, sentences)", t_parse),
            ("plan_import (diff against the register)", t_plan),
            ("import_act, first time (plan + check + store)", t_store),
            ("import_act again (no-op)", t_again)]
    width = max(len(r[0]) for r in rows)
    for name, t in rows:
        print(f"{name:<{width}}  {t:8.3f} s  {t / bare:8.1f}× bare parse")


if __name__ == "__main__":
    main()
