from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from frisat.web import views
from frisat.web.api import api


def _both(route: str, view, name: str) -> list[URLPattern]:  # type: ignore[no-untyped-def]
    """Every page in Danish at its path and in English at the same path under /en/."""
    return [path(route, view, name=name), path("en/" + route, view, name=name + "-en")]


urlpatterns: list[URLPattern | URLResolver] = [
    *_both("", views.national, "home"),
    *_both("soeg", views.search_page, "search"),
    *_both("kommune/<str:code>", views.municipality, "municipality"),
    *_both("kommune/<str:code>/oversigt", views.overview, "overview"),
    *_both("kommune/<str:code>/oversigt/indlejr", views.overview_embed, "overview-embed"),
    *_both("institution/<str:institution_id>", views.institution, "institution"),
    *_both("bestemmelse/<str:act>", views.provision, "act"),
    *_both("bestemmelse/<str:act>/<path:reference>", views.provision, "provision"),
    *_both("beslutning/<str:decision_id>", views.decision, "decision"),
    *_both("beslutninger", views.decisions, "decisions"),
    *_both("data", views.open_data, "open-data"),
    path("data/frisat-register.json", views.bulk_download, name="bulk"),
    path("_minimal", views.minimal, name="minimal"),
    path("api/v1/", api.urls),
    # staff: municipal case workers, institution leaders and the ministry (log-in required)
    path("forvaltning/", include("frisat.workflow.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "frisat.web.errors.bad_request"
handler403 = "frisat.web.errors.permission_denied"
handler404 = "frisat.web.errors.page_not_found"
handler500 = "frisat.web.errors.server_error"
