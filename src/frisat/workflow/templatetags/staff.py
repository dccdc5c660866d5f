"""The staff pages' error summary: each error under its field's Danish label, linked to the
field, never a raw field path or code (the code stays in a data attribute for programs)."""

from __future__ import annotations

from typing import Any

from django import template

from frisat.workflow.views import FIELD_LABELS, danish_message

register = template.Library()

# the fields of the staff forms beside the decision form (rules and delegations, lessons,
# frikommune applications and rounds), by the name they are posted and reported under
STAFF_LABELS = {
    **FIELD_LABELS,
    "kind": "Formularen", "to": "Til", "name": "Navn", "institution": "Institutionsnummer",
    "act": "Regelsæt", "ref": "Del", "from": "Fra",
    "key": "Nøgle", "tried": "Hvad blev prøvet", "replaced_by": "Hvad trådte i stedet",
    "outcome": "Hvad fulgte", "contact": "Kontakt", "source": "Kilde",
    "provisions": "Bestemmelser", "decisions": "Beslutninger",
    "indicators": "Indikatorer", "lesson": "Erfaringen", "round": "Ansøgningsrunde",
    "network": "Frikommunenetværk", "purpose": "Formål",
    "expected_results": "Forventede resultater", "period_from": "Periode fra",
    "period_to": "Periode til", "approved": "Godkendte bestemmelser",
    "reasons": "Begrundelse", "legal_basis": "Hjemmel", "sector_ministry": "Fagministerium",
    "opens_on": "Åbner", "deadline": "Frist", "answer_by": "Svar senest",
    "action": "Handlingen", "application": "Ansøgningen",
    "delegations": "Delegationen", "repeals": "Ophævelsen", "kept": "Regelsættet",
}


@register.filter
def summarized(errors: list[Any], prefix: str = "") -> list[dict[str, str]]:
    """ERRORS (``InputError``) as the summary lists them: label, the id of the element to
    jump to (PREFIX + the field's name; none for a field the page does not have), message
    and code."""
    out = []
    for e in errors:
        name = str(e.path).split(".")[0].split("[")[0]
        label = STAFF_LABELS.get(name)
        out.append({"label": label or "Formularen",
                    "anchor": f"{prefix}{name}" if label and name not in _NO_FIELD else "",
                    "message": danish_message(e.message), "code": e.code})
    return out


# reported names that are no form element of their own
_NO_FIELD = frozenset({"kind", "lesson", "action", "application", "version", "state",
                       "decision", "delegations", "repeals", "kept"})
