"""Users of every role for the security tests (made-up names; no password ships)."""

from __future__ import annotations

from typing import Any

import pytest
from sechelp import OWN, make_user


@pytest.fixture
def users(db: Any) -> dict[str, Any]:
    return {
        "ministry": make_user("sec-min", "ministry"),
        "editor": make_user("sec-red", "municipal_editor", OWN),
        "viewer": make_user("sec-laes", "municipal_viewer", OWN),
        "norole": make_user("sec-ingen", None),
    }


@pytest.fixture
def token(users: dict[str, Any]) -> dict[str, str]:
    from frisat.accounts.models import ApiToken

    return {who: ApiToken.issue(u) for who, u in users.items()}
