"""The shipped catalogue of acts (src/frisat/data/acts/*.yaml) is well formed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from law_catalogue_data import (
    CAPTURES,
    LAWTEXTS,
    as_date,
    capture,
    catalogue_files,
    load_yaml,
)

from frisat.law.citation import canonical_ref, parse_ref
from shared_files import require

FILES = catalogue_files()
ACTS = [(path.stem, load_yaml(path)) for path in FILES]


def _acts() -> list[dict[str, Any]]:
    return [act for _stem, doc in ACTS for act in doc["acts"]]


def _ids() -> list[str]:
    return [a["key"] for a in _acts()]


def parent_of(prov: dict[str, Any]) -> str:
    if prov.get("in"):
        return str(prov["in"])
    parent = parse_ref(prov["ref"]).parent
    return str(parent) if parent is not None else ""


def intervals(prov: dict[str, Any]) -> list[tuple[dt.date, dt.date | None]]:
    """Valid-time intervals as the register knows them now (latest record per `from`)."""
    latest: dict[dt.date, dict[str, Any]] = {}
    for rec in prov.get("versions") or []:
        start = as_date(rec["from"]) or dt.date.min  # open start: in force before the capture
        known = latest.get(start)
        if known is None or as_date(rec["recorded_at"]) >= as_date(known["recorded_at"]):  # type: ignore[operator]
            latest[start] = rec
    return sorted((start, as_date(rec["to"])) for start, rec in latest.items())


def test_catalogue_ships_the_contract_acts() -> None:
    keys = set(_ids())
    for key in ["dagtilbudsloven", "folkeskoleloven", "serviceloven", "friplejeboligloven",
                "velfaerdsaftaleloven-aeldre", "velfaerdsaftaleloven", "aeldreloven",
                "bek-892-2021", "bek-893-2021", "bek-894-2021", "bek-900-2021",
                "frikommuneloven", "frikommunenetvaerksloven"]:
        assert key in keys


@pytest.mark.parametrize(("stem", "doc"), ACTS, ids=[s for s, _ in ACTS])
def test_each_file_is_one_bundle_named_after_its_act(stem: str, doc: dict[str, Any]) -> None:
    assert doc["format"] == "frisat-bundle/1"
    assert [a["key"] for a in doc["acts"]] == [stem]
    assert set(doc) == {"format", "acts"}


@pytest.mark.parametrize("act", _acts(), ids=_ids())
def test_act_header_is_complete(act: dict[str, Any]) -> None:
    assert re.fullmatch(r"[a-z0-9æøå][a-z0-9æøå._-]*", act["key"])
    assert act["level"] == "state"
    assert act["title"] and act["short_title"]
    assert act["areas"] and set(act["areas"]) <= {"dagtilbud", "folkeskole", "aeldre"}
    assert isinstance(act["partial"], bool)
    assert act["eli"].startswith("https://www.retsinformation.dk/eli/lta/")
    assert re.fullmatch(r"https://www\.retsinformation\.dk/eli/lta/\d{4}/\d+", act["eli"])
    assert isinstance(act["valid_from"], dt.date)
    starts = [as_date(r["from"]) for p in act["provisions"] for r in p["versions"]]
    known = [x for x in starts if x is not None]
    if None in starts:  # open-started versions: valid_from is the earliest capture's date
        assert act["key"] in {"dagtilbudsloven", "folkeskoleloven", "serviceloven",
                              "friplejeboligloven"}
        assert act["valid_from"] <= min(known, default=act["valid_from"])
    elif known:
        assert act["valid_from"] == min(known)


@pytest.mark.parametrize("act", _acts(), ids=_ids())
def test_refs_are_canonical_and_unique(act: dict[str, Any]) -> None:
    refs = [p["ref"] for p in act["provisions"]]
    assert len(refs) == len(set(refs))
    for ref in refs:
        assert canonical_ref(ref) == ref, ref


@pytest.mark.parametrize("act", _acts(), ids=_ids())
def test_parents_exist_and_come_before_children(act: dict[str, Any]) -> None:
    seen: set[str] = {""}
    for prov in act["provisions"]:
        parent = parent_of(prov)
        assert parent in seen, f"{act['key']} {prov['ref']}: parent {parent!r} not before it"
        seen.add(prov["ref"])


@pytest.mark.parametrize("act", _acts(), ids=_ids())
def test_structural_parents_have_the_right_kind(act: dict[str, Any]) -> None:
    for prov in act["provisions"]:
        kind = parse_ref(prov["ref"]).kind
        if "in" in prov:
            in_kind = parse_ref(prov["in"]).kind
            assert (kind, in_kind) in {("kapitel", "afsnit"), ("paragraf", "kapitel"),
                                       ("paragraf", "afsnit")}, prov


@pytest.mark.parametrize("act", _acts(), ids=_ids())
def test_versions_are_well_formed_and_bitemporal(act: dict[str, Any]) -> None:
    for prov in act["provisions"]:
        records = prov["versions"]
        assert records, prov["ref"]
        by_from: dict[dt.date | None, list[dict[str, Any]]] = {}
        for rec in records:
            assert set(rec) <= {"from", "to", "enacted_by", "recorded_at", "exclusions"}
            start, end = as_date(rec["from"]), as_date(rec["to"])
            rec_at = as_date(rec["recorded_at"])
            assert rec_at is not None
            assert rec["enacted_by"], prov["ref"]
            # never known before it began (an open start is known from the capture)
            assert start is None or rec_at >= start, (prov["ref"], rec)
            if end is not None:
                assert (start is None or end > start) and rec_at >= end, (prov["ref"], rec)
            for ex in rec.get("exclusions") or []:
                assert set(ex) == {"regime", "area", "basis"} and ex["regime"] and ex["basis"]
            by_from.setdefault(start, []).append(rec)
        for start, recs in by_from.items():
            # one history per version: record times distinct, the first one open-ended,
            # and once an end is known it stays known
            times = [as_date(r["recorded_at"]) for r in recs]
            assert len(times) == len(set(times)), (prov["ref"], start)
            ordered = sorted(recs, key=lambda r: as_date(r["recorded_at"]))  # type: ignore[arg-type,return-value]
            assert ordered[0]["to"] is None, (prov["ref"], start)
            ends = {r["to"] for r in ordered if r["to"] is not None}
            assert len(ends) <= 1, (prov["ref"], start)
            ended = False
            for r in ordered:
                ended = ended or r["to"] is not None
                assert r["to"] is not None or not ended, (prov["ref"], start)


@pytest.mark.parametrize("act", _acts(), ids=_ids())
def test_versions_do_not_overlap(act: dict[str, Any]) -> None:
    for prov in act["provisions"]:
        spans = intervals(prov)
        for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
            assert e1 is not None and e1 <= s2, (act["key"], prov["ref"], spans)


@pytest.mark.parametrize("act", _acts(), ids=_ids())
def test_children_are_only_valid_while_their_paragraph_is(act: dict[str, Any]) -> None:
    by_ref = {p["ref"]: p for p in act["provisions"]}
    far = dt.date(9999, 1, 1)
    for prov in act["provisions"]:
        parent = parse_ref(prov["ref"]).parent
        if parent is None or not str(parent) or "in" in prov or str(parent) not in by_ref:
            continue
        outer = [(s, e or far) for s, e in intervals(by_ref[str(parent)])]
        for s, e in intervals(prov):
            end = e or far
            assert any(os <= s and end <= oe for os, oe in outer), (act["key"], prov["ref"])


def test_named_sentences_exist() -> None:
    acts = {a["key"]: {p["ref"] for p in a["provisions"]} for a in _acts()}
    for key, ref in [
        ("folkeskoleloven", "§ 6, stk. 2, 3. pkt."), ("folkeskoleloven", "§ 6, stk. 2, 4. pkt."),
        ("folkeskoleloven", "§ 42, stk. 1, 1. pkt."), ("folkeskoleloven", "§ 42, stk. 1, 3. pkt."),
        ("folkeskoleloven", "§ 42, stk. 1, nr. 4"), ("dagtilbudsloven", "§ 81, stk. 1, 1. pkt."),
        ("velfaerdsaftaleloven", "§ 8, stk. 1, 3. pkt."),
        ("velfaerdsaftaleloven", "§ 9, stk. 1, 2. pkt."),
    ]:
        assert ref in acts[key], (key, ref)
    assert "§ 6, stk. 2, 5. pkt." not in acts["folkeskoleloven"]
    assert "§ 42, stk. 1, 4. pkt." not in acts["folkeskoleloven"]


def test_l89_exclusions_mark_the_2021_minimum_staffing_amendments() -> None:
    dtl = {p["ref"]: p for a in _acts() if a["key"] == "dagtilbudsloven" for p in a["provisions"]}
    # the exclusion is known from the day lov 2594/2021 made it, citing its clause, and from
    # the day lov 410/2024 rewrote that clause, citing the rewrite
    made, rewritten = dt.date(2021, 12, 28), dt.date(2024, 4, 23)
    for ref in ["§ 19 a", "§ 19 a, stk. 1", "§ 5 a", "§ 5 b"]:
        for r in dtl[ref]["versions"]:
            at = as_date(r["recorded_at"])
            assert bool(r.get("exclusions")) == (at >= made), (ref, r)
            for e in r.get("exclusions", []):
                assert e["basis"].startswith("lov nr. 2594 af 28/12/2021 § 2, stk. ")
                assert ("som affattet ved lov nr. 410 af 23/04/2024" in e["basis"]) == \
                    (at >= rewritten), (ref, r)
        assert any(r.get("exclusions") for r in dtl[ref]["versions"]), ref
    # Rewritten provisions: the old version never carries the exclusion, the new one does.
    for ref in ["§ 5, stk. 1", "§ 83, stk. 2"]:
        flags = [bool(r.get("exclusions")) for r in dtl[ref]["versions"]]
        assert False in flags and True in flags, ref
    excluded = [p["ref"] for p in dtl.values()
                if any(r.get("exclusions") for r in p["versions"])]
    assert all(ref.startswith(("§ 5", "§ 19 a", "§ 83, stk. 2")) for ref in excluded)


def test_elder_care_rules_of_serviceloven_end_when_aeldreloven_starts() -> None:
    sel = {p["ref"]: p for a in _acts() if a["key"] == "serviceloven" for p in a["provisions"]}
    ended = [ref for ref, p in sel.items() if any(
        r["to"] == dt.date(2025, 7, 1) for r in p["versions"])]
    assert "§ 79 a" in ended and "§ 83, stk. 1, nr. 3" in ended
    aeldre = next(a for a in _acts() if a["key"] == "aeldreloven")
    assert aeldre["valid_from"] == dt.date(2025, 7, 1)


@pytest.mark.parametrize("act", _acts(), ids=_ids())
def test_summaries_are_short_own_sentences(act: dict[str, Any]) -> None:
    for prov in act["provisions"]:
        summary = prov.get("summary")
        if summary is None:
            continue
        assert 10 <= len(summary) <= 160, prov["ref"]
        # one sentence: no ". " before a capital (abbreviations such as "bl.a." are fine)
        assert not re.search(r"[.!?]\s+[A-ZÆØÅ§]", summary), prov["ref"]


def _words(text: str) -> list[str]:
    return re.findall(r"[0-9a-zæøå]+", text.lower())


@pytest.mark.parametrize("act", [a for a in _acts() if a["key"] in CAPTURES],
                         ids=[a["key"] for a in _acts() if a["key"] in CAPTURES])
def test_summaries_copy_no_wording_of_the_law(act: dict[str, Any]) -> None:
    require(LAWTEXTS)
    law = " ".join(" ".join(_words(p["content"]))
                   for f in CAPTURES[act["key"]] for p in capture(f)["provisions"])
    n = 6
    for prov in act["provisions"]:
        summary = prov.get("summary")
        if not summary:
            continue
        words = _words(summary)
        assert " ".join(words) not in law, (prov["ref"], summary)
        for i in range(len(words) - n + 1):
            run = " ".join(words[i:i + n])
            assert f" {run} " not in f" {law} ", (prov["ref"], run)
