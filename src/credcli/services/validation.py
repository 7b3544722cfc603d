"""Input models for what a coordinator types or a roster holds, validated with pydantic.

Every rejection names the field and the value, so "npi '1234567898': check digit
does not match" can be printed as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from credcli.domain import dates, identifiers, places
from credcli.domain.vocab import CredentialKind, CredentialStatus, ProviderStatus
from credcli.errors import FieldError

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_TAXONOMY = re.compile(r"^[0-9]{3}[0-9A-Z]{6}X$")
# ASCII digits only: \d and str.isdigit() also take Arabic-Indic (٠٨٧٥٢) or full-width
# (１２３４５) digits, which no payer, CAQH or mail system reads.
_PHONE_DIGITS = re.compile(r"[0-9]")
_ZIP = re.compile(r"^[0-9]{5}(-?[0-9]{4})?$")
_CAQH = re.compile(r"^[0-9]{5,10}$")
_NUMBER_TEXT = re.compile(r"^[0-9]+\.0+$")  # a number saved to CSV from a float: 8752.0
_OTHER_DIGITS = "is written with digits other than 0-9; retype it with 0-9"


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _npi(value: Any) -> str:
    npi = identifiers.normalize_npi(value)
    problem = identifiers.npi_problem(npi)
    if problem:
        raise ValueError(problem)
    return npi


def _date(value: Any, *, past: bool = False) -> dt.date | None:
    value = _blank_to_none(value)
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dates.parse_date(str(value), past=past)
    except dates.DateProblem as exc:
        raise ValueError(str(exc)) from None


def _any_date(value: Any) -> dt.date | None:
    return _date(value)


MIN_AGE_YEARS = 18  # no licensed clinician is younger; a later date of birth is a typo
NOTES_LIMIT = 4000  # characters of free text (notes, reasons) kept per field


def _birth_date(value: Any) -> dt.date | None:
    born = _date(value, past=True)
    if born is not None:
        today = dates.today()
        if born >= today:
            raise ValueError("a date of birth must be in the past")
        if born.year < 1900:
            raise ValueError("a date of birth before 1900 is not plausible")
        if born > dates.add_months(today, -12 * MIN_AGE_YEARS):
            raise ValueError(
                f"makes the provider younger than {MIN_AGE_YEARS}: not plausible for a clinician"
            )
    return born


def _name(value: Any) -> str:
    value = _blank_to_none(value)
    if value is None:
        raise ValueError("is required")
    return " ".join(str(value).split())


def _opt_text(value: Any) -> str | None:
    value = _blank_to_none(value)
    return None if value is None else " ".join(str(value).split())


def _state(value: Any) -> str | None:
    value = _blank_to_none(value)
    if value is None:
        return None
    code = str(value).upper()
    if code not in places.US_STATES:
        raise ValueError("is not a US state or territory code (e.g. CA)")
    return code


def _email(value: Any) -> str | None:
    value = _blank_to_none(value)
    if value is None:
        return None
    if not _EMAIL.match(str(value)):
        raise ValueError("is not an email address")
    return str(value)


def _other_digits(text: str) -> bool:
    """True when ``text`` holds a digit that is not 0-9 (Arabic-Indic, full-width, ...)."""
    return not text.isascii() and any(c.isdigit() and not c.isascii() for c in text)


def _phone(value: Any) -> str | None:
    value = _blank_to_none(value)
    if value is None:
        return None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if _other_digits(text):
        raise ValueError(_OTHER_DIGITS)
    if len(_PHONE_DIGITS.findall(text)) < 10:
        raise ValueError("a phone number has at least 10 digits")
    return text


def _taxonomy(value: Any) -> str | None:
    value = _blank_to_none(value)
    if value is None:
        return None
    code = str(value).upper()
    if not _TAXONOMY.match(code):
        raise ValueError("a NUCC taxonomy code is 10 characters ending in X (e.g. 207R00000X)")
    return code


def _zip(value: Any) -> str | None:
    value = _blank_to_none(value)
    if value is None:
        return None
    if isinstance(value, str):
        if _other_digits(value):
            raise ValueError(_OTHER_DIGITS)
        if _NUMBER_TEXT.match(value):  # 8752.0 -> 08752, as for a number cell
            value = int(value.split(".", 1)[0])
    code = places.normalize_zip(value)
    if not _ZIP.match(code):
        raise ValueError("a ZIP code is 5 or 9 digits")
    return code


def _caqh(value: Any) -> str | None:
    value = _blank_to_none(value)
    if value is None:
        return None
    if isinstance(value, str) and _other_digits(value):
        raise ValueError(_OTHER_DIGITS)
    text = identifiers.normalize_npi(value)  # same spreadsheet quirks as an NPI
    if not _CAQH.match(text):
        raise ValueError("a CAQH ProView ID is 5 to 10 digits")
    return text


Npi = Annotated[str, BeforeValidator(_npi)]
Name = Annotated[str, BeforeValidator(_name)]
Text = Annotated[str | None, BeforeValidator(_opt_text)]
Date = Annotated[dt.date | None, BeforeValidator(_any_date)]
BirthDate = Annotated[dt.date | None, BeforeValidator(_birth_date)]
State = Annotated[str | None, BeforeValidator(_state)]
Email = Annotated[str | None, BeforeValidator(_email)]
Phone = Annotated[str | None, BeforeValidator(_phone)]
Taxonomy = Annotated[str | None, BeforeValidator(_taxonomy)]
Zip = Annotated[str | None, BeforeValidator(_zip)]
CaqhId = Annotated[str | None, BeforeValidator(_caqh)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProviderFields(_Input):
    """Everything about a provider a coordinator may set; all optional for updates."""

    stored_in: ClassVar[str] = "providers"

    first_name: Name | None = None
    middle_name: Text = None
    last_name: Name | None = None
    suffix: Text = None
    degree: Text = None
    specialty: Text = None
    taxonomy: Taxonomy = None
    dob: BirthDate = None
    email: Email = None
    phone: Phone = None
    address: Text = None
    city: Text = None
    state: State = None
    zip_code: Zip = None
    caqh_id: CaqhId = None
    status: ProviderStatus | None = None
    initial_cred_date: Date = None
    last_cred_date: Date = None
    next_recred_due: Date = None
    notes: Text = None


class NewProvider(ProviderFields):
    npi: Npi
    first_name: Name
    last_name: Name


class CredentialFields(_Input):
    stored_in: ClassVar[str] = "credentials"

    kind: CredentialKind | None = None
    number: Text = None
    state: State = None
    issuer: Text = None
    detail: Text = None
    issued_on: Date = None
    expires_on: Date = None
    status: CredentialStatus | None = None
    notes: Text = None


class NewCredential(CredentialFields):
    kind: CredentialKind


M = TypeVar("M", bound=BaseModel)

FIELD_LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "middle_name": "middle name",
    "dob": "date of birth",
    "zip_code": "zip",
    "caqh_id": "CAQH ID",
    "issued_on": "issued",
    "expires_on": "expires",
    "initial_cred_date": "initial credentialing date",
    "last_cred_date": "last credentialing date",
    "next_recred_due": "next recredentialing date",
}


def validate(model: type[M], data: dict[str, Any]) -> M:
    """Build ``model`` from ``data`` or raise a FieldError naming the first bad field.

    Text longer than its registry column holds is refused here, with the field's name,
    rather than by the database (PostgreSQL) or not at all (SQLite).
    """
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "input"
        raw = data.get(field, error.get("input"))
        reason = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            raise FieldError(FIELD_LABELS.get(field, field), None, "is required") from None
        elif error["type"] == "enum":
            reason = reason.replace("Input should be", "must be one of")
        elif error["type"] == "extra_forbidden":
            reason = "is not a field credcli keeps"
        label = FIELD_LABELS.get(field, field)
        if field == "dob":  # never echo a birth date back (privacy)
            raise FieldError(label, "(hidden)", reason) from None
        raise FieldError(label, "" if raw is None else raw, reason) from None
    _check_lengths(result)
    return result


def text_limit(table: str, field: str) -> int:
    """How many characters the registry keeps for ``field`` (free text: NOTES_LIMIT)."""
    from credcli.db.models import Base

    length = getattr(Base.metadata.tables[table].c[field].type, "length", None)
    return int(length) if length else NOTES_LIMIT


def check_length(label: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise FieldError(label, value, f"is longer than {limit} characters")


def _check_lengths(result: BaseModel) -> None:
    table = getattr(result, "stored_in", None)
    if table is None:
        return
    for name in type(result).model_fields:
        value = getattr(result, name)
        if isinstance(value, str) and not isinstance(value, Enum):
            check_length(FIELD_LABELS.get(name, name), value, text_limit(table, name))


# The same checks by field name, for bulk readers (roster import) that validate one
# cell at a time: same rules and messages as the models, without a model per row.
FIELD_CHECKS: dict[str, Callable[[Any], Any]] = {
    "npi": _npi,
    "first_name": _name,
    "last_name": _name,
    "middle_name": _opt_text,
    "suffix": _opt_text,
    "degree": _opt_text,
    "specialty": _opt_text,
    "taxonomy": _taxonomy,
    "dob": _birth_date,
    "email": _email,
    "phone": _phone,
    "address": _opt_text,
    "city": _opt_text,
    "state": _state,
    "zip_code": _zip,
    "caqh_id": _caqh,
    "notes": _opt_text,
    "text": _opt_text,
    "date": _any_date,
}
