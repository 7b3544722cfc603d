"""The ``credcli`` command: one sub-app per noun, registered here."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from credcli import __version__
from credcli.cli import console
from credcli.cli.group import PLAIN_HELP, CredcliGroup
from credcli.cli.options import DbOption

# Each noun's module is imported, and its commands built, only when that noun is used:
# building all 47 commands on every start cost more than most of them take to run.
# name -> (module, attribute): a Typer app, or the function of a single command.
LAZY: dict[str, tuple[str, str]] = {
    "queue": ("credcli.cli.queue", "queue"),
    "expire-check": ("credcli.cli.expire_check", "expire_check"),
    "intake": ("credcli.cli.intake", "app"),
    "provider": ("credcli.cli.provider", "app"),
    "credential": ("credcli.cli.credential", "app"),
    "file": ("credcli.cli.file", "app"),
    "committee": ("credcli.cli.committee", "app"),
    "payer": ("credcli.cli.payer", "app"),
    "db": ("credcli.cli.db_cmd", "app"),
    "report": ("credcli.cli.report", "app"),
    "audit-log": ("credcli.cli.audit_log", "app"),
    "verify": ("credcli.cli.verify", "app"),
}


class RootGroup(CredcliGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(name for name in LAZY if name not in self.commands)]

    def get_command(self, ctx: Any, name: str) -> Any:
        if name not in self.commands and name in LAZY:
            self.commands[name] = _build(name)
        return super().get_command(ctx, name)


def _build(name: str) -> Any:
    import importlib

    import typer.main

    module_name, attribute = LAZY[name]
    module = importlib.import_module(module_name)
    target = getattr(module, attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(rich_markup_mode=PLAIN_HELP)
        single.command(name, help=getattr(module, "HELP", None))(target)
        target = single
    return typer.main.get_command(target)


app = typer.Typer(
    cls=RootGroup,
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
