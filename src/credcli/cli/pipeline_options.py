"""Options shared by the pipeline commands (file, queue, committee, payer)."""

from __future__ import annotations

from typing import Annotated

import typer

from credcli.domain.pipeline import STALLED_DAYS

DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="Business date of the change (default today; not in the future).",
        show_default=False,
    ),
]
NoteOption = Annotated[str | None, typer.Option("--note", help="A note for the record.")]
FileIdArg = Annotated[int, typer.Argument(metavar="FILE_ID", help="Credentialing file number.")]
ItemIdArg = Annotated[
    int, typer.Argument(metavar="ITEM_ID", help="Outstanding item number (see 'file show').")
]
StalledDaysOption = Annotated[
    int | None,
    typer.Option(
        "--stalled-days",
        min=1,
        envvar="CREDCLI_STALLED_DAYS",
        show_default=False,
        help="Days without activity after which a file counts as stalled (default: "
        f"CREDCLI_STALLED_DAYS, else stalled_days in config.toml [queue], else {STALLED_DAYS}).",
    ),
]
DEFAULT_STALLED_DAYS = None
