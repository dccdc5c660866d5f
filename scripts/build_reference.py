"""Build the mechanically derived shipped reference data.

Writes, under ``src/frisat/data/reference/``:

* ``00-base.yaml``: areas and the 98 municipalities, from ``municipalities.csv``;
* ``30-institutions.yaml``: the few institutions named in the research under ``frisat-`` ids
  (kept as they are: published decisions name them);
* ``31-folkeskole.yaml``: every municipal folkeskole unit of the STIL Institutionsregister
  extract, read by ``frisat.sources.registers.read_stil`` (what it leaves out is counted in
  the file's header);
* ``32-dagtilbud-<region>.yaml``: every unit of the Dagtilbudsregisteret extract (read by
  ``read_dagtilbud``), one file per region so that no file grows past about 1 MB, except
  the units already shipped under a ``frisat-`` id (matched by municipality and name);
* ``institution-places.csv``: address, postcode, town and coordinates per institution id
  (the bundle format has no field for them), for search and the map.

Every generated membership carries ``known_from``: the date of the extract that says where
the unit belongs. Before it, membership is unknown (the extracts hold no opening dates).
The bundle reader ignores the field; the engine does not use it yet.

Usage::

    python scripts/build_reference.py [--reference /work/shared/reference]

The hand-curated records (regimes, practice) live in ``20-regimes.yaml`` and
``40-practice.yaml`` and are not touched by this script.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "frisat" / "data" / "reference"
sys.path.insert(0, str(ROOT / "src"))

from frisat.sources.registers import Extract, Unit, read_dagtilbud, read_stil  # noqa: E402

# Record times (docs/architecture.md): when the register could first have known the fact.
# The 98 municipalities and their codes exist since the kommunalreform of 1 January 2007;
# an extract is known from its date (registers.md): the STIL copy carries no date of its
# own, only the date it was committed; the daycare list was refreshed on 1 April 2026.
MUNICIPALITIES_KNOWN = "2007-01-01"
STIL_KNOWN = "2024-10-23"
DAGTILBUD_KNOWN = "2026-04-01"

STIL_FILE = "stil-institutionsregister-extract.csv"
DAGTILBUD_FILE = "dagtilbud-register-extract.csv"
# The extract's name inside each unit's source ("STIL Institutionsregister (…): INST_NR …")
STIL_LABEL = (
    "CSV-udtræk, kopi committet 2024-10-23 i github.com/dkpoulsen/schools-overview "
    "(schools.csv); udtrækket har ingen egen dato"
)
DAGTILBUD_LABEL = (
    "enhedsliste fra dagtilbudsregister.stil.dk, opdateret 2026-04-01, kopi i "
    "github.com/casperjbehrndtz-hue/institutionsguide @ cda367d2"
)
REGION_FILES = {1081: "nordjylland", 1082: "midtjylland", 1083: "syddanmark",
                1084: "hovedstaden", 1085: "sjaelland"}

# Institutions named in the research that are not in STIL (daycare, care/rehab centres),
# under ``frisat-`` ids: when they were recorded no official number was known. The two
# daycare units have since been found in the Dagtilbudsregisteret list (``named_daycare``);
# their ids stay, because published decisions name them. No Plejehjemsoversigten id is
# known for the Viborg centre.
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
            "minister-horte-om-frisaettelse-af-dagtilbud/ (21.02.2022)."
        ),
        # known from the earliest dated source (the municipality's news item)
        "recorded_at": "2022-02-21",
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
            "se-pasningsmuligheder/kommunale-dagtilbud/boernehuset-kasserollen. "
            "Åbningsdato ukendt (en ny afdeling åbnede marts 2021 ifølge sn.dk)."
        ),
        # the municipality's page is undated: known from the register extract
        "recorded_at": DAGTILBUD_KNOWN,
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


def read(reference: Path, name: str, reader, label: str) -> Extract:  # type: ignore[no-untyped-def]
    codes = {int(m["code"]) for m in municipalities(reference)}
    ex = reader((reference / name).read_bytes(), label, codes)
    if ex.errors:
        raise SystemExit("\n".join(f"{e.path}: {e.code} — {e.message}" for e in ex.errors))
    return ex


def membership(u: Unit, known_from: str) -> dict:
    return {"municipality": u.municipality, "area": u.area, "kind": u.kind,
            "owner": u.owner or None, "provider": u.provider, "from": None, "to": None,
            "known_from": known_from}


def institution(u: Unit, known: str) -> dict:
    return {"id": u.id, "name": u.name, "source": u.source, "recorded_at": known,
            "memberships": [membership(u, known)]}


def _folded(name: str) -> str:
    return re.sub(r"\W+", " ", name.lower()).strip()


def named_daycare(units: list[Unit]) -> dict[str, Unit]:
    """The extract's unit for each named daycare institution (same municipality, same name)."""
    out = {}
    for rec in NAMED_NON_STIL:
        if rec["area"] != "dagtilbud":
            continue
        same = [u for u in units if u.municipality == rec["municipality"]
                and _folded(u.name) == _folded(rec["name"])]
        if len(same) != 1:
            raise SystemExit(f"{rec['id']}: {len(same)} units in the daycare extract match")
        out[rec["id"]] = same[0]
    return out


def named(matches: dict[str, Unit]) -> list[dict]:
    out = []
    for rec in NAMED_NON_STIL:
        rec = dict(rec)
        u = matches.get(rec["id"])
        if u is not None:
            p = u.place
            rec["source"] += (
                f" Samme enhed som Dagtilbudsregisterets {u.id} ({u.name}, {p.address}, "
                f"{p.postcode} {p.city}; {u.unit_type}, ejer {u.owner}; {DAGTILBUD_LABEL}); "
                "frisat-id'et beholdes, fordi offentliggjorte beslutninger henviser til det.")
        out.append(rec)
    return out


def place_rows(units: list[tuple[str, str, Unit]]) -> list[dict]:
    """(institution id, register, unit) → one row of institution-places.csv."""
    rows = []
    for ident, register, u in units:
        p = u.place
        rows.append({"id": ident, "register": register, "register_id": u.id,
                     "unit_type": u.unit_type, "address": p.address, "postcode": p.postcode,
                     "city": p.city,
                     "lat": "" if p.lat is None else f"{p.lat:.6f}".rstrip("0").rstrip("."),
                     "lon": "" if p.lon is None else f"{p.lon:.6f}".rstrip("0").rstrip(".")})
    return sorted(rows, key=lambda r: r["id"])


def left_out_lines(ex: Extract) -> str:
    return "".join(f"#   {n:>5}  {reason}\n" for reason, n in sorted(ex.left_out.items()))


def dump(path: Path, header: str, doc: dict, flow: bool | None = False) -> None:
    """YAML with the header comment; ``flow=None`` writes a membership on one line."""
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100,
                          default_flow_style=flow)
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
    region_of = {m["code"]: m["region_code"] for m in base["municipalities"]}

    stil = read(args.reference, STIL_FILE, read_stil, STIL_LABEL)
    schools = sorted(stil.units, key=lambda u: (u.municipality, u.id))
    missing = {k: v for k, v in NAMED_STIL.items() if k not in {u.id for u in schools}}
    if missing:
        raise SystemExit(f"named institutions missing from the STIL extract: {missing}")
    dump(
        OUT / "31-folkeskole.yaml",
        "# Generated by scripts/build_reference.py from the STIL Institutionsregister extract\n"
        f"# ({STIL_FILE}, copy of 2024-10-23) -- do not edit.\n"
        f"# {len(schools)} municipal folkeskole units (INST_TYPE_NR 1012, owner Kommunale: main\n"
        "# schools, schools without departments and every department), id = INST_NR. The\n"
        "# extract has no opening or closing dates: membership is known from the extract's\n"
        "# date (known_from), unknown before it. Rows left out by frisat.sources.registers:\n"
        + left_out_lines(stil),
        {"format": "frisat-bundle/1",
         "institutions": [institution(u, STIL_KNOWN) for u in schools]},
        flow=None,
    )

    daycare = read(args.reference, DAGTILBUD_FILE, read_dagtilbud, DAGTILBUD_LABEL)
    matches = named_daycare(daycare.units)
    already = {u.id for u in matches.values()}
    units = sorted((u for u in daycare.units if u.id not in already),
                   key=lambda u: (u.municipality, u.id))
    by_region: dict[int, list[Unit]] = {}
    for u in units:
        by_region.setdefault(region_of[u.municipality], []).append(u)
    kinds = Counter(u.unit_type for u in daycare.units)
    for region, slug in REGION_FILES.items():
        mine = by_region.get(region, [])
        dump(
            OUT / f"32-dagtilbud-{slug}.yaml",
            "# Generated by scripts/build_reference.py from the Dagtilbudsregisteret unit list\n"
            f"# ({DAGTILBUD_FILE}, refreshed 2026-04-01) -- do not edit.\n"
            f"# {len(mine)} daycare units in the municipalities of region {region}, id = the\n"
            "# register's unit number. kind: daginstitution (vuggestue, boernehave,\n"
            "# aldersintegreret) or dagpleje; the register's type is in the source. A 2026\n"
            "# snapshot: membership is known from 2026-04-01 (known_from), unknown before it.\n",
            {"format": "frisat-bundle/1",
             "institutions": [institution(u, DAGTILBUD_KNOWN) for u in mine]},
            flow=None,
        )
    curated = named(matches)
    dump(
        OUT / "30-institutions.yaml",
        "# Generated by scripts/build_reference.py -- do not edit.\n"
        "# Institutions named in the research, under frisat-* ids (published decisions name\n"
        "# them). The two Helsingør daycare units are also in the Dagtilbudsregisteret list\n"
        "# (their unit numbers are in the source); they are not shipped a second time.\n",
        {"format": "frisat-bundle/1", "institutions": curated},
    )

    places = place_rows(
        [(u.id, "stil", u) for u in schools] + [(u.id, "dagtilbud", u) for u in units]
        + [(ident, "dagtilbud", u) for ident, u in matches.items()])
    with open(OUT / "institution-places.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(places[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(places)

    print(f"{len(base['municipalities'])} municipalities; institutions: {len(curated)} named, "
          f"{len(schools)} folkeskole units (left out: {dict(stil.left_out)}), "
          f"{len(units)} daycare units (+{len(matches)} already named; types {dict(kinds)}); "
          f"{len(places)} places")


if __name__ == "__main__":
    main()
