"""The national picture (CONTRACT ``national``), on the example world."""

from __future__ import annotations

from frisat.engine import Engine
from frisat.engine import national as national_of
from frisat.engine.model import Scope
from worlds import ACT, REGIME, at, d, decision, example_world, exemption, with_records


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


def test_national_counts_and_rows_over_every_place() -> None:
    """Several places, one without anything in force between two that have; overlapping
    targets; coverage starting and ending on the day; a municipality the register lacks."""
    from frisat.engine.model import Coverage

    w = with_records(
        example_world(),
        coverage=(Coverage(REGIME, 903, "dagtilbud", d("2022-03-01"), None),
                  Coverage(REGIME, 904, "dagtilbud", d("2021-01-01"), d("2022-03-01")),
                  Coverage(REGIME, 905, "dagtilbud", d("2022-03-01"), d("2022-03-02")),
                  Coverage(REGIME, 901, "aeldre", d("2021-01-01"), None)),
        decisions=(
            decision("901-1", ["eksempelloven § 3"]),
            decision("901-2", ["eksempelloven § 3, stk. 1", "eksempelloven § 2"]),
            decision("901-3", ["eksempelloven § 2"], area="folkeskole"),  # not covered there
            decision("902-1", ["eksempel-skoleloven § 1"], municipality=902,
                     area="folkeskole", regime="eksempel-skoleordning"),
        ),
        exemptions=(exemption("fk-1", ["eksempel-skoleloven § 2, stk. 1"], municipality=902,
                              area="folkeskole", regime="eksempel-skoleordning"),
                    exemption("fk-2", ["eksempelloven § 2"]),))
    n = national_of(Engine(w.known_at(at("2026-01-01"))), d("2022-03-01"))
    assert (n.decisions_in_force, n.exemptions_in_force) == (3, 2)
    rows = [(e.municipality, e.area, e.citation, e.decisions) for e in n.exceptions]
    assert rows == [
        (901, "dagtilbud", "eksempelloven § 3, stk. 1", ("901-1", "901-2")),
        (901, "dagtilbud", "eksempelloven § 3, stk. 2, nr. 1", ("901-1",)),
        (901, "dagtilbud", "eksempelloven § 2", ("901-2", "fk-2")),
        (902, "folkeskole", "eksempel-skoleloven § 1", ("902-1",)),
        (902, "folkeskole", "eksempel-skoleloven § 2, stk. 1", ("fk-1",)),
    ]
    assert n.provisions_set_aside == 5
    coverage = [(c.municipality, c.name, c.area, c.valid_from.isoformat())
                for r in n.regimes for c in r.coverage]
    assert coverage == [(901, "Eksempelby", "aeldre", "2021-01-01"),
                        (901, "Eksempelby", "dagtilbud", "2021-05-15"),
                        (903, "Andeby", "dagtilbud", "2022-03-01"),
                        (905, "", "dagtilbud", "2022-03-01"),
                        (902, "Prøveby", "folkeskole", "2021-05-15")]
    assert n.freed_municipalities == 4
