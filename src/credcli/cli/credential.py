"""``credcli credential``: add, list and update a provider's credentials."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from credcli.cli import console, output
from credcli.cli.group import sub_app
from credcli.cli.options import (
    AsOfOption,
    DbOption,
    Format,
    FormatOption,
    RedactOption,
    XlsxOption,
)
from credcli.domain.vocab import CredentialKind, CredentialStatus

app = sub_app(
    "Add, list and update licenses, DEA, boards, malpractice and other credentials.\n\n"
    "Example: credcli credential list --provider 1234567893 --format csv"
)

COLUMNS = [
    ("id", "ID"),
    ("npi", "NPI"),
    ("provider", "Provider"),
    ("kind", "Kind"),
    ("number", "Number"),
    ("state", "State"),
    ("issuer", "Issuer"),
    ("issued_on", "Issued"),
    ("expires_on", "Expires"),
    ("status", "Status"),
]

KindOption = Annotated[CredentialKind | None, typer.Option("--kind", help="Credential kind.")]
NumberOption = Annotated[
    str | None, typer.Option("--number", help="License/registration/policy number.")
]
StateOption = Annotated[str | None, typer.Option("--state", help="Issuing state (licenses, CDS).")]
IssuerOption = Annotated[
    str | None, typer.Option("--issuer", help="Board, carrier, school or other issuer.")
]
DetailOption = Annotated[
    str | None, typer.Option("--detail", help="Specialty, coverage limits or similar.")
]
IssuedOption = Annotated[str | None, typer.Option("--issued", help="Issue date.")]
ExpiresOption = Annotated[str | None, typer.Option("--expires", help="Expiry date.")]
StatusOption = Annotated[CredentialStatus | None, typer.Option("--status")]
ListStatusOption = Annotated[
    CredentialStatus | None,
    typer.Option(
        "--status",
        help="Only credentials in this status on the --as-of day: expired once the expiry "
        "date has passed, unless recorded revoked, inactive or pending.",
    ),
]
NotesOption = Annotated[str | None, typer.Option("--notes")]


def _fields(
    kind: CredentialKind | None,
    number: str | None,
    state: str | None,
    issuer: str | None,
    detail: str | None,
    issued: str | None,
    expires: str | None,
    status: CredentialStatus | None,
    notes: str | None,
) -> dict[str, Any]:
    return {
        "kind": kind.value if kind else None,
        "number": number,
        "state": state,
        "issuer": issuer,
        "detail": detail,
        "issued_on": issued,
        "expires_on": expires,
        "status": status.value if status else None,
        "notes": notes,
    }


@app.command("add")
def add(
    npi: Annotated[str, typer.Argument(help="The provider's NPI.", show_default=False)],
    kind: Annotated[CredentialKind, typer.Option("--kind", help="Credential kind.")],
    number: NumberOption = None,
    state: StateOption = None,
    issuer: IssuerOption = None,
    detail: DetailOption = None,
    issued: IssuedOption = None,
    expires: ExpiresOption = None,
    status: StatusOption = None,
    notes: NotesOption = None,
    db: DbOption = None,
) -> None:
    """Add a credential to a provider.

    The roster's rules apply, so that 'intake roster' accepts what 'report roster'
    writes: one license or CDS registration per state (renew it with 'credential
    update'); a board certification needs --issuer (the board), malpractice --issuer
    (the carrier) or --number.

    Example: credcli credential add 1234567893 --kind license --state CA --number A123456
    --expires 2027-03-31
    """
    from credcli.services import credentials, registry

    fields = _fields(kind, number, state, issuer, detail, issued, expires, status, notes)
    with registry.session(db, write=True) as session:
        credential = credentials.add(session, npi, fields)
        console.info(
            f"added {credential.kind} #{credential.id} to NPI {npi}"
            + (f", expires {credential.expires_on}" if credential.expires_on else "")
        )


@app.command("list")
def list_(
    npi: Annotated[str | None, typer.Option("--provider", help="Only this NPI.")] = None,
    kind: KindOption = None,
    status: ListStatusOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    xlsx: XlsxOption = None,
    redact: RedactOption = False,
    db: DbOption = None,
) -> None:
    """List credentials, by provider, with each one's status on the day (default today).

    A credential is good through its expiry date and expired after it; one recorded
    revoked, inactive or pending shows as recorded.

    Example: credcli credential list --status expired --format csv
    """
    from credcli.services import credentials, registry, when

    day = when.day("as-of", as_of)
    with registry.session(db) as session:
        rows = credentials.list_credentials(
            session,
            npi=npi,
            kind=kind.value if kind else None,
            status=status.value if status else None,
            as_of=day,
        )
    output.render(
        rows,
        fmt,
        COLUMNS,
        empty="no credentials match",
        redact=redact,
        fields=credentials.LIST_FIELDS,
    )
    if xlsx is not None:
        output.write_xlsx(xlsx, {"Credentials": (rows, COLUMNS)}, redact=redact)
        console.info(f"wrote {len(rows)} credentials to {xlsx}")


@app.command("update")
def update(
    credential_id: Annotated[int, typer.Argument(metavar="ID", help="Credential id (see list).")],
    kind: KindOption = None,
    number: NumberOption = None,
    state: StateOption = None,
    issuer: IssuerOption = None,
    detail: DetailOption = None,
    issued: IssuedOption = None,
    expires: ExpiresOption = None,
    status: StatusOption = None,
    notes: NotesOption = None,
    db: DbOption = None,
) -> None:
    """Change a credential (a renewal's new expiry date, a corrected number).

    Example: credcli credential update 12 --expires 2029-03-31
    """
    from credcli.services import credentials, registry

    fields = _fields(kind, number, state, issuer, detail, issued, expires, status, notes)
    if all(value is None for value in fields.values()):
        raise typer.BadParameter("give at least one field to change (see --help)")
    with registry.session(db, write=True) as session:
        changes = credentials.update(session, credential_id, fields)
    if not changes:
        console.info(f"credential #{credential_id}: nothing changed")
    for name, (old, new) in changes.items():
        console.info(
            f"credential #{credential_id}: {name} {output.cell_text(old) or '(blank)'}"
            f" -> {output.cell_text(new) or '(blank)'}"
        )
