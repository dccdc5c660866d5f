"""What is different at an institution on a date, and what still holds (the first screen).

One answer for a parent, a relative or an institution leader, from the verdicts of the
answer index (never computed here): the deviations in force, each once per decision and
target with its dates and what applies instead; the rights of the citizen's area that still
hold (``frisat.citizen_rights``) with the engine's status; what the register does not know
and whom to ask; the schemes that have ended for the place; and the history of stretches.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from frisat import citizen_rights, links
from frisat.queries.common import iso
from frisat.queries.ended import ended_regimes
from frisat.queries.rules import verdicts
from frisat.queries.timeline import history
from frisat.queries.types import (
    Deviation,
    HistoryStretch,
    RightHeld,
    SituationAnswer,
    UnknownPart,
)
from frisat.registry.snapshot import Snapshot

DEVIATING = ("set_aside", "partially_set_aside")


def citation_label(snap: Snapshot, act: str, ref: str) -> str:
    """A citation for people: the act's short title (``BEK 968/2018``), or its title for a
    municipal rule set, instead of the register's key."""
    a = snap.engine.acts.get(act)
    name = (a.short_title or a.title) if a is not None else act
    return f"{name} {ref}".strip()


def situation(snap: Snapshot, institution: str, date: dt.date,
              lang: str = "da") -> SituationAnswer:
    """The first screen of an institution page. Raises ``Rejected`` (not_found) for an
    unknown institution.

    The answer is the same on every date of a stretch of the answer index, unless a reason
    names the date or a right starts or ends inside it: it is kept on the snapshot."""
    return kept(snap, institution, date, lang)[0]


def kept(snap: Snapshot, institution: str, date: dt.date,
         lang: str = "da") -> tuple[SituationAnswer, tuple[Any, ...] | None]:
    """The answer and what it is kept under on the snapshot (None: not kept, the
    institution is not open on the date); the same key, the same answer but its date."""
    ms, found = verdicts(snap, institution, date)
    key = snap.index.key(institution, date)
    # the key is the institution's profile on the date, which institutions share: what is
    # the institution's own (its id, its history strip) is added to the kept answer
    own = {"institution": institution, "date": date.isoformat(),
           "history": snap.memo(("history-strip", institution, lang),
                                lambda: stretches(snap, institution, lang))}
    if key is None:
        return {**_situation(snap, institution, date, lang, ms, found), **own}, None  # type: ignore[typeddict-item]
    dated = snap.memo(("dated", key), lambda: any(r.dated for v in found
                                                  for r in v.because))
    held = tuple(r.holds_on(date) for r in citizen_rights.rights(ms.area)) if ms else ()
    memo = ("situation", key, lang, date if dated else None, held)
    got = snap.memo(memo, lambda: _situation(snap, institution, date, lang, ms, found))
    return {**got, **own}, memo  # type: ignore[typeddict-item]


def _situation(snap: Snapshot, institution: str, date: dt.date, lang: str,
               ms: Any, found: tuple[Any, ...]) -> SituationAnswer:
    eng = snap.engine
    by_citation = {v.citation: v for v in found}

    # what is different: once per decision (or exemption) and target
    different: dict[tuple[str, str], Deviation] = {}
    for v in found:
        if v.status not in DEVIATING:
            continue
        for r in v.because:
            if r.kind not in ("decision", "exemption", "consequential"):
                continue
            d = r.to_json(lang, date)
            ids = list(v.consequence_ids()) if r.kind == "consequential" \
                else [str(r.record_id)]
            target = str(d.get("target") or v.citation)
            for rid in ids:
                key = (rid, target)
                got = different.get(key)
                if got is not None:
                    got["provisions"] += 1
                    continue
                dec = eng.decisions.get(rid)
                t_act, _, t_ref = target.partition(" ")
                node = eng.tree.nodes.get((t_act, t_ref))
                act_rec = eng.acts.get(t_act)
                heading = (node.heading if node is not None and t_ref else "") or \
                    (act_rec.title if act_rec is not None and not t_ref else v.heading)
                different[key] = {
                    "record": rid, "kind": r.kind,
                    "title": (dec.title if dec is not None else "") or "",
                    "example": bool(dec.example) if dec is not None else False,
                    "url": links.path("decision", rid, lang=lang) if dec is not None
                    else None,
                    "target": target, "target_label": citation_label(snap, t_act, t_ref),
                    "target_url": links.provision(t_act, t_ref, lang),
                    "heading": heading or "",
                    "status": v.status,
                    "extent": str(d.get("extent") or ("partial"
                                  if v.status == "partially_set_aside" else "whole")),
                    "note": str(d.get("note") or ""),
                    "replacement": str(d.get("replacement") or
                                       (dec.replacement if dec is not None else "")),
                    "from": _s(d.get("effective_from") or
                               (iso(dec.effective_from) if dec is not None else None)),
                    "to": _s(d.get("effective_to") or
                             (iso(dec.effective_to) if dec is not None else None)),
                    "date_precision": str(d.get("date_precision") or
                                          (dec.date_precision if dec is not None else "day")),
                    "provisions": 1, "text": str(d.get("text") or "")}

    # what still holds: the area's rights, each with the engine's status of its provision
    rights: list[RightHeld] = []
    area = ms.area if ms else None
    for right in citizen_rights.rights(area, on=date) if area else []:
        act, _, ref = right.citation.partition(" ")
        status = _status_under(found, right.citation, by_citation)
        if status is None:
            continue  # not a rule of this institution on the date (e.g. the scheme's law)
        rights.append({"key": right.key, "name": right.name.in_(lang),
                       "summary": right.summary.in_(lang), "citation": right.citation,
                       "citation_label": citation_label(snap, act, ref),
                       "url": links.provision(act, ref, lang), "status": status})
    guardrails = sum(1 for v in found if v.guardrail and v.status == "applies")

    # what the register does not know, by reason, with whom to ask
    unknown_kinds: Counter[tuple[str, int | None, str | None]] = Counter()
    unknown_data: dict[tuple[str, int | None, str | None], dict[str, Any]] = {}
    for v in found:
        if v.status != "unknown":
            continue
        for r in v.because:
            mun = r.data.get("municipality")
            k = (r.kind, int(mun) if isinstance(mun, int) else None,
                 str(r.data.get("area")) if r.data.get("area") else None)
            unknown_kinds[k] += 1
            unknown_data.setdefault(k, {"text": r.render(lang, date), **dict(r.data)})
    unknown: list[UnknownPart] = []
    for (kind, mun, ar), n in unknown_kinds.most_common():
        data = unknown_data[(kind, mun, ar)]
        m = eng.municipalities.get(mun) if mun is not None else None
        unknown.append({"kind": kind, "provisions": n, "municipality": mun,
                        "municipality_name": m.name if m else None, "area": ar,
                        "decisions_known": data.get("decisions_known"),
                        "level": str(data.get("level") or ""),
                        "ask_url": links.path("overview", mun, lang=lang)
                        if m is not None else None,
                        "text": str(data["text"])})

    ended = ended_regimes(snap, ms.municipality, ms.area, date) if ms else []
    return {"institution": institution, "date": date.isoformat(),  # replaced by ``kept``
            "open": ms is not None,
            "different": sorted(different.values(), key=lambda x: (x["from"], x["target"])),
            "rights": rights, "guardrails": guardrails,
            "unknown": unknown, "ended": ended, "history": []}


def _s(v: object) -> str:
    return "" if v is None else str(v)


def _status_under(found: tuple[Any, ...], citation: str,
                  by_citation: dict[str, Any]) -> str | None:
    """The status of a right's provision: the leaf's own, or — for a node with leaves —
    ``applies`` when every leaf under it applies, ``mixed`` when some do and some do not,
    else the first leaf's status."""
    v = by_citation.get(citation)
    if v is not None:
        return str(v.status)
    prefix = citation + ","
    under = [x for x in found if x.citation.startswith(prefix)
             or x.citation.startswith(citation + " ")]
    if not under:
        return None
    others = [x.status for x in under if x.status != "applies"]
    if not others:
        return "applies"
    return "mixed" if len(others) < len(under) else str(others[0])


def stretches(snap: Snapshot, institution: str, lang: str) -> list[HistoryStretch]:
    """The history strip: each stretch with what was different, decision by decision;
    consecutive stretches with the same decisions are one (a new version of a law below
    them changes leaves, not what a reader was told)."""
    eng = snap.engine
    out: list[HistoryStretch] = []
    for s in history(snap, institution):
        what: dict[str, dict[str, Any]] = {}
        for f in s["set_aside"]:
            for rid in f["decisions"]:
                if rid in what:
                    continue
                dec = eng.decisions.get(rid)
                # the decision's own targets, not the hundreds of leaves under them
                targets = [citation_label(snap, t.act, t.ref) for t in dec.targets] \
                    if dec is not None else [citation_label(snap, f["act"], f["ref"])]
                what[rid] = {"record": rid, "title": (dec.title if dec else "") or "",
                             "url": links.path("decision", rid, lang=lang) if dec else None,
                             "targets": targets}
        last = out[-1] if out else None
        if last is not None and last["to"] == s["from"] and \
                (last["municipality"], last["area"]) == (s["municipality"], s["area"]) and \
                [c["record"] for c in last["changes"]] == list(what):
            last["to"] = s["to"]  # the same decisions: one stretch for people
            continue
        out.append({"from": s["from"], "to": s["to"], "municipality": s["municipality"],
                    "area": s["area"], "changes": list(what.values())})
    return out
