"""The data of each portal page, as plain JSON-able dicts built from ``frisat.queries``.

A page's ``data`` is what ``?format=json`` returns; ``csv`` is its main table for
``?format=csv``; the template gets both. Nothing here decides what applies: the queries do;
this module only groups, labels and links their answers for people.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape as esc
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from frisat import links
from frisat.queries import affecting as q_affecting
from frisat.queries import changes as q_changes
from frisat.queries import completeness as q_completeness
from frisat.queries import country as q_country
from frisat.queries import decisions as q_decisions
from frisat.queries import municipality as q_municipality
from frisat.queries import national as q_national
from frisat.queries import overview as q_overview
from frisat.queries import place_timeline as q_place_timeline
from frisat.queries import places as q_places
from frisat.queries import provenance
from frisat.queries import provision as q_provision
from frisat.queries import rules as q_rules
from frisat.queries import situation as q_situation
from frisat.queries.common import parse_date
from frisat.queries.ended import ended_regimes
from frisat.registry.snapshot import Snapshot
from frisat.registry.validate import is_safe_url
from frisat.vocabulary import kind_label
from frisat.web.portal import KEPT_DATE, KEPT_QS, STATUS_CLASS, Ask, label, long_date
from frisat.web.state import snapshot


@dataclass
class Page:
    template: str
    title: str
    data: dict[str, Any]
    csv_header: list[str] = field(default_factory=list)
    csv_rows: list[list[Any]] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    name: str = "frisat"  # file name stem for downloads
    # the HTML is the same on every date with this key, but for the request's own time axes,
    # date, title and addresses (``views._answer`` keeps it); None: rendered per request
    kept: tuple[Any, ...] | None = None


# --------------------------------------------------------------------------- national


def national(ask: Ask) -> Page:
    snap = snapshot(ask.known_at)
    answer = q_national.national(snap, ask.date, ask.known_at, ask.lang)
    data: dict[str, Any] = dict(answer)
    # the same for every date of a national stretch: kept on the snapshot
    data.update(snap.memo(("national-picture", snap.index.national_span(ask.date), ask.lang),
                          lambda: q_national.picture(snap, answer, ask.lang)))
    csv_rows: list[list[Any]] = [
        [m["code"], m["name"], m["region"], " ".join(m["areas"]), " ".join(m["regimes"]),
         m["provisions_set_aside"]] for m in data["municipalities"]]
    title = ask.t("Frisættelse af kommuner – nationalt overblik",
                  "Freeing municipalities from rules – national view")
    names = q_national.area_names(snap, ask.lang)
    ended = _ended_for_people(ended_regimes(snap, None, None, ask.date), names)
    return Page("frisat/national.html", title, {**data, "ended": ended},
                ["municipality", "name", "region", "freed_areas", "regimes",
                 "provisions_set_aside"], csv_rows,
                {"area_names": names, "ended": ended}, "national")


# --------------------------------------------------------------------------- municipality


def municipality(ask: Ask, code: str) -> Page:
    snap = snapshot(ask.known_at)
    data = q_municipality.municipality(snap, code, ask.date, ask.known_at, ask.lang)
    m = data["municipality"]
    rows = [[i["id"], i["name"], i["area"], i["kind"], i["provider"], i["example"]]
            for i in data["institutions"]]
    names = q_national.area_names(snap, ask.lang)
    ended = _ended_for_people(ended_regimes(snap, int(m["code"]), None, ask.date), names)
    for i in data["institutions"]:
        i["kind_label"] = kind_label(i["kind"], ask.lang)  # type: ignore[typeddict-unknown-key]
    lines = q_place_timeline.timeline(snap, int(m["code"]), ask.date)
    for line in lines:
        line["area_name"] = names.get(line["area"], line["area"])
        line["svg"] = _timeline_svg(line, ask)
    knowledge = q_completeness.municipality(snap, int(m["code"]), ask.date)
    for k in knowledge:
        k["area_name"] = names.get(k["area"], k["area"])  # type: ignore[typeddict-unknown-key]
        for r in k["registers"]:
            r["name"] = q_places.REGISTER_NAME.get(str(r["register"]), ("", ""))[
                1 if ask.lang == "en" else 0]
    return Page("frisat/municipality.html", f"{m['name']} Kommune",
                {**data, "ended": ended, "knowledge": knowledge,
                 "timeline": [{k: v for k, v in x.items() if k != "svg"} for x in lines]},
                ["institution", "name", "area", "kind", "provider", "example"], rows,
                {"area_names": names, "ended": ended, "timeline": lines},
                f"kommune-{m['code']}")


def overview(ask: Ask, code: str) -> Page:
    snap = snapshot(ask.known_at)
    m = q_municipality.find(snap, code)
    names = q_national.area_names(snap, ask.lang)
    ov = q_overview.overview(snap, m.code, ask.date, ask.known_at)
    decisions = q_overview.described(snap, ov["decisions"], names)
    data = {**ov, "decisions": decisions, "municipality_name": m.name}
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
    snap = snapshot(ask.known_at)
    decisions = q_overview.described(snap, q_decisions.everywhere(snap, ask.date),
                                     q_national.area_names(snap, ask.lang))
    title = ask.t("Alle offentliggjorte beslutninger", "All published decisions")
    rows = [[d["id"], d["municipality"], d["state"], d["title"], d["published_on"] or "",
             d["effective_from"]] for d in decisions]
    return Page("frisat/decisions.html", title,
                {"date": ask.date.isoformat(), "known_at": ask.known_at.isoformat(),
                 "decisions": decisions},
                ["decision", "municipality", "state", "title", "published_on",
                 "effective_from"], rows, {}, "beslutninger")


# --------------------------------------------------------------------------- institution


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


# Per engine: the act keys that are not words people use ("bek-968-2018") and what to say
# instead (the short title, "BEK 968/2018", or the title of a municipal rule set), and the
# texts already written so (an institution's 650 rules share a few dozen reasons).
_act_names: weakref.WeakKeyDictionary[Any, tuple[Any, dict[str, str], dict[str, str]]] = \
    weakref.WeakKeyDictionary()


def public_text(eng: Any, text: str) -> str:
    """A text with every act key written as people read the act (labels, not law: the
    engine's sentences name acts by key)."""
    got = _act_names.get(eng)
    if got is None:
        names = {a.key: a.short_title or a.title for a in eng.acts.values()
                 if "-" in a.key and (a.short_title or a.title)}
        pattern = re.compile(r"(?<![\w-])(" + "|".join(
            re.escape(k) for k in sorted(names, key=len, reverse=True)) + r")(?![\w-])") \
            if names else None
        got = _act_names.setdefault(eng, (pattern, names, {}))
    pattern, names, done = got
    if pattern is None:
        return text
    out = done.get(text)
    if out is None:
        out = pattern.sub(lambda m: names[m.group(1)], text)
        if len(done) < 20000:  # bounded: texts naming a date are many
            done[text] = out
    return out


def _group(snap: Snapshot, provisions: list[dict[str, Any]],
           ask: Ask, qs: str) -> list[dict[str, Any]]:
    """Provisions grouped by act and by the top-most part (afsnit/kapitel) of the act.

    Links and labels are set here once, so the long lists render without template tags."""
    eng = snap.engine
    labels = {s: label(s, ask.lang) for s in STATUS_CLASS}
    acts: dict[str, dict[str, Any]] = {}
    texts: dict[int, tuple[str, ...]] = {}
    for p in provisions:
        p["url"] = f"{links.provision(p['act'], p['ref'], ask.lang)}{qs}"
        p["status_label"] = labels[p["status"]]
        p["label"] = public_text(eng, p["citation"])
        p["public_texts"] = [public_text(eng, str(r["text"])) for r in p["because"]]
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


def _rule_rows_html(provisions: list[dict[str, Any]], ask: Ask, qs: str) -> SafeString:
    """The rows of one chapter's rule list, as the row template would print them.

    A long page has hundreds of rows; building them here with ``html.escape`` (what
    Django's autoescape does) instead of a dozen template tags per row is the main cost
    saving of a freshly rendered institution page."""
    why = esc(ask.t("Hvorfor?", "Why?"))
    guard = f' <span class="tag-st st-applies">{esc(ask.t("Hegnspæl", "Guardrail"))}</span>'
    see = esc(ask.t("Se beslutningen", "See the decision"))
    out: list[str] = []
    add = out.append
    for p in provisions:
        cit = esc(str(p.get("label") or p["citation"]))
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
            for r, text in zip(p["because"], p["public_texts"], strict=True):
                dec = r.get("decision")
                if dec:
                    d = esc(str(dec))
                    where = esc(links.path("decision", dec, lang=ask.lang))
                    add(f'<li>{esc(text)} <a href="{where}{qs}">{see}'
                        f'<span class="sr-only"> {d}</span></a></li>')
                else:
                    add(f'<li>{esc(text)}</li>')
            add("</ul></details>")
        add("</li>\n")
    return SafeString("".join(out))


def _because_html(because: list[dict[str, Any]], ask: Ask, qs: str,
                  eng: Any = None) -> str:
    """A list of reasons, as ``_because.html`` prints it (act keys in words with ``eng``)."""
    see = esc(ask.t("Se beslutningen", "See the decision"))
    basis = esc(ask.t("Lovgrundlag", "Legal basis"))
    out = ['<ul class="because">']
    for r in because:
        text = str(r["text"])
        out.append(f'<li>{esc(public_text(eng, text) if eng is not None else text)}')
        dec = r.get("decision")
        if dec:
            d = esc(str(dec))
            where = esc(links.path("decision", dec, lang=ask.lang))
            out.append(f' <a href="{where}{qs}">{see}'
                       f'<span class="sr-only"> {d}</span></a>')
        elif is_safe_url(r.get("legal_basis")):  # never a link to javascript: and the like
            out.append(f' <a href="{esc(str(r["legal_basis"]))}">{basis}</a>')
        out.append("</li>")
    out.append("</ul>\n")
    return "".join(out)


def _rules_html(groups: list[dict[str, Any]], ask: Ask, qs: str,
                eng: Any = None) -> SafeString:
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
                f'{_because_html(c["because"], ask, qs, eng)}</details>')
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
                f'{_rule_rows_html(ch["provisions"], ask, qs)}</ul></div></details>\n')
        add("\n</section>\n")
    return SafeString("".join(out))


def _guardrail_items_html(chapters: list[dict[str, Any]]) -> SafeString:
    """The items of an act's guardrail list (citation link and heading)."""
    out = []
    for ch in chapters:
        for p in ch["provisions"]:
            h = p.get("heading")
            out.append(f'<li><a href="{esc(str(p["url"]))}">'
                       f'{esc(str(p.get("label") or p["citation"]))}</a>'
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


def _general_guardrails(provisions: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for p in provisions:
        for r in p["because"]:
            if r["kind"] == "condition":
                seen.setdefault(str(r["text"]), None)
    return list(seen)


# Where the page's time axes (``?date=…&known_at=…``) go in a rule list kept for every
# date of a stretch; each request writes its own in.
_QS = KEPT_QS


def _rule_list(snap: Snapshot, inst_id: str, ask: Ask) -> dict[str, Any]:
    """The institution's rules as the page shows them — JSON rows, counts, groups per act
    and chapter, the rule list and the guardrails in HTML — built once per verdict list,
    language and (where a reason names the date) date, and kept on the snapshot."""
    key = snap.index.key(inst_id, ask.date)
    _, verdicts = q_rules.verdicts(snap, inst_id, ask.date)
    dated = snap.memo(("dated", key), lambda: any(r.dated for v in verdicts
                                                  for r in v.because))

    def build() -> dict[str, Any]:
        provisions = q_rules.as_json(verdicts, ask.lang, ask.date)  # type: ignore[arg-type]
        counts = {s: 0 for s in ("set_aside", "partially_set_aside", "unknown", "applies",
                                 "not_in_force")}
        for p in provisions:
            counts[p["status"]] += 1
        guardrails = [p for p in provisions if p["guardrail"] and p["status"] == "applies"]
        groups = _group(snap, provisions, ask, _QS)  # type: ignore[arg-type]
        # the second grouping sets a guardrail's ``own_because`` last (the rule list's HTML
        # is built after it, on the rules page)
        guardrail_groups = _group(snap, guardrails, ask, _QS)  # type: ignore[arg-type]
        for a in guardrail_groups:
            a["items_html"] = _guardrail_items_html(a["chapters"])
        return {"provisions": provisions, "counts": counts, "groups": groups,
                "general_guardrails": _general_guardrails(provisions),  # type: ignore[arg-type]
                "guardrail_groups": guardrail_groups, "memo": memo}

    memo = None if key is None else \
        ("institution-rules", key, ask.lang, ask.date if dated else None)
    if memo is None:  # not open on the date: nothing to keep
        return build()
    return snap.memo(memo, build)


def _rule_list_html(snap: Snapshot, inst_id: str, ask: Ask,
                    kept: dict[str, Any]) -> str:
    """The rule list of the rules page in HTML (``_rules_html``), kept beside the list it
    prints, with a placeholder where the page's time axes go."""
    def build() -> str:
        return _rules_html(kept["groups"], ask, _QS, snap.engine)

    return build() if kept["memo"] is None else snap.memo(("rules-html", kept["memo"]), build)


def _feed_entries(decisions: list[Any], about: str, ask: Ask) -> list[dict[str, Any]]:
    """Feed entries that say what happens to whom: "… træder i kraft 1. august 2021"."""
    out = []
    for d in decisions:
        when = long_date(d["effective_from"], ask.lang, d.get("date_precision") or "day")
        what = ask.t(f"En beslutning, der berører {about}, træder i kraft {when}",
                     f"A decision affecting {about} takes effect on {when}")
        out.append({**d, "title": f"{what}: {d['title'] or d['id']}"})
    return out


def institution_feed(ask: Ask, inst_id: str) -> Page:
    """The Atom feed of one institution: every published decision that affects it."""
    snap = snapshot(ask.known_at)
    name = snap.engine.institutions[inst_id].name if inst_id in snap.engine.institutions \
        else inst_id
    found = q_affecting.institution(snap, inst_id, ask.date)
    return Page("", ask.t(f"Beslutninger, der berører {name}", f"Decisions affecting {name}"),
                {"decisions": _feed_entries(list(found), name, ask)})


def provision_feed(ask: Ask, act: str, reference: str) -> Page:
    """The Atom feed of one provision: every published decision that sets it (or a part
    of it) aside."""
    snap = snapshot(ask.known_at)
    data = q_provision.provision(snap, act, reference, ask.date, ask.known_at, ask.lang)
    label = q_situation.citation_label(snap, act, data["ref"])
    found = q_affecting.provision(snap, act, data["ref"], ask.date)
    return Page("", ask.t(f"Beslutninger om {label}", f"Decisions on {label}"),
                {"decisions": _feed_entries(list(found), label, ask)})


def institution(ask: Ask, inst_id: str, compare: str | None) -> Page:
    if ask.fmt == "atom":
        return institution_feed(ask, inst_id)
    snap = snapshot(ask.known_at)
    eng = snap.engine
    data: dict[str, Any] = dict(q_rules.rules(snap, inst_id, ask.date, ask.known_at,
                                              ask.lang, provisions=False))
    kept = _rule_list(snap, inst_id, ask)
    provisions = _provisions(kept, ask)
    changes: list[dict[str, Any]] | None = None
    compare_date = None
    if compare:
        compare_date = parse_date(compare, "compare")
        changes = q_changes.changes(snap, inst_id, compare_date, ask.date, ask.lang)
    inst = data["institution"]
    mun = eng.municipalities.get(inst["municipality"]) if inst["municipality"] else None
    names = q_national.area_names(snap, ask.lang)
    first, first_key = q_situation.kept(snap, inst_id, ask.date, ask.lang)
    place = q_places.place(inst_id, ask.lang)
    data = {**data, "situation": first, "provisions": provisions,
            "counts": dict(kept["counts"]),
            "general_guardrails": list(kept["general_guardrails"]),
            "compare": compare_date.isoformat() if compare_date else None,
            "changes": changes,
            "registered": provenance.of_institution(snap, inst_id, ask.lang)}
    ctx: dict[str, Any] = {
        "municipality": mun, "area_name": names.get(inst["area"] or "", inst["area"]),
        "ended": _ended_for_people(first["ended"], names),
        "kind_label": kind_label(inst["kind"], ask.lang), "place": place}
    keep: tuple[Any, ...] | None = None
    if ask.fmt == "html":
        before_known = bool(place and place["known_from"]
                            and ask.date.isoformat() < place["known_from"])
        screen = _kept_html(snap, None if first_key is None else
                            ("first-screen", inst_id, first_key, before_known),
                            lambda: _first_screen_html(first, ask, mun, place, before_known))
        guard = _kept_html(snap, None if kept["memo"] is None else ("guardrails", kept["memo"]),
                           lambda: _guardrails_html(data, kept, ask))
        # with their placeholders: the view writes this request's time axes and date in
        ctx["first_screen"], ctx["guardrails"] = SafeString(screen), SafeString(guard)
        if first_key is not None and kept["memo"] is not None and not compare:
            keep = ("institution", inst_id, first_key, kept["memo"], before_known,
                    _ended_key(ctx["ended"]))
    return Page("frisat/institution.html", inst["name"], data,
                *_rule_table(provisions, ask), ctx, f"institution-{inst['id']}", keep)


def _ended_key(ended: list[dict[str, Any]]) -> tuple[Any, ...]:
    """What the after-experiment banner says, as part of a kept page's key."""
    return tuple((e["regime"], e["title"], e["ceased"], e["last_day"],
                  tuple(e["area_names"])) for e in ended)


# Where the asked date, in words, goes in a part of a page kept for every date of a stretch
_DATE = KEPT_DATE


def _kept_html(snap: Snapshot, memo: tuple[Any, ...] | None,
               build: Callable[[], str]) -> str:
    """A part of a page that is the same for every date of a stretch, kept on the snapshot
    under ``memo`` (None: built for this request only)."""
    return build() if memo is None else snap.memo(memo, build)


def _first_screen_html(first: Any, ask: Ask, mun: Any, place: Any,
                       before_known: bool) -> str:
    """The first screen (``_first_screen.html``) with placeholders for the page's time
    axes and the asked date: the template's loops run once per stretch, not per date."""
    return render_to_string("frisat/_first_screen.html", {
        "lang": ask.lang, "qs": _QS, "date_words": _DATE, "data": {"situation": first},
        "municipality": mun, "place": place, "before_known": before_known,
        "by_decision": _by_decision(first["different"]),
        "history": _history_for_people(first["history"], ask)})


def _guardrails_html(data: dict[str, Any], kept: dict[str, Any], ask: Ask) -> str:
    """The section "Alle hegnspæle" (``_guardrails.html``), with the placeholder for the
    page's time axes still in its links."""
    return render_to_string("frisat/_guardrails.html", {
        "lang": ask.lang, "data": data, "guardrail_groups": kept["guardrail_groups"]})


def institution_rules(ask: Ask, inst_id: str) -> Page:
    """Every rule of an institution, act by act, with status and "Hvorfor?" — the long list
    the institution's first page links to ("Se alle N regler")."""
    snap = snapshot(ask.known_at)
    data: dict[str, Any] = dict(q_rules.rules(snap, inst_id, ask.date, ask.known_at,
                                              ask.lang, provisions=False))
    kept = _rule_list(snap, inst_id, ask)
    provisions = _provisions(kept, ask)
    inst = data["institution"]
    mun = snap.engine.municipalities.get(inst["municipality"]) \
        if inst["municipality"] else None
    names = q_national.area_names(snap, ask.lang)
    ended = ended_regimes(snap, mun.code, inst["area"], ask.date) if mun else []
    data = {**data, "provisions": provisions, "counts": dict(kept["counts"]),
            "general_guardrails": list(kept["general_guardrails"])}
    ctx = {"municipality": mun, "area_name": names.get(inst["area"] or "", inst["area"]),
           "ended": _ended_for_people(ended, names),
           "rules_html": SafeString(_rule_list_html(snap, inst_id, ask, kept))}
    title = ask.t(f"Alle regler for {inst['name']}", f"All rules for {inst['name']}")
    return Page("frisat/institution_rules.html", title, data,
                *_rule_table(provisions, ask), ctx, f"institution-{inst['id']}-regler")


def _provisions(kept: dict[str, Any], ask: Ask) -> list[dict[str, Any]]:
    """The rows of the rule list: as kept for the HTML page (which prints its counts and
    the kept HTML), with this request's links in them for the answer as data."""
    if ask.fmt == "html":
        return list(kept["provisions"])
    return [{**{k: v for k, v in p.items() if k != "public_texts"},
             "url": p["url"].replace(_QS, ask.qs)} for p in kept["provisions"]]


def _rule_table(provisions: list[dict[str, Any]], ask: Ask) -> tuple[list[str],
                                                                      list[list[Any]]]:
    """The CSV header and rows of an institution's rules (the rows only when asked for:
    the HTML page does not print them)."""
    rows = [[p["citation"], p["status"], p["guardrail"], p.get("heading", ""),
             " | ".join(str(r["text"]) for r in p["because"])] for p in provisions] \
        if ask.fmt == "csv" else []
    return ["citation", "status", "guardrail", "heading", "because"], rows


def _by_decision(different: list[Any]) -> list[dict[str, Any]]:
    """The deviations of the first screen, one card per decision with its targets: a
    decision that sets aside three acts is said once, with what applies instead once."""
    out: dict[str, dict[str, Any]] = {}
    for d in different:
        card = out.setdefault(d["record"], {**d, "targets": []})
        card["targets"].append({k: d[k] for k in ("target_label", "target_url", "heading",
                                                  "status", "note")})
    return list(out.values())


def _timeline_svg(line: dict[str, Any], ask: Ask) -> SafeString:
    """A municipality's timeline in one area as a picture: the schemes' periods as bars,
    its decisions as markers, the asked date as a line. The list beside it carries the same
    facts for every reader, so the picture is hidden from screen readers."""
    days = [dt.date.fromisoformat(p["from"]) for p in line["periods"]] + \
        [dt.date.fromisoformat(d["from"]) for d in line["decisions"]] + [ask.date]
    ends = [dt.date.fromisoformat(x) for x in
            [p["to"] for p in line["periods"]] + [d["to"] for d in line["decisions"]] if x]
    start = dt.date(min(days).year, 1, 1)
    end = dt.date(max(days + ends).year + 1, 1, 1)
    width, left, right = 640, 8, 8
    span = (end - start).days or 1

    def x(day: dt.date) -> float:
        return round(left + (day - start).days / span * (width - left - right), 1)

    out = [f'<svg class="place-timeline" viewBox="0 0 {width} 64" aria-hidden="true" '
           f'focusable="false" xmlns="http://www.w3.org/2000/svg">']
    for year in range(start.year, end.year + 1):
        xx = x(dt.date(year, 1, 1))
        label = f'<text x="{xx + 2}" y="60" class="tl-year">{year}</text>' \
            if year < end.year else ""  # the last tick closes the axis
        out.append(f'<line x1="{xx}" x2="{xx}" y1="8" y2="44" class="tl-tick"/>{label}')
    for p in line["periods"]:
        a = x(dt.date.fromisoformat(p["from"]))
        b = x(dt.date.fromisoformat(p["to"])) if p["to"] else x(end)
        out.append(f'<rect x="{a}" y="16" width="{max(b - a, 1)}" height="16" '
                   f'class="tl-period"/>')
    for d in line["decisions"]:
        cx = x(dt.date.fromisoformat(d["from"]))
        out.append(f'<path d="M{cx} 10 l6 14 l-6 14 l-6 -14 z" class="tl-decision"/>')
    now_x = x(ask.date)
    out.append(f'<line x1="{now_x}" x2="{now_x}" y1="4" y2="48" class="tl-date"/></svg>')
    return SafeString("".join(out))


def _ended_for_people(ended: list[Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """One entry per scheme (its areas together), the latest end when they differ."""
    out: dict[str, dict[str, Any]] = {}
    for e in ended:
        x = out.setdefault(e["regime"], {**e, "area_names": []})
        x["area_names"].append(names.get(e["area"], e["area"]))
        if e["ceased"] > x["ceased"]:
            x.update(ceased=e["ceased"], last_day=e["last_day"])
    return sorted(out.values(), key=lambda x: x["ceased"])


def _history_for_people(stretches: list[dict[str, Any]], ask: Ask) -> list[dict[str, Any]]:
    """The history strip's stretches with their bounds in words: month and year, the end as
    the stretch's last day (the intervals are half-open)."""
    out = []
    for s in stretches:
        last = None
        if s["to"]:
            last = (dt.date.fromisoformat(s["to"]) - dt.timedelta(days=1)).isoformat()
        out.append({**s, "from_text": long_date(s["from"], ask.lang, "month")
                    if s["from"] else None,
                    "to_text": long_date(last, ask.lang, "month") if last else None})
    return out


# --------------------------------------------------------------------------- provision


def provision(ask: Ask, act: str, reference: str) -> Page:
    if ask.fmt == "atom":
        return provision_feed(ask, act, reference)
    snap = snapshot(ask.known_at)
    data = q_provision.provision(snap, act, reference, ask.date, ask.known_at, ask.lang)
    data["registered"] = provenance.of_act(snap, act, data["ref"], ask.lang)
    a = snap.engine.acts.get(act)
    context = {"act_short": (a.short_title or a.title) if a else act,
               "regime_titles": {r.key: r.title for r in snap.world.regimes}}
    where = data["set_aside"]
    rows = [[x["municipality"], x["name"], x["area"], x["institution"] or "",
             x["institution_name"] or "", x["citation"], x["status"], x["decision"],
             x["since"] or ""] for x in where]
    return Page("frisat/provision.html", data["citation"], data,
                ["municipality", "name", "area", "institution", "institution_name",
                 "citation", "status", "decision", "since"], rows, context,
                f"bestemmelse-{act}")


# --------------------------------------------------------------------------- decision


def decision(ask: Ask, decision_id: str) -> Page:
    snap = snapshot(ask.known_at)
    data = q_decisions.page(snap, decision_id, ask.date, ask.known_at,
                            q_national.area_names(snap, ask.lang), ask.lang)
    rows = [[t["citation"], t["extent"], t.get("note", "")] for t in data["targets"]]
    names = q_national.area_names(snap, ask.lang)
    ended = _ended_for_people(ended_regimes(snap, data["municipality"], data["area"],
                                            ask.date), names)
    return Page("frisat/decision.html", data["title"] or data["id"], data,
                ["citation", "extent", "note"], rows, {"ended": ended},
                f"beslutning-{data['id']}")


__all__ = ["Page", "national", "municipality", "overview", "institution",
           "institution_rules", "provision", "decision", "label"]


# --------------------------------------------------------------------------- map


def _map_status(m: dict[str, Any], names: dict[str, str], lang: str) -> str:
    """A municipality's status on the map and in its table, in words."""
    def area_list(keys: list[str]) -> str:
        return ", ".join(names.get(a, a).lower() for a in keys)

    if m["areas"]:
        text = f"freed: {area_list(m['areas'])}" if lang == "en" else \
            f"frisat på {area_list(m['areas'])}"
        if m["used"]:
            text += (f"; {m['provisions_set_aside']} provisions set aside" if lang == "en"
                     else f"; {m['provisions_set_aside']} bestemmelser sat ud af kraft")
        else:
            text += ("; no decision in force known" if lang == "en"
                     else "; ingen beslutning i kraft kendt")
        return text
    if m["ended"]:
        return (f"freed earlier ({area_list(m['ended'])}); the experiment has ended"
                if lang == "en" else
                f"frisat tidligere ({area_list(m['ended'])}); forsøget er slut")
    return "not freed" if lang == "en" else "ikke frisat"


def country_map(ask: Ask) -> Page:
    """The map of the 98 municipalities on the date, with its table and headline facts.

    The answer, the map and the statuses are the same on every date of a national stretch
    and are kept on the snapshot, with a placeholder where the page's time axes go."""
    snap = snapshot(ask.known_at)
    span = snap.index.national_span(ask.date)
    kept = snap.memo(("country-map", span, ask.lang), lambda: _country_map(snap, ask))
    qs = ask.qs
    # the rows with this request's links for the answer as data; the HTML page prints the
    # kept list (``rows_html``), so it takes the kept rows as they are
    rows = kept["data"]["municipalities"] if ask.fmt == "html" else \
        [{**m, "url": m["url"].replace(_QS, qs)} for m in kept["data"]["municipalities"]]
    data: dict[str, Any] = {**kept["data"], "date": ask.date.isoformat(),
                            "municipalities": rows}
    title = ask.t(f"Kort over de 98 kommuner – {long_date(ask.date, 'da')}",
                  f"Map of the 98 municipalities – {long_date(ask.date, 'en')}")
    names = kept["names"]
    ended = _ended_for_people(ended_regimes(snap, None, None, ask.date), names)
    csv_rows = [[m["code"], m["name"], m["region"], " ".join(m["areas"]),
                 " ".join(m["ended"]), m["provisions_set_aside"]] for m in rows] \
        if ask.fmt == "csv" else []
    ctx: dict[str, Any] = {"area_names": names, "ended": ended}
    if ask.fmt == "html":
        # the page's parts that are the same for the whole stretch, rendered once
        lede, body = snap.memo(("country-map-html", span, ask.lang),
                               lambda: _country_map_html(kept, ask))
        # with their placeholders: the view writes this request's time axes and date in
        ctx["map_lede"], ctx["map_body"] = SafeString(lede), SafeString(body)
    return Page("frisat/map.html", title, {**data, "ended": ended},
                ["municipality", "name", "region", "freed_areas", "ended_areas",
                 "provisions_set_aside"], csv_rows, ctx, "kort",
                ("map", span, ask.lang, _ended_key(ended)))


def _country_map_html(kept: dict[str, Any], ask: Ask) -> tuple[str, str]:
    """The map page's lede (headline facts) and its body (the map, legend, downloads and
    the list), with placeholders for the page's time axes and the date in words."""
    ctx = {"lang": ask.lang, "qs": _QS, "date_words": _DATE, "data": kept["data"],
           "map_svg": SafeString(kept["svg"]), "rows_html": SafeString(kept["rows_html"]),
           "legend": kept["legend"], "attribution": kept["attribution"],
           "svg_url": links.path("map-svg", lang=ask.lang) + _QS,
           "png_url": links.path("map-png", lang=ask.lang) + _QS}
    return (render_to_string("frisat/_map_lede.html", ctx),
            render_to_string("frisat/_map_body.html", ctx))


def _country_map(snap: Snapshot, ask: Ask) -> dict[str, Any]:
    from frisat.web import map as country_svg

    data: dict[str, Any] = dict(q_country.country(snap, ask.date, ask.known_at, ask.lang))
    names = q_national.area_names(snap, ask.lang)
    by_code = {m["code"]: m for m in data["municipalities"]}
    for m in data["municipalities"]:
        m["status_text"] = _map_status(m, names, ask.lang)
        m["url"] = links.path("municipality", m["code"], lang=ask.lang) + _QS
        m["classes"] = country_svg.map_classes(m["areas"] or m["ended"],
                                               ended=not m["areas"] and bool(m["ended"]))
    # the map's title names no date: it is the same for the whole stretch
    title = ask.t("Kort over de 98 kommuner", "Map of the 98 municipalities")
    desc = ask.t("Hver kommune er farvet og mønstret efter, på hvilke områder den er frisat på "
                 "datoen. Samme oplysninger står i tabellen under kortet.",
                 "Each municipality is coloured and patterned by the areas in which it is "
                 "freed on the date. The table below the map has the same information.")
    svg = country_svg.render_map(
        lambda c: by_code[c]["url"] if c in by_code else None,
        lambda c: by_code[c]["status_text"] if c in by_code else "",
        lambda c: by_code[c]["classes"] if c in by_code else "map-none",
        title=title, description=desc, lang=ask.lang)
    # the 98 rows built here once per stretch, as the template would print them
    status_h, known_h = esc(ask.t("Status", "Status")), esc(ask.t("Registret kender",
                                                                    "The register knows"))
    not_all, all_ = esc(ask.t("ikke alle beslutninger", "not all decisions")), \
        esc(ask.t("alle beslutninger", "all decisions"))
    rows_html = "".join(
        f'<tr><th scope="row"><a href="{esc(m["url"])}">{esc(m["name"])}</a></th>'
        f'<td data-label="Region">{esc(m["region"])}</td>'
        f'<td data-label="{status_h}">{esc(m["status_text"])}</td>'
        f'<td data-label="{known_h}">'
        f'{not_all if m["incomplete"] else all_ if m["areas"] else "–"}</td></tr>'
        for m in data["municipalities"])
    return {"data": data, "names": names, "svg": svg, "rows_html": rows_html,
            "legend": SafeString(country_svg.legend_html(lang=ask.lang)),
            "attribution": SafeString(country_svg.attribution_html(ask.lang))}
