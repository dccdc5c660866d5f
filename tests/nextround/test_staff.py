"""The staff pages for applications: a municipal editor drafts, submits; the ministry sees
the notice and answers; a viewer cannot write; errors come back beside the form."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from frisat.accounts.models import Profile
from frisat.accounts.permissions import Actor
from frisat.nextround import services
from frisat.nextround.models import Application

pytestmark = pytest.mark.django_db


def login(name: str, role: str, municipality: int | None = None) -> Client:
    user = get_user_model().objects.create_user(username=name, password="en lang adgangskode")
    Profile.objects.create(user=user, role=role, municipality=municipality)
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def round_() -> Any:
    return services.create_round(Actor("min", "ministry"), {
        "key": "eksempel-staff", "title": "Eksempel: runde", "regime": "frikommune-2",
        "opens_on": "2000-01-01", "deadline": "2099-12-31", "example": True})


def test_draft_submit_and_answer_through_the_pages(round_: Any) -> None:
    editor = login("red", "municipal_editor", 751)
    ministry = login("min", "ministry")
    viewer = login("laes", "municipal_viewer", 751)
    assert editor.get("/forvaltning/ansoegninger").status_code == 200
    assert Client().get("/forvaltning/ansoegninger").status_code == 302  # to the login
    form = {"round": "eksempel-staff", "area": "aeldre", "title": "Eksempel: anmeldt tilsyn",
            "purpose": "Eksempel", "expected_results": "Eksempel",
            "period_from": "2018-04-01", "period_to": "2019-04-01",
            "targets": "serviceloven § 151, stk. 2 (delvist)\nserviceloven § 151 a, stk. 2"}
    bad = editor.post("/forvaltning/ansoegning/ny", {**form, "title": ""})
    assert bad.status_code == 400 and "Ansøgningen skal have en titel" in bad.content.decode()
    assert viewer.post("/forvaltning/ansoegning/ny", form).status_code == 400
    r = editor.post("/forvaltning/ansoegning/ny", form)
    assert r.status_code == 302
    app = Application.objects.get()
    assert app.targets[0]["extent"] == "partial" and app.municipality == 751
    assert editor.post(f"/forvaltning/ansoegning/{app.id}/indsend",
                       {"version": app.version}).status_code == 302
    app.refresh_from_db()
    assert app.state == "submitted"
    overview = ministry.get("/forvaltning/ansoegninger").content.decode()
    assert "Markér som læst" in overview and app.title in overview
    page = ministry.get(f"/forvaltning/ansoegning/{app.id}").content.decode()
    assert "Ministeriets afgørelse" in page
    no = editor.post(f"/forvaltning/ansoegning/{app.id}/afgoer",
                     {"version": app.version, "approved": ["serviceloven § 151, stk. 2"]})
    assert no.status_code == 400 and "forbidden" in no.content.decode()
    ok = ministry.post(f"/forvaltning/ansoegning/{app.id}/afgoer", {
        "version": app.version, "approved": ["serviceloven § 151, stk. 2"],
        "reasons": "Eksempel: § 151 a afslås", "legal_basis": "LBK nr. 831 af 25/06/2018 § 29"})
    assert ok.status_code == 302
    app.refresh_from_db()
    assert app.state == "partly_approved"
    assert "Delvist godkendt" in editor.get("/forvaltning/ansoegninger").content.decode()
