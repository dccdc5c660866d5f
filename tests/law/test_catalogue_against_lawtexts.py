"""The shipped trees and every citation in the shipped data resolve in the real law texts.

Reads the Retsinformation captures in ``<repo>/../shared/reference/lawtexts``; fails when
they are absent (see ``tests/shared_files.py`` for the explicit opt-out). The reading of the
captures here is deliberately simple and independent of scripts/build_catalogue.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from law_catalogue_data import (
    CAPTURES,
    DATA,
    LAWTEXTS,
    as_date,
    captures_in_force,
    load_yaml,
    resolves_in_capture,
    shipped_acts,
)

from frisat.law.citation import CitationError, parse_citation
from shared_files import require


@pytest.fixture(autouse=True)
def _law_texts_present() -> None:
    require(LAWTEXTS)


def _valid_spans(prov: dict[str, Any]) -> list[tuple[dt.date, dt.date | None]]:
    latest: dict[dt.date, dict[str, Any]] = {}
    for rec in prov.get("versions") or []:
        start = as_date(rec["from"]) or dt.date.min  # open start: in force before the capture
        if start not in latest or as_date(rec["recorded_at"]) >= as_date(  # type: ignore[operator]
                latest[start]["recorded_at"]):
            latest[start] = rec
    return sorted((s, as_date(r["to"])) for s, r in latest.items())


def _resolves_at(act: str, ref: str, day: dt.date) -> bool:
    return any(resolves_in_capture(act, ref, f) for f in captures_in_force(act, day))


@pytest.mark.parametrize("key", sorted(CAPTURES))
def test_every_node_resolves_in_the_consolidation_in_force_at_its_version_dates(key: str) -> None:
    act = shipped_acts()[key]
    failures = []
    for prov in act["provisions"]:
        for start, end in _valid_spans(prov):
            days = [start] + ([end - dt.timedelta(days=1)] if end else [])
            for day in days:
                if not _resolves_at(key, prov["ref"], day):
                    failures.append(f"{prov['ref']} on {day} ({captures_in_force(key, day)})")
    assert not failures, f"{key}: {len(failures)} unresolved: {failures[:20]}"


@pytest.mark.parametrize("key", sorted(CAPTURES))
def test_every_paragraph_of_the_latest_consolidation_is_in_the_tree(key: str) -> None:
    act = shipped_acts()[key]
    refs = {p["ref"] for p in act["provisions"]}
    latest = captures_in_force(key, dt.date(9999, 1, 1))[0]
    from law_catalogue_data import capture

    missing = []
    for p in capture(latest)["provisions"]:
        if not p.get("chapter") or "-" in p["section"]:
            continue
        label = p["section"]
        ref = "§ " + (label[:-1] + " " + label[-1] if label[-1].isalpha() else label)
        if ref not in refs and resolves_in_capture(key, ref, latest):
            missing.append(ref)
    assert not missing, f"{key}: {missing[:20]}"


def _citations_in_data() -> list[tuple[str, str, dt.date, str]]:
    """(where, citation, date used, kind) for every citation in src/frisat/data/**/*.yaml."""
    out: list[tuple[str, str, dt.date, str]] = []
    for path in sorted(DATA.rglob("*.yaml")):
        doc = load_yaml(path)
        coverage_starts: dict[str, list[dt.date]] = {}
        for cov in doc.get("coverage") or []:
            d = as_date(cov.get("from"))
            if d:
                coverage_starts.setdefault(cov["regime"], []).append(d)
        for i, regime in enumerate(doc.get("regimes") or []):
            starts = [d for c in regime.get("coverage") or [] if (d := as_date(c.get("from")))]
            starts += coverage_starts.get(regime["key"], [])
            if not starts:
                continue
            start = min(starts)
            for field in ("deviable", "guardrails"):
                for j, entry in enumerate(regime.get(field) or []):
                    citation = entry if isinstance(entry, str) else entry["citation"]
                    day = start
                    if isinstance(entry, dict) and as_date(entry.get("from")):
                        day = max(start, as_date(entry["from"]))  # type: ignore[type-var]
                        end = as_date(entry.get("to"))
                        if end and day >= end:
                            day = as_date(entry["from"])  # type: ignore[assignment]
                    out.append((f"{path.name} regimes[{i}].{field}[{j}]", citation, day,
                                "regime"))
        for section, date_field in (("decisions", "effective_from"), ("exemptions", "from")):
            for i, rec in enumerate(doc.get(section) or []):
                day = as_date(rec.get(date_field))
                if day is None:
                    continue
                for j, target in enumerate(rec.get("targets") or []):
                    out.append((f"{path.name} {section}[{i}].targets[{j}]", target["citation"],
                                day, section))
    return out


CITATIONS = _citations_in_data()


def test_the_shipped_data_has_citations_to_check() -> None:
    kinds = {kind for *_rest, kind in CITATIONS}
    assert "regime" in kinds, kinds
    assert len(CITATIONS) > 20


def _valid_on(prov: dict[str, Any], day: dt.date) -> bool:
    return any(s <= day and (e is None or day < e) for s, e in _valid_spans(prov))


def test_every_citation_in_the_data_resolves_in_the_shipped_trees() -> None:
    acts = shipped_acts()
    failures = []
    for where, citation, day, _kind in CITATIONS:
        try:
            parsed = parse_citation(citation)
        except CitationError as exc:
            failures.append(f"{where}: {citation!r}: {exc}")
            continue
        act = acts.get(parsed.act)
        if act is None:
            failures.append(f"{where}: {citation!r}: unknown act")
            continue
        if not parsed.ref:
            continue
        prov = next((p for p in act["provisions"] if p["ref"] == parsed.ref), None)
        if prov is None:
            failures.append(f"{where}: {citation!r}: no such provision")
        elif prov.get("versions") and act.get("valid_from") and day >= as_date(
                act["valid_from"]) and not _valid_on(prov, day):  # type: ignore[operator]
            failures.append(f"{where}: {citation!r}: no version valid on {day}")
    assert not failures, f"{len(failures)} unresolved: " + "; ".join(failures[:25])


def test_every_citation_in_the_data_resolves_in_the_real_law_text_at_its_date() -> None:
    failures = []
    checked = 0
    for where, citation, day, _kind in CITATIONS:
        try:
            parsed = parse_citation(citation)
        except CitationError:
            continue  # reported by the test above
        if parsed.act not in CAPTURES:
            continue  # no capture of that act (municipal rule sets, partial BEKs)
        checked += 1
        if not _resolves_at(parsed.act, parsed.ref, day):
            failures.append(f"{where}: {citation!r} on {day} "
                            f"({', '.join(captures_in_force(parsed.act, day))})")
    assert checked > 20
    assert not failures, f"{len(failures)} unresolved: " + "; ".join(failures[:25])
