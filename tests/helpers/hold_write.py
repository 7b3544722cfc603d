"""Start a long write transaction and never finish it (tests only).

Usage: python hold_write.py READY_FILE COUNT
Registers COUNT providers in ONE write session (ORM intake, audited), flushing as
it goes so the changes reach the database file or server, then touches READY_FILE
and sleeps until it is killed. Nothing is ever committed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from credcli.domain.identifiers import npi_check_digit
from credcli.services import providers, registry


def main() -> None:
    ready, count = Path(sys.argv[1]), int(sys.argv[2])
    with registry.session(None, write=True) as session:
        for index in range(count):
            base = f"19{index:07d}"
            fields = {
                "npi": base + str(npi_check_digit(base)),
                "first_name": f"Killed{index}",
                "last_name": "Halfway",
                "notes": "x" * 400,  # enough data for SQLite to spill pages before commit
            }
            providers.intake(session, fields, "2026-11-02")
            if index % 250 == 249:
                session.flush()
        session.flush()
        ready.write_text("ready")
        time.sleep(600)


if __name__ == "__main__":
    main()
