"""Issue 14, finding 7: the password policy accepted a password equal to the user name, or
twelve spaces. Django's validators are now configured (similarity to the user name, at
least 12 characters, common passwords, all digits) with one more that refuses blank-ish
passwords (accounts/passwords.py); ``frisat users add`` applies them with the user."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from frisat.cli import app

pytestmark = pytest.mark.django_db


def add(username: str, password: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["users", "add", username, "--role", "ministry"],
                              input=password + "\n")


@pytest.mark.parametrize(("username", "password", "why"), [
    ("kirsten.hansen", "kirsten.hansen", "minder for meget"),
    ("kirstenhansen1", "kirstenhansen1", "minder for meget"),
    ("anna", " " * 12, "mellemrum alene"),
    ("anna", "aaaaaaaaaaaa", "mindst 5 forskellige tegn"),
    ("anna", "ababababababab", "mindst 5 forskellige tegn"),
    ("anna", "kort123", "for kort"),
    ("anna", "418257396012", "udelukkende numerisk"),
    ("anna", "qwerty123456", "for almindelig"),
])
def test_weak_passwords_are_refused(username, password, why):
    res = add(username, password)
    assert res.exit_code == 2, res.output
    assert "password" in res.output and why in res.output


def test_a_good_password_is_accepted():
    from django.contrib.auth import get_user_model

    res = add("anna", "Syv ænder på en kvist i Rebild")
    assert res.exit_code == 0, res.output
    assert get_user_model().objects.get(username="anna").check_password(
        "Syv ænder på en kvist i Rebild")
