"""Issue 14, finding 8 and "reproducible time": institution leaders draft in the staff form
(it hard-coded ``decided_by: council``), within the council's delegation; an adopted draft
can go back to draft (audited); ``published_on`` may not lie in the future, and a date before
the day of registration needs the publication's address and is shown as "registreret efter
offentliggørelse"."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from frisat.accounts.models import ApiToken, Profile
from frisat.registry import models as db
from frisat.registry.errors import Rejected
from frisat.registry.loader import load
from frisat.workflow import services
from frisat.workflow.models import AuditEntry, Draft

pytestmark = pytest.mark.django_db

OWN = 217
ELVERHOEJEN = "frisat-217-boernehuset-elverhoejen"   # a Helsingør daycare unit of the register
PASSWORD = "en lang og god adgangskode"
EVIDENCE = "https://kommune.example/samlet-oversigt/eksempel"


def make_user(name: str, role: str, municipality: int | None = None,
              institution: str | None = None) -> Any:
    user = get_user_model().objects.create_user(username=name, password=PASSWORD)
    Profile.objects.create(user=user, role=role, municipality=municipality,
                           institution=institution)
    return user


def logged_in(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def form(**extra: str) -> dict[str, str]:
    return {"regime": "velfaerdsaftale-dagtilbud", "title": "Eksempel",
            "targets-0-citation": "dagtilbudsloven § 14, stk. 1", "targets-0-extent": "whole",
            "effective_from": "2025-03-01", "action": "save", **extra}


def created(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"].rsplit("/", 1)[1])


def delegate_to_the_institution() -> None:
    load({"format": "frisat-bundle/1", "delegations": [{
        "municipality": OWN, "regime": "velfaerdsaftale-dagtilbud", "to": "institution",
        "institution": ELVERHOEJEN, "name": "Eksempel: delegation til institutionen",
        "decided_on": "2024-06-01"}]}, source="eksempel")


# -- institution leaders -------------------------------------------------------------------

def test_a_leader_drafts_for_the_own_institution_in_the_form():
    leader = make_user("eksempel-leder", "institution_leader", OWN, ELVERHOEJEN)
    c = logged_in(leader)
    page = c.get("/forvaltning/beslutning/ny").content.decode()
    assert 'value="institution" selected' in page and ELVERHOEJEN in page
    data = Draft.objects.get(pk=created(c.post("/forvaltning/beslutning/ny", form()))).data
    assert data["decided_by"] == {"body": "institution", "institution": ELVERHOEJEN}
    assert data["scope"] == {"institutions": [ELVERHOEJEN]}


def test_a_leader_may_not_draft_for_another_institution_or_the_council():
    leader = make_user("eksempel-leder2", "institution_leader", OWN, ELVERHOEJEN)
    other = db.Membership.objects.filter(municipality_id=OWN).exclude(
        institution_id=ELVERHOEJEN).values_list("institution_id", flat=True).first()
    c = logged_in(leader)
    r = c.post("/forvaltning/beslutning/ny", form(
        decided_by_body="institution", decided_by_institution=other, institutions=other))
    assert r.status_code == 403
    r = c.post("/forvaltning/beslutning/ny", form(decided_by_body="council"))
    assert r.status_code == 403
    assert not Draft.objects.exists()


def test_a_leader_adopts_only_within_the_councils_delegation():
    leader = make_user("eksempel-leder3", "institution_leader", OWN, ELVERHOEJEN)
    c = logged_in(leader)
    d = Draft.objects.get(pk=created(c.post("/forvaltning/beslutning/ny", form())))
    r = c.post(f"/forvaltning/beslutning/{d.id}/vedtag",
               {"version": d.version, "decided_on": "2025-01-15"})
    assert r.status_code == 400 and 'data-code="delegation"' in r.content.decode()
    assert Draft.objects.get(pk=d.id).state == "draft"
    delegate_to_the_institution()
    r = c.post(f"/forvaltning/beslutning/{d.id}/vedtag",
               {"version": d.version, "decided_on": "2025-01-15"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.state == "adopted"
    assert d.data["decided_by"] == {"body": "institution", "name": "",
                                    "institution": ELVERHOEJEN}


# -- back from adopted to draft ------------------------------------------------------------

def adopted(user: Any, id_: str) -> Draft:
    data = {"id": id_, "municipality": OWN, "regime": "velfaerdsaftale-dagtilbud",
            "title": "Eksempel", "example": True, "decided_by": {"body": "council"},
            "effective_from": "2025-03-01", "scope": {"institutions": "all"},
            "targets": [{"citation": "dagtilbudsloven § 14, stk. 1", "extent": "whole"}]}
    draft, _ = services.save_draft(user, data)
    return services.adopt(user, draft.id, draft.version, body="council",
                          decided_on=dt.date(2025, 1, 15))


def test_an_adopted_draft_goes_back_to_draft_with_a_reason_in_the_audit_trail():
    editor = make_user("eksempel-red", "municipal_editor", OWN)
    d = adopted(editor, "217-2025-9310")
    c = logged_in(editor)
    r = c.post("/forvaltning/beslutning/217-2025-9310/genaabn", {"version": d.version})
    assert r.status_code == 400 and Draft.objects.get(pk=d.id).state == "adopted"
    r = c.post("/forvaltning/beslutning/217-2025-9310/genaabn",
               {"version": d.version, "reason": "Mødedatoen var forkert"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.state == "draft"
    entry = AuditEntry.objects.filter(record="decision:217-2025-9310",
                                      action="draft.reopen").get()
    assert entry.username == "eksempel-red"
    assert entry.before["state"] == "adopted"
    assert entry.after == {"state": "draft", "reason": "Mødedatoen var forkert"}
    # and it can be adopted again
    again = services.adopt(editor, d.id, d.version, body="council",
                           decided_on=dt.date(2025, 1, 16))
    assert again.state == "adopted" and again.data["decided_on"] == "2025-01-16"


def test_a_published_decision_cannot_go_back_to_draft():
    editor = make_user("eksempel-red2", "municipal_editor", OWN)
    d = adopted(editor, "217-2025-9311")
    services.publish(editor, d.id, d.version, published_on=dt.date(2025, 2, 1),
                     publication_url=EVIDENCE)
    d.refresh_from_db()
    with pytest.raises(Rejected) as info:
        services.reopen(editor, d.id, d.version, reason="for sent")
    assert info.value.errors[0].code == "invalid"
    assert Draft.objects.get(pk=d.id).state == "published"


def test_another_municipalitys_editor_cannot_reopen():
    editor = make_user("eksempel-red3", "municipal_editor", OWN)
    stranger = make_user("eksempel-fremmed", "municipal_editor", 840)
    d = adopted(editor, "217-2025-9312")
    with pytest.raises(services.Forbidden):
        services.reopen(stranger, d.id, d.version, reason="ikke min")
    assert Draft.objects.get(pk=d.id).state == "adopted"


@pytest.mark.parametrize(("role", "municipality", "institution", "may"), [
    ("ministry", None, None, True),
    ("municipal_editor", OWN, None, True),
    ("municipal_editor", 840, None, False),
    ("municipal_viewer", OWN, None, False),
    # a leader drafts for the own institution only; a council decision for all is not theirs
    ("institution_leader", OWN, ELVERHOEJEN, False),
])
def test_who_may_take_an_adoption_back(role, municipality, institution, may):
    editor = make_user("eksempel-red-matrix", "municipal_editor", OWN)
    who = make_user(f"eksempel-{role}-{municipality}", role, municipality, institution)
    d = adopted(editor, "217-2025-9313")
    if may:
        assert services.reopen(who, d.id, d.version, reason="Eksempel").state == "draft"
    else:
        with pytest.raises(services.Forbidden):
            services.reopen(who, d.id, d.version, reason="Eksempel")
        assert Draft.objects.get(pk=d.id).state == "adopted"
        assert not AuditEntry.objects.filter(record=f"decision:{d.id}",
                                             action="draft.reopen").exists()


# -- the publication date -----------------------------------------------------------------

def test_a_publication_date_in_the_future_is_refused_and_nothing_is_stored():
    editor = make_user("eksempel-red4", "municipal_editor", OWN)
    d = adopted(editor, "217-2025-9320")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(Rejected) as info:
        services.publish(editor, d.id, d.version, published_on=tomorrow)
    assert "future_publication" in [e.code for e in info.value.errors]
    assert not db.Decision.objects.filter(pk=d.id).exists()
    assert Draft.objects.get(pk=d.id).state == "adopted"


def test_a_future_publication_date_in_a_bundle_is_refused():
    ministry = make_user("eksempel-min", "ministry")
    token = ApiToken.issue(ministry)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    doc = {"format": "frisat-bundle/1", "decisions": [{
        "id": "217-2025-9321", "municipality": OWN, "regime": "velfaerdsaftale-dagtilbud",
        "decided_by": {"body": "council"}, "decided_on": "2025-01-15",
        "published_on": tomorrow, "effective_from": "2030-01-01",
        "scope": {"institutions": "all"}, "source_url": EVIDENCE, "example": True,
        "targets": [{"citation": "dagtilbudsloven § 14, stk. 1", "extent": "whole"}]}]}
    r = Client().post("/api/v1/bundles", data=json.dumps(doc), content_type="application/json",
                      HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 400
    assert "future_publication" in [e["code"] for e in r.json()["errors"]]
    assert not db.Decision.objects.filter(pk="217-2025-9321").exists()


def test_a_backdated_publication_needs_its_address_and_is_shown_as_registered_later():
    editor = make_user("eksempel-red5", "municipal_editor", OWN)
    d = adopted(editor, "217-2025-9322")
    with pytest.raises(Rejected) as info:
        services.publish(editor, d.id, d.version, published_on=dt.date(2025, 2, 1))
    assert [(e.path, e.code) for e in info.value.errors] == [
        ("source_url", "publication_evidence")]
    assert not db.Decision.objects.filter(pk=d.id).exists()
    services.publish(editor, d.id, d.version, published_on=dt.date(2025, 2, 1),
                     publication_url=EVIDENCE)
    stored = db.Decision.objects.get(pk=d.id)
    assert stored.source_url == EVIDENCE
    page = Client().get(f"/beslutning/{d.id}").content.decode()
    assert "registreret efter offentliggørelse" in page
    assert "registered after publication" in Client().get(f"/en/beslutning/{d.id}").content.decode()
    data = Client().get(f"/beslutning/{d.id}?format=json").json()
    assert data["published_on"] == "2025-02-01" and data["source_url"] == EVIDENCE
    assert data["recorded_at"][:10] > "2025-02-01"
    assert data["registered_after_publication"] is True
    api = Client().get(f"/api/v1/decisions/{d.id}").json()
    assert api["registered_after_publication"] is True and api["known_from"] is None


def test_a_decision_registered_on_its_publication_day_is_not_marked():
    from frisat.registry.publication import registered_after_publication as late

    on = dt.date(2025, 2, 1)
    assert late(on, dt.datetime.fromisoformat("2025-02-01T10:00:00+01:00")) is False
    assert late(on, dt.datetime.fromisoformat("2025-02-02T10:00:00+01:00")) is True
    assert late(None, dt.datetime.fromisoformat("2025-02-02T10:00:00+01:00")) is False


@pytest.mark.parametrize(("published", "recorded", "future", "later"), [
    # the day of registration is the Danish calendar day of the record time
    ("2025-02-02", "2025-02-01T23:30:00+00:00", False, False),   # 00:30 on the 2nd in Denmark
    ("2025-02-01", "2025-02-01T23:30:00+00:00", False, True),
    ("2025-02-03", "2025-02-01T23:30:00+00:00", True, False),
    ("2025-02-01", "2025-02-01T22:59:59+00:00", False, False),   # 23:59:59 on the 1st
    ("2025-02-02", "2025-02-01T22:59:59+00:00", True, False),
])
def test_the_day_of_registration_is_the_danish_day(published, recorded, future, later):
    from frisat.registry import publication

    on, at = dt.date.fromisoformat(published), dt.datetime.fromisoformat(recorded)
    assert publication.in_the_future(on, at) is future
    assert publication.registered_after_publication(on, at) is later
