"""The register as of one load and one record time: the one thing every question reads.

A ``Snapshot`` is resolved once per request or command and passed down. It holds the view
of the register at record time K (``World.known_at``), the engine over that view, the
answer index and every memo built from them; all of it dies with the snapshot. The full
history is read from the database once per register state (the newest load) and shared by
the snapshots cut from it.

The change check is one query: the newest load's id and time. A load by any process is seen
at the next request (``stamp``); nothing else is compared.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from frisat.engine import model as m
from frisat.engine.index import AnswerIndex
from frisat.engine.verdict import Engine

T = TypeVar("T")
Stamp = tuple[int, dt.datetime] | None

# the stamp resolved for the current request (web) or command (CLI), if any
_UNSET: Any = object()
_request_stamp: ContextVar[Any] = ContextVar("frisat_stamp", default=_UNSET)


class Snapshot:
    """The register known at K, for one register state."""

    def __init__(self, stamp: Stamp, full: m.World | Callable[[], m.World], view: m.World,
                 engine: Engine | None = None, shared: dict[object, object] | None = None
                 ) -> None:
        self.stamp = stamp
        # values read once per register state, shared by every snapshot cut from it
        self._shared = shared if shared is not None else {}
        self._full = full
        self.world = view
        self.engine = engine if engine is not None else Engine(view)
        self.index = AnswerIndex(self.engine)
        self._memo: dict[object, object] = {}
        self._lock = threading.Lock()

    @property
    def full(self) -> m.World:
        """Every record ever registered (for the histories of records)."""
        if callable(self._full):
            self._full = self._full()
        return self._full

    @property
    def known_at(self) -> dt.datetime | None:
        return self.world.as_of

    def memo(self, key: object, build: Callable[[], T]) -> T:
        """A value derived from this snapshot, built once (a race only repeats the work)."""
        try:
            return self._memo[key]  # type: ignore[return-value]
        except KeyError:
            value = build()
            with self._lock:
                if len(self._memo) > 4096:  # answers for many dates: keep memory bounded
                    self._memo.clear()
                self._memo[key] = value
            return value

    def per_state(self, key: object, build: Callable[[], T]) -> T:
        """A value read once per register state (not per K): shared by the snapshots of
        the state, gone with it when a load changes the state."""
        try:
            return self._shared[key]  # type: ignore[return-value]
        except KeyError:
            value = build()
            with self._lock:
                self._shared[key] = value
            return value

    def history(self, section: str) -> list[Any]:
        """Every record of a section registered at or before K, in record order (keyed
        histories included: an extension and the coverage it extended)."""
        k = self.known_at
        rows = [x for x in getattr(self.full, section) if k is None or x.recorded_at <= k]
        return sorted(rows, key=lambda x: x.recorded_at)


class _Register:
    """The full history per register state, and the snapshots cut from it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: object = object()
        self._full: m.World | Callable[[], m.World] | None = None
        self._latest = m.EPOCH
        self._snapshots: OrderedDict[dt.datetime | None, Snapshot] = OrderedDict()
        self._shared: dict[object, object] = {}  # ``Snapshot.per_state`` of this state

    @property
    def latest(self) -> dt.datetime:
        """The newest record time of the register state read last."""
        return self._latest

    def install(self, stamp: Stamp, full: Callable[[], m.World], latest: dt.datetime,
                engine: Engine) -> None:
        """Take a register state read elsewhere (from its files): the engine over the
        register as known now, and the full history, read when first needed."""
        with self._lock:
            self._full, self._latest, self._stamp = full, latest, stamp
            self._shared = {}
            self._snapshots = OrderedDict({None: Snapshot(stamp, full, engine.world, engine,
                                                          self._shared)})

    def snapshot(self, known_at: dt.datetime, stamp: Stamp) -> Snapshot:
        with self._lock:
            if self._full is None or stamp != self._stamp:
                from frisat.registry import store

                self._full = store.read_world()
                self._latest = max((x.recorded_at  # type: ignore[attr-defined]
                                    for x in self._full.records()), default=m.EPOCH)
                self._stamp = stamp
                self._snapshots = OrderedDict()
                self._shared = {}
                gc.freeze()  # the history is immutable: keep it out of the collector's way
            # Any K at or after the newest record sees the whole register: one shared
            # snapshot ("now" is the common question); an earlier K gets its own exact view.
            k: dt.datetime | None = None if known_at >= self._latest else known_at
            snap = self._snapshots.get(k)
            if snap is None:
                if callable(self._full):
                    self._full = self._full()
                view = self._full.known_at(known_at if k is not None else self._latest)
                snap = Snapshot(stamp, self._full, view, shared=self._shared)
                self._snapshots[k] = snap
                while len(self._snapshots) > 32:
                    self._snapshots.popitem(last=False)
            else:
                self._snapshots.move_to_end(k)
            return snap

    def forget(self) -> None:
        with self._lock:
            self._full = None
            self._snapshots = OrderedDict()
            self._shared = {}


register = _Register()


def read_stamp() -> Stamp:
    """The register's state: the newest load's id and time (an id can be reused after a
    rolled-back transaction, the time cannot). One small query, asked on every request:
    written in SQL rather than built by the ORM each time."""
    from django.db import connection

    from frisat.registry.models import Load

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, loaded_at FROM {Load._meta.db_table} "
                       "ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    if row is None:
        return None
    when = row[1] if isinstance(row[1], dt.datetime) else dt.datetime.fromisoformat(row[1])
    return int(row[0]), when if when.tzinfo else when.replace(tzinfo=dt.UTC)


_LATER: Any = object()


def stamp() -> Stamp:
    """The stamp of the current request or command (read on first use, then fixed), else a
    fresh one."""
    s = _request_stamp.get()
    if s is _UNSET:
        return read_stamp()
    if s is _LATER:
        s = read_stamp()
        _request_stamp.set(s)
    return s  # type: ignore[no-any-return]


def begin(s: Stamp | object = _LATER) -> Any:
    """Fix the register state for the rest of this request or command: the given stamp, or
    the one read when the first question needs it."""
    return _request_stamp.set(s)


def end(token: Any) -> None:
    _request_stamp.reset(token)


def snapshot(known_at: dt.datetime) -> Snapshot:
    """The register as known at K, for the current register state."""
    return register.snapshot(known_at, stamp())


# --------------------------------------------------------------------------- on disk
# The reading commands answer without starting Django: the register as of its newest load
# is kept beside the database in two files named by the database, the load and the code
# that wrote them: the engine over the register as known now (read by every command) and
# the full history (read only for an earlier record time).

_PICKLED = ("engine/model.py", "engine/verdict.py", "engine/reasons.py", "engine/tree.py",
            "engine/listing.py", "engine/index.py", "engine/stretches.py",
            "registry/bundle.py")


def code_fingerprint() -> str:
    """Changes whenever a module whose objects are kept in the files changes."""
    import hashlib
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(sys.version.encode())
    for name in _PICKLED:
        h.update((root / name).read_bytes())
    return h.hexdigest()[:16]


def _stamp_text(s: Stamp) -> str:
    if s is None:
        return "empty"
    return f"{s[0]}-{s[1].astimezone(dt.UTC).strftime('%Y%m%dT%H%M%S%f')}"


def files_for(folder: Any, database: str, s: Stamp) -> tuple[Any, Any]:
    """(the file of the register known now, the file of its full history)."""
    import hashlib
    from pathlib import Path

    db = hashlib.sha256(database.encode()).hexdigest()[:12]
    stem = f"register-{db}-{_stamp_text(s)}-{code_fingerprint()}"
    return Path(folder) / f"{stem}.now.pickle", Path(folder) / f"{stem}.full.pickle"


def _write(path: Any, obj: object) -> None:
    import os
    import pickle

    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with open(tmp, "wb", opener=lambda p, f: os.open(p, f, 0o600)) as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def _read(path: Any) -> Any:
    import pickle

    with open(path, "rb") as fh:
        gc.disable()  # many small immutable objects: no collection while reading
        try:
            return pickle.load(fh)
        finally:
            gc.enable()


def persist(folder: Any, database: str, schema_print: str) -> None:
    """Write the current register state for the reading commands (atomically).

    ``schema_print`` is ``schema.fingerprint`` of the database's applied migrations: a
    reading command uses the files only while the database still has that schema."""
    from pathlib import Path

    s = stamp()
    snap = snapshot(now_instant())
    now_file, full_file = files_for(folder, database, s)
    if now_file.exists() and full_file.exists():
        return
    Path(folder).mkdir(parents=True, exist_ok=True, mode=0o700)
    _write(full_file, snap.full)
    _write(now_file, {"latest": register.latest, "engine": snap.engine,
                      "schema": schema_print})
    prefix = now_file.name.rsplit("-", 3)[0] + "-"
    for old in Path(folder).glob(prefix + "*.pickle"):  # earlier states of this database
        if old not in (now_file, full_file):
            old.unlink(missing_ok=True)


def install(folder: Any, database: str, s: Stamp, schema_print: str) -> bool:
    """Take the register state from its files, if they exist and fit; True when done."""
    import pickle

    now_file, full_file = files_for(folder, database, s)
    try:
        kept = _read(now_file)
    except (OSError, EOFError, pickle.UnpicklingError):
        return False
    if kept["schema"] != schema_print or not full_file.exists():
        return False
    register.install(s, lambda: _read(full_file), kept["latest"], kept["engine"])
    return True


def now_instant() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
