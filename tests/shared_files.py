"""The reference files beside the repository (``../shared``) that the data tests read.

They are part of the test input, not optional: a missing file fails the test. Only a
person who deliberately works without ``../shared`` may skip those tests, by setting
``FRISAT_WITHOUT_SHARED=1``; that is ignored when ``CI`` is set (CI always has them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
LAWTEXTS = SHARED / "reference" / "lawtexts"
OPT_OUT = "FRISAT_WITHOUT_SHARED"


def require(path: Path) -> None:
    """Fail when ``path`` is missing (skip only on an explicit opt-out outside CI)."""
    if path.exists():
        return
    if os.environ.get(OPT_OUT) and not os.environ.get("CI"):
        pytest.skip(f"{path} is not present and {OPT_OUT} is set")
    pytest.fail(f"{path} is missing: the data tests read ../shared beside the repository "
                f"(set {OPT_OUT}=1 to skip them on a machine without it; never in CI)")
