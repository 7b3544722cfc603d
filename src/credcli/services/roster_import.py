"""Import a roster: every row is created, updated, unchanged, rejected with a reason, or blank.

read = created + updated + unchanged + rejected + blank, always. The whole import is
one transaction (the caller's write session); a dry run does all the work and rolls
it back.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from credcli.domain import dates
from credcli.domain.roster_values import CellError, shown
from credcli.errors import InputError
from credcli.io import roster_reader, roster_writer
from credcli.services import roster_layout
from credcli.services.roster_layout import Layout, Mapping
from credcli.services.roster_rows import ParsedRow, RowParser, RowProblem, problem
from credcli.services.roster_store import RosterStore

BATCH_ROWS = 5000


class Progress(Protocol):
    def start(self, total: int | None) -> None: ...

    def advance(self, rows: int) -> None: ...


@dataclass
class Reject:
    row: int
    cells: list[Any]
    reason: str


@dataclass
class ImportSummary:
    sheet: str
    is_csv: bool
    header_row: int
    headers: list[str]
    other_sheets: list[str]
    dry_run: bool
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    blank: int = 0
    reported: int = 0  # rows the progress bar has been told about
    withdrawn_files: list[int] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    def counts(self) -> dict[str, Any]:
        """The summary as ``--format json`` prints it."""
        return {
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "blank": self.blank,
            "ignored_columns": list(self.ignored_columns),
        }


def import_roster(
    *,
    session: Session,
    path: Path,
    mapping: Mapping | None = None,
    sheet: str | None = None,
    dayfirst: bool = False,
    dry_run: bool = False,
    rejects_path: Path | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import ``path`` into the registry of ``session``; see the module docstring."""
    # A roster makes millions of short-lived, acyclic objects; the cyclic collector
    # would walk all live rows again and again for nothing (about a fifth of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(
            session, path, mapping or {}, sheet, dayfirst, dry_run, rejects_path, progress
        )
    finally:
        if collecting:
            gc.enable()


def _import(
    session: Session,
    path: Path,
    mapping: Mapping,
    sheet: str | None,
    dayfirst: bool,
    dry_run: bool,
    rejects_path: Path | None,
    progress: Progress | None,
) -> ImportSummary:
    if rejects_path is not None:
        check_rejects_path(rejects_path, path)
    roster = roster_reader.open_roster(path)
    layout, rows, total = _choose_sheet(roster, sheet, mapping)
    roster_layout.check_mapping_used(layout, mapping)
    summary = ImportSummary(
        sheet=layout.sheet,
        is_csv=roster.is_csv,
        header_row=layout.header_row,
        headers=layout.headers,
        other_sheets=[name for name in roster.sheet_names if name != layout.sheet],
        dry_run=dry_run,
        ignored_columns=layout.ignored,
    )
    if progress is not None:
        progress.start(None if total is None else max(total - layout.header_row, 0))
    today = dates.today()
    parser = RowParser(layout, dayfirst=dayfirst, delimiter=roster.delimiter, today=today)
    store = RosterStore(session, layout, today=today)
    seen: dict[str, int] = {}
    batch: list[ParsedRow] = []
    for number, cells in rows:
        summary.read += 1
        try:
            parsed = parser.parse(number, cells)
        except RowProblem as exc:
            summary.rejects.append(Reject(number, cells, f"row {number}: {exc}"))
            continue
        if parsed is None:
            summary.blank += 1
            continue
        first = seen.setdefault(parsed.npi, number)
        if first != number:
            reason = problem(
                parsed.npi_column,
                cells[parsed.npi_column.index],
                f"appears again (first on row {first}); keep one row per provider",
            )
            summary.rejects.append(Reject(number, cells, f"row {number}: {reason}"))
            continue
        batch.append(parsed)
        if len(batch) >= BATCH_ROWS:
            _write(store, batch, summary, progress)
            batch = []
    _write(store, batch, summary, progress)
    summary.rejects.sort(key=lambda reject: reject.row)
    if dry_run:
        session.rollback()
    if rejects_path is not None:
        write_rejects(rejects_path, summary)
    return summary


def check_rejects_path(rejects_path: Path, path: Path) -> None:
    """Refuse a --rejects file that would replace the roster being imported (also when
    named another way: ./roster.xlsx, a symlink, a hard link), before anything is read
    or written."""
    if rejects_path.suffix.lower() != ".xlsx":
        raise InputError(f"--rejects {rejects_path}: give a file name ending in .xlsx")
    try:
        same = rejects_path.resolve() == path.resolve() or (
            rejects_path.exists() and path.exists() and os.path.samefile(rejects_path, path)
        )
    except OSError:  # a path that cannot be resolved is not the roster; reading it will say
        same = False
    if same:
        raise InputError(
            f"--rejects {rejects_path} is the roster being imported; writing the rejected "
            "rows there would replace the roster: name another file, e.g. --rejects "
            f"{path.with_name(path.stem + '-rejects.xlsx').name}"
        )


def _write(
    store: RosterStore, batch: list[ParsedRow], summary: ImportSummary, progress: Progress | None
) -> None:
    result = store.write(batch)
    summary.created += result.created
    summary.updated += result.updated
    summary.unchanged += result.unchanged
    summary.withdrawn_files += result.withdrawn_files
    for parsed, reason in result.rejected:
        summary.rejects.append(Reject(parsed.row, parsed.cells, f"row {parsed.row}: {reason}"))
    if progress is not None:  # every row read so far, rejected and blank ones too
        progress.advance(summary.read - summary.reported)
        summary.reported = summary.read


def _choose_sheet(
    roster: roster_reader.RosterFile, wanted: str | None, mapping: Mapping
) -> tuple[Layout, Iterator[tuple[int, list[Any]]], int | None]:
    names = roster.sheet_names
    if wanted is not None:
        if wanted not in names:
            raise InputError(
                f"{roster.path.name} has no sheet '{wanted}'; its sheets: {', '.join(names)}"
            )
        names = [wanted]
    looked: list[str] = []
    for name in names:
        sheet = roster.sheet(name)
        layout, seen = roster_layout.find_header(name, sheet.rows, mapping)
        if layout is not None:
            return layout, sheet.rows, sheet.total
        looked.append(f"sheet '{name}' ({'; '.join(seen) or 'empty'})")
    raise InputError(
        f"{roster.path.name}: no header row with an NPI column and another known column in "
        f"the first {roster_layout.HEADER_SCAN_ROWS} rows of "
        + ", ".join(looked)
        + "; name your columns with --map 'Your Header=npi' (see credcli intake roster --help)"
    )


def write_rejects(path: Path, summary: ImportSummary) -> int:
    """The rejected rows with their original cells, the source row and the reason,
    under the original header, so they can be fixed and imported again."""
    width = max([len(summary.headers), *(len(r.cells) for r in summary.rejects)])
    headers = [
        summary.headers[i] if i < len(summary.headers) and summary.headers[i] else f"Column {i + 1}"
        for i in range(width)
    ]
    rows = (
        [_original(cell) for cell in reject.cells]
        + [None] * (width - len(reject.cells))
        + [reject.row, reject.reason]
        for reject in summary.rejects
    )
    return roster_writer.write_rows(path, "Rejected", [*headers, "Source Row", "Reason"], rows)


def _original(cell: Any) -> Any:
    if cell == "":
        return None
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return int(cell)
    if isinstance(cell, dt.datetime | dt.date):
        return cell
    if isinstance(cell, dt.time | dt.timedelta | CellError):
        return shown(cell)
    return cell
