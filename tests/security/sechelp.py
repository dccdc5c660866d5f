"""Helpers of the security tests: users of every role and API requests."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

OWN, OTHER = 217, 316  # Helsingør, Holbæk
PASSWORD = "en lang og god adgangskode"


def make_user(name: str, role: str | None, municipality: int | None = None,
              institution: str | None = None) -> Any:
    from frisat.accounts.models import Profile

    user = get_user_model().objects.create_user(username=name, password=PASSWORD)
    if role:
        Profile.objects.create(user=user, role=role, municipality=municipality,
                               institution=institution)
    return user


def post(path: str, body: str | bytes, token: str | None = None,
         content_type: str = "application/json") -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().post(path, data=body, content_type=content_type, **headers)


def post_bundle(doc: Any, token: str | None = None) -> Any:
    body = doc if isinstance(doc, str | bytes) else json.dumps(doc)
    return post("/api/v1/bundles", body, token)
