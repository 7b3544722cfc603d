"""Several real credcli processes on one registry at once: all succeed, nothing is lost.

Writers are separate processes, each running its commands through the real entry
point (tests/helpers/cli_loop.py); readers, backups and single intakes are plain
``python -m credcli`` processes started while the writers run. The registry does
not exist when they start, so the first ones also race to create it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from credcli.db.engine import resolve
from credcli.db.models import AuditEntry, Credential, Provider
from credcli.domain.identifiers import npi_check_digit
from credcli.services import audit

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[1]
HELPER = ROOT / "tests" / "helpers" / "cli_loop.py"
WRITERS = 3
PER_WRITER = 20
SINGLES = 3  # providers registered by one-shot `python -m credcli intake new` processes


def npi(group: int, index: int) -> str:
    base = f"1{group}{index:07d}"
    return base + str(npi_check_digit(base))


def child_env(db: str) -> dict[str, str]:
    env = dict(os.environ)
    env["CREDCLI_DB"] = db
    env.pop("CREDCLI_BUSY_TIMEOUT", None)  # the default every coordinator gets
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    return env


def credcli(*args: str) -> list[str]:
    return [sys.executable, "-m", "credcli", *args]


def writer_commands(group: int) -> list[list[str]]:
    commands = []
    for index in range(PER_WRITER):
        number = npi(group, index)
        commands.append(
            [
                "intake",
                "new",
                "--npi",
                number,
                "--first",
                f"W{group}n{index}",
                "--last",
                f"Writer{group}",
                "--received",
                "2026-11-02",
            ]
        )
        commands.append(
            [
                "credential",
                "add",
                number,
                "--kind",
                "license",
                "--state",
                "CA",
                "--number",
                f"A{group}{index:05d}",
                "--expires",
                "2028-01-31",
            ]
        )
    return commands


def verify_chain(rows: list[AuditEntry]) -> None:
    assert rows[0].prev_hash == audit.GENESIS
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.row_hash, f"chain broken at audit row {after.id}"
    for row in rows:
        assert row.row_hash == audit.row_hash(
            row.prev_hash,
            audit.stamp(row.at),
            row.actor,
            row.action,
            row.entity,
            row.entity_id,
            row.npi,
            row.before,
            row.after,
        ), f"audit row {row.id} altered"


def registry_state(url: str) -> tuple[int, int, list[AuditEntry]]:
    engine = create_engine(url, poolclass=NullPool)
    with Session(engine) as session:
        providers = session.scalar(select(func.count()).select_from(Provider))
        credentials = session.scalar(select(func.count()).select_from(Credential))
        rows = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    engine.dispose()
    return providers or 0, credentials or 0, rows


def test_writers_readers_and_backups_at_once(db: str, backend: str, tmp_path: Path) -> None:
    env = child_env(db)
    logs: list[tuple[str, int, str]] = []  # (what, exit code, stderr)

    def finish(what: str, proc: subprocess.Popen[str]) -> str:
        out, err = proc.communicate(timeout=600)
        logs.append((what, proc.returncode, err))
        return out

    def finish_reader(what: str, proc: subprocess.Popen[str]) -> bool:
        """Readers never create a registry: one that starts before the first writer has
        made it is refused, and that is the only failure a reader may have."""
        out, err = proc.communicate(timeout=600)
        if proc.returncode == 3 and ("no registry at" in err or "holds no credcli" in err):
            return False
        logs.append((what, proc.returncode, err))
        if what == "provider list" and out:
            assert isinstance(json.loads(out), list)
        return proc.returncode == 0

    writers = []
    for group in range(2, 2 + WRITERS):
        script = tmp_path / f"writer{group}.json"
        script.write_text(json.dumps(writer_commands(group)))
        writers.append(
            subprocess.Popen(
                [sys.executable, str(HELPER), str(script)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    singles = [
        subprocess.Popen(
            credcli(
                "intake",
                "new",
                "--npi",
                npi(8, index),
                "--first",
                "Solo",
                "--last",
                f"Single{index}",
            ),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for index in range(SINGLES)
    ]

    reads = backups = 0
    while reads < 2 or (reads < 3 and any(w.poll() is None for w in writers)):
        listing = subprocess.Popen(
            credcli("provider", "list", "--format", "json"),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        credentials = subprocess.Popen(
            credcli("credential", "list", "--format", "csv"),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        answered = finish_reader("provider list", listing)
        answered &= finish_reader("credential list", credentials)
        if backend == "sqlite" and answered:
            backups += 1
            copy = subprocess.Popen(
                credcli("db", "backup", str(tmp_path / f"backup{backups}.db")),
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            finish("db backup", copy)
        reads += answered
    for index, proc in enumerate(singles):
        finish(f"intake new #{index}", proc)
    for group, proc in zip(range(2, 2 + WRITERS), writers, strict=True):
        finish(f"writer {group}", proc)

    failed = [(what, code, err) for what, code, err in logs if code != 0]
    assert failed == []
    for what, _, err in logs:
        lowered = err.lower()
        assert "locked" not in lowered and "busy" not in lowered, f"{what}: {err}"
        assert "traceback" not in lowered, f"{what}: {err}"

    providers, credentials, rows = registry_state(resolve(db).url)
    assert providers == WRITERS * PER_WRITER + SINGLES
    assert credentials == WRITERS * PER_WRITER
    assert len(rows) == 3 * providers + credentials  # file, file event, provider; credential
    verify_chain(rows)

    for index in range(1, backups + 1):
        path = tmp_path / f"backup{index}.db"
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        copied, _, copied_rows = registry_state(f"sqlite:///{path}")
        assert 0 <= copied <= providers
        if copied_rows:
            verify_chain(copied_rows)
    check = subprocess.run(credcli("db", "check"), env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
