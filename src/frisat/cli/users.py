"""`frisat users …`: create users with a role, and issue API tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from frisat.accounts.roles import ROLES
from frisat.cli.common import run

users_app = typer.Typer(help="Brugere, roller og API-nøgler", no_args_is_help=True)


@users_app.command("add")
def add(username: str,
        role: Annotated[str, typer.Option("--role", help=", ".join(ROLES))],
        municipality: Annotated[int | None, typer.Option("--municipality")] = None,
        institution: Annotated[str | None, typer.Option("--institution")] = None,
        database: Annotated[str | None, typer.Option("--database")] = None) -> None:
    """Opret en bruger; adgangskoden læses fra standard input."""
    def act() -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError
        from django.db import transaction

        from frisat.accounts.models import Profile
        from frisat.registry import models as db
        from frisat.registry.errors import InputError, Rejected

        errors: list[InputError] = []
        if role not in ROLES:
            errors.append(InputError("role", "invalid", f"Ukendt rolle {role!r}; vælg en af "
                                     + ", ".join(ROLES)))
        if role in ("municipal_editor", "municipal_viewer", "institution_leader") and (
                municipality is None
                or not db.Municipality.objects.filter(code=municipality).exists()):
            errors.append(InputError("municipality", "unknown_municipality",
                                     "Rollen kræver en kendt kommunekode (--municipality)"))
        if role == "institution_leader" and (
                institution is None or municipality is None
                or not db.Membership.objects.filter(institution_id=institution,
                                                    municipality_id=municipality).exists()):
            errors.append(InputError("institution", "unknown_institution",
                                     "Rollen kræver en institution i kommunen (--institution)"))
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            errors.append(InputError("username", "conflict", f"Brugeren {username} findes"))
        password = sys.stdin.readline().rstrip("\n")
        try:
            validate_password(password)
        except ValidationError as e:
            errors.append(InputError("password", "invalid", " ".join(e.messages)))
        if errors:
            raise Rejected(errors)
        with transaction.atomic():
            user = User.objects.create_user(username=username, password=password)
            Profile.objects.create(user=user, role=role,
                                   municipality=None if role == "ministry" else municipality,
                                   institution=institution)
        typer.echo(f"Oprettet {username} ({ROLES[role]})", err=True)

    run(database, act)


@users_app.command("token")
def token(username: str,
          database: Annotated[str | None, typer.Option("--database")] = None) -> None:
    """Udsted en ny API-nøgle til brugeren (vises kun denne ene gang)."""
    def act() -> None:
        from django.contrib.auth import get_user_model

        from frisat.accounts.models import ApiToken
        from frisat.registry.errors import InputError, Rejected

        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise Rejected([InputError("username", "not_found", f"Ukendt bruger {username}")])
        typer.echo(ApiToken.issue(user))

    run(database, act)
