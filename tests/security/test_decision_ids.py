"""Issue 14, finding 7: decision ids were not validated ("../../etc/passwd", "/", 10,000
characters). Ids of decisions, exemptions and institutions — which become URLs such as
/beslutning/{id} — now match ``[0-9A-Za-zÆØÅæøå][0-9A-Za-zÆØÅæøå._-]{0,63}`` (docs/bundle.md),
in bundles, the API and the staff forms alike."""

from __future__ import annotations

import pytest
from django.test import Client
from sechelp import make_user, post_bundle

from frisat.registry import models as db
from frisat.registry.validate import ID_PATTERN
from frisat.workflow.models import Draft

pytestmark = pytest.mark.django_db

BAD = {"../../etc/passwd": "invalid_id", "/": "invalid_id", "a" * 10_000: "too_long",
       "217 2026 1": "invalid_id", "-217": "invalid_id", ".skjult": "invalid_id",
       "217/2026": "invalid_id", "217%2F2026": "invalid_id", "<b>217</b>": "invalid_id"}


@pytest.mark.parametrize("ident", list(BAD))
def test_a_bad_decision_id_is_refused_by_the_api(token, ident):
    doc = {"format": "frisat-bundle/1", "decisions": [{
        "id": ident, "municipality": 217, "regime": "velfaerdsaftale-dagtilbud",
        "decided_by": {"body": "council"}, "effective_from": "2025-03-01",
        "published_on": "2025-02-01", "targets": [{"citation": "dagtilbudsloven § 14"}]}]}
    r = post_bundle(doc, token["editor"])
    assert r.status_code == 400
    error = r.json()["errors"][0]
    assert (error["path"], error["code"]) == ("decisions[0].id", BAD[ident])
    assert db.Decision.objects.count() == db.Decision.objects.exclude(pk=ident).count()


@pytest.mark.parametrize("ident", ["../../etc/passwd", "/", "a" * 10_000])
def test_the_staff_form_gives_the_id_and_ignores_a_crafted_one(ident):
    # the staff form has no id field: a new draft gets its municipality's next free id
    # (docs/workflow.md), so a crafted id never becomes a decision's id or URL
    c = Client()
    c.force_login(make_user("sec-red", "municipal_editor", 217))
    r = c.post("/forvaltning/beslutning/ny", {
        "id": ident, "regime": "velfaerdsaftale-dagtilbud", "action": "save",
        "targets-0-citation": "dagtilbudsloven § 14, stk. 1", "effective_from": "2025-03-01"})
    assert r.status_code == 302
    (draft,) = Draft.objects.all()
    assert ID_PATTERN.fullmatch(draft.id) and draft.id.startswith("217-")
    assert draft.data["id"] == draft.id != ident


@pytest.mark.parametrize("ident", ["217-2021-004", "fk2-2018-017", "280295",
                                   "frisat-217-boernehuset-elverhoejen", "Æble_1.2", "9" * 64])
def test_real_ids_match_the_pattern(ident):
    assert ID_PATTERN.fullmatch(ident)


def test_every_shipped_id_matches_the_pattern():
    ids = [*db.Decision.objects.values_list("id", flat=True),
           *db.Exemption.objects.values_list("id", flat=True),
           *db.Institution.objects.values_list("id", flat=True)]
    assert len(ids) > 50
    assert [i for i in ids if not ID_PATTERN.fullmatch(i)] == []
