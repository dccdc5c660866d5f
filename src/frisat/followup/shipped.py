"""The follow-up data shipped with frisat: indicator panels and lessons (``frisat init``)."""

from __future__ import annotations


def load_shipped() -> dict[str, int]:
    """Load (idempotently) the indicator definitions and panels and the real lessons."""
    from frisat.followup import indicators, lessons

    result = indicators.load_shipped()
    return {**result.added, "lessons": lessons.load_shipped(), "skipped": result.skipped}
