"""Template helpers: two-language text, labels, dates and provision links."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

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
def registered(context: Any, reg: dict[str, Any] | None) -> str:
    """The line saying when the register registered the record a page rests on (the
    version the page shows) and from what (``queries.provenance``); unknown visibly."""
    if not reg:
        return ""
    en = context.get("lang") == "en"
    return format_html('<p class="registered muted">{} {}.</p>',
                       "Recorded in the register on" if en else "Registreret",
                       registered_words(context, reg))


@register.simple_tag(takes_context=True)
def registered_words(context: Any, reg: dict[str, Any]) -> str:
    """``23. april 2024 fra lov nr. 410 af …`` (a table's cell)."""
    en = context.get("lang") == "en"
    day = portal.long_day(reg["at"], "en" if en else "da")
    if reg.get("from"):
        return f"{day} {_from(reg, en)}"
    return f"{day}; {_unknown(en)}"


@register.simple_tag(takes_context=True)
def registered_from(context: Any, reg: dict[str, Any]) -> str:
    """``fra lov nr. 410 af …`` after a record time shown otherwise (a decision's row)."""
    en = context.get("lang") == "en"
    if reg.get("from"):
        return _from(reg, en)
    return format_html('<span class="muted">– {}</span>', _unknown(en))


def _from(reg: dict[str, Any], en: bool) -> str:
    return f"{'from' if en else 'fra'} {reg['from']}"


def _unknown(en: bool) -> str:
    return ("where from is unknown (not recorded)" if en
            else "hvorfra er ukendt (ikke registreret)")


@register.simple_tag(takes_context=True)
def ldate(context: Any, value: Any, precision: str = "day") -> str:
    """A date in words; a missing date prints as "ukendt" / "unknown"."""
    return portal.long_date(value, context.get("lang", "da"), precision or "day")


@register.simple_tag(takes_context=True)
def ltime(context: Any, value: Any) -> str:
    """An instant in words, in Danish time (``1. juni 2022 kl. 12.00``)."""
    return portal.long_time(value, context.get("lang", "da"))


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
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def safe_url(value: Any) -> str:
    """The value when it is an absolute http(s) URL, else "": a stored value becomes an href
    only through this filter, so ``javascript:`` and the like are never a link."""
    return value if is_safe_url(value) else ""


# The request fields an error may name, in words (the key stays in the JSON error)
FIELDS = {"date": ("Dato", "Date"), "known_at": ("Som kendt på", "As known at"),
          "compare": ("Sammenlign med", "Compare with"), "format": ("Format", "Format"),
          "q": ("Søgeord", "Search words"), "code": ("Kommunekode", "Municipality code"),
          "municipality": ("Kommune", "Municipality"), "institution": ("Institution",
                                                                       "Institution"),
          "decision": ("Beslutning", "Decision"), "provision": ("Bestemmelse", "Provision"),
          "act": ("Lov", "Act")}


@register.filter
def field_label(path: str, lang: str = "da") -> str:
    """A field named in an error, in words; an unknown field as "Felt"/"Field"."""
    da, en = FIELDS.get(str(path), ("Felt", "Field"))
    return en if lang == "en" else da


@register.simple_tag(takes_context=True)
def kinds(context: Any, values: Any) -> str:
    """Institution kinds in words, comma-separated."""
    from frisat.vocabulary import kind_label

    return ", ".join(kind_label(v, context.get("lang", "da")) for v in values or ())


@register.filter
def acts_in_words(text: Any) -> str:
    """A stored text (a decision's note or replacement) with every act key written as
    people read the act: "se holbaek-lokale-hegnspaele-folkeskole" → the rule set's title."""
    from frisat.web.pages import public_text
    from frisat.web.state import current_known_at, snapshot

    return public_text(snapshot(current_known_at()).engine, str(text or ""))
