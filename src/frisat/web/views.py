"""Public pages. The full portal is built on these; views format answers, never law."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from frisat.registry import answers
from frisat.registry.errors import Rejected


def home(request: HttpRequest) -> HttpResponse:
    """The national view on a date: regimes, covered municipalities, all 98 municipalities."""
    lang = "en" if request.path.startswith("/en/") else "da"
    try:
        date = answers.parse_date(request.GET.get("date"))
        known_at = answers.parse_instant(request.GET.get("known_at"))
    except Rejected as e:
        return render(request, "frisat/error.html", {"errors": e.errors, "lang": lang},
                      status=400)
    data = answers.national(date, known_at, lang)
    eng = answers.snapshots.engine(known_at)
    covered: dict[int, list[str]] = {}
    for r in data["regimes"]:
        for c in r["coverage"]:
            covered.setdefault(c["municipality"], []).append(c["area"])
    municipalities = [
        {"code": x.code, "name": x.name, "region": x.region_name,
         "areas": sorted(covered.get(x.code, []))}
        for x in sorted(eng.world.municipalities, key=lambda x: x.name)]
    return render(request, "frisat/home.html", {
        "lang": lang, "data": data, "municipalities": municipalities,
        "regimes": sorted(eng.world.regimes, key=lambda r: r.key),
    })
