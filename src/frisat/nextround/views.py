"""The next round's public pages (Danish; English under /en/): the frikommune records,
the two models compared, scenarios (build, save, share by link, compare with the register),
the applications and the ministry's answers, and each municipality's frikommunevedtægt.

Pages only arrange what ``frisat.queries`` answer; they compute no law. A scenario page is
always marked as a scenario, never as the law.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from frisat.accounts.permissions import actor_for
from frisat.nextround import services
from frisat.nextround.api import application_json
from frisat.nextround.models import STATES
from frisat.registry.errors import InputError, Rejected
from frisat.registry.snapshot import snapshot
from frisat.web import pages
from frisat.web.portal import Ask
from frisat.web.views import portal_page

EXAMPLES = {
    "alle-98-aeldre": ("Alle 98 kommuner i ældreplejen fra en dato",
                       "All 98 municipalities in elder care from a date"),
    "hegnspael": ("En bestemmelse bliver hegnspæl", "A provision becomes a guardrail"),
    "et-aar-tidligere": ("Forsøget slutter et år tidligere", "The trial ends a year earlier"),
    "overtag": ("Kommune M overtager kommune N's beslutninger",
                "Municipality M adopts municipality N's decisions"),
}
EXAMPLE_TEXT = {
    "alle-98-aeldre": """format: frisat-scenario/1
title: "Eksempel: alle 98 kommuner i ældreplejen fra 1. januar 2022"
date: 2022-06-01
changes:
  - cover: {regime: velfaerdsaftale-aeldre, area: aeldre, municipalities: all, from: 2022-01-01}
""",
    "hegnspael": """format: frisat-scenario/1
title: "Eksempel: dagtilbudslovens § 8 bliver hegnspæl"
date: 2022-06-01
changes:
  - guardrail: {regime: velfaerdsaftale-dagtilbud, citation: "dagtilbudsloven § 8"}
""",
    "et-aar-tidligere": """format: frisat-scenario/1
title: "Eksempel: velfærdsaftalen på dagtilbudsområdet slutter 30. september 2023"
date: 2024-06-01
changes:
  - end: {regime: velfaerdsaftale-dagtilbud, to: 2023-09-30}
""",
    "overtag": """format: frisat-scenario/1
title: "Eksempel: Holbæk overtager Esbjergs beslutninger på skoleområdet"
date: 2022-06-01
changes:
  - adopt: {municipality: 316, from_municipality: 561, area: folkeskole}
""",
}


def _next_round(ask: Ask) -> pages.Page:
    return pages.Page("nextround/index.html", ask.t("Næste runde", "The next round"), {},
                      [], [], {"examples": EXAMPLES}, "naeste-runde")


def _frikommuner(ask: Ask) -> pages.Page:
    from frisat.queries.frikommune import records

    data = records(snapshot(ask.known_at), ask.date)
    rows = [[n["number"], n["theme"], " ".join(str(m["code"]) for m in n["municipalities"]),
             n["source"]["url"]] for n in data["networks"]]
    return pages.Page("nextround/frikommuner.html", ask.t("Frikommuneforsøgene",
                                                          "The free-municipality trials"),
                      data, ["network", "theme", "municipalities", "source"], rows, {},
                      "frikommuner")


def _vedtaegt(ask: Ask, code: int) -> pages.Page:
    from frisat.queries.frikommune import vedtaegt

    data = vedtaegt(snapshot(ask.known_at), code, ask.date)
    rows = [[x["id"], x["regime"], x["area"], " ; ".join(t["citation"] for t in x["targets"]),
             x["from"], x["to"], x["legal_basis"], x["state"]] for x in data["exemptions"]]
    return pages.Page("nextround/vedtaegt.html",
                      ask.t(f"Frikommunevedtægt for {data['name']} Kommune",
                            f"Free-municipality statute of {data['name']}"), data,
                      ["id", "regime", "area", "targets", "from", "to", "legal_basis",
                       "state"], rows, {}, f"frikommunevedtaegt-{code}")


def _models(ask: Ask) -> pages.Page:
    from frisat.queries.models_compared import overview

    rows_ = overview(snapshot(ask.known_at), ask.known_at, ask.lang)
    rows = [[r["municipality"], r["name"], r["area"], x["regime"], x["model"], x["could"],
             x["were"], x["completeness"], x["wish_to_effect"]["median_days"]]
            for r in rows_ for x in r["regimes"]]
    return pages.Page("nextround/models.html", ask.t("To modeller for frisættelse",
                                                    "Two models of deregulation"),
                      {"rows": rows_, "known_at": ask.known_at.isoformat()},
                      ["municipality", "name", "area", "regime", "model", "could_set_aside",
                       "set_aside", "register_knows", "median_days_wish_to_effect"], rows, {},
                      "modeller")


def _model(ask: Ask, code: int, area: str) -> pages.Page:
    from frisat.queries.models_compared import compare

    data = compare(snapshot(ask.known_at), code, area, ask.known_at, ask.lang)
    rows = [[x["regime"], x["model"], x["could"], x["were"], x["completeness"]]
            for x in data["regimes"]]
    return pages.Page("nextround/model.html", ask.t(f"{data['name']}: to modeller",
                                                   f"{data['name']}: two models"),
                      dict(data), ["regime", "model", "could", "were", "register_knows"],
                      rows, {}, f"modeller-{code}-{area}")


def _applications(ask: Ask, user: Any) -> pages.Page:
    qs = services.visible(actor_for(user)).order_by("-created_at")[:500]
    items = [application_json(a) for a in qs]
    rows = [[a["id"], a["municipality"], a["area"], a["title"], a["state"],
             " ; ".join(a["approved"])] for a in items]
    return pages.Page("nextround/applications.html",
                      ask.t("Frikommuneansøgninger og ministeriets svar",
                            "Free-municipality applications and the ministry's answers"),
                      {"items": items}, ["id", "municipality", "area", "title", "state",
                                         "approved"], rows, {"states": STATES},
                      "ansoegninger")


def _application(ask: Ask, app_id: str, user: Any) -> pages.Page:
    a = application_json(services.get(actor_for(user), app_id))
    return pages.Page("nextround/application.html", a["title"], a, list(a),
                      [[a[k] for k in a]], {}, f"ansoegning-{app_id}")


def _scenario(ask: Ask, key: str) -> pages.Page:
    from frisat.nextround.store import saved_document
    from frisat.queries.scenario import scenario_diff

    doc = saved_document(key)
    date = ask.date if ask.date_given else None
    with_inst = ask.extra.get("institutioner", "ja") != "nej"
    data: dict[str, Any] = dict(scenario_diff(snapshot(ask.known_at), doc, date,
                                              ask.known_at, ask.lang, with_inst))
    data["key"] = key
    data["document"] = doc
    rows = [[c.get("institution", ""), c["municipality"], c["area"], c["citation"], c["from"],
             c["to"]] for c in data["changes"]]
    return pages.Page("nextround/scenario.html", ask.t("Scenarie: ", "Scenario: ")
                      + data["title"], data,
                      ["institution", "municipality", "area", "citation", "register",
                       "scenario"], rows, {"shown": data["changes"][:500]}, f"scenarie-{key}")


next_round = portal_page(_next_round)
frikommuner = portal_page(_frikommuner)
models = portal_page(_models)
model = portal_page(lambda ask, code, area: _model(ask, code, area))
vedtaegt = portal_page(lambda ask, code: _vedtaegt(ask, code))
scenario = portal_page(lambda ask, key: _scenario(ask, key))


def applications(request: HttpRequest) -> HttpResponse:
    # drafts are personal: never cached
    return portal_page(lambda ask: _applications(ask, request.user), cached=False)(request)


def application(request: HttpRequest, app_id: str) -> HttpResponse:
    return portal_page(lambda ask: _application(ask, app_id, request.user),
                       cached=False)(request)


@require_http_methods(["GET", "POST"])
def scenario_builder(request: HttpRequest) -> HttpResponse:
    """Write (or pick) a scenario, check it against the register, save it and go to its
    page; a bad scenario comes back with every problem beside the text."""
    from frisat.nextround.store import save_scenario
    from frisat.registry.bundle import parse_text

    lang = "en" if request.path.startswith("/en/") else "da"
    prefix = "/en" if lang == "en" else ""
    text = EXAMPLE_TEXT.get(request.GET.get("eksempel", ""), EXAMPLE_TEXT["alle-98-aeldre"])
    errors: list[InputError] = []
    status = 200
    if request.method == "POST":
        text = str(request.POST.get("scenario", ""))[:100_000]
        try:
            user = request.user.get_username() if request.user.is_authenticated else None
            saved = save_scenario(parse_text(text, "scenario"), key=None, user=user)
            return HttpResponseRedirect(f"{prefix}/scenarie/{saved.key}")
        except Rejected as e:
            errors, status = e.errors, 400
    ctx = {"lang": lang, "prefix": prefix, "text": text, "errors": errors,
           "examples": EXAMPLES, "title": "Byg et scenarie" if lang == "da"
           else "Build a scenario", "other_lang_url": ("/scenarie" if lang == "en"
                                                       else "/en/scenarie")}
    return render(request, "nextround/builder.html", ctx, status=status)
