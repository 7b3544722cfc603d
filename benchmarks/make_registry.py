"""Make a synthetic registry of N providers and 5N credentials, fast, for benchmarks.

The registry is created at the current schema by credcli itself (migrations), then
filled with stdlib sqlite3 bulk inserts. Spreads are realistic for a large group:
most credentials current with expiry dates over the next three years, a few percent
expired, recredentialing dates across the 36-month cycle (some overdue), one
provider in twenty with an open file carrying verifications and outstanding items,
and about a third enrolled with a payer that has its own recredentialing date.

    python benchmarks/make_registry.py registry.db 100000 [--as-of 2026-11-23]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import sys
import time
from pathlib import Path

STATES = ("CA", "NY", "TX", "FL", "IL", "PA", "OH", "GA", "NC", "MI", "NJ", "WA", "AZ", "MA")
LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Diaz")
FIRST = ("Ana", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal")
DEGREES = ("MD", "DO", "NP", "PA-C", "DDS", "PhD")
BOARDS = ("ABIM", "ABFM", "ABP", "ABS", "AOBIM")
CARRIERS = ("MedPro", "The Doctors Company", "ProAssurance", "Coverys")
PAYERS = ("Aetna", "Cigna", "Humana", "UnitedHealthcare", "Blue Shield")
ELEMENTS = ("dea", "board", "malpractice", "work-history", "npdb", "attestation")


def npi(n: int) -> str:
    nine = f"1{n:08d}"
    total = 24
    for index, char in enumerate(reversed(nine)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return nine + str((10 - total % 10) % 10)


def make(path: Path, providers: int, as_of: dt.date, seed: int = 5) -> dict[str, int]:
    """Create ``path`` (must not exist) holding ``providers`` providers; returns row counts."""
    if path.exists():
        raise SystemExit(f"{path} exists; give a new file name")
    from credcli.services import registry

    registry.init(str(path))  # the schema, exactly as credcli makes it
    rng = random.Random(seed)
    day = dt.timedelta(days=1)

    def on(offset: int) -> str:
        return (as_of + offset * day).isoformat()

    provider_rows = []
    credential_rows = []
    file_rows = []
    item_rows = []
    verification_rows = []
    payer_rows = []
    cred_id = 0
    file_id = 0
    for pid in range(1, providers + 1):
        roll = rng.random()
        status = (
            "active"
            if roll < 0.92
            else "applicant"
            if roll < 0.96
            else "inactive"
            if roll < 0.98
            else "terminated"
        )
        approved = on(-rng.randint(0, 1130)) if status != "applicant" else None
        provider_rows.append(
            (
                pid,
                npi(pid),
                rng.choice(FIRST),
                rng.choice(LAST) + str(pid % 997),
                rng.choice(DEGREES),
                f"p{pid}@example.org" if pid % 3 else None,
                status,
                approved,
                approved,
                on(rng.randint(-40, 900)) if pid % 50 == 0 else None,
            )
        )
        state = rng.choice(STATES)
        kinds = [
            ("license", state, None, f"L{pid}"),
            ("dea", state, None, f"AP{pid:07d}"),
            ("board", None, rng.choice(BOARDS), f"B{pid}"),
            ("malpractice", None, rng.choice(CARRIERS), f"M{pid}"),
            (("privileges", "attestation", "life-support")[pid % 3], None, None, None),
        ]
        for kind, cstate, issuer, number in kinds:
            cred_id += 1
            issued = expires = None
            if kind == "privileges":
                issued = on(-rng.randint(0, 760))
                expires = on(rng.randint(-20, 730)) if pid % 2 else None
            elif kind == "attestation":
                issued = on(-rng.randint(0, 150))
            else:
                expires = on(rng.randint(-60, 1095))
            credential_rows.append(
                (cred_id, pid, kind, number, cstate, issuer, issued, expires, "active")
            )
        if pid % 20 == 0 or status == "applicant":
            file_id += 1
            file_rows.append((file_id, pid, "recredential", on(-60), "verification"))
            for element in (f"license:{state}", *ELEMENTS):
                verification_rows.append(  # since the file opened, 60 days ago
                    (pid, file_id, element, "web", on(-rng.randint(0, 60)), "bench", "verified")
                )
            for n in range(2):
                item_rows.append(
                    (file_id, f"document {n + 1}", on(-50), on(rng.randint(-30, 30)), "open")
                )
        if pid % 3 == 0:
            payer_rows.append(
                (pid, rng.choice(PAYERS), "effective", on(-400), on(rng.randint(-30, 1095)))
            )
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.executemany(
                "INSERT INTO providers (id, npi, first_name, last_name, degree, email, status,"
                " initial_cred_date, last_cred_date, next_recred_due)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                provider_rows,
            )
            conn.executemany(
                "INSERT INTO credentials (id, provider_id, kind, number, state, issuer,"
                " issued_on, expires_on, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                credential_rows,
            )
            conn.executemany(
                "INSERT INTO credentialing_files (id, provider_id, cycle, received_on, stage)"
                " VALUES (?, ?, ?, ?, ?)",
                file_rows,
            )
            conn.executemany(
                "INSERT INTO verifications (provider_id, file_id, element, method, verified_on,"
                " verified_by, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)",
                verification_rows,
            )
            conn.executemany(
                "INSERT INTO outstanding_items (file_id, description, requested_on, due_on,"
                " status, follow_ups) VALUES (?, ?, ?, ?, ?, 0)",
                item_rows,
            )
            conn.executemany(
                "INSERT INTO payer_enrollments (provider_id, payer, status, submitted_on,"
                " recred_due_on) VALUES (?, ?, ?, ?, ?)",
                payer_rows,
            )
    finally:
        conn.close()
    return {
        "providers": len(provider_rows),
        "credentials": len(credential_rows),
        "files": len(file_rows),
        "verifications": len(verification_rows),
        "items": len(item_rows),
        "enrollments": len(payer_rows),
    }


def main(argv: list[str] | None = None) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("providers", type=int, nargs="?", default=100_000)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = make(args.path, args.providers, args.as_of)
    took = time.perf_counter() - started
    shown = ", ".join(f"{value:,} {name}" for name, value in counts.items())
    print(f"{args.path}: {shown} in {took:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
