"""The national picture (CONTRACT ``national``), on the example world."""

from __future__ import annotations

from frisat.engine import Engine
from frisat.engine import national as national_of
from frisat.engine.model import Scope
from worlds import ACT, at, d, decision, example_world, exemption, with_records


def national(*decisions, exemptions=(), day: str = "2022-03-01"):  # type: ignore[no-untyped-def]
    w = with_records(example_world(), decisions=decisions, exemptions=exemptions)
    return national_of(Engine(w.known_at(at("2026-01-01"))), d(day))


def test_national_lists_only_regimes_with_coverage_on_the_date() -> None:
    n = national(day="2021-05-14")
    assert n.regimes == [] and n.freed_municipalities == 0
    n2 = national(day="2022-03-01")
    assert [r.key for r in n2.regimes] == ["eksempel-ordning", "eksempel-skoleordning"]
    assert n2.freed_municipalities == 2 and n2.municipalities_total == 3


def test_national_counts_decisions_in_force_and_provisions_set_aside() -> None:
    n = national(decision("901-1", ["eksempelloven § 1"]),
                 decision("901-2", ["eksempelloven § 2"], effective_from="2023-01-01"),
                 decision("901-3", ["eksempelloven § 3"], published=False))
    assert n.decisions_in_force == 1
    # § 1, stk. 1 only: stk. 2 is a guardrail
    assert [(e.citation, e.institution, e.status) for e in n.exceptions] == [
        ("eksempelloven § 1, stk. 1", None, "set_aside")]
    assert n.provisions_set_aside == 1


def test_national_rows_per_institution_for_listed_scopes() -> None:
    n = national(decision("901-1", ["eksempelloven § 2"],
                          scope=Scope(institutions=("eks-1", "eks-5"))),
                 decision("901-2", ["eksempelloven § 3, stk. 1"], scope=Scope(kinds=("dagpleje",))))
    rows = {(e.institution, e.citation) for e in n.exceptions}
    assert rows == {("eks-1", "eksempelloven § 2"), ("eks-5", "eksempelloven § 2"),
                    ("eks-5", "eksempelloven § 3, stk. 1")}
    assert n.provisions_set_aside == 2


def test_national_exemptions_count_as_municipality_rows() -> None:
    n = national(exemptions=(exemption("fk-1", ["eksempelloven § 3, stk. 1"]),))
    assert [(e.citation, e.decision) for e in n.exceptions] == [
        ("eksempelloven § 3, stk. 1", "fk-1")]
    assert n.exemptions_in_force == 1 and n.decisions_in_force == 0


def test_national_to_json_contract_shape() -> None:
    j = national(decision("901-1", ["eksempelloven § 2"])).to_json()
    assert {"date", "municipalities_total", "regimes", "freed_municipalities",
            "decisions_in_force", "provisions_set_aside"} <= set(j)
    reg = j["regimes"][0]  # type: ignore[index]
    assert set(reg) == {"key", "title", "legal_basis", "coverage"}
    assert reg["coverage"][0] == {"municipality": 901, "name": "Eksempelby",
                                  "area": "dagtilbud", "from": "2021-05-15",
                                  "to": "2025-08-01"}
    assert j["exceptions"][0]["citation"] == f"{ACT} § 2"  # type: ignore[index]
