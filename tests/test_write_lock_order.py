"""Two writing sessions that touch the same provider never deadlock.

A long writer (a roster import, say) flushes several times in one transaction and
so holds the audit chain's lock early; a short writer (a person's update) changes
a row, then needs that lock. If the short writer could take the row first, each
would wait for the other. Write sessions therefore take the writers' lock when
they begin (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock).
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from credcli.db.models import AuditEntry, Provider
from credcli.services import providers, registry

BEN = "1558598797"


def test_a_short_writer_waits_for_a_long_one_instead_of_deadlocking(cli, db, ana) -> None:
    cli("intake", "new", "--npi", BEN, "--first", "Ben", "--last", "Okafor")
    started = threading.Event()
    failures: list[BaseException] = []

    def short_writer() -> None:
        try:
            started.set()
            with registry.session(db, write=True) as session:
                providers.update(session, BEN, {"phone": "555-010-0199"})
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    with registry.session(db, write=True) as session:
        providers.update(session, ana, {"city": "Springfield"})  # first flush: chain locked
        thread = threading.Thread(target=short_writer)
        thread.start()
        started.wait(10)
        time.sleep(0.5)  # let the short writer reach the point where it waits
        providers.update(session, BEN, {"city": "Shelbyville"})
    thread.join(30)

    assert not thread.is_alive()
    assert failures == []
    with registry.session(db) as session:
        ben = session.scalar(select(Provider).where(Provider.npi == BEN))
        assert ben is not None
        assert (ben.city, ben.phone) == ("Shelbyville", "555-010-0199")
        changes = session.scalars(
            select(AuditEntry.after).where(AuditEntry.action == "update").order_by(AuditEntry.id)
        ).all()
    assert changes == [
        '{"city": "Springfield"}',
        '{"city": "Shelbyville"}',
        '{"phone": "555-010-0199"}',
    ]
