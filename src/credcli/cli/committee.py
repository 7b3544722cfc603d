"""``credcli committee``: the agenda for a meeting, its decisions, and its minutes."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from credcli.cli import committee_render as render
from credcli.cli import console, output
from credcli.cli.group import sub_app
from credcli.cli.options import AsOfOption, DbOption, Format, XlsxOption
from credcli.cli.pipeline_options import NoteOption
from credcli.domain.vocab import Decision

app = sub_app("Prepare committee agendas, record decisions, print minutes.")

MeetingOption = Annotated[
    str, typer.Option("--date", help="The meeting date (YYYY-MM-DD).", show_default=False)
]
DocFormatOption = Annotated[
    render.DocFormat, typer.Option("--format", "-f", help="md, table, json or csv.")
]


@app.command("agenda")
def agenda(
    meeting: MeetingOption,
    as_of: AsOfOption = None,
    fmt: DocFormatOption = render.DocFormat.table,
    xlsx: XlsxOption = None,
    db: DbOption = None,
) -> None:
    """List the files ready for a meeting: clean files, and files for review with reasons.

    Clean: every required element verified and current on the meeting date, no discrepancy,
    no open exclusion hit, no outstanding item, not deferred before. Files current today
    (--as-of) but stale by the meeting date are flagged. A recredentialing more than 30
    days past its due date on the meeting date is listed for review: it cannot be decided.

    Example: credcli committee agenda --date 2026-12-10 --format md
    """
    from credcli.services import committee, registry, when

    day = when.given("date", meeting)
    today = when.day("as-of", as_of)
    with registry.session(db) as session:
        found = committee.agenda(session, day, today)
    if fmt is render.DocFormat.md:
        sys.stdout.write(render.agenda_markdown(found))
    elif fmt is render.DocFormat.json:
        sys.stdout.write(output.to_json(found) + "\n")
    elif fmt is render.DocFormat.csv:
        output.render(
            render.agenda_rows(found),
            Format.csv,
            render.AGENDA_COLUMNS,
            fields=[key for key, _ in render.AGENDA_COLUMNS],
        )
    elif not found["clean"] and not found["review"]:
        console.info(f"no files are ready for the meeting of {day}")
    else:
        render.print_agenda_tables(found)
    if xlsx is not None:
        rows = render.agenda_rows(found)
        output.write_xlsx(
            xlsx,
            {
                "Clean": ([r for r in rows if r["section"] == "clean"], render.AGENDA_COLUMNS),
                "Review": ([r for r in rows if r["section"] == "review"], render.AGENDA_COLUMNS),
            },
        )
        console.info(f"wrote the agenda ({len(rows)} files) to {xlsx}")


@app.command("record")
def record(
    file_ids: Annotated[
        list[int], typer.Argument(metavar="FILE_ID", help="The files decided (one or more).")
    ],
    meeting: MeetingOption,
    decision: Annotated[Decision, typer.Option("--decision", help="approved, denied or deferred.")],
    note: NoteOption = None,
    chair: Annotated[str | None, typer.Option("--chair", help="Who chaired the meeting.")] = None,
    db: DbOption = None,
) -> None:
    """Record the committee's decision on one or more files (all or none are recorded).

    An approval makes the provider's next recredentialing due 36 months later; every
    decision, a deferral included, sets the decision notice due 30 days later; a deferral
    puts the file back to committee-ready for the next meeting. The meeting must have
    taken place: a date after today is refused, and so is a date before the provider's
    last approval.

    An approval needs a complete file: no exclusion hit open (clear or confirm it with
    'credcli verify') or confirmed (present the file for denial, or withdraw it), and no
    item outstanding ('credcli file receive' or 'credcli file waive'). A denial closes the
    items still outstanding as waived; a denied recredentialing terminates the provider.

    A recredentialing file is refused any decision, approval, denial or deferral, on a
    meeting more than 30 days after its due date (NCQA: the provider must be credentialed
    again as initial): withdraw it with 'credcli file withdraw' and open an initial file.

    Example: credcli committee record --date 2026-11-12 12 14 --decision approved
    """
    from credcli.services import committee, registry, when

    day = when.given("date", meeting)
    with registry.session(db, write=True) as session:
        done = committee.record(session, day, file_ids, decision, note=note, chair=chair)
        for entry in done:
            file, provider = entry.file, entry.file.provider
            head = f"file #{file.id} {provider.display_name} (NPI {provider.npi}): "
            if decision is Decision.deferred:
                console.info(
                    f"{head}deferred on {day}; back to {file.stage} for a later meeting; "
                    f"decision notice due {file.notice_due_on}"
                )
                continue
            if decision is Decision.approved:
                recred = f"; next recredentialing due {provider.next_recred_due}"
            elif provider.termination_reason == committee.denied_recredentialing(file):
                recred = "; provider terminated (recredentialing denied)"
            else:
                recred = ""
            count = len(entry.closed)
            closed = (
                f"; {count} outstanding {'item' if count == 1 else 'items'} closed" if count else ""
            )
            console.info(
                f"{head}{decision.value} on {day}; decision notice due {file.notice_due_on}"
                f"{recred}{closed}"
            )


@app.command("minutes")
def minutes(
    meeting: MeetingOption,
    fmt: DocFormatOption = render.DocFormat.table,
    db: DbOption = None,
) -> None:
    """Print the record of a meeting: every decision, its note, and who recorded it.

    Example: credcli committee minutes --date 2026-11-12 --format md
    """
    from credcli.services import committee, registry, when

    day = when.given("date", meeting)
    with registry.session(db) as session:
        found = committee.minutes(session, day)
    if fmt is render.DocFormat.md:
        sys.stdout.write(render.minutes_markdown(found))
    elif fmt is render.DocFormat.json:
        sys.stdout.write(output.to_json(found) + "\n")
    else:
        title = f"Committee minutes {day}" + (f", chair {found['chair']}" if found["chair"] else "")
        table_fmt = Format.csv if fmt is render.DocFormat.csv else Format.table
        output.render(found["decisions"], table_fmt, render.MINUTES_COLUMNS, title=title)
