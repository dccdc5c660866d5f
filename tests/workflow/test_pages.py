"""The staff pages: log-in with throttling, and the same permissions for crafted form posts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from test_lifecycle import make_user

from frisat.registry import models as db
from frisat.workflow.models import Draft

pytestmark = pytest.mark.django_db
PASSWORD = "en lang adgangskode"


def logged_in(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def form(municipality: int | None = None, **extra: str) -> dict[str, str]:
    """The decision form as the browser posts it (docs/workflow.md, "The decision form")."""
    return {**({"municipality": str(municipality)} if municipality else {}),
            "regime": "velfaerdsaftale-dagtilbud", "title": "Eksempel",
            "targets-0-citation": "dagtilbudsloven § 14, stk. 1", "targets-0-extent": "whole",
            "effective_from": "2025-03-01", "action": "save", **extra}


def created(response) -> str:  # type: ignore[no-untyped-def]
    """The id a new draft was given (the form redirects to the draft's page)."""
    assert response.status_code == 302, response.content.decode()[:3000]
    return str(response["Location"].rsplit("/", 1)[1])


def test_staff_pages_need_login():
    r = Client().get("/forvaltning/")
    assert r.status_code == 302 and r["Location"].startswith("/forvaltning/login")
    r = Client().post("/forvaltning/beslutning/ny", form())
    assert r.status_code == 302 and r["Location"].startswith("/forvaltning/login")
    assert not Draft.objects.exists()


def test_login_is_throttled_after_repeated_failures():
    make_user("red", "municipal_editor", 217)
    c = Client()
    for _ in range(5):
        r = c.post("/forvaltning/login", {"username": "red", "password": "forkert"})
        assert r.status_code == 200 and "mislykkedes" in r.content.decode()
    r = c.post("/forvaltning/login", {"username": "red", "password": PASSWORD})
    assert "For mange mislykkede forsøg" in r.content.decode()
    assert "_auth_user_id" not in c.session


def test_login_works_with_the_right_password():
    make_user("red", "municipal_editor", 217)
    c = Client()
    r = c.post("/forvaltning/login", {"username": "red", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/forvaltning/"
    assert "_auth_user_id" in c.session


def test_editor_drafts_through_the_form_and_sees_checks_by_the_field():
    c = logged_in(make_user("red", "municipal_editor", 217))
    first = created(c.post("/forvaltning/beslutning/ny", form()))
    assert Draft.objects.get(pk=first).data["targets"] == [
        {"citation": "dagtilbudsloven § 14, stk. 1", "extent": "whole", "note": ""}]
    bad = form(**{"targets-0-citation": "dagtilbudsloven § 23, stk. 1"})
    r = c.post("/forvaltning/beslutning/ny", bad)
    page = c.get(f"/forvaltning/beslutning/{created(r)}").content.decode()  # checks shown
    assert "hegnspæl" in page and 'data-code="guardrail"' in page


def test_crafted_post_for_another_municipality_is_refused():
    c = logged_in(make_user("red", "municipal_editor", 217))
    r = c.post("/forvaltning/beslutning/ny", form(840))
    assert r.status_code == 403
    assert not Draft.objects.exists()


def test_crafted_publish_of_another_municipalitys_draft_is_refused():
    ministry = make_user("min", "ministry")
    draft = Draft.objects.get(pk=created(logged_in(ministry).post("/forvaltning/beslutning/ny",
                                                                   form(840))))
    c = logged_in(make_user("red", "municipal_editor", 217))
    r = c.post(f"/forvaltning/beslutning/{draft.id}/vedtag",
               {"version": draft.version, "body": "council", "decided_on": "2025-01-15"})
    assert r.status_code == 403
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_editor_adopts_and_publishes_then_the_decision_is_public():
    c = logged_in(make_user("red", "municipal_editor", 217))
    d = Draft.objects.get(pk=created(c.post("/forvaltning/beslutning/ny", form())))
    r = c.post(f"/forvaltning/beslutning/{d.id}/vedtag",
               {"version": d.version, "body": "council", "decided_on": "2025-01-15"})
    assert r.status_code == 302
    d.refresh_from_db()
    r = c.post(f"/forvaltning/beslutning/{d.id}/offentliggoer",
               {"version": d.version, "published_on": "2025-02-01",
                "publication_url": "https://kommune.example/samlet-oversigt/eksempel"})
    assert r.status_code == 302
    assert db.Decision.objects.get(pk=d.id).published_on == dt.date(2025, 2, 1)
    overview = Client().get("/api/v1/municipalities/217/overview").json()
    assert d.id in {x["id"] for x in overview["decisions"]}


def test_stale_form_gets_a_conflict_page():
    editor = make_user("red", "municipal_editor", 217)
    c = logged_in(editor)
    d = created(c.post("/forvaltning/beslutning/ny", form()))
    c.post(f"/forvaltning/beslutning/{d}", form(version="1", title="Først"))
    r = c.post(f"/forvaltning/beslutning/{d}", form(version="1", title="Sidst"))
    assert r.status_code == 409 and "ændret af en anden" in r.content.decode()
    assert Draft.objects.get(pk=d).data["title"] == "Først"


@pytest.mark.parametrize("path", ["/forvaltning/meddelelser", "/forvaltning/ordninger",
                                  "/forvaltning/beslutninger", "/forvaltning/revision"])
def test_ministry_pages_are_for_the_ministry_only(path):
    assert logged_in(make_user("red", "municipal_editor", 217)).get(path).status_code == 403
    r = logged_in(make_user("min", "ministry")).get(path)
    assert r.status_code == 200


def test_regime_page_shows_the_extension_as_history():
    r = logged_in(make_user("min", "ministry")).get("/forvaltning/ordninger")
    page = r.content.decode()
    assert "2024-09-30" in page and "2025-07-31" in page


def test_delegation_form_registers_for_own_municipality_only():
    c = logged_in(make_user("red", "municipal_editor", 217))
    r = c.post("/forvaltning/regelsaet", {"kind": "delegation",
                                          "regime": "velfaerdsaftale-dagtilbud",
                                          "to": "committee", "name": "Børneudvalget (eksempel)",
                                          "decided_on": "2025-01-10"})
    assert r.status_code == 200 and "Registreret" in r.content.decode()
    assert db.Delegation.objects.filter(municipality_id=217, name__contains="eksempel").exists()
