"""Issue 14, finding 7: the database file was world-readable (0644). FRISAT_HOME is now made
0700 and the SQLite file (with its -wal and -shm files) and the secret key 0600, whatever
the umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import os, stat, django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as c:   # WAL: SQLite makes the -wal and -shm files now
    c.execute("create table eksempel (x integer)")
    c.execute("insert into eksempel values (1)")
    for extra in ("-wal", "-shm"):   # while the connection is open (closing removes them)
        path = str(settings.FRISAT_HOME / "frisat.sqlite3") + extra
        print(extra, oct(stat.S_IMODE(os.stat(path).st_mode)))
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_register_is_private_to_its_owner(tmp_path):
    home = tmp_path / "ny" / "frisat"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(FRISAT_HOME=str(home), DJANGO_SETTINGS_MODULE="frisat.web.settings")
    out = subprocess.run([sys.executable, "-c", f"import os; os.umask(0o022)\n{SCRIPT}"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert mode(home) == 0o700
    assert mode(home / "frisat.sqlite3") == 0o600
    assert mode(home / "secret_key") == 0o600
    assert out.stdout.split() == ["-wal", "0o600", "-shm", "0o600"]


def test_an_existing_home_is_left_as_its_owner_made_it(tmp_path):
    home = tmp_path / "delt"
    home.mkdir(mode=0o750)
    home.chmod(0o750)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(FRISAT_HOME=str(home), DJANGO_SETTINGS_MODULE="frisat.web.settings")
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert mode(home) == 0o750
    assert mode(home / "frisat.sqlite3") == 0o600
