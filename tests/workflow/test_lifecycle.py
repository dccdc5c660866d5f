"""The decision lifecycle and its permissions (issue: the decision register).

Every role × every write action × own / other municipality, through the services that
forms and API share, and through the API itself; published decisions stay immutable; two
editors on one draft get a clear conflict, never a lost update.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from frisat.accounts.models import ApiToken, Profile
from frisat.registry import models as db
from frisat.registry.errors import Rejected
from frisat.workflow import services
from frisat.workflow.models import AuditEntry, Draft, Notice

pytestmark = pytest.mark.django_db

OWN, OTHER = 217, 840  # Helsingør and Rebild: both covered for dagtilbud
ELVERHOEJEN = "frisat-217-boernehuset-elverhoejen"
KASSEROLLEN = "frisat-217-boernehuset-kasserollen"


def make_user(name: str, role: str | None, municipality: int | None = None,
              institution: str | None = None) -> Any:
    user = get_user_model().objects.create_user(username=name, password="en lang adgangskode")
    if role:
        Profile.objects.create(user=user, role=role, municipality=municipality,
                               institution=institution)
    return user


@pytest.fixture
def users() -> dict[str, Any]:
    return {
        "ministry": make_user("min", "ministry"),
        "editor": make_user("red", "municipal_editor", OWN),
        "viewer": make_user("laes", "municipal_viewer", OWN),
        "leader": make_user("leder", "institution_leader", OWN, ELVERHOEJEN),
        "norole": make_user("ingen", None),
    }


def decision(id_: str, municipality: int = OWN, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": id_, "municipality": municipality, "regime": "velfaerdsaftale-dagtilbud",
        "title": "Eksempel: forældrebestyrelse efter egen model", "example": True,
        "decided_by": {"body": "council"}, "effective_from": "2025-03-01",
        "scope": {"institutions": "all"},
        "targets": [{"citation": "dagtilbudsloven § 14, stk. 1", "extent": "whole"}],
        # published before the day it is registered: the publication's address is evidence
        "source_url": "https://kommune.example/samlet-oversigt/eksempel",
    }
    data.update(extra)
    return data


def leader_decision(id_: str) -> dict[str, Any]:
    return decision(id_, decided_by={"body": "institution", "institution": ELVERHOEJEN},
                    scope={"institutions": [ELVERHOEJEN]})


# -- the permission matrix ----------------------------------------------------------------

CREATE_CASES = [
    ("ministry", OWN, True), ("ministry", OTHER, True),
    ("editor", OWN, True), ("editor", OTHER, False),
    ("viewer", OWN, False), ("viewer", OTHER, False),
    ("norole", OWN, False),
]


@pytest.mark.parametrize(("who", "municipality", "allowed"), CREATE_CASES)
def test_create_draft_permission(users, who, municipality, allowed):
    data = decision(f"{municipality}-2025-9{who}", municipality)
    if allowed:
        draft, _ = services.save_draft(users[who], data)
        assert draft.version == 1
    else:
        with pytest.raises(services.Forbidden):
            services.save_draft(users[who], data)
        assert not Draft.objects.filter(pk=data["id"]).exists()


def test_institution_leader_only_for_own_institution(users):
    draft, _ = services.save_draft(users["leader"], leader_decision("217-2025-9leder"))
    assert draft.municipality == OWN
    wider = decision("217-2025-9leder-alle",
                     decided_by={"body": "institution", "institution": ELVERHOEJEN})
    with pytest.raises(services.Forbidden):
        services.save_draft(users["leader"], wider)  # scope: the whole municipality
    other_inst = decision("217-2025-9leder-anden",
                          decided_by={"body": "institution", "institution": KASSEROLLEN},
                          scope={"institutions": [KASSEROLLEN]})
    with pytest.raises(services.Forbidden):
        services.save_draft(users["leader"], other_inst)


@pytest.mark.parametrize("who", ["editor", "viewer", "leader", "norole"])
def test_no_one_but_the_owner_changes_adopts_or_publishes_another_municipalitys_draft(
        users, who):
    draft, _ = services.save_draft(users["ministry"], decision("840-2025-9001", OTHER))
    with pytest.raises(services.Forbidden):
        services.save_draft(users[who], decision("840-2025-9001", OTHER, title="ændret"), 1)
    with pytest.raises(services.Forbidden):
        services.adopt(users[who], draft.id, 1, body="council", decided_on=dt.date(2025, 1, 15))
    draft.refresh_from_db()
    assert (draft.version, draft.state, draft.data["title"]) == (1, "draft",
                                                                 decision("x")["title"])


def test_viewer_can_never_write_own_municipality(users):
    draft, _ = services.save_draft(users["editor"], decision("217-2025-9002"))
    with pytest.raises(services.Forbidden):
        services.save_draft(users["viewer"], decision("217-2025-9002", title="x"), 1)
    with pytest.raises(services.Forbidden):
        services.adopt(users["viewer"], draft.id, 1, body="council",
                       decided_on=dt.date(2025, 1, 15))


def test_only_the_ministry_handles_notices(users):
    notice = Notice.objects.create(decision="217-2025-9009", municipality=OWN,
                                   created_at=dt.datetime.now(dt.UTC))
    for who in ("editor", "viewer", "leader", "norole"):
        with pytest.raises(services.Forbidden):
            services.mark_notice_read(users[who], notice.pk, "set")
    done = services.mark_notice_read(users["ministry"], notice.pk, "Set, ingen bemærkninger")
    assert done.read_at is not None and done.comment == "Set, ingen bemærkninger"


# -- lifecycle ------------------------------------------------------------------------------


def publish_flow(user: Any, data: dict[str, Any]) -> None:
    draft, _ = services.save_draft(user, data)
    draft = services.adopt(user, draft.id, draft.version, body="council",
                           decided_on=dt.date(2025, 1, 15))
    services.publish(user, draft.id, draft.version, published_on=dt.date(2025, 2, 1))


def test_publish_enters_the_register_notifies_and_audits(users):
    publish_flow(users["editor"], decision("217-2025-9010"))
    stored = db.Decision.objects.get(pk="217-2025-9010")
    assert stored.published_on == dt.date(2025, 2, 1)
    assert Notice.objects.filter(decision="217-2025-9010", read_at=None).exists()
    actions = list(AuditEntry.objects.filter(record="decision:217-2025-9010")
                   .values_list("action", flat=True))
    assert actions == ["draft.create", "draft.adopt", "decision.publish"]


def test_publishing_a_guardrail_target_is_rejected_and_changes_nothing(users):
    data = decision("217-2025-9011",
                    targets=[{"citation": "dagtilbudsloven § 23, stk. 1", "extent": "whole"}])
    draft, found = services.save_draft(users["editor"], data)
    assert "guardrail" in {p.code for p in found}  # shown while drafting
    with pytest.raises(Rejected):  # and not adopted
        services.adopt(users["editor"], draft.id, draft.version, body="council",
                       decided_on=dt.date(2025, 1, 15))
    # adopted all the same, as a draft adopted before the register changed would be:
    # publishing checks again
    Draft.objects.filter(pk=draft.id).update(
        state="adopted", data={**draft.data, "decided_on": "2025-01-15"})
    draft = Draft.objects.get(pk=draft.id)
    with pytest.raises(Rejected) as info:
        services.publish(users["editor"], draft.id, draft.version,
                         published_on=dt.date(2025, 2, 1))
    assert any(e.code == "guardrail" and e.path.startswith("targets[0]")
               for e in info.value.errors)
    assert not db.Decision.objects.filter(pk="217-2025-9011").exists()
    assert Draft.objects.get(pk="217-2025-9011").state == "adopted"
    assert not Notice.objects.filter(decision="217-2025-9011").exists()


def test_too_early_publication_is_rejected(users):
    draft, _ = services.save_draft(users["editor"], decision("217-2025-9012"))
    draft = services.adopt(users["editor"], draft.id, draft.version, body="council",
                           decided_on=dt.date(2025, 1, 15))
    with pytest.raises(Rejected) as info:
        services.publish(users["editor"], draft.id, draft.version,
                         published_on=dt.date(2025, 3, 1))  # the effective day itself
    assert [e.path for e in info.value.errors if e.code == "too_early"] == ["effective_from"]


def test_committee_without_delegation_cannot_adopt(users):
    draft, _ = services.save_draft(users["editor"], decision("217-2025-9013"))
    with pytest.raises(Rejected) as info:
        services.adopt(users["editor"], draft.id, draft.version, body="committee",
                       name="Børne- og Uddannelsesudvalget", decided_on=dt.date(2025, 1, 15))
    assert {e.code for e in info.value.errors} == {"delegation"}


def test_published_decision_cannot_be_edited_through_any_path(users):
    publish_flow(users["editor"], decision("217-2025-9014"))
    changed = decision("217-2025-9014", title="ændret efter offentliggørelse")
    with pytest.raises(Rejected) as info:
        services.save_draft(users["editor"], changed)
    assert info.value.errors[0].code == "immutable"
    with pytest.raises(Rejected) as info:
        services.load_as(users["editor"], {"format": "frisat-bundle/1",
                                           "decisions": [changed | {"published_on": "2025-02-01"}]})
    assert info.value.errors[0].code == "immutable"
    assert db.Decision.objects.get(pk="217-2025-9014").title == decision("x")["title"]


def test_a_correction_is_a_revoking_decision_and_past_answers_stay(users):
    from frisat.queries.common import now
    from frisat.queries.overview import overview as overview_of
    from frisat.queries.status import status as status_of
    from frisat.registry.snapshot import snapshot

    def status(day: dt.date) -> dict:  # type: ignore[type-arg]
        return dict(status_of(snapshot(now()), OWN, "dagtilbud", "dagtilbudsloven § 14, stk. 1",
                              day, now()))

    publish_flow(users["editor"], decision("217-2025-9015"))
    before = status(dt.date(2025, 4, 1))
    assert before["status"] == "set_aside"
    publish_flow(users["editor"], decision(
        "217-2025-9016", effective_from="2025-05-01", revokes=["217-2025-9015"],
        targets=[{"citation": "dagtilbudsloven § 14, stk. 1", "extent": "partial",
                  "note": "Kun valgperioden"}]))
    after = status(dt.date(2025, 4, 1))
    assert after["status"] == before["status"]  # April 2025 is answered as before
    later = status(dt.date(2025, 6, 1))
    assert later["status"] == "partially_set_aside"
    overview = overview_of(snapshot(now()), OWN, dt.date(2025, 6, 1), now())
    states = {d["id"]: d["state"] for d in overview["decisions"]}
    assert states["217-2025-9015"] == "revoked" and states["217-2025-9016"] == "in_force"


# -- optimistic locking ---------------------------------------------------------------------


def test_two_editors_on_one_draft_get_one_clear_conflict(users):
    second = make_user("red2", "municipal_editor", OWN)
    draft, _ = services.save_draft(users["editor"], decision("217-2025-9020"))
    seen_by_both = draft.version
    services.save_draft(users["editor"], decision("217-2025-9020", title="Første ændring"),
                        seen_by_both)
    with pytest.raises(services.Conflict) as info:
        services.save_draft(second, decision("217-2025-9020", title="Anden ændring"),
                            seen_by_both)
    assert info.value.errors[0].code == "conflict"
    assert "ændret af en anden" in info.value.errors[0].message
    kept = Draft.objects.get(pk="217-2025-9020")
    assert (kept.data["title"], kept.version) == ("Første ændring", seen_by_both + 1)


# -- the API --------------------------------------------------------------------------------


def post_bundle(token: str | None, doc: dict[str, Any]) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().post("/api/v1/bundles", data=json.dumps(doc),
                         content_type="application/json", **headers)


def published(id_: str, municipality: int) -> dict[str, Any]:
    return {"format": "frisat-bundle/1", "decisions": [
        decision(id_, municipality, published_on="2025-02-01")]}


@pytest.mark.parametrize(("who", "municipality", "status"), [
    ("ministry", OTHER, 200), ("editor", OWN, 200), ("editor", OTHER, 403),
    ("viewer", OWN, 403), ("leader", OWN, 403), ("norole", OWN, 403),
])
def test_api_bundle_permissions(users, who, municipality, status):
    token = ApiToken.issue(users[who])
    before = db.Decision.objects.count()
    r = post_bundle(token, published(f"{municipality}-2025-9api-{who}", municipality))
    assert r.status_code == status, r.content
    assert db.Decision.objects.count() == before + (1 if status == 200 else 0)


def test_api_needs_a_valid_token():
    assert post_bundle(None, published("217-2025-9anon", OWN)).status_code == 401
    assert post_bundle("frisat_forkert", published("217-2025-9anon", OWN)).status_code == 401
    assert not db.Decision.objects.filter(pk="217-2025-9anon").exists()


def test_api_editor_cannot_touch_national_sections(users):
    token = ApiToken.issue(users["editor"])
    doc = {"format": "frisat-bundle/1", "coverage": [
        {"regime": "velfaerdsaftale-dagtilbud", "municipality": OWN, "area": "dagtilbud",
         "from": "2021-05-15", "to": "2031-01-01"}]}
    assert post_bundle(token, doc).status_code == 403


def test_api_bad_bundle_is_400_with_codes(users):
    token = ApiToken.issue(users["editor"])
    doc = published("217-2025-9bad", OWN)
    doc["decisions"][0]["targets"][0]["citation"] = "dagtilbudsloven § 999"
    r = post_bundle(token, doc)
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "unknown_provision"


def test_no_update_or_delete_endpoint_for_decisions():
    c = Client()
    for method in (c.put, c.patch, c.delete):
        r = method("/api/v1/decisions/217-2021-001")
        assert r.status_code in (404, 405)


def test_only_the_ministry_may_backdate_record_times(users):
    doc = published("217-2025-9backdate", OWN)
    doc["decisions"][0]["recorded_at"] = "2025-02-01"
    with pytest.raises(services.Forbidden):
        services.load_as(users["editor"], doc)
    # registered now; the time it claims is kept beside it as a claim (model.Claim)
    assert services.load_as(users["ministry"], doc).added == {"decisions": 1, "claims": 1}
