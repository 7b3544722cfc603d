"""The README's command list and every command's help are pinned to the real CLI."""

from pathlib import Path

import typer

from credcli.cli.app import app

README = (Path(__file__).parents[1] / "README.md").read_text()


def _subcommands(command: object) -> dict[str, object]:
    """A group's commands as the CLI resolves them (the root builds its nouns lazily)."""
    if not hasattr(command, "list_commands"):
        return {}
    ctx = typer.Context(command)  # type: ignore[arg-type]
    return {
        name: command.get_command(ctx, name)  # type: ignore[attr-defined]
        for name in command.list_commands(ctx)
    }


def _commands() -> dict[str, object]:
    group = typer.main.get_command(app)
    found: dict[str, object] = {}

    def walk(command: object, path: list[str]) -> None:
        subcommands = _subcommands(command)
        if subcommands and path and getattr(command, "invoke_without_command", False):
            found[" ".join(path)] = command  # a group that also runs on its own (audit-log)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, [*path, name])
        else:
            found[" ".join(path)] = command

    walk(group, [])
    return found


def test_every_noun_is_found() -> None:
    nouns = {name.split()[0] for name in _commands()}
    assert nouns == {
        "init", "queue", "expire-check", "intake", "provider", "credential", "file",
        "committee", "payer", "db", "report", "audit-log", "verify",
    }  # fmt: skip
    assert len(_commands()) > 45


def test_every_command_is_in_the_readme_list() -> None:
    missing = [name for name in _commands() if f"`credcli {name}`" not in README]
    assert missing == []


def test_readme_lists_no_command_that_does_not_exist() -> None:
    listed = {
        line.split("`")[1].removeprefix("credcli ")
        for line in README.splitlines()
        if line.startswith("| `credcli ")
    }
    assert listed - set(_commands()) == set()


def test_every_command_has_help_with_an_example() -> None:
    without = [
        name
        for name, command in _commands().items()
        if "Example: credcli" not in (getattr(command, "help", "") or "")
    ]
    assert without == []


def test_registry_command_groups_have_help_with_an_example() -> None:
    groups = _subcommands(typer.main.get_command(app))
    without = [
        name
        for name in ("intake", "provider", "credential", "db", "report", "audit-log")
        if "Example: credcli" not in (getattr(groups[name], "help", "") or "")
    ]
    assert without == []
