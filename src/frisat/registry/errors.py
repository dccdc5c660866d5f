"""Errors for bad input: each names the record path, the field and a stable code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputError:
    path: str  # e.g. "decisions[3].effective_from"
    code: str  # stable, for programs: too_early, conflict, unknown_provision …
    message: str  # Danish, for people
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        return f"{self.path}: {self.code} — {self.message}"

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message,
                "severity": self.severity}


class Rejected(Exception):
    """Input was rejected as a whole; nothing was stored."""

    def __init__(self, errors: list[InputError], warnings: list[InputError] | None = None):
        self.errors = errors
        self.warnings = warnings or []
        super().__init__("\n".join(str(e) for e in errors))
