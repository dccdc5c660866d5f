"""Shipped data, the real evaluation, lessons (bundles, staff, search), pages, API, PDF."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from frisat.cli import app
from frisat.followup import lessons
from frisat.followup.models import Indicator, Lesson, Observation

pytestmark = pytest.mark.django_db
RESULT = "/resultater/velfaerdsaftale-dagtilbud/normering-daginstitution-3-5"


def test_the_shipped_panels_carry_sources_breaks_and_empty_definitions() -> None:
    norm = Indicator.objects.get(key="normering-daginstitution-3-5")
    assert norm.breaks[0]["period"] == "2023" and "CC BY" not in norm.licence
    assert Observation.objects.filter(indicator=norm).count() == 98 * 7
    assert Observation.objects.filter(indicator_id="normering-dagpleje", unit="217").count() == 0
    for key in ("hjemmehjaelp-visiterede-timer", "genoptraening-rehabilitering",
                "sygefravaer-personale", "brugertilfredshed-hjemmehjaelp"):
        assert not Observation.objects.filter(indicator_id=key).exists()
    assert not Indicator.objects.filter(key__icontains="nationale-test").exists()


def test_the_real_daycare_staffing_evaluation_for_helsingor_and_rebild() -> None:
    res = CliRunner().invoke(app, ["evaluate", "--indicator", "normering-daginstitution-3-5",
                                   "--regime", "velfaerdsaftale-dagtilbud", "--format", "json"])
    assert res.exit_code == 0, res.output
    r = json.loads(res.stdout)
    assert r["treated"] == [217, 840] and len(r["comparison"]) == 96
    assert {"indicator", "regime", "treated", "comparison", "estimate", "ci_low", "ci_high",
            "p_value", "pre_trend", "n_units", "n_periods", "warnings", "method",
            "synthetic"} <= set(r)
    assert r["ci_low"] <= r["estimate"] <= r["ci_high"]
    assert r["n_periods"] == 6  # 2017-2022: 2023 is a new method
    codes = {w["code"] for w in r["warnings"]}
    assert {"series_break", "covid", "parallel_reform", "partial_period"} <= codes
    reform = next(w for w in r["warnings"] if w["code"] == "parallel_reform")
    assert "2594" in reform["message"] and reform["source"].endswith("/2021/2594")
    assert r["method"]["placebo_draws"] == 1000 and "randomization" in r["method"]["inference"]
    assert {s["unit"] for s in r["synthetic"]} == {217, 840}


def test_langeland_is_warned_as_small_and_results_are_cached() -> None:
    from frisat.followup.evaluate import evaluate
    from frisat.followup.models import EvaluationCache

    r = evaluate("hjemmesygepleje-pr-1000", "velfaerdsaftale-aeldre", draws=99)
    small = [w for w in r["warnings"] if w["code"] == "small_unit"]
    assert [w["unit"] for w in small] == ["482"]
    n = EvaluationCache.objects.count()
    assert evaluate("hjemmesygepleje-pr-1000", "velfaerdsaftale-aeldre", draws=99) == r
    assert EvaluationCache.objects.count() == n


def test_no_data_indicator_says_so() -> None:
    r = Client().get("/resultater")
    assert r.status_code == 200 and "ingen data indlæst" in r.content.decode()
    from frisat.followup.evaluate import evaluate

    out = evaluate("hjemmehjaelp-visiterede-timer", "velfaerdsaftale-aeldre", draws=10)
    assert out["estimate"] is None and out["warnings"][0]["code"] == "no_data_loaded"


def test_the_result_page_has_charts_tables_and_downloads() -> None:
    c = Client()
    html = c.get(RESULT).content.decode()
    assert html.count("<svg") >= 4 and 'role="img"' in html
    assert "Tallene bag diagrammet" in html and "Syntetisk tvilling" in html
    assert "lov nr. 2594" in html
    svg = c.get(RESULT + "/eventstudie.svg")
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    assert c.get(RESULT + "?format=csv").content.decode().startswith("period,label,")
    data = c.get("/en" + RESULT + "?format=json").json()
    assert data["treated"] == [217, 840]
    assert c.get(RESULT + "?comparison=nogle").status_code == 400
    assert c.get("/resultater/velfaerdsaftale-dagtilbud/findes-ikke").status_code == 404
    api = c.get("/api/v1/evaluation?indicator=normering-daginstitution-3-5"
                "&regime=velfaerdsaftale-dagtilbud&comparison=matched").json()
    assert api["comparison_kind"] == "matched" and 0 < len(api["comparison"]) < 96


def test_lessons_are_shipped_searchable_and_shown_for_a_provision() -> None:
    assert Lesson.objects.filter(reference=True).count() >= 6
    found = lessons.lessons_for_provision("dagtilbudsloven", "§ 8, stk. 4")
    assert "helsingor-laereplanstemaer-elverhoejen" in {x["key"] for x in found}
    # a lesson about a whole act reaches its provisions; another act's does not
    assert "holbaek-boernenes-skole" in {
        x["key"] for x in lessons.lessons_for_provision("folkeskoleloven", "§ 14 b")}
    assert "holbaek-boernenes-skole" not in {
        x["key"] for x in lessons.lessons_for_provision("serviceloven", "§ 79 a")}
    assert {x["url"] for x in lessons.lesson_documents()} >= {
        "/erfaringer/middelfart-forebyggende-hjemmebesoeg"}
    page = Client().get("/erfaringer?q=forebyggende").content.decode()
    assert "Middelfart" in page and "Børnenes Skole" not in page
    api = Client().get("/api/v1/lessons", {"provision": "serviceloven § 79 a"}).json()
    # Middelfart's lesson names § 79 a; Langeland's names the whole act
    assert {x["key"] for x in api["lessons"]} == {"middelfart-forebyggende-hjemmebesoeg",
                                                   "langeland-trin-for-trin"}


def _bundle(**lesson: Any) -> dict[str, Any]:
    base = {"key": "eksempel-erfaring", "municipality": 217, "title": "Eksempel",
            "tried": "Et eksempel", "source": "test (eksempel)"}
    return {"format": "frisat-bundle/1", "lessons": [{**base, **lesson}]}


def test_a_bundle_with_lessons_is_atomic(tmp_path: Any) -> None:
    from frisat.registry.models import Delegation

    before = (Lesson.objects.count(), Delegation.objects.count())
    doc = _bundle(decisions=["findes-ikke"])
    doc["delegations"] = [{"municipality": 217, "regime": "velfaerdsaftale-dagtilbud",
                           "to": "committee", "name": "Eksempeludvalget",
                           "decided_on": "2021-06-24"}]
    f = tmp_path / "b.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    res = CliRunner().invoke(app, ["load", str(f)])
    assert res.exit_code == 2 and "lessons[0].decisions[0]: unknown_decision" in res.stderr
    assert (Lesson.objects.count(), Delegation.objects.count()) == before
    doc["lessons"][0]["decisions"] = ["217-2022-001"]
    f.write_text(json.dumps(doc), encoding="utf-8")
    res = CliRunner().invoke(app, ["load", str(f)])
    assert res.exit_code == 0, res.output
    assert (Lesson.objects.count(), Delegation.objects.count()) == (before[0] + 1, before[1] + 1)
    res = CliRunner().invoke(app, ["load", str(f)])
    assert res.exit_code == 0 and Lesson.objects.count() == before[0] + 1  # idempotent


def test_an_editor_writes_only_their_own_municipalitys_lessons() -> None:
    from django.contrib.auth.models import User

    from frisat.accounts.models import Profile

    user = User.objects.create_user("redaktoer-217", password="et-langt-kodeord-1")
    Profile.objects.create(user=user, role="municipal_editor", municipality=217)
    c = Client()
    c.force_login(user)
    n = Lesson.objects.count()
    form = {"key": "helsingor-eksempel", "municipality": "217", "title": "Eksempel",
            "tried": "Prøvet (eksempel)", "source": "test", "provisions": "dagtilbudsloven § 8"}
    r = c.post("/forvaltning/erfaringer", form)
    assert r.status_code == 302 and Lesson.objects.count() == n + 1
    r = c.post("/forvaltning/erfaringer", {**form, "key": "rebild-eksempel",
                                           "municipality": "840"})
    assert r.status_code == 403 and Lesson.objects.count() == n + 1
    r = c.post("/forvaltning/erfaringer", {**form, "provisions": "dagtilbudsloven § 999"})
    assert r.status_code == 400 and "unknown_provision" in r.content.decode()
    r = c.post("/forvaltning/erfaringer", {**form, "outcome": "Ændret (eksempel)"})
    assert r.status_code == 302
    assert Lesson.objects.filter(key="helsingor-eksempel").count() == 2  # history kept
    assert lessons.latest()["helsingor-eksempel"].outcome == "Ændret (eksempel)"


def test_the_briefing_as_html_json_and_pdf() -> None:
    c = Client()
    html = c.get("/notat?date=2022-06-01").content.decode()
    assert "Hvad registret ikke ved" in html and "Rebild" in html
    data = c.get("/notat?date=2022-06-01&format=json").json()
    assert {h["area"] for h in data["headlines"]} == {"dagtilbud", "folkeskole", "aeldre"}
    kinds = {u["kind"] for u in data["unknowns"]}
    assert {"no_decisions", "no_data", "documented"} <= kinds
    assert any("Langeland" in u["text"] for u in data["unknowns"])
    pdf = c.get("/notat.pdf?date=2022-06-01")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "Regimes and municipalities" in c.get("/en/notat?date=2022-06-01").content.decode()
