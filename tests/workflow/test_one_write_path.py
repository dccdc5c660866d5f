"""One write path (``registry.loader.load_records``): a decision written through the staff
form, the API and a bundle file is stored as the same record and meets the same checks; the
form never builds or parses a bundle."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from frisat.engine.model import EPOCH
from frisat.registry import store
from frisat.registry.errors import Rejected
from frisat.registry.loader import load
from frisat.workflow import services
from workflow.test_lifecycle import decision, make_user  # type: ignore[import-not-found]

pytestmark = pytest.mark.django_db

ID = "217-2025-9700"


def by_form(user: Any, data: dict[str, Any]) -> None:
    draft, _ = services.save_draft(user, data)
    draft = services.adopt(user, draft.id, draft.version, body="council",
                           decided_on=dt.date(2025, 1, 15))
    services.publish(user, draft.id, draft.version, published_on=dt.date(2025, 2, 1))


def as_published(data: dict[str, Any]) -> dict[str, Any]:
    return dict(data, decided_by={"body": "council", "name": ""}, decided_on="2025-01-15",
                published_on="2025-02-01", published=True)


def by_api(user: Any, data: dict[str, Any]) -> None:
    services.load_as(user, {"format": "frisat-bundle/1", "decisions": [as_published(data)]},
                     source="api")


def by_bundle(user: Any, data: dict[str, Any]) -> None:
    load({"format": "frisat-bundle/1", "decisions": [as_published(data)]}, source="fil.yaml")


WRITES = {"form": by_form, "api": by_api, "bundle": by_bundle}


def written(write: Any, data: dict[str, Any]) -> Any:
    """The stored decision (without its record time) or the refusal's codes; undone after."""
    user = make_user(f"red-{write.__name__}", "municipal_editor", 217)
    sid = transaction.savepoint()
    try:
        write(user, data)
        (found,) = [d for d in store.read_world().decisions if d.id == data["id"]]
        return dataclasses.replace(found, recorded_at=EPOCH)
    except Rejected as e:
        return sorted((x.path.removeprefix("decisions[0]").lstrip(".") or "decision", x.code)
                      for x in e.errors)
    finally:
        transaction.savepoint_rollback(sid)


def test_the_form_the_api_and_a_bundle_store_the_same_record():
    got = {name: written(write, decision(ID)) for name, write in WRITES.items()}
    assert got["form"] == got["api"] == got["bundle"]
    assert got["form"].targets[0].citation == "dagtilbudsloven § 14, stk. 1"


def test_the_form_the_api_and_a_bundle_meet_the_same_checks():
    bad = decision(ID, targets=[{"citation": "dagtilbudsloven § 23, stk. 1",
                                 "extent": "whole"}])  # a hegnspæl
    got = {name: written(write, bad) for name, write in WRITES.items()}
    assert got["form"] == got["api"] == got["bundle"]
    assert ("targets[0]", "guardrail") in got["form"] or any(
        code == "guardrail" for _, code in got["form"])


def test_the_form_path_parses_no_bundle(monkeypatch):
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the form path parsed a bundle")

    import frisat.registry.bundle as bundle
    import frisat.registry.loader as loader

    monkeypatch.setattr(bundle, "read_bundle_with_paths", refuse)
    monkeypatch.setattr(loader, "read_bundle_with_paths", refuse)
    monkeypatch.setattr(services, "read_bundle_with_paths", refuse)
    stored = written(by_form, decision(ID))
    assert not isinstance(stored, list), stored
    assert stored.published_on == dt.date(2025, 2, 1)


# -- the rules page's records (delegation, repeal, kept rule set) ---------------------------

DELEGATION = {"municipality": 217, "regime": "velfaerdsaftale-dagtilbud", "to": "committee",
              "name": "Børneudvalget (eksempel)", "institution": None,
              "decided_on": "2025-01-10"}


def delegation_by(how: str, data: dict[str, Any], monkeypatch: Any) -> Any:
    """The delegation the rules page or a bundle stores (without its record time), or the
    refusal's (field, code); undone after. The page's path must parse no bundle."""
    user = make_user(f"red-{how}", "municipal_editor", 217)
    sid = transaction.savepoint()
    try:
        if how == "form":
            import frisat.registry.loader as loader

            def refuse(*args: Any, **kwargs: Any) -> Any:
                raise AssertionError("the form path parsed a bundle")

            with monkeypatch.context() as patch:
                for module in (loader, services):
                    patch.setattr(module, "read_bundle_with_paths", refuse)
                services.record_as(user, "delegations", data)
        else:
            services.load_as(user, {"format": "frisat-bundle/1", "delegations": [data]},
                             source="api")
        (found,) = [d for d in store.read_world().delegations
                    if d.name == "Børneudvalget (eksempel)"]
        return dataclasses.replace(found, recorded_at=EPOCH)
    except Rejected as e:
        return sorted((x.path.removeprefix("delegations[0]").lstrip("."), x.code)
                      for x in e.errors)
    finally:
        transaction.savepoint_rollback(sid)


@pytest.mark.parametrize("data", [
    DELEGATION,
    dict(DELEGATION, decided_on="2025-02-30"),  # no such day
    dict(DELEGATION, regime="ingen-ordning"),  # no such regime
    dict(DELEGATION, to="council"),  # never the council itself
], ids=["good", "bad-date", "unknown-regime", "to-council"])
def test_the_rules_page_and_a_bundle_store_the_same_delegation(data, monkeypatch):
    form, api = (delegation_by(how, data, monkeypatch) for how in ("form", "api"))
    assert form == api
    if data is DELEGATION:
        assert not isinstance(form, list) and form.decided_on == dt.date(2025, 1, 10)
    else:
        assert isinstance(form, list) and form
