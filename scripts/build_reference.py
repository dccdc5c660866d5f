"""Build the mechanically derived shipped reference bundles.

Writes ``src/frisat/data/reference/00-base.yaml`` (areas and the 98 municipalities, from
``municipalities.csv``) and ``src/frisat/data/reference/30-institutions.yaml`` (institutions
from the STIL Institutionsregister extract, plus the few named institutions that are not in
STIL because daycare and care homes are not registered there).

Usage::

    python scripts/build_reference.py [--reference /work/shared/reference]

The hand-curated records (regimes, practice) live in ``20-regimes.yaml`` and
``40-practice.yaml`` and are not touched by this script.
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "frisat" / "data" / "reference"

# Record times (docs/architecture.md): when the register could first have known the fact.
# The 98 municipalities and their codes exist since the kommunalreform of 1 January 2007;
# the STIL extract is known from the date of its copy (it carries no date of its own).
MUNICIPALITIES_KNOWN = "2007-01-01"
STIL_KNOWN = "2024-10-23"

STIL_SOURCE = (
    "STIL Institutionsregister, CSV-udtræk (UTF-16LE, ';'), kopi committet 2024-10-23 i "
    "github.com/dkpoulsen/schools-overview (schools.csv); udtrækket har ingen egen dato"
)

# The velfærdsaftale municipalities: every municipal folkeskole unit of the two school
# municipalities, a few for the others (their covered area is not folkeskole, so these give
# "not covered" answers, which is the right answer for them).
ALL_SCHOOLS = {561, 316}
FEW_SCHOOLS = {217: 3, 840: 3, 791: 3, 410: 3, 482: 2}

# Institutions named in the research that are not in STIL (daycare, care/rehab centres).
# No official number (Dagtilbudsregisteret G-nummer, Plejehjemsoversigten id) was found in
# the sources available, hence the ``frisat-`` ids.
NAMED_NON_STIL = [
    {
        "id": "frisat-217-boernehuset-elverhoejen",
        "name": "Børnehuset Elverhøjen",
        "municipality": 217,
        "area": "dagtilbud",
        "kind": "daginstitution",
        "owner": "kommunal",
        "provider": "public",
        "opened": None,
        "closed": None,
        "source": (
            "Helsingør Kommune, liste over kommunale dagtilbud (Sct. Georgsvej 17B, 3060 "
            "Espergærde; 0-5 år), https://www.helsingor.dk/borger/dagtilbud-0-6-aar/"
            "se-pasningsmuligheder/kommunale-dagtilbud; nævnt i "
            "https://helsingor.dk/nyheder-og-fakta/nyheder-og-presse/nyheder/borneliv/"
            "minister-horte-om-frisaettelse-af-dagtilbud/ (21.02.2022). Intet officielt "
            "nummer (G-nummer i Dagtilbudsregisteret) fundet; frisat-id."
        ),
    },
    {
        "id": "frisat-217-boernehuset-kasserollen",
        "name": "Børnehuset Kasserollen",
        "municipality": 217,
        "area": "dagtilbud",
        "kind": "daginstitution",
        "owner": "kommunal",
        "provider": "public",
        "opened": None,
        "closed": None,
        "source": (
            "Helsingør Kommune, side om Børnehuset Kasserollen (integreret institution i "
            "Espergærde), https://admin.helsingor.dk/borger/dagtilbud-0-6-aar/"
            "se-pasningsmuligheder/kommunale-dagtilbud/boernehuset-kasserollen. Intet "
            "officielt nummer (G-nummer) fundet; frisat-id. Åbningsdato ukendt (en ny "
            "afdeling åbnede marts 2021 ifølge sn.dk)."
        ),
    },
    {
        "id": "frisat-791-rehabiliteringscenter-viborg",
        "name": "Rehabiliteringscenter Viborg",
        "municipality": 791,
        "area": "aeldre",
        "kind": "rehabiliteringscenter",
        "owner": "kommunal",
        "provider": "public",
        "opened": None,
        "closed": None,
        "source": (
            "Viborg Kommune, prøvehandlingsfase 3 (1.10.2022-9.1.2023), "
            "https://viborg.dk/demokrati-og-indflydelse/udvikling-og-planer/udvikling/"
            "vi-udvikler-velfaerden/velfaerdsaftalen-paa-aeldreomraadet/"
            "oversigt-over-proevehandlinger/proevehandlingsfase-3/. Intet officielt nummer "
            "fundet (ikke i STIL; ikke et plejehjem i Plejehjemsoversigten); frisat-id. "
            "Ejerform antaget kommunal ud fra kildens omtale som del af kommunens "
            "visitation/rehabilitering."
        ),
    },
]

# Named in the research (practice_and_evaluation.*): kept to check they are all present.
NAMED_STIL = {
    "341002": "Jyderup Skole",
    "341003": "Kildebjergskolen",
    "315007": "Vipperød Skole",
    "345003": "St. Merløse Skole",
    "561024": "Kvaglundskolen",
}


def municipalities(reference: Path) -> list[dict]:
    out = []
    with open(reference / "municipalities.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.append(
                {
                    "code": int(row["code"]),
                    "name": row["name"],
                    "region_code": int(row["region_code"]),
                    "region_name": row["region_name"],
                    "source": row["source"],
                    "recorded_at": MUNICIPALITIES_KNOWN,
                }
            )
    return out


def stil_rows(reference: Path) -> list[dict]:
    raw = (reference / "stil-institutionsregister-extract.csv").read_bytes()
    text = raw.decode("utf-16-le").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def stil_institution(row: dict) -> dict:
    unit = row["ENHEDSART"]
    extra = ""
    if row["HOVEDSKOLE_INST"]:
        extra = f"; afdeling under hovedskole {row['HOVEDSKOLE_INST']}"
    elif unit.startswith("Hovedskole"):
        extra = "; hovedskole (institution med afdelinger)"
    return {
        "id": row["INST_NR"],
        "name": row["INST_NAVN"],
        "municipality": int(row["KOMMUNE_NR"]),
        "area": "folkeskole",
        "kind": "folkeskole",
        "owner": row["EJERKODE_NAVN"].lower().rstrip("e") or None,  # "Kommunale" -> "kommunal"
        "provider": "public",
        "opened": None,
        "closed": None,
        "source": (
            f"{STIL_SOURCE}: INST_NR {row['INST_NR']}, INST_TYPE_NR {row['INST_TYPE_NR']} "
            f"({row['INST_TYPE_NAVN']}), {unit}{extra}, {row['POSTNR']} "
            f"{row['POSTDISTRIKT']}. Åbnings-/lukkedato findes ikke i udtrækket."
        ),
        "recorded_at": STIL_KNOWN,
    }


def institutions(reference: Path) -> list[dict]:
    rows = [
        r
        for r in stil_rows(reference)
        if r["INST_TYPE_NR"] == "1012"
        and r["EJERKODE_NAVN"] == "Kommunale"
        and r["KOMMUNE_NR"]
    ]
    out: list[dict] = []
    for code in sorted(ALL_SCHOOLS):
        out += [stil_institution(r) for r in rows if int(r["KOMMUNE_NR"]) == code]
    for code, n in FEW_SCHOOLS.items():
        own = [
            r
            for r in rows
            if int(r["KOMMUNE_NR"]) == code and r["ENHEDSART"] == "Institution uden enheder"
            and "10" not in r["INST_NAVN"]
        ]
        own.sort(key=lambda r: r["INST_NR"])
        out += [stil_institution(r) for r in own[:n]]
    ids = {i["id"] for i in out}
    missing = {k: v for k, v in NAMED_STIL.items() if k not in ids}
    if missing:
        raise SystemExit(f"named institutions missing from the STIL extract: {missing}")
    out.sort(key=lambda i: (i["municipality"], i["id"]))
    return out + NAMED_NON_STIL


def dump(path: Path, header: str, doc: dict) -> None:
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(header + body, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    shared = Path(__file__).resolve().parents[2] / "shared" / "reference"
    ap.add_argument("--reference", type=Path, default=shared)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    base = {
        "format": "frisat-bundle/1",
        "areas": [
            {"key": "dagtilbud", "name": "Dagtilbud", "name_en": "Day care",
             "recorded_at": MUNICIPALITIES_KNOWN},
            {"key": "folkeskole", "name": "Folkeskole", "name_en": "Public school",
             "recorded_at": MUNICIPALITIES_KNOWN},
            {"key": "aeldre", "name": "Ældreområdet", "name_en": "Elder care",
             "recorded_at": MUNICIPALITIES_KNOWN},
        ],
        "municipalities": municipalities(args.reference),
    }
    dump(
        OUT / "00-base.yaml",
        "# Generated by scripts/build_reference.py from municipalities.csv -- do not edit.\n"
        "# Areas and the 98 municipalities (code, name, region) with their source.\n",
        base,
    )
    inst = {"format": "frisat-bundle/1", "institutions": institutions(args.reference)}
    dump(
        OUT / "30-institutions.yaml",
        "# Generated by scripts/build_reference.py from the STIL extract -- do not edit.\n"
        "# Ids are STIL INST_NR where STIL has the unit; frisat-* ids where no official\n"
        "# number was found (daycare and care units are not in STIL).\n",
        inst,
    )
    print(f"{len(base['municipalities'])} municipalities, {len(inst['institutions'])} institutions")


if __name__ == "__main__":
    main()
