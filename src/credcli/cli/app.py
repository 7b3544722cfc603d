"""The ``credcli`` command: one sub-app per noun, registered here."""

from __future__ import annotations

from typing import Annotated

import typer

from credcli import __version__
from credcli.cli import (
    audit_log,
    committee,
    console,
    credential,
    db_cmd,
    expire_check,
    file,
    intake,
    payer,
    provider,
    queue,
    report,
    verify,
)
from credcli.cli.group import PLAIN_HELP, CredcliGroup
from credcli.cli.options import DbOption

app = typer.Typer(
    cls=CredcliGroup,
    name="credcli",
    help="Run a healthcare credentialing office from the terminal.\n\n"
    "Example: credcli intake new --npi 1234567893 --first Ana --last Diaz --degree MD",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=PLAIN_HELP,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"credcli {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Run a healthcare credentialing office from the terminal."""


@app.command("init")
def init(db: DbOption = None) -> None:
    """Create the registry (or upgrade it to this version's schema) and say where it is.

    Example: credcli init --db ./registry.db
    """
    from credcli.services import registry

    info = registry.init(db)
    if info.created:
        verb = "created"
    elif info.upgraded_from:
        verb = f"upgraded from schema {info.upgraded_from}"
    else:
        verb = "ready"
    console.info(f"registry {info.location} {verb} ({info.backend}, schema {info.schema})")


app.add_typer(intake.app, name="intake")
app.add_typer(provider.app, name="provider")
app.add_typer(credential.app, name="credential")

app.add_typer(file.app, name="file")
app.command("queue")(queue.queue)
app.add_typer(committee.app, name="committee")
app.add_typer(payer.app, name="payer")
app.add_typer(db_cmd.app, name="db")
app.add_typer(report.app, name="report")
app.add_typer(audit_log.app, name="audit-log")
app.add_typer(verify.app, name="verify")
app.command("expire-check", help=expire_check.HELP)(expire_check.expire_check)
