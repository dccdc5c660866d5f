"""The citizen's rights per area (src/frisat/data/reference/citizen-rights.yaml): every
citation resolves in the shipped catalogue and is protected by the area's velfærdsaftale
regime on dates inside the regime's period; what is left out is marked as it says.

Pure (no database): the shipped acts and regimes are read as a bundle and asked through
the engine's listing walk, as the register answers.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from frisat import citizen_rights as cr
from frisat.engine import Engine
from frisat.engine.model import in_interval
from frisat.law.citation import parse_citation
from frisat.registry.bundle import read_bundle
from frisat.registry.reference import SECTIONS, reference_document
from shared_files import require

LAWTEXTS = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "lawtexts"
DAY = dt.timedelta(days=1)


@cache
def engine() -> Engine:
    full = reference_document()
    doc = {k: v for k, v in full.items() if k not in ("institutions", "decisions", "kept",
                                                       "repeals", "exemptions", "delegations")}
    now = dt.datetime.now(dt.UTC)
    return Engine(read_bundle(doc, now).known_at(now))


def period(regime: str) -> tuple[dt.date, dt.date]:
    """[first day, end) of the regime's coverage, extensions included."""
    cov = [c for c in engine().world.coverage if c.regime == regime]
    assert cov and all(c.valid_from and c.valid_to for c in cov), regime
    return min(c.valid_from for c in cov), max(c.valid_to for c in cov)  # type: ignore[type-var]


def in_force(act: str, ref: str, d: dt.date) -> bool:
    return any(v.act == act and v.ref == ref and in_interval(d, v.valid_from, v.valid_to)
               for v in engine().world.versions)


def days(regime: str, start: dt.date | None, end: dt.date | None) -> list[dt.date]:
    """The days to ask: the first and last day in [start, end) ∩ the regime's period, and
    every day the regime's lists change in between."""
    first, stop = period(regime)
    lo, hi = max(first, start or first), min(stop, end or stop)
    reg = engine().regimes[regime]
    out = {lo, hi - DAY} | {x for x in reg.listing_dates if lo <= x < hi}
    return sorted(out)


def marks(regime: str, citation: str, d: dt.date) -> set[str | None]:
    """The marks of every leaf at or under the citation that is in force on d (none: the
    provision is not in force that day)."""
    c = parse_citation(citation)
    eng = engine()
    assert eng.tree.has(c.act, c.ref), citation
    leaves = [p for p in eng.tree.leaves_under(c.act, c.ref) if in_force(c.act, p.ref, d)]
    return {eng.listings.listed(regime, c.act, p.ref, d)[0] for p in leaves}


def all_rights() -> list[cr.Right]:
    return [r for a in cr.by_area().values() for r in a.rights]


def test_five_to_eight_rights_per_area_each_with_name_summary_and_source() -> None:
    got = cr.by_area()
    assert set(got) == {"dagtilbud", "folkeskole", "aeldre"}
    for area, a in got.items():
        keys = {r.key for r in a.rights}
        assert 5 <= len(keys) <= 8, area
        assert a.regime == f"velfaerdsaftale-{area}"
        for r in a.rights:
            assert r.name.da and r.name.en and r.summary.da and r.summary.en, r.key
            assert r.source and r.confidence in ("high", "medium", "low"), r.key
            assert r.basis in ("guardrail", "general_guardrail", "protected_group"), r.key
            assert len(r.summary.da) <= 160 and len(r.summary.en) <= 200, r.key


def test_every_citation_resolves_in_the_shipped_catalogue() -> None:
    eng = engine()
    cites = [c for r in all_rights() for c in (r.citation, *r.also)]
    cites += [x.citation for a in cr.by_area().values() for x in (*a.left_out, *a.notices)]
    for cit in cites:
        c = parse_citation(cit)
        assert c.act in eng.acts and eng.tree.has(c.act, c.ref), cit


@pytest.mark.parametrize("right", [r for r in all_rights() if r.basis == "guardrail"],
                         ids=lambda r: f"{r.area}-{r.key}-{r.citation}")
def test_a_guardrail_right_is_one_on_every_day_it_is_shown(right: cr.Right) -> None:
    asked = days(right.regime, right.valid_from, right.valid_to)
    assert asked, right.key
    for d in asked:
        for cit in (right.citation, *right.also):
            assert marks(right.regime, cit, d) == {"guardrail"}, (cit, d)  # empty: not in force


@pytest.mark.parametrize("right", [r for r in all_rights() if r.basis != "guardrail"],
                         ids=lambda r: f"{r.area}-{r.key}")
def test_a_general_right_is_in_the_regimes_own_text(right: cr.Right) -> None:
    reg = engine().regimes[right.regime]
    texts = reg.general_guardrails if right.basis == "general_guardrail" else reg.protected_groups
    assert right.basis_text and sum(right.basis_text in t for t in texts) == 1, right.key
    c = parse_citation(right.citation)
    act = engine().acts[c.act]
    # a provision of the velfærdsaftale law itself (a framework act of the area), which the
    # text cites by the number of the law that is the regime's legal basis
    assert act.kinds == () and right.area in act.areas, right.key
    number = reg.legal_basis.rstrip("/").rsplit("/", 1)[1]  # type: ignore[union-attr]
    assert right.basis_text.startswith(f"lov {number} "), right.key
    section = re.match(r"§ (\d+(?: [a-z])?)", c.ref).group(1)  # type: ignore[union-attr]
    assert re.search(rf"§§? (?:[\d ]+og )?{section}\b", right.basis_text), right.key
    for d in days(right.regime, right.valid_from, right.valid_to):
        assert in_force(c.act, c.ref, d), (right.key, d)


def test_dated_rights_of_one_key_do_not_overlap() -> None:
    for a in cr.by_area().values():
        by_key: dict[str, list[cr.Right]] = {}
        for r in a.rights:
            by_key.setdefault(r.key, []).append(r)
        for key, rs in by_key.items():
            rs.sort(key=lambda r: r.valid_from or dt.date.min)
            for x, y in zip(rs, rs[1:], strict=False):
                assert x.valid_to is not None and y.valid_from is not None, key
                assert x.valid_to <= y.valid_from, key
    on = dt.date(2022, 1, 1)
    assert [r.citation for r in cr.rights("folkeskole", on=on)
            if r.key == "standpunktskarakterer"] == ["folkeskoleloven § 13, stk. 5"]
    assert [r.citation for r in cr.rights("folkeskole", on=dt.date(2023, 1, 1))
            if r.key == "standpunktskarakterer"] == ["folkeskoleloven § 13, stk. 3"]


def test_what_is_left_out_is_marked_as_the_reason_says() -> None:
    for a in cr.by_area().values():
        for x in a.left_out:
            want = {"deviable": {"deviable"}, "not_listed": {None},
                    "guardrail": {"guardrail"}}[x.status]
            asked = [m for d in days(a.regime, None, None)
                     if (m := marks(a.regime, x.citation, d))]
            assert asked and all(m == want for m in asked), x.citation


def test_not_a_bundle_section_for_frisat_init() -> None:
    doc = yaml.safe_load(cr.DATA.read_text(encoding="utf-8"))
    assert not set(doc) & set(SECTIONS)


@cache
def _law_words() -> set[tuple[str, ...]]:
    import json

    runs: set[tuple[str, ...]] = set()
    for path in LAWTEXTS.glob("*.json"):
        text = json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
        words = re.findall(r"\w+", text.lower())
        runs |= {tuple(words[i:i + 6]) for i in range(len(words) - 5)}
    return runs


def test_summaries_are_not_the_laws_wording() -> None:
    require(LAWTEXTS)
    runs = _law_words()
    for r in all_rights():
        words = re.findall(r"\w+", r.summary.da.lower())
        shared = [w for w in (tuple(words[i:i + 6]) for i in range(len(words) - 5))
                  if w in runs]
        assert not shared, (r.key, shared)
