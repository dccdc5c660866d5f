"""The case workers' decision form (issue 11, "Staff pages for case workers"): generated
decision ids, the municipality fixed to the user's, target rows picked without JavaScript
too, ended regimes hidden, Danish labels in the errors, "Vedtag" disabled while the checks
report errors, and the picker's JSON for the search-as-you-type script."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from test_workflow_gaps import EVIDENCE, logged_in, make_user

from frisat.queries import catalogue
from frisat.registry import store
from frisat.registry.snapshot import snapshot
from frisat.workflow import services
from frisat.workflow.models import Draft

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
NEW = "/forvaltning/beslutning/ny"


def form(**extra: str) -> dict[str, str]:
    return {"regime": "velfaerdsaftale-dagtilbud", "title": "Eksempel", "action": "save",
            "targets-0-citation": "dagtilbudsloven § 14, stk. 1", "targets-0-extent": "whole",
            "effective_from": "2025-03-01", **extra}


def created(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:3000]
    return str(response["Location"].rsplit("/", 1)[1])


def visible(response: Any) -> str:
    """The page's main text as a reader sees it (no tags, no attributes)."""
    body = response.content.decode()
    main = body[body.index("<main"):body.index("</main>")]
    main = re.sub(r"<template.*?</template>", "", main, flags=re.S)
    main = re.sub(r"</?(a|strong|span|code|em)\b[^>]*>", "", main)  # inline: no space
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def published(user: Any, decision_id: str) -> None:
    data = {"id": decision_id, "municipality": 217, "regime": "velfaerdsaftale-dagtilbud",
            "title": "Eksempel", "example": True, "decided_by": {"body": "council"},
            "effective_from": "2025-03-01", "scope": {"institutions": "all"},
            "targets": [{"citation": "dagtilbudsloven § 14, stk. 1", "extent": "whole"}]}
    draft, _ = services.save_draft(user, data)
    draft = services.adopt(user, draft.id, draft.version, body="council",
                           decided_on=dt.date(2025, 1, 15))
    services.publish(user, draft.id, draft.version, published_on=dt.date(2025, 2, 1),
                     publication_url=EVIDENCE)
    Draft.objects.filter(pk=decision_id).delete()  # only the register holds it now


# -- the decision id -----------------------------------------------------------------------

def test_a_new_draft_gets_the_next_free_id_across_drafts_and_register_decisions():
    editor = make_user("eksempel-red", "municipal_editor", 217)
    c = logged_in(editor)
    assert created(c.post(NEW, form())) == f"217-{YEAR}-001"
    published(editor, f"217-{YEAR}-007")       # a register decision, no draft
    services.save_draft(editor, {**Draft.objects.get(pk=f"217-{YEAR}-001").data,
                                 "id": f"217-{YEAR}-9form"})   # not a running number
    services.save_draft(editor, {**Draft.objects.get(pk=f"217-{YEAR}-001").data,
                                 "id": f"217-{YEAR - 1}-099"})  # another year
    assert created(c.post(NEW, form())) == f"217-{YEAR}-008"
    assert services.next_decision_id(217, YEAR) == f"217-{YEAR}-009"
    assert services.next_decision_id(840, YEAR) == f"840-{YEAR}-001"


def test_the_id_is_shown_read_only_and_the_municipality_by_name():
    c = logged_in(make_user("eksempel-red", "municipal_editor", 217))
    r = c.get(NEW)
    text = visible(r)
    assert f"næste ledige nu: 217-{YEAR}-001" in text and "Helsingør" in text
    page = r.content.decode()
    assert 'name="id"' not in page and 'name="municipality"' not in page
    d = created(c.post(NEW, form()))
    r = c.get(f"/forvaltning/beslutning/{d}")
    assert d in visible(r) and 'name="id"' not in r.content.decode()


def test_an_editor_cannot_post_another_municipalitys_code():
    c = logged_in(make_user("eksempel-red", "municipal_editor", 217))
    assert c.post(NEW, form(municipality="840")).status_code == 403
    assert not Draft.objects.exists()
    d = created(c.post(NEW, form(municipality="217")))  # its own code is no problem
    r = c.post(f"/forvaltning/beslutning/{d}", form(municipality="840", version="1",
                                                      title="Flyttet"))
    assert r.status_code == 400 and "Kommune: Kommunen kan ikke ændres" in visible(r)
    draft = Draft.objects.get(pk=d)
    assert (draft.municipality, draft.version, draft.data["title"]) == (217, 1, "Eksempel")


def test_the_ministry_chooses_the_municipality_from_the_covered_ones():
    c = logged_in(make_user("eksempel-min", "ministry"))
    page = c.get(NEW).content.decode()
    select = page[page.index('name="municipality"'):]
    select = select[:select.index("</select>")]
    assert '<option value="217">Helsingør</option>' in select
    snap = snapshot(store.now())
    covered = {c.municipality for c in snap.world.coverage}
    never = next(x.code for x in snap.world.municipalities if x.code not in covered)
    assert f'value="{never}"' not in select
    r = c.post(NEW, form())
    assert r.status_code == 400 and "Kommune: Vælg kommunen" in visible(r)
    assert c.post(NEW, form(municipality=str(never))).status_code == 400
    assert not Draft.objects.exists()
    assert created(c.post(NEW, form(municipality="217"))) == f"217-{YEAR}-001"


def _create(script_dir: Path, env: dict[str, str], n: int) -> list[str]:
    """N processes at once, each creating one draft; the ids they got."""
    go = script_dir / "go"
    worker = script_dir / "worker.py"
    worker.write_text(textwrap.dedent(f"""
        import os, sys, time
        os.environ["DJANGO_SETTINGS_MODULE"] = "frisat.web.settings"
        import django
        django.setup()
        from django.contrib.auth import get_user_model
        from frisat.workflow import services
        user = get_user_model().objects.get(username="eksempel-red")
        open(sys.argv[1] + ".ready", "w").close()
        while not os.path.exists({str(go)!r}):
            time.sleep(0.01)
        draft, _ = services.create_draft(user, {{
            "municipality": 217, "regime": "velfaerdsaftale-dagtilbud",
            "decided_by": {{"body": "council"}}, "effective_from": "2025-03-01",
            "scope": {{"institutions": "all"}},
            "targets": [{{"citation": "dagtilbudsloven § 14, stk. 1"}}]}})
        print(draft.id)
    """), encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, str(worker), str(script_dir / f"w{i}")],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for i in range(n)]
    deadline = time.monotonic() + 300
    while sum((script_dir / f"w{i}.ready").exists() for i in range(n)) < n:
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), \
            [p.communicate() for p in procs if p.poll() is not None]
        time.sleep(0.05)
    go.touch()
    ids = []
    for p in procs:
        out, errors = p.communicate(timeout=300)
        assert p.returncode == 0, errors[-3000:]
        ids.append(out.strip())
    return ids


def test_drafts_created_at_once_never_get_the_same_id(tmp_path):
    """Separate processes on one database (SQLite file, or a new PostgreSQL database when
    the suite runs on PostgreSQL): each gets its own running number."""
    env = {**os.environ, "FRISAT_HOME": str(tmp_path / "home")}
    server = os.environ.get("DATABASE_URL", "")
    url = server.rsplit("/", 1)[0] + "/postgres"  # the server's own database
    name = ""
    if server.startswith("postgres"):
        import psycopg

        name = f"frisat_ids_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = server.rsplit("/", 1)[0] + "/" + name
    else:
        env.pop("DATABASE_URL", None)
    try:
        setup = textwrap.dedent("""
            import os
            os.environ["DJANGO_SETTINGS_MODULE"] = "frisat.web.settings"
            import django
            django.setup()
            from django.core.management import call_command
            call_command("migrate", interactive=False, verbosity=0)
            from django.contrib.auth import get_user_model
            from frisat.accounts.models import Profile
            user = get_user_model().objects.create_user("eksempel-red", password="x" * 16)
            Profile.objects.create(user=user, role="municipal_editor", municipality=217)
        """)
        done = subprocess.run([sys.executable, "-c", setup], env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        ids = _create(tmp_path, env, 4)
        assert sorted(ids) == [f"217-{YEAR}-00{i}" for i in range(1, 5)]
    finally:
        if name:
            import psycopg

            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- target rows and the picker without JavaScript ----------------------------------------

def test_find_and_add_round_trips_keep_the_other_fields_and_save_nothing():
    c = logged_in(make_user("eksempel-red", "municipal_editor", 217))
    base = form(title="Forældrebestyrelse efter egen model", **{
        "targets-0-extent": "partial", "targets-0-note": "kun valgperioden"})
    r = c.post(NEW, {**base, "action": "find", "q": "forældrebestyrelse"})
    assert r.status_code == 200
    page = r.content.decode()
    assert 'value="Forældrebestyrelse efter egen model"' in page
    assert '<button class="button button-secondary" type="submit" name="add" ' \
           'value="dagtilbudsloven § 14">Tilføj' in page
    r = c.post(NEW, {**base, "q": "forældrebestyrelse", "add": "dagtilbudsloven § 14"})
    page, text = r.content.decode(), visible(r)
    assert "Tilføjet: dagtilbudsloven § 14." in text and "ikke gemt endnu" in text
    assert 'name="targets-1-citation" value="dagtilbudsloven § 14"' in page
    assert "Forældrebestyrelser i kommunale dagtilbud." in text  # the row's heading
    assert 'value="partial" checked' in page and "kun valgperioden" in page  # row 1 kept
    assert not Draft.objects.exists()
    # "Fjern" on the first row: the second stays, renumbered (a row's N is its name's, gaps
    # and all, as the script numbers the rows it adds)
    r = c.post(NEW, {**base, "targets-5-citation": "dagtilbudsloven § 14", "remove": "0"})
    page = r.content.decode()
    assert 'name="targets-0-citation" value="dagtilbudsloven § 14"' in page
    assert 'name="targets-1-citation"' not in page
    assert "§ 14, stk. 1" not in visible(r).split("Find bestemmelse")[0].split("fraviges")[-1]
    assert not Draft.objects.exists()


def test_enter_searches_new_words_and_otherwise_saves():
    c = logged_in(make_user("eksempel-red", "municipal_editor", 217))
    r = c.post(NEW, form(action="enter", q="læreplan"))
    assert r.status_code == 200 and "Fundne bestemmelser for »læreplan«" in visible(r)
    assert not Draft.objects.exists()
    r = c.post(NEW, form(action="enter", q="læreplan", q_done="læreplan"))
    assert created(r) == f"217-{YEAR}-001"


def test_a_round_trip_keeps_the_version_the_editor_saw():
    editor = make_user("eksempel-red", "municipal_editor", 217)
    c = logged_in(editor)
    d = created(c.post(NEW, form()))
    c.post(f"/forvaltning/beslutning/{d}", form(version="1", title="Andens"))  # version 2
    r = c.post(f"/forvaltning/beslutning/{d}", form(version="1", action="find", q="§ 8"))
    assert '<input type="hidden" name="version" value="1">' in r.content.decode()
    r = c.post(f"/forvaltning/beslutning/{d}", form(version="1", title="Min"))
    assert r.status_code == 409
    assert Draft.objects.get(pk=d).data["title"] == "Andens"


def test_rows_are_stored_as_targets_and_shown_with_danish_labels_and_no_pipes():
    c = logged_in(make_user("eksempel-red", "municipal_editor", 217))
    d = created(c.post(NEW, form(**{
        "targets-0-extent": "partial", "targets-0-note": "kun kravet om valg hvert år",
        "targets-3-citation": "dagtilbudsloven § 8, stk. 2",
        "targets-3-note": "egen model for læreplanen"})))
    assert Draft.objects.get(pk=d).data["targets"] == [
        {"citation": "dagtilbudsloven § 14, stk. 1", "extent": "partial",
         "note": "kun kravet om valg hvert år"},
        {"citation": "dagtilbudsloven § 8, stk. 2", "extent": "whole",
         "note": "egen model for læreplanen"}]
    r = c.get(f"/forvaltning/beslutning/{d}")
    page, text = r.content.decode(), visible(r)
    assert "Hele bestemmelsen" in text and "Dele af bestemmelsen" in text
    assert 'id="f-targets-0-extent-partial" name="targets-0-extent" value="partial" checked' \
        in page
    assert "Række 2: dagtilbudsloven § 8, stk. 2" in " ".join(text.split())
    assert "|" not in text and "whole" not in text and "partial" not in text


def test_the_picker_page_adds_to_a_draft_by_a_link():
    c = logged_in(make_user("eksempel-red", "municipal_editor", 217))
    page = c.get("/forvaltning/bestemmelser?q=forældrebestyrelse").content.decode()
    assert 'href="/forvaltning/beslutning/ny?tilfoej=dagtilbudsloven%20%C2%A7%2014"' in page
    r = c.get("/forvaltning/beslutning/ny?tilfoej=dagtilbudsloven%20%C2%A7%2014")
    assert 'name="targets-0-citation" value="dagtilbudsloven § 14"' in r.content.decode()
    d = created(c.post(NEW, form()))
    page = c.get(f"/forvaltning/bestemmelser?q=forældrebestyrelse&kladde={d}").content.decode()
    assert f'href="/forvaltning/beslutning/{d}?tilfoej=dagtilbudsloven%20%C2%A7%2014"' in page
    r = c.get(f"/forvaltning/beslutning/{d}?tilfoej=dagtilbudsloven%20%C2%A7%2014")
    page = r.content.decode()
    assert 'name="targets-1-citation" value="dagtilbudsloven § 14"' in page  # after row 1
    assert '<input type="hidden" name="version" value="1">' in page
    assert len(Draft.objects.get(pk=d).data["targets"]) == 1  # not saved by the link


# -- regimes, errors and "Vedtag" -----------------------------------------------------------

def test_ended_regimes_are_hidden_unless_the_draft_has_one():
    snap = snapshot(store.now())
    keys = [r.key for r in catalogue.regime_choices(snap, 217, dt.date(2024, 1, 1))]
    assert keys == ["velfaerdsaftale-dagtilbud"]
    assert catalogue.regime_choices(snap, 217, dt.date(2025, 7, 31)) == []  # [from, to)
    assert catalogue.regime_choices(snap, None, dt.date(2026, 1, 1)) == []
    c = logged_in(make_user("eksempel-red", "municipal_editor", 217))
    r = c.get(NEW)
    assert 'value="velfaerdsaftale-dagtilbud"' not in r.content.decode()
    assert "Ingen ordning dækker kommunen i dag" in visible(r)
    d = created(c.post(NEW, form()))
    page = c.get(f"/forvaltning/beslutning/{d}").content.decode()
    assert re.search(r'<option value="velfaerdsaftale-dagtilbud" selected>[^<]*\(sluttet\)',
                     page)


def test_an_earlier_decision_can_be_registered_under_an_ended_regime():
    """Every shipped regime has ended, yet the register does not know every decision of the
    schemes' years: "Registrér en tidligere beslutning" offers the ended regimes, and the
    checks hold the decision to the regime's period."""
    snap = snapshot(store.now())
    ended = catalogue.regime_choices(snap, 217, dt.date(2026, 1, 1), earlier=True)
    assert [(r.key, r.ended) for r in ended] == [("velfaerdsaftale-dagtilbud", True)]
    assert catalogue.regime_choices(snap, 217, dt.date(2026, 1, 1)) == []
    c = logged_in(make_user("eksempel-red", "municipal_editor", 217))
    assert "?tidligere=1" in c.get(NEW).content.decode()
    r = c.get(NEW + "?tidligere=1")
    page = r.content.decode()
    assert re.search(r'<option value="velfaerdsaftale-dagtilbud">[^<]*\(sluttet\)', page)
    assert '<input type="hidden" name="tidligere" value="1">' in page
    assert "Tidligere beslutning: ordninger, der er sluttet, kan vælges." in visible(r)
    # a round trip (find a provision) keeps the choice open
    r = c.post(NEW, form(tidligere="1", action="find", q="forældrebestyrelse"))
    assert re.search(r'<option value="velfaerdsaftale-dagtilbud" selected>[^<]*\(sluttet\)',
                     r.content.decode())
    within = created(c.post(NEW, form(tidligere="1")))
    assert not [p for p in services.problems(services.read_decision(
        Draft.objects.get(pk=within).data)) if p.severity == "error"]
    after = created(c.post(NEW, form(tidligere="1", effective_from="2025-09-01")))
    found = services.problems(services.read_decision(Draft.objects.get(pk=after).data))
    assert [p.field for p in found if p.severity == "error"] == ["effective_from"]


def test_errors_use_danish_field_labels_and_no_codes_or_paths():
    c = logged_in(make_user("eksempel-red", "municipal_editor", 217))
    r = c.post(NEW, form(**{"targets-1-citation": "dagtilbudsloven § 8, stk. 2",
                            "targets-1-extent": "halvt", "effective_from": "1. marts"}))
    assert r.status_code == 400
    text = " ".join(visible(r).split())
    assert "Bestemmelser, der fraviges, række 2, omfang:" in text
    assert "Virkning fra:" in text
    assert "targets[" not in text and "effective_from" not in text
    assert "invalid" not in text
    assert 'href="#f-target-1"' in r.content.decode()
    assert not Draft.objects.exists()


def test_a_guardrail_row_is_named_in_danish_and_vedtag_is_disabled_and_refused():
    c = logged_in(make_user("eksempel-red", "municipal_editor", 217))
    d = created(c.post(NEW, form(**{"targets-1-citation": "dagtilbudsloven § 23, stk. 1"})))
    r = c.get(f"/forvaltning/beslutning/{d}")
    page, text = r.content.decode(), " ".join(visible(r).split())
    assert "Fejl – Bestemmelser, der fraviges, række 2: " in text and "hegnspæl" in text
    assert "guardrail" not in text and "targets[" not in text
    assert "hegnspæl efter »Velfærdsaftale på dagtilbudsområdet (Helsingør og Rebild)«" in text
    assert "velfaerdsaftale-dagtilbud" not in text  # the regime by its title, not its key
    assert 'data-code="guardrail"' in page
    assert '<button class="button button-primary" type="submit" disabled ' \
           'aria-describedby="h-adopt">Vedtag</button>' in page
    assert "kan ikke vedtages, før fejlen i kontrollen er rettet" in text
    draft = Draft.objects.get(pk=d)
    r = c.post(f"/forvaltning/beslutning/{d}/vedtag",
               {"version": draft.version, "body": "council", "decided_on": "2025-01-15"})
    assert r.status_code == 400 and Draft.objects.get(pk=d).state == "draft"
    # without the guardrail row the checks are clean and "Vedtag" works
    c.post(f"/forvaltning/beslutning/{d}", form(version="1"))
    page = c.get(f"/forvaltning/beslutning/{d}").content.decode()
    assert '<button class="button button-primary" type="submit">Vedtag</button>' in page
    r = c.post(f"/forvaltning/beslutning/{d}/vedtag",
               {"version": 2, "body": "council", "decided_on": "2025-01-15"})
    assert r.status_code == 302 and Draft.objects.get(pk=d).state == "adopted"


def test_the_service_itself_refuses_to_adopt_a_draft_whose_checks_report_errors():
    """Not only the page: any caller of ``services.adopt`` (a script, a later API) meets the
    same gate, and nothing changes."""
    user = make_user("eksempel-red", "municipal_editor", 217)
    data = {"id": "217-2025-9901", "municipality": 217, "regime": "velfaerdsaftale-dagtilbud",
            "title": "Eksempel", "example": True, "decided_by": {"body": "council"},
            "effective_from": "2025-03-01", "scope": {"institutions": "all"},
            "targets": [{"citation": "dagtilbudsloven § 23, stk. 1", "extent": "whole"}]}
    draft, found = services.save_draft(user, data)
    assert [p.code for p in found if p.severity == "error"] == ["guardrail"]
    with pytest.raises(services.Rejected) as refused:
        services.adopt(user, draft.id, draft.version, body="council",
                       decided_on=dt.date(2025, 1, 15))
    assert [e.code for e in refused.value.errors] == ["guardrail"]
    again = Draft.objects.get(pk=draft.id)
    assert (again.state, again.version, again.data) == ("draft", draft.version, data)


def test_the_other_staff_pages_name_fields_in_danish_and_link_to_them():
    """The error summary of the rules, lessons and application pages: the field's label,
    linked to the form element, the message; no raw field path, no code in the text. And
    municipalities by name, not code."""
    c = logged_in(make_user("eksempel-red", "municipal_editor", 217))
    r = c.post("/forvaltning/regelsaet", {"kind": "delegation", "regime":
                                           "velfaerdsaftale-dagtilbud", "to": "committee",
                                           "name": "Eksempel", "decided_on": "2021-13-01"})
    assert r.status_code == 400
    page, text = r.content.decode(), " ".join(visible(r).split())
    assert re.search(r'<li data-code="\w+"><a href="#d-decided_on">Mødedato</a>: ', page)
    assert "<code>" not in page[page.index("error-summary-title"):page.index("</ul>")]
    assert "decided_on" not in text
    r = c.post("/forvaltning/regelsaet", {"kind": "nonsense"})
    assert '<li data-code="invalid">Formularen: Ukendt formular</li>' in r.content.decode()
    assert "<h1>Regelsæt og delegationer – Helsingør</h1>" in r.content.decode()
    created(c.post(NEW, form()))
    assert "<td>Helsingør</td>" in c.get("/forvaltning/").content.decode()  # not its code


# -- the suggestions' JSON ----------------------------------------------------------------

def test_suggestions_are_for_staff_only():
    url = "/forvaltning/bestemmelser.json?q=forældrebestyrelse"
    assert Client().get(url).status_code == 401
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("eksempel-uden-rolle", password="x" * 16)
    assert logged_in(nobody).get(url).status_code == 403
    r = logged_in(make_user("eksempel-red", "municipal_editor", 217)).get(url)
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    assert r.json()["provisions"][0] == {"citation": "dagtilbudsloven § 14",
                                         "text": "Forældrebestyrelser i kommunale dagtilbud."}
    stk = logged_in(make_user("eksempel-red2", "municipal_editor", 217)).get(
        "/forvaltning/bestemmelser.json?q=dagtilbudsloven § 14, stk. 1").json()
    assert stk["provisions"] == [{"citation": "dagtilbudsloven § 14, stk. 1",
                                  "text": "§ 14: Forældrebestyrelser i kommunale dagtilbud."}]
