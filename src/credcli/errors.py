"""The one error hierarchy: every failure a user can cause or meet, with its exit code.

Exit codes: 1 something found that needs action (raised by commands that say so),
2 usage or input error, 3 database or environment error.
"""

from __future__ import annotations


class CredcliError(Exception):
    """Base of every error shown to a user as one message and an exit code."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(CredcliError):
    """A value, option or file the user gave is not acceptable."""

    exit_code = 2


class NotFoundError(InputError):
    """The user named something (an NPI, a file id) that the registry does not hold."""


class ConflictError(InputError):
    """The request contradicts what is stored (a duplicate NPI, an invalid transition)."""


class DatabaseError(CredcliError):
    """The registry cannot be opened, is locked, or is of an unknown schema."""

    exit_code = 3


class EnvironmentProblem(CredcliError):
    """Something outside credcli failed: a mail server, the network, a file system."""

    exit_code = 3


class FieldError(InputError):
    """One field's value is rejected; the message names the field and the value."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        shown = f"{field}: {reason}" if value is None else f"{field} {_show(value)}: {reason}"
        super().__init__(shown)


def _show(value: object) -> str:
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'"
