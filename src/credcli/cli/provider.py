"""``credcli provider``: list, show, update and terminate providers."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from credcli.cli import console, output
from credcli.cli.group import sub_app
from credcli.cli.options import DbOption, Format, FormatOption, RedactOption, XlsxOption
from credcli.domain.vocab import ProviderStatus

app = sub_app(
    "List, show, update and terminate providers.\n\n"
    "Example: credcli provider show 1234567893 --format json --redact"
)

LIST_COLUMNS = [
    ("npi", "NPI"),
    ("last_name", "Last"),
    ("first_name", "First"),
    ("degree", "Degree"),
    ("specialty", "Specialty"),
    ("status", "Status"),
    ("status_date", "Since"),
    ("next_recred_due", "Recred due"),
]
SHOW_SECTIONS: dict[str, output.Columns] = {
    "credentials": [
        ("id", "ID"),
        ("kind", "Kind"),
        ("number", "Number"),
        ("state", "State"),
        ("issuer", "Issuer"),
        ("expires_on", "Expires"),
        ("status", "Status"),
    ],
    "files": [
        ("id", "File"),
        ("cycle", "Cycle"),
        ("received_on", "Received"),
        ("stage", "Stage"),
        ("assignee", "Assignee"),
        ("decision", "Decision"),
        ("decision_on", "Decided"),
        ("withdrawn_on", "Withdrawn"),
        ("withdrawal_reason", "Reason"),
    ],
    "verifications": [
        ("element", "Element"),
        ("verified_on", "Verified"),
        ("method", "Method"),
        ("source", "Source"),
        ("result", "Result"),
        ("verified_by", "By"),
    ],
    "enrollments": [
        ("payer", "Payer"),
        ("status", "Status"),
        ("submitted_on", "Submitted"),
        ("effective_on", "Effective"),
    ],
    "hits": [
        ("hit", "Hit"),
        ("list", "List"),
        ("tier", "Tier"),
        ("listed_name", "Listed as"),
        ("status", "Status"),
        ("disposed_by", "By"),
        ("disposition_reason", "Reason"),
    ],
    "notices": [
        ("item", "Item"),
        ("band", "Band"),
        ("sent_at", "Sent"),
        ("email", "To"),
    ],
}

NpiArg = Annotated[str, typer.Argument(help="The provider's NPI.", show_default=False)]


@app.command("list")
def list_(
    status: Annotated[
        ProviderStatus | None, typer.Option("--status", help="Only providers in this status.")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Part of a name or NPI.")
    ] = None,
    fmt: FormatOption = Format.table,
    xlsx: XlsxOption = None,
    redact: RedactOption = False,
    db: DbOption = None,
) -> None:
    """List providers, by name.

    Example: credcli provider list --status active --format csv
    """
    from credcli.services import providers, registry

    with registry.session(db) as session:
        rows = providers.list_providers(
            session, status=status.value if status else None, search=search
        )
    output.render(rows, fmt, LIST_COLUMNS, empty="no providers match", redact=redact)
    if xlsx is not None:
        output.write_xlsx(xlsx, {"Providers": (rows, LIST_COLUMNS)}, redact=redact)
        console.info(f"wrote {len(rows)} providers to {xlsx}")


@app.command("show")
def show(
    npi: NpiArg, fmt: FormatOption = Format.table, redact: RedactOption = False, db: DbOption = None
) -> None:
    """Print everything known about one provider: record, credentials, files, verifications,
    payer enrollments, exclusion-screening hits and expiry notices mailed to them.

    --redact hides the date of birth and contact details, e.g. before sharing the output.

    Example: credcli provider show 1234567893 --format json --redact
    """
    from credcli.services import providers, registry

    with registry.session(db) as session:
        record = providers.detail(session, npi)
    title = f"{record['last_name']}, {record['first_name']} (NPI {record['npi']})"
    output.render_record(record, fmt, SHOW_SECTIONS, title=title, redact=redact)


@app.command("update")
def update(
    npi: NpiArg,
    first: Annotated[str | None, typer.Option("--first")] = None,
    middle: Annotated[str | None, typer.Option("--middle")] = None,
    last: Annotated[str | None, typer.Option("--last")] = None,
    suffix: Annotated[str | None, typer.Option("--suffix")] = None,
    degree: Annotated[str | None, typer.Option("--degree")] = None,
    specialty: Annotated[str | None, typer.Option("--specialty")] = None,
    taxonomy: Annotated[str | None, typer.Option("--taxonomy")] = None,
    dob: Annotated[str | None, typer.Option("--dob")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    phone: Annotated[str | None, typer.Option("--phone")] = None,
    address: Annotated[str | None, typer.Option("--address")] = None,
    city: Annotated[str | None, typer.Option("--city")] = None,
    state: Annotated[str | None, typer.Option("--state")] = None,
    zip_code: Annotated[str | None, typer.Option("--zip")] = None,
    caqh_id: Annotated[str | None, typer.Option("--caqh-id")] = None,
    status: Annotated[
        ProviderStatus | None,
        typer.Option(
            "--status",
            help="active or inactive for a credentialed provider (an applicant becomes "
            "active through the committee's approval; terminate has its own command).",
        ),
    ] = None,
    next_recred_due: Annotated[
        str | None, typer.Option("--next-recred-due", help="Recredentialing due date.")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
    on: Annotated[
        str | None,
        typer.Option("--date", help="Date a status change takes effect (default today)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Change a provider's details; every change is written to the audit log.

    Example: credcli provider update 1234567893 --email ana.diaz@example.org --phone 555-010-0199
    """
    from credcli.services import providers, registry

    fields: dict[str, Any] = {
        "first_name": first,
        "middle_name": middle,
        "last_name": last,
        "suffix": suffix,
        "degree": degree,
        "specialty": specialty,
        "taxonomy": taxonomy,
        "dob": dob,
        "email": email,
        "phone": phone,
        "address": address,
        "city": city,
        "state": state,
        "zip_code": zip_code,
        "caqh_id": caqh_id,
        "status": status.value if status else None,
        "next_recred_due": next_recred_due,
        "notes": notes,
    }
    if all(value is None for value in fields.values()):
        raise typer.BadParameter("give at least one field to change (see --help)")
    with registry.session(db, write=True) as session:
        changes = providers.update(session, npi, fields, on=on)
    if not changes:
        console.info(f"NPI {npi}: nothing changed")
        return
    for name, (old, new) in changes.items():
        if name == "dob":
            console.info(f"NPI {npi}: date of birth changed")
        else:
            console.info(
                f"NPI {npi}: {name} {output.cell_text(old) or '(blank)'} -> "
                f"{output.cell_text(new) or '(blank)'}"
            )


@app.command("terminate")
def terminate(
    npi: NpiArg,
    on: Annotated[
        str | None,
        typer.Option("--date", help="Termination date, not after today (default today)."),
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the record.")] = None,
    db: DbOption = None,
) -> None:
    """Terminate a provider: kept on record, left out of expiry checks and screening.

    An open credentialing file is withdrawn with the termination (see 'file withdraw').

    Example: credcli provider terminate 1234567893 --date 2026-11-30 --reason "left the group"
    """
    from credcli.services import providers, registry

    with registry.session(db, write=True) as session:
        done = providers.terminate(session, npi, on=on, reason=reason)
        provider = done.provider
        console.info(
            f"terminated {provider.display_name} (NPI {provider.npi}) as of "
            f"{provider.terminated_on}"
        )
        if done.withdrawn_file is not None:
            console.info(f"withdrew open credentialing file #{done.withdrawn_file}")
