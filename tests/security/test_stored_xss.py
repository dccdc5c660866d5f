"""Issue 14, finding 2: a ``javascript:`` source URL or legal basis was stored and rendered as
a link; there was no Content-Security-Policy.

Now the reader refuses any URL that is not http(s) (registry/validate.py), the templates make
a stored value an href only through the ``safe_url`` filter (so a value stored before this
rule is shown as text, never as a link), and every answer carries a strict CSP
(web/security.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from sechelp import post_bundle

from frisat.engine import model as m
from frisat.registry import models as db
from frisat.registry import store

pytestmark = pytest.mark.django_db

EVIL = "javascript:alert(document.cookie)"
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "frisat"
LINK_TO_SCRIPT = re.compile(r"""href\s*=\s*["']?\s*(javascript|data|vbscript):""", re.I)


def decision(**extra: object) -> dict[str, object]:
    return {"id": "217-2026-9xss", "municipality": 217, "regime": "velfaerdsaftale-dagtilbud",
            "title": "Eksempel", "example": True, "decided_by": {"body": "council"},
            "effective_from": "2026-03-01", "published_on": "2026-01-02",
            "targets": [{"citation": "dagtilbudsloven § 14, stk. 1"}], **extra}


@pytest.mark.parametrize("field", ["source_url"])
@pytest.mark.parametrize("value", [EVIL, " JavaScript:alert(1)", "data:text/html,<script>",
                                   "vbscript:msgbox", "//evil.example/x", "ftp://x.example/"])
def test_a_decision_with_a_non_http_url_is_refused(token, field, value):
    r = post_bundle({"format": "frisat-bundle/1", "decisions": [decision(**{field: value})]},
                    token["editor"])
    assert r.status_code == 400
    assert r.json()["errors"][0]["path"] == f"decisions[0].{field}"
    assert r.json()["errors"][0]["code"] in ("unsafe_url", "invalid_url")
    assert not db.Decision.objects.filter(pk="217-2026-9xss").exists()


@pytest.mark.parametrize(("section", "record", "field"), [
    ("acts", {"key": "eksempel-xss", "level": "municipal", "municipality": 217,
              "title": "Eksempel", "areas": ["dagtilbud"]}, "source_url"),
    ("acts", {"key": "eksempel-xss", "level": "state", "title": "Eksempel",
              "areas": ["dagtilbud"]}, "eli"),
    ("regimes", {"key": "eksempel-xss", "title": "Eksempel", "shape": "listed"},
     "legal_basis"),
    ("repeals", {"act": "eksempel-xss", "from": "2026-01-01"}, "source_url"),
    ("kept", {"act": "eksempel-xss", "municipality": 217, "reason": "x"}, "source_url"),
    ("exemptions", {"id": "fk-xss", "regime": "frikommune-2", "municipality": 217,
                    "from": "2020-01-01", "approved_on": "2019-12-01",
                    "targets": [{"citation": "dagtilbudsloven § 14"}]}, "source_url"),
    ("institutions", {"id": "eksempel-xss", "name": "Eksempel", "municipality": 217,
                      "area": "dagtilbud", "kind": "daginstitution"}, "source"),
])
def test_every_stored_url_must_be_http(users, section, record, field):
    from frisat.registry.errors import Rejected
    from frisat.workflow import services

    with pytest.raises(Rejected) as e:
        services.load_as(users["ministry"],
                         {"format": "frisat-bundle/1", section: [{**record, field: EVIL}]})
    assert [(x.path, x.code) for x in e.value.errors] == [(f"{section}[0].{field}",
                                                            "unsafe_url")]


def _stored_before_this_rule() -> None:
    """A decision, a rule set and a regime whose URLs were stored before the reader refused
    them (written below the reader, as an old register holds them)."""
    now = dt.datetime.now(dt.UTC)
    store.append(m.World(
        acts=(m.Act("eksempel-217-xss", "municipal", "Eksempel på gammel post", ("dagtilbud",),
                    dt.date(2019, 1, 1), 217, source_url=EVIL, recorded_at=now),),
        provisions=(m.Provision("eksempel-217-xss", "", None, recorded_at=now),),
        regimes=(m.Regime("eksempel-xss", "Eksempelordning", "velfaerdsaftale", EVIL, "listed",
                          ("dagtilbudsloven",), recorded_at=now),),
        coverage=(m.Coverage("eksempel-xss", 217, "dagtilbud", dt.date(2021, 1, 1), None,
                             recorded_at=now),),
        decisions=(m.Decision(
            "217-2021-9xss", 217, "velfaerdsaftale-dagtilbud", "dagtilbud",
            m.DecidedBy("council"), dt.date(2021, 6, 1), dt.date(2021, 6, 2),
            dt.date(2021, 8, 1), None, m.Scope(),
            (m.Target("dagtilbudsloven", "§ 14, stk. 1"),), title="Eksempel",
            source_url=EVIL, example=True, recorded_at=now),)))
    db.Load.objects.create(loaded_at=now, source="test", counts={})


@pytest.mark.parametrize("path", [
    "/beslutning/217-2021-9xss", "/kommune/217", "/kommune/217/oversigt",
    "/kommune/217/oversigt/indlejr", "/", "/beslutninger",
    "/bestemmelse/dagtilbudsloven/%C2%A7%2014,%20stk.%201", "/en/kommune/217"])
def test_a_stored_script_url_is_never_rendered_as_a_link(path):
    _stored_before_this_rule()
    r = Client().get(path + "?date=2022-03-01")
    assert r.status_code == 200
    html = r.content.decode()
    assert not LINK_TO_SCRIPT.search(html), LINK_TO_SCRIPT.search(html)


def test_the_decision_page_shows_the_stored_value_as_text():
    _stored_before_this_rule()
    html = Client().get("/beslutning/217-2021-9xss").content.decode()
    assert "javascript:alert(document.cookie)" in html  # shown, escaped, not a link


def test_the_safe_url_filter():
    from frisat.web.templatetags.portal import safe_url

    assert safe_url("https://www.retsinformation.dk/eli/lta/2021/880") == \
        "https://www.retsinformation.dk/eli/lta/2021/880"
    for bad in (EVIL, "JAVASCRIPT:x", "java\tscript:x", " https://x.example", "https:/x",
                "//x.example", None, 7, "https://x.example/\x00"):
        assert safe_url(bad) == "", bad


def test_no_template_sets_an_href_from_a_value_without_the_filter():
    """Every ``href="{{ … }}"`` in a template is a path of the portal's own or filtered."""
    raw_href = re.compile(r'href="\{\{\s*([^}|]+?)\s*\}\}')
    own = {"format_url", "other_lang_url", "prefix", "c.url", "p.url", "h.url", "r.url",
           "d.url", "url", "l.url", "base",  # portal paths built in code (lessons, results)
           # links.path / links.provision: a target's page, the § 6 overview, the map files
           "t.target_url", "u.ask_url", "svg_url", "png_url"}
    found = []
    for path in TEMPLATES.rglob("*.html"):
        for m_ in raw_href.finditer(path.read_text()):
            if m_.group(1) not in own:
                found.append(f"{path.name}: {m_.group(0)}")
    assert not found, found


# -- the Content-Security-Policy and the other headers -------------------------------------


def test_pages_carry_a_strict_policy_and_cannot_be_framed():
    r = Client().get("/kommune/217")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert "camera=()" in r["Permissions-Policy"]


def test_the_embeddable_overview_may_be_framed_by_any_site():
    r = Client().get("/kommune/217/oversigt/indlejr")
    assert r.status_code == 200
    assert "frame-ancestors *" in r["Content-Security-Policy"]
    assert "X-Frame-Options" not in r
    assert "script-src 'self'" in r["Content-Security-Policy"]


def test_api_answers_and_static_files_carry_the_headers_too():
    for path in ("/api/v1/national", "/static/frisat/portal.css"):
        r = Client().get(path)
        assert "default-src 'none'" in r["Content-Security-Policy"], path
        assert r["X-Content-Type-Options"] == "nosniff"


def test_the_portal_needs_no_inline_script_or_style():
    """What the policy forbids does not occur: no inline <script>, no style attribute, no
    <style> element, no on…= event handler in any template."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    forbidden = [re.compile(r"\sstyle\s*=", re.I), re.compile(r"<style", re.I),
                 re.compile(r"\son[a-z]+\s*=", re.I), inline_script]
    # the embed code a municipality copies (a textarea's text) is for its own site
    shown_as_text = re.compile(r"<textarea.*?</textarea>", re.S)
    found = [f"{p.name}: {rx.pattern}" for p in TEMPLATES.rglob("*.html")
             for rx in forbidden if rx.search(shown_as_text.sub("", p.read_text()))]
    assert not found, found
