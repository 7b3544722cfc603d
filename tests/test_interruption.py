"""A credcli process killed with SIGKILL in the middle of writing leaves no trace.

The helper (tests/helpers/hold_write.py) registers providers in one write
transaction, says it is ready, and waits; the test kills it with SIGKILL (no
cleanup runs) and compares every table before and after. Then real commands
(``python -m credcli intake roster``, ``verify load leie|nppes``) are killed in the
middle of their one transaction, on both backends.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from credcli.db.engine import resolve
from listfiles import leie_row, nppes_row, sam_row, write_leie, write_nppes, write_sam
from registry_dump import dump
from rosters import HEADERS, npi

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[1]
HELPER = ROOT / "tests" / "helpers" / "hold_write.py"
COUNT = 1500


def _takes_a_write(cli) -> None:
    """The killed writer left no lock behind: a stale one would make this fail with
    "busy" (exit 3) after 0.5 s instead of waiting."""
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
    _takes_a_write(cli)
    listed = json.loads(cli("provider", "list", "--format", "json").stdout)
    assert [row["npi"] for row in listed] == [ana, "1558598797"]
    cli("db", "check")


# A real credcli command, killed while it writes: a roster import and list loads, each on
# a registry that already holds providers, an earlier roster and earlier list loads. The
# kill lands once uncommitted pages reach the SQLite WAL, or once PostgreSQL's table files
# grow with uncommitted rows: measured, never guessed with a sleep.
KILL_DEADLINE_S = 120


def _roster(path: Path, rows: int, *, start: int = 0) -> Path:
    """A roster that updates the providers of the earlier import and adds many more."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow([*HEADERS, "Notes"])
        for n in range(start, start + rows):
            out.writerow(
                [npi(n), f"Last{n}", f"First{n}", f"L{n}", "CA", "03/15/2027", f"note {n} " * 250]
            )
    return path


def _registry_with_history(cli, ana: str, tmp_path: Path) -> None:
    cli("credential", "add", ana, "--kind", "board", "--issuer", "ABIM")
    cli("intake", "roster", str(_roster(tmp_path / "earlier.csv", 50)))
    cli("provider", "update", npi(3), "--notes", "changed after the import")
    earlier = [leie_row(f"EARLIER{n}", "PAT", ADDRESS=f"{n} Elm St") for n in range(40)]
    cli("verify", "load", "leie", str(write_leie(tmp_path / "UPDATED_OLD.csv", earlier)))
    sam = [sam_row(f"SAMLAST{n}", "ROBIN") for n in range(10)]
    cli("verify", "load", "sam", str(write_sam(tmp_path / "SAM_25001.CSV", sam)))
    people = [nppes_row(npi(n), f"Last{n}", f"First{n}") for n in range(20)]
    nppes_file = write_nppes(tmp_path / "npidata_pfile_20050523-20251012.csv", people)
    cli("verify", "load", "nppes", "--all", str(nppes_file))


class _Written:
    """Bytes a writer has put down so far: the SQLite WAL, or the schema's PostgreSQL files."""

    def __init__(self, db: str) -> None:
        self.location = resolve(db)
        self.engine = None
        if self.location.sqlite_path is None:
            self.engine = create_engine(db, poolclass=NullPool, isolation_level="AUTOCOMMIT")

    def __call__(self) -> int:
        if self.engine is None:
            wal = Path(f"{self.location.sqlite_path}-wal")
            return wal.stat().st_size if wal.exists() else 0
        with self.engine.connect() as conn:
            query = (
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
            )
            return int(conn.execute(text(query)).scalar_one())

    def writing(self, tag: str) -> bool:
        """The command's write transaction is still open: not committed yet."""
        if self.engine is None:
            probe = sqlite3.connect(str(self.location.sqlite_path), timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:  # locked: the writer has not committed
                return True
            finally:
                probe.close()
            return False
        with self.engine.connect() as conn:
            query = (
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE application_name = :tag AND backend_xid IS NOT NULL"
            )
            return int(conn.execute(text(query), {"tag": tag}).scalar_one()) == 1

    def backends(self, tag: str) -> int:
        assert self.engine is not None
        with self.engine.connect() as conn:
            query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = :tag"
            return int(conn.execute(text(query), {"tag": tag}).scalar_one())


def _kill_while_writing(db: str, tmp_path: Path, *args: str, after: int = 4 << 20) -> None:
    """Run ``python -m credcli ARGS``, SIGKILL it in the middle of its write, wait for the
    server (if any) to drop its connection."""
    written = _Written(db)
    tag = f"credcli-kill-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    if written.engine is not None:
        env["CREDCLI_DB"] = f"{db}&application_name={tag}"
    baseline = written()
    log = tmp_path / "killed.stderr"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "credcli", *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            deadline = time.monotonic() + KILL_DEADLINE_S
            while written() - baseline < after:
                assert proc.poll() is None, (
                    f"'{' '.join(args)}' ended (exit {proc.returncode}) before it could be "
                    f"killed halfway: give it a bigger file\n{log.read_text()}"
                )
                assert time.monotonic() < deadline, "the command never started writing"
                time.sleep(0.02)
            assert written.writing(tag), "the command committed before it could be killed"
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, log.read_text()
    if written.engine is not None:
        deadline = time.monotonic() + 60
        while written.backends(tag):  # the server rolls back when it sees the socket close
            assert time.monotonic() < deadline, "PostgreSQL kept the killed connection"
            time.sleep(0.05)
        written.engine.dispose()


def _still_sound(cli, db: str, before: dict[str, list[tuple[Any, ...]]]) -> None:
    assert dump(resolve(db).url) == before
    cli("db", "check")
    cli("audit-log", "verify")
    _takes_a_write(cli)


def test_sigkill_mid_roster_import(cli, db, ana, tmp_path: Path) -> None:
    _registry_with_history(cli, ana, tmp_path)
    big = _roster(tmp_path / "BIG.csv", 9_000)
    before = dump(resolve(db).url)
    _kill_while_writing(db, tmp_path, "intake", "roster", str(big))
    _still_sound(cli, db, before)


def test_sigkill_mid_leie_load(cli, db, ana, tmp_path: Path) -> None:
    _registry_with_history(cli, ana, tmp_path)
    rows = [leie_row(f"LAST{n}", f"FIRST{n}", ADDRESS=f"{n} Main St") for n in range(60_000)]
    big = write_leie(tmp_path / "BIG_UPDATED.csv", rows)
    before = dump(resolve(db).url)
    _kill_while_writing(db, tmp_path, "verify", "load", "leie", str(big), "--kind", "full")
    _still_sound(cli, db, before)


def test_sigkill_mid_nppes_load(cli, db, ana, tmp_path: Path) -> None:
    _registry_with_history(cli, ana, tmp_path)
    rows = [nppes_row(npi(n), f"Last{n}", f"First{n}") for n in range(100_000)]
    big = write_nppes(tmp_path / "npidata_pfile_20050523-20251109.csv", rows)
    before = dump(resolve(db).url)
    _kill_while_writing(db, tmp_path, "verify", "load", "nppes", "--all", str(big), after=2 << 20)
    _still_sound(cli, db, before)
