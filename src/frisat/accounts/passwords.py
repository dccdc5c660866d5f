"""A password validator beside Django's own (settings.AUTH_PASSWORD_VALIDATORS).

Django's validators refuse short, common, all-digit passwords and those like the user name;
this one refuses passwords that are blank in all but length: only white space, or only a
few distinct characters repeated ("            ", "aaaaaaaaaaaa", "abababababab").
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

MIN_DISTINCT = 5


class NotBlankValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if not password.strip():
            raise ValidationError("Adgangskoden må ikke bestå af mellemrum alene.",
                                  code="password_blank")
        if len(set(password.strip())) < MIN_DISTINCT:
            raise ValidationError(f"Adgangskoden skal indeholde mindst {MIN_DISTINCT} "
                                  "forskellige tegn.", code="password_too_simple")

    def get_help_text(self) -> str:
        return (f"Adgangskoden skal indeholde mindst {MIN_DISTINCT} forskellige tegn og ikke "
                "kun mellemrum.")
