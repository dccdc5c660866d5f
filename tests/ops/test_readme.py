"""Issue 14, finding 8: the README's examples ran out of date. Every ``frisat`` command in a
``sh`` block of README.md is run here, as written, in order, against a fresh register, and
must succeed — so an example can never rot.

How the examples are read: lines continued with a backslash are joined, ``# comments``
dropped, ``[optional parts]`` kept without their brackets (so the options are run too),
``NAME=value`` before the command is the command's environment, and ``< file`` its standard
input. The files the examples name (``my-decisions.yaml``, ``tal.csv`` …) are made here as
example data. Two examples reach the network (Retsinformation, Statistics Denmark); the
machine running the tests cannot, so their HTTP answers come from recorded files: the
recorded Statbank BOERN8 responses of ``tests/followup/recorded`` and, for the act, the
made-up LexDania document ``tests/fixtures/lexdania/consolidation-v1.xml`` under the popular
title of LBK 988/2024 (Dagtilbudsloven), so that it is read as a new consolidation of the
act the register has, as the real document would be (the command runs with ``--dry-run``).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"

# Only the HTTP layer is replaced; the command runs as the user runs it.
RUNNER = """
import sys
from pathlib import Path
import httpx

TESTS = Path(sys.argv[1])
def recorded(self, request):
    host, path = request.url.host, request.url.path
    if host == "www.retsinformation.dk" and path.endswith("/xml"):
        # stands in for LBK 988/2024, which the catalogue keys as dagtilbudsloven
        xml = (TESTS / "fixtures" / "lexdania" / "consolidation-v1.xml").read_bytes()
        return httpx.Response(200, content=xml.replace(
            b"<PopularTitle>Eksempelloven</PopularTitle>",
            b"<PopularTitle>Dagtilbudsloven</PopularTitle>"))
    if host == "api.statbank.dk" and path == "/v1/tableinfo/BOERN8":
        return httpx.Response(200, content=(TESTS / "followup" / "recorded"
                                            / "boern8-tableinfo.json").read_bytes())
    if host == "api.statbank.dk" and path == "/v1/data":
        return httpx.Response(200, content=(TESTS / "followup" / "recorded"
                                            / "boern8-data.csv").read_bytes())
    raise httpx.ConnectError(f"no recorded answer for {request.url}", request=request)
httpx.HTTPTransport.handle_request = recorded
sys.argv = ["frisat", *sys.argv[2:]]
from frisat.cli import main
main()
"""

PASSWORD = "en lang og god eksempeladgangskode\n"
MY_DECISIONS = """format: frisat-bundle/1
title: Eksempel (ikke rigtige data)
acts:
  - key: eksempel-helsingor-retningslinjer
    level: municipal
    municipality: 217
    areas: [dagtilbud]
    title: Eksempel på kommunale retningslinjer
    valid_from: "2019-01-01"
    provisions:
      - {ref: "1", summary: "Eksempel"}
"""
TAL = ("indicator,unit_kind,unit,period,value,source\n"
       "normering-daginstitution-3-5,municipality,101,2030,5.5,eksempel (ikke rigtige tal)\n")
NYE = ("indicator,unit_kind,unit,period,value,source\n"
       "ventetid,municipality,217,2030,12,eksempel (ikke rigtige tal)\n")


def examples(readme: str) -> list[str]:
    """The README's frisat commands, one string each, in order."""
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.S)
    commands: list[str] = []
    for block in blocks:
        joined = re.sub(r"\\\n\s*", " ", block)
        for line in joined.splitlines():
            words = shlex.split(line, comments=True)
            rest = [w for w in words if not re.fullmatch(r"[A-Z_]+=.*", w)]
            if rest[:1] == ["frisat"]:
                commands.append(line)
    return commands


def parse(line: str, cwd: Path) -> tuple[list[str], dict[str, str], str | None]:
    line = re.sub(r"\[([^\]]*)\]", r"\1", line)   # optional parts: run them too
    words = shlex.split(line.replace("$PWD", str(cwd)), comments=True)
    env: dict[str, str] = {}
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    stdin = None
    if "<" in words:
        i = words.index("<")
        stdin = (cwd / words[i + 1]).read_text(encoding="utf-8")
        del words[i:i + 2]
    assert words[0] == "frisat"
    return words[1:], env, stdin


def example_files(cwd: Path) -> None:
    (cwd / "my-decisions.yaml").write_text(MY_DECISIONS, encoding="utf-8")
    (cwd / "tal.csv").write_text(TAL, encoding="utf-8")
    (cwd / "nye.csv").write_text(NYE, encoding="utf-8")
    (cwd / "password.txt").write_text(PASSWORD, encoding="utf-8")
    shutil.copy(TESTS / "fixtures" / "registers" / "stil-example.csv",
                cwd / "institutionsregister.csv")


def test_the_readme_names_its_commands():
    found = examples((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(found) >= 15
    assert any("status" in c and "--provision" in c for c in found)
    assert any(c.startswith("frisat import act") for c in found)


def test_every_command_example_in_the_readme_runs(register, tmp_path):
    cwd = tmp_path / "arbejde"
    cwd.mkdir()
    example_files(cwd)
    failures = []
    for line in examples((ROOT / "README.md").read_text(encoding="utf-8")):
        args, env, stdin = parse(line, cwd)
        # the README's `export FRISAT_HOME=$PWD/var` is this test's fresh register
        run_env = {**register.env, **env}
        done = subprocess.run([sys.executable, "-c", RUNNER, str(TESTS), *args], cwd=cwd,
                              env=run_env, input=stdin, capture_output=True, text=True,
                              timeout=600)
        if done.returncode != 0:
            failures.append(f"{line}\n  → exit {done.returncode}: {done.stderr[-1500:]}")
    assert failures == [], "\n".join(failures)
