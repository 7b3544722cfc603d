"""NPI and DEA numbers: normalisation and check digits.

NPI: Luhn over the first nine digits with the implied prefix 80840 (CMS NPI standard).
DEA: (d1+d3+d5) + 2*(d2+d4+d6); its last digit equals d7 (DEA registration format).
"""

from __future__ import annotations

import re

_NPI_PREFIX_SUM = 24  # Luhn contribution of the implied card-issuer prefix 80840
_DEA_RE = re.compile(r"^[A-Z][A-Z9][0-9]{7}$")


def normalize_npi(value: object) -> str:
    """Return the NPI as 10-digit text, accepting the forms spreadsheets produce.

    Excel hands NPIs over as ints or floats (1234567893.0); text may carry spaces.
    The result is not validated: call :func:`npi_is_valid` for that.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, int):
        return str(value)
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text.replace(" ", "").replace("-", "")


def npi_check_digit(first_nine: str) -> int:
    total = _NPI_PREFIX_SUM
    for index, char in enumerate(reversed(first_nine)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def npi_problem(npi: str) -> str | None:
    """Why ``npi`` is not a valid NPI, or None when it is."""
    if len(npi) != 10 or not npi.isdigit():
        return "an NPI is 10 digits"
    if not npi.isascii():  # "٠" and "１" are digits to Python, not to NPPES
        return "is written with digits other than 0-9; retype it with 0-9"
    if npi[0] not in "12":
        return "an NPI starts with 1 or 2"
    if npi_check_digit(npi[:9]) != int(npi[9]):
        return "check digit does not match (mistyped NPI?)"
    return None


def npi_is_valid(npi: str) -> bool:
    return npi_problem(npi) is None


def normalize_dea(value: object) -> str:
    return "" if value is None else str(value).strip().upper().replace(" ", "")


def dea_problem(dea: str, last_name: str | None = None) -> str | None:
    """Why ``dea`` is not a valid DEA registration number, or None when it is.

    The second letter is usually the registrant's last initial; a mismatch is not
    an error here because business-activity registrants and name changes break it.
    """
    if not _DEA_RE.match(dea):
        return "a DEA number is 2 letters and 7 digits"
    digits = [int(c) for c in dea[2:]]
    total = digits[0] + digits[2] + digits[4] + 2 * (digits[1] + digits[3] + digits[5])
    if total % 10 != digits[6]:
        return "check digit does not match (mistyped DEA number?)"
    return None


def dea_is_valid(dea: str) -> bool:
    return dea_problem(dea) is None
