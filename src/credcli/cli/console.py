"""Messages for people go to stderr; data goes to stdout."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def info(message: str) -> None:
    _stderr().print(message, markup=False)


def warn(message: str) -> None:
    _stderr().print(f"warning: {message}", style="yellow", markup=False)


def error(message: str) -> None:
    _stderr().print(f"error: {message}", style="bold red", markup=False)


def interactive() -> bool:
    """True when a person is at the terminal (prompts are allowed)."""
    return sys.stdin.isatty() and sys.stderr.isatty()
