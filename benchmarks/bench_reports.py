"""How long ``report metrics`` and ``report audit`` take on a large registry.

Generates a SQLite registry of N providers, each with one credentialing file
(received, staged, most decided), credentials, eight verifications and a payer
enrollment, written with bulk inserts (no audit rows: this measures reading).

    python benchmarks/bench_reports.py            # 10,000 files
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILES = 10_000
QUICK_FILES = 500
ELEMENTS = ("license:CA", "board", "malpractice", "work-history", "npdb", "attestation")
STAGES = ("verification", "committee-ready", "committee")


def build(path: Path, count: int) -> None:
    from sqlalchemy import insert

    from credcli.db.models import (
        Credential,
        CredentialingFile,
        FileEvent,
        PayerEnrollment,
        Provider,
        Verification,
    )
    from credcli.domain.identifiers import npi_check_digit
    from credcli.services import registry

    engine, _, _, _ = registry.open_engine(str(path))
    rng = random.Random(1)
    start = dt.date(2026, 1, 1)
    providers, credentials, files, events, checks, enrollments = [], [], [], [], [], []
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for number in range(1, count + 1):
        first_nine = f"{200000000 + number:09d}"
        providers.append(
            {
                "id": number,
                "npi": first_nine + str(npi_check_digit(first_nine)),
                "first_name": "Pat",
                "last_name": f"Bench{number}",
                "status": "active",
            }
        )
        credentials.append(
            {"provider_id": number, "kind": "license", "state": "CA", "status": "active"}
        )
        credentials.append(
            {"provider_id": number, "kind": "board", "state": None, "status": "active"}
        )
        received = start + dt.timedelta(days=rng.randrange(300))
        day = received
        events.append(
            {
                "file_id": number,
                "on": day,
                "at": now,
                "kind": "opened",
                "from_value": None,
                "to_value": "intake",
            }
        )
        previous = "intake"
        for stage in STAGES:
            day += dt.timedelta(days=rng.randrange(1, 30))
            events.append(
                {
                    "file_id": number,
                    "on": day,
                    "at": now,
                    "kind": "stage",
                    "from_value": previous,
                    "to_value": stage,
                }
            )
            previous = stage
        decided = day + dt.timedelta(days=rng.randrange(1, 15))
        decision = rng.choice(("approved", "approved", "approved", "denied", None))
        if decision:
            events.append(
                {
                    "file_id": number,
                    "on": decided,
                    "at": now,
                    "kind": "decision",
                    "from_value": None,
                    "to_value": decision,
                }
            )
        files.append(
            {
                "id": number,
                "provider_id": number,
                "cycle": rng.choice(("initial", "recredential")),
                "received_on": received,
                "stage": "decided" if decision else previous,
                "due_on": received + dt.timedelta(days=90),
                "decision": decision,
                "decision_on": decided if decision else None,
                "notice_sent_on": decided + dt.timedelta(days=rng.randrange(40))
                if decision
                else None,
            }
        )
        for element in ELEMENTS:
            checks.append(
                {
                    "provider_id": number,
                    "element": element,
                    "method": "web",
                    "verified_on": received + dt.timedelta(days=rng.randrange(60)),
                    "verified_by": "bench",
                    "result": "verified",
                    "created_at": now,
                }
            )
        submitted = decided + dt.timedelta(days=3)
        enrollments.append(
            {
                "provider_id": number,
                "payer": rng.choice(("Aetna", "Cigna")),
                "status": "effective",
                "submitted_on": submitted,
                "effective_on": submitted + dt.timedelta(days=rng.randrange(20, 90)),
            }
        )
    with engine.begin() as conn:
        for model, rows in (
            (Provider, providers),
            (Credential, credentials),
            (CredentialingFile, files),
            (FileEvent, events),
            (Verification, checks),
            (PayerEnrollment, enrollments),
        ):
            conn.execute(insert(model), rows)
    engine.dispose()


def _command(path: Path, *args: str) -> float:
    env = {**os.environ, "CREDCLI_DB": str(path), "CREDCLI_TODAY": "2026-12-31"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "credcli", *args], capture_output=True, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise RuntimeError(result.stderr.decode())
    return elapsed


def run(quick: bool = False) -> list[tuple[str, float, str]]:
    count = QUICK_FILES if quick else FILES
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "registry.db"
        build(path, count)
        period = ("--from", "2026-01-01", "--to", "2026-12-31")
        metrics = _command(path, "report", "metrics", *period, "--format", "json")
        audit = _command(path, "report", "audit", *period, "--format", "json")
        book = _command(
            path,
            "report",
            "metrics",
            *period,
            "--format",
            "json",
            "--xlsx",
            str(Path(folder) / "m.xlsx"),
        )
    return [
        (f"report metrics, whole process ({count:,} files)", metrics, "s"),
        (f"report metrics with --xlsx ({count:,} files)", book, "s"),
        (f"report audit of every decided file ({count:,} files)", audit, "s"),
    ]


if __name__ == "__main__":
    for name, value, unit in run(quick="--quick" in sys.argv):
        print(f"{name:55} {value:12,.2f} {unit}")
