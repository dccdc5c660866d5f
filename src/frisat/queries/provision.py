"""One provision: its place in the act, its versions, how each regime lists it, and where
it is set aside on a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from frisat.engine import UnknownRecord
from frisat.law.citation import CitationError, canonical_ref
from frisat.queries.common import iso, unknown
from frisat.queries.national import area_names
from frisat.queries.provenance import registered
from frisat.queries.provisions import regimes_listing
from frisat.registry.errors import InputError, Rejected
from frisat.registry.snapshot import Snapshot


def provision(snap: Snapshot, act: str, reference: str, date: dt.date,
              known_at: dt.datetime, lang: str = "da") -> dict[str, Any]:
    eng = snap.engine
    a = eng.acts.get(act)
    if a is None:
        raise unknown("lov", act, "act")
    try:
        ref = canonical_ref(reference) if reference else ""
    except CitationError as e:
        raise Rejected([InputError("reference", "unknown_provision", str(e))]) from None
    try:
        p = eng.provision(act, ref)
    except UnknownRecord:
        raise unknown("bestemmelse", f"{act} {ref}", "reference") from None
    names = area_names(snap, lang)
    versions = sorted((v for v in snap.world.versions if v.act == act and v.ref == ref),
                      key=lambda v: v.valid_from or dt.date.min)
    marks = []
    for r in regimes_listing(snap, act):
        mark, listing = eng.standing(r.key, act, ref, date)  # as listed on the date asked
        marks.append({"regime": r.key, "title": r.title, "legal_basis": r.legal_basis,
                      "shape": r.shape, "mark": mark,
                      "listed_as": f"{listing.act} {listing.ref}".strip() if listing else None,
                      "note": listing.note if listing else "",
                      "source": listing.source if listing else "",
                      # a further step the deviation needs (lov 880 § 9, stk. 2-3)
                      "condition": listing.condition if listing else "",
                      "condition_basis": listing.condition_basis if listing else "",
                      "from": iso(listing.valid_from) if listing else None,
                      "to": iso(listing.valid_to) if listing else None})
    children = eng.children(act, ref)
    parents = list(reversed(eng.ancestors(act, ref))) if ref else []
    return {"citation": p.citation, "act": {"key": a.key, "title": a.title, "level": a.level,
                                            "eli": a.eli, "source_url": a.source_url},
            "ref": ref, "heading": p.heading, "summary": p.summary or None,
            "leaf": not children, "date": date.isoformat(), "known_at": known_at.isoformat(),
            "parents": [{"ref": x.ref, "heading": x.heading} for x in parents if x.ref],
            "children": [{"ref": x.ref, "heading": x.heading, "summary": x.summary}
                         for x in children],
            "versions": [{"from": iso(v.valid_from), "to": iso(v.valid_to),
                          "enacted_by": v.enacted_by,
                          "exclusions": [{"regime": x.regime, "area": x.area, "basis": x.basis}
                                         for x in v.exclusions],
                          # the wording's own record: an amending act's import adds versions
                          "registered": registered(snap, "versions", v, lang)}
                         for v in versions],
            "regimes": marks, "set_aside": set_aside(snap, act, ref, date, names)}


def set_aside(snap: Snapshot, act: str, ref: str, date: dt.date,
              names: dict[str, str]) -> list[dict[str, Any]]:
    """Where the provision (or a leaf under it) is set aside on the date, from the national
    freedoms kept in the answer index."""
    eng = snap.engine
    leaves = {lf.key for lf in eng.tree.leaves_under(act, ref)} if eng.tree.has(act, ref) \
        else {(act, ref)}
    where = []
    for row in snap.index.national(date).exceptions:
        if (row.act, row.ref) not in leaves:
            continue
        dec = eng.decisions.get(row.decision)
        inst = eng.institutions.get(row.institution) if row.institution else None
        where.append({"municipality": row.municipality,
                      "name": eng.municipalities[row.municipality].name,
                      "area": row.area, "area_name": names.get(row.area, row.area),
                      "institution": row.institution,
                      "institution_name": inst.name if inst else None,
                      "citation": row.citation, "status": row.status,
                      "decision": row.decision,
                      "since": iso(dec.effective_from) if dec else None})
    where.sort(key=lambda x: (x["name"], x["institution_name"] or "", x["citation"]))
    return where
