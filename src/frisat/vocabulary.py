"""The words frisat uses for its own terms, in Danish and English, in one place.

Labels (for headings, tags and tables) and the phrases sentences are built from come from
here, so a page, a reason's sentence, a feed and the command line call the same thing by
the same name: a decision withdrawn by a later decision is *tilbagekaldt* (revoked), a
municipality's own rule set is *ophævet* (repealed).
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # verdict statuses
    "applies": ("Gælder", "Applies"),
    "set_aside": ("Sat ud af kraft", "Set aside"),
    "partially_set_aside": ("Delvis sat ud af kraft", "Partly set aside"),
    "not_in_force": ("Ikke i kraft", "Not in force"),
    # decision states (§ 6 overview)
    "in_force": ("I kraft", "In force"),
    "future": ("Træder i kraft senere", "Not yet in force"),
    "ended": ("Ophørt", "Ended"),
    "revoked": ("Tilbagekaldt", "Revoked"),
    "draft": ("Ikke offentliggjort", "Not published"),
    # deciding bodies
    "council": ("Kommunalbestyrelsen", "The municipal council"),
    "committee": ("Udvalg", "Committee"),
    "administration": ("Forvaltningen", "The administration"),
    "institution": ("Institutionen", "The institution"),
    "body_unknown": ("Ikke oplyst i kilden", "Not stated in the source"),
    # marks under a regime
    "deviable": ("Kan fraviges", "May be set aside"),
    "guardrail": ("Hegnspæl – kan ikke fraviges", "Guardrail – cannot be set aside"),
    # extents
    "whole": ("Helt", "Wholly"),
    "partial": ("Delvis", "Partly"),
    # levels
    "state": ("Statslig regel", "State rule"),
    "municipal": ("Kommunal regel", "Municipal rule"),
    # municipal rule sets (SEMANTICS §5)
    "removed": ("Ophævet", "Repealed"),
    "to_be_removed": ("Ophæves", "To be repealed"),
    "kept": ("Bevaret", "Kept"),
    "no_decision": ("Ingen beslutning", "No decision"),
    # a verdict the register cannot give with certainty
    "unknown": ("Uvist", "Unknown"),
}

# A deciding body inside a sentence ("… af Helsingør Kommune (kommunalbestyrelsen) …")
BODY_IN_SENTENCE: dict[str, tuple[str, str]] = {
    "council": ("kommunalbestyrelsen", "the municipal council"),
    "committee": ("udvalget", "the committee"),
    "administration": ("forvaltningen", "the administration"),
    "institution": ("institutionen", "the institution"),
    "unknown": ("hvilket organ der besluttede, er ikke oplyst", "which body decided is not stated"),
}

# A body a municipality may delegate to, named indefinitely ("… truffet af et udvalg …")
BODY_INDEFINITE: dict[str, tuple[str, str]] = {
    "committee": ("et udvalg", "a committee"),
    "administration": ("forvaltningen", "the administration"),
    "institution": ("en institution", "an institution"),
}

# An area inside a sentence ("… på dagtilbudsområdet …"); another area is named by its name
AREA_IN_SENTENCE: dict[str, tuple[str, str]] = {
    "dagtilbud": ("dagtilbudsområdet", "day care"),
    "folkeskole": ("folkeskoleområdet", "public schools"),
    "aeldre": ("ældreområdet", "elder care"),
}

# What the register knows of a municipality's decisions (SEMANTICS §3.4, completeness)
KNOWN: dict[str, tuple[str, str]] = {
    "complete": ("alle kendt", "all known"),
    "partial": ("delvist kendt", "partly known"),
    "unknown": ("ikke kendt", "not known"),
}

# What happens to a decision that a later decision withdraws, and to a repealed rule set
REVOKED = ("tilbagekaldt", "revoked")
REPEALED = ("ophævet", "repealed")


def label(key: str | None, lang: str) -> str:
    if key is None:
        return ""
    da, en = LABELS.get(key, (key, key))
    return en if lang == "en" else da


def word(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


# Institution kinds (the registers' words for a unit), for pages and feeds
KINDS: dict[str, tuple[str, str]] = {
    "daginstitution": ("Daginstitution", "Day-care centre"),
    "dagpleje": ("Dagpleje", "Childminding"),
    "fritidshjem": ("Fritidshjem", "After-school centre"),
    "klub": ("Klub", "Youth club"),
    "folkeskole": ("Folkeskole", "Public school"),
    "plejehjem": ("Plejehjem", "Care home"),
    "plejebolig": ("Plejebolig", "Care housing"),
    "friplejebolig": ("Friplejebolig", "Independent care housing"),
    "hjemmepleje": ("Hjemmepleje", "Home care"),
    "rehabiliteringscenter": ("Rehabiliteringscenter", "Rehabilitation centre"),
}


def kind_label(kind: str | None, lang: str) -> str:
    """An institution kind in words (the register's word itself when it is not listed)."""
    if not kind:
        return ""
    return word(KINDS.get(kind, (kind, kind)), lang)
