"""Dates typed on the command line, checked once with a message naming the option."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from credcli.domain import dates
from credcli.errors import FieldError

FromOption = Annotated[
    str | None,
    typer.Option("--from", help="First day of the period (YYYY-MM-DD).", show_default=False),
]
ToOption = Annotated[
    str | None,
    typer.Option("--to", help="Last day of the period (YYYY-MM-DD).", show_default=False),
]


def parse_day(option: str, text: str | None) -> dt.date | None:
    """``text`` as a date, or None when the option was not given; exit 2 when not a date."""
    if text is None:
        return None
    try:
        return dates.parse_date(text)
    except dates.DateProblem as problem:
        raise FieldError(option, text, str(problem)) from None
