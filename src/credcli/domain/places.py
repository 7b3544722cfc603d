"""US state and territory codes, as licensing boards and the NPPES file write them."""

from __future__ import annotations

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE "
    "NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY "
    "AS GU MP PR VI".split()
)


def normalize_zip(value: object) -> str:
    """ZIP codes as text with their leading zeros (Excel turns 08752 into 8752)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        digits = str(value)
        return digits.zfill(5) if len(digits) <= 5 else digits.zfill(9)
    text = str(value).strip()
    if text.isdigit() and len(text) < 5:
        return text.zfill(5)
    if text.isdigit() and 5 < len(text) < 9:
        return text.zfill(9)
    return text
