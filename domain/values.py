"""Validation of the plain values that aggregates accept. Each check names the failing field."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import TypeVar

from domain.errors import InvalidValue

NAME_MAX = 200
TEXT_MAX = 5000
EMAIL_MAX = 254

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# ODS codes are short upper-case alphanumerics, e.g. RX1, 15M, RTH08.
_ODS = re.compile(r"^[A-Z0-9]{3,10}$")

E = TypeVar("E", bound=StrEnum)


#: The NHS Change Model's component keys, the same under its 2012 and 2018 labels. Labels,
#: sides and later framework versions are data (see domain/framework.py); the keys are the
#: stable vocabulary that decisions and reviews refer to.
CHANGE_MODEL_KEYS = (
    "shared_purpose",
    "leadership",
    "engagement",
    "spread",
    "improvement",
    "delivery",
    "measurement",
    "system_drivers",
)


class OrganisationKind(StrEnum):
    COMMISSIONER = "commissioner"
    PROVIDER = "provider"
    PARTNER = "partner"


class ParticipationRole(StrEnum):
    LEAD_COMMISSIONER = "lead_commissioner"
    COMMISSIONER = "commissioner"
    PROVIDER = "provider"
    PARTNER = "partner"


# Bidirectional embeddings, overrides and isolates make text display in another order than
# it is stored ("Trojan Source"): a name could read as another. Right-to-left scripts need
# none of them; the Unicode bidirectional algorithm lays them out.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters that show nothing on their own: separators, format characters (zero-width
# spaces and joiners) and combining marks. Allowed within text, not as all of it.
_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cf", "Mn", "Me", "Cc"})


def check_text(field: str, value: str, *, max_length: int = NAME_MAX, required: bool = True) -> str:
    """Return the value trimmed and NFC-normalised, or raise naming the field."""
    if any(unicodedata.category(ch) == "Cs" for ch in value):
        # Only reachable from Python callers (the JSON decoder refuses them): no database
        # can store half of a UTF-16 pair.
        raise InvalidValue(field, "must not contain unpaired surrogates")
    cleaned = unicodedata.normalize("NFC", value).strip()
    if required and all(unicodedata.category(ch) in _INVISIBLE for ch in cleaned):
        raise InvalidValue(field, "must not be empty or only whitespace or invisible characters")
    if len(cleaned) > max_length:
        raise InvalidValue(field, f"must be at most {max_length} characters")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in cleaned):
        raise InvalidValue(field, "must not contain control characters")
    if not _BIDI_CONTROLS.isdisjoint(cleaned):
        raise InvalidValue(
            field, "must not contain bidirectional override characters (U+202A-E, U+2066-9)"
        )
    return cleaned


def check_email(field: str, value: str) -> str:
    cleaned = check_text(field, value, max_length=EMAIL_MAX)
    if not _EMAIL.match(cleaned):
        raise InvalidValue(field, "must be an email address like name@example.org")
    # The domain part is case-insensitive; the local part is kept as given but compared lowered.
    return cleaned.lower()


def check_ods_code(field: str, value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = value.strip().upper()
    if not cleaned:
        return None
    if not _ODS.match(cleaned):
        raise InvalidValue(field, "must be 3 to 10 letters or digits, like RX1 or 15M")
    return cleaned


def check_choice(field: str, value: str, choices: type[E]) -> E:
    try:
        return choices(value)
    except ValueError:
        allowed = ", ".join(c.value for c in choices)
        raise InvalidValue(field, f"must be one of: {allowed}") from None
