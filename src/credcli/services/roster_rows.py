"""One roster row into a provider and their credentials, or the reasons it cannot be.

Each cell is checked with the same rules and messages as ``credcli intake new`` and
``credcli credential add`` (services/validation.py), one cell at a time rather than a
pydantic model per row, which a 100,000-row roster cannot afford. Every problem
names the column and the value; a date of birth is never echoed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String

from credcli.db.models import Credential, Provider
from credcli.domain import dates, identifiers
from credcli.domain import roster_fields as rf
from credcli.domain.roster_values import CellError, cell_date, clean, shown
from credcli.domain.vocab import CREDENTIAL_KIND_LABELS, CredentialKind, ProviderStatus
from credcli.services.roster_layout import Column, Layout
from credcli.services.validation import FIELD_CHECKS, NOTES_LIMIT

# Roster parts of each kind -> the credential column they are stored in.
STORED_AS: dict[str, dict[str, str]] = {
    "license": {
        "number": "number",
        "state": "state",
        "issued": "issued_on",
        "expires": "expires_on",
    },
    "dea": {"number": "number", "expires": "expires_on"},
    "cds": {"number": "number", "state": "state", "expires": "expires_on"},
    "board": {"name": "issuer", "specialty": "detail", "expires": "expires_on"},
    "malpractice": {"carrier": "issuer", "policy": "number", "expires": "expires_on"},
}
# What each kind cannot be recorded without: (parts, any one of them, what to call it).
REQUIRED: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "license": [(("number",), "its number"), (("state",), "the issuing state")],
    "dea": [(("number",), "its number")],
    "cds": [(("number",), "its number"), (("state",), "the issuing state")],
    "board": [(("name",), "the board's name")],
    "malpractice": [(("carrier", "policy"), "the carrier or the policy number")],
}
_STATUSES = ", ".join(s.value for s in ProviderStatus)
# Payer rosters' words for a status credcli names otherwise.
_STATUS_WORDS = {"termed": "terminated", "term": "terminated", "terminate": "terminated"}
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_BOOLEAN = "is TRUE/FALSE (a checkbox), not a value credcli can keep here"


@dataclass
class CredentialIn:
    kind: str
    values: dict[str, Any]  # stored column -> value, only what the row gives
    group: _Group | None = None  # the row's columns it came from, for messages


@dataclass
class ParsedRow:
    row: int
    cells: list[Any]
    npi: str
    npi_column: Column
    provider: dict[str, Any]  # provider field -> value, only what the row gives
    credentials: list[CredentialIn] = field(default_factory=list)


class RowProblem(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def problem(column: Column, value: Any, reason: str) -> str:
    if value is None:
        return f"{column.name}: {reason}"
    if column.target.field == "dob":  # a birth date is never echoed (privacy)
        return f"{column.name} (hidden): {reason}"
    text = shown(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{column.name} '{text}': {reason}"


@dataclass
class _Group:
    """The columns of one credential on the row (a kind, and a slot for licenses/CDS)."""

    kind: str
    label: str
    parts: dict[str, Column]
    cells: list[tuple[str, int, str, Callable[[Any], Any]]]  # part, index, stored as, check


class RowParser:
    def __init__(
        self,
        layout: Layout,
        *,
        dayfirst: bool = False,
        delimiter: str | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.layout = layout
        self.dayfirst = dayfirst
        self.delimiter = delimiter  # a CSV file's; None for a workbook
        self.today = dates.today() if today is None else today
        # Columns up to the last one with a header; a value further right means nothing.
        self.width = max((i + 1 for i, header in enumerate(layout.headers) if header), default=0)
        # Columns inside that width with a blank header: a value there would be dropped.
        self.unheaded = [i for i, header in enumerate(layout.headers[: self.width]) if not header]
        npi = layout.column("npi")
        assert npi is not None
        self.npi_column = npi
        self.provider_columns: list[tuple[Column, str, Callable[[Any], Any]]] = []
        parts_of: dict[tuple[str, int], dict[str, Column]] = {}
        for column in layout.columns:
            target = column.target
            kind = rf.kind_of(target.field)
            if kind is None:
                if target.field != "npi":
                    check = _limited(self._check_for(target.field), _length(Provider, target.field))
                    self.provider_columns.append((column, target.field, check))
            else:
                part = target.field[len(kind) + 1 :]
                parts_of.setdefault((kind, target.slot), {})[part] = column
        self.groups = [
            _Group(
                kind,
                CREDENTIAL_KIND_LABELS[CredentialKind(kind)],
                parts,
                [
                    (
                        part,
                        column.index,
                        STORED_AS[kind][part],
                        _limited(
                            self._credential_check(kind, part),
                            _length(Credential, STORED_AS[kind][part]),
                        ),
                    )
                    for part, column in parts.items()
                ],
            )
            for (kind, _slot), parts in parts_of.items()
        ]
        # Several licenses (or CDS registrations) on the row: one per state, as stored.
        self.per_state = any(slot > 1 for kind, slot in parts_of if kind in rf.SLOTTED_KINDS)

    def _date_check(self, *, past: bool = False) -> Callable[[Any], Any]:
        dayfirst = self.dayfirst

        def check_date(value: Any) -> Any:
            if type(value) is dt.date and not past:
                return value
            try:
                day = cell_date(value, dayfirst=dayfirst, past=past)
            except dates.DateProblem as exc:
                raise ValueError(str(exc)) from None
            return FIELD_CHECKS["dob"](day) if past else day

        return check_date

    def _happened(self, check: Callable[[Any], Any], what: str) -> Callable[[Any], Any]:
        """An event's date (an issue, a credentialing): refused after today, as
        ``credcli credential add`` and ``committee record`` refuse it."""
        today = self.today

        def check_happened(value: Any) -> Any:
            day = check(value)
            if day > today:
                raise ValueError(f"is in the future (today is {today.isoformat()}); {what}")
            return day

        return check_happened

    def _check_for(self, name: str) -> Callable[[Any], Any]:
        if name == "status":
            return _status
        if name == "terminated_on":
            return _not_after_today(self._date_check())
        if name in ("initial_cred_date", "last_cred_date"):
            return self._happened(
                self._date_check(), "give the day the provider was credentialed (approved)"
            )
        if name in rf.DATE_FIELDS:
            return self._date_check(past=name == "dob")
        base = FIELD_CHECKS["text" if name == "termination_reason" else name]
        if base is FIELD_CHECKS["text"]:
            return _text

        def check(value: Any) -> Any:
            if isinstance(value, str):
                return base(value)
            if isinstance(value, bool):
                raise ValueError(_BOOLEAN)
            return base(shown(value))

        return check

    def _credential_check(self, kind: str, part: str) -> Callable[[Any], Any]:
        if part == "issued":
            return self._happened(self._date_check(), "give the day it was issued")
        if part == "expires":
            return self._date_check()
        if part == "state":
            state = FIELD_CHECKS["state"]
            return lambda value: state(shown(value))
        if kind == "dea" and part == "number":
            return _dea
        return _text

    def parse(self, row: int, cells: list[Any]) -> ParsedRow | None:
        """The row's data; None for a blank row; RowProblem listing every bad cell."""
        values = [clean(cell) for cell in cells]
        if all(value is None for value in values):
            return None
        width = len(values)
        problems: list[str] = []
        if width > self.width:
            extra = self._beyond_header(values)
            if extra is not None:
                if self.delimiter is not None:  # a CSV row's cells have moved: read nothing
                    raise RowProblem([extra])
                problems.append(extra)
        for index in self.unheaded:
            if index < width and values[index] is not None:
                problems.append(_no_header(index))
                break
        raw_npi = values[self.npi_column.index] if self.npi_column.index < width else None
        npi = ""
        if raw_npi is None:
            problems.append(problem(self.npi_column, None, "is required"))
        else:
            npi = identifiers.normalize_npi(raw_npi)
            reason = identifiers.npi_problem(npi)
            if reason:
                if self._repeats_header(values):
                    return None
                if isinstance(raw_npi, CellError):
                    reason = raw_npi.reason
                problems.append(problem(self.npi_column, raw_npi, reason))
        provider: dict[str, Any] = {}
        for column, name, check in self.provider_columns:
            value = values[column.index] if column.index < width else None
            if value is None:
                continue
            if value.__class__ is CellError:
                problems.append(problem(column, value, value.reason))
                continue
            try:
                provider[name] = check(value)
            except ValueError as exc:
                problems.append(problem(column, value, str(exc)))
        if "terminated_on" in provider or "termination_reason" in provider:
            self._termination(provider, values, problems)
        credentials = []
        for group in self.groups:
            found = self._credential(group, values, width, problems)
            if found is not None:
                credentials.append(found)
        if self.per_state and len(credentials) > 1:
            self._one_per_state(credentials, values, problems)
        if problems:
            raise RowProblem(problems)
        return ParsedRow(row, cells, npi, self.npi_column, provider, credentials)

    def _beyond_header(self, values: list[Any]) -> str | None:
        """Why a value right of the last headed column makes the row unreadable, or None.

        In a CSV file such a row has more cells than the header: most often a value
        holding the delimiter without quotes (``1 Main St, Suite 5``), which moves every
        later cell one column to the right. In a workbook nothing moves, but a value
        under no header would be silently dropped. Empty cells there (Excel writes
        them) are harmless. The value is not echoed: a moved cell may be a birth date.
        """
        given = [i for i in range(self.width, len(values)) if values[i] is not None]
        if not given:
            return None
        if self.delimiter is not None:
            name = _DELIMITER_NAMES.get(self.delimiter, f"'{self.delimiter}'")
            return (
                f"has {given[-1] + 1} cells where the header has {self.width} (a {name} "
                'inside a value that is not in "quotes"?); quote that value, or remove the '
                "extra cells"
            )
        return _no_header(given[0])

    def _termination(
        self, provider: dict[str, Any], values: list[Any], problems: list[str]
    ) -> None:
        """A termination date makes the row a termination (a payer roster's Term Date
        often comes without a status); beside any other status it is a contradiction."""
        status = provider.get("status")
        terminated = ProviderStatus.terminated.value
        for name in ("terminated_on", "termination_reason"):
            if name not in provider:
                continue
            if status is None and name == "terminated_on":
                provider["status"] = status = terminated
            elif status != terminated:
                column = self.layout.column(name)
                assert column is not None
                but = (
                    f"the row's Status is {status}"
                    if status
                    else "the row has neither a terminated Status nor a termination date"
                )
                problems.append(
                    problem(
                        column, values[column.index], f"belongs to a terminated provider, but {but}"
                    )
                )

    def _repeats_header(self, values: list[Any]) -> bool:
        """A header row repeated further down (rosters pasted together): not a provider."""
        return all(
            column.index < len(values)
            and rf.normalize_header(shown(values[column.index]))
            == rf.normalize_header(column.header)
            for column in (self.npi_column, *self.layout.columns[:3])
        )

    def _one_per_state(
        self, credentials: list[CredentialIn], values: list[Any], problems: list[str]
    ) -> None:
        """Licenses and CDS registrations are kept one per (kind, state): a row naming
        a state twice would leave which one is meant to the order of the columns."""
        seen: dict[tuple[str, Any], _Group] = {}
        for credential in credentials:
            state = credential.values.get("state")
            group = credential.group
            if credential.kind not in rf.SLOTTED_KINDS or state is None or group is None:
                continue
            first = seen.setdefault((credential.kind, state), group)
            if first is not group:
                column = group.parts["state"]
                problems.append(
                    problem(
                        column,
                        values[column.index],
                        f"names a second {group.label} in {state} "
                        f"(the first is in {first.parts['state'].name}); "
                        "credcli keeps one per state",
                    )
                )

    def _credential(
        self, group: _Group, values: list[Any], width: int, problems: list[str]
    ) -> CredentialIn | None:
        given: dict[str, Any] = {}
        stored: dict[str, Any] = {}
        bad = False
        for part, index, stored_as, check in group.cells:
            value = values[index] if index < width else None
            if value is None:
                continue
            given[part] = value
            if value.__class__ is CellError:
                problems.append(problem(group.parts[part], value, value.reason))
                bad = True
                continue
            try:
                stored[stored_as] = check(value)
            except ValueError as exc:
                problems.append(problem(group.parts[part], value, str(exc)))
                bad = True
        if not given or bad:
            return None
        before = len(problems)
        for needed, what in REQUIRED[group.kind]:
            if any(part in given for part in needed):
                continue
            empty = group.parts.get(needed[0])
            if empty is not None:
                problems.append(problem(empty, None, f"is empty, but a {group.label} needs {what}"))
            else:
                first = next(iter(given))
                problems.append(
                    problem(
                        group.parts[first],
                        given[first],
                        f"a {group.label} needs {what}, and no column holds it "
                        "(add one or use --map)",
                    )
                )
        issued, expires = stored.get("issued_on"), stored.get("expires_on")
        if issued is not None and expires is not None and expires < issued:
            problems.append(
                problem(
                    group.parts["expires"], given["expires"], f"is before the issue date {issued}"
                )
            )
        if len(problems) > before:
            return None
        return CredentialIn(group.kind, stored, group)


def _length(model: Any, name: str) -> int | None:
    """The column's declared length (PostgreSQL refuses longer text, so check it per
    row); free text (notes, a termination reason) keeps what every command keeps."""
    kind = model.__table__.c[name].type
    if isinstance(kind, String):
        return int(kind.length) if kind.length else NOTES_LIMIT
    return None


def _limited(check: Callable[[Any], Any], limit: int | None) -> Callable[[Any], Any]:
    if limit is None:
        return check

    def within(value: Any) -> Any:
        result = check(value)
        if isinstance(result, str) and len(result) > limit:
            raise ValueError(f"is longer than {limit} characters")
        return result

    return within


def _no_header(index: int) -> str:
    return (
        f"column {rf.column_letter(index)} holds a value but has no header; give the column "
        "a header (credcli lists it as ignored if it does not keep it) or clear the cell"
    )


def _text(value: Any) -> str:
    """Free text (numbers, license and policy numbers too): spaces collapsed."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool):
        raise ValueError(_BOOLEAN)
    return " ".join(shown(value).split())


def _not_after_today(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def check_ended(value: Any) -> Any:
        day = check(value)
        if day > dates.today():
            raise ValueError(
                "is after today: a termination is recorded on or after the provider's last "
                "day (it takes effect at once)"
            )
        return day

    return check_ended


def _dea(value: Any) -> str:
    dea = identifiers.normalize_dea(shown(value))
    reason = identifiers.dea_problem(dea)
    if reason:
        raise ValueError(reason)
    return dea


def _status(value: Any) -> str:
    text = shown(value).strip().lower()
    text = _STATUS_WORDS.get(text, text)
    try:
        return ProviderStatus(text).value
    except ValueError:
        raise ValueError(f"must be one of {_STATUSES}") from None
