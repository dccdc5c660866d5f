"""Golden answers: every page, API answer and CLI answer on the shipped data, byte for byte.

A refactor keeps every answer identical. The expected bytes are kept as SHA-256 digests in
``answers.json`` (one per request, for a fixed set of dates and known-at times). When an
answer changes on purpose (an issue says the old answer was wrong), regenerate with
``FRISAT_GOLDEN=update make test`` and say why in the commit. ``FRISAT_GOLDEN=dump:DIR`` writes
every body to DIR, so two commits can be diffed answer by answer.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import Client
from typer.testing import CliRunner

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent
EXPECTED = HERE / "answers.json"

ELVERHOEJEN = "frisat-217-boernehuset-elverhoejen"
INSTITUTIONS = [ELVERHOEJEN, "341002", "561003", "frisat-791-rehabiliteringscenter-viborg",
                "833004"]
DATES = ["2021-06-01", "2022-03-01", "2024-12-01", "2026-01-15"]
LATE = "2026-11-30T12:00:00+01:00"  # after every shipped record
EARLY = "2024-03-01T12:00:00+01:00"  # before the extensions of 2024 were enacted
KNOWN = [LATE, EARLY]


def _pages() -> list[str]:
    paths = ["/", "/kommune/217", "/kommune/316", "/kommune/410", "/kommune/101",
             "/kommune/217/oversigt", "/kommune/410/oversigt", "/beslutninger",
             "/bestemmelse/dagtilbudsloven/" + quote("§ 8, stk. 4"),
             "/bestemmelse/folkeskoleloven",
             "/bestemmelse/folkeskoleloven/" + quote("§ 14 b"),
             "/bestemmelse/serviceloven/" + quote("§ 79 a"),
             "/beslutning/217-2022-001", "/beslutning/410-2021-001",
             *(f"/institution/{i}" for i in INSTITUTIONS)]
    out = []
    for p in paths:
        for k in KNOWN:
            for d in DATES:
                q = f"?date={d}&known_at={quote(k)}"
                out.append(p + q)
                out.append(p + q + "&format=json")
                out.append("/en" + p + q)
            out.append(p + f"?date=2022-03-01&known_at={quote(k)}&format=csv")
    for i in INSTITUTIONS[:2]:  # every rule, on a page of its own
        for k in KNOWN:
            for d in DATES:
                q = f"?date={d}&known_at={quote(k)}"
                out.append(f"/institution/{i}/regler{q}")
                out.append(f"/en/institution/{i}/regler{q}")
        out.append(f"/institution/{i}/regler?date=2022-03-01&known_at={quote(LATE)}"
                   "&format=json")
    for p in ("/", "/kommune/217/oversigt", "/beslutninger"):
        out.append(p + f"?date=2022-03-01&known_at={quote(LATE)}&format=atom")
    out.append("/kommune/217/oversigt/indlejr?date=2022-03-01&known_at=" + quote(LATE))
    for i in INSTITUTIONS[:2]:
        out.append(f"/institution/{i}?date=2022-03-01&known_at={quote(LATE)}"
                   "&compare=2021-06-01")
        out.append(f"/institution/{i}?date=2022-03-01&known_at={quote(LATE)}"
                   "&compare=2021-06-01&format=json")
    # search is left out: its ranking is the database's own (FTS5 on SQLite, tsvector on
    # PostgreSQL), so the order of equally good hits may differ between the two
    return out


def _api() -> list[str]:
    out = []
    for k in KNOWN:
        kq = quote(k)
        for d in DATES:
            out.append(f"/api/v1/national?date={d}&known_at={kq}")
            for i in INSTITUTIONS:
                out.append(f"/api/v1/institutions/{i}/rules?date={d}&known_at={kq}")
            out.append(f"/api/v1/municipalities/217/status?area=dagtilbud&provision="
                       f"{quote('dagtilbudsloven § 8, stk. 1')}&date={d}&known_at={kq}")
            out.append(f"/api/v1/municipalities/410/status?area=aeldre&provision="
                       f"{quote('serviceloven § 79 a, stk. 1')}&date={d}&known_at={kq}")
            out.append(f"/api/v1/municipalities/217/overview?date={d}&known_at={kq}")
            out.append(f"/api/v1/decisions?date={d}&known_at={kq}")
            out.append(f"/api/v1/institutions?date={d}&known_at={kq}&limit=1000")
        out.append(f"/api/v1/acts/folkeskoleloven/provisions?date=2022-03-01&known_at={kq}")
        out.append(f"/api/v1/acts/bek-893-2021/provisions?date=2022-03-01&known_at={kq}")
        out.append(f"/api/v1/municipalities?known_at={kq}")
        out.append(f"/api/v1/decisions/217-2022-001?date=2022-03-01&known_at={kq}")
    out.append("/api/v1/institutions/ukendt/rules?date=2022-03-01")
    out.append("/api/v1/municipalities/217/status?area=dagtilbud&provision=dagtilbudsloven")
    return out


def _cli() -> list[list[str]]:
    out: list[list[str]] = []
    for k in KNOWN:
        for d in DATES:
            out.append(["national", "--date", d, "--known-at", k, "--format", "json"])
            out.append(["rules", "--institution", ELVERHOEJEN, "--date", d, "--known-at", k,
                        "--format", "json"])
            out.append(["status", "--municipality", "217", "--area", "dagtilbud",
                        "--provision", "dagtilbudsloven § 8, stk. 1", "--date", d,
                        "--known-at", k, "--format", "json"])
            out.append(["overview", "--municipality", "410", "--date", d, "--known-at", k,
                        "--format", "json"])
        out.append(["provisions", "--act", "dagtilbudsloven", "--date", "2022-03-01",
                    "--known-at", k, "--format", "json"])
    return out


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _answers() -> dict[str, bytes]:
    client = Client()
    got: dict[str, bytes] = {}
    for url in _pages() + _api():
        r = client.get(url)
        got[url] = f"{r.status_code} {r['Content-Type']}\n".encode() + r.content
    from frisat.cli import app

    for args in _cli():
        # the CLI prints compact JSON; --pretty keeps the earlier indented form
        res = CliRunner().invoke(app, [*args, "--pretty"] if _pretty_flag() else args)
        body = res.stdout.encode()
        if not _pretty_flag() and res.exit_code == 0:
            body = (json.dumps(json.loads(body), ensure_ascii=False, indent=2) + "\n").encode()
        got["frisat " + " ".join(args)] = f"{res.exit_code}\n".encode() + body
    return got


def _pretty_flag() -> bool:
    from frisat.cli import app

    res = CliRunner().invoke(app, ["national", "--help"])
    return "--pretty" in res.stdout


def test_every_answer_is_byte_identical_to_the_golden_one() -> None:
    got = _answers()
    mode = os.environ.get("FRISAT_GOLDEN", "")
    if mode.startswith("dump:"):
        out = Path(mode[5:])
        out.mkdir(parents=True, exist_ok=True)
        for i, (key, body) in enumerate(sorted(got.items())):
            (out / f"{i:04d}.txt").write_bytes(key.encode() + b"\n" + body)
    digests = {k: _digest(v) for k, v in got.items()}
    if mode == "update":
        EXPECTED.write_text(json.dumps(digests, indent=0, sort_keys=True) + "\n")
    expected = json.loads(EXPECTED.read_text())
    assert len(expected) > 600
    assert set(digests) == set(expected), "the golden request list changed"
    changed = sorted(k for k in expected if digests[k] != expected[k])
    assert not changed, f"{len(changed)} answers changed, e.g. {changed[:5]}"
