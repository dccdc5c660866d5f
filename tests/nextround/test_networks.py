"""Frikommune powers per network (LBK 831/2018 §§ 2-3): a power belongs to its network.

Real case: lov om frikommunenetværk § 29 lets the councils of network 6 (Esbjerg,
København, Odense, Randers, Aarhus) replace the unannounced inspection of serviceloven
§ 151, stk. 2, 1. pkt. by an announced one. Favrskov was a frikommune in elder care in 2018
(networks 2 and 3, covered through § 28) but not in network 6: § 151, stk. 2 binds it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from frisat.engine import Engine
from frisat.engine import model as m
from frisat.nextround import networks

LAWTEXTS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "lawtexts"
FAVRSKOV, AARHUS, ESBJERG = 710, 751, 561
D2018 = dt.date(2018, 6, 1)


def test_eight_networks_with_the_municipalities_of_lbk_831_2018_section_2() -> None:
    recs = networks.records()
    assert [n.number for n in recs.networks] == list(range(1, 9))
    assert recs.network(6).municipalities == (561, 101, 461, 730, 751)
    assert {n.number for n in recs.networks_of(FAVRSKOV)} == {2, 3}
    assert {n.number for n in recs.networks_of(AARHUS)} == {2, 6, 8}
    assert all(n.source.url.endswith("/2018/831") for n in recs.networks)


def test_network_names_match_the_law_text() -> None:
    """Every municipality of § 2 named in the captured law text is in its network."""
    path = LAWTEXTS / "2018_831.json"
    if not path.exists():
        pytest.skip("../shared/reference/lawtexts is not beside the project")
    text = next(p["content"] for p in json.loads(path.read_text())["provisions"]
                if p["section"] == "2")
    names = {m_.code: m_.name for m_ in _municipalities()}
    for n in networks.records().networks:
        part = text.split(f"{n.number}) ", 1)[1].split(f"{n.number + 1}) ", 1)[0]
        for code in n.municipalities:
            stem = names[code].rstrip("s")[:6]
            assert stem in part, (n.number, names[code])


def _municipalities() -> list[m.Municipality]:
    import csv

    rows = csv.DictReader((LAWTEXTS.parent / "municipalities.csv").open(encoding="utf-8"))
    return [m.Municipality(int(r["code"]), r["name"], int(r["region_code"]), r["region_name"])
            for r in rows]


def test_section_29_is_scoped_to_network_6_and_to_the_first_sentence() -> None:
    got = {(x.act, x.ref): x for x in networks.listings("frikommune-2")}
    li = got[("serviceloven", "§ 151, stk. 2")]
    assert li.municipalities == (101, 461, 561, 730, 751)
    assert li.part == "1. pkt."
    assert FAVRSKOV not in li.municipalities
    assert got[("folkeskoleloven", "§ 28, stk. 2")].municipalities == (159, 376, 756)


@pytest.mark.django_db
def test_a_network_6_power_is_not_open_to_favrskov_in_2018() -> None:
    """The real register: Favrskov (networks 2, 3) may not set § 151, stk. 2 aside; Aarhus
    and Esbjerg (network 6) may (the register does not know their decisions: unknown)."""
    from frisat.queries.status import status
    from frisat.registry.snapshot import snapshot

    now = dt.datetime.now(dt.UTC)
    snap = snapshot(now)
    fav = status(snap, FAVRSKOV, "aeldre", "serviceloven § 151, stk. 2", D2018, now)
    assert fav["status"] == "applies"
    assert fav["because"][0]["kind"] == "no_decision"
    for code in (AARHUS, ESBJERG):
        other = status(snap, code, "aeldre", "serviceloven § 151, stk. 2", D2018, now)
        assert other["status"] == "unknown", code
        assert other["because"][0]["kind"] == "decisions_incomplete"
    # § 151, stk. 2 is the network-6 power; another stk. of § 151 is not deviable at all
    stk3 = status(snap, AARHUS, "aeldre", "serviceloven § 151, stk. 3", D2018, now)
    assert stk3["status"] == "applies"


def test_refine_scopes_only_the_frikommune_2_regime() -> None:
    reg = m.Regime("frikommune-2", "FK II", "frikommune", "x", "listed", ("serviceloven",),
                   (m.Listing("serviceloven", "§ 151, stk. 2", "deviable"),
                    m.Listing("serviceloven", "§ 1", "deviable")))
    other = m.Regime("andet", "Andet", "frikommune", "x", "listed", ("serviceloven",),
                     (m.Listing("serviceloven", "§ 151, stk. 2", "deviable"),))
    w = networks.refine(m.World(regimes=(reg, other)))
    fk2 = next(r for r in w.regimes if r.key == "frikommune-2")
    assert fk2.marks_on(D2018, FAVRSKOV).get(("serviceloven", "§ 151, stk. 2")) is None
    assert fk2.marks_on(D2018, AARHUS)[("serviceloven", "§ 151, stk. 2")] == "deviable"
    assert fk2.marks_on(D2018, FAVRSKOV)[("serviceloven", "§ 1")] == "deviable"
    assert next(r for r in w.regimes if r.key == "andet") == other
    assert Engine(w).regimes["frikommune-2"].scoped
