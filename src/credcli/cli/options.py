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
XlsxOption = Annotated[
    Path | None,
    typer.Option(
        "--xlsx",
        help="Also write the listing to this Excel workbook.",
        dir_okay=False,
        show_default=False,
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
