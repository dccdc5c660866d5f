"""Indicator definitions and observations: read, check and store, all or nothing.

Observations come as rows of the CONTRACT CSV shape
``indicator,unit_kind,unit,period,value,source`` (from a CSV or XLSX file, the Statbank
reader or the shipped panels). Every row is checked before anything is stored; each error
names the row, the field and a stable code. A row whose key (indicator, unit, period) is
stored with the same value is skipped, so loads are idempotent; a new value for a stored
key is a revision by the source and appends history (the earlier value stays readable at
its record time).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from frisat.followup import periods
from frisat.followup.models import DataLoad, Indicator, Observation
from frisat.registry.errors import InputError, Rejected

HEADER = ("indicator", "unit_kind", "unit", "period", "value", "source")
LEVELS = ("municipality", "institution")
BETTER = ("higher", "lower")
DATA = Path(__file__).resolve().parent.parent / "data" / "indicators"
_KEY = re.compile(r"[a-z0-9][a-z0-9._-]*")
_DEFINE = re.compile(r'^(?P<key>[^:]+):(?:"(?P<qname>[^"]*)"|(?P<name>[^:]*)):'
                     r'(?P<unit>[^:]*):(?P<better>[^:]*)$')


@dataclass(frozen=True)
class Definition:
    key: str
    name: str
    unit: str
    better: str
    level: str = "municipality"
    name_en: str = ""
    unit_en: str = ""
    area: str = ""
    period_kind: str = "year"
    source: str = ""
    source_url: str = ""
    licence: str = ""
    attribution: str = ""
    breaks: tuple[dict[str, str], ...] = ()
    caveats: tuple[dict[str, str], ...] = ()
    note: str = ""

    def fields(self) -> dict[str, Any]:
        return {"name": self.name, "name_en": self.name_en, "unit": self.unit,
                "unit_en": self.unit_en, "level": self.level, "better": self.better,
                "area": self.area, "period_kind": self.period_kind, "source": self.source,
                "source_url": self.source_url, "licence": self.licence,
                "attribution": self.attribution, "breaks": list(self.breaks),
                "caveats": list(self.caveats), "note": self.note}

    @classmethod
    def of(cls, row: Indicator) -> Definition:
        return cls(key=row.key, name=row.name, unit=row.unit, better=row.better,
                   level=row.level, name_en=row.name_en, unit_en=row.unit_en, area=row.area,
                   period_kind=row.period_kind, source=row.source, source_url=row.source_url,
                   licence=row.licence, attribution=row.attribution,
                   breaks=tuple(row.breaks), caveats=tuple(row.caveats), note=row.note)


@dataclass(frozen=True)
class Row:
    indicator: str
    unit_kind: str
    unit: str
    period: str
    value: float
    source: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.indicator, self.unit_kind, self.unit, self.period)


@dataclass
class LoadResult:
    added: dict[str, int] = field(default_factory=dict)
    skipped: int = 0


# -- definitions ---------------------------------------------------------------------------


def parse_define(spec: str, path: str = "--define") -> Definition:
    """``KEY:"Name":unit:higher|lower`` (the CLI's ``--define``)."""
    m = _DEFINE.match(spec.strip())
    if not m:
        raise Rejected([InputError(path, "invalid",
                                   f'Forventede KEY:"Navn":enhed:higher|lower, fik {spec!r}')])
    key, better = m["key"].strip(), m["better"].strip()
    name = (m["qname"] if m["qname"] is not None else m["name"] or "").strip()
    errors = []
    if not _KEY.fullmatch(key):
        errors.append(InputError(f"{path}.key", "invalid",
                                 f"{key!r} er ikke en gyldig nøgle (små bogstaver, tal, . _ -)"))
    if not name:
        errors.append(InputError(f"{path}.name", "missing", "Indikatoren skal have et navn"))
    if better not in BETTER:
        errors.append(InputError(f"{path}.better", "invalid",
                                 f"Retningen skal være higher eller lower, fik {better!r}"))
    if errors:
        raise Rejected(errors)
    return Definition(key=key, name=name, unit=m["unit"].strip(), better=better)


def read_definitions(doc: Any, name: str = "definitions") -> list[Definition]:
    """The ``indicators`` list of a definitions document (data/indicators/definitions.yaml)."""
    errors: list[InputError] = []
    out: list[Definition] = []
    items = doc.get("indicators") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise Rejected([InputError(name, "invalid", "Forventede en liste 'indicators'")])
    for i, o in enumerate(items):
        p = f"indicators[{i}]"
        if not isinstance(o, dict):
            errors.append(InputError(p, "invalid", "Forventede et objekt"))
            continue
        for req in ("key", "name", "unit", "better", "level"):
            if not o.get(req):
                errors.append(InputError(f"{p}.{req}", "missing", "Feltet skal udfyldes"))
        if o.get("level") and o["level"] not in LEVELS:
            errors.append(InputError(f"{p}.level", "invalid", "municipality eller institution"))
        if o.get("better") and o["better"] not in BETTER:
            errors.append(InputError(f"{p}.better", "invalid", "higher eller lower"))
        for j, b in enumerate(o.get("breaks") or []):
            if not periods.parse(str(b.get("period", ""))):
                errors.append(InputError(f"{p}.breaks[{j}].period", "unknown_period",
                                         f"Ukendt periode {b.get('period')!r}"))
        if errors:
            continue
        out.append(Definition(
            key=o["key"], name=o["name"], unit=o["unit"], better=o["better"], level=o["level"],
            name_en=o.get("name_en", ""), unit_en=o.get("unit_en", ""), area=o.get("area", ""),
            period_kind=o.get("period_kind", "year"), source=o.get("source", "").strip(),
            source_url=o.get("source_url", "") or "", licence=o.get("licence", ""),
            attribution=o.get("attribution", ""),
            breaks=tuple({**b, "period": periods.parse(str(b["period"])) or ""}
                         for b in o.get("breaks") or []),
            caveats=tuple(o.get("caveats") or []), note=(o.get("note") or "").strip()))
    if errors:
        raise Rejected(errors)
    return out


def definitions() -> dict[str, Definition]:
    return {x.key: Definition.of(x) for x in Indicator.objects.all()}


# -- reading rows --------------------------------------------------------------------------


def read_table(path: Path) -> list[dict[str, Any]]:
    """The rows of a CSV (UTF-8) or XLSX file as dicts by header; ``Rejected`` on a bad file."""
    name = str(path)
    if not path.exists():
        raise Rejected([InputError(name, "not_found", "Filen findes ikke")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise Rejected([InputError(name, "format", "Filen er ikke UTF-8")]) from None
        rows = list(csv.reader(io.StringIO(text)))
    return table_rows(rows, name)


def _xlsx_rows(path: Path) -> list[list[Any]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise Rejected([InputError(str(path), "format",
                                   "Filen kan ikke læses som et Excel-regneark (XLSX)")]) from None
    ws = wb.worksheets[0]
    rows = [["" if c is None else c for c in r] for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


def table_rows(rows: list[list[Any]], name: str) -> list[dict[str, Any]]:
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise Rejected([InputError(name, "format", "Filen er tom")])
    header = [str(c).strip().lower() for c in rows[0]]
    missing = [h for h in HEADER if h not in header]
    if missing:
        raise Rejected([InputError(f"{name}.header", "format",
                                   "Overskriften skal være " + ",".join(HEADER)
                                   + f"; mangler {', '.join(missing)}")])
    return [{h: (r[i] if i < len(r) else "") for i, h in enumerate(header)} for r in rows[1:]]


def _value(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        x = float(v)
    else:
        s = str(v).strip().replace("\u2212", "-")
        if "," in s and "." not in s:  # Danish decimal comma
            s = s.replace(",", ".")
        try:
            x = float(s)
        except ValueError:
            return None
    return x if math.isfinite(x) else None


def check_rows(raw: Iterable[dict[str, Any]], defs: dict[str, Definition],
               municipalities: set[int], institutions: set[str]) -> list[Row]:
    """Every row checked; ``Rejected`` naming row, field and code if any is wrong."""
    errors: list[InputError] = []
    out: list[Row] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for n, r in enumerate(raw, start=1):
        p = f"rows[{n}]"  # row n of the data, line n + 1 of the file
        bad = len(errors)
        key = str(r.get("indicator", "")).strip()
        kind = str(r.get("unit_kind", "")).strip()
        unit = str(r.get("unit", "")).strip()
        if isinstance(r.get("unit"), float) and float(r["unit"]).is_integer():
            unit = str(int(r["unit"]))
        raw_period = r.get("period", "")
        if isinstance(raw_period, float) and raw_period.is_integer():
            raw_period = int(raw_period)
        period = periods.parse(str(raw_period))
        value = _value(r.get("value", ""))
        source = str(r.get("source", "")).strip()
        d = defs.get(key)
        if d is None:
            errors.append(InputError(f"{p}.indicator", "unknown_indicator",
                                     f"Ukendt indikator {key!r} (linje {n + 1}); definér den "
                                     'med --define KEY:"Navn":enhed:higher|lower'))
        if kind not in LEVELS:
            errors.append(InputError(f"{p}.unit_kind", "invalid",
                                     f"unit_kind skal være municipality eller institution, "
                                     f"fik {kind!r}"))
        elif d is not None and kind != d.level:
            errors.append(InputError(f"{p}.unit_kind", "invalid",
                                     f"Indikatoren {key} måles pr. {d.level}, ikke pr. {kind}"))
        if kind == "municipality" and (not unit.isdigit() or int(unit) not in municipalities):
            errors.append(InputError(f"{p}.unit", "unknown_municipality",
                                     f"Ukendt kommune {unit!r} (linje {n + 1})"))
        elif kind == "institution" and unit not in institutions:
            errors.append(InputError(f"{p}.unit", "unknown_institution",
                                     f"Ukendt institution {unit!r} (linje {n + 1})"))
        if period is None:
            errors.append(InputError(f"{p}.period", "unknown_period",
                                     f"Ukendt periode {raw_period!r} (linje {n + 1}); brug "
                                     "ÅÅÅÅ, ÅÅÅÅQ1–4 eller ÅÅÅÅ-MM"))
        if value is None:
            errors.append(InputError(f"{p}.value", "not_numeric",
                                     f"Værdien {r.get('value')!r} er ikke et tal "
                                     f"(linje {n + 1})"))
        if not source:
            errors.append(InputError(f"{p}.source", "missing",
                                     f"Kilden skal udfyldes (linje {n + 1})"))
        if len(errors) > bad:
            continue
        if kind == "municipality":
            unit = str(int(unit))
        row = Row(key, kind, unit, period or "", value or 0.0, source)
        if row.key in seen:
            errors.append(InputError(f"{p}", "duplicate",
                                     f"Samme indikator, enhed og periode som række "
                                     f"{seen[row.key]} (linje {n + 1})"))
            continue
        seen[row.key] = n
        out.append(row)
    if errors:
        raise Rejected(errors)
    return out


# -- storing -------------------------------------------------------------------------------


def _now() -> dt.datetime:
    from frisat.registry import store

    return store.now()


def store(new_defs: Iterable[Definition], rows: Iterable[Row], *, source: str,
          reference: bool = False, now: dt.datetime | None = None,
          recorded_at: dt.datetime | None = None, dry_run: bool = False) -> LoadResult:
    """Store definitions and observations in one transaction (rows already checked)."""
    when = now or _now()
    stamp = recorded_at or when
    result = LoadResult()
    with transaction.atomic():
        existing = {x.key: x for x in Indicator.objects.all()}
        fresh = []
        errors = []
        for d in new_defs:
            have = existing.get(d.key)
            if have is None:
                fresh.append(Indicator(key=d.key, recorded_at=stamp, reference=reference,
                                       **d.fields()))
            elif Definition.of(have) == d:
                result.skipped += 1
            else:
                errors.append(InputError(f"indicators.{d.key}", "conflict",
                                         f"Indikatoren {d.key} findes allerede med en anden "
                                         "definition"))
        if errors:
            raise Rejected(errors)
        rows = list(rows)
        latest: dict[tuple[str, str, str, str], tuple[float, str]] = {}
        keys = {r.indicator for r in rows}
        for ind, kind, unit, period, value, src in (
                Observation.objects.filter(indicator_id__in=keys)
                .order_by("recorded_at", "id")
                .values_list("indicator_id", "unit_kind", "unit", "period", "value", "source")):
            latest[(ind, kind, unit, period)] = (value, src)
        obs = []
        revised = 0
        for r in rows:
            had = latest.get(r.key)
            if had is not None and had[0] == r.value:
                result.skipped += 1
                continue
            revised += had is not None
            obs.append(Observation(indicator_id=r.indicator, unit_kind=r.unit_kind,
                                   unit=r.unit, period=r.period, value=r.value,
                                   source=r.source[:2000], recorded_at=stamp,
                                   reference=reference))
        result.added = {k: v for k, v in (("indicators", len(fresh)),
                                          ("observations", len(obs) - revised),
                                          ("revisions", revised)) if v}
        if dry_run:
            return result
        Indicator.objects.bulk_create(fresh)
        Observation.objects.bulk_create(obs, batch_size=2000)
        if result.added:
            DataLoad.objects.create(loaded_at=when, source=source[:500], counts=result.added)
    return result


def load_rows(raw: list[dict[str, Any]], defines: Iterable[Definition] = (), *,
              source: str, dry_run: bool = False) -> LoadResult:
    """Check rows against the definitions (stored and ``defines``) and the register; store."""
    from frisat.followup.register import world

    defines = list(defines)
    defs = definitions()
    clash = [d for d in defines if d.key in defs]
    if clash:
        raise Rejected([InputError("--define", "conflict",
                                   f"Indikatoren {d.key} er allerede defineret") for d in clash])
    defs |= {d.key: d for d in defines}
    w = world()
    rows = check_rows(raw, defs, {x.code for x in w.municipalities},
                      {x.id for x in w.institutions})
    return store(defines, rows, source=source, dry_run=dry_run)


def load_file(path: Path, defines: Iterable[Definition] = (), *,
              dry_run: bool = False) -> LoadResult:
    return load_rows(read_table(path), defines, source=str(path), dry_run=dry_run)


# -- the shipped panels --------------------------------------------------------------------


SHIPPED_AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)  # when frisat first shipped the panels


def shipped_definitions() -> list[Definition]:
    doc = yaml.safe_load((DATA / "definitions.yaml").read_text(encoding="utf-8"))
    return read_definitions(doc, "definitions.yaml")


def load_shipped() -> LoadResult:
    """The definitions and real panels under data/indicators/ (idempotent; ``frisat init``)."""
    from frisat.followup.register import world

    defs = shipped_definitions()
    w = world()
    munis, insts = {x.code for x in w.municipalities}, {x.id for x in w.institutions}
    raw: list[dict[str, Any]] = []
    for path in sorted(DATA.glob("*.csv")):
        raw += read_table(path)
    rows = check_rows(raw, {d.key: d for d in defs}, munis, insts)
    return store(defs, rows, source="frisat indicator data", reference=True,
                 recorded_at=SHIPPED_AT)
