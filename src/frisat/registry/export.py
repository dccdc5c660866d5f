"""Write the register as a ``frisat-bundle/1`` document that loads back to the same answers.

Every record carries its ``recorded_at`` so that the history (and so every past answer,
SEMANTICS.md section 6) survives the round trip.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from frisat.engine import model as m


def _d(x: dt.date | None) -> str | None:
    return None if x is None else x.isoformat()


def _t(x: dt.datetime) -> str:
    return x.isoformat()


def _targets(ts: tuple[m.Target, ...]) -> list[dict[str, Any]]:
    return [{"citation": t.citation, "extent": t.extent, **({"note": t.note} if t.note else {}),
             **({} if t.condition_met is None else {"condition_met": t.condition_met}),
             **({"source_words": t.source_words} if t.source_words else {})}
            for t in ts]


def _listing(li: m.Listing) -> dict[str, Any]:
    out: dict[str, Any] = {"citation": f"{li.act} {li.ref}".strip(), "note": li.note,
                           "source": li.source, "from": _d(li.valid_from),
                           "to": _d(li.valid_to)}
    if li.municipalities is not None:
        out["municipalities"] = list(li.municipalities)
    out.update({k: getattr(li, k) for k in ("part", "condition", "condition_basis")
                if getattr(li, k)})
    return out


def to_bundle(w: m.World) -> dict[str, Any]:
    """The records of ``w`` as a bundle document (plain JSON types)."""
    versions: dict[tuple[str, str], list[m.Version]] = defaultdict(list)
    for v in w.versions:
        versions[(v.act, v.ref)].append(v)
    provisions: dict[str, list[m.Provision]] = defaultdict(list)
    for p in sorted(w.provisions, key=lambda p: (p.act, p.order)):
        if p.ref:
            provisions[p.act].append(p)

    def prov(p: m.Provision) -> dict[str, Any]:
        out: dict[str, Any] = {"ref": p.ref}
        if p.parent:
            out["in"] = p.parent
        if p.heading:
            out["heading"] = p.heading
        if p.summary:
            out["summary"] = p.summary
        out["order"] = p.order
        out["recorded_at"] = _t(p.recorded_at)
        out["versions"] = [
            {"from": _d(v.valid_from), "to": _d(v.valid_to), "enacted_by": v.enacted_by,
             "exclusions": [{"regime": e.regime, "area": e.area, "basis": e.basis}
                            for e in v.exclusions], "recorded_at": _t(v.recorded_at),
             **{k: getattr(v, k) for k in ("text", "heading", "note")
                if getattr(v, k, None) is not None}}
            for v in versions.get((p.act, p.ref), [])]
        return out

    doc: dict[str, Any] = {"format": "frisat-bundle/1"}
    doc["areas"] = [{"key": a.key, "name": a.name, "name_en": a.name_en,
                     "recorded_at": _t(a.recorded_at)} for a in w.areas]
    doc["municipalities"] = [
        {"code": x.code, "name": x.name, "region_code": x.region_code,
         "region_name": x.region_name, "source": x.source, "recorded_at": _t(x.recorded_at)}
        for x in sorted(w.municipalities, key=lambda x: x.code)]
    doc["acts"] = [
        {"key": a.key, "level": a.level, "municipality": a.municipality, "title": a.title,
         "short_title": a.short_title, "areas": list(a.areas),
         "kinds": None if a.kinds is None else list(a.kinds), "eli": a.eli,
         "valid_from": _d(a.valid_from), "source_url": a.source_url, "partial": a.partial,
         "recorded_at": _t(a.recorded_at), "provisions": [prov(p) for p in provisions[a.key]]}
        for a in w.acts]
    doc["regimes"] = [
        {"key": r.key, "title": r.title, "kind": r.kind, "legal_basis": r.legal_basis,
         "source_url": r.source_url, "shape": r.shape, "acts": list(r.acts),
         "deviable": [_listing(li) for li in r.listings if li.mark == "deviable"],
         "guardrails": [_listing(li) for li in r.listings if li.mark == "guardrail"],
         "min_effect_delay_days": r.min_effect_delay_days,
         "delegation_allowed": r.delegation_allowed,
         "kinds": None if r.kinds is None else list(r.kinds),
         "private_requires_request": r.private_requires_request,
         "protected_groups": list(r.protected_groups),
         "general_guardrails": list(r.general_guardrails), "run_off_note": r.run_off_note,
         "recorded_at": _t(r.recorded_at)}
        for r in w.regimes]
    doc["coverage"] = [
        {"regime": c.regime, "municipality": c.municipality, "area": c.area,
         "from": _d(c.valid_from), "to": _d(c.valid_to), "source": c.source,
         "confidence": c.confidence, "recorded_at": _t(c.recorded_at)} for c in w.coverage]
    members: dict[str, list[m.Membership]] = defaultdict(list)
    for ms in w.memberships:
        members[ms.institution].append(ms)
    doc["institutions"] = [
        {"id": i.id, "name": i.name, "requested": list(i.requested), "source": i.source,
         "example": i.example, "recorded_at": _t(i.recorded_at),
         "memberships": [{"municipality": x.municipality, "area": x.area, "kind": x.kind,
                          "provider": x.provider, "from": _d(x.valid_from),
                          "to": _d(x.valid_to), "recorded_at": _t(x.recorded_at)}
                         for x in members[i.id]]}
        for i in w.institutions]
    doc["delegations"] = [
        {"municipality": x.municipality, "regime": x.regime, "to": x.to, "name": x.name,
         "institution": x.institution, "decided_on": _d(x.decided_on), "source": x.source,
         "recorded_at": _t(x.recorded_at)} for x in w.delegations]
    doc["decisions"] = [decision_json(d) | {"recorded_at": _t(d.recorded_at)}
                        for d in w.decisions]
    doc["exemptions"] = [
        {"id": x.id, "regime": x.regime, "municipality": x.municipality, "area": x.area,
         "targets": _targets(x.targets), "from": _d(x.valid_from), "to": _d(x.valid_to),
         "approved_on": _d(x.approved_on), "legal_basis": x.legal_basis,
         "source_url": x.source_url, "recorded_at": _t(x.recorded_at)} for x in w.exemptions]
    doc["repeals"] = [
        {"act": x.act, "ref": x.ref, "from": _d(x.valid_from), "decided_on": _d(x.decided_on),
         "source_url": x.source_url, "recorded_at": _t(x.recorded_at)} for x in w.repeals]
    doc["kept"] = [
        {"act": x.act, "municipality": x.municipality, "reason": x.reason,
         "source_url": x.source_url, "recorded_at": _t(x.recorded_at)} for x in w.kept]
    doc["dependencies"] = [
        {"citation": f"{x.act} {x.ref}".strip(),
         "on": [f"{act} {ref}".strip() for act, ref in x.on], "basis": x.basis,
         "source": x.source, "extent": x.extent, "note": x.note, "from": _d(x.valid_from),
         "to": _d(x.valid_to), "recorded_at": _t(x.recorded_at)} for x in w.dependencies]
    doc["completeness"] = [
        {"municipality": x.municipality, "area": x.area, "from": _d(x.valid_from),
         "to": _d(x.valid_to), "level": x.level, "source": x.source,
         "source_url": x.source_url, "note": x.note, "recorded_at": _t(x.recorded_at)}
        for x in w.completeness]
    doc["corrections"] = [
        {"decision": x.decision,
         **({"decided_by": {"body": x.decided_by.body, "name": x.decided_by.name,
                            **({"institution": x.decided_by.institution}
                               if x.decided_by.institution else {})}}
            if x.decided_by else {}),
         "source_words": [{"citation": c, "words": t} for c, t in x.source_words],
         "reason": x.reason, "source": x.source, "recorded_at": _t(x.recorded_at)}
        for x in w.corrections]
    doc["condition_scopes"] = [
        {"regime": x.regime, "text": x.text,
         "concerns": [f"{act} {ref}".strip() for act, ref in x.concerns],
         "from": _d(x.valid_from), "to": _d(x.valid_to), "basis": x.basis,
         "recorded_at": _t(x.recorded_at)} for x in w.condition_scopes]
    doc["claims"] = [
        {"section": x.section, "record": x.record, "known_from": _t(x.known_from),
         "recorded_at": _t(x.recorded_at)} for x in w.claims]
    return {k: v for k, v in doc.items() if v}


def decision_json(d: m.Decision) -> dict[str, Any]:
    """A decision as in the bundle (also the body of the § 6 overview's entries)."""
    scope: dict[str, Any]
    if d.scope.kinds is not None:
        scope = {"kinds": list(d.scope.kinds)}
    elif d.scope.institutions is not None:
        scope = {"institutions": list(d.scope.institutions)}
    else:
        scope = {"institutions": "all"}
    by: dict[str, Any] = {"body": d.decided_by.body, "name": d.decided_by.name}
    if d.decided_by.institution:
        by["institution"] = d.decided_by.institution
    return {
        "id": d.id, "municipality": d.municipality, "regime": d.regime, "area": d.area,
        "title": d.title, "decided_by": by, "decided_on": _d(d.decided_on),
        "published_on": _d(d.published_on), "published": d.published,
        "effective_from": _d(d.effective_from),
        "effective_to": _d(d.effective_to), "scope": scope, "targets": _targets(d.targets),
        "replacement": d.replacement, "revokes": list(d.revokes), "source_url": d.source_url,
        "date_precision": d.date_precision, "confidence": d.confidence, "example": d.example,
    }
