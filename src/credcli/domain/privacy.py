"""Which fields are private, and the one redaction every export and listing uses.

A redacted export keeps every column (so a spreadsheet built on the layout still
works) and replaces the value of a date of birth or a contact detail with
``REDACTED``. A blank value stays blank: it reveals nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

REDACTED = "REDACTED"
#: Row keys holding a provider's date of birth or contact details. A listing that
#: shows such data must use these keys so ``--redact`` covers it.
PERSONAL_FIELDS = frozenset({"dob", "email", "phone", "address", "city", "zip_code"})


def redact(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Copies of ``rows`` with personal values replaced, nested lists of rows included."""
    return [redact_record(row) for row in rows]


def redact_record(record: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in record.items():
        if key in PERSONAL_FIELDS and value not in (None, ""):
            clean[key] = REDACTED
        elif isinstance(value, list) and all(isinstance(item, Mapping) for item in value):
            clean[key] = redact(value)
        else:
            clean[key] = value
    return clean
