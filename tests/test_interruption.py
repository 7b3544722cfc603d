"""A credcli process killed with SIGKILL in the middle of writing leaves no trace.

The helper (tests/helpers/hold_write.py) registers providers in one write
transaction, says it is ready, and waits; the test kills it with SIGKILL (no
cleanup runs) and compares every table before and after.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from credcli.db.engine import resolve
from credcli.db.models import Base

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[1]
HELPER = ROOT / "tests" / "helpers" / "hold_write.py"
COUNT = 1500


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        found = {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }
        found["alembic_version"] = [
            tuple(r) for r in conn.execute(text("SELECT * FROM alembic_version"))
        ]
    engine.dispose()
    return found


def test_sigkill_mid_write_leaves_the_registry_as_it_was(cli, db, ana, tmp_path: Path) -> None:
    cli("credential", "add", ana, "--kind", "board", "--issuer", "ABIM")
    before = dump(resolve(db).url)
    ready = tmp_path / "ready"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    proc = subprocess.Popen(
        [sys.executable, str(HELPER), str(ready), str(COUNT)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 300
        while not ready.exists():
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "the writer never became ready"
            time.sleep(0.1)
        if resolve(db).sqlite_path is not None:
            wal = Path(f"{resolve(db).sqlite_path}-wal")
            assert wal.stat().st_size > 500_000  # uncommitted pages did reach the disk
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    assert dump(resolve(db).url) == before
    # A stale lock would make this fail with "busy" (exit 3) after 0.5 s instead of waiting.
    cli(
        "intake",
        "new",
        "--npi",
        "1558598797",
        "--first",
        "Ben",
        "--last",
        "Okafor",
        env={"CREDCLI_BUSY_TIMEOUT": "0.5"},
    )
    listed = json.loads(cli("provider", "list", "--format", "json").stdout)
    assert [row["npi"] for row in listed] == [ana, "1558598797"]
    cli("db", "check")
