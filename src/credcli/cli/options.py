"""Options shared by many commands, defined once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="CREDCLI_DB",
        show_default=False,
        help="Registry to use: a file path or a SQLAlchemy URL such as "
        "postgresql+psycopg://user@host/db. Default: registry.db in the user data folder.",
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format: table, json or csv.")
]
_SQLITE_HEADER = b"SQLite format 3\x00"


def workbook_path(value: Path | None) -> Path | None:
    """Refuse, before any work, a --xlsx that Excel could not open or that would destroy a file.

    The name must end in .xlsx, the folder must exist, and an existing file is replaced
    only when it is not a database (a mistyped --xlsx registry.db would wipe the registry).
    """
    if value is None:
        return None
    if value.suffix.lower() != ".xlsx":
        raise typer.BadParameter(f"'{value}' does not end in .xlsx; name the workbook FILE.xlsx")
    if not value.parent.is_dir():
        raise typer.BadParameter(f"cannot write '{value}': folder '{value.parent}' does not exist")
    if value.is_file():
        with value.open("rb") as existing:
            if existing.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER:
                raise typer.BadParameter(
                    f"'{value}' is a database, not a workbook; credcli will not overwrite it"
                )
    return value


XlsxOption = Annotated[
    Path | None,
    typer.Option(
        "--xlsx",
        help="Also write the listing to this Excel workbook (FILE.xlsx, created 0600).",
        dir_okay=False,
        show_default=False,
        callback=workbook_path,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Answer as of this date instead of today (YYYY-MM-DD).", show_default=False
    ),
]
RedactOption = Annotated[
    bool,
    typer.Option(
        "--redact",
        help="Replace dates of birth and contact details (email, phone, address, city, ZIP) "
        "with REDACTED, keeping the columns.",
    ),
]
