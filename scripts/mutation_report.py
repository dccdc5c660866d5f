"""Write the figures of the last `mutmut run` into docs/mutation.md (used by `make mutation`).

Reads `mutmut results --all true` (one line per mutant: name and status) and `mutmut show`
for each survivor, and replaces the part of docs/mutation.md between the two markers with:
mutants per area (engine, checks, permissions), killed, survived, other, the share killed,
and each survivor with its diff. The text outside the markers (the explanation of each
survivor) is kept as written.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "mutation.md"
MUTMUT = str(Path(sys.executable).with_name("mutmut"))
BEGIN, END = "<!-- mutation:begin -->", "<!-- mutation:end -->"
AREAS = (("engine", "frisat.engine."), ("checks", "frisat.registry.checks."),
         ("permissions", "frisat.accounts.permissions."))


def area_of(name: str) -> str:
    return next((area for area, prefix in AREAS if name.startswith(prefix)), "other")


def results() -> list[tuple[str, str]]:
    out = subprocess.run([MUTMUT, "results", "--all", "true"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^\s+(\S+): (.+)$", out, re.M)]


def figures(rows: list[tuple[str, str]]) -> str:
    lines = ["| area | mutants | killed | survived | other (timeout, no tests …) | killed % |",
             "|---|---:|---:|---:|---:|---:|"]
    for area, _prefix in AREAS:
        c = Counter(status for name, status in rows if area_of(name) == area)
        total = sum(c.values())
        other = total - c["killed"] - c["survived"]
        share = f"{100 * c['killed'] / total:.1f}" if total else "–"
        lines.append(f"| {area} | {total} | {c['killed']} | {c['survived']} | {other} | "
                     f"{share} |")
    others = Counter(status for _name, status in rows
                     if status not in ("killed", "survived"))
    if others:
        lines.append("")
        lines.append("Other outcomes: " + ", ".join(f"{k}: {v}" for k, v in sorted(
            others.items())) + ".")
    return "\n".join(lines)


def survivors(rows: list[tuple[str, str]]) -> str:
    out = []
    for name, status in rows:
        if status != "survived":
            continue
        diff = subprocess.run([MUTMUT, "show", name], cwd=ROOT, capture_output=True,
                              text=True).stdout
        body = "\n".join(line for line in diff.splitlines()
                         if line.startswith(("+", "-")) and not line.startswith(("+++", "---")))
        out.append(f"- `{name}` ({area_of(name)})\n\n  ```diff\n"
                   + "\n".join(f"  {x}" for x in body.splitlines()) + "\n  ```")
    return "\n".join(out) if out else "None."


def main() -> None:
    rows = results()
    block = (f"{BEGIN}\n## Figures of the last run\n\n{figures(rows)}\n\n"
             f"## Survivors of the last run\n\n{survivors(rows)}\n{END}")
    text = (DOC.read_text(encoding="utf-8") if DOC.exists()
            else f"# Mutation testing\n\n{BEGIN}\n{END}\n")
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    DOC.write_text(head + block + tail, encoding="utf-8")
    print(figures(rows))


if __name__ == "__main__":
    main()
