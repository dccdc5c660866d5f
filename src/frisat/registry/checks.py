"""Checks on a decision or exemption before it can be published (SEMANTICS §4).

Pure Python over a ``World`` view: no Django, no I/O. Each problem names its code, the
field inside the record (``effective_from``, ``targets[1].citation``,
``scope.institutions[0]``, ``decided_by``) and a sentence a municipal case worker
understands, in Danish (``message``) and English (``message_en``). ``severity`` is
``error`` (the record is rejected) or ``warning`` (it is stored; the warning is shown).

``immutable`` and ``conflict`` are the loader's business, not checked here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from frisat.engine.listing import Listings
from frisat.engine.model import (
    Coverage,
    Date,
    Decision,
    Delegation,
    Exemption,
    Membership,
    Target,
    World,
    in_interval,
)
from frisat.engine.texts import date_da, date_en
from frisat.engine.tree import Tree
from frisat.vocabulary import BODY_INDEFINITE

CODES = (
    "not_covered", "guardrail", "guardrail_inside", "not_deviable", "too_early",
    "outside_period", "cut_to_period", "scope", "delegation", "unknown_provision",
    "kind_not_covered", "private_provider", "unknown_regime", "unknown_institution",
    "duplicate", "invalid", "publication_date_unknown",
)

BODY_DA = {k: v[0] for k, v in BODY_INDEFINITE.items()}
BODY_EN = {k: v[1] for k, v in BODY_INDEFINITE.items()}


@dataclass(frozen=True)
class Problem:
    code: str
    field: str
    message: str
    message_en: str
    severity: str = "error"  # or "warning"
    value: str = ""  # for cut_to_period: the date the effect is cut to

    def __str__(self) -> str:
        return f"{self.field}: {self.code} — {self.message}"


class Checker:
    """Indexes over one world view, reused for many checks (e.g. a whole bundle)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.regimes = {r.key: r for r in world.regimes}
        self.acts = {a.key: a for a in world.acts}
        self.tree = Tree(world.provisions, self.acts)
        self.listings = Listings(self.regimes, self.tree, self.acts)
        self.provisions = {p.key for p in world.provisions}
        self.institutions = {i.id: i for i in world.institutions}
        self.memberships: dict[str, list[Membership]] = {}
        for m in world.memberships:
            self.memberships.setdefault(m.institution, []).append(m)
        # one record per coverage key: the latest registered (an extension supersedes)
        latest: dict[tuple[str, int, str, Date], Coverage] = {}
        for c in world.coverage:
            if c.key not in latest or latest[c.key].recorded_at <= c.recorded_at:
                latest[c.key] = c
        self.coverage: dict[tuple[str, int, str], list[Coverage]] = {}
        for c in latest.values():
            self.coverage.setdefault((c.regime, c.municipality, c.area), []).append(c)
        self.delegations: dict[tuple[int, str], list[Delegation]] = {}
        for dl in world.delegations:
            self.delegations.setdefault((dl.municipality, dl.regime), []).append(dl)

    # ---------------------------------------------------------------- helpers

    def _membership(self, inst: str, d: Date) -> Membership | None:
        best = None
        for m in sorted(self.memberships.get(inst, ()), key=lambda x: x.valid_from or Date.min):
            if in_interval(d, m.valid_from, m.valid_to):
                best = m
        return best

    def _period(self, regime: str, mun: int, area: str, start: Date, end: Date | None,
                what: str, start_field: str, end_field: str) -> list[Problem]:
        what_en = what.replace("Beslutning", "Decision").replace("Fritagelse", "Exemption")
        covs = self.coverage.get((regime, mun, area), [])
        holding = [c for c in covs if in_interval(start, c.valid_from, c.valid_to)]
        if holding:
            stop = max((c.valid_to for c in holding), key=lambda x: x or Date.max)
            if stop is not None and end is not None and end > stop:
                return [Problem(
                    "cut_to_period", end_field,
                    f"{what} gælder kun, så længe ordningen {regime} gælder for kommunen: "
                    f"virkningen ophører {date_da(stop)} ({stop.isoformat()}), ikke "
                    f"{end.isoformat()}.",
                    f"{what_en} only holds while the regime {regime} covers the "
                    f"municipality: it ends on {date_en(stop)} ({stop.isoformat()}).",
                    "warning", stop.isoformat())]
            return []
        ended = [c.valid_to for c in covs if c.valid_to is not None and c.valid_to <= start]
        if ended:
            stop = max(ended)
            return [Problem(
                "outside_period", start_field,
                f"{what} skal have virkning fra {start.isoformat()}, men ordningen {regime} "
                f"ophørte for kommune {mun} på området {area} den {stop.isoformat()}.",
                f"{what_en} would take effect on {start.isoformat()}, but the regime {regime} "
                f"ended for municipality {mun} in the area {area} on {stop.isoformat()}.")]
        return [Problem(
            "not_covered", start_field,
            f"Ordningen {regime} omfatter ikke kommune {mun} på området {area} den "
            f"{start.isoformat()} ({what}).",
            f"The regime {regime} does not cover municipality {mun} in the area {area} on "
            f"{start.isoformat()} ({what_en}).")]

    def _targets(self, rid: str, targets: tuple[Target, ...], regime_key: str | None,
                 mun: int, what: str, d: dt.date | None = None) -> list[Problem]:
        """Targets must resolve and be deviable under the lists valid on D (the start)."""
        out: list[Problem] = []
        seen: dict[tuple[str, str], int] = {}
        for i, t in enumerate(targets):
            f = f"targets[{i}].citation"
            if (t.act, t.ref) in seen:
                out.append(Problem(
                    "duplicate", f,
                    f"{what} {rid}: {t.citation} står to gange (også som "
                    f"targets[{seen[(t.act, t.ref)]}]); angiv hver bestemmelse én gang.",
                    f"{rid}: {t.citation} is named twice."))
                continue
            seen[(t.act, t.ref)] = i
            if t.act not in self.acts:
                out.append(Problem(
                    "unknown_provision", f,
                    f"{what} {rid}: loven {t.act!r} findes ikke i kataloget ({t.citation}).",
                    f"{rid}: the act {t.act!r} is not in the catalogue ({t.citation})."))
                continue
            if t.ref and (t.act, t.ref) not in self.provisions:
                out.append(Problem(
                    "unknown_provision", f,
                    f"{what} {rid}: bestemmelsen {t.citation} findes ikke i kataloget.",
                    f"{rid}: the provision {t.citation} is not in the catalogue."))
                continue
            if regime_key is None:
                continue
            mark, node = self.listings.mark(regime_key, t.act, t.ref, mun, d)
            if mark == "guardrail":
                node_cit = f"{node[0]} {node[1]}".strip() if node else t.citation
                out.append(Problem(
                    "guardrail", f,
                    f"{what} {rid}: {t.citation} er en hegnspæl efter {regime_key} "
                    f"({node_cit}) og kan ikke sættes ud af kraft.",
                    f"{rid}: {t.citation} is a guardrail under {regime_key} ({node_cit}) and "
                    f"cannot be set aside."))
                continue
            if mark is None:
                below = [lf.citation for lf in self.tree.leaves_under(t.act, t.ref)
                         if self.listings.mark(regime_key, lf.act, lf.ref, mun, d)[0]
                         == "deviable"]
                hint_da = (f" Disse dele kan fraviges: {', '.join(below[:10])}"
                           f"{' …' if len(below) > 10 else ''}." if below else "")
                hint_en = (f" These parts are deviable: {', '.join(below[:10])}"
                           f"{' …' if len(below) > 10 else ''}." if below else "")
                out.append(Problem(
                    "not_deviable", f,
                    f"{what} {rid}: {t.citation} kan ikke fraviges efter {regime_key}.{hint_da}",
                    f"{rid}: {t.citation} cannot be set aside under {regime_key}.{hint_en}"))
                continue
            kept = [lf.citation for lf in self.tree.leaves_under(t.act, t.ref)
                    if self.listings.mark(regime_key, lf.act, lf.ref, mun, d)[0]
                    != "deviable"]
            if kept:
                out.append(Problem(
                    "guardrail_inside", f,
                    f"{what} {rid}: {t.citation} indeholder bestemmelser, der fortsat gælder "
                    f"(hegnspæle eller ikke fravigelige): {', '.join(kept)}.",
                    f"{rid}: {t.citation} contains provisions that keep applying (guardrails "
                    f"or not deviable): {', '.join(kept)}.",
                    "warning"))
        return out

    # ---------------------------------------------------------------- decisions

    def check_decision(self, dec: Decision) -> list[Problem]:
        out: list[Problem] = []
        rid = dec.id
        regime = self.regimes.get(dec.regime)
        if regime is None:
            out.append(Problem(
                "unknown_regime", "regime",
                f"Beslutning {rid}: ordningen {dec.regime!r} findes ikke.",
                f"Decision {rid}: the regime {dec.regime!r} does not exist."))
        else:
            out += self._period(dec.regime, dec.municipality, dec.area, dec.effective_from,
                                dec.effective_to, f"Beslutning {rid}", "effective_from",
                                "effective_to")
            if (dec.decided_on is not None and dec.published_on is not None
                    and dec.decided_on > dec.published_on):
                out.append(Problem(
                    "invalid", "decided_on",
                    f"Beslutning {rid} er offentliggjort {dec.published_on.isoformat()}, før den "
                    f"blev truffet {dec.decided_on.isoformat()}.",
                    f"Decision {rid} is published before it was decided."))
            if dec.published_on is None and dec.published:
                out.append(Problem(
                    "publication_date_unknown", "published_on",
                    f"Beslutning {rid}: offentliggørelsesdatoen er ukendt, så det kan ikke "
                    "kontrolleres, at virkningen tidligst indtræder dagen efter.",
                    f"Decision {rid}: the publication date is unknown, so it cannot be checked "
                    "that the decision took effect no earlier than the day after.",
                    "warning"))
            if dec.published_on is not None:
                earliest = dec.published_on + dt.timedelta(days=regime.min_effect_delay_days)
                if dec.effective_from < earliest:
                    out.append(Problem(
                        "too_early", "effective_from",
                        f"Beslutning {rid} kan tidligst få virkning {date_da(earliest)} "
                        f"({earliest.isoformat()}), {regime.min_effect_delay_days} dag(e) efter "
                        f"offentliggørelsen {dec.published_on.isoformat()}; den angivne "
                        f"virkningsdato er {dec.effective_from.isoformat()}.",
                        f"Decision {rid} can take effect on {earliest.isoformat()} at the "
                        f"earliest ({regime.min_effect_delay_days} day(s) after publication on "
                        f"{dec.published_on.isoformat()}), not {dec.effective_from.isoformat()}."))
        out += self._targets(rid, dec.targets, dec.regime if regime else None,
                             dec.municipality, "Beslutning", dec.effective_from)
        out += self._scope(dec)
        out += self._delegation(dec)
        return out

    def _scope(self, dec: Decision) -> list[Problem]:
        out: list[Problem] = []
        rid = dec.id
        regime = self.regimes.get(dec.regime)
        d = dec.effective_from
        if dec.scope.kinds is not None and regime is not None and regime.kinds is not None:
            for i, k in enumerate(dec.scope.kinds):
                if k not in regime.kinds:
                    out.append(Problem(
                        "kind_not_covered", f"scope.kinds[{i}]",
                        f"Beslutning {rid}: ordningen {regime.key} omfatter ikke institutioner "
                        f"af typen {k!r} (kun {', '.join(regime.kinds)}).",
                        f"Decision {rid}: the regime {regime.key} does not reach institutions "
                        f"of the kind {k!r} (only {', '.join(regime.kinds)})."))
        for i, inst_id in enumerate(dec.scope.institutions or ()):
            f = f"scope.institutions[{i}]"
            inst = self.institutions.get(inst_id)
            if inst is None and inst_id not in self.memberships:
                out.append(Problem(
                    "unknown_institution", f,
                    f"Beslutning {rid}: institutionen {inst_id} findes ikke i registeret.",
                    f"Decision {rid}: the institution {inst_id} is not in the register."))
                continue
            m = self._membership(inst_id, d)
            if m is None or m.municipality != dec.municipality or m.area != dec.area:
                where = (f"hører til kommune {m.municipality}, område {m.area}" if m
                         else "er ikke åben")
                out.append(Problem(
                    "scope", f,
                    f"Beslutning {rid}: institutionen {inst_id} {where} den {d.isoformat()}, "
                    f"ikke kommune {dec.municipality}, område {dec.area}.",
                    f"Decision {rid}: the institution {inst_id} does not belong to municipality "
                    f"{dec.municipality}, area {dec.area} on {d.isoformat()}."))
                continue
            if regime is None:
                continue
            if regime.kinds is not None and m.kind not in regime.kinds:
                out.append(Problem(
                    "kind_not_covered", f,
                    f"Beslutning {rid}: institutionen {inst_id} er af typen {m.kind!r}, som "
                    f"ordningen {regime.key} ikke omfatter (kun {', '.join(regime.kinds)}).",
                    f"Decision {rid}: the institution {inst_id} is of the kind {m.kind!r}, "
                    f"which the regime {regime.key} does not reach."))
            if (regime.private_requires_request and m.provider == "private"
                    and regime.key not in (inst.requested if inst else ())):
                out.append(Problem(
                    "private_provider", f,
                    f"Beslutning {rid}: institutionen {inst_id} drives af en privat "
                    f"leverandør, som ikke har bedt om at være omfattet af {regime.key}.",
                    f"Decision {rid}: the institution {inst_id} is run by a private provider "
                    f"that has not asked to be covered by {regime.key}."))
        return out

    def _delegation(self, dec: Decision) -> list[Problem]:
        by = dec.decided_by
        rid = dec.id
        if by.body in ("council", "unknown"):  # unknown: no delegation is claimed
            return []
        out: list[Problem] = []
        regime = self.regimes.get(dec.regime)
        if by.body == "institution":
            if not by.institution:
                return [Problem(
                    "delegation", "decided_by.institution",
                    f"Beslutning {rid}: en institution har truffet beslutningen, men det er "
                    f"ikke angivet hvilken.",
                    f"Decision {rid}: decided by an institution, but not which one.")]
            if by.institution not in self.institutions and by.institution not in \
                    self.memberships:
                return [Problem(
                    "unknown_institution", "decided_by.institution",
                    f"Beslutning {rid}: institutionen {by.institution} findes ikke i "
                    f"registeret.",
                    f"Decision {rid}: the institution {by.institution} is not in the "
                    f"register.")]
            if dec.scope.institutions is None or set(dec.scope.institutions) != {
                    by.institution}:
                out.append(Problem(
                    "delegation", "scope",
                    f"Beslutning {rid}: institutionen {by.institution} kan kun træffe "
                    f"beslutning for sig selv; omfanget skal være netop institutionen "
                    f"{by.institution}.",
                    f"Decision {rid}: the institution {by.institution} may only decide for "
                    f"itself; the scope must be exactly that institution."))
        if regime is not None and not regime.delegation_allowed:
            out.append(Problem(
                "delegation", "decided_by",
                f"Beslutning {rid}: ordningen {regime.key} tillader ikke delegation; "
                f"kommunalbestyrelsen skal selv træffe beslutningen.",
                f"Decision {rid}: the regime {regime.key} does not allow delegation; the "
                f"council must decide itself."))
            return out
        ok = False
        for dl in self.delegations.get((dec.municipality, dec.regime), ()):
            if dl.to != by.body:
                continue
            if by.body == "institution" and dl.institution not in (None, by.institution):
                continue
            if by.body == "committee" and dl.name and by.name and \
                    dl.name.strip().lower() != by.name.strip().lower():
                continue
            when = dl.decided_on or dl.recorded_at.date()
            if dec.decided_on is not None and when > dec.decided_on:
                continue
            ok = True
            break
        if not ok:
            who = by.name or by.institution or BODY_DA[by.body]
            out.append(Problem(
                "delegation", "decided_by",
                f"Beslutning {rid} er truffet af {BODY_DA[by.body]} ({who}), men "
                f"kommunalbestyrelsen i kommune {dec.municipality} har ikke delegeret "
                f"kompetencen efter {dec.regime} dertil"
                f"{' senest ' + dec.decided_on.isoformat() if dec.decided_on else ''}.",
                f"Decision {rid} was made by {BODY_EN[by.body]} ({who}), but the council of "
                f"municipality {dec.municipality} has not delegated the power under "
                f"{dec.regime} to it."))
        return out

    # ---------------------------------------------------------------- exemptions

    def check_exemption(self, ex: Exemption) -> list[Problem]:
        """The ministry's approval is itself the legal act: targets are not checked
        against listings; coverage, period and catalogue are."""
        out: list[Problem] = []
        if ex.regime not in self.regimes:
            out.append(Problem(
                "unknown_regime", "regime",
                f"Fritagelse {ex.id}: ordningen {ex.regime!r} findes ikke.",
                f"Exemption {ex.id}: the regime {ex.regime!r} does not exist."))
        else:
            out += self._period(ex.regime, ex.municipality, ex.area, ex.valid_from,
                                ex.valid_to, f"Fritagelse {ex.id}", "from", "to")
        out += self._targets(ex.id, ex.targets, ex.regime if ex.regime in self.regimes else None,
                             ex.municipality, "Fritagelse", ex.valid_from)
        return out


_last: list[Checker] = []


def checker(world: World) -> Checker:
    """A Checker for the world, reused while the same world object is asked about."""
    if _last and _last[0].world is world:
        return _last[0]
    c = Checker(world)
    _last[:] = [c]
    return c


def check_decision(world: World, decision: Decision) -> list[Problem]:
    return checker(world).check_decision(decision)


def check_exemption(world: World, exemption: Exemption) -> list[Problem]:
    return checker(world).check_exemption(exemption)
