"""How long the queue and a committee agenda take on a large office's open files.

Builds a synthetic SQLite registry (providers, one open file each, licenses,
outstanding items, verifications) in a temp folder, then times `queue` and
`committee agenda` through the services, as the commands call them.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sqlalchemy import insert  # noqa: E402

from credcli.db.models import (  # noqa: E402
    Credential,
    CredentialingFile,
    OutstandingItem,
    Provider,
    Verification,
)
from credcli.domain.identifiers import npi_check_digit  # noqa: E402
from credcli.services import committee, queue, registry  # noqa: E402

AS_OF = dt.date(2026, 11, 23)
STAGES = ("intake", "verification", "committee-ready", "committee")
ELEMENTS = (
    "license:CA",
    "education",
    "training",
    "malpractice",
    "work-history",
    "npdb",
    "attestation",
)


def build(db: str, files: int) -> None:
    providers, file_rows, credentials, items, verifications = [], [], [], [], []
    for n in range(1, files + 1):
        first = f"1{n:08d}"
        received = AS_OF - dt.timedelta(days=n % 120)
        providers.append(
            {
                "id": n,
                "npi": first + str(npi_check_digit(first)),
                "first_name": "Pat",
                "last_name": f"Name{n:06d}",
                "status": "applicant",
            }
        )
        file_rows.append(
            {
                "id": n,
                "provider_id": n,
                "cycle": "initial",
                "received_on": received,
                "stage": STAGES[n % 4],
                "stage_since": received,
                "last_activity_on": received + dt.timedelta(days=n % 7),
                "assignee": f"c{n % 5}",
            }
        )
        credentials.append(
            {
                "provider_id": n,
                "kind": "license",
                "state": "CA",
                "number": f"A{n}",
                "status": "active",
            }
        )
        for k in range(n % 3):
            items.append(
                {
                    "file_id": n,
                    "description": f"item {k}",
                    "requested_on": received,
                    "due_on": received + dt.timedelta(days=10),
                    "status": "open",
                    "follow_ups": 0,
                }
            )
        for element in ELEMENTS[: 4 + n % 4]:
            verifications.append(
                {
                    "provider_id": n,
                    "element": element,
                    "method": "web",
                    "verified_on": AS_OF - dt.timedelta(days=n % 150),
                    "verified_by": "bench",
                    "result": "verified",
                }
            )
    with registry.session(db, write=True) as session:
        for model, rows in (
            (Provider, providers),
            (CredentialingFile, file_rows),
            (Credential, credentials),
            (OutstandingItem, items),
            (Verification, verifications),
        ):
            session.execute(insert(model), rows)


def run(quick: bool = False) -> list[tuple[str, float, str]]:
    size = 200 if quick else 2000
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "bench.db")
        build(db, size)
        figures = []
        with registry.session(db) as session:
            start = time.perf_counter()
            rows = queue.queue(session, as_of=AS_OF)
            figures.append((f"queue, {len(rows)} open files", time.perf_counter() - start, "s"))
        with registry.session(db) as session:
            start = time.perf_counter()
            agenda = committee.agenda(session, AS_OF + dt.timedelta(days=17), AS_OF)
            count = len(agenda["clean"]) + len(agenda["review"])
            figures.append((f"committee agenda, {count} files", time.perf_counter() - start, "s"))
    return figures


if __name__ == "__main__":
    for name, value, unit in run(quick="--quick" in sys.argv):
        print(f"{name}: {value:.3f} {unit}")
