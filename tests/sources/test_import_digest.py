"""An unchanged consolidation imported again is known as a no-op without reading the act's
rows, and reports exactly what the full comparison reports; anything else is compared."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from frisat.engine.model import Exclusion
from frisat.registry import models as db
from frisat.registry import store
from frisat.registry.errors import Rejected
from frisat.registry.loader import load
from frisat.sources import import_digest
from frisat.sources.acts import ImportResult, import_act
from frisat.sources.lexdania import parse

pytestmark = pytest.mark.django_db

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lexdania"
KEY = "eksempelloven"
T0 = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)
TABLES = (db.Act, db.Provision, db.Version, db.Record, db.Load)


def xml(name: str) -> str:
    return (FIX / name).read_text(encoding="utf-8")


def at(hours: int) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def report(r: ImportResult) -> dict[str, Any]:
    return {"changes": r.changes, "warnings": r.warnings, "added": r.added,
            "skipped": r.skipped, "in_force": r.in_force, "designation": r.designation,
            "dry_run": r.dry_run}


def rows() -> dict[str, int]:
    return {t.__name__: t.objects.count() for t in TABLES}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The acts whose rows ``store.read_world`` reads."""
    seen: list[str | None] = []
    real = store.read_world

    def spy(**kw: Any) -> Any:
        seen.append(kw.get("act"))
        return real(**kw)

    monkeypatch.setattr(store, "read_world", spy)
    return seen


def again(data: str, reads: list[str | None], monkeypatch: pytest.MonkeyPatch,
          **kw: Any) -> ImportResult:
    """Import ``data`` again: compared in full (then undone), and as kept; both report
    the same, store nothing, and the second reads no rows."""
    before = rows()
    with monkeypatch.context() as mp, transaction.atomic():
        mp.setattr(import_digest, "noop", lambda *a: None)
        full = import_act(parse(data), **kw)
        transaction.set_rollback(True)
    assert full.noop
    del reads[:]
    kept = import_act(parse(data), **kw)
    assert reads == []  # not one row of the act read
    assert report(kept) == report(full)
    assert rows() == before
    return kept


def test_the_same_consolidation_again_reads_nothing_and_reports_as_compared(
        reads: list[str | None], monkeypatch: pytest.MonkeyPatch) -> None:
    v1, v2 = xml("consolidation-v1.xml"), xml("consolidation-v2.xml")
    import_act(parse(v1), key=KEY, areas=["dagtilbud"], now=at(1))
    assert again(v1, reads, monkeypatch, key=KEY, now=at(2)).skipped == 14
    import_act(parse(v2), key=KEY, now=at(3))
    again(v2, reads, monkeypatch, key=KEY, now=at(4))
    again(v2, reads, monkeypatch, key=KEY, now=at(5), dry_run=True)


def test_a_renumbered_listing_is_reported_unresolved_when_imported_again(
        reads: list[str | None], monkeypatch: pytest.MonkeyPatch) -> None:
    v1, v2 = xml("consolidation-v1.xml"), xml("consolidation-v2.xml")
    import_act(parse(v1), key=KEY, areas=["dagtilbud"], now=at(1))
    load({"format": "frisat-bundle/1", "regimes": [{
        "key": "eksempel-ordning", "title": "Eksempel", "kind": "velfaerdsaftale",
        "legal_basis": "eksempel", "shape": "listed", "acts": [KEY],
        "deviable": [f"{KEY} § 4", f"{KEY} § 3"], "guardrails": [f"{KEY} § 5"]}]}, now=at(2))
    first = import_act(parse(v2), key=KEY, now=at(3))
    assert "listing_renumbered" in {w.code for w in first.warnings}
    r = again(v2, reads, monkeypatch, key=KEY, now=at(4))
    assert {(w.code, w.path) for w in r.warnings} == {
        ("listing_unresolved", "regimes[eksempel-ordning].deviable"),
        ("listing_unresolved", "regimes[eksempel-ordning].guardrails")}


def test_into_a_shipped_act_with_its_listings(reads: list[str | None],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = xml("consolidation-v1.xml").replace("<PopularTitle>Eksempelloven</PopularTitle>",
                                                  "")
    import_act(parse(shipped), key="dagtilbudsloven", now=at(1))
    r = again(shipped, reads, monkeypatch, key="dagtilbudsloven", now=at(2))
    assert r.skipped > 700 and {w.code for w in r.warnings} == {"listing_unresolved"}


def test_anything_else_is_compared_in_full(reads: list[str | None]) -> None:
    v1, v2 = xml("consolidation-v1.xml"), xml("consolidation-v2.xml")
    import_act(parse(v1), key=KEY, areas=["dagtilbud"], now=at(1))
    ex = Exclusion(regime="velfaerdsaftale-dagtilbud", area=None, basis="LOV nr. 3 af 2021")
    del reads[:]
    with pytest.raises(Rejected):  # as known a second earlier, the act is not there yet
        import_act(parse(v1), key=KEY, now=at(1) - dt.timedelta(seconds=1))
    assert import_act(parse(v1), key=KEY, now=at(2), exclusions=[ex]).noop
    assert import_act(parse(v1), key=KEY, now=at(2), when=dt.date(2020, 3, 1)).noop
    assert reads == [KEY, KEY, KEY]  # an earlier record time, other exclusions, a date
    import_act(parse(v2), key=KEY, now=at(3), dry_run=True)  # a dry run keeps nothing
    del reads[:]
    import_act(parse(v2), key=KEY, now=at(3))
    assert reads == [KEY]
    # another load in between, whatever it holds: compared in full, then kept again
    load({"format": "frisat-bundle/1", "areas": [{"key": "ny", "name": "Ny"}]}, now=at(4))
    del reads[:]
    assert import_act(parse(v2), key=KEY, now=at(5)).noop
    assert import_act(parse(v2), key=KEY, now=at(6)).noop
    assert reads == [KEY]


def test_an_amending_act_is_always_compared() -> None:
    assert import_digest.digest(parse(xml("amending-act.xml")), KEY, dt.date(2022, 1, 1),
                                ()) is None
    v1 = parse(xml("consolidation-v1.xml"))
    one = import_digest.digest(v1, KEY, dt.date(2022, 1, 1), ())
    assert one is not None and one != import_digest.digest(v1, "andet", dt.date(2022, 1, 1),
                                                           ())
