"""The next round's pages (Danish, and English under /en/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from frisat.nextround import views


def _both(route: str, view, name: str) -> list[URLPattern]:  # type: ignore[no-untyped-def]
    return [path(route, view, name=name), path("en/" + route, view, name=name + "-en")]


urlpatterns: list[URLPattern] = [
    *_both("naeste-runde", views.next_round, "next-round"),
    *_both("frikommuner", views.frikommuner, "frikommuner"),
    *_both("modeller", views.models, "models"),
    *_both("modeller/<int:code>/<slug:area>", views.model, "model"),
    *_both("scenarie", views.scenario_builder, "scenario-builder"),
    *_both("scenarie/<slug:key>", views.scenario, "scenario"),
    *_both("ansoegninger", views.applications, "applications"),
    *_both("ansoegning/<str:app_id>", views.application, "application"),
    *_both("kommune/<int:code>/frikommunevedtaegt", views.vedtaegt, "vedtaegt"),
]
