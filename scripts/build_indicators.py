"""Build the shipped indicator panels (src/frisat/data/indicators/*.csv) from the real
statistics in ../shared/reference/indicators/ (see SOURCES.md there).

Each output file has the CONTRACT shape ``indicator,unit_kind,unit,period,value,source``;
the definitions, sources, licences, series breaks and caveats are written by hand in
``definitions.yaml`` beside them. The UVM daycare-staffing panel is also checked against
the unedited API dump it was built from (every value must agree).

Usage::

    python scripts/build_indicators.py [--reference /work/shared/reference]
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "frisat" / "data" / "indicators"

# short provenance per row; the full chain (repository, path, commit) is in definitions.yaml
UVM_API = "UVM statistik-API DAG/Normering (institutionsguide@f1c2e0a)"
DASHBOARD = "doughnut@378426d"

# source file -> (output file, {source indicator -> (our key, source text)})
PANELS = {
    "uvm_dagtilbud_normering_2017_2023.csv": ("normering.csv", {
        "normering_daginstitution_0-2aar_metode_tom2022":
            ("normering-daginstitution-0-2", UVM_API + "; metode til og med 2022"),
        "normering_daginstitution_0-2aar_metode_fra2023":
            ("normering-daginstitution-0-2", UVM_API + "; metode fra 2023"),
        "normering_daginstitution_3-5aar_metode_tom2022":
            ("normering-daginstitution-3-5", UVM_API + "; metode til og med 2022"),
        "normering_daginstitution_3-5aar_metode_fra2023":
            ("normering-daginstitution-3-5", UVM_API + "; metode fra 2023"),
        "normering_dagpleje_metode_tom2022":
            ("normering-dagpleje", UVM_API + "; metode til og med 2022"),
        "normering_dagpleje_metode_fra2023":
            ("normering-dagpleje", UVM_API + "; metode fra 2023"),
    }),
    "dst_boern8_normering_3-5aar_2024.csv": ("normering-dst-boern8.csv", {
        "dst_boern8_normering_daginstitution_3-5aar":
            ("normering-daginstitution-3-5-dst", "DST BOERN8 (PASKAT=3) via " + DASHBOARD)}),
    "dst_boern1_andel_paedagoguddannede_2019_2025.csv": ("andel-paedagoger.csv", {
        "dst_boern1_andel_paedagoguddannede":
            ("andel-paedagoger", "DST BOERN1 (460/i alt) via " + DASHBOARD)}),
    "dst_kvotien_klassekvotient_2010_2025.csv": ("klassekvotient.csv", {
        "dst_kvotien_klassekvotient_alle_skoletyper":
            ("klassekvotient", "DST KVOTIEN (alle skoletyper) via " + DASHBOARD)}),
    "uvm_karaktergennemsnit_9kl_2011_2026.csv": ("karakterer-9-klasse.csv", {
        "uvm_karaktergennemsnit_obl_9kl_proever":
            ("karakterer-9-klasse", "UVM obl. 9.-klasseprøver via " + DASHBOARD)}),
    "uvm_elevfravaer_over10pct_2020_2025.csv": ("elevfravaer.csv", {
        "uvm_andel_elever_fravaer_over_10pct":
            ("elevfravaer-over-10-pct", "UVM elevfravær via " + DASHBOARD)}),
    "uvm_trivsel_2015_2026.csv": ("trivsel.csv", {
        "uvm_trivsel_gns_indikatorsvar":
            ("trivsel", "UVM trivselsmåling (gns. af indikatorer) via " + DASHBOARD)}),
    "dst_hjemsyg_modtagere_pr_1000_2016_2025.csv": ("hjemmesygepleje.csv", {
        "dst_hjemsyg_modtagere_hjemmesygepleje_pr_1000_indb":
            ("hjemmesygepleje-pr-1000", "DST HJEMSYG/FOLK1A via " + DASHBOARD)}),
}

_DUMP_COLUMNS = {"Normering kommune til og med 2022": "metode_tom2022",
                 "Normering kommune fra 2023": "metode_fra2023"}
_DUMP_KIND = {"Dagpleje": "dagpleje", "0-2 år": "daginstitution_0-2aar",
              "3-5 år": "daginstitution_3-5aar"}


def check_against_dump(ref: Path, names: dict[str, str]) -> None:
    """Every value of the tidy normering CSV agrees with the unedited API dump."""
    dump = json.loads((ref / "uvm_normering_api_dump.json").read_text(encoding="utf-8"))
    code = {v: k for k, v in names.items()}
    values: dict[tuple[str, str, str], float] = {}
    for r in dump:
        kind = _DUMP_KIND.get(r["[Pasningstilbud].[Pasningstilbud].[Pasningstilbud]"])
        for col, suffix in _DUMP_COLUMNS.items():
            v = (r.get(col) or "").replace(",", ".")
            if kind and v and float(v) != 0:
                muni = code.get(r["[Kommune].[Navn].[Navn]"])
                if muni:
                    values[(f"normering_{kind}_{suffix}", muni, r["[År].[År].[År]"])] = float(v)
    with (ref / "uvm_dagtilbud_normering_2017_2023.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["indicator"], row["municipality_code"], row["period"])
            if values.get(key) != float(row["value"]):
                raise SystemExit(f"normering differs from the API dump: {key}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", default=str(ROOT.parent / "shared" / "reference"))
    args = ap.parse_args()
    ref = Path(args.reference)
    names = {r["code"]: r["name"] for r in csv.DictReader(
        (ref / "municipalities.csv").open(encoding="utf-8"))}
    check_against_dump(ref / "indicators", names)
    OUT.mkdir(parents=True, exist_ok=True)
    for src, (out, mapping) in PANELS.items():
        rows = []
        with (ref / "indicators" / src).open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                key, source = mapping[r["indicator"]]
                if r["municipality_code"] not in names:
                    raise SystemExit(f"{src}: unknown municipality {r['municipality_code']}")
                rows.append((key, "municipality", int(r["municipality_code"]), r["period"],
                             r["value"], source))
        rows.sort(key=lambda x: (x[0], x[2], x[3]))
        with (OUT / out).open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["indicator", "unit_kind", "unit", "period", "value", "source"])
            w.writerows(rows)
        print(OUT / out, len(rows))
    # population 1 January 2021 (municipalities.csv): the size used to match comparison units
    with (OUT / "befolkning.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["indicator", "unit_kind", "unit", "period", "value", "source"])
        for r in csv.DictReader((ref / "municipalities.csv").open(encoding="utf-8")):
            w.writerow(["befolkning", "municipality", int(r["code"]), r["population_year"],
                        r["population"], "DST FOLK1A 2021K1 via cran/dagirlite 0.1.0"])
    print(OUT / "befolkning.csv")


if __name__ == "__main__":
    main()
