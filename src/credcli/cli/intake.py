"""``credcli intake``: bring providers in, one at a time."""

from __future__ import annotations

from typing import Annotated

import typer

from credcli.cli import console
from credcli.cli.group import sub_app
from credcli.cli.options import DbOption

app = sub_app("Bring providers into the registry and open their credentialing files.")

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
