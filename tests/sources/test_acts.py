"""Importing LexDania acts into the register: versions chained, idempotent, atomic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from frisat.engine.model import Exclusion
from frisat.registry import models as db
from frisat.registry.errors import Rejected
from frisat.registry.export import to_bundle
from frisat.registry.loader import load
from frisat.registry.store import read_world
from frisat.sources.acts import derive_key, import_act, text_at
from frisat.sources.lexdania import parse, parse_file

pytestmark = pytest.mark.django_db

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lexdania"
KEY = "eksempelloven"
MODELS = (db.Act, db.Provision, db.Version, db.Regime, db.Load)


def doc(name: str):  # type: ignore[no-untyped-def]
    return parse_file(str(FIX / name))


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def imp(name: str, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("areas", ["dagtilbud"])
    return import_act(doc(name), key=KEY, **kw)


def text(ref: str, day: str) -> str | None:
    return text_at(read_world(), KEY, ref, dt.date.fromisoformat(day))


def test_default_key_comes_from_the_popular_title() -> None:
    assert derive_key(doc("consolidation-v1.xml")) == "eksempelloven"
    # no popular title: the shipped executive orders' key form
    assert derive_key(doc("lettered-paragraphs-unmarked-first-stk-numbered-lists.xml")) == \
        "bek-892-2021"


def test_first_import_stores_the_tree_and_the_official_text() -> None:
    r = imp("consolidation-v1.xml")
    assert r.added["acts"] == 1 and r.added["provisions"] == 12
    act = db.Act.objects.get(key=KEY)
    assert act.eli == "https://www.retsinformation.dk/eli/lta/2020/101"
    assert act.valid_from == dt.date(2020, 2, 1)
    p = db.Provision.objects.get(act=KEY, ref="§ 2, stk. 2, nr. 1")
    assert p.parent_ref == "§ 2, stk. 2"
    assert db.Provision.objects.get(act=KEY, ref="§ 3").parent_ref == "kapitel 2"
    v = db.Version.objects.get(act=KEY, ref="§ 2, stk. 1")
    assert v.text == "Kommunen sørger for tilbud. Tilbuddet skal være godt."
    assert v.enacted_by == "LBK nr. 101 af 15/01/2020"
    assert db.Version.objects.get(act=KEY, ref="kapitel 1").heading == "Formål"


def test_reimport_is_a_noop() -> None:
    imp("consolidation-v1.xml")
    before = counts()
    again = imp("consolidation-v1.xml")
    assert again.noop and again.added == {} and again.changes == []
    assert counts() == before


def test_v1_then_v2_gives_the_right_version_on_each_date() -> None:
    imp("consolidation-v1.xml")
    r = imp("consolidation-v2.xml")
    kinds = {(c.kind, c.ref) for c in r.changes}
    assert {("changed", "§ 2, stk. 1"), ("new", "§ 2 a"), ("changed", "§ 3"),
            ("ended", "§ 4"), ("renumbered", "§ 5"), ("new", "§ 6")} == kinds
    assert text("§ 2, stk. 1", "2022-05-31") == \
        "Kommunen sørger for tilbud. Tilbuddet skal være godt."
    assert text("§ 2, stk. 1", "2022-06-01") == \
        "Kommunen sørger for tilbud til alle. Tilbuddet skal være godt."
    assert text("§ 4", "2021-01-01") is not None and text("§ 4", "2022-06-01") is None
    assert text("§ 2 a", "2021-01-01") is None and text("§ 2 a", "2023-01-01") is not None
    assert text("§ 1", "2020-02-01") == text("§ 1", "2030-01-01")  # unchanged: one version
    assert db.Version.objects.filter(act=KEY, ref="§ 1").count() == 1
    # the new provision sits between its neighbours in the act's order
    order = {p.ref: p.order for p in db.Provision.objects.filter(act=KEY)}
    assert order["§ 2, stk. 2, nr. 2"] < order["§ 2 a"] < order["kapitel 2"]


def test_the_register_as_known_before_the_second_import_is_kept() -> None:
    first = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    imp("consolidation-v1.xml", now=first)
    imp("consolidation-v2.xml", now=first + dt.timedelta(days=1))
    w = read_world()
    assert text_at(w, KEY, "§ 4", dt.date(2023, 1, 1), known_at=first) is not None
    assert text_at(w, KEY, "§ 4", dt.date(2023, 1, 1)) is None


def test_a_renumbering_is_recorded_on_both_versions() -> None:
    imp("consolidation-v1.xml")
    imp("consolidation-v2.xml")
    old = db.Version.objects.filter(act=KEY, ref="§ 5").order_by("-id").first()
    new = db.Version.objects.get(act=KEY, ref="§ 6")
    assert old is not None and old.valid_to == dt.date(2022, 6, 1)
    assert old.note == "Omnummereret til § 6 ved LBK nr. 202 af 10/05/2022"
    assert new.note == "Tidligere § 5"
    assert new.text == old.text


def test_amending_act_then_consolidation_chain_the_versions() -> None:
    imp("consolidation-v1.xml")
    r = import_act(doc("amending-act.xml"), key=KEY)
    assert not r.warnings
    assert text("§ 2, stk. 1", "2022-01-01") == \
        "Kommunen sørger for tilbud til alle. Tilbuddet skal være godt."
    assert text("§ 3", "2021-12-31") == "Kommunen fører tilsyn."
    assert text("§ 3", "2022-01-01") == "Kommunen fører løbende tilsyn."
    assert text("§ 2 a", "2022-01-01") == "Kommunen kan samarbejde med andre kommuner."
    assert text("§ 4", "2022-01-01") is None
    assert db.Version.objects.filter(act=KEY, ref="§ 2 a").get().enacted_by == \
        "LOV nr. 3 af 01/12/2021"
    # the consolidation that prints the same text adds only the renumbering
    r2 = imp("consolidation-v2.xml")
    assert {(c.kind, c.ref) for c in r2.changes} == {("new", "§ 6"), ("renumbered", "§ 5")}


def test_amending_act_needs_the_law_it_amends() -> None:
    before = counts()
    with pytest.raises(Rejected) as e:
        import_act(doc("amending-act.xml"), key="ukendt-lov")
    assert e.value.errors[0].code == "unknown_act"
    assert counts() == before


def test_instructions_it_cannot_apply_are_reported() -> None:
    imp("consolidation-v1.xml")
    raw = (FIX / "amending-act.xml").read_text(encoding="utf-8")
    raw = raw.replace("ændres »tilsyn« til »løbende tilsyn«", "ændres »opsyn« til »syn«")
    r = import_act(parse(raw), key=KEY)
    assert [(w.code, w.path) for w in r.warnings] == [
        ("amendment_not_applied", "ændring § 1, nr. 4")]
    assert text("§ 3", "2022-01-01") == "Kommunen fører tilsyn."


def test_no_effect_for_clauses_attach_as_exclusions() -> None:
    imp("consolidation-v1.xml")
    ex = Exclusion(regime="velfaerdsaftale-dagtilbud", area=None, basis="LOV nr. 3 af 2021")
    import_act(doc("amending-act.xml"), key=KEY, exclusions=[ex])
    new = db.Version.objects.get(act=KEY, ref="§ 3", valid_from=dt.date(2022, 1, 1))
    assert new.exclusions == [{"regime": "velfaerdsaftale-dagtilbud", "area": None,
                               "basis": "LOV nr. 3 af 2021"}]
    unchanged = db.Version.objects.get(act=KEY, ref="§ 1")
    assert unchanged.exclusions == []


def test_listings_that_no_longer_resolve_are_reported_and_kept() -> None:
    imp("consolidation-v1.xml")
    load({"format": "frisat-bundle/1", "regimes": [{
        "key": "eksempel-ordning", "title": "Eksempel", "kind": "velfaerdsaftale",
        "legal_basis": "eksempel", "shape": "listed", "acts": [KEY],
        "deviable": [f"{KEY} § 4", f"{KEY} § 3"], "guardrails": [f"{KEY} § 5"]}]})
    r = imp("consolidation-v2.xml")
    got = {(w.code, w.path) for w in r.warnings}
    assert got == {("listing_unresolved", "regimes[eksempel-ordning].deviable"),
                   ("listing_renumbered", "regimes[eksempel-ordning].guardrails")}
    assert db.Listing.objects.filter(regime_id="eksempel-ordning").count() == 3


def test_dry_run_reports_and_stores_nothing() -> None:
    before = counts()
    r = imp("consolidation-v1.xml", dry_run=True)
    assert r.dry_run and r.added["provisions"] == 12
    assert ("new", "§ 2, stk. 2, nr. 1") in {(c.kind, c.ref) for c in r.changes}
    assert counts() == before


def test_a_rejected_import_leaves_the_database_unchanged() -> None:
    imp("consolidation-v1.xml")
    before = counts()
    with pytest.raises(Rejected) as e:
        import_act(doc("consolidation-v2.xml"), key="andet-eksempel", areas=["ukendt-omraade"])
    assert e.value.errors[0].code == "unknown_area"
    assert counts() == before


def test_a_new_act_needs_an_area() -> None:
    with pytest.raises(Rejected) as e:
        import_act(doc("consolidation-v1.xml"), key=KEY)
    assert (e.value.errors[0].path, e.value.errors[0].code) == ("acts[0].areas", "missing")


def test_meta_only_documents_register_the_act_and_say_the_text_is_missing() -> None:
    r = import_act(doc("historic-meta-only.xml"), areas=["dagtilbud"])
    assert r.key == "bek-10-1995"
    assert [w.code for w in r.warnings] == ["text_not_available"]
    assert db.Act.objects.filter(key="bek-10-1995").exists()


def test_export_round_trip_keeps_the_official_text() -> None:
    imp("consolidation-v1.xml")
    imp("consolidation-v2.xml")
    world = read_world(reference=False)
    bundle = to_bundle(world)
    act = next(a for a in bundle["acts"] if a["key"] == KEY)
    six = next(p for p in act["provisions"] if p["ref"] == "§ 6")
    assert six["versions"][0]["note"] == "Tidligere § 5"
    before = counts()
    assert load(bundle).added == {}  # loads back onto itself as identical records
    assert counts() == before


def test_import_into_a_shipped_act_keeps_its_records_and_marks() -> None:
    """The shipped catalogue's provisions keep identity; the text arrives as versions."""
    shipped = db.Provision.objects.filter(act="dagtilbudsloven").count()
    listings = db.Listing.objects.filter(act="dagtilbudsloven").count()
    body = """<?xml version="1.0" encoding="utf-8"?>
<!-- EXAMPLE: made-up wording in place of the real act's -->
<Dokument><Meta><DocumentType>LOV H#LOKDOK01</DocumentType>
<DocumentTitle>Lov om dagtilbud</DocumentTitle><Year>2030</Year><Number>1</Number>
<DiesSigni>2030-01-01</DiesSigni></Meta><DokumentIndhold>
<Paragraf localId="1"><Explicatus>§ 1.</Explicatus>
<Stk><Exitus><Linea><Char>Eksempeltekst.</Char></Linea></Exitus></Stk></Paragraf>
</DokumentIndhold></Dokument>"""
    r = import_act(parse(body), key="dagtilbudsloven")
    assert db.Provision.objects.filter(act="dagtilbudsloven").count() == shipped
    assert text_at(read_world(), "dagtilbudsloven", "§ 1", dt.date(2030, 1, 1)) == \
        "Eksempeltekst."
    unresolved = [w for w in r.warnings if w.code == "listing_unresolved"]
    assert any("dagtilbudsloven afsnit II " in w.message for w in unresolved)
    assert db.Listing.objects.filter(act="dagtilbudsloven").count() == listings
