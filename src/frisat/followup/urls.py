"""Follow-up URLs: results, lessons and the briefing (Danish, and English under /en/), the
staff page for lessons."""

from __future__ import annotations

from django.urls import URLPattern, path

from frisat.followup import views


def _both(route: str, view, name: str) -> list[URLPattern]:  # type: ignore[no-untyped-def]
    return [path(route, view, name=name), path("en/" + route, view, name=name + "-en")]


urlpatterns: list[URLPattern] = [
    *_both("resultater", views.results, "results"),
    *_both("resultater/<str:regime>/<str:indicator>", views.result, "result"),
    *_both("resultater/<str:regime>/<str:indicator>/<str:name>.svg", views.chart,
           "result-chart"),
    *_both("erfaringer", views.lessons_list, "lessons"),
    *_both("erfaringer/<str:key>", views.lesson, "lesson"),
    *_both("notat", views.briefing_page, "briefing"),
    *_both("notat.pdf", views.briefing_pdf, "briefing-pdf"),
    path("forvaltning/erfaringer", views.staff_lessons, name="staff-lessons"),
    path("forvaltning/erfaringer/<str:key>", views.staff_lessons, name="staff-lesson"),
]
