"""Issue 14, finding 7: tokens never expired and could not be revoked from the command line.

Tokens now carry a public prefix (shown when issued), an expiry date (a year by default,
``--days``/``--expires`` to choose) and their last use; ``frisat users revoke-token`` and
``frisat users deactivate`` end them. An expired or revoked token is a 401."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from sechelp import post_bundle
from typer.testing import CliRunner

from frisat.accounts.models import ApiToken
from frisat.cli import app
from frisat.workflow.models import AuditEntry

pytestmark = pytest.mark.django_db
EMPTY = {"format": "frisat-bundle/1"}


def cli(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), input=stdin)


def test_a_token_has_a_public_prefix_and_an_expiry_of_a_year(users):
    res = cli("users", "token", "sec-red")
    assert res.exit_code == 0, res.output
    token = res.stdout.strip()
    prefix = ApiToken.prefix_of(token)
    assert len(prefix) == 8 and f"Nøgle {prefix}" in res.stderr
    row = ApiToken.objects.get(prefix=prefix)
    assert row.digest != token and token not in row.digest  # only the hash is stored
    assert abs((row.expires_at - timezone.now()) - dt.timedelta(days=365)) < \
        dt.timedelta(minutes=1)
    assert AuditEntry.objects.filter(action="token.issue", record="user:sec-red").exists()


def test_the_expiry_can_be_chosen(users):
    res = cli("users", "token", "sec-red", "--expires", "2099-01-01")
    row = ApiToken.objects.get(prefix=ApiToken.prefix_of(res.stdout.strip()))
    assert row.expires_at == dt.datetime(2099, 1, 1, tzinfo=ZoneInfo("Europe/Copenhagen"))
    assert cli("users", "token", "sec-red", "--expires", "2001-01-01").exit_code == 2
    assert cli("users", "token", "sec-red", "--days", "0").exit_code == 2


def test_last_use_is_recorded(users, token):
    assert post_bundle(EMPTY, token["editor"]).status_code == 200
    row = ApiToken.objects.get(prefix=ApiToken.prefix_of(token["editor"]))
    assert row.last_used_at is not None
    assert timezone.now() - row.last_used_at < dt.timedelta(minutes=1)


def test_an_expired_token_is_refused(users, token):
    ApiToken.objects.filter(prefix=ApiToken.prefix_of(token["editor"])).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    r = post_bundle(EMPTY, token["editor"])
    assert r.status_code == 401
    assert r.json()["errors"][0]["code"] == "unauthorized"
    assert r["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_is_refused_and_others_still_work(users, token):
    second = ApiToken.issue(users["editor"])
    res = cli("users", "revoke-token", ApiToken.prefix_of(token["editor"]))
    assert res.exit_code == 0, res.output
    assert post_bundle(EMPTY, token["editor"]).status_code == 401
    assert post_bundle(EMPTY, second).status_code == 200
    assert AuditEntry.objects.filter(action="token.revoke").exists()


def test_revoke_by_the_whole_token_or_all_of_a_users(users, token):
    assert cli("users", "revoke-token", token["editor"]).exit_code == 0
    assert post_bundle(EMPTY, token["editor"]).status_code == 401
    assert cli("users", "revoke-token", "--all", "sec-min").exit_code == 0
    assert post_bundle(EMPTY, token["ministry"]).status_code == 401


def test_revoking_an_unknown_prefix_is_an_error(users):
    res = cli("users", "revoke-token", "00000000")
    assert res.exit_code == 2 and "not_found" in res.output


def test_listing_shows_state_without_the_secret(users, token):
    cli("users", "revoke-token", ApiToken.prefix_of(token["editor"]))
    ApiToken.issue(users["editor"])
    res = cli("users", "tokens", "sec-red", "--format", "json")
    data = json.loads(res.stdout)
    assert sorted(t["state"] for t in data["tokens"]) == ["active", "revoked"]
    assert token["editor"] not in res.stdout


def test_deactivating_a_user_ends_log_in_and_every_token(users, token):
    from django.test import Client

    c = Client()
    c.force_login(users["editor"])
    assert c.get("/forvaltning/").status_code == 200
    res = cli("users", "deactivate", "sec-red")
    assert res.exit_code == 0, res.output
    assert post_bundle(EMPTY, token["editor"]).status_code == 401
    assert c.get("/forvaltning/").status_code == 302  # the session no longer counts
    assert cli("users", "token", "sec-red").exit_code == 2
    assert AuditEntry.objects.filter(action="user.deactivate", record="user:sec-red").exists()
