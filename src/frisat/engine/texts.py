"""Danish (and English) sentences for reasons: dates, deciding bodies, legal bases.

Pure functions, no I/O. The engine builds every ``Reason.text`` / ``Reason.text_en`` here so
the wording lives in one place.
"""

from __future__ import annotations

import re
from datetime import timedelta

from frisat.engine.model import Date, DecidedBy, Municipality, Regime
from frisat.vocabulary import BODY_IN_SENTENCE, word

MONTHS_DA = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def date_da(d: Date | None, precision: str = "day") -> str:
    """``1. august 2021``; ``august 2021`` or ``2021`` when only known that precisely."""
    if d is None:
        return "ubestemt tid"
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return f"{MONTHS_DA[d.month - 1]} {d.year}"
    return f"{d.day}. {MONTHS_DA[d.month - 1]} {d.year}"


def until_da(end: Date | None, precision: str = "day") -> str:
    """The end of a half-open period as a Danish reader takes it: the last day included.

    ``[1. august 2021, 1. januar 2023)`` reads "til og med 31. december 2022"; "til 1. januar
    2023" would be read as including 1 January."""
    if end is None:
        return ""
    if precision != "day":
        return f" indtil {date_da(end, precision)}"
    return f" til og med {date_da(end - timedelta(days=1))}"


def until_en(end: Date | None, precision: str = "day") -> str:
    if end is None:
        return ""
    if precision != "day":
        return f" until {date_en(end, precision)}"
    return f" through {date_en(end - timedelta(days=1))}"


def date_en(d: Date | None, precision: str = "day") -> str:
    if d is None:
        return "an indefinite time"
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return f"{MONTHS_EN[d.month - 1]} {d.year}"
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def precision_note_da(precision: str) -> str:
    if precision == "month":
        return " (datoen kendes kun på måned)"
    if precision == "year":
        return " (datoen kendes kun på år)"
    return ""


def precision_note_en(precision: str) -> str:
    if precision == "month":
        return " (the date is only known to the month)"
    if precision == "year":
        return " (the date is only known to the year)"
    return ""


def iso(d: Date | None) -> str | None:
    return d.isoformat() if d is not None else None


def municipality_da(code: int, m: Municipality | None) -> str:
    return f"{m.name} Kommune" if m else f"kommune {code}"


def municipality_en(code: int, m: Municipality | None) -> str:
    return f"{m.name} Municipality" if m else f"municipality {code}"


def body(by: DecidedBy, institution_name: str | None, lang: str) -> str:
    """The deciding body as a reader knows it: the council, the committee by its name, the
    administration (with its name), the institution by its name."""
    general = word(BODY_IN_SENTENCE[by.body], lang)
    if by.body in ("council", "unknown"):  # unknown: the source does not say who decided
        return general
    if by.body == "committee":
        return by.name or general
    if by.body == "administration":
        return f"{general}, {by.name}" if by.name else general
    name = institution_name or by.name or by.institution or ""
    return f"{general} {name}".strip()


def body_da(by: DecidedBy, institution_name: str | None = None) -> str:
    return body(by, institution_name, "da")


def body_en(by: DecidedBy, institution_name: str | None = None) -> str:
    return body(by, institution_name, "en")


_ELI = re.compile(r"/eli/(?:lta|ltb|ltc)/(\d{4})/(\d+)")
_NUMBERED = re.compile(
    r"^((?:lov|lovbekendtgørelse|bekendtgørelse|lbk|bek)\s+nr\.\s*\d+\s+af\s+\d{1,2}/\d{1,2}/\d{4})",
    re.IGNORECASE,
)


# The number and date of the laws behind the shipped regimes (reference/legal_framework.md),
# so a sentence can say "lov nr. 880 af 12/05/2021" where the register holds only the ELI.
KNOWN_LAWS = {
    ("2021", "879"): "lov nr. 879 af 12/05/2021",
    ("2021", "880"): "lov nr. 880 af 12/05/2021",
    ("2012", "550"): "lov nr. 550 af 18/06/2012",
    ("2017", "658"): "lov nr. 658 af 08/06/2017",
    ("2024", "1651"): "lov nr. 1651 af 30/12/2024",
}


def basis_da(regime: Regime, act_titles: dict[str, str] | None = None) -> str:
    """The regime's legal basis in words: ``lov nr. 880 af 12/05/2021``.

    ``act_titles`` maps ELI → act title; a title that starts with the number form is used,
    otherwise an ELI is written as ``lov nr. N/ÅÅÅÅ``; a plain-text basis is used as it is.
    """
    basis = (regime.legal_basis or "").strip()
    if not basis:
        return ""
    if act_titles and basis in act_titles:
        m = _NUMBERED.match(act_titles[basis])
        if m:
            return m.group(1)[0].lower() + m.group(1)[1:]
    m2 = _ELI.search(basis)
    if m2:
        known = KNOWN_LAWS.get((m2.group(1), str(int(m2.group(2)))))
        return known or f"lov nr. {int(m2.group(2))}/{m2.group(1)}"
    if basis.startswith("http"):
        return basis
    return basis


def title_mid_sentence(title: str) -> str:
    """``Velfærdsaftale på dagtilbudsområdet (Helsingør og Rebild)`` →
    ``velfærdsaftalen på dagtilbudsområdet``: no trailing parenthesis, definite form of
    "velfærdsaftale", lower-case first letter (acronyms kept as they are)."""
    title = re.sub(r"\s*\([^()]*\)\s*$", "", title.strip()) or title
    if title.startswith("Velfærdsaftale "):
        title = "Velfærdsaftalen " + title[len("Velfærdsaftale "):]
    if len(title) >= 2 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def regime_phrase_da(regime: Regime, basis: str) -> str:
    t = title_mid_sentence(regime.title or regime.key)
    return f"{t} ({basis})" if basis else t


def regime_phrase_en(regime: Regime, basis: str) -> str:
    t = regime.title or regime.key
    return f"{t} ({basis})" if basis else t
