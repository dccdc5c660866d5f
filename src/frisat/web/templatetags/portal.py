"""Template helpers: two-language text, labels, dates and provision links."""

from __future__ import annotations

from typing import Any

from django import template

from frisat import links
from frisat.registry.validate import is_safe_url
from frisat.web import portal

register = template.Library()


@register.simple_tag(takes_context=True)
def tr(context: Any, da: str, en: str) -> str:
    """The Danish or the English text, by the page's language."""
    return en if context.get("lang") == "en" else da


@register.simple_tag(takes_context=True)
def lbl(context: Any, key: str | None) -> str:
    return portal.label(key, context.get("lang", "da"))


@register.simple_tag(takes_context=True)
def ldate(context: Any, value: Any, precision: str = "day") -> str:
    """A date in words; a missing date prints as "ukendt" / "unknown"."""
    return portal.long_date(value, context.get("lang", "da"), precision or "day")


@register.filter
def status_class(key: str | None) -> str:
    return portal.STATUS_CLASS.get(key or "", "")


@register.simple_tag(takes_context=True)
def purl(context: Any, citation: str, ref: str | None = None) -> str:
    """The page of a provision (``act`` and ``ref``, or a whole citation), in the page's
    language and with its time axes."""
    if ref is None:
        act, _, ref = citation.partition(" ")
    else:
        act = citation
    return links.provision(act, ref, context.get("lang", "da")) + context.get("qs", "")


@register.simple_tag(takes_context=True)
def href(context: Any, name: str, *values: Any) -> str:
    """A page's address (``links.ROUTES``) in the page's language, keeping its time axes."""
    return links.path(name, *values, lang=context.get("lang", "da")) + context.get("qs", "")


@register.simple_tag(takes_context=True)
def addr(context: Any, name: str, *values: Any) -> str:
    """A page's address in the page's language, without the time axes."""
    return links.path(name, *values, lang=context.get("lang", "da"))


@register.filter
def registered_late(data: Any) -> bool:
    """A decision page's data: registered after the day it was published (its JSON has
    both dates; the page says so in words, registry/publication.py)."""
    import datetime as dt

    from frisat.registry.publication import registered_after_publication

    published, recorded = data.get("published_on"), data.get("recorded_at")
    if not published or not recorded:
        return False
    return registered_after_publication(dt.date.fromisoformat(published),
                                        dt.datetime.fromisoformat(recorded))


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def safe_url(value: Any) -> str:
    """The value when it is an absolute http(s) URL, else "": a stored value becomes an href
    only through this filter, so ``javascript:`` and the like are never a link."""
    return value if is_safe_url(value) else ""
