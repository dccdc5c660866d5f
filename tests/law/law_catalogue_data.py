"""Helpers for the catalogue tests: the shipped YAML bundles and the law-text captures."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from frisat.law.citation import parse_ref

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "src" / "frisat" / "data"
ACTS_DIR = DATA / "acts"
LAWTEXTS = REPO / ".." / "shared" / "reference" / "lawtexts"

# Captures per shipped act (consolidations; amending acts whose text adds nodes).
CAPTURES: dict[str, list[str]] = {
    "dagtilbudsloven": ["2018_1214", "2019_176", "2019_824", "2020_2", "2020_1326",
                        "2021_1912", "2022_454", "2022_985", "2024_55", "2024_988", "2025_1038"],
    "folkeskoleloven": ["2019_823", "2020_1396", "2021_1887", "2022_1396", "2023_1086",
                        "2024_90", "2024_989", "2025_1100"],
    "serviceloven": ["2019_798", "2020_1287", "2021_1548", "2022_170", "2023_1089", "2024_67",
                     "2024_909", "2025_155", "2025_1129"],
    "friplejeboligloven": ["2017_1162", "2025_1254"],
    "velfaerdsaftaleloven-aeldre": ["2021_879"],
    "velfaerdsaftaleloven": ["2021_880", "2022_1171", "2024_954"],
    "aeldreloven": ["2024_1651"],
    "bek-892-2021": ["2021_892"],
    "bek-893-2021": ["2021_893"],
    "bek-894-2021": ["2021_894"],
    "bek-900-2021": ["2021_900"],
    "frikommuneloven": ["2012_550"],
    "frikommunenetvaerksloven": ["2017_658", "2018_831"],
}
AMENDING: dict[str, list[str]] = {"velfaerdsaftaleloven-aeldre": ["2023_749"]}
DTL_AFSNIT = {"I", "II", "II A", "III", "IV", "V", "VI", "VII"}


def load_yaml(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict), path
    return doc


@cache
def shipped_acts() -> dict[str, dict[str, Any]]:
    """Every act in every bundle under src/frisat/data (catalogue and reference data)."""
    acts: dict[str, dict[str, Any]] = {}
    for path in sorted(DATA.rglob("*.yaml")):
        for act in load_yaml(path).get("acts") or []:
            acts[act["key"]] = act
    return acts


def catalogue_files() -> list[Path]:
    return sorted(ACTS_DIR.glob("*.yaml"))


def as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# --------------------------------------------------------------------------- law texts
# An independent, simple reading of the captures (not the build script's parser).


@cache
def capture(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((LAWTEXTS / f"{name}.json").read_text(encoding="utf-8"))
    return doc


def captures_in_force(act: str, day: dt.date) -> list[str]:
    """The consolidation in force on day (latest issued on or before it; the earliest when
    day precedes every capture) plus amending acts issued by then."""
    files = sorted(CAPTURES[act], key=lambda f: capture(f)["issued_date"])
    current = files[0]
    for f in files:
        if dt.date.fromisoformat(capture(f)["issued_date"]) <= day:
            current = f
    extra = [f for f in AMENDING.get(act, [])
             if dt.date.fromisoformat(capture(f)["issued_date"]) <= day]
    return [current, *extra]


def _norm_section(section: str) -> str:
    return re.sub(r"\s+", "", section).lower()


def _body(content: str) -> str:
    return re.sub(r"^§§?\s*[\d]+(?:\s?[a-zæøå])?\.\s*", "", content, count=1)


def _stks(body: str) -> list[str]:
    parts, expected, start = [], 2, 0
    for m in re.finditer(r"(?<!\S)Stk\.\s*(\d+)\.(?=\s|$)", body):
        if int(m.group(1)) == expected:
            parts.append(body[start:m.start()])
            start, expected = m.end(), expected + 1
    parts.append(body[start:])
    return parts


def resolves_in_capture(act: str, ref: str, name: str) -> bool:
    """Does ref name a node of the act in this capture?"""
    parts = parse_ref(ref).parts
    if not parts:
        return True
    provisions = capture(name)["provisions"]
    kinds = [k for k, _ in parts]
    if kinds[0] == "afsnit":
        return act == "dagtilbudsloven" and parts[0][1] in DTL_AFSNIT and len(parts) == 1
    if kinds[0] == "kapitel":
        label = parts[0][1].replace(" ", "")
        return len(parts) == 1 and any(p.get("chapter") == label for p in provisions)
    if kinds[0] != "paragraf":
        return False
    section = _norm_section(parts[0][1])
    matches = [p for p in provisions if _norm_section(p["section"]) == section
               and (p.get("chapter") or name in AMENDING.get(act, []))]
    for p in matches:
        body = _body(p["content"])
        if re.fullmatch(r"\(?(Ophævet|Udelades)\)?\.?", body.strip()):
            continue
        text = body
        rest = parts[1:]
        stks = _stks(body)
        if rest and rest[0][0] == "stk":
            n = int(rest[0][1])
            if n > len(stks) or len(stks) < 2:
                continue
            text, rest = stks[n - 1], rest[1:]
        if rest and rest[0][0] == "nr":
            n = int(rest[0][1])
            if not re.search(rf"(?<!\S){n}\)\s", text) or not re.search(r"(?<!\S)1\)\s", text):
                continue
            rest = rest[1:]
        if rest and rest[0][0] == "pkt":
            n = int(rest[0][1])
            ends = len(re.findall(r"[.:]\s+(?=[A-ZÆØÅ])", text.strip())) + 1
            if n > ends:
                continue
            rest = rest[1:]
        if not rest:
            return True
    return False
