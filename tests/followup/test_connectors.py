"""Indicator connectors: CSV/XLSX uploads (validated, atomic) and the Statbank client on
recorded responses (httpx.MockTransport; the machine cannot reach api.statbank.dk)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from frisat.cli import app
from frisat.followup.connectors import fetch_and_load
from frisat.followup.models import DataLoad, Indicator, Observation
from frisat.sources import statbank

pytestmark = pytest.mark.django_db
RECORDED = Path(__file__).parent / "recorded"
HEADER = "indicator,unit_kind,unit,period,value,source\n"


def _count() -> tuple[int, int, int]:
    return Observation.objects.count(), Indicator.objects.count(), DataLoad.objects.count()


def _load(tmp_path: Path, text: str, *args: str, name: str = "data.csv") -> Any:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return CliRunner().invoke(app, ["indicators", "load", str(f), *args])


def test_a_good_csv_loads_and_a_second_load_changes_nothing(tmp_path: Path) -> None:
    before = _count()
    text = HEADER + "ny-indikator,municipality,217,2022,4.5,Eksempel\n" \
                    "ny-indikator,municipality,840,2022Q3,\"4,7\",Eksempel\n"
    res = _load(tmp_path, text, "--define", 'ny-indikator:"Ny indikator (eksempel)":antal:lower')
    assert res.exit_code == 0, res.output
    assert _count()[0] == before[0] + 2 and _count()[1] == before[1] + 1
    assert Observation.objects.get(indicator_id="ny-indikator", unit="840").period == "2022Q3"
    again = _load(tmp_path, text)
    assert again.exit_code == 0 and _count()[0] == before[0] + 2


def test_a_revised_value_appends_history(tmp_path: Path) -> None:
    text = HEADER + "klassekvotient,municipality,217,2021,21.0,revideret (eksempel)\n"
    res = _load(tmp_path, text)
    assert res.exit_code == 0, res.output
    rows = list(Observation.objects.filter(indicator_id="klassekvotient", unit="217",
                                           period="2021").order_by("recorded_at"))
    assert len(rows) == 2 and rows[-1].value == 21.0


@pytest.mark.parametrize("row,path,code", [
    ("klassekvotient,municipality,999,2021,20,x", "rows[2].unit", "unknown_municipality"),
    ("klassekvotient,municipality,217,2021,tyve,x", "rows[2].value", "not_numeric"),
    ("klassekvotient,municipality,217,21/22,20,x", "rows[2].period", "unknown_period"),
    ("ukendt-indikator,municipality,217,2021,20,x", "rows[2].indicator", "unknown_indicator"),
    ("klassekvotient,municipality,101,2019,20,x", "rows[2]", "duplicate"),
    ("klassekvotient,institution,217,2021,20,x", "rows[2].unit_kind", "invalid"),
    ("klassekvotient,municipality,217,2021,20,", "rows[2].source", "missing"),
])
def test_a_bad_row_stores_nothing_and_names_row_field_and_code(
        tmp_path: Path, row: str, path: str, code: str) -> None:
    before = _count()
    text = HEADER + "klassekvotient,municipality,101,2019,20.5,ok\n" + row + "\n"
    res = _load(tmp_path, text)
    assert res.exit_code == 2
    assert f"{path}: {code}" in res.stderr.replace("\n", " ")
    assert _count() == before


def test_a_wrong_header_and_a_non_utf8_file_are_rejected(tmp_path: Path) -> None:
    res = _load(tmp_path, "kommune;aar;vaerdi\n101;2021;3\n")
    assert res.exit_code == 2 and "format" in res.stderr
    f = tmp_path / "latin1.csv"
    f.write_bytes((HEADER + "klassekvotient,municipality,217,2021,2,Kilde æ\n").encode("latin-1"))
    res = CliRunner().invoke(app, ["indicators", "load", str(f)])
    assert res.exit_code == 2 and "UTF-8" in res.stderr


def test_xlsx_is_read_like_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    ws.append(["xlsx-eksempel", "municipality", 217, 2021, 3.25, "regneark (eksempel)"])
    ws.append(["xlsx-eksempel", "municipality", 840, 2021, "ikke et tal", "regneark"])
    path = tmp_path / "data.xlsx"
    wb.save(path)
    before = _count()
    define = 'xlsx-eksempel:"XLSX-eksempel":antal:higher'
    res = CliRunner().invoke(app, ["indicators", "load", str(path), "--define", define])
    assert res.exit_code == 2 and "rows[2].value: not_numeric" in res.stderr
    assert _count() == before
    ws.delete_rows(3)
    wb.save(path)
    res = CliRunner().invoke(app, ["indicators", "load", str(path), "--define", define])
    assert res.exit_code == 0, res.output
    assert Observation.objects.get(indicator_id="xlsx-eksempel").value == 3.25


def test_a_bad_define_is_rejected(tmp_path: Path) -> None:
    res = _load(tmp_path, HEADER, "--define", "x:Navn:enhed:sideways")
    assert res.exit_code == 2 and "better: invalid" in res.stderr


# -- Statbank -----------------------------------------------------------------------------


class Recorded:
    """Answers like api.statbank.dk v1 from the recorded files; fails the first data call
    with 503 to exercise the retry."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Any]] = []
        self.failed = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.calls.append((request.method, request.url.path, body))
        if request.url.path == "/v1/tableinfo/BOERN8":
            return httpx.Response(200, content=(RECORDED / "boern8-tableinfo.json").read_bytes())
        if request.url.path.startswith("/v1/tableinfo/"):
            return httpx.Response(404, json={"errorTypeCode": "TABLE_NOT_FOUND",
                                             "message": "Tabellen findes ikke"})
        if request.url.path == "/v1/data":
            if not self.failed:
                self.failed = True
                return httpx.Response(503, headers={"Retry-After": "2"})
            if body["format"] == "JSONSTAT":
                return httpx.Response(
                    200, content=(RECORDED / "boern8-data.jsonstat.json").read_bytes())
            return httpx.Response(200, content=(RECORDED / "boern8-data.csv").read_bytes())
        return httpx.Response(400)


def _client(handler: Recorded, sleeps: list[float]) -> statbank.Client:
    return statbank.Client(http=httpx.Client(transport=httpx.MockTransport(handler)),
                           sleep=sleeps.append, clock=lambda: 0.0)


DEFINE = 'boern8-eksempel:"BOERN8 (eksempel)":"børn pr. voksen":lower'


@pytest.mark.parametrize("fmt", ["CSV", "JSONSTAT"])
def test_fetch_maps_codes_and_periods_and_loads(fmt: str) -> None:
    from frisat.followup.indicators import parse_define

    handler, sleeps = Recorded(), []
    steps: list[tuple[int, int]] = []
    before = _count()
    result = fetch_and_load(_client(handler, sleeps), "BOERN8", "boern8-eksempel",
                            select={"PASKAT": "3"}, defines=[parse_define(DEFINE)],
                            api_format=fmt, progress=lambda a, b: steps.append((a, b)))
    stored = {o.unit: o.value for o in Observation.objects.filter(indicator_id="boern8-eksempel")}
    expected = {"101": 6.0, "217": 6.0, "840": 6.3} | ({"825": 5.3} if fmt == "CSV" else {})
    assert stored == expected  # the country and the region left out, 2023 (..) left out
    assert result.added["observations"] == len(expected)
    assert _count()[0] == before[0] + len(expected)
    assert set(Observation.objects.filter(indicator_id="boern8-eksempel")
               .values_list("period", flat=True)) == {"2024"}
    data_calls = [c for c in handler.calls if c[1] == "/v1/data"]
    assert len(data_calls) == 2  # one 503, one retry
    assert data_calls[-1][2]["variables"][-1] == {"code": "PASKAT", "values": ["3"]}
    assert data_calls[-1][2]["valuePresentation"] == "Code"
    assert 2.0 in sleeps  # Retry-After honoured
    assert steps[-1] == (1, 1)


def test_fetch_asks_for_every_other_variable_and_stores_nothing() -> None:
    handler, sleeps = Recorded(), []
    before = _count()
    with pytest.raises(statbank.StatbankError) as e:
        fetch_and_load(_client(handler, sleeps), "BOERN8", "klassekvotient", select={})
    assert e.value.code == "select" and "PASKAT" in e.value.message
    with pytest.raises(statbank.StatbankError) as e:
        fetch_and_load(_client(handler, sleeps), "NOSUCH", "klassekvotient", select={})
    assert e.value.code == "not_found"
    assert _count() == before


def test_fetch_into_an_unknown_indicator_stores_nothing() -> None:
    from frisat.registry.errors import Rejected

    handler, sleeps = Recorded(), []
    before = _count()
    with pytest.raises(Rejected) as e:
        fetch_and_load(_client(handler, sleeps), "BOERN8", "findes-ikke", select={"PASKAT": "3"})
    assert {x.code for x in e.value.errors} == {"unknown_indicator"}
    assert _count() == before


def test_statbank_periods() -> None:
    assert statbank.period("2021K3") == "2021Q3"
    assert statbank.period("2021M09") == "2021-09"
    assert statbank.period("2020/2021") == "2021"
    assert statbank.period("2021H1") is None


def test_retries_give_up_with_a_code() -> None:
    sleeps: list[float] = []
    client = statbank.Client(http=httpx.Client(transport=httpx.MockTransport(
        lambda r: httpx.Response(503))), sleep=sleeps.append, clock=lambda: 0.0, retries=2)
    with pytest.raises(statbank.StatbankError) as e:
        client.tableinfo("BOERN8")
    assert e.value.code == "http_error"
    assert [s for s in sleeps if s != client.min_interval] == [2.0, 4.0]  # backoff doubles
