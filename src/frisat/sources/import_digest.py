"""A consolidation imported again, unchanged, known as a no-op without reading its rows.

An import is idempotent: importing the same document again into the register it left
adds nothing. So after an import of a consolidation (not a dry run) the importer keeps,
per act (``registry.models.ImportDigest``), a digest of what decided its plan (the parsed
document, the key, the in-force date and exclusions given, and the importer's own code),
the register's stamp after it (its newest load: ``snapshot.read_stamp``) and what a no-op
import of it reports (the count skipped, the regimes' listings that find no version).

An import whose digest and stamp match (nothing has been written to the register since,
by any load) and whose record time is not before that stamp is that no-op: it returns
the kept report without reading and comparing the act's rows. Anything else (another
document, another load in between, an amending act, a dry run's plan) goes the full way.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from frisat.engine import model as m
from frisat.registry.errors import InputError
from frisat.sources.lexdania import ParsedAct

# the code an import's outcome depends on: a new release plans afresh
_CODE = ("sources/acts.py", "sources/act_records.py", "sources/lexdania.py",
         "sources/import_digest.py", "law/citation.py", "registry/loader.py",
         "registry/validate.py", "registry/store.py", "engine/model.py")


@dataclass(frozen=True)
class Noop:
    """What an import of an unchanged document reports."""

    skipped: int
    warnings: list[InputError]


@functools.cache
def _code() -> bytes:
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for name in _CODE:
        h.update((root / name).read_bytes())
    return h.digest()


def digest(parsed: ParsedAct, key: str, when: dt.date,
           exclusions: tuple[m.Exclusion, ...]) -> str | None:
    """The digest of an import of a consolidation, None for any other import (an
    amending act applies instructions whose outcome depends on what it finds)."""
    if not parsed.has_body or parsed.is_amending:
        return None
    parts = [repr((key, when, exclusions, parsed.meta))]
    for n in parsed.walk():  # the tree: each node's own values and its number of children
        parts.append("\x1f".join((n.kind, n.label, n.ref, n.parent, n.heading,
                                  "\x1d".join(n.lines), str(len(n.children)))))
    h = hashlib.sha256(_code())
    h.update("\x1e".join(parts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def noop(key: str, digest: str, now: dt.datetime) -> Noop | None:
    """The kept report when an import with ``digest`` at ``now`` is a no-op, else None.
    Inside the import's transaction (the writers' lock is taken first, as for a read to
    write over)."""
    from frisat.registry.locking import serialize_writes
    from frisat.registry.models import ImportDigest
    from frisat.registry.snapshot import read_stamp

    serialize_writes()
    kept = ImportDigest.objects.filter(act=key, digest=digest).first()
    if kept is None:
        return None
    stamp = read_stamp()
    if stamp != (kept.stamp_id, kept.stamp_at) or now < kept.stamp_at:
        return None
    return Noop(kept.skipped, [InputError(**w) for w in kept.warnings])


def keep(key: str, digest: str, again: Noop) -> None:
    """After an import, in its transaction: what an import of the same again reports."""
    from frisat.registry.models import ImportDigest
    from frisat.registry.snapshot import read_stamp

    stamp = read_stamp()
    if stamp is None:
        return
    ImportDigest.objects.update_or_create(act=key, defaults=dict(
        digest=digest, stamp_id=stamp[0], stamp_at=stamp[1], skipped=again.skipped,
        warnings=[w.to_json() for w in again.warnings]))
