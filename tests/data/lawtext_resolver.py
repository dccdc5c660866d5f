"""Resolve citations against the raw law texts in ``/work/shared/reference/lawtexts``.

A small, independent checker used by ``test_reference_data.py``: it answers "does this
node exist in the consolidation of the act that was in force on date D?" from the
Retsinformation captures (one JSON per LOV/LBK), without the generated act trees.
Structure it understands: kapitel (the ``chapter`` field), § (``section``), stk. (the
"Stk. N." markers), nr. ("N)" items inside a stk.), pkt. (sentences, roughly counted).
Afsnit are not in the captures; only the afsnit labels dagtilbudsloven is known to have are
accepted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path

from frisat.law.citation import parse_citation, parse_ref

LAWTEXTS = Path("/work/shared/reference/lawtexts")

# act key -> consolidations (file stem), the first in force from its issue date.
CONSOLIDATIONS: dict[str, list[str]] = {
    "dagtilbudsloven": ["2018_1214", "2019_176", "2019_824", "2020_2", "2020_1326",
                        "2021_1912", "2022_454", "2022_985", "2024_55", "2024_988", "2025_1038"],
    "folkeskoleloven": ["2019_823", "2020_1396", "2021_1887", "2022_1396", "2023_1086",
                        "2024_90", "2024_989", "2025_1100"],
    "serviceloven": ["2019_798", "2020_1287", "2021_1548", "2022_170", "2023_1089", "2024_67",
                     "2024_909", "2025_155", "2025_1129"],
    "friplejeboligloven": ["2017_1162", "2025_1254"],
    "velfaerdsaftaleloven-aeldre": ["2021_879"],
    "velfaerdsaftaleloven": ["2021_880", "2022_1171", "2024_954"],
    "frikommuneloven": ["2012_550"],
    "frikommunenetvaerksloven": ["2017_658", "2018_831"],
}
DTL_AFSNIT = {"I", "II", "II A", "III", "IV", "V", "VI", "VII"}


def available() -> bool:
    return LAWTEXTS.is_dir()


@cache
def _load(stem: str) -> dict:
    return json.loads((LAWTEXTS / f"{stem}.json").read_text(encoding="utf-8"))


def consolidation_on(act: str, day: dt.date) -> str | None:
    """The file stem of the act's consolidation in force on ``day`` (latest issued <= day)."""
    best = None
    for stem in CONSOLIDATIONS.get(act, []):
        issued = dt.date.fromisoformat(_load(stem)["issued_date"])
        if issued <= day:
            best = stem
    return best


def _sec_label(section: str) -> str:
    m = re.fullmatch(r"(\d+)\s?([a-zæøå]?)", section.strip())
    return f"{m.group(1)} {m.group(2)}".strip() if m else section


def _split_stk(content: str) -> dict[str, str]:
    body = re.sub(r"^§\s*\d+\s?[a-zæøå]?\.\s*", "", content)
    parts = re.split(r"\bStk\. (\d+)\. ", body)
    out = {"1": parts[0]}
    for i in range(1, len(parts) - 1, 2):
        out[parts[i]] = parts[i + 1]
    return out


def _nrs(text: str) -> set[str]:
    return {f"{a} {b}".strip() for a, b in re.findall(r"(?:^|\s)(\d+)\s?([a-zæøå]?)\) ", text)}


def _sentences(text: str) -> int:
    t = re.sub(r"\b(jf|nr|stk|pkt|m\.v|bl\.a|f\.eks|el\.lign|kl|ca)\.", r"\1", text)
    t = re.sub(r"(\d)\.", r"\1", t)
    return len([s for s in re.split(r"\.\s+(?=[A-ZÆØÅ§])", t.strip()) if s.strip()])


def resolves(citation: str, day: dt.date) -> tuple[bool, str]:
    """(ok, why) for ``citation`` in the consolidation in force on ``day``."""
    c = parse_citation(citation)
    if c.act not in CONSOLIDATIONS:
        return True, f"{c.act}: no text held; not checked"
    stem = consolidation_on(c.act, day)
    if stem is None:
        return False, f"{c.act}: no consolidation in force on {day}"
    doc = _load(stem)
    parts = parse_ref(c.ref).parts
    if not parts:
        return True, stem
    kind, label = parts[0]
    if kind == "afsnit":
        return (c.act == "dagtilbudsloven" and label in DTL_AFSNIT), stem
    if kind == "kapitel":
        chapters = {str(p.get("chapter")) for p in doc["provisions"]}
        return label.replace(" ", "") in chapters, stem
    sec = {_sec_label(p["section"]): p for p in doc["provisions"]}
    p = sec.get(label)
    if p is None or re.match(r"^§\s*\S+\.\s*\(Ophævet\)", p["content"]):
        return False, f"{stem}: § {label} not found or repealed"
    stks = _split_stk(p["content"])
    rest = list(parts[1:])
    text = p["content"]
    if rest and rest[0][0] == "stk":
        if rest[0][1] not in stks:
            return False, f"{stem}: § {label} has no stk. {rest[0][1]}"
        text = stks[rest[0][1]]
        rest = rest[1:]
    elif rest and rest[0][0] == "nr":
        if len(stks) > 1:
            return False, f"{stem}: § {label} has several stk.; nr. must be under a stk."
        text = stks["1"]
    if rest and rest[0][0] == "nr":
        if rest[0][1] not in _nrs(text):
            return False, f"{stem}: no nr. {rest[0][1]} in § {label}"
        rest = rest[1:]
    if rest and rest[0][0] == "pkt":
        n = _sentences(re.split(r"\s1\) ", text)[0])
        if int(rest[0][1]) > n:
            return False, f"{stem}: § {label}: only {n} pkt."
    return True, stem
