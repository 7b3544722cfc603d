"""``credcli file request|receive|follow-up``: the documents and answers a file waits on.

Registered on the ``file`` group by cli/file.py.
"""

from __future__ import annotations

from typing import Annotated

import typer

from credcli.cli import console
from credcli.cli.options import DbOption
from credcli.cli.pipeline_options import DateOption, FileIdArg, ItemIdArg, NoteOption


def request(
    file_id: FileIdArg,
    item: Annotated[str, typer.Argument(metavar="ITEM", help="What is requested, in words.")],
    due: Annotated[str | None, typer.Option("--due", help="Date it is due back.")] = None,
    on: DateOption = None,
    db: DbOption = None,
) -> None:
    """Record an outstanding document or answer the file waits on.

    Example: credcli file request 12 "malpractice face sheet" --due 2026-12-01
    """
    from credcli.services import items, registry

    with registry.session(db, write=True) as session:
        found = items.request(session, file_id, item, due=due, on=on)
        due_text = f", due {found.due_on}" if found.due_on else ""
        console.info(
            f"requested item #{found.id} on file #{file_id}: {found.description}{due_text}"
        )


def receive(
    item_id: ItemIdArg, on: DateOption = None, note: NoteOption = None, db: DbOption = None
) -> None:
    """Record that an outstanding item arrived.

    Example: credcli file receive 31 --date 2026-11-28
    """
    from credcli.services import items, registry

    with registry.session(db, write=True) as session:
        found = items.receive(session, item_id, on=on, note=note)
        console.info(
            f"received item #{found.id} ({found.description}) on {found.received_on} "
            f"for file #{found.file_id}"
        )


def follow_up(
    item_id: ItemIdArg,
    due: Annotated[
        str | None, typer.Option("--due", help="A new due date agreed while chasing.")
    ] = None,
    on: DateOption = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Count one chase of an outstanding item (call, email, letter).

    Example: credcli file follow-up 31 --note "emailed the carrier" --due 2026-12-05
    """
    from credcli.services import items, registry

    with registry.session(db, write=True) as session:
        found = items.follow_up(session, item_id, on=on, due=due, note=note)
        due_text = f"; due {found.due_on}" if found.due_on else ""
        console.info(
            f"item #{found.id} ({found.description}) followed up on {found.last_follow_up_on}, "
            f"{found.follow_ups} time{'s' if found.follow_ups != 1 else ''} so far{due_text}"
        )


def waive(
    item_id: ItemIdArg,
    note: Annotated[str, typer.Option("--note", help="Why it is no longer needed.")],
    on: DateOption = None,
    db: DbOption = None,
) -> None:
    """Close an outstanding item that is no longer needed, saying why.

    Example: credcli file waive 31 --note "requested by mistake"
    """
    from credcli.services import items, registry

    with registry.session(db, write=True) as session:
        found = items.waive(session, item_id, on=on, note=note)
        console.info(f"waived item #{found.id} ({found.description}) on file #{found.file_id}")
