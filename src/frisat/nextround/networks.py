"""The frikommune records as data: programmes, networks, and the powers of each network.

A frikommune power belongs to a network, not to the whole regime (LBK 831/2018 § 3). The
powers the catalogue can express become engine listings limited to the network's
municipalities (``Listing.municipalities``) and, where the law frees only part of a stk.,
to that part (``Listing.part``). ``refine`` puts them on the shipped regime, so a power of
network 6 is never shown as open to a municipality outside it. Pure: no Django, no I/O
beyond reading the shipped file once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from frisat.engine import model as m
from frisat.law.citation import parse_citation

DATA = Path(__file__).parent / "data" / "frikommune.yaml"


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Network:
    number: int
    theme: str
    municipalities: tuple[int, ...]
    source: Source


@dataclass(frozen=True)
class Target:
    citation: str
    part: str = ""


@dataclass(frozen=True)
class Power:
    basis: str  # the paragraph of the frikommune law that gives the power, e.g. "§ 29"
    networks: tuple[int, ...]
    area: str
    approval: str | None  # None: the council decides alone
    summary: str
    sets_aside: tuple[Target, ...]
    valid_from: dt.date
    valid_to: dt.date | None
    source: Source
    to_source: Source | None = None


@dataclass(frozen=True)
class Programme:
    key: str
    title: str
    law: str
    regime: str
    in_force: dt.date
    experiments_until: dt.date
    frikommuner: tuple[int, ...]
    source: Source
    raw: dict[str, Any]


@dataclass(frozen=True)
class Records:
    programmes: tuple[Programme, ...]
    networks: tuple[Network, ...]
    powers: tuple[Power, ...]
    other_powers_note: str
    experiments: tuple[dict[str, Any], ...]
    experiments_note: str

    def network(self, number: int) -> Network:
        return next(n for n in self.networks if n.number == number)

    def networks_of(self, municipality: int) -> list[Network]:
        return [n for n in self.networks if municipality in n.municipalities]

    def members(self, power: Power) -> tuple[int, ...]:
        return tuple(sorted({c for n in power.networks for c in self.network(n).municipalities}))


def _source(o: dict[str, Any]) -> Source:
    return Source(title=str(o["title"]), url=str(o["url"]))


@cache
def records() -> Records:
    d = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return Records(
        programmes=tuple(Programme(
            key=p["key"], title=p["title"], law=p["law"], regime=p["regime"],
            in_force=p["in_force"], experiments_until=p["experiments_until"],
            frikommuner=tuple(p.get("frikommuner") or ()), source=_source(p["source"]), raw=p)
            for p in d["programmes"]),
        networks=tuple(Network(number=n["number"], theme=n["theme"],
                               municipalities=tuple(n["municipalities"]),
                               source=_source(n["source"])) for n in d["networks"]),
        powers=tuple(Power(
            basis=p["basis"], networks=tuple(p["networks"]), area=p["area"],
            approval=p.get("approval"), summary=p["summary"],
            sets_aside=tuple(Target(t["citation"], t.get("part", ""))
                             for t in p.get("sets_aside") or ()),
            valid_from=p["from"], valid_to=p.get("to"), source=_source(p["source"]),
            to_source=_source(p["to_source"]) if p.get("to_source") else None)
            for p in d["powers"]),
        other_powers_note=d.get("other_powers_note", ""),
        experiments=tuple(d.get("experiments") or ()),
        experiments_note=d.get("experiments_note", ""),
    )


def listings(regime: str = "frikommune-2") -> tuple[m.Listing, ...]:
    """The network powers of a programme as listings for their networks only."""
    recs = records()
    prog = next(p for p in recs.programmes if p.regime == regime)
    out: list[m.Listing] = []
    for pw in recs.powers if prog.key == "frikommune-2" else ():
        nets = " og ".join(f"netværk {n}" for n in pw.networks)
        for t in pw.sets_aside:
            c = parse_citation(t.citation)
            out.append(m.Listing(
                act=c.act, ref=c.ref, mark="deviable",
                note=f"Kun {nets} (lov om frikommunenetværk {pw.basis}): {pw.summary}. "
                     + (f"{pw.approval}." if pw.approval else "Kommunalbestyrelsen beslutter."),
                source=f"{pw.source.title}, {pw.source.url}",
                municipalities=recs.members(pw), part=t.part))
    return tuple(out)


def refine(world: m.World) -> m.World:
    """The world with the frikommune II regime's listings limited to their networks: a
    listing the network data covers is replaced by the network-scoped one; the others stay.
    Applied to every record of the regime's history (same record times)."""
    scoped = listings("frikommune-2")
    keys = {(x.act, x.ref) for x in scoped}
    if not any(r.key == "frikommune-2" for r in world.regimes):
        return world
    regimes = tuple(
        replace(r, listings=tuple(li for li in r.listings if (li.act, li.ref) not in keys)
                + scoped) if r.key == "frikommune-2" else r
        for r in world.regimes)
    return world.with_(regimes=regimes)
