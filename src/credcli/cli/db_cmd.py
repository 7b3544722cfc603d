"""``credcli db``: back up the registry and check its health."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from credcli.cli import console, output
from credcli.cli.group import sub_app
from credcli.cli.options import DbOption, Format, FormatOption

app = sub_app(
    "Back up the registry and check its health.\n\n"
    "Example: credcli db backup ~/backups/registry-2026-11-23.db && credcli db check"
)

CHECK_SECTIONS: dict[str, output.Columns] = {
    "checks": [("check", "Check"), ("result", "Result"), ("detail", "Detail")],
    "tables": [("table", "Table"), ("rows", "Rows")],
}


@app.command("backup")
def backup(
    target: Annotated[
        Path, typer.Argument(metavar="FILE", help="Where to write the copy.", show_default=False)
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE if it already exists.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Copy a SQLite registry to FILE (0600) while it stays in use; PostgreSQL: use pg_dump.

    The copy is one consistent moment of the registry even while other credcli
    processes write; it is checked before it replaces FILE.

    Example: credcli db backup ~/backups/registry-2026-11-23.db
    """
    from credcli.services import maintenance

    done = maintenance.backup(db, target, force=force)
    schema = f"schema {done.schema}" if done.schema else "no schema"
    console.info(
        f"backed up {done.source} ({schema}) to {done.target}: {_size(done.size)}, checked ok"
    )


@app.command("check")
def check(fmt: FormatOption = Format.table, db: DbOption = None) -> None:
    """Check the registry: integrity, foreign keys, schema version, permissions, row counts.

    Exits 1 when a problem is found (corruption, broken references, an old or unknown
    schema, a registry file others can read), so cron can alert on it.

    Example: credcli db check --format json
    """
    from credcli.services import maintenance

    health = maintenance.check(db)
    record = {
        "registry": health.registry,
        "backend": health.backend,
        "schema": health.schema,
        "expected_schema": health.expected_schema,
        "problems": len(health.problems),
        "checks": [
            {"check": c.name, "result": "ok" if c.ok else "PROBLEM", "detail": c.detail}
            for c in health.checks
        ],
        "tables": health.tables,
    }
    output.render_record(record, fmt, CHECK_SECTIONS, title=f"registry {health.registry}")
    if health.problems:
        count = len(health.problems)
        console.error(f"{count} problem{'s' if count > 1 else ''} found in {health.registry}")
        raise typer.Exit(1)


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} kB"
    return f"{size / (1024 * 1024):.1f} MB"
