"""Institutions from the official register extracts → ``frisat-bundle/1`` institutions.

Three sources (``../shared/reference/registers.md`` §5):

* the STIL Institutionsregister extract as delivered: UTF-16LE, ``;``-separated, 28 named
  columns, decimal-comma coordinates. Imported: municipal folkeskoler (``INST_TYPE_NR``
  1012 owned by ``Kommunale``) — main schools, schools without departments and every
  department, as area ``folkeskole``, kind ``folkeskole``. Left out and counted: type 1012
  units owned by others (10th-grade departments of state-owned vocational schools and
  gymnasiums: not municipal folkeskoler), friskoler and private grundskoler (1013: they
  run under the friskolelov, not folkeskoleloven), every other type, and units in
  Christiansø (411, outside the 98 municipalities);
* a Dagtilbudsregisteret extract (daycare, STIL), in one of two layouts: the published
  unit list (``id,name,type,owner,municipality_code,…,lat,lon``, comma-separated UTF-8, as
  ``../shared/reference/dagtilbud-register-extract.csv``: every anvisningsenhed, type
  vuggestue/boernehave/aldersintegreret → kind ``daginstitution``, dagpleje → ``dagpleje``)
  or the inferred institution-level layout (``G_NUMMER;NAVN;NIVEAU;…``), and
* a Plejehjemsoversigten extract (care homes, Sundhedsdatastyrelsen): its columns and the
  inferred daycare layout come from the register documentation and third-party code
  (``docs/official-sources.md``).

Each unit keeps where it is (``Place``: address, postcode, town, coordinates) when the
extract gives it; the register itself stores no address (the bundle format has no field for
one), so the shipped data carries places in a file of its own (``scripts/build_reference.py``).

The extracts carry no opening or closing dates. A first import records memberships from
an unknown date (``from: null``). A re-import of a newer extract, with its date given
(``as_of``), records what changed as history, never by deleting: a unit no longer in the
extract gets its membership ended on ``as_of``; a unit that moved (municipality, area,
kind or provider) gets its membership ended and a new one from ``as_of``. Everything goes
through the loader: all or nothing, and a repeated import is a no-op.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frisat.engine import model as m
from frisat.registry.errors import InputError, Rejected

STIL_COLUMNS = (
    "HOVEDSKOLE_INST", "INST_NR", "INST_NAVN", "ENHEDSART", "INST_ADR", "POSTNR",
    "POSTDISTRIKT", "TLF_NR", "E_MAIL", "WEB_ADR", "INST_TYPE_NR", "INST_TYPE_NAVN",
    "INST_TYPE_GRUPPE", "UNDERV_NIV", "INST_LEDER", "CVR_NR", "KOMMUNE_NR", "ADM_KOMMUNE_NAVN",
    "BEL_KOMMUNE", "BEL_KOMMUNE_NAVN", "BEL_REGION", "REGION_NAVN", "EJER_KODE",
    "EJERKODE_NAVN", "P_NR", "VEJKODE", "GEO_BREDDE_GRAD", "GEO_LAENGDE_GRAD")
# Inferred columns (docs/official-sources.md): the documented fields, under these names.
DAGTILBUD_COLUMNS = ("G_NUMMER", "NAVN", "NIVEAU", "INSTITUTIONSTYPE", "EJERFORHOLD",
                     "KOMMUNE_NR", "KOMMUNE_NAVN", "ADRESSE", "POSTNR", "POSTDISTRIKT")
# The published unit list (registers.md, "Daycare units"): comma-separated UTF-8.
DAGTILBUD_UNIT_COLUMNS = ("id", "name", "type", "owner", "municipality_code",
                          "municipality_name", "address", "postcode", "city", "lat", "lon")
PLEJEHJEM_COLUMNS = ("id", "Plejehjemsnavn", "Vejnavn", "Vejnummer", "Postalcode", "Kommune",
                     "Phone", "Email", "Web", "Center type", "Antal boliger", "Inactive")


@dataclass(frozen=True)
class Place:
    """Where a unit is, as its extract gives it (empty strings and ``None`` when not)."""

    address: str = ""
    postcode: str = ""
    city: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Unit:
    """One institution as an extract describes it."""

    id: str
    name: str
    municipality: int
    area: str
    kind: str
    provider: str  # public | private
    source: str
    line: int
    owner: str = ""  # the register's own word for the owner (Kommunale, selvejende, …)
    unit_type: str = ""  # the register's own word for the type (vuggestue, Folkeskoler, …)
    place: Place = field(default_factory=Place)


@dataclass
class Extract:
    register: str  # stil | dagtilbud | plejehjem
    units: list[Unit]
    left_out: dict[str, int] = field(default_factory=dict)  # reason -> count
    errors: list[InputError] = field(default_factory=list)


@dataclass
class InstitutionImport:
    register: str
    new: int = 0
    moved: int = 0
    closed: int = 0
    reopened: int = 0
    unchanged: int = 0
    left_out: dict[str, int] = field(default_factory=dict)
    warnings: list[InputError] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False


def _skip(ex: Extract, reason: str) -> None:
    ex.left_out[reason] = ex.left_out.get(reason, 0) + 1


def _rows(text: str, name: str, columns: tuple[str, ...],
          ex: Extract, delimiter: str = ";") -> Iterable[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        ex.errors.append(InputError(name, "format", "Filen er tom"))
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in columns if c not in header]
    if missing:
        ex.errors.append(InputError(
            f"{name}:1", "format",
            f"Kolonnerne {', '.join(missing)} mangler i overskriften; forventede "
            f"{';'.join(columns)}"))
        return
    for lineno, row in enumerate(reader, start=2):
        if not any(x.strip() for x in row):
            continue
        if len(row) != len(header):
            ex.errors.append(InputError(f"{name}:{lineno}", "format",
                                        f"Linjen har {len(row)} felter, overskriften "
                                        f"{len(header)}"))
            continue
        yield lineno, {h: v.strip() for h, v in zip(header, row, strict=True)}


def decode_utf16(data: bytes, name: str) -> str:
    """The STIL extract is UTF-16LE, with or without a byte-order mark."""
    try:
        if data[:2] == b"\xff\xfe":
            return data[2:].decode("utf-16-le")
        return data.decode("utf-16-le")
    except UnicodeDecodeError:
        raise Rejected([InputError(name, "format",
                                   "Filen er ikke UTF-16LE som STIL's udtræk")]) from None


def decode_text(data: bytes, name: str, fallback: str = "cp1252") -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode(fallback)


def _coord(v: str) -> float | None:
    try:
        return float(v.replace(",", ".")) if v else None
    except ValueError:
        return None


def read_stil(data: bytes, name: str, municipalities: set[int]) -> Extract:
    ex = Extract("stil", [])
    text = decode_utf16(data, name)
    if not text.lstrip("\ufeff").startswith("HOVEDSKOLE_INST"):
        ex.errors.append(InputError(f"{name}:1", "format",
                                    "Overskriften skal begynde med HOVEDSKOLE_INST (STIL's "
                                    "udtræk, UTF-16LE)"))
        return ex
    for line, r in _rows(text, name, STIL_COLUMNS, ex):
        at = f"{name}:{line}"
        kind = r["INST_TYPE_NR"]
        if kind == "1013":
            _skip(ex, "friskoler og private grundskoler (1013)")
            continue
        if kind != "1012":
            _skip(ex, "andre institutionstyper end folkeskoler")
            continue
        if r["EJERKODE_NAVN"] != "Kommunale":
            _skip(ex, f"folkeskoleenheder med anden ejer ({r['EJERKODE_NAVN'] or 'ukendt'})")
            continue
        ident = r["INST_NR"]
        if not re.fullmatch(r"\d{6}", ident):
            ex.errors.append(InputError(f"{at}.INST_NR", "invalid",
                                        f"Institutionsnummeret skal have 6 cifre, fik {ident!r}"))
            continue
        code_raw = r["BEL_KOMMUNE"] or r["KOMMUNE_NR"]
        if not code_raw.isdigit():
            ex.errors.append(InputError(f"{at}.BEL_KOMMUNE", "invalid",
                                        f"Kommunekoden skal være et tal, fik {code_raw!r}"))
            continue
        code = int(code_raw)
        if code not in municipalities:
            _skip(ex, f"enheder uden for de 98 kommuner (kommune {code})")
            continue
        for c in ("GEO_BREDDE_GRAD", "GEO_LAENGDE_GRAD"):
            if r[c] and _coord(r[c]) is None:
                ex.errors.append(InputError(f"{at}.{c}", "invalid",
                                            f"Koordinaten skal være et decimaltal, fik {r[c]!r}"))
        unit = r["ENHEDSART"].split(" (")[0]
        main = r["HOVEDSKOLE_INST"]
        part = f", afdeling af {main}" if main and main != ident else ""
        ex.units.append(Unit(
            id=ident, name=r["INST_NAVN"], municipality=code, area="folkeskole",
            kind="folkeskole", provider="public", line=line, owner=r["EJERKODE_NAVN"],
            unit_type=r["INST_TYPE_NAVN"],
            place=Place(r["INST_ADR"], r["POSTNR"], r["POSTDISTRIKT"],
                        _coord(r["GEO_BREDDE_GRAD"]), _coord(r["GEO_LAENGDE_GRAD"])),
            source=(f"STIL Institutionsregister ({name}): INST_NR {ident}, INST_TYPE_NR 1012 "
                    f"(Folkeskoler), {unit}{part}, ejer {r['EJERKODE_NAVN']}, "
                    f"{r['POSTNR']} {r['POSTDISTRIKT']}".strip())))
    return ex


_DAYCARE_KINDS = {"daginstitution": "daginstitution", "fritidshjem": "fritidshjem",
                  "fritidsklub": "klub", "klub": "klub", "landsbyordning": "landsbyordning"}
_PRIVATE = re.compile(r"privat|selvejende|udliciteret", re.IGNORECASE)


# The published list's unit types (registers.md): the three kinds of daginstitution unit
# and the dagpleje units. The regimes name kinds, not these types (velfaerdsaftale-dagtilbud
# reaches daginstitution and dagpleje), so the type is kept in ``unit_type`` and the source.
_UNIT_KINDS = {"vuggestue": "daginstitution", "boernehave": "daginstitution",
               "børnehave": "daginstitution", "aldersintegreret": "daginstitution",
               "dagpleje": "dagpleje"}


def read_dagtilbud(data: bytes, name: str, municipalities: set[int]) -> Extract:
    text = decode_text(data, name)
    if text.split("\n", 1)[0].strip().lstrip("\ufeff").startswith("id,"):
        return read_dagtilbud_units(text, name, municipalities)
    ex = Extract("dagtilbud", [])
    for line, r in _rows(text, name, DAGTILBUD_COLUMNS, ex):
        at = f"{name}:{line}"
        if r["NIVEAU"].lower() != "daginstitution":
            _skip(ex, f"niveau {r['NIVEAU'] or 'ukendt'} (kun daginstitutionsniveauet)")
            continue
        ident = r["G_NUMMER"]
        if not re.fullmatch(r"G\d+", ident):
            ex.errors.append(InputError(f"{at}.G_NUMMER", "invalid",
                                        f"Forventede et G-nummer (G123456), fik {ident!r}"))
            continue
        kind = _DAYCARE_KINDS.get(r["INSTITUTIONSTYPE"].lower())
        if kind is None:
            ex.errors.append(InputError(f"{at}.INSTITUTIONSTYPE", "invalid",
                                        f"Ukendt institutionstype {r['INSTITUTIONSTYPE']!r}"))
            continue
        if not r["KOMMUNE_NR"].isdigit() or int(r["KOMMUNE_NR"]) not in municipalities:
            ex.errors.append(InputError(f"{at}.KOMMUNE_NR", "unknown_municipality",
                                        f"Ukendt kommune {r['KOMMUNE_NR']!r}"))
            continue
        owner = r["EJERFORHOLD"]
        ex.units.append(Unit(
            id=ident, name=r["NAVN"], municipality=int(r["KOMMUNE_NR"]), area="dagtilbud",
            kind=kind, provider="private" if _PRIVATE.search(owner) else "public", line=line,
            owner=owner, unit_type=r["INSTITUTIONSTYPE"],
            place=Place(r["ADRESSE"], r["POSTNR"], r["POSTDISTRIKT"]),
            source=f"Dagtilbudsregisteret ({name}): {ident}, {r['INSTITUTIONSTYPE']}, "
                   f"ejerforhold {owner or 'ukendt'}"))
    return ex


def _float(v: str) -> float | None:
    try:
        x = float(v) if v else None
    except ValueError:
        return None
    return x if x is None or math.isfinite(x) else None


def read_dagtilbud_units(text: str, name: str, municipalities: set[int]) -> Extract:
    """The published unit list: one row per unit (anvisningsenhed or dagpleje unit)."""
    ex = Extract("dagtilbud", [])
    for line, r in _rows(text, name, DAGTILBUD_UNIT_COLUMNS, ex, delimiter=","):
        at = f"{name}:{line}"
        ident = r["id"]
        # G-numbers, and one D-number in the 2026 list (Bryggehuset, København)
        if not re.fullmatch(r"[A-Z]\d+", ident):
            ex.errors.append(InputError(f"{at}.id", "invalid",
                                        f"Forventede et enhedsnummer (G123456), fik {ident!r}"))
            continue
        kind = _UNIT_KINDS.get(r["type"].lower())
        if kind is None:
            ex.errors.append(InputError(f"{at}.type", "invalid",
                                        f"Ukendt enhedstype {r['type']!r}"))
            continue
        code = r["municipality_code"]
        if not code.isdigit() or int(code) not in municipalities:
            ex.errors.append(InputError(f"{at}.municipality_code", "unknown_municipality",
                                        f"Ukendt kommune {code!r}"))
            continue
        for c in ("lat", "lon"):
            if r[c] and _float(r[c]) is None:
                ex.errors.append(InputError(f"{at}.{c}", "invalid",
                                            f"Koordinaten skal være et decimaltal, fik {r[c]!r}"))
        owner = r["owner"]
        ex.units.append(Unit(
            id=ident, name=r["name"], municipality=int(code), area="dagtilbud", kind=kind,
            provider="private" if _PRIVATE.search(owner) else "public", line=line,
            owner=owner, unit_type=r["type"],
            place=Place(r["address"], r["postcode"], r["city"], _float(r["lat"]),
                        _float(r["lon"])),
            source=f"Dagtilbudsregisteret ({name}): {ident}, {r['type']}, ejer "
                   f"{owner or 'ukendt'}, {r['postcode']} {r['city']}".strip()))
    return ex


def _municipality_by_name(names: dict[str, int], raw: str) -> int | None:
    s = raw.strip().lower()
    s = re.sub(r"\s+(regions)?kommune$", "", s)
    for cand in (s, s[:-1] if s.endswith("s") else s):
        if cand in names:
            return names[cand]
    return None


def read_plejehjem(data: bytes, name: str, municipalities: dict[str, int]) -> Extract:
    ex = Extract("plejehjem", [])
    for line, r in _rows(decode_text(data, name), name, PLEJEHJEM_COLUMNS, ex):
        at = f"{name}:{line}"
        if r["Inactive"].lower() == "true":
            _skip(ex, "inaktive (Inactive = True)")
            continue
        if not r["id"].isdigit():
            ex.errors.append(InputError(f"{at}.id", "invalid",
                                        f"Forventede et tal, fik {r['id']!r}"))
            continue
        if not r["Kommune"]:
            _skip(ex, "uden kommune")
            continue
        code = _municipality_by_name(municipalities, r["Kommune"])
        if code is None:
            ex.errors.append(InputError(f"{at}.Kommune", "unknown_municipality",
                                        f"Kommunen {r['Kommune']!r} kendes ikke"))
            continue
        ctype = r["Center type"]
        private = "friplejebolig" in ctype.lower() or "privat" in ctype.lower()
        ex.units.append(Unit(
            id=f"plejehjem-{r['id']}", name=r["Plejehjemsnavn"], municipality=code,
            area="aeldre", kind="friplejebolig" if "friplejebolig" in ctype.lower()
            else "plejehjem", provider="private" if private else "public", line=line,
            unit_type=ctype, place=Place(f"{r['Vejnavn']} {r['Vejnummer']}".strip(),
                                         r["Postalcode"]),
            source=f"Plejehjemsoversigten ({name}): id {r['id']}, {ctype or 'type ukendt'}, "
                   f"{r['Postalcode']}"))
    return ex


# -- into the register ------------------------------------------------------------------


def _current(view: m.World) -> dict[str, list[m.Membership]]:
    out: dict[str, list[m.Membership]] = {}
    for ms in view.memberships:
        out.setdefault(ms.institution, []).append(ms)
    return out


def _ms_json(ms: m.Membership, **changes: Any) -> dict[str, Any]:
    d = {"municipality": ms.municipality, "area": ms.area, "kind": ms.kind,
         "provider": ms.provider,
         "from": ms.valid_from.isoformat() if ms.valid_from else None,
         "to": ms.valid_to.isoformat() if ms.valid_to else None}
    d.update(changes)
    return d


def plan(ex: Extract, world: m.World, *, now: dt.datetime,
         as_of: dt.date | None) -> tuple[dict[str, Any], InstitutionImport]:
    view = world.known_at(now)
    result = InstitutionImport(ex.register, left_out=dict(ex.left_out))
    insts = {i.id: i for i in view.institutions}
    members = _current(view)
    areas = {u.area for u in ex.units} or {"folkeskole" if ex.register == "stil" else
                                           "dagtilbud" if ex.register == "dagtilbud"
                                           else "aeldre"}
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    errors: list[InputError] = []
    day = as_of.isoformat() if as_of else None

    def need_date(path: str, what: str) -> bool:
        if as_of is None:
            errors.append(InputError(path, "missing",
                                     f"{what}: angiv udtrækkets dato (--as-of), så ændringen "
                                     "kan dateres"))
            return False
        return True

    for u in ex.units:
        if u.id in seen:
            errors.append(InputError(f"{u.source.split(' (')[0]}:{u.line}", "duplicate",
                                     f"Institution {u.id} står to gange i udtrækket"))
            continue
        seen.add(u.id)
        old = insts.get(u.id)
        mine = sorted(members.get(u.id, []), key=lambda x: x.valid_from or dt.date.min)
        ref_day = as_of or now.date()
        open_ = [x for x in mine if x.valid_to is None or x.valid_to > ref_day]
        if old is None:
            records.append({"id": u.id, "name": u.name, "source": u.source,
                            "memberships": [{"municipality": u.municipality, "area": u.area,
                                             "kind": u.kind, "provider": u.provider,
                                             "from": None, "to": None}]})
            result.new += 1
            continue
        if old.name != u.name:
            result.warnings.append(InputError(
                f"institutions[{u.id}].name", "name_changed",
                f"Institution {u.id} hedder nu {u.name!r} i udtrækket (registret: "
                f"{old.name!r}); navnet i registret er uændret", "warning"))
        base = {"id": old.id, "name": old.name, "requested": list(old.requested),
                "source": old.source, "example": old.example}
        cur = open_[-1] if open_ else None
        same = cur is not None and (cur.municipality, cur.area, cur.kind, cur.provider) == (
            u.municipality, u.area, u.kind, u.provider)
        if same:
            result.unchanged += 1
            continue
        path = f"institutions[{u.id}]"
        if cur is None:
            if not need_date(path, f"Institution {u.id} er genåbnet"):
                continue
            ms = [{"municipality": u.municipality, "area": u.area, "kind": u.kind,
                   "provider": u.provider, "from": day, "to": None}]
            result.reopened += 1
        else:
            if not need_date(path, f"Institution {u.id} er flyttet"):
                continue
            if cur.valid_from is not None and as_of is not None and cur.valid_from >= as_of:
                errors.append(InputError(path, "invalid",
                                         f"Udtrækkets dato {day} ligger ikke efter "
                                         f"medlemskabet fra {cur.valid_from}"))
                continue
            ms = [_ms_json(cur, to=day),
                  {"municipality": u.municipality, "area": u.area, "kind": u.kind,
                   "provider": u.provider, "from": day, "to": None}]
            result.moved += 1
        records.append({**base, "memberships": ms})
    # units of this register's areas that the extract no longer holds, in the
    # municipalities it covers: an extract without a municipality says nothing about it
    covered = {u.municipality for u in ex.units}
    for ident, mine in members.items():
        if ident in seen:
            continue
        inst = insts.get(ident)
        if inst is None or inst.example or not _from_register(inst.source, ex.register):
            continue
        ref_day = as_of or now.date()
        for cur in mine:
            if cur.area not in areas or cur.municipality not in covered or not (
                    cur.valid_to is None or cur.valid_to > ref_day):
                continue
            if not need_date(f"institutions[{ident}]", f"Institution {ident} er lukket"):
                break
            records.append({"id": inst.id, "name": inst.name, "requested": list(inst.requested),
                            "source": inst.source, "example": inst.example,
                            "memberships": [_ms_json(cur, to=day)]})
            result.closed += 1
    if errors:
        raise Rejected(errors)
    return {"format": "frisat-bundle/1", "institutions": records}, result


def _from_register(source: str, register: str) -> bool:
    marker = {"stil": "STIL Institutionsregister", "dagtilbud": "Dagtilbudsregisteret",
              "plejehjem": "Plejehjemsoversigten"}[register]
    return source.startswith(marker)


READERS: dict[str, Callable[..., Extract]] = {
    "stil": read_stil, "dagtilbud": read_dagtilbud, "plejehjem": read_plejehjem}


def read_extract(register: str, path: str | Path, world: m.World) -> Extract:
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise Rejected([InputError(str(p), "not_found", "Filen findes ikke")]) from None
    if register == "plejehjem":
        by_name = {x.name.lower(): x.code for x in world.municipalities}
        ex = read_plejehjem(data, p.name, by_name)
    else:
        ex = READERS[register](data, p.name, {x.code for x in world.municipalities})
    if ex.errors:
        raise Rejected(ex.errors)
    return ex


def import_institutions(register: str, path: str | Path, *, as_of: dt.date | None = None,
                        dry_run: bool = False, now: dt.datetime | None = None
                        ) -> InstitutionImport:
    """Import one register extract atomically through the loader."""
    from django.db import transaction

    from frisat.registry import store
    from frisat.registry.loader import load, os_user

    now = now or store.now()
    with transaction.atomic():
        world = store.read_world()
        ex = read_extract(register, path, world)
        doc, result = plan(ex, world, now=now, as_of=as_of)
        loaded = load(doc, now=now, source=f"{register}: {Path(path).name}", dry_run=dry_run,
                      by=os_user(), how="import")
    result.added = loaded.added
    result.warnings.extend(loaded.warnings)
    result.dry_run = dry_run
    return result
