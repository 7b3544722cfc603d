"""``credcli payer``: follow each payer enrollment from submission until it is effective."""

from __future__ import annotations

from typing import Annotated

import typer

from credcli.cli import console, output
from credcli.cli.group import sub_app
from credcli.cli.options import AsOfOption, DbOption, Format, FormatOption, XlsxOption
from credcli.cli.pipeline_options import DateOption, NoteOption
from credcli.domain.vocab import EnrollmentStatus

app = sub_app("Submit payer enrollments and follow them until effective.")

COLUMNS = [
    ("id", "ID"),
    ("provider", "Provider"),
    ("npi", "NPI"),
    ("payer", "Payer"),
    ("status", "Status"),
    ("status_on", "Since"),
    ("submitted_on", "Submitted"),
    ("days_pending", "Days pending"),
    ("next_follow_up_on", "Follow up"),
    ("stalled", "Stalled"),
    ("effective_on", "Effective"),
    ("payer_provider_id", "Payer ID"),
    ("recred_due_on", "Payer recred due"),
]
FollowUpOption = Annotated[
    str | None,
    typer.Option("--follow-up", help="Next follow-up date (default 30 days after a change)."),
]
PayerIdOption = Annotated[
    str | None, typer.Option("--payer-id", help="The payer's own provider number.")
]


@app.command("enroll")
def enroll(
    npi: Annotated[str, typer.Argument(help="The provider's NPI.", show_default=False)],
    payer: Annotated[str, typer.Argument(help="The payer's name.", show_default=False)],
    submitted: Annotated[
        str | None,
        typer.Option("--submitted", help="Date submitted (default today; not in the future)."),
    ] = None,
    follow_up: FollowUpOption = None,
    payer_id: PayerIdOption = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Record a submitted enrollment with a payer.

    Example: credcli payer enroll 1234567893 "Blue Shield" --submitted 2026-11-16
    """
    from credcli.services import payers, registry

    with registry.session(db, write=True) as session:
        found, notes = payers.enroll(
            session,
            npi,
            payer,
            submitted=submitted,
            follow_up=follow_up,
            payer_id=payer_id,
            note=note,
        )
        console.info(
            f"enrollment #{found.id}: NPI {npi.strip()} with {found.payer} submitted "
            f"{found.submitted_on}; follow up by {found.next_follow_up_on}"
        )
        for line in notes:
            console.warn(line)


@app.command("update")
def update(
    target: Annotated[
        list[str],
        typer.Argument(
            metavar="ENROLLMENT_ID | NPI PAYER", help="An enrollment id, or an NPI and a payer."
        ),
    ],
    status: Annotated[
        EnrollmentStatus | None,
        typer.Option("--status", help="submitted, in-review, approved, denied or effective."),
    ] = None,
    effective: Annotated[
        str | None, typer.Option("--effective", help="Date the enrollment takes effect.")
    ] = None,
    payer_id: PayerIdOption = None,
    follow_up: FollowUpOption = None,
    recred_due: Annotated[
        str | None,
        typer.Option("--recred-due", help="Payer recredentialing due (default effective + 36 mo)."),
    ] = None,
    note: NoteOption = None,
    on: DateOption = None,
    db: DbOption = None,
) -> None:
    """Change an enrollment's status, dates, payer id or follow-up; notes are kept, dated.

    Example: credcli payer update 1234567893 "Blue Shield" --status effective --effective 2027-02-01
    """
    from credcli.services import payers, registry

    given = (status, effective, payer_id, follow_up, recred_due, note)
    if all(value is None for value in given):
        raise typer.BadParameter("give at least one change (see --help)")
    with registry.session(db, write=True) as session:
        found, changes = payers.update(
            session,
            target,
            status=status,
            effective=effective,
            payer_id=payer_id,
            follow_up=follow_up,
            recred_due=recred_due,
            note=note,
            on=on,
        )
    if not changes:
        console.info(f"enrollment #{found.id}: nothing changed")
    for name, (old, new) in changes.items():
        if name == "notes":
            console.info(f"enrollment #{found.id}: note added")
            continue
        console.info(
            f"enrollment #{found.id}: {name} {output.cell_text(old) or '(blank)'} -> "
            f"{output.cell_text(new) or '(blank)'}"
        )


@app.command("list")
def list_(
    stalled: Annotated[
        bool, typer.Option("--stalled", help="Only pending enrollments due for a follow-up.")
    ] = False,
    payer: Annotated[str | None, typer.Option("--payer", help="Only this payer.")] = None,
    npi: Annotated[str | None, typer.Option("--provider", help="Only this NPI.")] = None,
    status: Annotated[EnrollmentStatus | None, typer.Option("--status")] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    xlsx: XlsxOption = None,
    db: DbOption = None,
) -> None:
    """List enrollments: pending first by follow-up date, with days pending.

    Stalled: pending (submitted, in-review, approved) and its follow-up date has come, or
    with no follow-up date, no status change for 30 days.

    Example: credcli payer list --stalled --payer "Blue Shield"
    """
    from credcli.services import payers, registry, when

    day = when.day("as-of", as_of)
    with registry.session(db) as session:
        rows = payers.list_enrollments(
            session, as_of=day, payer=payer, npi=npi, status=status, stalled_only=stalled
        )
    output.render(rows, fmt, COLUMNS, empty="no enrollments match", fields=payers.ROW_FIELDS)
    if xlsx is not None:
        output.write_xlsx(xlsx, {"Enrollments": (rows, COLUMNS)})
        console.info(f"wrote {len(rows)} enrollments to {xlsx}")
