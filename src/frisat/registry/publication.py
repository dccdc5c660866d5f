"""When a decision was published, and what the register may believe about it.

A decision takes effect no earlier than the day after its publication (lov 879/880 § 6),
so a publication date set back in time could make an unlawful early effect look lawful.
The register therefore holds to two rules:

- ``published_on`` may not lie after the day the decision is registered (its record time,
  in Danish time): nothing is published in the future;
- a publication date earlier than the day of registration is a claim about the past. In
  the staff pages and the API it needs the publication's address as evidence (the
  decision's ``source_url``); a bundle loaded from the command line without one gets a
  warning. Such a decision is shown as "registreret efter offentliggørelse".
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from frisat.engine.model import Decision
from frisat.registry.errors import InputError

DANISH_TIME = ZoneInfo("Europe/Copenhagen")


def registration_day(recorded_at: dt.datetime) -> dt.date:
    return recorded_at.astimezone(DANISH_TIME).date()


def in_the_future(published_on: dt.date | None, recorded_at: dt.datetime | None) -> bool:
    return published_on is not None and recorded_at is not None \
        and published_on > registration_day(recorded_at)


def registered_after_publication(published_on: dt.date | None,
                                 recorded_at: dt.datetime | None) -> bool:
    return published_on is not None and recorded_at is not None \
        and published_on < registration_day(recorded_at)


FUTURE_DA = ("Offentliggørelsesdatoen {published} ligger efter registreringsdagen "
             "{registered}; en beslutning kan ikke være offentliggjort i fremtiden.")
FUTURE_EN = ("The publication date {published} lies after the day of registration "
             "{registered}; a decision cannot have been published in the future.")
EVIDENCE_DA = ("Offentliggørelsesdatoen {published} ligger før registreringsdagen "
               "{registered}; angiv adressen på offentliggørelsen (source_url) som dokumentation.")
EVIDENCE_EN = ("The publication date {published} lies before the day of registration "
               "{registered}; give the publication's address (source_url) as evidence.")


def problems(decision: Decision, path: str) -> list[InputError]:
    """A bundle's decision: a publication date after the day it is registered is an error."""
    published_on, recorded_at = decision.published_on, decision.recorded_at
    if recorded_at is None or not in_the_future(published_on, recorded_at):
        return []
    words = {"published": published_on, "registered": registration_day(recorded_at)}
    return [InputError(f"{path}.published_on", "future_publication",
                       f"Beslutning {decision.id}: " + FUTURE_DA.format(**words))]


def evidence_problems(decision: Decision, path: str) -> list[InputError]:
    """Staff pages and the API: a date before the day of registration needs the address of
    the publication (the decision's ``source_url``)."""
    published_on, recorded_at = decision.published_on, decision.recorded_at
    if recorded_at is None or decision.source_url \
            or not registered_after_publication(published_on, recorded_at):
        return []
    words = {"published": published_on, "registered": registration_day(recorded_at)}
    return [InputError(f"{path}.source_url" if path else "source_url", "publication_evidence",
                       f"Beslutning {decision.id}: " + EVIDENCE_DA.format(**words))]
