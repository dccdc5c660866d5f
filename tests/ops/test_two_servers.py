"""Issue 14 (operations): two ``frisat serve`` on one database — the documented way to run
more than one server — see each other's writes on their next request: a bundle posted to
one is answered by the other, both ways, and a staff session made on one is valid on the
other (sessions live in the database; both share FRISAT_SECRET_KEY), and the anonymous rate
limit counts across both (FRISAT_CACHE=database). Runs on PostgreSQL in
the suite's PostgreSQL run, else on one SQLite file."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

PASSWORD = "en lang og god adgangskode til eksempel"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(url: str, body: bytes | None = None, token: str | None = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=body, headers=headers,
                                 method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def wait_for(base: str) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{base}/api/v1/municipalities?limit=1", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{base} svarer ikke")


def act(key: str) -> bytes:
    return json.dumps({"format": "frisat-bundle/1", "acts": [{
        "key": key, "level": "municipal", "municipality": 217, "areas": ["dagtilbud"],
        "title": "Eksempel på retningslinjer", "valid_from": "2019-01-01",
        "provisions": [{"ref": "1", "summary": "Eksempel"}]}]}).encode()


@pytest.mark.django_db  # also in the suite's PostgreSQL run
def test_two_servers_on_one_database_see_each_others_writes(register):
    added = register.run("users", "add", "eksempel-minister", "--role", "ministry",
                         input=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    issued = register.run("users", "token", "eksempel-minister")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    ports = [free_port(), free_port()]
    shared = {"FRISAT_CACHE": "database", "FRISAT_RATE_LIMIT": "4/600"}
    servers = [register.popen("serve", "--port", str(p), "--workers", "1", env=shared,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for p in ports]
    a, b = (f"http://127.0.0.1:{p}" for p in ports)
    try:
        wait_for(a)
        wait_for(b)
        for writer, reader, key in ((a, b, "eksempel-server-a"), (b, a, "eksempel-server-b")):
            assert request(f"{reader}/api/v1/acts/{key}/provisions")[0] == 404
            status, body = request(f"{writer}/api/v1/bundles", act(key), token)
            assert status == 200, body
            status, body = request(f"{reader}/api/v1/acts/{key}/provisions")
            assert status == 200, body
            assert "Eksempel" in json.dumps(body, ensure_ascii=False)
        # the rate limit counts across both servers (the cache in the database): an
        # anonymous client asking for new dates, turn by turn, is stopped after four
        codes = [request(f"{(a, b)[i % 2]}/api/v1/national?date=2022-01-0{i + 1}")[0]
                 for i in range(6)]
        assert codes == [200, 200, 200, 200, 429, 429]
        # a staff session made on one server is good on the other
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        page = opener.open(f"{a}/forvaltning/login", timeout=30).read().decode()
        csrf = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        form = urllib.parse.urlencode({"username": "eksempel-minister", "password": PASSWORD,
                                       "csrfmiddlewaretoken": csrf}).encode()
        opener.open(urllib.request.Request(f"{a}/forvaltning/login", data=form,
                                           headers={"Referer": f"{a}/forvaltning/login"}),
                    timeout=30)
        with opener.open(f"{b}/forvaltning/", timeout=30) as r:
            assert r.status == 200 and "/forvaltning/login" not in r.url
    finally:
        for s in servers:
            s.terminate()
        for s in servers:
            s.wait(timeout=30)
