"""``credcli intake``: bring providers in, one at a time or a whole roster at once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from credcli.cli import console, output
from credcli.cli.group import sub_app
from credcli.cli.options import DbOption, Format, FormatOption, workbook_path
from credcli.cli.progress import RowProgress

if TYPE_CHECKING:
    from credcli.services.roster_import import ImportSummary

app = sub_app(
    "Bring providers into the registry and open their credentialing files.\n\n"
    "Example: credcli intake new --npi 1234567893 --first Ana --last Diaz --degree MD"
)

_PROMPTS = {"npi": "NPI", "first_name": "First name", "last_name": "Last name"}


@app.command("new")
def new(
    npi: Annotated[str | None, typer.Option("--npi", help="10-digit NPI.")] = None,
    first: Annotated[str | None, typer.Option("--first", help="First name.")] = None,
    last: Annotated[str | None, typer.Option("--last", help="Last name.")] = None,
    middle: Annotated[str | None, typer.Option("--middle", help="Middle name.")] = None,
    degree: Annotated[str | None, typer.Option("--degree", help="MD, DO, NP, PA-C ...")] = None,
    specialty: Annotated[str | None, typer.Option("--specialty")] = None,
    taxonomy: Annotated[str | None, typer.Option("--taxonomy", help="NUCC code.")] = None,
    dob: Annotated[str | None, typer.Option("--dob", help="Date of birth.")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    phone: Annotated[str | None, typer.Option("--phone")] = None,
    caqh_id: Annotated[str | None, typer.Option("--caqh-id", help="CAQH ProView ID.")] = None,
    received: Annotated[
        str | None, typer.Option("--received", help="Date the application arrived (default today).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Register one provider and open their initial credentialing file.

    Prompts for a missing NPI or name when run at a terminal.

    Example: credcli intake new --npi 1234567893 --first Ana --last Diaz --degree MD
    --specialty "Internal Medicine" --received 2026-11-02
    """
    from credcli.services import providers, registry

    fields = {
        "npi": npi,
        "first_name": first,
        "last_name": last,
        "middle_name": middle,
        "degree": degree,
        "specialty": specialty,
        "taxonomy": taxonomy,
        "dob": dob,
        "email": email,
        "phone": phone,
        "caqh_id": caqh_id,
    }
    if console.interactive():
        for key, label in _PROMPTS.items():
            if not fields[key]:
                fields[key] = typer.prompt(label)
    with registry.session(db, write=True) as session:
        result = providers.intake(session, fields, received)
        who = result.provider.display_name
        console.info(
            f"registered {who} (NPI {result.provider.npi}) as {result.provider.status}; "
            f"opened initial credentialing file #{result.file.id} received "
            f"{result.file.received_on.isoformat()}"
        )


SHOWN_REJECTS = 20


@app.command("roster")
def roster(
    path: Annotated[
        Path, typer.Argument(help="Roster file: .xlsx, .xlsm or .csv.", show_default=False)
    ],
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet", help="Sheet to import (default: the first with a recognisable header)."
        ),
    ] = None,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help='Map a header to a field, e.g. --map "Lic Exp=license_expires" '
            '(repeatable; FIELD "ignore" drops a column).',
            show_default=False,
        ),
    ] = None,
    map_file: Annotated[
        Path | None,
        typer.Option(
            "--map-file", help="File of HEADER=FIELD lines, one a line.", show_default=False
        ),
    ] = None,
    dayfirst: Annotated[
        bool, typer.Option("--dayfirst", help="Read 03/04/2027 as 3 April (default: March 4).")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change; write nothing.")
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects",
            help="Write rejected rows, their original cells and the reason to this .xlsx.",
            dir_okay=False,
            show_default=False,
            callback=workbook_path,
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Import a roster spreadsheet: providers with their licenses, DEA, boards and malpractice.

    Headers are matched through a table of real-world aliases; each row is created,
    updated, unchanged or rejected with a reason (read = created + updated +
    unchanged + rejected + blank). Columns credcli does not keep, an SSN column
    always, are listed as ignored. The import is one transaction.

    Example: credcli intake roster examples/roster.xlsx --rejects rejected.xlsx
    """
    from credcli.services import registry, roster_import, roster_layout

    if rejects is not None:  # before the registry is opened or the roster read
        roster_import.check_rejects_path(rejects, path)
    mapping = roster_layout.parse_mappings(maps or [], map_file)
    with registry.session(db, write=True) as session, RowProgress("importing") as progress:
        summary = roster_import.import_roster(
            session=session,
            path=path,
            mapping=mapping,
            sheet=sheet,
            dayfirst=dayfirst,
            dry_run=dry_run,
            rejects_path=rejects,
            progress=progress,
        )
    _report(summary, fmt, rejects)


def _report(summary: ImportSummary, fmt: Format, rejects: Path | None) -> None:
    counts = summary.counts()
    where = "" if summary.is_csv else f"sheet '{summary.sheet}', "
    console.info(f"{where}header on row {summary.header_row}")
    if summary.other_sheets:
        console.info(
            "not imported (use --sheet): " + ", ".join(f"'{s}'" for s in summary.other_sheets)
        )
    for reject in summary.rejects[:SHOWN_REJECTS]:
        console.warn(f"rejected {reject.reason}")
    hidden = summary.rejected - SHOWN_REJECTS
    if hidden > 0:
        more = "" if rejects else " (write them all with --rejects FILE.xlsx)"
        console.warn(f"... and {hidden} more rejected rows{more}")
    if summary.ignored_columns:
        console.info("ignored columns: " + ", ".join(summary.ignored_columns))
    if summary.withdrawn_files:
        files = ", ".join(f"#{file_id}" for file_id in summary.withdrawn_files)
        verb = "would withdraw" if summary.dry_run else "withdrew"
        console.info(f"{verb} the open files of providers terminated by the roster: {files}")
    if rejects is not None:
        console.info(f"wrote {summary.rejected} rejected rows to {rejects}")
    if summary.dry_run:
        console.info("dry run: nothing was written")
    if fmt is Format.json:
        print(output.to_json(counts))
    elif fmt is Format.csv:
        row = dict(counts, ignored_columns="; ".join(summary.ignored_columns))
        output.render([row], fmt, [(k, k) for k in row])
    else:
        rows = [{"what": k, "rows": v} for k, v in counts.items() if k != "ignored_columns"]
        output.render(rows, fmt, [("what", "Result"), ("rows", "Rows")])
