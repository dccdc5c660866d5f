"""The frikommune records: the programmes, the networks and their powers (with whether the
register marks each power deviable for each member on a date), and a municipality's
frikommunevedtægt generated from its approved exemptions in the register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from frisat.law.citation import parse_citation
from frisat.nextround import networks
from frisat.queries.common import iso
from frisat.registry.snapshot import Snapshot

UNKNOWN = "ikke kendt"


def _source(s: networks.Source | None) -> dict[str, str] | None:
    return {"title": s.title, "url": s.url} if s else None


def records(snap: Snapshot, date: dt.date) -> dict[str, Any]:
    """The programmes and networks with their sources; per power, the members for whom the
    engine marks its provisions deviable on D (so the page shows what the engine says)."""
    recs = networks.records()
    e = snap.engine
    name = {c: m.name for c, m in e.municipalities.items()}
    programmes = []
    for p in recs.programmes:
        raw = p.raw
        programmes.append({
            "key": p.key, "title": p.title, "law": p.law, "regime": p.regime,
            "in_force": iso(p.in_force), "experiments_until": iso(p.experiments_until),
            "later_end": iso(raw.get("later_end")), "later_end_note": raw.get("later_end_note"),
            "start_deadline": iso(raw.get("start_deadline")),
            "frikommuner": [{"code": c, "name": name.get(c, str(c))} for c in p.frikommuner],
            "application_rounds": [{"key": r["key"], "deadline": iso(r["deadline"])}
                                   for r in raw.get("application_rounds") or []] or None,
            "experiments_approved": raw.get("experiments_approved"),
            "experiments_evaluated": raw.get("experiments_evaluated"),
            "follow_up": raw.get("follow_up"),
            "source": _source(p.source),
        })
    powers = []
    for pw in recs.powers:
        members = recs.members(pw)
        provisions = []
        for t in pw.sets_aside:
            c = parse_citation(t.citation)
            open_to = [code for code in sorted(name)
                       if e.mark("frikommune-2", c.act, c.ref, code, date) == "deviable"]
            provisions.append({"citation": t.citation, "part": t.part or None,
                               "deviable_for_on_date": open_to})
        powers.append({
            "basis": f"lov om frikommunenetværk {pw.basis}", "networks": list(pw.networks),
            "area": pw.area, "approval": pw.approval or "Kommunalbestyrelsen beslutter selv",
            "summary": pw.summary, "from": iso(pw.valid_from), "to": iso(pw.valid_to),
            "members": [{"code": c, "name": name.get(c, str(c))} for c in members],
            "provisions": provisions, "source": _source(pw.source),
            "extension_source": _source(pw.to_source)})
    return {
        "date": iso(date),
        "programmes": programmes,
        "networks": [{"number": n.number, "theme": n.theme,
                      "municipalities": [{"code": c, "name": name.get(c, str(c))}
                                         for c in n.municipalities],
                      "source": _source(n.source)} for n in recs.networks],
        "powers": powers,
        "other_powers_note": recs.other_powers_note,
        "experiments": list(recs.experiments),
        "experiments_note": recs.experiments_note,
    }


def vedtaegt(snap: Snapshot, municipality: int, date: dt.date) -> dict[str, Any]:
    """The municipality's frikommunevedtægt as the register knows it: every approved
    exemption with its provisions, period, legal basis and state on D, and the networks it
    belongs to. Generated, never written by hand."""
    from frisat.engine import UnknownRecord

    e = snap.engine
    if municipality not in e.municipalities:
        raise UnknownRecord(f"Ukendt kommune: {municipality}")
    recs = networks.records()
    rows = []
    for ex in sorted((x for x in e.exemptions.values() if x.municipality == municipality
                      and x.approved_on is not None), key=lambda x: (x.valid_from, x.id)):
        state = ("future" if date < ex.valid_from else
                 "ended" if ex.valid_to is not None and date >= ex.valid_to else "in_force")
        rows.append({"id": ex.id, "regime": ex.regime,
                     "regime_title": e.regimes[ex.regime].title if ex.regime in e.regimes
                     else ex.regime, "area": ex.area,
                     "targets": [{"citation": t.citation, "extent": t.extent, "note": t.note}
                                 for t in ex.targets],
                     "from": iso(ex.valid_from), "to": iso(ex.valid_to),
                     "approved_on": iso(ex.approved_on),
                     "legal_basis": ex.legal_basis or UNKNOWN, "source_url": ex.source_url,
                     "state": state})
    return {"municipality": municipality, "name": e.municipalities[municipality].name,
            "date": iso(date),
            "networks": [{"number": n.number, "theme": n.theme}
                         for n in recs.networks_of(municipality)],
            "frikommune_1": municipality in next(
                p.frikommuner for p in recs.programmes if p.key == "frikommune-1"),
            "exemptions": rows,
            "complete": False,
            "note": "Vedtægten viser de fritagelser, registret kender. Ministeriets svarbreve "
                    "fra frikommuneforsøg I og II er ikke i registret; kommunens egen vedtægt "
                    "kan rumme flere forsøg."}
