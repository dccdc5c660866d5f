"""Every public address of the portal, in one place.

``ROUTES`` holds the path of each page; ``urls.py`` builds the URL patterns from it, and
``path`` builds a page's address from it — for templates, pages, feeds, search and the
answers' ``url`` fields alike. Plain Python (no Django), so the command line can build the
same addresses. The English version of every page is the same path under ``/en/``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

ROUTES: dict[str, str] = {
    "home": "",
    "search": "soeg",
    "municipality": "kommune/<str:code>",
    "overview": "kommune/<str:code>/oversigt",
    "overview-embed": "kommune/<str:code>/oversigt/indlejr",
    "institution": "institution/<str:institution_id>",
    "institution-rules": "institution/<str:institution_id>/regler",
    "act": "bestemmelse/<str:act>",
    "provision": "bestemmelse/<str:act>/<path:reference>",
    "decision": "beslutning/<str:decision_id>",
    "decisions": "beslutninger",
    "open-data": "data",
    "map": "kort",
    "map-svg": "kort.svg",
    "map-png": "kort.png",
}

_PART = re.compile(r"<(\w+):(\w+)>")


@lru_cache(maxsize=8192)
def path(name: str, *values: object, lang: str = "da") -> str:
    """The address of a page: ``path("municipality", 217)`` → ``/kommune/217``.

    A provision's reference is written as a quoted path segment (``§ 8, stk. 4`` →
    ``%C2%A7%208%2C%20stk.%204``); ids are written as they are."""
    it = iter(values)

    def fill(m: re.Match[str]) -> str:
        value = str(next(it))
        return quote(value) if m.group(1) == "path" else value

    route = _PART.sub(fill, ROUTES[name])
    return ("/en/" if lang == "en" else "/") + route


def provision(act: str, ref: str, lang: str = "da") -> str:
    """A provision's page, or the act's own page for the whole act (``ref`` "")."""
    return path("provision", act, ref, lang=lang) if ref else path("act", act, lang=lang)
