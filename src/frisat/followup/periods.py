"""Periods of indicator data: a year (``2021``), a quarter (``2021Q3``), a month (``2021-09``).

A yearly figure is either a calendar year or a school year labelled with its end year
(2020/21 → ``2021``, as UVM and the source dashboards label it); the indicator's
``period_kind`` says which. ``span`` gives the dates a period covers, so that treatment
(a coverage from 15 May 2021) can be matched to periods exactly.
"""

from __future__ import annotations

import datetime as dt
import re

PERIOD = re.compile(r"^(?P<year>\d{4})(?:Q(?P<q>[1-4])|-(?P<m>0[1-9]|1[0-2]))?$")
YEARS = (1900, 2100)


def parse(value: str) -> str | None:
    """The canonical period, or None when it is not a year, quarter or month."""
    v = value.strip().upper().replace("K", "Q")
    if re.fullmatch(r"\d{4}M(0[1-9]|1[0-2])", v):  # Statbank months: 2021M09
        v = f"{v[:4]}-{v[5:]}"
    match = PERIOD.fullmatch(v)
    if not match or not YEARS[0] <= int(match["year"]) <= YEARS[1]:
        return None
    return v


def span(period: str, kind: str = "year") -> tuple[dt.date, dt.date]:
    """[start, end) of a canonical period."""
    match = PERIOD.fullmatch(period)
    if match is None:
        raise ValueError(period)
    y = int(match["year"])
    if match["q"]:
        q = int(match["q"])
        start = dt.date(y, 3 * q - 2, 1)
        end = dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)
        return start, end
    if match["m"]:
        mo = int(match["m"])
        return dt.date(y, mo, 1), dt.date(y + (mo == 12), mo % 12 + 1, 1)
    if kind == "school_year":
        return dt.date(y - 1, 8, 1), dt.date(y, 8, 1)
    return dt.date(y, 1, 1), dt.date(y + 1, 1, 1)


def order(period: str) -> tuple[int, int]:
    """A sort key that puts periods of one kind in time order."""
    start, _ = span(period)
    return (start.year, start.month)


def label(period: str, kind: str = "year") -> str:
    if kind == "school_year" and PERIOD.fullmatch(period) and len(period) == 4:
        y = int(period)
        return f"{y - 1}/{str(y)[2:]}"
    return period
