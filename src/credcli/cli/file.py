"""``credcli file``: open a credentialing file, assign it, move it through its stages."""

from __future__ import annotations

from typing import Annotated

import typer

from credcli.cli import console, file_items, output
from credcli.cli.group import sub_app
from credcli.cli.options import AsOfOption, DbOption, Format, FormatOption, XlsxOption
from credcli.cli.pipeline_options import (
    DEFAULT_STALLED_DAYS,
    DateOption,
    FileIdArg,
    NoteOption,
    StalledDaysOption,
)
from credcli.domain.vocab import FileCycle, FileStage

app = sub_app("Open credentialing files and move them from intake to decision.")

LIST_COLUMNS = [
    ("file", "File"),
    ("npi", "NPI"),
    ("provider", "Provider"),
    ("cycle", "Cycle"),
    ("received_on", "Received"),
    ("stage", "Stage"),
    ("assignee", "Assignee"),
    ("decision", "Decision"),
    ("decision_on", "Decided"),
    ("notice_due_on", "Notice due"),
    ("notice_sent_on", "Notice sent"),
    ("withdrawn_on", "Withdrawn"),
    ("withdrawal_reason", "Reason"),
]
SHOW_SECTIONS: dict[str, output.Columns] = {
    "items": [
        ("id", "Item"),
        ("description", "What"),
        ("status", "Status"),
        ("requested_on", "Requested"),
        ("due_on", "Due"),
        ("follow_ups", "Chased"),
        ("last_follow_up_on", "Last chased"),
        ("received_on", "Received"),
    ],
    "stages": [("stage", "Stage"), ("from", "From"), ("to", "To"), ("days", "Days")],
    "history": [
        ("on", "On"),
        ("kind", "What"),
        ("from", "From"),
        ("to", "To"),
        ("note", "Note"),
        ("by", "By"),
    ],
}
_STAGE_HELP = (
    "intake, verification, committee-ready or committee "
    "(a file becomes decided through 'credcli committee record', "
    "withdrawn through 'credcli file withdraw')."
)
NpiArg = Annotated[str, typer.Argument(help="The provider's NPI.", show_default=False)]


@app.command("open")
def open_(
    npi: NpiArg,
    cycle: Annotated[FileCycle, typer.Option("--cycle", help="initial or recredential.")],
    received: Annotated[
        str | None,
        typer.Option(
            "--received", help="Date the application arrived (default today; not in the future)."
        ),
    ] = None,
    due: Annotated[
        str | None,
        typer.Option(
            "--due",
            help="Recredentialing due date (default: the provider's next recredentialing date, "
            "or 36 months after the last approval).",
        ),
    ] = None,
    assignee: Annotated[str | None, typer.Option("--assignee", help="Who works it.")] = None,
    db: DbOption = None,
) -> None:
    """Open a credentialing file for a provider who has no open file.

    The received date may not be before the provider's previous file was decided or
    withdrawn. A recredentialing file needs a provider credentialed before (open an
    initial file otherwise) and is refused once its 30-day late window ended before today
    (NCQA: the provider is credentialed again as initial).

    Example: credcli file open 1234567893 --cycle recredential --received 2026-11-20
    """
    from credcli.services import files, registry

    with registry.session(db, write=True) as session:
        file = files.open_file(
            session, npi, cycle=cycle, received=received, due=due, assignee=assignee
        )
        due_text = f"; recredentialing due {file.due_on}" if file.due_on else ""
        console.info(
            f"opened {file.cycle} file #{file.id} for {file.provider.display_name} "
            f"(NPI {file.provider.npi}) received {file.received_on}{due_text}"
        )


@app.command("assign")
def assign(
    file_id: FileIdArg,
    assignee: Annotated[str, typer.Argument(metavar="NAME", help="Who takes the file.")],
    on: DateOption = None,
    db: DbOption = None,
) -> None:
    """Give a file to a coordinator.

    Example: credcli file assign 12 "R. Patel"
    """
    from credcli.services import files, registry

    with registry.session(db, write=True) as session:
        changed = files.assign(session, file_id, assignee, on)
    name = " ".join(assignee.split())
    console.info(
        f"file #{file_id} assigned to {name}"
        if changed
        else f"file #{file_id} is already assigned to {name}; nothing changed"
    )


@app.command("stage")
def stage(
    file_id: FileIdArg,
    target: Annotated[FileStage, typer.Argument(metavar="STAGE", help=_STAGE_HELP)],
    on: DateOption = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Move a file to another stage: forward one step, or back to verification.

    Example: credcli file stage 12 committee-ready --date 2026-11-20
    """
    from credcli.services import files, registry

    with registry.session(db, write=True) as session:
        file = files.move(session, file_id, target, on, note)
        console.info(f"file #{file.id} is now in stage {file.stage} since {file.stage_since}")


@app.command("note")
def note(
    file_id: FileIdArg,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What was done or learned.")],
    on: DateOption = None,
    db: DbOption = None,
) -> None:
    """Write a note on a file (a call, an email); it counts as activity on the file.

    Example: credcli file note 12 "left a voicemail for the office manager"
    """
    from credcli.services import files, registry

    with registry.session(db, write=True) as session:
        file = files.note(session, file_id, text, on)
        console.info(f"noted on file #{file.id}")


@app.command("notice")
def notice(
    file_id: FileIdArg,
    sent: Annotated[
        str | None,
        typer.Option("--sent", help="Date the notice went out (default today; not in the future)."),
    ] = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Record that the decision notice was sent to the provider (due within 30 days).

    Example: credcli file notice 12 --sent 2026-11-20
    """
    from credcli.services import files, registry

    with registry.session(db, write=True) as session:
        file = files.notice_sent(session, file_id, sent, note)
        due, sent_on = file.notice_due_on, file.notice_sent_on
        late = f" (after its due date {due})" if due and sent_on and sent_on > due else ""
        console.info(f"file #{file.id}: decision notice sent {sent_on}{late}")


@app.command("withdraw")
def withdraw(
    file_id: FileIdArg,
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            help="Why the file is closed: the applicant withdrew, stopped answering, left; "
            "the recredentialing missed its late window.",
            show_default=False,
        ),
    ],
    on: DateOption = None,
    db: DbOption = None,
) -> None:
    """Close an open file without a committee decision, recording the reason and the date.

    For an applicant who withdraws, stops answering or leaves before credentialing, and for
    a recredentialing past its 30-day late window (NCQA: the provider is credentialed again
    as initial; open an initial file after this). The file leaves the queue and the agenda,
    and the provider may have a new file opened. The provider's status is not changed.
    Items still outstanding are closed as waived. The date (default today) may not be in
    the future nor before the file's last recorded change. A decided or already withdrawn
    file is refused (exit 2).

    Example: credcli file withdraw 12 --reason "took a position elsewhere" --date 2026-11-20
    """
    from credcli.services import files, registry

    with registry.session(db, write=True) as session:
        done = files.withdraw(session, file_id, reason, on)
        file, count = done.file, len(done.closed)
        closed = (
            f"; {count} outstanding {'item' if count == 1 else 'items'} closed" if count else ""
        )
        console.info(
            f"file #{file.id} {file.provider.display_name} (NPI {file.provider.npi}) withdrawn "
            f"on {file.stage_since} from stage {done.left.value}{closed}"
        )


@app.command("show")
def show(
    file_id: FileIdArg,
    as_of: AsOfOption = None,
    stalled_days: StalledDaysOption = DEFAULT_STALLED_DAYS,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Print one file: stage, next action, flags, outstanding items, days per stage, history.

    Example: credcli file show 12 --format json
    """
    from credcli.services import file_views, registry, settings, when

    day = when.day("as-of", as_of)
    with registry.session(db) as session:
        record = file_views.show(
            session, file_id, as_of=day, stalled_days=settings.stalled_days(stalled_days)
        )
    title = f"File #{record['file']}: {record['provider']} (NPI {record['npi']}), {record['cycle']}"
    output.render_record(record, fmt, SHOW_SECTIONS, title=title)


@app.command("list")
def list_(
    npi: Annotated[str | None, typer.Option("--provider", help="Only this NPI.")] = None,
    stage: Annotated[FileStage | None, typer.Option("--stage", help="Only this stage.")] = None,
    notice_pending: Annotated[
        bool,
        typer.Option(
            "--notice-pending",
            help="Files owed a decision notice (a deferral's too) not yet recorded as sent.",
        ),
    ] = False,
    fmt: FormatOption = Format.table,
    xlsx: XlsxOption = None,
    db: DbOption = None,
) -> None:
    """List credentialing files, open, decided and withdrawn, newest first.

    A withdrawn file shows the date and reason of its withdrawal.

    Example: credcli file list --notice-pending --format csv
    """
    from credcli.services import file_views, registry

    with registry.session(db) as session:
        rows = file_views.list_files(
            session, npi=npi, stage=stage.value if stage else None, notice_pending=notice_pending
        )
    output.render(rows, fmt, LIST_COLUMNS, empty="no files match", fields=file_views.LIST_FIELDS)
    if xlsx is not None:
        output.write_xlsx(xlsx, {"Files": (rows, LIST_COLUMNS)})
        console.info(f"wrote {len(rows)} files to {xlsx}")


app.command("request")(file_items.request)
app.command("receive")(file_items.receive)
app.command("follow-up")(file_items.follow_up)
app.command("waive")(file_items.waive)
