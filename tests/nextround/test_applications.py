"""The frikommune application workflow: drafts, submission within the round's deadline,
the ministry's answer (refusal, partial approval, approval), the exemption it puts in the
register and its expiry, permissions, notices and the audit trail.

Rounds and applications here are examples (marked ``example``); the regime, the
municipalities and the provisions are real: Aarhus (751) was covered by frikommuneforsøg
II in elder care and is in network 6, whose § 29 power reaches serviceloven § 151, stk. 2.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from frisat.accounts.permissions import Actor
from frisat.nextround import services
from frisat.nextround.models import Application, Event
from frisat.registry.errors import Rejected
from frisat.workflow.models import AuditEntry

pytestmark = pytest.mark.django_db

AARHUS, ODENSE, FAVRSKOV = 751, 461, 710
MINISTRY = Actor("min", "ministry")
EDITOR = Actor("red-aarhus", "municipal_editor", AARHUS)
VIEWER = Actor("laes-aarhus", "municipal_viewer", AARHUS)
OTHER_EDITOR = Actor("red-odense", "municipal_editor", ODENSE)
CITIZEN = Actor("", None)


@pytest.fixture
def round_() -> Any:
    return services.create_round(MINISTRY, {
        "key": "eksempel-runde-2018", "title": "Eksempel: ansøgningsrunde 2018",
        "regime": "frikommune-2", "opens_on": "2018-01-01", "deadline": "2018-03-01",
        "example": True})


def application(**extra: Any) -> dict[str, Any]:
    data = {"round": "eksempel-runde-2018", "municipality": AARHUS, "area": "aeldre",
            "title": "Eksempel: anmeldt tilsyn på plejecentre",
            "purpose": "Afprøve anmeldt tilsyn i stedet for uanmeldt",
            "expected_results": "Mere dialog med plejecentrene; samme kvalitet",
            "period_from": "2018-04-01", "period_to": "2020-04-01",
            "targets": [{"citation": "serviceloven § 151, stk. 2", "extent": "partial",
                         "note": "1. pkt."},
                        {"citation": "serviceloven § 151 a, stk. 2", "extent": "partial"}],
            "example": True}
    data.update(extra)
    return data


def submitted(round_: Any) -> Application:
    app = services.create(EDITOR, application())
    return services.submit(EDITOR, app.id, app.version, today=dt.date(2018, 2, 1))


def status(code: int, citation: str, day: str) -> str:
    from frisat.queries.common import now
    from frisat.queries.status import status as ask
    from frisat.registry.snapshot import snapshot

    k = now()
    return ask(snapshot(k), code, "aeldre", citation, dt.date.fromisoformat(day), k)["status"]


def test_only_the_municipality_drafts_and_only_it_and_the_ministry_see_the_draft(
        round_: Any) -> None:
    for actor in (OTHER_EDITOR, VIEWER, MINISTRY, CITIZEN):
        with pytest.raises(Rejected) as e:
            services.create(actor, application())
        assert e.value.errors[0].code == "forbidden"
    app = services.create(EDITOR, application())
    assert app.state == "draft" and app.id == "eksempel-runde-2018-751-001"
    assert services.get(VIEWER, app.id) == app
    assert services.get(MINISTRY, app.id) == app
    for actor in (OTHER_EDITOR, CITIZEN):
        with pytest.raises(Rejected) as e:
            services.get(actor, app.id)
        assert e.value.errors[0].code == "not_found"
    assert app not in services.visible(OTHER_EDITOR)
    assert app in services.visible(EDITOR)


def test_bad_input_names_every_field_and_stores_nothing(round_: Any) -> None:
    before = Application.objects.count()
    with pytest.raises(Rejected) as e:
        services.create(EDITOR, application(
            title="", period_to="2018-01-01", area="ukendt",
            targets=[{"citation": "serviceloven § 9999"}, {"citation": "ikke en henvisning"}]))
    codes = {(x.path, x.code) for x in e.value.errors}
    assert ("title", "required") in codes
    assert ("period_to", "invalid") in codes
    assert ("area", "not_found") in codes
    assert ("targets[0].citation", "unknown_provision") in codes
    assert ("targets[1].citation", "unknown_provision") in codes
    assert all(x.message and x.message[0].isupper() for x in e.value.errors)
    assert Application.objects.count() == before


def test_a_network_application_needs_a_member(round_: Any) -> None:
    with pytest.raises(Rejected) as e:
        services.create(Actor("red", "municipal_editor", FAVRSKOV),
                        application(municipality=FAVRSKOV, network=6))
    assert e.value.errors[0].code == "not_member"


def test_deadline_and_optimistic_locking(round_: Any) -> None:
    app = services.create(EDITOR, application())
    with pytest.raises(Rejected) as e:
        services.submit(EDITOR, app.id, app.version, today=dt.date(2018, 3, 2))
    assert e.value.errors[0].code == "deadline_passed"
    edited = services.edit(EDITOR, app.id, app.version, {"title": "Eksempel: ny titel"})
    with pytest.raises(Rejected) as e:
        services.edit(EDITOR, app.id, app.version, {"title": "Eksempel: gammel udgave"})
    assert e.value.errors[0].code == "conflict"
    done = services.submit(EDITOR, app.id, edited.version, today=dt.date(2018, 3, 1))
    assert done.state == "submitted"
    with pytest.raises(Rejected) as e:
        services.edit(EDITOR, app.id, done.version, {"title": "Eksempel: for sent"})
    assert e.value.errors[0].code == "not_draft"
    # submission notifies the ministry
    assert [n.action for n in services.notices(MINISTRY)] == ["submitted"]
    assert list(services.notices(EDITOR)) == []


def test_only_the_ministry_decides_and_a_refusal_needs_reasons(round_: Any) -> None:
    app = submitted(round_)
    for actor in (EDITOR, OTHER_EDITOR, VIEWER, CITIZEN):
        with pytest.raises(Rejected) as e:
            services.decide(actor, app.id, app.version, {"approved": []})
        assert e.value.errors[0].code == "forbidden"
    with pytest.raises(Rejected) as e:
        services.decide(MINISTRY, app.id, app.version, {"approved": []})
    assert e.value.errors[0].code == "required" and e.value.errors[0].path == "reasons"
    refused = services.decide(MINISTRY, app.id, app.version,
                              {"approved": [], "reasons": "Eksempel: forsøget kan ikke "
                               "gennemføres uden at svække borgernes retssikkerhed"})
    assert refused.state == "refused" and refused.exemption == ""
    assert status(AARHUS, "serviceloven § 151, stk. 2", "2019-01-01") == "unknown"
    # the answer notifies the municipality; the trail is in the audit
    assert [n.after for n in services.notices(EDITOR)] == ["refused"]
    assert AuditEntry.objects.filter(record=f"ansøgning {app.id}",
                                     action="application.decided").exists()
    with pytest.raises(Rejected) as e:
        services.decide(MINISTRY, app.id, refused.version, {"approved": []})
    assert e.value.errors[0].code == "not_submitted"
    ev = Event.objects.filter(application=app).first()
    assert ev is not None
    with pytest.raises(PermissionError):
        ev.delete()
    ev.note = "rettet bagefter"
    with pytest.raises(PermissionError):
        ev.save()
    notice = services.notices(EDITOR).get()
    notice.read_at = dt.datetime.now(dt.UTC)
    notice.save(update_fields=["read_at"])  # the one change allowed, once
    with pytest.raises(PermissionError):
        notice.save(update_fields=["read_at"])
    assert list(services.notices(EDITOR)) == []
    with pytest.raises(PermissionError):
        Application.objects.get(id=app.id).delete()


def test_partial_approval_becomes_an_exemption_that_expires(round_: Any) -> None:
    app = submitted(round_)
    with pytest.raises(Rejected) as e:
        services.decide(MINISTRY, app.id, app.version,
                        {"approved": ["serviceloven § 151, stk. 2", "serviceloven § 83"],
                         "reasons": "Eksempel", "legal_basis": "LBK nr. 831 af 25/06/2018 § 29"})
    assert {x.code for x in e.value.errors} == {"not_applied_for"}
    with pytest.raises(Rejected) as e:
        services.decide(MINISTRY, app.id, app.version,
                        {"approved": ["serviceloven § 151, stk. 2"], "reasons": "Eksempel"})
    assert {x.path for x in e.value.errors} == {"legal_basis"}

    assert status(AARHUS, "serviceloven § 151, stk. 2", "2019-01-01") == "unknown"
    done = services.decide(MINISTRY, app.id, app.version, {
        "approved": ["serviceloven § 151, stk. 2"], "approved_on": "2018-03-15",
        "reasons": "Eksempel: § 151 a, stk. 2 afslås; tilsynet med friplejeboliger "
                   "fortsætter uanmeldt",
        "legal_basis": "LBK nr. 831 af 25/06/2018 § 29", "sector_ministry":
        "Sundheds- og Ældreministeriet"})
    assert done.state == "partly_approved" and done.exemption == app.id
    # the engine applies the exemption in the period approved, and not after it
    assert status(AARHUS, "serviceloven § 151, stk. 2", "2019-01-01") == \
        "partially_set_aside"
    assert status(AARHUS, "serviceloven § 151 a, stk. 2", "2019-01-01") == "unknown"
    # expired (the period is half-open) and not yet in effect: this exemption does not hold,
    # and the register does not know every approval of the municipality, so "unknown" as
    # before the approval (SEMANTICS §3.4: a known record that does not hold on D says
    # nothing of the ones the register does not know)
    assert status(AARHUS, "serviceloven § 151, stk. 2", "2020-04-01") == "unknown"
    assert status(AARHUS, "serviceloven § 151, stk. 2", "2018-03-31") == "unknown"


def test_approval_for_a_network_reaches_every_member(round_: Any) -> None:
    app = services.create(EDITOR, application(network=6, targets=[
        {"citation": "serviceloven § 151, stk. 2"}]))
    app = services.submit(EDITOR, app.id, app.version, today=dt.date(2018, 2, 1))
    done = services.decide(MINISTRY, app.id, app.version, {
        "approved": ["serviceloven § 151, stk. 2"], "legal_basis":
        "LBK nr. 831 af 25/06/2018 § 29"})
    assert done.state == "approved"
    # § 29 frees only 1. pkt. of § 151, stk. 2: even a whole approval sets it partly aside
    for code in (561, 101, 461, 730, 751):
        assert status(code, "serviceloven § 151, stk. 2", "2019-01-01") == \
            "partially_set_aside", code
    assert status(FAVRSKOV, "serviceloven § 151, stk. 2", "2019-01-01") == "applies"


def test_the_register_refuses_an_exemption_outside_coverage_and_nothing_is_decided(
        round_: Any) -> None:
    app = submitted(round_)
    with pytest.raises(Rejected) as e:
        services.decide(MINISTRY, app.id, app.version, {
            "approved": ["serviceloven § 151, stk. 2"], "legal_basis": "Eksempel",
            "reasons": "Eksempel", "from": "2024-01-01", "to": "2025-01-01"})
    assert e.value.errors[0].path.startswith("register.")
    assert Application.objects.get(id=app.id).state == "submitted"


@pytest.mark.parametrize("role", ["ministry", "municipal_editor", "municipal_viewer",
                                  "institution_leader", None])
def test_the_permission_matrix_for_applications(role: str | None) -> None:
    """Every role × own / other municipality × action, as the pure rules say."""
    from frisat.accounts import permissions as perm

    actor = Actor("x", role, AARHUS if role and role != "ministry" else None)
    own, other = AARHUS, ODENSE
    assert perm.may_edit_application(actor, own) is (role == "municipal_editor")
    assert perm.may_edit_application(actor, other) is False
    assert perm.may_decide_application(actor) is (role == "ministry")
    assert perm.may_manage_rounds(actor) is (role == "ministry")
    for state in ("draft", "withdrawn"):
        assert perm.may_read_application(actor, own, state) is (
            role in ("ministry", "municipal_editor", "municipal_viewer"))
        assert perm.may_read_application(actor, other, state) is (role == "ministry")
    for state in ("submitted", "approved", "partly_approved", "refused"):
        assert perm.may_read_application(actor, other, state) is True
