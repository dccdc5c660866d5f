"""`frisat users …`: create and deactivate users, issue, list and revoke API tokens.

A token is ``frisat_<prefix>_<secret>``: the 8-character prefix is public and names the
token in ``users tokens`` and ``users revoke-token``; the token itself is shown once.
"""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from typing import Annotated, Any

import typer

from frisat.accounts.roles import ROLES
from frisat.cli.common import Fmt, FormatOpt, emit_json, run

users_app = typer.Typer(help="Brugere, roller og API-nøgler", no_args_is_help=True)


def _audit(action: str, record: str, after: Any = None) -> None:
    from frisat.accounts.permissions import Actor
    from frisat.workflow.services import audit

    audit(Actor(f"kommandolinje:{getpass.getuser()}", None), action, record, None, after)


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    from frisat.registry.errors import InputError, Rejected

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise Rejected([InputError("username", "not_found", f"Ukendt bruger {username}")])
    return user


@users_app.command("add")
def add(username: str,
        role: Annotated[str, typer.Option("--role", help=", ".join(ROLES))],
        municipality: Annotated[int | None, typer.Option("--municipality")] = None,
        institution: Annotated[str | None, typer.Option("--institution")] = None,
        database: Annotated[str | None, typer.Option("--database")] = None) -> None:
    """Opret en bruger; adgangskoden læses fra standard input."""
    # read once, before the action: a retry while the database is busy runs it again
    password = sys.stdin.readline().rstrip("\n")

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
        if municipality is not None and not 1 <= municipality <= 9999:
            errors.append(InputError("municipality", "invalid",
                                     "Kommunekoden skal være et tal fra 1 til 9999"))
        elif role in ("municipal_editor", "municipal_viewer", "institution_leader") and (
                municipality is None
                or not db.Municipality.objects.filter(code=municipality).exists()):
            errors.append(InputError("municipality", "unknown_municipality",
                                     "Rollen kræver en kendt kommunekode (--municipality)"))
        if role == "institution_leader" and (
                institution is None or municipality is None or not 1 <= municipality <= 9999
                or not db.Membership.objects.filter(institution_id=institution,
                                                    municipality_id=municipality).exists()):
            errors.append(InputError("institution", "unknown_institution",
                                     "Rollen kræver en institution i kommunen (--institution)"))
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            errors.append(InputError("username", "conflict", f"Brugeren {username} findes"))
        try:  # with the user, so that a password like the user name is refused too
            validate_password(password, User(username=username))
        except ValidationError as e:
            errors.append(InputError("password", "invalid", " ".join(e.messages)))
        if errors:
            raise Rejected(errors)
        with transaction.atomic():
            user = User.objects.create_user(username=username, password=password)
            Profile.objects.create(user=user, role=role,
                                   municipality=None if role == "ministry" else municipality,
                                   institution=institution)
            _audit("user.add", f"user:{username}", {"role": role, "municipality": municipality,
                                                    "institution": institution})
        typer.echo(f"Oprettet {username} ({ROLES[role]})", err=True)

    run(database, act)


@users_app.command("deactivate")
def deactivate(username: str,
               database: Annotated[str | None, typer.Option("--database")] = None) -> None:
    """Luk en bruger: log-in og alle brugerens API-nøgler holder op med at virke."""
    def act() -> None:
        from django.db import transaction
        from django.utils import timezone

        from frisat.accounts.models import ApiToken

        with transaction.atomic():
            user = _user(username)
            user.is_active = False
            user.save(update_fields=["is_active"])
            revoked = ApiToken.objects.filter(user=user, revoked_at=None).update(
                revoked_at=timezone.now())
            _audit("user.deactivate", f"user:{username}", {"tokens_revoked": revoked})
        typer.echo(f"{username} er lukket; {revoked} API-nøgle(r) tilbagekaldt", err=True)

    run(database, act)


@users_app.command("token")
def token(username: str,
          days: Annotated[int, typer.Option("--days", help="Nøglens levetid i dage")] = 365,
          expires: Annotated[str | None, typer.Option(
              "--expires", help="Udløbsdato ÅÅÅÅ-MM-DD (i stedet for --days)")] = None,
          database: Annotated[str | None, typer.Option("--database")] = None) -> None:
    """Udsted en ny API-nøgle til brugeren (vises kun denne ene gang)."""
    def act() -> None:
        from django.utils import timezone

        from frisat.accounts.models import ApiToken
        from frisat.queries.common import DK, parse_date
        from frisat.registry.errors import InputError, Rejected

        user = _user(username)
        if not user.is_active:
            raise Rejected([InputError("username", "inactive", f"{username} er lukket")])
        if expires is not None:
            day = parse_date(expires, "expires")
            until = dt.datetime.combine(day, dt.time(), DK)
        elif 1 <= days <= 3650:
            until = timezone.now() + dt.timedelta(days=days)
        else:
            raise Rejected([InputError("days", "invalid", "Levetiden skal være 1–3650 dage")])
        if until <= timezone.now():
            raise Rejected([InputError("expires", "invalid",
                                       "Udløbsdatoen skal ligge i fremtiden")])
        issued = ApiToken.issue(user, expires_at=until)
        prefix = ApiToken.prefix_of(issued)
        _audit("token.issue", f"user:{username}",
               {"token": prefix, "expires_at": until.isoformat()})
        typer.echo(issued)
        typer.echo(f"Nøgle {prefix} til {username}, udløber {until.date().isoformat()}. "
                   "Den vises ikke igen; tilbagekald den med "
                   f"frisat users revoke-token {prefix}", err=True)

    run(database, act)


@users_app.command("tokens")
def tokens(username: str, fmt: FormatOpt = Fmt.text,
           database: Annotated[str | None, typer.Option("--database")] = None) -> None:
    """Vis brugerens API-nøgler (præfiks, udstedt, udløber, sidst brugt, status)."""
    def act() -> None:
        from frisat.accounts.models import ApiToken

        def iso(x: dt.datetime | None) -> str | None:
            return x.isoformat() if x else None

        rows = [{"prefix": t.prefix or None, "created_at": iso(t.created_at),
                 "expires_at": iso(t.expires_at), "last_used_at": iso(t.last_used_at),
                 "revoked_at": iso(t.revoked_at), "state": t.state}
                for t in ApiToken.objects.filter(user=_user(username)).order_by("created_at")]
        if fmt == Fmt.json:
            emit_json({"username": username, "tokens": rows})
            return
        for r in rows:
            typer.echo(f"{r['prefix'] or '(uden præfiks)'}  {r['state']:8}  udstedt "
                       f"{(r['created_at'] or '')[:10]}  udløber {(r['expires_at'] or '–')[:10]}"
                       f"  sidst brugt {(r['last_used_at'] or '–')[:16]}")

    run(database, act)


@users_app.command("revoke-token")
def revoke_token(prefix: Annotated[str | None, typer.Argument(
                     help="Nøglens præfiks (de 8 tegn efter frisat_)")] = None,
                 all_of: Annotated[str | None, typer.Option(
                     "--all", help="Tilbagekald alle nøgler for denne bruger")] = None,
                 database: Annotated[str | None, typer.Option("--database")] = None) -> None:
    """Tilbagekald en API-nøgle (efter præfiks) eller alle en brugers nøgler (--all NAVN)."""
    def act() -> None:
        from django.db import transaction
        from django.utils import timezone

        from frisat.accounts.models import ApiToken
        from frisat.registry.errors import InputError, Rejected

        if (prefix is None) == (all_of is None):
            raise Rejected([InputError("prefix", "missing",
                                       "Angiv enten nøglens præfiks eller --all BRUGER")])
        with transaction.atomic():
            if all_of is not None:
                rows = ApiToken.objects.filter(user=_user(all_of), revoked_at=None)
                what = f"user:{all_of}"
            else:
                wanted = ApiToken.prefix_of(prefix or "") or (prefix or "")
                rows = ApiToken.objects.filter(prefix=wanted, revoked_at=None)
                what = f"token:{wanted}"
                if not wanted or not rows.exists():
                    raise Rejected([InputError("prefix", "not_found",
                                               f"Ingen gyldig nøgle med præfikset {wanted!r}")])
            prefixes = list(rows.values_list("prefix", flat=True))
            count = rows.update(revoked_at=timezone.now())
            _audit("token.revoke", what, {"tokens": prefixes})
        typer.echo(f"{count} API-nøgle(r) tilbagekaldt", err=True)

    run(database, act)
