"""Issue 14 (operations): ``frisat backup`` → ``frisat restore`` gives the same answers and
the same accounts, drafts, notices and audit trail — on SQLite (the online backup API) and,
in the suite's PostgreSQL run, through pg_dump / pg_restore."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from opshelp import Register, base_env

PASSWORD = "en lang og god adgangskode til eksempel"

MAKE_STATE = """
import django, datetime as dt, json, sys
django.setup()
from django.contrib.auth import get_user_model
from django.utils import timezone
from frisat.accounts.models import ApiToken
from frisat.workflow.models import Draft, Notice
from frisat.workflow.services import audit
from frisat.accounts.permissions import actor_for
user = get_user_model().objects.get(username="eksempel-anna")
Draft.objects.create(id="217-2030-eksempel", municipality=217, data={"id": "217-2030-eksempel",
                     "title": "Eksempel på en kladde"}, created_by=user, updated_by=user)
Notice.objects.create(decision="217-2030-eksempel", municipality=217,
                      created_at=timezone.now(), comment="eksempel")
audit(actor_for(user), "draft.create", "decision:217-2030-eksempel", None, {"x": 1})
print(ApiToken.issue(user))
"""

READ_STATE = """
import django, json, sys
django.setup()
from django.contrib.auth import authenticate
from frisat.accounts.models import ApiToken
from frisat.workflow.models import AuditEntry, Draft, Notice
user = authenticate(username="eksempel-anna", password=sys.argv[1])
print(json.dumps({
    "login": user is not None and user.username,
    "token_user": getattr(ApiToken.user_for(sys.argv[2]), "username", None),
    "role": user is not None and user.frisat_profile.role,
    "drafts": sorted([d.id, d.state, d.data, d.version] for d in Draft.objects.all()),
    "notices": sorted([n.decision, n.municipality, n.comment] for n in Notice.objects.all()),
    "audit": sorted([a.at.isoformat(), a.username, a.action, a.record, a.after]
                    for a in AuditEntry.objects.all()),
}, sort_keys=True))
"""

QUESTIONS = [
    ["rules", "--institution", "341002", "--date", "2022-03-01", "--format", "json"],
    ["national", "--date", "2022-01-01", "--format", "json"],
    ["overview", "--municipality", "217", "--date", "2024-01-01", "--format", "json"],
    ["status", "--municipality", "217", "--area", "dagtilbud", "--provision",
     "dagtilbudsloven § 8, stk. 1", "--date", "2024-12-01", "--known-at",
     "2024-03-01T12:00:00+01:00", "--format", "json"],
]


def script(reg_env: dict[str, str], code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env={**reg_env, "DJANGO_SETTINGS_MODULE": "frisat.web.settings"},
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def answers(reg_env: dict[str, str]) -> list[object]:
    out = []
    for q in QUESTIONS:
        done = subprocess.run([sys.executable, "-m", "frisat", *q], capture_output=True,
                              text=True, env=reg_env, timeout=300)
        assert done.returncode == 0, done.stderr
        doc = json.loads(done.stdout)
        doc.pop("known_at", None)  # "now" moves on; every other field must be the same
        out.append(doc)
    return out


def fill(register: Register, tmp_path: Path) -> str:
    added = register.run("users", "add", "eksempel-anna", "--role", "municipal_editor",
                         "--municipality", "217", input=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    bundle = tmp_path / "eksempel.yaml"
    bundle.write_text("format: frisat-bundle/1\nacts:\n  - key: eksempel-backup-regler\n"
                      "    level: municipal\n    municipality: 217\n    areas: [dagtilbud]\n"
                      "    title: Eksempel\n    valid_from: '2019-01-01'\n"
                      "    provisions: [{ref: '1'}]\n", encoding="utf-8")
    loaded = register.run("load", str(bundle))
    assert loaded.returncode == 0, loaded.stderr
    return script(register.env, MAKE_STATE)


@pytest.mark.django_db  # also in the suite's PostgreSQL run
def test_backup_then_restore_gives_the_same_answers_and_accounts(register, tmp_path, request):
    token = fill(register, tmp_path)
    before = answers(register.env)
    state = json.loads(script(register.env, READ_STATE, PASSWORD, token))
    assert state["login"] == "eksempel-anna" and state["token_user"] == "eksempel-anna"
    assert state["drafts"] and state["notices"] and len(state["audit"]) >= 2

    copy = tmp_path / "kopi.frisat"
    done = register.run("backup", str(copy))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    again = register.run("backup", str(copy))   # never over an existing file
    assert again.returncode == 2 and "findes allerede" in again.stderr

    home = tmp_path / "genskabt"
    if register.url is None:
        env = base_env(home, None)
    else:
        env = base_env(home, request.getfixturevalue("empty_postgres"))
    restored = Register(home, env.get("DATABASE_URL"), env)
    done = restored.run("restore", str(copy))
    assert done.returncode == 0, done.stderr
    if restored.url is None:
        assert stat.S_IMODE(restored.sqlite.stat().st_mode) == 0o600
    assert answers(restored.env) == before
    assert json.loads(script(restored.env, READ_STATE, PASSWORD, token)) == state

    # a register with content is not replaced by mistake
    refused = restored.run("restore", str(copy))
    assert refused.returncode == 2 and "--replace" in refused.stderr
    replaced = restored.run("restore", str(copy), "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert answers(restored.env) == before


def test_restore_refuses_a_file_that_is_not_a_frisat_backup(register, tmp_path):
    junk = tmp_path / "ikke-en-kopi.sqlite3"
    junk.write_bytes(b"ikke en database" * 100)
    home = tmp_path / "ny"
    target = Register(home, None, base_env(home, None))
    done = target.run("restore", str(junk))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and str(junk) in done.stderr
    assert not (home / "frisat.sqlite3").exists() or \
        (home / "frisat.sqlite3").stat().st_size == 0
    assert os.path.exists(junk)
