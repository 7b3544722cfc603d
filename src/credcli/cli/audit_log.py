"""``credcli audit-log``: the change history, and ``verify`` to prove nobody altered it."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from credcli.cli import output
from credcli.cli.days import parse_day
from credcli.cli.group import CredcliGroup
from credcli.cli.options import DbOption, Format, FormatOption
from credcli.errors import InputError

app = typer.Typer(
    cls=CredcliGroup,
    invoke_without_command=True,
    no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

COLUMNS = [
    ("id", "Row"),
    ("at", "When (UTC)"),
    ("actor", "Who"),
    ("action", "Action"),
    ("entity", "Entity"),
    ("entity_id", "Id"),
    ("npi", "NPI"),
    ("changes", "Changes"),
]


class VerifyFormat(StrEnum):
    table = "table"
    json = "json"


SHOW_HELP = (
    "Show the change history, oldest first; `audit-log verify` checks its hash chain.\n\n"
    "Each row: who changed what and when, with the values before and after. Dates of birth "
    "were never written into the log, only that they changed. JSON carries the before/after"
    " values as objects; CSV as JSON text.\n\n"
    "Example: credcli audit-log --provider 1234567893 --since 2026-01-01 --format csv"
)


@app.callback(help=SHOW_HELP)
def show(
    ctx: typer.Context,
    provider: Annotated[
        str | None, typer.Option("--provider", help="Only changes about this NPI.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="Only changes on or after this date (UTC).", show_default=False
        ),
    ] = None,
    entity: Annotated[
        str | None,
        typer.Option(
            "--entity",
            help="Only changes to this table (providers, credentials, credentialing_files, ...).",
        ),
    ] = None,
    last: Annotated[
        int | None, typer.Option("--last", help="Only the newest N rows.", show_default=False)
    ] = None,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    if ctx.invoked_subcommand is not None:
        filters = {"--provider": provider, "--since": since, "--entity": entity, "--last": last}
        given = [name for name, value in filters.items() if value is not None]
        if given:
            verb = "applies" if len(given) == 1 else "apply"
            raise InputError(
                f"{', '.join(given)} {verb} to the listing only; verify checks every row"
            )
        if _from_command_line(ctx, "db"):
            ctx.obj = {"db": db}  # `audit-log --db X verify` means verify X
        return
    from credcli.services import audit_log, registry

    day = parse_day("--since", since)
    with registry.session(db) as session:
        rows = audit_log.list_entries(session, npi=provider, since=day, entity=entity, last=last)
    if fmt is Format.csv:
        rows = [
            {
                **row,
                "before": _compact(row["before"]),
                "after": _compact(row["after"]),
            }
            for row in rows
        ]
    output.render(rows, fmt, COLUMNS, empty="no audit log rows match", fields=audit_log.ROW_FIELDS)


def _from_command_line(ctx: typer.Context, name: str) -> bool:
    source = ctx.get_parameter_source(name)
    return source is not None and source.name == "COMMANDLINE"


def _compact(value: object) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


VERIFY_HELP = (
    "Check the audit log's hash chain; exit 1 at the first altered, deleted or moved row.\n\n"
    "Every row's hash is recomputed from its content and the previous row's hash, in id "
    "order. A row whose content was edited, a deleted or inserted row, and rows put in "
    "another order are each reported at the first row affected. Keep the --anchor ROW:HASH "
    "printed (in a ticket, an email): a later verify with it also proves that no rows "
    "were cut from the end.\n\n"
    "Example: credcli audit-log verify --anchor 1200:<hash printed by the last verify>"
)


@app.command("verify", help=VERIFY_HELP)
def verify(
    ctx: typer.Context,
    fmt: Annotated[
        VerifyFormat, typer.Option("--format", "-f", help="Output format: table or json.")
    ] = VerifyFormat.table,
    anchor: Annotated[
        str | None,
        typer.Option(
            "--anchor",
            help="ROW:HASH printed by an earlier verify: that row must still be in the log "
            "with that hash (catches rows cut from the end).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    from credcli.services import audit_log, registry

    recorded = audit_log.parse_anchor(anchor) if anchor is not None else None

    if not _from_command_line(ctx, "db") and isinstance(ctx.obj, dict):
        db = ctx.obj.get("db", db)
    with registry.session(db) as session:
        check = audit_log.verify(session, recorded)
    if fmt is VerifyFormat.json:
        print(output.to_json(check.as_dict()))
    elif check.intact:
        print(
            f"{check.rows} rows verified; chain intact; to check later that nothing was "
            f"cut from the end: --anchor {check.last_row}:{check.last_hash}"
            if check.rows
            else "0 rows verified; the log is empty"
        )
    else:
        print(f"tampering found at {check.problem}")
        print(f"{check.rows} rows verified before it")
    if not check.intact:
        raise typer.Exit(1)
