"""Public pages: HTTP plumbing around ``pages`` (formats, languages, errors, caching).

Views format answers, never law. Every page takes ``?date=`` and ``?known_at=`` and
answers as HTML, ``?format=json`` or ``?format=csv``; the § 6 overview and the national
view also as ``?format=atom``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.clickjacking import xframe_options_exempt

from frisat import links
from frisat.engine import UnknownRecord
from frisat.queries.common import DK
from frisat.registry.errors import InputError, Rejected
from frisat.web import pages, search
from frisat.web.cache import cache
from frisat.web.csv_cells import row as csv_row
from frisat.web.portal import (
    FORMATS,
    KEPT_DATE,
    KEPT_FORMAT_URL,
    KEPT_ISO,
    KEPT_OTHER_URL,
    KEPT_QS,
    KEPT_TITLE,
    Ask,
    long_date,
    other_language_url,
    read_ask,
)
from frisat.web.state import current_known_at, snapshot


def _error_page(request: HttpRequest, ask_lang: str, errors: list[InputError],
                status: int, fmt: str) -> HttpResponse:
    if fmt in ("json", "csv", "atom"):
        return JsonResponse({"errors": [e.to_json() for e in errors]}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    return render(request, "frisat/error.html", {
        "errors": errors, "status": status, "lang": ask_lang,
        "prefix": "/en" if ask_lang == "en" else "", "other_lang_url":
        other_language_url(request), "title": "Fejl" if ask_lang == "da" else "Error"},
        status=status)


def _csv(page: pages.Page) -> HttpResponse:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(csv_row(page.csv_header))
    w.writerows(csv_row(r) for r in page.csv_rows)  # no spreadsheet formulas (csv_cells)
    resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'inline; filename="{page.name}.csv"'
    return resp


def _json(data: Any) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False, default=str),
                        content_type="application/json")


def portal_page(build: Callable[..., pages.Page], formats: tuple[str, ...] = FORMATS,
                cached: bool = True) -> Callable[..., HttpResponse]:
    """A view from a page builder: parse the request, answer in the asked format."""

    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        lang = "en" if request.path.startswith("/en/") else "da"
        fmt = request.GET.get("format") or "html"
        try:
            ask = read_ask(request, formats)
            ask.extra = {k: request.GET.get(k, "") for k in request.GET}
            key = cache.key(request, ask.date, ask.known_at, ask.known_at_given,
                            tuple(sorted((k, v) for k, v in request.GET.items()
                                         if k not in ("date", "known_at"))))
            hit = cache.get(key) if cached else None
            if hit is not None:
                return hit.response(request)
            resp = _answer(request, ask, build(ask, **kwargs))
        except Rejected as e:
            status = 404 if all(x.code == "not_found" for x in e.errors) else 400
            return _error_page(request, lang, e.errors, status, fmt)
        except UnknownRecord as e:
            return _error_page(request, lang, [InputError("", "not_found", str(e))], 404, fmt)
        if cached and resp.status_code == 200:
            return cache.put(key, resp).response(request)  # compressed once, here
        return resp

    return view


def _answer(request: HttpRequest, ask: Ask, page: pages.Page) -> HttpResponse:
    if ask.fmt == "json":
        return _json(page.data)
    if ask.fmt == "csv":
        return _csv(page)
    if ask.fmt == "atom":
        return _atom(request, ask, page)
    ctx = {"ask": ask, "lang": ask.lang, "prefix": ask.prefix, "qs": ask.qs,
           "data": page.data, "title": page.title,
           "other_lang_url": other_language_url(request),
           "format_url": _format_url(request), **page.context}
    if page.kept is None:
        body: str = render_to_string(page.template, ctx, request)
        if "\x00" in body:  # parts kept for a stretch: this request's time axes and date
            body = body.replace(KEPT_QS, escape(ask.qs)) \
                .replace(KEPT_DATE, escape(long_date(ask.date, ask.lang)))
        return HttpResponse(body)
    # rendered once for every date with the key, with placeholders for what differs
    parts = snapshot(ask.known_at).memo(
        ("page-html", request.path, page.kept, ask.date_given, ask.known_at_given,
         ask.known_at), lambda: _kept_parts(render_to_string(page.template, {
             **ctx, "qs": KEPT_QS, "title": KEPT_TITLE, "other_lang_url": KEPT_OTHER_URL,
             "format_url": KEPT_FORMAT_URL, "data": {**page.data, "date": KEPT_ISO}},
             request)))
    values = {KEPT_QS: ask.qs, KEPT_DATE: long_date(ask.date, ask.lang),
              KEPT_ISO: ask.date.isoformat(), KEPT_TITLE: page.title,
              KEPT_OTHER_URL: ctx["other_lang_url"], KEPT_FORMAT_URL: ctx["format_url"]}
    filled = {k: escape(v).encode() for k, v in values.items()}
    texts, holes = parts
    out = [texts[0]]
    for hole, text in zip(holes, texts[1:], strict=True):
        out += (filled[hole], text)
    return HttpResponse(b"".join(out))


_HOLE = re.compile("(\x00[a-z]+\x00)")


def _kept_parts(html: str) -> tuple[list[bytes], list[str]]:
    """A kept page as its text between the placeholders (encoded once) and the
    placeholders, so a request joins the two instead of copying the page for each one."""
    parts = _HOLE.split(html)
    return [p.encode() for p in parts[0::2]], parts[1::2]


def _format_url(request: HttpRequest) -> str:
    """This page's URL with room for ``format=…`` appended."""
    q = request.GET.copy()
    q.pop("format", None)
    s = q.urlencode()
    return request.path + "?" + (s + "&" if s else "")


def _atom(request: HttpRequest, ask: Ask, page: pages.Page) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    feed = Atom1Feed(title=page.title, link=base + request.path,
                     description=page.title, language=ask.lang,
                     feed_url=request.build_absolute_uri())
    for d in page.data["decisions"]:
        published = d.get("published_on") or d.get("effective_from")
        when = dt.datetime.combine(dt.date.fromisoformat(published), dt.time(12),
                                   tzinfo=DK)
        unknown_pub = ask.t(" (offentliggørelsesdato ukendt)", " (publication date unknown)")
        desc = "; ".join(t["citation"] for t in d["targets"])
        feed.add_item(
            title=f'{d["title"] or d["id"]} – {pages.label(d["state"], ask.lang)}',
            link=base + links.path("decision", d["id"], lang=ask.lang),
            unique_id=f'frisat:{d["id"]}',
            description=desc + ("" if d.get("published_on") else unknown_pub),
            pubdate=when, updateddate=when)
    return HttpResponse(feed.writeString("utf-8"),
                        content_type="application/atom+xml; charset=utf-8")


# --------------------------------------------------------------------------- pages

def _national(ask: Ask) -> pages.Page:
    """The national view; its Atom feed is the feed of every municipality's decisions."""
    return pages.all_decisions(ask) if ask.fmt == "atom" else pages.national(ask)


def _code(code: str) -> str:
    """A municipality code in a path: a number out of all range (10^30) is bad input."""
    if code.isascii() and code.isdigit() and (len(code) > 10 or not 1 <= int(code) <= 9999):
        raise Rejected([InputError("code", "invalid",
                                   "Kommunekoden skal være et tal fra 1 til 9999")])
    return code


national = portal_page(_national, FORMATS + ("atom",))
municipality = portal_page(lambda ask, code: pages.municipality(ask, _code(code)))
overview = portal_page(lambda ask, code: pages.overview(ask, _code(code)), FORMATS + ("atom",))
decision = portal_page(lambda ask, decision_id: pages.decision(ask, decision_id))
provision = portal_page(lambda ask, act, reference="": pages.provision(ask, act, reference),
                        FORMATS + ("atom",))


def _institution(ask: Ask, institution_id: str) -> pages.Page:
    return pages.institution(ask, institution_id, ask.extra.get("compare"))


_institution_view = portal_page(_institution, FORMATS + ("atom",))


def institution(request: HttpRequest, institution_id: str) -> HttpResponse:
    return _institution_view(request, institution_id=institution_id)


# every rule of an institution, act by act: a page of its own, so the first page stays short
institution_rules = portal_page(lambda ask, institution_id: pages.institution_rules(
    ask, institution_id))


@xframe_options_exempt
def overview_embed(request: HttpRequest, code: str) -> HttpResponse:
    """The § 6 overview in a bare page a municipality can put in an iframe."""
    return _embed_view(request, code=code)


_embed_view = portal_page(lambda ask, code: _embed_page(ask, code), ("html",))


def _embed_page(ask: Ask, code: str) -> pages.Page:
    page = pages.overview(ask, _code(code))
    page.template = "frisat/overview_embed.html"
    return page


decisions = portal_page(pages.all_decisions, FORMATS + ("atom",))


def search_page(request: HttpRequest) -> HttpResponse:
    lang = "en" if request.path.startswith("/en/") else "da"
    fmt = request.GET.get("format") or "html"
    try:
        ask = read_ask(request)
    except Rejected as e:
        return _error_page(request, lang, e.errors, 400, fmt)
    q = (request.GET.get("q") or "").strip()
    errors = []
    if "q" in request.GET and not q:
        errors.append(InputError("q", "required", ask.t("Skriv et eller flere søgeord.",
                                                        "Type one or more words.")))
    if len(q) > 200:
        errors.append(InputError("q", "too_long", ask.t("Højst 200 tegn.",
                                                        "At most 200 characters.")))
    hits = search.search(q, lang, ask.date) if q and not errors else []
    meaning = search.concepts(q, lang) if q and not errors else []
    data = {"q": q, "results": hits, "concepts": meaning}
    if fmt in ("json", "csv") and errors:
        return _error_page(request, lang, errors, 400, fmt)
    page = pages.Page("frisat/search.html", ask.t("Søg", "Search"), data,
                      ["kind", "title", "url", "detail"],
                      [[h["kind"], h["title"], h["url"], h["detail"]] for h in hits],
                      {"errors": errors, "groups": _grouped(hits, lang)}, "soeg")
    resp = _answer(request, ask, page)
    if errors:
        resp.status_code = 400
    return resp


# The order and names of the result groups on the search page
SEARCH_GROUPS = (("municipality", "Kommuner", "Municipalities"),
                 ("institution", "Institutioner", "Institutions"),
                 ("decision", "Beslutninger", "Decisions"),
                 ("provision", "Bestemmelser", "Provisions"),
                 ("act", "Love og bekendtgørelser", "Acts and orders"),
                 ("rule", "Kommunale regelsæt", "Municipal rule sets"))


def _grouped(hits: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The hits by kind, the kind of the best hit first (a citation's provisions, a town's
    municipality); within a kind, by relevance."""
    names = {k: (en if lang == "en" else da) for k, da, en in SEARCH_GROUPS}
    out: dict[str, dict[str, Any]] = {}
    for h in hits:
        g = out.setdefault(h["kind"], {"kind": h["kind"], "name": names.get(h["kind"],
                                                                            h["kind"]),
                                       "hits": []})
        g["hits"].append(h)
    return list(out.values())


def bulk_download(request: HttpRequest) -> HttpResponse:
    """The whole register (reference data included) as one ``frisat-bundle/1`` document."""
    from frisat.registry.export import to_bundle

    snap = snapshot(current_known_at())
    resp = HttpResponse(json.dumps(to_bundle(snap.world), ensure_ascii=False),
                        content_type="application/json")
    resp["Content-Disposition"] = 'attachment; filename="frisat-register.json"'
    return resp


def open_data(request: HttpRequest) -> HttpResponse:
    lang = "en" if request.path.startswith("/en/") else "da"
    prefix = "/en" if lang == "en" else ""
    snap = snapshot(current_known_at())
    return render(request, "frisat/data.html", {
        "lang": lang, "prefix": prefix, "qs": "", "other_lang_url": other_language_url(request),
        "title": "Åbne data" if lang == "da" else "Open data",
        "municipalities": sorted(snap.world.municipalities, key=lambda m: m.name)})


def minimal(request: HttpRequest) -> HttpResponse:
    """The smallest Django page, the benchmark's yardstick for the portal's own cost."""
    return HttpResponse(b"ok", content_type="text/plain")


country_map = portal_page(pages.country_map)


def _map_picture(request: HttpRequest, fmt: str) -> HttpResponse:
    """The map as a file to download: SVG or PNG, the same status as the map page."""
    lang = "en" if request.path.startswith("/en/") else "da"
    try:
        ask = read_ask(request)
    except Rejected as e:
        return _error_page(request, lang, e.errors, 400, "json")
    from frisat.web import map as country_svg

    page = pages.country_map(ask)
    by_code = {m["code"]: m for m in page.data["municipalities"]}
    if fmt == "svg":
        body: bytes = country_svg.render_svg_file(
            lambda c: by_code[c]["status_text"] if c in by_code else "",
            lambda c: by_code[c]["classes"] if c in by_code else "map-none",
            title=page.title, description=ask.t(
                "Kommunerne farvet efter, hvor de er frisat på datoen.",
                "The municipalities coloured by where they are freed on the date."),
            lang=lang).encode("utf-8")
        ctype = "image/svg+xml"
    else:
        body = country_svg.render_png(
            lambda c: by_code[c]["classes"] if c in by_code else "map-none", lang=lang)
        ctype = "image/png"
    resp = HttpResponse(body, content_type=ctype)
    resp["Content-Disposition"] = (f'attachment; filename="frisat-kort-{ask.date.isoformat()}'
                                   f'.{fmt}"')
    return resp


def country_map_svg(request: HttpRequest) -> HttpResponse:
    return _map_picture(request, "svg")


def country_map_png(request: HttpRequest) -> HttpResponse:
    return _map_picture(request, "png")
