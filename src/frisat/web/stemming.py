"""The Snowball Danish stemmer, one per thread.

A Snowball stemmer keeps the word it works on in its own fields, so one stemmer shared by
several threads (gunicorn runs four per worker) mixes their words up and can fail with an
IndexError or give another word's stem. Each thread gets its own.
"""

from __future__ import annotations

import threading
from typing import Any

_local = threading.local()


def stemmer() -> Any:
    """This thread's Danish stemmer, or None without the snowballstemmer package."""
    found = getattr(_local, "stemmer", None)
    if found is None:
        try:
            import snowballstemmer
        except ImportError:  # pragma: no cover - a dependency; without it, no stems
            return None
        found = _local.stemmer = snowballstemmer.stemmer("danish")
    return found
