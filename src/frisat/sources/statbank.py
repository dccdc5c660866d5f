"""Statistics Denmark's Statbank API (api.statbank.dk, v1) → indicator rows.

``Client`` asks politely: at most one request per ``min_interval`` seconds, retries with
exponential backoff on network errors, 429 and 5xx (``Retry-After`` honoured), a User-Agent
that names frisat. ``fetch`` reads a table's metadata (``/v1/tableinfo``), then its data
(``/v1/data``, CSV or JSON-stat 2.0) one chunk of periods at a time, so that a progress
callback can follow a long pull. The readers turn a response into rows of the CONTRACT
CSV shape (``indicator,unit_kind,unit,period,value,source``): municipality codes are the
three-digit codes (``101`` … ``860``; the whole country ``000`` and the regions ``081`` …
``085`` are left out), periods are mapped (``2021K3`` → ``2021Q3``, ``2021M09`` →
``2021-09``). Missing values (``..``) are left out. No database code here.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

API = "https://api.statbank.dk/v1"
# HTTP header values are ASCII: "frisaettelse", not "frisættelse" (issue 14, finding 8)
USER_AGENT = "frisat (register for frisaettelse; opfoelgning paa kommunale indikatorer)"
MUNICIPALITY = re.compile(r"^\d{3}$")
NOT_MUNICIPALITY = {"000", "081", "082", "083", "084", "085"}  # the country, the regions
AREA_VARIABLES = ("OMRÅDE", "KOMK", "KOMMUNE", "BOPKOM", "KOM")
TIME_VARIABLE = "Tid"


class StatbankError(Exception):
    """A fetch or a document that failed; ``code`` is stable, the message Danish."""

    def __init__(self, code: str, message: str, url: str = ""):
        self.code = code
        self.url = url
        self.message = message
        super().__init__(f"{url}: {code} — {message}" if url else f"{code} — {message}")


def period(value: str) -> str | None:
    """A Statbank period → frisat's: ``2021``, ``2021K3`` → ``2021Q3``, ``2021M09`` →
    ``2021-09``; ``2020/2021`` (a school year) → ``2021`` (its end year)."""
    v = value.strip()
    if m := re.fullmatch(r"(\d{4})", v):
        return m[1]
    if m := re.fullmatch(r"(\d{4})K([1-4])", v):
        return f"{m[1]}Q{m[2]}"
    if m := re.fullmatch(r"(\d{4})M(0[1-9]|1[0-2])", v):
        return f"{m[1]}-{m[2]}"
    if m := re.fullmatch(r"(\d{4})/(\d{4})", v):
        return m[2]
    return None


def _number(v: str) -> float | None:
    s = v.strip().replace(" ", "")
    if s in ("", "..", ".", "-"):
        return None
    s = s.replace(".", "").replace(",", ".") if "," in s else s
    try:
        return float(s)
    except ValueError:
        return None


@dataclass(frozen=True)
class TableInfo:
    table: str
    text: str
    unit: str
    updated: str
    variables: dict[str, list[tuple[str, str]]]  # code -> [(value id, text)]

    @property
    def area_variable(self) -> str | None:
        return next((v for v in AREA_VARIABLES if v in self.variables), None)


def read_tableinfo(doc: Any) -> TableInfo:
    try:
        return TableInfo(
            table=doc["id"], text=doc.get("text", ""), unit=doc.get("unit", ""),
            updated=doc.get("updated", ""),
            variables={v["id"]: [(x["id"], x.get("text", "")) for x in v["values"]]
                       for v in doc["variables"]})
    except (KeyError, TypeError) as e:
        raise StatbankError("format", f"Tabeloplysningerne mangler feltet {e}") from None


def read_csv(text: str, indicator: str, source: str,
             area: str | None = None) -> list[dict[str, str]]:
    """A ``format=CSV`` answer (semicolon-separated, codes as values, ``INDHOLD`` last)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    if not rows or "INDHOLD" not in rows[0]:
        raise StatbankError("format", "CSV-svaret har ingen kolonne INDHOLD")
    header = rows[0]
    value_ix = header.index("INDHOLD")
    area = area or next((h for h in header if h in AREA_VARIABLES), None)
    if area is None or TIME_VARIABLE.upper() not in [h.upper() for h in header]:
        raise StatbankError("format", "CSV-svaret har ingen kommune- eller tidskolonne")
    area_ix = header.index(area)
    time_ix = [h.upper() for h in header].index(TIME_VARIABLE.upper())
    return _rows(((r[area_ix], r[time_ix], r[value_ix]) for r in rows[1:] if len(r) == len(header)),
                 indicator, source)


def read_jsonstat(doc: Any, indicator: str, source: str) -> list[dict[str, str]]:
    """A ``format=JSONSTAT`` answer (JSON-stat 2.0 dataset; values in row-major order)."""
    ds: Any = doc.get("dataset", doc) if isinstance(doc, dict) else None
    try:
        ids, sizes, dims = ds["id"], ds["size"], ds["dimension"]
        values = ds["value"]
    except (KeyError, TypeError) as e:
        raise StatbankError("format", f"JSON-stat-svaret mangler {e}") from None
    area = next((d for d in ids if d in AREA_VARIABLES), None)
    tid = next((d for d in ids if d.upper() == TIME_VARIABLE.upper()), None)
    if area is None or tid is None:
        raise StatbankError("format", "JSON-stat-svaret har ingen kommune- eller tidsdimension")
    others = [d for d in ids if d not in (area, tid)]
    for d in others:
        if sizes[ids.index(d)] != 1:
            raise StatbankError("format", f"Variablen {d} har flere værdier; vælg én")

    def cats(d: str) -> list[str]:
        index = dims[d]["category"]["index"]
        if isinstance(index, list):
            return list(index)
        return [k for k, _ in sorted(index.items(), key=lambda kv: kv[1])]

    axes = [cats(d) for d in ids]
    strides = [1] * len(ids)
    for i in range(len(ids) - 2, -1, -1):
        strides[i] = strides[i + 1] * sizes[i + 1]
    ai, ti = ids.index(area), ids.index(tid)
    triples = []
    for a_pos, a in enumerate(axes[ai]):
        for t_pos, t in enumerate(axes[ti]):
            flat = a_pos * strides[ai] + t_pos * strides[ti]
            v = values.get(str(flat)) if isinstance(values, dict) else values[flat]
            triples.append((a, t, "" if v is None else str(v)))
    return _rows(triples, indicator, source)


def _rows(triples: Iterable[tuple[str, str, str]], indicator: str,
          source: str) -> list[dict[str, str]]:
    out = []
    for area, when, raw in triples:
        code = area.strip()
        if not MUNICIPALITY.fullmatch(code) or code in NOT_MUNICIPALITY:
            continue
        p = period(when)
        if p is None:
            raise StatbankError("format", f"Ukendt periode {when!r} i svaret")
        v = _number(raw)
        if v is None:
            continue
        out.append({"indicator": indicator, "unit_kind": "municipality", "unit": str(int(code)),
                    "period": p, "value": repr(v), "source": source})
    return out


@dataclass
class Client:
    """A polite client. ``sleep`` and ``clock`` are injectable for tests."""

    http: httpx.Client = field(default_factory=lambda: httpx.Client(
        timeout=120.0, headers={"User-Agent": USER_AGENT}))
    min_interval: float = 1.0
    retries: int = 4
    backoff: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: float | None = None
    requests: int = 0

    def _wait_turn(self) -> None:
        if self._last is not None:
            wait = self._last + self.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()

    def request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        delay = self.backoff
        for attempt in range(self.retries + 1):
            self._wait_turn()
            self.requests += 1
            try:
                r = self.http.request(method, url, **kw)
            except httpx.TransportError as e:
                if attempt == self.retries:
                    raise StatbankError("network", f"Statistikbanken kunne ikke nås efter "
                                        f"{attempt + 1} forsøg ({type(e).__name__})", url) from None
                self.sleep(delay)
                delay *= 2
                continue
            if r.status_code == 429 or r.status_code >= 500:
                if attempt == self.retries:
                    raise StatbankError("rate_limited" if r.status_code == 429 else "http_error",
                                        f"Statistikbanken svarede {r.status_code} efter "
                                        f"{attempt + 1} forsøg", url)
                after = r.headers.get("Retry-After", "")
                self.sleep(float(after) if after.isdigit() else delay)
                delay *= 2
                continue
            if r.status_code >= 400:
                msg = ""
                try:
                    msg = r.json().get("message", "")
                except ValueError:
                    msg = r.text[:200]
                raise StatbankError("not_found" if r.status_code == 404 else "bad_request",
                                    f"Statistikbanken svarede {r.status_code}: {msg}", url)
            return r
        raise AssertionError("unreachable")

    def tableinfo(self, table: str, lang: str = "da") -> TableInfo:
        r = self.request("GET", f"{API}/tableinfo/{table}", params={"format": "JSON",
                                                                       "lang": lang})
        return read_tableinfo(r.json())

    def data(self, table: str, variables: dict[str, list[str]], fmt: str = "CSV",
             lang: str = "da") -> httpx.Response:
        body = {"table": table, "format": fmt, "lang": lang, "valuePresentation": "Code",
                "variables": [{"code": k, "values": v} for k, v in variables.items()]}
        return self.request("POST", f"{API}/data", json=body)


def fetch(client: Client, table: str, indicator: str, *, select: dict[str, str],
          periods: list[str] | None = None, fmt: str = "CSV", chunk: int = 5,
          progress: Callable[[int, int], None] | None = None) -> list[dict[str, str]]:
    """Every municipality's value of ``table`` for the chosen periods, as indicator rows.

    ``select`` fixes every variable other than the municipality and time (one value each).
    """
    info = client.tableinfo(table)
    area = info.area_variable
    if area is None:
        raise StatbankError("no_municipality", f"Tabellen {table} har ingen kommunevariabel "
                            f"({', '.join(info.variables)})")
    times = [v for v, _ in info.variables.get(TIME_VARIABLE, [])]
    if periods:
        wanted = set(periods)
        times = [t for t in times if period(t) in wanted or t in wanted]
    if not times:
        raise StatbankError("no_periods", f"Ingen af de valgte perioder findes i {table}")
    fixed: dict[str, list[str]] = {}
    for var, vals in info.variables.items():
        if var in (area, TIME_VARIABLE):
            continue
        if var not in select:
            raise StatbankError("select",
                                f"Vælg én værdi for {var} med --select {var}=KODE "
                                f"(fx {', '.join(v for v, _ in vals[:5])})")
        if select[var] not in {v for v, _ in vals}:
            raise StatbankError("select", f"{var}={select[var]} findes ikke i {table}")
        fixed[var] = [select[var]]
    source = f"DST {table} ({', '.join(f'{k}={v[0]}' for k, v in fixed.items()) or 'alle'}), " \
             f"opdateret {info.updated[:10]}"
    out: list[dict[str, str]] = []
    chunks = [times[i:i + chunk] for i in range(0, len(times), chunk)]
    for n, part in enumerate(chunks, start=1):
        r = client.data(table, {area: ["*"], TIME_VARIABLE: part, **fixed}, fmt=fmt)
        if fmt == "JSONSTAT":
            out += read_jsonstat(r.json(), indicator, source)
        else:
            out += read_csv(r.text, indicator, source, area)
        if progress:
            progress(n, len(chunks))
    return out
