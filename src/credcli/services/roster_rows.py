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

from credcli.domain import dates, identifiers
from credcli.domain import roster_fields as rf
from credcli.domain.roster_values import cell_date, clean, shown
from credcli.domain.vocab import CREDENTIAL_KIND_LABELS, CredentialKind, ProviderStatus
from credcli.services.roster_layout import Column, Layout
from credcli.services.validation import FIELD_CHECKS

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


@dataclass
class CredentialIn:
    kind: str
    values: dict[str, Any]  # stored column -> value, only what the row gives


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


class RowParser:
    def __init__(self, layout: Layout, *, dayfirst: bool = False) -> None:
        self.layout = layout
        self.dayfirst = dayfirst
        npi = layout.column("npi")
        assert npi is not None
        self.npi_column = npi
        self.provider_columns: list[tuple[Column, Callable[[Any], Any]]] = []
        self.groups: dict[tuple[str, int], dict[str, Column]] = {}
        for column in layout.columns:
            target = column.target
            kind = rf.kind_of(target.field)
            if kind is None:
                if target.field != "npi":
                    self.provider_columns.append((column, self._check_for(target.field)))
            else:
                part = target.field[len(kind) + 1 :]
                self.groups.setdefault((kind, target.slot), {})[part] = column

    def _check_for(self, name: str) -> Callable[[Any], Any]:
        if name == "status":
            return _status
        if name in rf.DATE_FIELDS:
            past = name == "dob"

            def check_date(value: Any) -> Any:
                try:
                    day = cell_date(value, dayfirst=self.dayfirst, past=past)
                except dates.DateProblem as exc:
                    raise ValueError(str(exc)) from None
                return FIELD_CHECKS["dob"](day) if past else day

            return check_date
        base = FIELD_CHECKS[name]
        return lambda value: base(value if isinstance(value, str) else shown(value))

    def parse(self, row: int, cells: list[Any]) -> ParsedRow | None:
        """The row's data; None for a blank row; RowProblem listing every bad cell."""
        values = [clean(cell) for cell in cells]
        if all(value is None for value in values):
            return None
        width = len(values)
        problems: list[str] = []
        raw_npi = values[self.npi_column.index] if self.npi_column.index < width else None
        npi = ""
        if raw_npi is None:
            problems.append(problem(self.npi_column, None, "is required"))
        else:
            npi = identifiers.normalize_npi(raw_npi)
            reason = identifiers.npi_problem(npi)
            if reason:
                problems.append(problem(self.npi_column, raw_npi, reason))
        provider: dict[str, Any] = {}
        for column, check in self.provider_columns:
            value = values[column.index] if column.index < width else None
            if value is None:
                continue
            try:
                provider[column.target.field] = check(value)
            except ValueError as exc:
                problems.append(problem(column, value, str(exc)))
        credentials = []
        for (kind, _slot), parts in self.groups.items():
            found = self._credential(kind, parts, values, problems)
            if found is not None:
                credentials.append(found)
        if problems:
            raise RowProblem(problems)
        return ParsedRow(row, cells, npi, self.npi_column, provider, credentials)

    def _credential(
        self, kind: str, parts: dict[str, Column], values: list[Any], problems: list[str]
    ) -> CredentialIn | None:
        width = len(values)
        given = {
            part: values[column.index]
            for part, column in parts.items()
            if column.index < width and values[column.index] is not None
        }
        if not given:
            return None
        stored: dict[str, Any] = {}
        before = len(problems)
        for part, value in given.items():
            column = parts[part]
            try:
                stored[STORED_AS[kind][part]] = self._credential_value(kind, part, value)
            except ValueError as exc:
                problems.append(problem(column, value, str(exc)))
        if len(problems) > before:
            return None
        label = CREDENTIAL_KIND_LABELS[CredentialKind(kind)]
        for needed, what in REQUIRED[kind]:
            if any(part in given for part in needed):
                continue
            empty = parts.get(needed[0])
            if empty is not None:
                problems.append(problem(empty, None, f"is empty, but a {label} needs {what}"))
            else:
                first = next(iter(given))
                problems.append(
                    problem(
                        parts[first],
                        given[first],
                        f"a {label} needs {what}, and no column holds it (add one or use --map)",
                    )
                )
        issued, expires = stored.get("issued_on"), stored.get("expires_on")
        if isinstance(issued, dt.date) and isinstance(expires, dt.date) and expires < issued:
            problems.append(
                problem(parts["expires"], given["expires"], f"is before the issue date {issued}")
            )
        if len(problems) > before:
            return None
        return CredentialIn(kind, stored)

    def _credential_value(self, kind: str, part: str, value: Any) -> Any:
        if part in ("expires", "issued"):
            try:
                return cell_date(value, dayfirst=self.dayfirst)
            except dates.DateProblem as exc:
                raise ValueError(str(exc)) from None
        if part == "state":
            return FIELD_CHECKS["state"](shown(value))
        if kind == "dea" and part == "number":
            dea = identifiers.normalize_dea(shown(value))
            reason = identifiers.dea_problem(dea)
            if reason:
                raise ValueError(reason)
            return dea
        return FIELD_CHECKS["text"](shown(value))


def _status(value: Any) -> str:
    text = shown(value).strip().lower()
    try:
        return ProviderStatus(text).value
    except ValueError:
        raise ValueError(f"must be one of {_STATUSES}") from None
