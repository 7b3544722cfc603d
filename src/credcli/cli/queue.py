"""``credcli queue``: every open file, what it waits on and what needs attention first."""

from __future__ import annotations

from typing import Annotated

import typer

from credcli.cli import console, output
from credcli.cli.options import AsOfOption, DbOption, Format, FormatOption, XlsxOption
from credcli.cli.pipeline_options import DEFAULT_STALLED_DAYS, StalledDaysOption
from credcli.domain.vocab import FileStage

COLUMNS = [
    ("file", "File"),
    ("provider", "Provider"),
    ("npi", "NPI"),
    ("cycle", "Cycle"),
    ("stage", "Stage"),
    ("age_days", "Age"),
    ("days_in_stage", "In stage"),
    ("idle_days", "Idle"),
    ("assignee", "Assignee"),
    ("open_items", "Items"),
    ("oldest_item_due", "Oldest due"),
    ("recred_due_on", "Recred due"),
    ("next_action", "Next action"),
    ("flags", "Flags"),
]


def queue(
    stage: Annotated[
        FileStage | None,
        typer.Option(
            "--stage",
            help="Only this stage: intake, verification, committee-ready or committee "
            "(decided and withdrawn files are listed by 'credcli file list').",
        ),
    ] = None,
    assignee: Annotated[
        str | None, typer.Option("--assignee", help="Only files assigned to this person.")
    ] = None,
    stalled: Annotated[bool, typer.Option("--stalled", help="Only stalled files.")] = False,
    stalled_days: StalledDaysOption = DEFAULT_STALLED_DAYS,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    xlsx: XlsxOption = None,
    db: DbOption = None,
) -> None:
    """Show the open files, most urgent first, with each file's next action and flags.

    Flags: at-risk (recredentialing due within 30 days or past), past-due (an outstanding
    item is past its due date), stalled (no activity for --stalled-days, default 14).
    Order: at-risk files (nearest deadline first), then past-due, then stalled, then the
    rest; ties go to the file idle longest, then the oldest.

    --as-of D counts ages, idle days, flags and deadlines from D, over the files open
    now and received by D, in their current stage: it looks ahead (what will be stalled
    by Friday) rather than rebuilding the queue of a past day.

    Example: credcli queue --assignee "R. Patel" --stalled --as-of 2026-12-01
    """
    from credcli.services import queue as work_queue
    from credcli.services import registry, settings, when

    if stage in (FileStage.decided, FileStage.withdrawn):
        raise typer.BadParameter("the queue holds open files only; see 'credcli file list'")
    day = when.day("as-of", as_of)
    with registry.session(db) as session:
        rows = work_queue.queue(
            session,
            as_of=day,
            stage=stage.value if stage else None,
            assignee=assignee,
            stalled_only=stalled,
            stalled_days=settings.stalled_days(stalled_days),
        )
    output.render(
        rows,
        fmt,
        COLUMNS,
        title=f"Queue as of {day}",
        empty="no open files match",
        fields=work_queue.ROW_FIELDS,
    )
    if xlsx is not None:
        output.write_xlsx(xlsx, {"Queue": (rows, COLUMNS)})
        console.info(f"wrote {len(rows)} files to {xlsx}")
