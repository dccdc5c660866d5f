"""The data of each portal page, as plain JSON-able dicts built from ``registry.answers``.

A page's ``data`` is what ``?format=json`` returns; ``csv`` is its main table for
``?format=csv``; the template gets both. Nothing here decides what applies: the answers
and the engine's accessors do.
"""

from __future__ import annotations

import datetime as dt
import functools
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape as esc
from typing import Any

from django.utils.safestring import SafeString

from frisat.engine import UnknownRecord
from frisat.engine.model import in_interval
from frisat.law.citation import CitationError, canonical_ref
from frisat.registry import answers
from frisat.registry.errors import InputError, Rejected
from frisat.registry.validate import is_safe_url
from frisat.web.portal import STATUS_CLASS, Ask, area_names, label


@dataclass
class Page:
    template: str
    title: str
    data: dict[str, Any]
    csv_header: list[str] = field(default_factory=list)
    csv_rows: list[list[Any]] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    name: str = "frisat"  # file name stem for downloads


def _not_found(kind: str, value: object, fld: str) -> Rejected:
    return Rejected([InputError(fld, "not_found", f"Ukendt {kind}: {value}")])


def _d(x: dt.date | None) -> str | None:
    return x.isoformat() if x else None


# --------------------------------------------------------------------------- national


def national(ask: Ask) -> Page:
    from frisat.registry import models as db

    data = answers.national(ask.date, ask.known_at, ask.lang)
    eng = answers.snapshots.engine(ask.known_at)
    w = eng.world
    names = area_names(w, ask.lang)
    regimes = {r.key: r for r in w.regimes}

    covered: dict[int, set[str]] = defaultdict(set)
    regimes_of: dict[int, set[str]] = defaultdict(set)
    for r in data["regimes"]:
        for c in r["coverage"]:
            covered[c["municipality"]].add(c["area"])
            regimes_of[c["municipality"]].add(r["key"])

    by_area: list[dict[str, Any]] = []
    for a in w.areas:
        muns = sorted((m for m, areas in covered.items() if a.key in areas),
                      key=lambda c: eng.municipalities[c].name)
        per_regime = [{"regime": r["key"], "title": r["title"], "municipalities": [
            {"code": c["municipality"], "name": c["name"]}
            for c in sorted(r["coverage"], key=lambda c: c["name"]) if c["area"] == a.key]}
            for r in data["regimes"]]
        by_area.append({"area": a.key, "name": names[a.key], "freed": len(muns),
                        "municipalities": [{"code": c, "name": eng.municipalities[c].name}
                                           for c in muns],
                        "regimes": [r for r in per_regime if r["municipalities"]]})

    top = max((int(x["freed"]) for x in by_area), default=0) or 1
    for x in by_area:
        x["bar_percent"] = round(100 * x["freed"] / top)

    # decisions and provisions set aside, per municipality and area
    groups: dict[tuple[int, str], dict[str, Any]] = {}
    for e in data["exceptions"]:
        g = groups.setdefault((e["municipality"], e["area"]), {
            "municipality": e["municipality"],
            "name": eng.municipalities[e["municipality"]].name,
            "area": e["area"], "decisions": set(), "provisions": set(),
            "institution_level": 0})
        g["decisions"].update(e["decisions"])
        g["provisions"].add(e["citation"])
        if e["institution"]:
            g["institution_level"] += 1
    set_aside = [{**g, "decisions": sorted(g["decisions"]),
                  "provisions": len(g["provisions"])}
                 for g in sorted(groups.values(), key=lambda g: (g["area"], g["name"]))]
    set_aside_by_area = []
    for a in w.areas:
        rows = [g for g in set_aside if g["area"] == a.key]
        if rows:
            set_aside_by_area.append({
                "area": a.key, "name": names[a.key], "municipalities": len(rows),
                "decisions": len({d for g in rows for d in g["decisions"]}),
                "provisions": len({e["citation"] for e in data["exceptions"]
                                   if e["area"] == a.key})})

    # the regimes' fact sheet and timeline, from every coverage record known at K
    history = list(db.Coverage.objects.filter(recorded_at__lte=ask.known_at)
                   .order_by("recorded_at", "id")
                   .values("regime_id", "municipality_id", "area_id", "valid_from",
                           "valid_to", "source", "recorded_at"))
    sheet = []
    timeline: list[dict[str, Any]] = []
    for key in sorted(regimes, key=lambda k: min(
            (h["valid_from"] for h in history if h["regime_id"] == k), default=dt.date.max)):
        r = regimes[key]
        recs = [h for h in history if h["regime_id"] == key]
        if not recs:
            continue
        start = min(h["valid_from"] for h in recs)
        current = [c for c in w.coverage if c.regime == key]
        ends = [c.valid_to for c in current]
        end = None if any(e is None for e in ends) else max(e for e in ends if e)
        areas = sorted({h["area_id"] for h in recs})
        muns = sorted({h["municipality_id"] for h in recs},
                      key=lambda c: eng.municipalities[c].name)
        sheet.append({
            "key": key, "title": r.title, "kind": r.kind, "legal_basis": r.legal_basis,
            "shape": r.shape, "areas": areas, "area_names": [names.get(a, a) for a in areas],
            "from": _d(start), "to": _d(end),
            "municipalities": [{"code": c, "name": eng.municipalities[c].name} for c in muns],
            "covering_on_date": sorted({c["municipality"] for x in data["regimes"]
                                        if x["key"] == key for c in x["coverage"]}),
        })
        timeline.append({"date": _d(start), "regime": key, "title": r.title,
                         "event": "start", "legal_basis": r.legal_basis, "source": ""})
        # an end date that changed in the record history is an extension (or shortening)
        seen_end: dict[tuple[int, str, dt.date], dt.date | None] = {}
        for h in recs:
            k = (h["municipality_id"], h["area_id"], h["valid_from"])
            if k in seen_end and seen_end[k] != h["valid_to"]:
                ev = {"date": _d(h["valid_to"]), "regime": key, "title": r.title,
                      "event": "extended", "legal_basis": r.legal_basis,
                      "source": h["source"], "previous": _d(seen_end[k]),
                      "recorded_at": h["recorded_at"].date().isoformat()}
                if not any(t["event"] == "extended" and t["regime"] == key
                           and t["date"] == ev["date"] for t in timeline):
                    timeline.append(ev)
            seen_end[k] = h["valid_to"]
        if end is not None:
            timeline.append({"date": _d(end), "regime": key, "title": r.title, "event": "end",
                             "legal_basis": r.legal_basis, "source": ""})
    timeline.sort(key=lambda t: (t["date"] or "", t["event"] != "start"))

    muns_out: list[dict[str, Any]] = []
    set_aside_by_mun: dict[int, int] = defaultdict(int)
    for g in set_aside:
        set_aside_by_mun[g["municipality"]] += g["provisions"]
    for mun in sorted(w.municipalities, key=lambda x: x.name):
        muns_out.append({"code": mun.code, "name": mun.name, "region": mun.region_name,
                         "areas": sorted(covered.get(mun.code, ())),
                         "regimes": sorted(regimes_of.get(mun.code, ())),
                         "provisions_set_aside": set_aside_by_mun.get(mun.code, 0)})
    data = {**data, "fact_sheet": sheet, "by_area": by_area, "set_aside": set_aside,
            "set_aside_by_area": set_aside_by_area, "timeline": timeline,
            "municipalities": muns_out}
    csv_rows: list[list[Any]] = [
        [m["code"], m["name"], m["region"], " ".join(m["areas"]), " ".join(m["regimes"]),
         m["provisions_set_aside"]] for m in muns_out]
    title = ask.t("Frisættelse af kommuner – nationalt overblik",
                  "Freeing municipalities from rules – national view")
    return Page("frisat/national.html", title, data,
                ["municipality", "name", "region", "freed_areas", "regimes",
                 "provisions_set_aside"], csv_rows, {"area_names": names}, "national")


# --------------------------------------------------------------------------- municipality


def _municipality(eng: Any, code: str | int) -> Any:
    try:
        c = int(code)
    except (TypeError, ValueError):
        raise _not_found("kommune", code, "municipality") from None
    m = eng.municipalities.get(c)
    if m is None:
        raise _not_found("kommune", code, "municipality")
    return m


def municipality(ask: Ask, code: str) -> Page:
    eng = answers.snapshots.engine(ask.known_at)
    w = eng.world
    m = _municipality(eng, code)
    names = area_names(w, ask.lang)
    regimes = {r.key: r for r in w.regimes}
    coverage = [{"regime": c.regime, "title": regimes[c.regime].title if c.regime in regimes
                 else c.regime, "legal_basis": regimes[c.regime].legal_basis
                 if c.regime in regimes else "",
                 "area": c.area, "area_name": names.get(c.area, c.area),
                 "from": _d(c.valid_from), "to": _d(c.valid_to),
                 "on_date": in_interval(ask.date, c.valid_from, c.valid_to),
                 "source": c.source}
                for c in sorted(w.coverage, key=lambda c: (c.valid_from, c.regime, c.area))
                if c.municipality == m.code]
    ov = answers.overview(m.code, ask.date, ask.known_at)
    kept = {k.act: k for k in w.kept if k.municipality == m.code}
    repeals = defaultdict(list)
    for rp in w.repeals:
        repeals[rp.act].append(rp)
    rules = []
    for a in w.acts:
        if a.level != "municipal" or a.municipality != m.code:
            continue
        whole = [rp for rp in repeals.get(a.key, ()) if rp.ref == ""]
        removed = next((rp for rp in sorted(whole, key=lambda r: r.valid_from)
                        if rp.valid_from <= ask.date), None)
        parts = sorted((rp for rp in repeals.get(a.key, ()) if rp.ref),
                       key=lambda r: (r.valid_from, r.ref))
        if removed is not None:
            state = "removed"
        elif a.key in kept:
            state = "kept"
        elif any(rp.valid_from > ask.date for rp in whole):
            state = "to_be_removed"
        else:
            state = "no_decision"
        rules.append({
            "act": a.key, "title": a.title, "areas": list(a.areas), "state": state,
            "removed_from": _d(removed.valid_from) if removed else
            _d(min((rp.valid_from for rp in whole), default=None)),
            "kept_reason": kept[a.key].reason if a.key in kept else None,
            "source_url": (kept[a.key].source_url if a.key in kept else None)
            or (whole[0].source_url if whole else None) or a.source_url,
            "provisions_removed": [{"ref": rp.ref, "from": _d(rp.valid_from)} for rp in parts],
        })
    institutions = []
    for inst in sorted(w.institutions, key=lambda i: i.name):
        ms = eng.membership(inst.id, ask.date)
        if ms is None or ms.municipality != m.code:
            continue
        institutions.append({"id": inst.id, "name": inst.name, "area": ms.area,
                             "area_name": names.get(ms.area, ms.area), "kind": ms.kind,
                             "provider": ms.provider, "example": inst.example})
    data = {"municipality": {"code": m.code, "name": m.name, "region": m.region_name},
            "date": ask.date.isoformat(), "known_at": ask.known_at.isoformat(),
            "coverage": coverage, "decisions": _with_names(eng, ov["decisions"], names),
            "municipal_rules": rules,
            "institutions": institutions}
    rows = [[i["id"], i["name"], i["area"], i["kind"], i["provider"], i["example"]]
            for i in institutions]
    return Page("frisat/municipality.html", f"{m.name} Kommune", data,
                ["institution", "name", "area", "kind", "provider", "example"], rows,
                {"area_names": names}, f"kommune-{m.code}")


def _with_names(eng: Any, decisions: list[dict[str, Any]],
                names: dict[str, str]) -> list[dict[str, Any]]:
    """Overview entries with the names a reader needs: scheme, area, institutions."""
    out = []
    for d in decisions:
        r = eng.regimes.get(d["regime"])
        scope = d["scope"]
        insts = [] if scope.get("institutions") in (None, "all") else [
            {"id": i, "name": eng.institutions[i].name if i in eng.institutions else i}
            for i in scope["institutions"]]
        out.append({**d, "regime_title": r.title if r else d["regime"],
                    "legal_basis": r.legal_basis if r else "",
                    "area_name": names.get(d["area"], d["area"]),
                    "scope_institutions": insts})
    return out


def overview(ask: Ask, code: str) -> Page:
    eng = answers.snapshots.engine(ask.known_at)
    m = _municipality(eng, code)
    names = area_names(eng.world, ask.lang)
    ov = answers.overview(m.code, ask.date, ask.known_at)
    decisions = _with_names(eng, ov["decisions"], names)
    data = {**ov, "decisions": decisions,
            "municipality_name": m.name}
    rows = [[d["id"], d["state"], d["title"], d["area"], d["regime"],
             d["decided_by"]["body"], d["decided_by"].get("name", ""), d["decided_on"] or "",
             d["published_on"] or "", d["effective_from"] or "", d["effective_to"] or "",
             "; ".join(f'{t["citation"]} ({t["extent"]})' for t in d["targets"]),
             "all" if d["scope"].get("institutions") == "all" else
             " ".join(d["scope"].get("institutions") or d["scope"].get("kinds") or []),
             d["replacement"], d["source_url"] or "", d["url"]] for d in decisions]
    title = ask.t(f"{m.name} Kommunes samlede oversigt over beslutninger (§ 6)",
                  f"{m.name} Municipality: consolidated overview of decisions (§ 6)")
    return Page("frisat/overview.html", title, data,
                ["decision", "state", "title", "area", "regime", "body", "body_name",
                 "decided_on", "published_on", "effective_from", "effective_to", "targets",
                 "scope", "replacement", "source_url", "url"], rows,
                {"municipality": m}, f"kommune-{m.code}-oversigt")


def all_decisions(ask: Ask) -> Page:
    """Every published decision in the country, newest publication first."""
    eng = answers.snapshots.engine(ask.known_at)
    found: list[dict[str, Any]] = []
    for m in sorted({d.municipality for d in eng.world.decisions}):
        found += answers.overview(m, ask.date, ask.known_at)["decisions"]
    found.sort(key=lambda d: (d["published_on"] or d["effective_from"], d["id"]), reverse=True)
    decisions = _with_names(eng, found, area_names(eng.world, ask.lang))
    title = ask.t("Alle offentliggjorte beslutninger", "All published decisions")
    rows = [[d["id"], d["municipality"], d["state"], d["title"], d["published_on"] or "",
             d["effective_from"]] for d in decisions]
    return Page("frisat/decisions.html", title,
                {"date": ask.date.isoformat(), "known_at": ask.known_at.isoformat(),
                 "decisions": decisions},
                ["decision", "municipality", "state", "title", "published_on",
                 "effective_from"], rows, {}, "beslutninger")


# --------------------------------------------------------------------------- institution


@functools.lru_cache(maxsize=16384)
def _provision_path(act: str, ref: str) -> str:
    from frisat.web.search import provision_url

    return provision_url(act, ref)


# Per engine: a provision's top part (afsnit/kapitel) as (ref, heading); an engine's tree
# never changes, and a new engine (a changed register) starts a new table.
_top_parts: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], tuple[str, str]]] = \
    weakref.WeakKeyDictionary()


def _top_part(eng: Any, act: str, ref: str) -> tuple[str, str]:
    memo = _top_parts.get(eng)
    if memo is None:
        memo = _top_parts.setdefault(eng, {})
    got = memo.get((act, ref))
    if got is None:
        anc = eng.ancestors(act, ref) if ref else []
        # nearest first, ending with the act root: the top part is the one before the root
        top = anc[-2] if len(anc) >= 2 else None
        got = memo[(act, ref)] = (top.ref, top.heading) if top is not None else ("", "")
    return got


def _group(eng: Any, provisions: list[dict[str, Any]], ask: Ask) -> list[dict[str, Any]]:
    """Provisions grouped by act and by the top-most part (afsnit/kapitel) of the act.

    Links and labels are set here once, so the long lists render without template tags."""
    labels = {s: label(s, ask.lang) for s in STATUS_CLASS}
    prefix, qs = ask.prefix, ask.qs
    acts: dict[str, dict[str, Any]] = {}
    texts: dict[int, tuple[str, ...]] = {}
    for p in provisions:
        p["url"] = f"{prefix}{_provision_path(p['act'], p['ref'])}{qs}"
        p["status_label"] = labels[p["status"]]
        p["status_class"] = STATUS_CLASS[p["status"]]
        texts[id(p)] = _texts(p)
        a = acts.get(p["act"])
        if a is None:
            act = eng.acts.get(p["act"])
            a = acts[p["act"]] = {"act": p["act"], "title": act.title if act else p["act"],
                                  "level": act.level if act else "state",
                                  "counts": defaultdict(int), "chapters": {}}
        a["counts"][p["status"]] += 1
        ck, heading = _top_part(eng, p["act"], p["ref"])
        ch = a["chapters"].get(ck)
        if ch is None:
            ch = a["chapters"][ck] = {"ref": ck, "heading": heading, "provisions": []}
        ch["provisions"].append(p)
    out = []
    for a in acts.values():
        common = _common_reasons([p for ch in a["chapters"].values() for p in ch["provisions"]],
                                 texts)
        shared_texts = {s: _texts({"because": b}) for s, b in common.items()}
        for ch in a["chapters"].values():
            for p in ch["provisions"]:
                shared = shared_texts.get(p["status"])
                p["own_because"] = shared is None or texts[id(p)] != shared
        out.append({**a, "counts": dict(a["counts"]), "chapters": list(a["chapters"].values()),
                    "common": [{"status": s, "because": b} for s, b in common.items()]})
    return out


def _rule_rows_html(provisions: list[dict[str, Any]], ask: Ask) -> SafeString:
    """The rows of one chapter's rule list, as the row template would print them.

    A long page has hundreds of rows; building them here with ``html.escape`` (what
    Django's autoescape does) instead of a dozen template tags per row is the main cost
    saving of a freshly rendered institution page."""
    why = esc(ask.t("Hvorfor?", "Why?"))
    guard = f' <span class="tag-st st-applies">{esc(ask.t("Hegnspæl", "Guardrail"))}</span>'
    see = esc(ask.t("Se beslutningen", "See the decision"))
    dec_pre = f'{esc(ask.prefix)}/beslutning/'
    qs = esc(ask.qs)
    out: list[str] = []
    add = out.append
    for p in provisions:
        cit = esc(str(p["citation"]))
        add(f'\n<li><div class="rule-head"><a href="{esc(str(p["url"]))}">{cit}</a> '
            f'<span class="tag-st {esc(str(p["status_class"]))}">'
            f'{esc(str(p["status_label"]))}</span>')
        if p["guardrail"]:
            add(guard)
        add("</div>\n")
        heading, summary = p.get("heading"), p.get("summary")
        if heading or summary:
            add(f'<p>{esc(str(heading or ""))}{" – " if heading and summary else ""}'
                f'{esc(str(summary or ""))}</p>')
        add("\n")
        if p["own_because"]:
            add(f'<details class="why"><summary>{why}<span class="sr-only"> {cit}</span>'
                f'</summary><ul class="because">')
            for r in p["because"]:
                dec = r.get("decision")
                if dec:
                    d = esc(str(dec))
                    add(f'<li>{esc(str(r["text"]))} <a href="{dec_pre}{d}{qs}">{see}'
                        f'<span class="sr-only"> {d}</span></a></li>')
                else:
                    add(f'<li>{esc(str(r["text"]))}</li>')
            add("</ul></details>")
        add("</li>\n")
    return SafeString("".join(out))


def _because_html(because: list[dict[str, Any]], ask: Ask) -> str:
    """A list of reasons, as ``_because.html`` prints it."""
    see = esc(ask.t("Se beslutningen", "See the decision"))
    basis = esc(ask.t("Lovgrundlag", "Legal basis"))
    out = ['<ul class="because">']
    for r in because:
        out.append(f'<li>{esc(str(r["text"]))}')
        dec = r.get("decision")
        if dec:
            d = esc(str(dec))
            out.append(f' <a href="{esc(ask.prefix)}/beslutning/{d}{esc(ask.qs)}">{see}'
                       f'<span class="sr-only"> {d}</span></a>')
        elif is_safe_url(r.get("legal_basis")):  # never a link to javascript: and the like
            out.append(f' <a href="{esc(str(r["legal_basis"]))}">{basis}</a>')
        out.append("</li>")
    out.append("</ul>\n")
    return "".join(out)


def _rules_html(groups: list[dict[str, Any]], ask: Ask) -> SafeString:
    """The section "Reglerne, lov for lov": per act its counts, its shared reasons and its
    chapters (``<details>``) with their rule rows — built once in Python rather than by
    nested template loops."""
    why = esc(ask.t("Hvorfor?", "Why?"))
    # a constant, printed as is (like the template's literal strings)
    holds = ask.t("Gælder for bestemmelserne i loven med denne status, medmindre andet står "
                  "ved bestemmelsen:", "Holds for the act's provisions with this status "
                  "unless the provision says otherwise:")
    untitled = esc(ask.t("Bestemmelser", "Provisions"))
    out: list[str] = []
    add = out.append
    for n, a in enumerate(groups, 1):
        title = esc(str(a["title"]))
        counts = " · ".join(f"{esc(label(k, ask.lang))}: {v}" for k, v in a["counts"].items())
        add(f'\n<section aria-labelledby="act-{n}">\n<h3 id="act-{n}">{title}</h3>\n'
            f'<p class="muted">{counts}</p>\n')
        for c in a["common"]:
            add(f'<details class="why"><summary>{why} <span class="tag-st '
                f'{STATUS_CLASS.get(c["status"] or "", "")}">{esc(label(c["status"], ask.lang))}'
                f'</span><span class="sr-only"> – {title}</span></summary>\n<p>{holds}</p>'
                f'{_because_html(c["because"], ask)}</details>')
        add("\n")
        opened = n == 1 and bool(a["counts"].get("set_aside")
                                 or a["counts"].get("partially_set_aside"))
        for i, ch in enumerate(a["chapters"]):
            if ch["ref"]:
                ref = str(ch["ref"])
                name = esc(ref[:1].upper() + ref[1:])
                if ch["heading"]:
                    name += f": {esc(str(ch['heading']))}"
            else:
                name = untitled
            add(f'\n<details class="details"{" open" if opened and i == 0 else ""}>\n'
                f'<summary class="details-summary">{name} ({len(ch["provisions"])})</summary>\n'
                f'<div class="details-text"><ul class="rule-list">'
                f'{_rule_rows_html(ch["provisions"], ask)}</ul></div></details>\n')
        add("\n</section>\n")
    return SafeString("".join(out))


def _guardrail_items_html(chapters: list[dict[str, Any]]) -> SafeString:
    """The items of an act's guardrail list (citation link and heading)."""
    out = []
    for ch in chapters:
        for p in ch["provisions"]:
            h = p.get("heading")
            out.append(f'<li><a href="{esc(str(p["url"]))}">{esc(str(p["citation"]))}</a>'
                       f'{f" – {esc(str(h))}" if h else ""}</li>')
    return SafeString("".join(out))


def _texts(p: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(r["text"]) for r in p["because"])


def _common_reasons(provisions: list[dict[str, Any]],
                    texts: dict[int, tuple[str, ...]] | None = None) -> dict[str, list[Any]]:
    """Per status, the reasons most provisions of an act share (shown once, not per row).

    ``texts``: each provision's reason texts by ``id``, when already computed."""
    tally: dict[str, dict[tuple[str, ...], list[dict[str, Any]]]] = defaultdict(dict)
    for p in provisions:
        t = texts[id(p)] if texts is not None else _texts(p)
        tally[p["status"]].setdefault(t, []).append(p)
    out = {}
    for status, groups in tally.items():
        shared, members = max(groups.items(), key=lambda kv: len(kv[1]))
        if len(members) >= 2 and shared:
            out[status] = members[0]["because"]
    return out


def _institution_rules(ask: Ask, inst_id: str, date: dt.date) -> dict[str, Any]:
    eng = answers.snapshots.engine(ask.known_at)
    data = answers.rules(inst_id, date, ask.known_at, ask.lang)
    for p in data["provisions"]:
        prov = eng.tree.nodes.get((p["act"], p["ref"]))
        if prov is not None:
            if prov.heading and "heading" not in p:
                p["heading"] = prov.heading
            if prov.summary and "summary" not in p:
                p["summary"] = prov.summary
    return data


def _general_guardrails(provisions: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for p in provisions:
        for r in p["because"]:
            if r["kind"] == "condition":
                seen.setdefault(str(r["text"]), None)
    return list(seen)


def institution(ask: Ask, inst_id: str, compare: str | None) -> Page:
    eng = answers.snapshots.engine(ask.known_at)
    data = _institution_rules(ask, inst_id, ask.date)
    provisions = data["provisions"]
    counts = {s: 0 for s in ("set_aside", "partially_set_aside", "applies", "not_in_force")}
    for p in provisions:
        counts[p["status"]] += 1
    guardrails = [p for p in provisions if p["guardrail"] and p["status"] == "applies"]
    changes: list[dict[str, Any]] | None = None
    compare_date = None
    if compare:
        compare_date = answers.parse_date(compare, "compare")
        before = {p["citation"]: p for p in
                  _institution_rules(ask, inst_id, compare_date)["provisions"]}
        now = {p["citation"]: p for p in provisions}
        changes = []
        for c in list(dict.fromkeys([*before, *now])):
            a, b = before.get(c), now.get(c)
            sa = a["status"] if a else None
            sb = b["status"] if b else None
            if sa != sb:
                p = b or a
                assert p is not None
                act = eng.acts.get(p["act"])
                changes.append({"citation": c, "act": p["act"], "ref": p["ref"],
                                "act_title": act.title if act else p["act"],
                                "heading": p.get("heading", ""), "from": sa, "to": sb,
                                "because": (b or a or {}).get("because", [])})
    inst = data["institution"]
    mun = eng.municipalities.get(inst["municipality"]) if inst["municipality"] else None
    names = area_names(eng.world, ask.lang)
    data = {**data, "counts": counts,
            "general_guardrails": _general_guardrails(provisions),
            "compare": compare_date.isoformat() if compare_date else None,
            "changes": changes}
    # the CSV table only when asked for: the HTML page does not print it
    rows = [[p["citation"], p["status"], p["guardrail"], p.get("heading", ""),
             " | ".join(str(r["text"]) for r in p["because"])] for p in provisions] \
        if ask.fmt == "csv" else []
    groups = _group(eng, provisions, ask)
    guardrail_groups = _group(eng, guardrails, ask)
    # after both groupings: the second one sets a guardrail's ``own_because`` last
    rules_html = _rules_html(groups, ask)
    for a in guardrail_groups:
        a["items_html"] = _guardrail_items_html(a["chapters"])
    ctx = {"groups": groups, "rules_html": rules_html, "guardrail_groups": guardrail_groups,
           "municipality": mun, "area_name": names.get(inst["area"] or "", inst["area"])}
    return Page("frisat/institution.html", inst["name"], data,
                ["citation", "status", "guardrail", "heading", "because"], rows, ctx,
                f"institution-{inst['id']}")


# --------------------------------------------------------------------------- provision


def provision(ask: Ask, act: str, reference: str) -> Page:
    eng = answers.snapshots.engine(ask.known_at)
    a = eng.acts.get(act)
    if a is None:
        raise _not_found("lov", act, "act")
    try:
        ref = canonical_ref(reference) if reference else ""
    except CitationError as e:
        raise Rejected([InputError("reference", "unknown_provision", str(e))]) from None
    try:
        p = eng.provision(act, ref)
    except UnknownRecord:
        raise _not_found("bestemmelse", f"{act} {ref}", "reference") from None
    names = area_names(eng.world, ask.lang)
    versions = sorted((v for v in eng.world.versions if v.act == act and v.ref == ref),
                      key=lambda v: v.valid_from or dt.date.min)
    marks = []
    for r in eng.world.regimes:
        if act not in r.acts and not any(li.act == act for li in r.listings):
            continue
        mk = eng.mark(r.key, act, ref)
        # the listing that gives the mark: this node or its nearest listed ancestor
        listing = None
        for k in [(act, ref), *((x.act, x.ref) for x in eng.ancestors(act, ref))] \
                if ref else [(act, ref)]:
            listing = next((li for li in r.listings if (li.act, li.ref) == k), None)
            if listing is not None:
                break
        marks.append({"regime": r.key, "title": r.title, "legal_basis": r.legal_basis,
                      "shape": r.shape, "mark": mk,
                      "listed_as": f"{listing.act} {listing.ref}".strip() if listing else None,
                      "note": listing.note if listing else "",
                      "source": listing.source if listing else "",
                      "from": _d(listing.valid_from) if listing else None,
                      "to": _d(listing.valid_to) if listing else None})
    leaves = {lf.key for lf in eng.tree.leaves_under(act, ref)} if eng.tree.has(act, ref) \
        else {(act, ref)}
    nat = eng.national(ask.date)
    decisions = eng.decisions
    where = []
    for row in nat.exceptions:
        if (row.act, row.ref) not in leaves:
            continue
        dec = decisions.get(row.decision)
        inst = eng.institutions.get(row.institution) if row.institution else None
        where.append({"municipality": row.municipality,
                      "name": eng.municipalities[row.municipality].name,
                      "area": row.area, "area_name": names.get(row.area, row.area),
                      "institution": row.institution,
                      "institution_name": inst.name if inst else None,
                      "citation": row.citation, "status": row.status,
                      "decision": row.decision,
                      "since": _d(dec.effective_from) if dec else None})
    where.sort(key=lambda x: (x["name"], x["institution_name"] or "", x["citation"]))
    children = eng.children(act, ref)
    parents = list(reversed(eng.ancestors(act, ref))) if ref else []
    data = {"citation": p.citation, "act": {"key": a.key, "title": a.title, "level": a.level,
                                            "eli": a.eli, "source_url": a.source_url},
            "ref": ref, "heading": p.heading, "summary": p.summary or None,
            "leaf": not children, "date": ask.date.isoformat(),
            "known_at": ask.known_at.isoformat(),
            "parents": [{"ref": x.ref, "heading": x.heading} for x in parents if x.ref],
            "children": [{"ref": x.ref, "heading": x.heading, "summary": x.summary}
                         for x in children],
            "versions": [{"from": _d(v.valid_from), "to": _d(v.valid_to),
                          "enacted_by": v.enacted_by,
                          "exclusions": [{"regime": x.regime, "area": x.area, "basis": x.basis}
                                         for x in v.exclusions]} for v in versions],
            "regimes": marks, "set_aside": where}
    rows = [[x["municipality"], x["name"], x["area"], x["institution"] or "",
             x["institution_name"] or "", x["citation"], x["status"], x["decision"],
             x["since"] or ""] for x in where]
    return Page("frisat/provision.html", p.citation, data,
                ["municipality", "name", "area", "institution", "institution_name",
                 "citation", "status", "decision", "since"], rows, {},
                f"bestemmelse-{act}")


# --------------------------------------------------------------------------- decision


def decision(ask: Ask, decision_id: str) -> Page:
    from frisat.registry.export import decision_json

    eng = answers.snapshots.engine(ask.known_at)
    dec = eng.decisions.get(decision_id)
    if dec is None or not dec.published:
        raise _not_found("beslutning", decision_id, "decision")
    names = area_names(eng.world, ask.lang)
    r = eng.regimes.get(dec.regime)
    mun = eng.municipalities.get(dec.municipality)
    revoked_by = [d.id for d in eng.world.decisions if decision_id in d.revokes]
    data = {**decision_json(dec), "state": eng.decision_state(dec.id, ask.date),
            "date": ask.date.isoformat(), "known_at": ask.known_at.isoformat(),
            "recorded_at": dec.recorded_at.isoformat(),
            "municipality_name": mun.name if mun else None,
            "area_name": names.get(dec.area, dec.area),
            "regime_title": r.title if r else dec.regime,
            "legal_basis": r.legal_basis if r else None,
            "revoked_by": revoked_by,
            "scope_institutions": [
                {"id": i, "name": eng.institutions[i].name if i in eng.institutions else i}
                for i in (dec.scope.institutions or ())]}
    rows = [[t.citation, t.extent, t.note] for t in dec.targets]
    return Page("frisat/decision.html", dec.title or dec.id, data,
                ["citation", "extent", "note"], rows, {}, f"beslutning-{dec.id}")


__all__ = ["Page", "national", "municipality", "overview", "institution", "provision",
           "decision", "label"]
