"""The command group class that turns every CredcliError into one message and an exit code."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from credcli.cli import console
from credcli.errors import CredcliError

# Plain Click help: Typer's Rich help formatter imports rich.markdown and rich.traceback,
# which doubled the start-up time of every `--help` and usage error (about 100 ms).
PLAIN_HELP = None


class CredcliGroup(TyperGroup):
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CredcliError as exc:
            console.error(exc.message)
            raise typer.Exit(exc.exit_code) from None


def sub_app(help_text: str) -> typer.Typer:
    """A sub-app for one noun, sharing the error handling and help settings."""
    return typer.Typer(
        cls=CredcliGroup,
        help=help_text,
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
        rich_markup_mode=PLAIN_HELP,
    )
