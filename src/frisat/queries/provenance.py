"""Where a record shown to the public came from: its record time and a public label of
the load that stored it ("registreret 23. april 2024 fra lov nr. 410 af 23. april 2024").

The engine's records do not carry their load; every stored row does (``Fact.load``). The
map from (section, key, record time) to the load is read here with queries of its own,
once per register state and section (``Snapshot.per_state``): a new load is a new state.
Provisions and versions are read per act: too large to read whole for one page.

The label never names a person or a file: who wrote it is for the staff audit trail
(``store.loads``). A load's ``source`` is only used for what is public anyway: the
designation of an imported act and the name of an official register.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Iterable
from typing import Any

from frisat.engine import codec
from frisat.engine import model as m
from frisat.engine.texts import date_da, date_en
from frisat.queries.types import Registered
from frisat.registry import models as db
from frisat.registry import tables
from frisat.registry.snapshot import Snapshot
from frisat.registry.store import _fetch

# (key, record time) → the load's id (None: stored before loads were linked to facts)
Origins = dict[tuple[Hashable, dt.datetime], int | None]

# the public label of a load, by how it wrote: (Danish, English)
LABEL = {"init": ("de medfølgende referencedata", "the reference data shipped with frisat"),
         "form": ("kommunens sagsbehandling", "the municipality's case handling"),
         "api": ("kommunens system via API'et", "the municipality's system via the API"),
         "bundle": ("et indlæst datasæt", "a loaded data set"),
         "import": ("en import fra en officiel kilde", "an import from an official source")}

# the official registers an institution import reads (``sources.registers``)
REGISTERS = {"stil": ("et udtræk af STIL's institutionsregister",
                      "an extract of STIL's register of institutions"),
             "dagtilbud": ("et udtræk af Dagtilbudsregisteret",
                           "an extract of the Danish day-care register"),
             "plejehjem": ("et udtræk af plejehjemsoversigten",
                           "an extract of the list of nursing homes")}

# an imported act's designation, as ``sources.acts.import_act`` ends its load's source
_DESIGNATION = re.compile(r"\(([A-ZÆØÅ]{2,}(?: nr\. \d+)?(?: af \d{2}/\d{2}/\d{4})?)\)\s*$")
_PARTS = re.compile(r"^([A-ZÆØÅ]+)(?: nr\. (\d+))?(?: af (\d{2})/(\d{2})/(\d{4}))?$")
DOCUMENT = {"LOV": ("lov", "Act"), "LBK": ("lovbekendtgørelse", "Consolidated Act"),
            "BEK": ("bekendtgørelse", "Executive Order"), "VEJ": ("vejledning", "Guidance"),
            "CIR": ("cirkulære", "Circular")}


def registered(snap: Snapshot, section: str, record: Any, lang: str = "da") -> Registered:
    """When the register registered this record (the version the page shows) and from
    what, as the public may read it."""
    key = m.BY_SECTION[section].key_of(record)
    part = record.act if section in BY_ACT else None
    origins = snap.per_state(("provenance", section, part),
                             lambda: _origins(section, part))
    load_id = origins.get((key, record.recorded_at))
    loads = snap.per_state(("provenance", "loads"), _loads)
    how, source = loads.get(load_id, ("", "")) if load_id is not None else ("", "")
    return {"at": record.recorded_at.isoformat(), "how": how or None,
            "from": label(how, source, lang)}


def label(how: str, source: str, lang: str = "da") -> str | None:
    """The public words for a load (None: how it was stored is not known)."""
    i = 1 if lang == "en" else 0
    if how == "import":
        register = REGISTERS.get(source.partition(":")[0].strip())
        if register is not None:
            return register[i]
        found = _DESIGNATION.search(source)
        if found is not None:
            return designation(found.group(1), lang)
    words = LABEL.get(how)
    return words[i] if words else None


def designation(text: str, lang: str = "da") -> str:
    """``LOV nr. 410 af 23/04/2024`` in words: ``lov nr. 410 af 23. april 2024``."""
    got = _PARTS.match(text)
    if got is None:
        return text
    kind, number, day, month, year = got.groups()
    words = DOCUMENT.get(kind, (kind, kind))[1 if lang == "en" else 0]
    out = f"{words} {'no.' if lang == 'en' else 'nr.'} {number}" if number else words
    if year:
        when = dt.date(int(year), int(month), int(day))
        out += f" of {date_en(when)}" if lang == "en" else f" af {date_da(when)}"
    return out


def _loads() -> dict[int, tuple[str, str]]:
    return {i: (how, source) for i, how, source in
            db.Load.objects.values_list("id", "how", "source").iterator()}


# the sections a public page rests on, and the column(s) of their key (``model.KINDS``
# keys, as their tables store them)
_KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "decisions": ("id",), "institutions": ("id",), "acts": ("key",),
    "provisions": ("act_id", "ref"), "versions": ("act_id", "ref", "valid_from")}
BY_ACT = frozenset({"provisions", "versions"})  # the large sections: read per act


def _origins(section: str, act: str | None) -> Origins:
    """Every stored record of the section (of one act, for ``BY_ACT``): its key and record
    time → its load. A keyed table holds the first record of a key; the later ones are
    generic records (``store.ONCE``)."""
    model, columns = tables.BY_SECTION[section].model, _KEY_COLUMNS[section]
    rows = model.objects.all() if act is None else model.objects.filter(act_id=act)
    out: Origins = {}
    # ``store._fetch``: each distinct record time converted once (a register repeats them)
    for *key, recorded_at, load_id in _fetch(rows.values_list(*columns, "recorded_at",
                                                              "load_id")):
        out[(key[0] if len(key) == 1 else tuple(key), recorded_at)] = load_id
    kind = m.BY_SECTION[section]
    later: Iterable[tuple[Any, dt.datetime, int | None]] = db.Record.objects.filter(
        section=section).values_list("data", "recorded_at", "load_id").iterator()
    for data, recorded_at, load_id in later:
        x = codec.decode(kind.record, data, recorded_at=recorded_at)
        if act is None or x.act == act:
            out[(kind.key_of(x), recorded_at)] = load_id
    return out


def of_act(snap: Snapshot, act: str, ref: str, lang: str = "da") -> Registered:
    """The act's own record for the act (``ref`` ""), else the provision's record."""
    if not ref:
        return registered(snap, "acts", snap.engine.acts[act], lang)
    return registered(snap, "provisions", snap.engine.provision(act, ref), lang)


def of_institution(snap: Snapshot, institution: str, lang: str = "da") -> Registered:
    return registered(snap, "institutions", snap.engine.institutions[institution], lang)
