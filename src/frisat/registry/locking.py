"""Writers take turns: one write transaction at a time, a bounded wait, a clean answer.

SQLite: every transaction begins ``IMMEDIATE`` (settings), so a writer holds the one write
lock from its first statement and readers (WAL) never wait. A writer that finds the lock
taken waits up to ``FRISAT_DB_BUSY_SECONDS`` (SQLite's busy timeout), and the entry points
that write (``retry_when_busy``) try again a few times with a short pause before they give
up with ``Busy`` — never half a write, since nothing was done before the lock was had.

PostgreSQL: every load takes one transaction-level advisory lock before it reads the
register (``serialize_writes``), waiting at most ``FRISAT_DB_BUSY_SECONDS`` for it (the
transaction's ``lock_timeout``), so a second identical load sees the first one's rows and
is skipped as identical, and a second load with other content under the same key is a
clean ``conflict``. A unique key violated all the same (a race this lock does not cover)
is reported as ``conflict`` too (``as_conflict``), not as a database error.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import DatabaseError, IntegrityError, OperationalError, connection

from frisat.registry.errors import InputError, Rejected

log = logging.getLogger("frisat.locking")

F = TypeVar("F", bound=Callable[..., Any])

# one number for frisat's writers in PostgreSQL's advisory lock space ("frisat" in ASCII)
ADVISORY_KEY = 0x667269736174
ATTEMPTS = 3
PAUSES = (0.2, 0.5)          # seconds between attempts (after the busy timeout itself)
RETRY_AFTER = 2              # seconds a client is asked to wait (503 Retry-After)

# SQLite's busy and locked errors; PostgreSQL's serialization failure, deadlock, lock
# not available and query cancelled by lock_timeout
_PG_BUSY = {"40001", "40P01", "55P03", "57014"}


class Busy(Exception):
    """The database stayed busy with another writer; nothing was written."""

    code = "busy"

    def __init__(self, message: str = "Databasen er optaget af en anden skrivning; "
                 "intet er gemt. Prøv igen om lidt.") -> None:
        super().__init__(message)


def is_busy(exc: BaseException) -> bool:
    """True for an error that means "another writer holds the database", not a fault."""
    if isinstance(exc, Busy):
        return True
    if not isinstance(exc, OperationalError | DatabaseError):
        return False
    cause = exc.__cause__ or exc
    sqlstate = getattr(cause, "sqlstate", None) or getattr(getattr(cause, "diag", None),
                                                           "sqlstate", None)
    if sqlstate in _PG_BUSY:
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text \
        or "database table is locked" in text


def serialize_writes() -> None:
    """Inside a transaction: wait for, then hold until its end, the writers' lock.

    SQLite needs nothing (its ``IMMEDIATE`` transaction already holds the write lock)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        from django.conf import settings

        with connection.cursor() as cursor:
            # a bounded wait, as SQLite's busy timeout: a lock not had in time is 55P03
            # (``is_busy``), so the writer retries and then answers "busy", never hangs
            cursor.execute("SELECT set_config('lock_timeout', %s, true)",
                           [f"{int(settings.FRISAT_DB_BUSY_SECONDS * 1000)}ms"])
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_KEY])


def as_conflict(exc: IntegrityError) -> Rejected:
    """A unique key already taken, in the register's error shape."""
    return Rejected([InputError("", "conflict",
                                "Posten er netop gemt af en anden med samme nøgle; intet er "
                                f"gemt. Hent registret igen og prøv igen ({_first_line(exc)})")])


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def retry_when_busy(fn: F) -> F:
    """Run ``fn`` again (at most ``ATTEMPTS`` times in all) while the database is busy.

    Only the outermost call retries: inside an open transaction the lock cannot be waited
    for again, so a busy error goes up to the code that began it. A violated unique key
    becomes ``conflict``; a database that stays busy becomes ``Busy``."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if connection.in_atomic_block:
            return fn(*args, **kwargs)
        for attempt in range(ATTEMPTS):
            try:
                return fn(*args, **kwargs)
            except IntegrityError as exc:
                raise as_conflict(exc) from exc
            except DatabaseError as exc:
                if not is_busy(exc):
                    raise
                log.warning("databasen er optaget (forsøg %d af %d): %s", attempt + 1,
                            ATTEMPTS, exc)
                if attempt + 1 == ATTEMPTS:
                    raise Busy() from exc
                time.sleep(PAUSES[min(attempt, len(PAUSES) - 1)])
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper  # type: ignore[return-value]
