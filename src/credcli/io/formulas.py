"""CSV/Excel injection (OWASP): text a spreadsheet would run as a formula is defused.

A cell starting with = + - @, a tab or a carriage return is written with a leading
apostrophe, so Excel, LibreOffice and Google Sheets show it as text. Every CSV and
Excel writer of credcli goes through :func:`defuse`; it is idempotent.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def defuse(value: Any) -> Any:
    """Neutralise a text cell that a spreadsheet would evaluate as a formula.

    Non-text values and text that is only a number ("-5", "+1.5") cannot run
    anything and are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


# XML 1.0, and so an .xlsx cell, cannot hold the C0 control characters other than tab,
# newline and carriage return (openpyxl refuses them); a CSV roster or a typed value can.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_safe(value: Any) -> Any:
    """Text an .xlsx cell can hold: control characters XML forbids become U+FFFD (shown,
    not silently dropped). Anything else is returned unchanged."""
    if isinstance(value, str) and not value.isprintable() and _NOT_IN_XML.search(value):
        return _NOT_IN_XML.sub("\ufffd", value)
    return value
