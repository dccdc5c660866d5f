from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from frisat.links import ROUTES
from frisat.web import views
from frisat.web.api import api


def _both(name: str, view) -> list[URLPattern]:  # type: ignore[no-untyped-def]
    """Every page in Danish at its path and in English at the same path under /en/."""
    route = ROUTES[name]
    return [path(route, view, name=name), path("en/" + route, view, name=name + "-en")]


urlpatterns: list[URLPattern | URLResolver] = [
    *_both("home", views.national),
    *_both("search", views.search_page),
    *_both("municipality", views.municipality),
    *_both("overview", views.overview),
    *_both("overview-embed", views.overview_embed),
    *_both("institution", views.institution),
    *_both("institution-rules", views.institution_rules),
    *_both("act", views.provision),
    *_both("provision", views.provision),
    *_both("decision", views.decision),
    *_both("decisions", views.decisions),
    *_both("open-data", views.open_data),
    *_both("map", views.country_map),
    *_both("map-svg", views.country_map_svg),
    *_both("map-png", views.country_map_png),
    path("data/frisat-register.json", views.bulk_download, name="bulk"),
    path("_minimal", views.minimal, name="minimal"),
    path("", include("frisat.followup.urls")),  # results, lessons, briefing (followup)
    path("", include("frisat.nextround.urls")),  # frikommuner, scenarios, models, applications
    path("api/v1/", api.urls),
    # staff: municipal case workers, institution leaders and the ministry (log-in required)
    path("forvaltning/", include("frisat.workflow.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "frisat.web.errors.bad_request"
handler403 = "frisat.web.errors.permission_denied"
handler404 = "frisat.web.errors.page_not_found"
handler500 = "frisat.web.errors.server_error"
