"""Shared helpers of the public portal: language, labels, dates, the request's time axes.

Only words and formats live here; every legal answer comes from ``frisat.queries``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.http import HttpRequest

from frisat.queries.common import now, parse_date, parse_instant, today
from frisat.registry.errors import InputError, Rejected
from frisat.vocabulary import LABELS, label  # noqa: F401  (the portal's labels)
from frisat.web.state import current_known_at

MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
             "september", "oktober", "november", "december")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

# Classes for a status; colour is never the only signal (the label is always printed too).
STATUS_CLASS = {"applies": "st-applies", "set_aside": "st-aside", "unknown": "st-unknown",
                "partially_set_aside": "st-partly", "not_in_force": "st-off",
                "in_force": "st-info", "future": "st-partly", "ended": "st-off",
                "revoked": "st-off", "draft": "st-off"}


# Placeholders in HTML kept for every date of a stretch (``pages``, ``views._answer``): each
# request writes its own time axes (``?date=…&known_at=…``), date (in words and ISO), title
# and addresses in. Control characters: they never occur in a page's own text.
KEPT_QS = "\x00qs\x00"
KEPT_DATE = "\x00date\x00"
KEPT_ISO = "\x00iso\x00"
KEPT_TITLE = "\x00title\x00"
KEPT_FORMAT_URL = "\x00format\x00"
KEPT_OTHER_URL = "\x00other\x00"


def unknown(lang: str) -> str:
    return "unknown" if lang == "en" else "ukendt"


def long_date(value: str | dt.date | None, lang: str, precision: str = "day") -> str:
    """``2021-08-01`` → ``1. august 2021``; a missing date prints as unknown (and the
    placeholder of a kept page's date as the placeholder of its date in words)."""
    if value is None or value == "":
        return unknown(lang)
    if value == KEPT_ISO and precision == "day":
        return KEPT_DATE
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    months = MONTHS_EN if lang == "en" else MONTHS_DA
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return f"{months[d.month - 1]} {d.year}"
    return f"{d.day} {months[d.month - 1]} {d.year}" if lang == "en" else \
        f"{d.day}. {months[d.month - 1]} {d.year}"


def long_time(value: str | dt.datetime | None, lang: str) -> str:
    """An instant in words in Danish time: ``1. juni 2022 kl. 12.00`` / ``1 June 2022, 12:00``."""
    if value is None or value == "":
        return unknown(lang)
    t = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if t.tzinfo is not None:
        from frisat.queries.common import DK

        t = t.astimezone(DK)
    day = long_date(t.date(), lang)
    return f"{day}, {t:%H:%M}" if lang == "en" else f"{day} kl. {t:%H.%M}"


def long_day(value: str, lang: str) -> str:
    """The day of an instant in words, in Danish time (``23. april 2024``)."""
    from frisat.queries.common import DK

    return long_date(dt.datetime.fromisoformat(value).astimezone(DK).date(), lang)


@dataclass
class Ask:
    """One portal request: language, the two time axes and the output format."""

    lang: str
    prefix: str  # "" or "/en"
    date: dt.date
    known_at: dt.datetime
    date_given: bool
    known_at_given: bool
    fmt: str
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def qs(self) -> str:
        """The query string that keeps the chosen time axes on links to other pages."""
        parts = []
        if self.date_given:
            parts.append(f"date={self.date.isoformat()}")
        if self.known_at_given:
            from urllib.parse import quote

            parts.append(f"known_at={quote(self.known_at.isoformat())}")
        return ("?" + "&".join(parts)) if parts else ""

    def t(self, da: str, en: str) -> str:
        return en if self.lang == "en" else da


FORMATS = ("html", "json", "csv")


def read_ask(request: HttpRequest, formats: tuple[str, ...] = FORMATS) -> Ask:
    """Parse ``date``, ``known_at`` and ``format``; bad values raise ``Rejected``
    naming the field."""
    lang = "en" if request.path.startswith("/en/") or request.path == "/en" else "da"
    errors: list[InputError] = []
    raw_date = request.GET.get("date") or None
    raw_k = request.GET.get("known_at") or None
    date = today()
    known_at = now()
    try:
        date = parse_date(raw_date)
    except Rejected as e:
        errors += e.errors
    try:
        known_at = parse_instant(raw_k) if raw_k else current_known_at()
    except Rejected as e:
        errors += e.errors
    fmt = request.GET.get("format") or "html"
    if fmt not in formats:
        errors.append(InputError("format", "invalid",
                                 f"Ukendt format {fmt!r}; mulige: {', '.join(formats)}"))
    if errors:
        raise Rejected(errors)
    return Ask(lang, "/en" if lang == "en" else "", date, known_at, raw_date is not None,
               raw_k is not None, fmt)


def other_language_url(request: HttpRequest) -> str:
    path = request.path
    target = (path[3:] or "/") if path.startswith("/en/") else "/en" + path
    q = request.META.get("QUERY_STRING", "")
    return target + (f"?{q}" if q else "")
