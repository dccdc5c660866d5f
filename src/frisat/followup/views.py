"""Portal pages of follow-up: results per regime and indicator, lessons, the briefing,
and the staff pages for lessons. Views format answers; the numbers come from ``evaluate``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from frisat.followup import charts, lessons, periods
from frisat.followup.evaluate import COMPARISONS, evaluate
from frisat.followup.models import Indicator, Observation
from frisat.followup.register import world
from frisat.registry.errors import InputError, Rejected
from frisat.web import pages
from frisat.web.portal import Ask
from frisat.web.views import portal_page


def indicator_list(lang: str = "da") -> list[dict[str, Any]]:
    from django.db.models import Count

    counts = dict(Observation.objects.values_list("indicator_id").annotate(n=Count("id")))
    return [{"key": x.key, "name": (x.name_en or x.name) if lang == "en" else x.name,
             "unit": (x.unit_en or x.unit) if lang == "en" else x.unit, "area": x.area,
             "level": x.level, "better": x.better, "source": x.source,
             "source_url": x.source_url, "licence": x.licence, "attribution": x.attribution,
             "breaks": x.breaks, "caveats": x.caveats, "observations": counts.get(x.key, 0),
             "has_data": bool(counts.get(x.key))}
            for x in Indicator.objects.order_by("area", "key")]


# -- results -------------------------------------------------------------------------------


def _results_index(ask: Ask) -> pages.Page:
    w = world()
    areas = {a.key: (a.name_en or a.name) if ask.lang == "en" else a.name for a in w.areas}
    inds = indicator_list(ask.lang)
    regimes = []
    for r in sorted(w.regimes, key=lambda r: r.key):
        covered = sorted({c.area for c in w.coverage if c.regime == r.key})
        munis = sorted({c.municipality for c in w.coverage if c.regime == r.key})
        if not r.key.startswith("velfaerdsaftale"):
            continue  # the evaluation follows the velfærdsaftaler; frikommune trials precede data
        regimes.append({"key": r.key, "title": r.title, "areas": [areas.get(a, a) for a in covered],
                        "municipalities": [x.name for x in w.municipalities if x.code in munis],
                        "indicators": [i for i in inds if i["area"] in covered]})
    data = {"regimes": regimes, "indicators": inds}
    return pages.Page("followup/results.html", ask.t("Resultater og opfølgning",
                                                     "Results and follow-up"), data,
                      ["indicator", "name", "area", "observations", "source", "licence"],
                      [[i["key"], i["name"], i["area"], i["observations"], i["source"],
                        i["licence"]] for i in inds], {}, "resultater")


def _label(r: dict[str, Any], p: str) -> str:
    return periods.label(p, r["definition"]["period_kind"])


def _charts(r: dict[str, Any], lang: str) -> dict[str, str]:
    en = lang == "en"
    d = r["definition"]
    unit = ((d["unit_en"] or d["unit"]) if en else d["unit"]).split(" (")[0]
    name = (d["name_en"] or d["name"]) if en else d["name"]
    names = r["names"]
    ser = r["series"]
    labels = [_label(r, s["period"]) for s in ser]
    treated = [str(u) for u in r["treated"]]
    lines = [charts.Line(names.get(u, u), [s["units"].get(u) for s in ser], i)
             for i, u in enumerate(treated)]
    lines.append(charts.Line("Sammenligning (gns.)" if not en else "Comparison (mean)",
                             [s["comparison_mean"] for s in ser], 2))
    win = [p["period"] for p in r["periods"]]
    start = next((i for i, s in enumerate(ser) if s["period"] in win and
                  any(p["period"] == s["period"] and p["status"] != "pre"
                      for p in r["periods"])), None)
    shade = next((i for i, s in enumerate(ser) if win and periods.order(s["period"]) >
                  periods.order(win[-1])), None)
    out = {"udvikling": charts.line_chart(
        "udvikling", f"{name}: " + ("freed municipalities and comparison" if en
                                    else "frisatte kommuner og sammenligning"),
        ("Each freed municipality's value per period and the comparison group's mean; the "
         "table beside the chart holds the same numbers." if en else
         "Hver frisat kommunes værdi pr. periode og sammenligningsgruppens gennemsnit; "
         "tabellen ved siden af har de samme tal."),
        labels, lines, unit[:48], start=(start - 0.5) if start is not None else None,
        start_label="Frisat" if not en else "Freed", shade_from=shade,
        shade_label="Ny metode" if not en else "New method")}
    es = r["event_study"]
    if es:
        ref = next((i for i, e in enumerate(es) if e.get("reference")), None)
        out["eventstudie"] = charts.interval_chart(
            "eventstudie", f"{name}: {'event study' if en else 'eventstudie'}",
            ("Difference between the freed municipalities and the comparison per period, "
             "relative to the last period before (hollow point), with 95 % placebo intervals."
             if en else "Forskellen mellem de frisatte kommuner og sammenligningen pr. periode, "
             "i forhold til sidste periode før (åbent punkt), med 95 %-placebointervaller."),
            [_label(r, e["period"]) if e["period"] else str(e["relative"]) for e in es],
            [(e["estimate"], e["ci_low"], e["ci_high"]) for e in es],
            ("difference, " if en else "forskel, ") + unit[:36], reference=ref)
    for s in r["synthetic"]:
        u = str(s["unit"])
        sl = [_label(r, x["period"]) for x in s["series"]]
        post = next((i for i, x in enumerate(s["series"]) if x["post"]), None)
        out[f"tvilling-{u}"] = charts.line_chart(
            f"tvilling-{u}",
            f"{names.get(u, u)}: " + ("synthetic twin" if en else "syntetisk tvilling"),
            (f"{names.get(u, u)} and its synthetic twin, a weighted mix of comparison "
             "municipalities that matches the years before." if en else
             f"{names.get(u, u)} og dens syntetiske tvilling, en vægtet blanding af "
             "sammenligningskommuner, der rammer årene før."),
            sl, [charts.Line(names.get(u, u), [x["treated"] for x in s["series"]], 0),
                 charts.Line("Syntetisk tvilling" if not en else "Synthetic twin",
                             [x["synthetic"] for x in s["series"]], 1)],
            unit[:48], start=(post - 0.5) if post else None,
            start_label="Frisat" if not en else "Freed")
    return out


def _result(ask: Ask, regime: str, indicator: str) -> pages.Page:
    comparison = ask.extra.get("comparison") or "all"
    if comparison not in COMPARISONS:
        raise Rejected([InputError("comparison", "invalid", "comparison er all eller matched")])
    r = evaluate(indicator, regime, comparison)
    d = r["definition"]
    svgs = _charts(r, ask.lang)
    names = r["names"]
    treated = [str(u) for u in r["treated"]]
    rows = [[s["period"], _label(r, s["period"]), *[s["units"].get(u) for u in treated],
             s["comparison_mean"]] for s in r["series"]]
    counts = [s["n_comparison"] for s in r["series"]]
    header = ["period", "label", *[f"{names.get(u, u)} ({u})" for u in treated],
              "comparison_mean", "n_comparison"]
    csv_rows = [[*row, n] for row, n in zip(rows, counts, strict=True)]
    ctx = {"svgs": svgs, "rows": list(zip(rows, counts, strict=True)), "header": header,
           "treated_names":
           [names.get(u, u) for u in treated],
           "comparison_names": [names.get(str(u), str(u)) for u in r["comparison"]],
           "base": f"{ask.prefix}/resultater/{regime}/{indicator}",
           "cmp_qs": "" if comparison == "all" else "?comparison=matched",
           "comparison": comparison,
           "twins": [{"unit": str(s["unit"]), "name": names.get(str(s["unit"]), s["unit"]),
                      "svg": svgs.get(f"tvilling-{s['unit']}", ""), "series": s["series"],
                      "estimate": s["estimate"], "pre_rmspe": s["pre_rmspe"],
                      "weights": [(names.get(k, k), v) for k, v in s["weights"].items()][:8],
                      "more": max(len(s["weights"]) - 8, 0)}
                     for s in r["synthetic"]]}
    title = f"{(d['name_en'] or d['name']) if ask.lang == 'en' else d['name']} – {regime}"
    return pages.Page("followup/result.html", title, r, header, csv_rows, ctx,
                      f"resultat-{regime}-{indicator}")


results = portal_page(_results_index)
result = portal_page(lambda ask, regime, indicator: _result(ask, regime, indicator),
                     cached=False)


def chart(request: HttpRequest, regime: str, indicator: str, name: str) -> HttpResponse:
    """A chart of the results page as a downloadable SVG file."""
    lang = "en" if request.path.startswith("/en/") else "da"
    comparison = request.GET.get("comparison") or "all"
    if comparison not in COMPARISONS:
        raise Http404
    try:
        r = evaluate(indicator, regime, comparison)
    except Rejected:
        raise Http404 from None
    svg = _charts(r, lang).get(name)
    if svg is None:
        raise Http404
    resp = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{regime}-{indicator}-{name}.svg"'
    return resp


# -- lessons -------------------------------------------------------------------------------


def _lessons_page(ask: Ask) -> pages.Page:
    q = (ask.extra.get("q") or "").strip()[:200]
    hits = lessons.search(q, ask.prefix)
    w = world()
    names = {x.code: x.name for x in w.municipalities}
    areas = {a.key: (a.name_en or a.name) if ask.lang == "en" else a.name for a in w.areas}
    for h in hits:
        h["municipality_name"] = names.get(h["municipality"], "")
        h["area_name"] = areas.get(h["area"], h["area"])
        h["confidence_label"] = _confidence(h["confidence"], ask.lang)
    return pages.Page("followup/lessons.html", ask.t("Erfaringer", "Lessons"),
                      {"q": q, "lessons": hits},
                      ["key", "municipality", "title", "tried", "replaced_by", "outcome",
                       "source_url"],
                      [[h["key"], h["municipality"], h["title"], h["tried"], h["replaced_by"],
                        h["outcome"], h["source_url"]] for h in hits], {}, "erfaringer")


CONFIDENCE = {"high": ("høj", "high"), "medium": ("middel", "medium"), "low": ("lav", "low")}


def _confidence(value: str, lang: str) -> str:
    da, en = CONFIDENCE.get(value, (value, value))
    return en if lang == "en" else da


def _lesson_page(ask: Ask, key: str) -> pages.Page:
    row = lessons.latest().get(key)
    if row is None:
        raise Rejected([InputError("lesson", "not_found", f"Ukendt erfaring: {key}")])
    data = lessons.as_json(row, ask.prefix)
    data["municipality_name"] = next((x.name for x in world().municipalities
                                      if x.code == row.municipality), "")
    data["confidence_label"] = _confidence(row.confidence, ask.lang)
    return pages.Page("followup/lesson.html", row.title, data, list(data),
                      [[data[k] for k in data]], {}, f"erfaring-{key}")


lessons_list = portal_page(_lessons_page, cached=False)
lesson = portal_page(lambda ask, key: _lesson_page(ask, key), cached=False)


# -- briefing ------------------------------------------------------------------------------


def _briefing_page(ask: Ask) -> pages.Page:
    from frisat.followup.briefing import briefing

    data = briefing(ask.date, ask.lang)
    rows = [[a["area"], "; ".join(a["municipalities"]), len(a["decisions"]), a["set_aside"],
             a["partly"]] for a in data["areas"]]
    return pages.Page("followup/briefing.html", ask.t("Notat: frisættelse af kommuner",
                                                      "Briefing: municipalities freed from "
                                                      "rules"), data,
                      ["area", "municipalities", "decisions", "set_aside", "partly"], rows,
                      {"pdf": True}, f"notat-{ask.date.isoformat()}")


briefing_page = portal_page(_briefing_page, cached=False)


def _pdf(ask: Ask) -> pages.Page:
    page = _briefing_page(ask)
    page.template = "followup/briefing_print.html"
    return page


_pdf_html = portal_page(_pdf, ("html",), cached=False)


def briefing_pdf(request: HttpRequest) -> HttpResponse:
    """The briefing as a printable PDF (WeasyPrint renders the print version)."""
    html = _pdf_html(request)
    if html.status_code != 200:
        return html
    try:
        from weasyprint import CSS, HTML
    except OSError:  # Pango missing: say so instead of a stack trace
        return HttpResponse("PDF kræver Pango (make pdf).", status=503,
                            content_type="text/plain; charset=utf-8")
    from django.conf import settings

    base = str(settings.STATIC_ROOT.parent)
    css = Path(__file__).parent / "static" / "followup" / "briefing-print.css"
    pdf = HTML(string=html.content.decode("utf-8"), base_url=base).write_pdf(
        stylesheets=[CSS(filename=str(css))])
    resp = HttpResponse(pdf, content_type="application/pdf")
    date = request.GET.get("date") or dt.date.today().isoformat()
    resp["Content-Disposition"] = f'inline; filename="notat-{date[:10]}.pdf"'
    return resp


# -- staff: lessons ------------------------------------------------------------------------


def _lesson_form(post: Any) -> dict[str, Any]:
    def lines(k: str) -> list[str]:
        return [x.strip() for x in post.get(k, "").splitlines() if x.strip()]

    o: dict[str, Any] = {k: post.get(k, "").strip() for k in
                         ("key", "title", "tried", "replaced_by", "outcome", "contact", "source",
                          "source_url", "area", "regime")}
    o["municipality"] = post.get("municipality", "").strip() or None
    for k in lessons.LINKS:
        o[k] = lines(k)
    return {k: v for k, v in o.items() if v not in ("", [])}


@login_required
@require_http_methods(["GET", "POST"])
def staff_lessons(request: HttpRequest, key: str | None = None) -> HttpResponse:
    """Write a lesson (an editor for their own municipality; the ministry for any). Saving
    an existing key records an amended version; the earlier one stays in the history."""
    from frisat.accounts.permissions import actor_for
    from frisat.workflow import services
    from frisat.workflow.views import page

    actor = actor_for(request.user)
    errors: list[InputError] = []
    status = 200
    current = lessons.latest().get(key) if key else None
    if key and current is None:
        raise Http404("Ingen erfaring med den nøgle")
    values: dict[str, Any] = ({**lessons.as_json(current)} if current else
                              {"municipality": actor.municipality or ""})
    if request.method == "POST":
        record = _lesson_form(request.POST)
        values = {**values, **record}
        try:
            services.load_as(request.user, {"format": "frisat-bundle/1", "lessons": [record]},
                             source="erfaring")
        except services.Forbidden as e:
            errors, status = [InputError("lesson", "forbidden", str(e))], 403
        except Rejected as e:
            errors = [InputError(x.path.split("].", 1)[-1], x.code, x.message)
                      for x in e.errors]
            status = 400
        else:
            return redirect(f"/forvaltning/erfaringer/{record.get('key', '')}")
    mine = [lessons.as_json(x) for x in lessons.latest().values()
            if actor.is_ministry or x.municipality == actor.municipality]
    for k in lessons.LINKS:
        if isinstance(values.get(k), list):
            values[k] = "\n".join(values[k])
    return page(request, "followup/staff_lessons.html",
                "Erfaringer" if not current else f"Erfaring: {current.title}", status=status,
                values=values, errors=errors, lessons=mine, current=current,
                by_field={e.path.split(".")[0].split("[")[0]: e for e in errors})
