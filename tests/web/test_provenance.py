"""Provenance on the public pages: when the register registered the record a page shows
and from what (``queries.provenance``), never who, and unknown when the load is not known."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils.html import escape

from frisat.queries.common import DK
from frisat.queries.provenance import designation, label
from frisat.registry import models as db
from frisat.registry.loader import load
from frisat.sources.acts import import_act
from frisat.sources.lexdania import parse_file
from workflow.test_lifecycle import decision, make_user  # type: ignore[import-not-found]
from workflow.test_one_write_path import WRITES  # type: ignore[import-not-found]

pytestmark = pytest.mark.django_db

LEXDANIA = Path(__file__).resolve().parents[1] / "fixtures" / "lexdania"
LABELS = {"form": "kommunens sagsbehandling", "api": "kommunens system via API'et",
          "bundle": "et indlæst datasæt"}


def page(path: str, **query: str) -> tuple[str, dict[str, Any]]:
    """The page's HTML and its JSON."""
    qs = "&".join(f"{k}={quote(v)}" for k, v in query.items())
    html = Client().get(f"{path}?{qs}")
    assert html.status_code == 200, html.content[:500]
    data = Client().get(f"{path}?{qs}&format=json")
    return html.content.decode(), json.loads(data.content)


def test_labels_name_no_person_and_no_file() -> None:
    assert label("import", "/home/ole/lov.xml (LOV nr. 410 af 23/04/2024)") == \
        "lov nr. 410 af 23. april 2024"
    assert label("import", "sync 12345 (LBK nr. 1038 af 11/08/2025)", "en") == \
        "Consolidated Act no. 1038 of 11 August 2025"
    assert label("import", "stil: /srv/udtraek (2).csv") == \
        "et udtræk af STIL's institutionsregister"
    assert label("import", "/srv/ukendt.csv") == "en import fra en officiel kilde"
    assert label("bundle", "/home/ole/fil.yaml") == "et indlæst datasæt"
    assert label("", "frisat reference data") is None
    assert designation("BEK") == "bekendtgørelse"


@pytest.mark.parametrize("how", sorted(WRITES))
def test_a_decision_shows_how_it_was_registered(how: str) -> None:
    user = make_user("ole.hansen", "municipal_editor", 217)
    WRITES[how](user, decision("217-2025-9800"))
    stored = db.Decision.objects.get(id="217-2025-9800")
    html, data = page("/beslutning/217-2025-9800")
    assert data["registered"] == {"at": stored.recorded_at.isoformat(), "how": how,
                                  "from": LABELS[how]}
    day = stored.recorded_at.astimezone(DK).date()
    # one row says when and from what (beside the claimed time, where there is one)
    assert re.search(rf'Registreret</th><td>{day.day}\. [^<]* fra {re.escape(escape(LABELS[how]))}'
                     rf'</td>', html)
    assert html.count("Registreret") == 1
    api = json.loads(Client().get("/api/v1/decisions/217-2025-9800").content)
    assert api["registered"] == data["registered"]
    for text in (html, json.dumps(data, ensure_ascii=False)):
        assert "ole.hansen" not in text and "fil.yaml" not in text


def test_an_imported_act_names_its_document_not_its_file() -> None:
    import_act(parse_file(str(LEXDANIA / "consolidation-v1.xml")), key="eksempelloven",
               areas=["dagtilbud"], source="/home/ole.hansen/lovtekster/v1.xml")
    act = db.Act.objects.get(key="eksempelloven")
    html, data = page("/bestemmelse/eksempelloven")
    assert data["registered"] == {"at": act.recorded_at.isoformat(), "how": "import",
                                  "from": "lovbekendtgørelse nr. 101 af 15. januar 2020"}
    assert "fra lovbekendtgørelse nr. 101 af 15. januar 2020." in html
    en, _ = page("/en/bestemmelse/eksempelloven")
    assert "from Consolidated Act no. 101 of 15 January 2020." in en
    api = json.loads(Client().get("/api/v1/acts/eksempelloven/provisions").content)
    assert api["registered"]["from"] == "lovbekendtgørelse nr. 101 af 15. januar 2020"
    for text in (html, en, json.dumps(api, ensure_ascii=False)):
        assert "ole.hansen" not in text and "v1.xml" not in text


def test_an_amending_act_s_wording_shows_its_own_document_and_the_earlier_one_earlier() -> None:
    t1 = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    t2 = t1 + dt.timedelta(hours=1)
    import_act(parse_file(str(LEXDANIA / "consolidation-v1.xml")), key="eksempelloven",
               areas=["dagtilbud"], now=t1)
    import_act(parse_file(str(LEXDANIA / "amending-act.xml")), key="eksempelloven", now=t2)
    path = "/bestemmelse/eksempelloven/" + quote("§ 3")
    html, now = page(path, date="2022-03-01")
    assert now["versions"][-1]["from"] == "2022-01-01"
    assert now["versions"][-1]["registered"] == {
        "at": t2.isoformat(), "how": "import", "from": "lov nr. 3 af 1. december 2021"}
    assert "fra lov nr. 3 af 1. december 2021</td>" in html
    _, before = page(path, date="2022-03-01",
                     known_at=(t1 + dt.timedelta(minutes=30)).isoformat())
    assert [v["registered"] for v in before["versions"]] == [{
        "at": t1.isoformat(), "how": "import",
        "from": "lovbekendtgørelse nr. 101 af 15. januar 2020"}]


def institution(name: str) -> dict[str, Any]:
    return {"format": "frisat-bundle/1", "institutions": [
        {"id": "prov-1", "name": name, "municipality": 217, "area": "dagtilbud",
         "kind": "daginstitution", "opened": "2000-01-01"}]}


def test_each_record_version_shows_its_own_load_at_its_known_at() -> None:
    t1 = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    t2 = t1 + dt.timedelta(hours=1)
    load(institution("Provenienshuset"), now=t1, source="/home/ole/fil.yaml",
         by="ole.hansen", how="bundle")
    load(institution("Provenienshuset (nyt navn)"), now=t2, source="stil: /srv/udtraek.csv",
         by="ole.hansen", how="import")
    before = (t1 + dt.timedelta(minutes=30)).isoformat()
    html, data = page("/institution/prov-1", known_at=before)
    assert data["institution"]["name"] == "Provenienshuset"
    assert data["registered"] == {"at": t1.isoformat(), "how": "bundle",
                                  "from": "et indlæst datasæt"}
    html_now, now = page("/institution/prov-1")
    assert now["registered"] == {"at": t2.isoformat(), "how": "import",
                                 "from": "et udtræk af STIL's institutionsregister"}
    assert f"fra {escape(now['registered']['from'])}." in html_now
    api = json.loads(Client().get(f"/api/v1/institutions/prov-1/rules?known_at="
                                  f"{quote(before)}").content)
    assert api["registered"] == data["registered"]
    for text in (html, html_now, json.dumps(api)):
        assert "ole.hansen" not in text and "udtraek.csv" not in text


@pytest.mark.parametrize("lost", ["how", "load"])
def test_unknown_provenance_says_unknown(lost: str) -> None:
    load({"format": "frisat-bundle/1", "decisions": [
        dict(decision("217-2025-9801"), decided_by={"body": "council", "name": ""},
             decided_on="2025-01-15", published_on="2025-02-01", published=True)]},
         source="fil.yaml", how="bundle")
    stored = db.Decision.objects.get(id="217-2025-9801")
    if lost == "how":  # a load from before loads said how they wrote
        db.Load.objects.filter(pk=stored.load_id).update(how="")
    else:  # a row from before rows were linked to their load
        db.Decision.objects.filter(pk=stored.pk).update(load=None)
    html, data = page("/beslutning/217-2025-9801")
    assert data["registered"] == {"at": stored.recorded_at.isoformat(), "how": None,
                                  "from": None}
    assert "– hvorfra er ukendt (ikke registreret)</span>" in html
    en, _ = page("/en/beslutning/217-2025-9801")
    assert "– where from is unknown (not recorded)</span>" in en
