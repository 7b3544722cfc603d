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
