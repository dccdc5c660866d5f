"""Issue 14, finding 7: Swagger UI was loaded from a CDN without SRI, so /api/v1/docs was
broken offline. django-ninja ships Swagger UI (Apache 2.0); with ninja among the installed
apps its templates use those files, served from /static/ninja/ like the portal's own.
(tests/browser/test_browser_security.py renders the page in Chromium with every request
outside the server refused.)"""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_everything_from_the_server_itself():
    r = Client().get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs, html[:500]
    assert all(ref.startswith("/static/") for ref in refs), refs
    assert "cdn" not in html.lower() and "https://" not in html
    assert '"validatorUrl": null' in html  # no badge fetched from validator.swagger.io
    for ref in refs:
        asset = Client().get(ref)
        assert asset.status_code == 200, ref
        assert int(asset.get("Content-Length", "1") or 1) > 0


def test_the_docs_page_runs_under_the_strict_policy():
    r = Client().get("/api/v1/docs")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    html = r.content.decode()
    # the only inline <script> is Swagger's settings as JSON data, which is never executed
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="swagger-settings"']
