"""Reasons as data, sentences on demand (SEMANTICS §3.5).

The engine records *why* as a ``Reason``: a kind and machine-readable data. The Danish and
English sentences are rendered only when someone reads them, from the data and the names of
the register view (``Lexicon``): a national question never builds a sentence, and a sentence
shared by many leaves is built once.

A few reasons speak of the date asked ("… på området X den 1. marts 2022"); they are
*dated*. The answer index hands out one verdict list for a whole stretch of dates, so such a
reason is rendered for the date of the question: ``to_json(lang, asked)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from frisat.engine import texts as tx
from frisat.engine.model import Date, DecidedBy
from frisat.vocabulary import AREA_IN_SENTENCE, REPEALED, REVOKED, word

if TYPE_CHECKING:
    from frisat.engine.model import World

EMPTY: Mapping[str, object] = MappingProxyType({})


def frozen(d: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(d))


class Lexicon:
    """The names a sentence needs, from one register view: municipalities, regimes (with
    their legal basis in words), institutions, decisions and exemptions."""

    def __init__(self, world: World) -> None:
        self.municipalities = {m.code: m for m in world.municipalities}
        self.regimes = {r.key: r for r in world.regimes}
        self.institutions = {i.id: i for i in world.institutions}
        self.decisions = {d.id: d for d in world.decisions}
        self.exemptions = {e.id: e for e in world.exemptions}
        self.act_titles = {a.eli: a.title for a in world.acts if a.eli}
        self.short = {a.key: a.short_title or a.key for a in world.acts}
        self.areas = {a.key: (a.name, a.name_en or a.name) for a in world.areas}
        self._words: dict[str, tuple[str, str, str]] = {}

    def mun(self, code: int, lang: str) -> str:
        m = self.municipalities.get(code)
        return tx.municipality_en(code, m) if lang == "en" else tx.municipality_da(code, m)

    def regime_words(self, key: str) -> tuple[str, str, str]:
        """(Danish phrase, English phrase, legal basis in words) for a regime key."""
        got = self._words.get(key)
        if got is None:
            regime = self.regimes.get(key)
            if regime is None:
                got = (key, key, "")
            else:
                basis = tx.basis_da(regime, self.act_titles)
                got = (tx.regime_phrase_da(regime, basis), tx.regime_phrase_en(regime, basis),
                       basis)
            self._words[key] = got
        return got

    def cite(self, citation: object) -> str:
        """A citation as people write it: an act by its short title (``BEK 893/2021 § 3``,
        ``dagtilbudsloven § 8``), never by its key."""
        act, _, ref = str(citation).partition(" ")
        return f"{self.short.get(act, act)} {ref}".strip()

    def area(self, key: str, lang: str) -> str:
        """An area inside a sentence: "dagtilbudsområdet"; else its name, lower-cased."""
        if key in AREA_IN_SENTENCE:
            return word(AREA_IN_SENTENCE[key], lang)
        name = self.areas.get(key, (key, key))[1 if lang == "en" else 0]
        return name[:1].lower() + name[1:]

    def regime(self, key: str, lang: str) -> str:
        return self.regime_words(key)[1 if lang == "en" else 0]

    def institution_name(self, ident: str | None) -> str | None:
        if not ident:
            return None
        i = self.institutions.get(ident)
        return i.name if i else None

    def precision(self, record_id: str) -> str:
        d = self.decisions.get(record_id)
        return d.date_precision if d is not None else "day"

    def record(self, record_id: str, lang: str, *, start: bool = True) -> str:
        """A decision or exemption as a reader knows it: by its municipality and title, never
        by its register id ("Helsingør Kommunes beslutning »…«"); ``start``: it opens a
        sentence."""
        d = self.decisions.get(record_id)
        e = self.exemptions.get(record_id) if d is None else None
        code = d.municipality if d is not None else (e.municipality if e is not None else None)
        mun = self.municipalities.get(code) if code is not None else None
        if lang == "en":
            if e is not None:
                out = f"the ministry's exemption for {mun.name} Municipality" if mun \
                    else "the ministry's exemption"
            else:
                out = f"{mun.name} Municipality's decision" if mun else "the decision"
                if d is not None and d.title:
                    out += f" “{d.title}”"
        else:
            if e is not None:
                out = f"ministeriets fritagelse af {mun.name} Kommune" if mun \
                    else "ministeriets fritagelse"
            else:
                out = f"{mun.name} Kommunes beslutning" if mun else "kommunens beslutning"
                if d is not None and d.title:
                    out += f" »{d.title}«"
        return out[:1].upper() + out[1:] if start else out

    def home(self, record_id: str) -> tuple[int, str]:
        """The municipality and area of a decision or exemption."""
        d = self.decisions.get(record_id)
        if d is not None:
            return d.municipality, d.area
        e = self.exemptions[record_id]
        return e.municipality, e.area


@dataclass(frozen=True)
class Reason:
    """One reason of a verdict: its kind and data (as in the JSON answers). ``hidden``
    holds what only the sentence needs (the leaf's citation, the date of a dated reason)."""

    kind: str
    data: Mapping[str, object] = field(default_factory=lambda: EMPTY)
    lex: Lexicon | None = field(default=None, compare=False, repr=False)
    hidden: Mapping[str, object] = field(default_factory=lambda: EMPTY, compare=False,
                                         repr=False)

    def __reduce__(self) -> tuple[object, ...]:
        # kept in the register's file (registry.snapshot): mapping proxies do not pickle
        return (_reason, (self.kind, dict(self.data), self.lex, dict(self.hidden)))

    @property
    def dated(self) -> bool:
        return "date" in self.hidden

    def render(self, lang: str = "da", asked: Date | None = None) -> str:
        """The sentence in Danish (``da``) or English (``en``); a dated reason speaks of
        ``asked`` (default: the date it was judged for)."""
        if asked is None or not self.dated or asked == self.hidden["date"]:
            return self.text_en if lang == "en" else self.text
        return _render(self, lang, asked)

    @cached_property
    def text(self) -> str:
        return _render(self, "da", None)

    @cached_property
    def text_en(self) -> str:
        return _render(self, "en", None)

    def to_json(self, lang: str = "da", asked: Date | None = None) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind}
        out.update(self.data)
        if asked is not None and self.dated and "date" in self.data:
            out["date"] = asked.isoformat()
        out["text"] = self.render(lang, asked)
        return out

    @property
    def record_id(self) -> str | None:
        """The decision or exemption this reason is about, if any."""
        v = self.data.get("decision") or self.data.get("exemption")
        return str(v) if v is not None else None


def _reason(kind: str, data: dict[str, object], lex: Lexicon | None,
            hidden: dict[str, object]) -> Reason:
    return Reason(kind, frozen(data), lex, frozen(hidden) if hidden else EMPTY)


# --------------------------------------------------------------------------- sentences

Render = Callable[[Reason, Lexicon, str, Date | None], str]


def _render(r: Reason, lang: str, asked: Date | None) -> str:
    assert r.lex is not None, "a reason is rendered with the names of its register view"
    return SENTENCES[r.kind](r, r.lex, lang, asked)


def _s(o: object) -> str:
    return "" if o is None else str(o)


def _date(value: object) -> Date | None:
    return Date.fromisoformat(str(value)) if value else None


def _noun(r: Reason, lang: str) -> tuple[str, str]:
    """("Beslutning"/"Decision" or "Fritagelse"/"Exemption", the record id)."""
    if "exemption" in r.data:
        return ("Exemption" if lang == "en" else "Fritagelse"), _s(r.data["exemption"])
    return ("Decision" if lang == "en" else "Beslutning"), _s(r.data.get("decision"))


def _decision(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    d = r.data
    prec = _s(d.get("date_precision") or "day")
    start, end = _date(d["effective_from"]), _date(d.get("effective_to"))
    by = DecidedBy(body=d["body"], name=_s(d.get("body_name")),  # type: ignore[arg-type]
                   institution=d.get("body_institution"))  # type: ignore[arg-type]
    inst_name = lex.institution_name(by.institution)
    partial = d.get("extent") == "partial"
    mun = lex.mun(int(d["municipality"]), lang)  # type: ignore[call-overload]
    note, replacement = _s(d.get("note")), _s(d.get("replacement"))
    words = _s(d.get("source_words"))
    if lang == "en":
        text = (f"{'Partly set aside' if partial else 'Set aside'} by {mun} "
                f"({tx.body_en(by, inst_name)}) from {tx.date_en(start, prec)}"
                f"{tx.until_en(end, prec)}{tx.precision_note_en(prec)} under "
                f"{lex.regime(_s(d['regime']), 'en')}.")
        if partial and note:
            text += f" Extent: {note}" + ("" if note.endswith(".") else ".")
        if words:
            text += (f" The source says “{words}”; that this means "
                     f"{lex.cite(d['target'])} is the register's reading.")
        if replacement:
            text += f" Instead: {replacement}"
        return text
    text = (f"{'Delvis sat ud af kraft' if partial else 'Sat ud af kraft'} af {mun} "
            f"({tx.body_da(by, inst_name)}) fra {tx.date_da(start, prec)}"
            f"{tx.until_da(end, prec)}{tx.precision_note_da(prec)} efter "
            f"{lex.regime(_s(d['regime']), 'da')}.")
    if partial and note:
        text += f" Omfang: {note}"
        if not text.endswith("."):
            text += "."
    if words:
        text += (f" Kilden siger »{words}«; at det er {lex.cite(d['target'])}, er registrets "
                 f"egen læsning.")
    if replacement:
        text += f" I stedet gælder: {replacement}"
    return text


def _exemption(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    d = r.data
    start, end, approved = _date(d["from"]), _date(d.get("to")), _date(d.get("approved_on"))
    partial = d.get("extent") == "partial"
    note = f": {d['note']}" if d.get("note") else ""
    mun = lex.mun(int(d["municipality"]), lang)  # type: ignore[call-overload]
    if lang == "en":
        when = f"approved {tx.date_en(approved)}" if approved else "approval date unknown"
        return (f"{mun} is {'partly ' if partial else ''}exempted from {tx.date_en(start)}"
                f"{tx.until_en(end)} by the ministry's approval ({when}) under "
                f"{lex.regime(_s(d['regime']), 'en')}{note}.")
    when = f"godkendt {tx.date_da(approved)}" if approved else "godkendelsesdatoen er ukendt"
    return (f"{mun} er {'delvis ' if partial else ''}fritaget fra {tx.date_da(start)}"
            f"{tx.until_da(end)} ved ministeriets godkendelse ({when}) efter "
            f"{lex.regime(_s(d['regime']), 'da')}{note}.")


def _condition(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    d = r.data
    reg, value, what = lex.regime(_s(d["regime"]), lang), _s(d["value"]), d["condition"]
    if what == "protected_group":
        return (f"Does not apply to protected groups under {reg}: {value}" if lang == "en"
                else f"Gælder ikke for beskyttede grupper efter {reg}: {value}")
    if what == "general_guardrail":
        return (f"Guardrail under {reg} that must still be met: {value}" if lang == "en"
                else f"Hegnspæl efter {reg}, som fortsat skal overholdes: {value}")
    if what == "permission":
        # the provision the condition is listed for, not the (wider) target of the decision
        cit = lex.cite(d.get("listed") or d["target"])
        basis = f" ({d['basis']})" if d.get("basis") else ""
        met = d.get("met")
        if lang == "en":
            state = {True: "The register records that it was met.",
                     False: "It was not met, so the provision still applies."}.get(
                         met, "The register does not know whether it was met.")  # type: ignore[call-overload]
            return f"Setting {cit} aside requires: {value}{basis}. {state}"
        state = {True: "Registret oplyser, at betingelsen er opfyldt.",
                 False: "Betingelsen er ikke opfyldt, så bestemmelsen gælder fortsat."}.get(
                     met, "Registret ved ikke, om betingelsen er opfyldt.")  # type: ignore[call-overload]
        return f"At fravige {cit} forudsætter: {value}{basis}. {state}"
    return (f"After the end of {reg}: {value}" if lang == "en"
            else f"Efter ophøret af {reg}: {value}")


def _guardrail(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    rec = lex.record(_noun(r, lang)[1], lang)
    d = r.data
    reg = lex.regime(_s(d["regime"]), lang)
    target, node = lex.cite(d["target"]), lex.cite(d["guardrail_node"])
    if lang == "en":
        return (f"{rec} covers {target}, but {node} is a guardrail under {reg}. The provision "
                f"still applies.")
    return (f"{rec} omfatter {target}, men {node} er en hegnspæl efter {reg}. Bestemmelsen "
            f"gælder fortsat.")


def _not_deviable(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    rec = lex.record(_noun(r, lang)[1], lang)
    d = r.data
    reg, leaf = lex.regime(_s(d["regime"]), lang), lex.cite(r.hidden["citation"])
    target = lex.cite(d["target"])
    if lang == "en":
        return (f"{rec} covers {target}, but {leaf} cannot be set aside under {reg}. The "
                f"provision still applies.")
    return (f"{rec} omfatter {target}, men {leaf} kan ikke fraviges efter {reg}. "
            f"Bestemmelsen gælder fortsat.")


def _revoked(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    rec = lex.record(_noun(r, lang)[1], lang)
    by = lex.record(_s(r.data["revoked_by"]), lang, start=False)
    start = _date(r.data["revoked_from"])
    verb = word(REVOKED, lang)
    if lang == "en":
        return f"{rec} was {verb} from {tx.date_en(start)} by {by}."
    return f"{rec} er {verb} fra {tx.date_da(start)} ved {by}."


def _not_yet_effective(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    if "provision_from" in r.data:  # the provision itself only comes into force later
        start, cit = _date(r.data["provision_from"]), _cap(lex.cite(r.hidden["citation"]))
        return (f"{cit} only comes into force on {tx.date_en(start)}." if lang == "en"
                else f"{cit} træder først i kraft {tx.date_da(start)}.")
    ident = _noun(r, lang)[1]
    rec = lex.record(ident, lang)
    prec = lex.precision(ident)
    start = _date(r.data["effective_from"])
    if lang == "en":
        return (f"{rec} only takes effect from {tx.date_en(start, prec)}"
                f"{tx.precision_note_en(prec)}.")
    return (f"{rec} får først virkning fra {tx.date_da(start, prec)}"
            f"{tx.precision_note_da(prec)}.")


def _expired(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    ident = _noun(r, lang)[1]
    rec = lex.record(ident, lang)
    prec = lex.precision(ident)
    end = _date(r.data["effective_to"])
    if lang == "en":
        return f"{rec} only held{tx.until_en(end, prec)}."
    return f"{rec} gjaldt kun{tx.until_da(end, prec)}."


def _regime_ended(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    ident = _noun(r, lang)[1]
    rec = lex.record(ident, lang)
    mun = lex.mun(lex.home(ident)[0], lang)
    end, reg = _date(r.data["regime_end"]), lex.regime(_s(r.data["regime"]), lang)
    if lang == "en":
        return f"{rec} lapsed when {reg} ended for {mun} ({tx.date_en(end)})."
    return f"{rec} faldt bort, da {reg} ophørte for {mun} ({tx.date_da(end)})."


def _no_decision(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    d = r.data
    keys = [str(k) for k in d["regimes"]]  # type: ignore[attr-defined]
    titles = ", ".join(lex.regime(k, lang) for k in keys)
    mun = lex.mun(int(d["municipality"]), lang)  # type: ignore[call-overload]
    why = r.hidden["why"]
    # say whether the municipality could set it aside at all: "has not" misleads a reader
    # about a provision the regime does not let it touch
    if lang == "en":
        tail = {"deviable": "but has not set the provision aside",
                "guardrail": "but the provision is a guardrail and cannot be set aside",
                "closed": "but the regime does not allow the provision to be set aside"}[
                    str(why)]
        return f"{mun} is covered by {titles}, {tail}."
    tail = {"deviable": "men har ikke sat bestemmelsen ud af kraft",
            "guardrail": "men bestemmelsen er en hegnspæl og kan ikke sættes ud af kraft",
            "closed": "men ordningen giver ikke adgang til at fravige bestemmelsen"}[str(why)]
    return f"{mun} er omfattet af {titles}, {tail}."


def _not_covered(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    d = r.data
    day = asked or r.hidden.get("date")
    assert day is None or isinstance(day, Date)
    if "decision" in d or "exemption" in d:  # a decision whose regime does not cover on D
        ident = _noun(r, lang)[1]
        rec = lex.record(ident, lang)
        mun_code, area_key = lex.home(ident)
        reg, mun = lex.regime(_s(d["regime"]), lang), lex.mun(mun_code, lang)
        area = lex.area(area_key, lang)
        if lang == "en":
            return (f"{rec} does not hold on {tx.date_en(day)}: {reg} does not cover {mun} "
                    f"in {area} on that date.")
        return (f"{rec} gælder ikke den {tx.date_da(day)}: {reg} omfatter ikke {mun} på "
                f"{area} på den dato.")
    mun = lex.mun(int(d["municipality"]), lang)  # type: ignore[call-overload]
    if "why" in d:  # covered, but no covering regime reaches the unit
        why = set(d["why"].values())  # type: ignore[attr-defined]
        if why == {"private"}:
            return ("The institution is run by a private provider that has not asked to be "
                    "covered; the provision applies." if lang == "en" else
                    "Institutionen drives af en privat leverandør, som ikke har bedt om at "
                    "være omfattet af velfærdsaftalen; bestemmelsen gælder.")
        kind = r.hidden.get("unit_kind", "")
        return (f"The regime for {mun} does not reach institutions of the kind {kind}; the "
                f"provision applies." if lang == "en" else
                f"Ordningen for {mun} omfatter ikke institutioner af typen {kind}; "
                f"bestemmelsen gælder.")
    area = lex.area(_s(d["area"]), lang)
    if lang == "en":
        return (f"{mun} is not covered by any regime allowing rules to be set aside in "
                f"{area} on {tx.date_en(day)}.")
    return (f"{mun} er ikke omfattet af en ordning, der giver adgang til at fravige regler på "
            f"{area} den {tx.date_da(day)}.")


def _repealed(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    d = r.data
    if "provision_to" in d:  # every version of the provision has ended
        end, cit = _date(d["provision_to"]), _cap(lex.cite(r.hidden["citation"]))
        return (f"{cit} is no longer in force (ended {tx.date_en(end)})." if lang == "en"
                else f"{cit} gælder ikke længere (ophørt {tx.date_da(end)}).")
    mun = lex.mun(int(r.hidden["owner"]), lang)  # type: ignore[call-overload]
    start = _date(d["from"])
    verb = word(REPEALED, lang)
    what = lex.cite(d["repealed"])
    if lang == "en":
        return f"{mun} {verb} {what} from {tx.date_en(start)}."
    return f"{mun} har {verb} {what} fra {tx.date_da(start)}."


def _version_exclusion(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    d = r.data
    cit = lex.cite(r.hidden["citation"])
    excluded, applied = _date(d["excluded_from"]), _date(d.get("applied_from"))
    by = f" ({d['excluded_enacted_by']})" if d.get("excluded_enacted_by") else ""
    basis = f", jf. {d['basis']}" if d.get("basis") else ""
    reg = lex.regime(_s(d["regime"]), lang)
    has_earlier = bool(r.hidden.get("has_earlier"))
    # a date the register does not know is left out, never printed as "an indefinite time"
    if lang == "en":
        since = f" from {tx.date_en(excluded)}" if excluded else ""
        earlier = f" (from {tx.date_en(applied)})" if applied else ""
        tail = (f"; the earlier version{earlier} still applies." if has_earlier
                else "; the provision did not exist before, so it does not apply there.")
        return (f"The version of {cit}{since}{by} has no effect in municipalities covered by "
                f"{reg}{basis}{tail}")
    since = f" fra {tx.date_da(excluded)}" if excluded else ""
    earlier = f" (fra {tx.date_da(applied)})" if applied else ""
    tail = (f"; den tidligere affattelse{earlier} gælder fortsat." if has_earlier
            else "; bestemmelsen fandtes ikke før, så den gælder ikke dér.")
    return (f"Affattelsen af {cit}{since}{by} har ikke virkning i kommuner omfattet af "
            f"{reg}{basis}{tail}")


def _consequential(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    d = r.data
    nodes = [lex.cite(x) for x in d["depends_on"]]  # type: ignore[attr-defined]
    dep, basis = lex.cite(d["dependent"]), d.get("basis", "")
    recs = [lex.record(str(x), lang, start=False)
            for x in d.get("decisions", ())]  # type: ignore[attr-defined]
    joined = "; ".join(recs)
    by = (f" by {joined}" if lang == "en" else f" ved {joined}") if recs else ""
    partly = d.get("extent") == "partial"
    note = f" {d['note']}" if d.get("note") else ""
    if lang == "en":
        on = " and ".join(nodes)
        verb = "is" if len(nodes) == 1 else "are"
        what = f"{dep} does not apply in part" if partly else f"{dep} does not apply"
        return f"{what} because {on} {verb} wholly set aside{by}; see {_stop(basis)}{note}"
    on = " og ".join(nodes)
    what = f"{_cap(dep)} gælder delvis ikke" if partly else f"{_cap(dep)} gælder ikke"
    return f"{what}, fordi {on} er sat helt ud af kraft{by}, jf. {_stop(basis)}{note}"


def _cap(text: str) -> str:
    """A sentence starts with a capital letter ("Folkeskoleloven § 14, stk. 10 …")."""
    return text[:1].upper() + text[1:]


def _stop(text: object) -> str:
    """A sentence's last words with one full stop ("… § 3, 1. pkt." keeps its own)."""
    t = _s(text)
    return t if t.endswith(".") else t + "."


def _decisions_incomplete(r: Reason, lex: Lexicon, lang: str, asked: Date | None) -> str:
    d = r.data
    mun = lex.mun(int(d["municipality"]), lang)  # type: ignore[call-overload]
    area = lex.area(str(d["area"]), lang)
    n = int(d.get("decisions_known") or 0)  # type: ignore[call-overload]
    where = d.get("source_url")
    if lang == "en":
        known = (f"The register knows {n} of {mun}'s decisions on {area}, not all of them"
                 if n else f"The register knows none of {mun}'s decisions on "
                 f"{area}")
        look = (f" The municipality's own information: {where}" if where else
                " Ask the municipality for its overview of decisions.")
        return (f"{mun} may set this provision aside. {known}, so whether the provision is "
                f"set aside is unknown.{look}")
    known = (f"Registret kender {n} af {mun}s beslutninger på {area}, men ikke alle" if n
             else f"Registret kender ingen af {mun}s beslutninger på {area}")
    look = (f" Kommunens egne oplysninger: {where}" if where else
            " Spørg kommunen efter dens samlede oversigt over beslutninger.")
    return (f"{mun} kan sætte bestemmelsen ud af kraft. {known}, så det vides ikke, om "
            f"bestemmelsen er sat ud af kraft.{look}")


SENTENCES: dict[str, Render] = {
    "decision": _decision, "exemption": _exemption, "condition": _condition,
    "guardrail": _guardrail, "not_deviable": _not_deviable, "revoked": _revoked,
    "not_yet_effective": _not_yet_effective, "expired": _expired,
    "regime_ended": _regime_ended, "no_decision": _no_decision, "not_covered": _not_covered,
    "repealed": _repealed, "version_exclusion": _version_exclusion,
    "consequential": _consequential, "decisions_incomplete": _decisions_incomplete,
}
