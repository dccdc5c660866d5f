"""Issue 14, finding 1: a municipal editor could move another municipality's institution into
their own. Permissions now look at who holds each record in the register, not at what the
bundle claims (accounts/permissions.py; the full matrix is test_permission_matrix.py)."""

from __future__ import annotations

import pytest
from sechelp import post_bundle

from frisat.registry import models as db
from frisat.workflow import services

pytestmark = pytest.mark.django_db

HOLBAEK_SCHOOL = "280295"  # Bjergmarkskolen, Holbæk (316), in the shipped STIL extract


def institution_entry(ident: str, municipality: int, start: str, end: str | None = None):
    """The institution's stored record, as a bundle sends it, with one new membership."""
    inst = db.Institution.objects.get(pk=ident)
    return {"format": "frisat-bundle/1", "institutions": [{
        "id": inst.id, "name": inst.name, "source": inst.source, "example": inst.example,
        "requested": inst.requested, "memberships": [{
            "municipality": municipality, "area": "folkeskole", "kind": "folkeskole",
            "from": start, "to": end}]}]}


def test_an_editor_cannot_move_another_municipalitys_school_into_their_own(token):
    doc = institution_entry(HOLBAEK_SCHOOL, 217, "2026-01-01")
    before = db.Membership.objects.filter(institution_id=HOLBAEK_SCHOOL).count()
    r = post_bundle(doc, token["editor"])
    assert r.status_code == 403, r.content
    error = r.json()["errors"][0]
    assert error["code"] == "forbidden"
    assert f"institutions.{HOLBAEK_SCHOOL}" in error["message"]
    assert "hører til kommune 316" in error["message"]
    assert db.Membership.objects.filter(institution_id=HOLBAEK_SCHOOL).count() == before
    assert set(db.Membership.objects.filter(institution_id=HOLBAEK_SCHOOL)
               .values_list("municipality_id", flat=True)) == {316}


def test_the_same_move_is_the_ministrys_to_make(users, token):
    doc = institution_entry(HOLBAEK_SCHOOL, 217, "2026-01-01")
    r = post_bundle(doc, token["ministry"])
    assert r.status_code == 200, r.content
    assert r.json()["added"] == {"memberships": 1}


def test_an_editor_may_still_close_an_institution_their_municipality_holds(users):
    own = (db.Membership.objects.filter(municipality_id=217, area_id="folkeskole")
           .select_related("institution").first())
    assert own is not None
    doc = institution_entry(own.institution_id, 217, "2027-08-01", "2028-08-01")
    result = services.load_as(users["editor"], doc)
    assert result.added == {"memberships": 1}


def test_the_bundles_claim_does_not_make_an_act_the_editors_own(token):
    """An act of another municipality sent as if it were one's own, with a repeal of it."""
    other = db.Act.objects.filter(level="municipal").exclude(municipality_id=217).first()
    assert other is not None
    doc = {"format": "frisat-bundle/1",
           "acts": [{"key": other.key, "level": "municipal", "municipality": 217,
                     "title": other.title, "areas": ["dagtilbud"]}],
           "repeals": [{"act": other.key, "ref": "", "from": "2026-02-01"}]}
    r = post_bundle(doc, token["editor"])
    assert r.status_code == 403
    message = r.json()["errors"][0]["message"]
    assert f"acts.{other.key}" in message and f"repeals.{other.key}" in message
