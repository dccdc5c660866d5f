"""Mutation testing of the engine, the decision checks and the permissions (`make mutation`).

    python scripts/mutation.py [engine] [checks] [permissions]   # default: all three
    python scripts/mutation.py --report      # rewrite docs/mutation.md from the kept outcomes
    python scripts/mutation.py --recheck engine   # run the kept survivors again (new tests)
    python scripts/mutation.py --collect engine   # keep the outcome of an interrupted run
    python scripts/mutation.py --resume engine    # go on with an interrupted run

For each area, mutmut (pinned in the `mutation` extra) mutates the area's code and runs each
mutant against the area's tests — only those of them that call the mutated function. The
outcome of each area is kept in ``var/mutation/<area>.json``; then the figures of every area
run so far, and each survivor with its diff, are written into docs/mutation.md between the
markers (the text around them, which explains the survivors, is kept).

Wording (a string literal of two or more words) is not mutated: the golden answers check it
byte for byte. The runs use the derandomised Hypothesis profile ``mutation`` (few examples).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "mutation.md"
STORE = ROOT / "var" / "mutation"
MUTMUT = str(Path(sys.executable).with_name("mutmut"))
BEGIN, END = "<!-- mutation:begin -->", "<!-- mutation:end -->"
CHECK_TESTS = ["tests/registry/test_checks.py", "tests/registry/test_check_boundaries.py"]
# a forked test run of the permissions builds its database first: give it time
TIMEOUT_CONSTANT = {"engine": 5.0, "checks": 5.0, "permissions": 60.0}
AREAS: dict[str, tuple[list[str], list[str]]] = {  # area -> (code, tests)
    "engine": (["src/frisat/engine/*"], ["tests/engine", *CHECK_TESTS]),
    "checks": (["src/frisat/registry/checks.py"], CHECK_TESTS),
    "permissions": (["src/frisat/accounts/permissions.py"],
                    ["tests/security/test_permission_matrix.py",
                     "tests/security/test_institution_holder.py",
                     "tests/workflow/test_lifecycle.py", "tests/workflow/test_pages.py"]),
}
WORDING = r'"[^"\n]*[A-Za-zÆØÅæøå]+ [A-Za-zÆØÅæøå]+[^"\n]*"'


def config(code: list[str], tests: list[str], timeout_constant: float) -> str:
    """mutmut's configuration (read from setup.cfg while pyproject.toml has none)."""
    def lines(xs: list[str]) -> str:
        return "".join(f"\n    {x}" for x in xs)
    return ("[mutmut]\nsource_paths = src\n"
            f"only_mutate ={lines(code)}\n"
            f"pytest_add_cli_args ={lines(['-p', 'no:cacheprovider', '-q', '-x'])}\n"
            f"pytest_add_cli_args_test_selection ={lines(tests)}\n"
            f"do_not_mutate_patterns ={lines([WORDING])}\n"
            # a mutant that loops for ever is a kill; do not wait 15 times the test's time
            f"timeout_multiplier = 3.0\ntimeout_constant = {timeout_constant}\n")


def run_area(area: str, only: list[str] | None = None, mutate: bool = True,
             show: bool = True, fresh: bool = True) -> None:
    """Mutate the area and run its tests. ``only``: run just these mutants again on the
    mutants already made (the rest of the kept outcomes stand). ``mutate`` False: only
    collect the outcomes of a run that ended without this script."""
    code, tests = AREAS[area]
    cfg = ROOT / "setup.cfg"
    if only is None and mutate and fresh:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    cfg.write_text(config(code, tests, TIMEOUT_CONSTANT[area]), encoding="utf-8")
    try:
        env = {**os.environ, "HYPOTHESIS_PROFILE": "mutation"}
        if mutate:
            subprocess.run([MUTMUT, "run", "--max-children", "2", *(only or [])], cwd=ROOT,
                           env=env, check=False)
        out = subprocess.run([MUTMUT, "results", "--all", "true"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        rows = [(m.group(1), m.group(2)) for m in re.finditer(r"^\s+(\S+): (.+)$", out, re.M)]
        if only is not None:  # keep the earlier outcome of every mutant not run again
            again = dict(rows)
            kept = json.loads((STORE / f"{area}.json").read_text())["results"]
            rows = [(name, again[name] if name in only else status) for name, status in kept]
        diffs = {}
        for name, status in rows:
            if status == "survived" and show:
                diffs[name] = subprocess.run([MUTMUT, "show", name], cwd=ROOT,
                                             capture_output=True, text=True).stdout
    finally:
        cfg.unlink()
    STORE.mkdir(parents=True, exist_ok=True)
    (STORE / f"{area}.json").write_text(json.dumps({"tests": tests, "results": rows,
                                                    "survivors": diffs}, indent=1))


def figures(done: dict[str, dict]) -> str:  # type: ignore[type-arg]
    """Per area: killed (a test failed), timeout (the mutant made a test loop for ever: a
    kill), survived, no tests (no selected test calls the function: a survivor), not checked
    (an interrupted run), and the share killed of the mutants checked."""
    lines = ["| area | mutants | checked | killed | timeout | survived | no tests | other "
             "| killed (incl. timeouts) % of checked |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for area, data in done.items():
        c = Counter(status for _name, status in data["results"])
        total = sum(c.values())
        checked = total - c["not checked"]
        other = checked - c["killed"] - c["timeout"] - c["survived"] - c["no tests"]
        share = f"{100 * (c['killed'] + c['timeout']) / checked:.1f}" if checked else "–"
        lines.append(f"| {area} | {total} | {checked} | {c['killed']} | {c['timeout']} | "
                     f"{c['survived']} | {c['no tests']} | {other} | {share} |")
    return "\n".join(lines)


def survivors(done: dict[str, dict]) -> str:  # type: ignore[type-arg]
    out = []
    for area, data in done.items():
        untested = [name for name, status in data["results"] if status == "no tests"]
        if untested:
            out.append(f"- no selected test calls these ({area}): "
                       + ", ".join(f"`{n}`" for n in untested))
        for name, diff in data["survivors"].items():
            body = [x for x in diff.splitlines()
                    if x.startswith(("+", "-")) and not x.startswith(("+++", "---"))]
            out.append(f"- `{name}` ({area})\n\n  ```diff\n"
                       + "\n".join(f"  {x}" for x in body) + "\n  ```")
    return "\n".join(out) if out else "None."


def write_doc() -> None:
    done = {a: json.loads((STORE / f"{a}.json").read_text()) for a in AREAS
            if (STORE / f"{a}.json").exists()}
    block = (f"{BEGIN}\n## Figures of the last run\n\n{figures(done)}\n\n"
             f"## Survivors of the last run\n\n{survivors(done)}\n{END}")
    text = (DOC.read_text(encoding="utf-8") if DOC.exists()
            else f"# Mutation testing\n\n{BEGIN}\n{END}\n")
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1] if END in rest else "\n"
    DOC.write_text(head + block + tail, encoding="utf-8")
    print(figures(done))


def main(areas: list[str]) -> None:
    if areas == ["--report"]:
        write_doc()
        return
    if areas and areas[0] == "--resume":  # go on with the mutants not checked yet
        for area in areas[1:]:
            run_area(area, fresh=False)
        write_doc()
        return
    if areas and areas[0] == "--collect":
        for area in areas[1:]:
            run_area(area, mutate=False, show=False)
        write_doc()
        return
    if areas and areas[0] == "--recheck":
        for area in areas[1:]:
            kept = json.loads((STORE / f"{area}.json").read_text())["results"]
            run_area(area, [n for n, s in kept if s in ("survived", "no tests")])
        write_doc()
        return
    for area in areas or list(AREAS):
        run_area(area)
        write_doc()


if __name__ == "__main__":
    main(sys.argv[1:])
