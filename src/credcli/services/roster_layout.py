"""Which row of a roster sheet is the header, and what each of its columns means.

The header is not always the first row (a title, a date or a blank line often sit
above it): it is the first of the top rows in which an NPI column and at least one
other known column can be recognised, through the built-in aliases or the user's
``--map``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credcli.domain import roster_fields as rf
from credcli.domain.roster_values import shown
from credcli.errors import InputError

HEADER_SCAN_ROWS = 30


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    target: rf.Target

    @property
    def name(self) -> str:
        """How messages name the column: ``column C "Individual NPI"``."""
        return f'column {rf.column_letter(self.index)} "{self.header}"'


@dataclass
class Layout:
    sheet: str
    header_row: int
    headers: list[str]
    columns: list[Column]
    ignored: list[str] = field(default_factory=list)

    def column(self, key: str) -> Column | None:
        for column in self.columns:
            if column.target.key == key:
                return column
        return None


Mapping = dict[str, tuple[str, rf.Target]]  # normalised header -> (header as typed, target)


def parse_mappings(pairs: list[str], map_file: Path | None) -> Mapping:
    """``--map "Lic Exp=license_expires"`` and ``--map-file`` lines, keyed by normalised header."""
    lines: list[tuple[str, str]] = [(f"--map '{pair}'", pair) for pair in pairs]
    if map_file is not None:
        try:
            text = map_file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise InputError(f"map file {map_file} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read map file {map_file}: {exc}") from None
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip() and not line.lstrip().startswith("#"):
                lines.append((f"{map_file.name} line {number}", line))
    mapping: Mapping = {}
    for where, line in lines:
        header, sep, target = line.rpartition("=")
        target = target.split("#", 1)[0]  # field names hold no '#': the rest is a comment
        if not sep or not header.strip() or not target.strip():
            raise InputError(
                f"{where}: write a mapping as HEADER=FIELD, e.g. 'Lic Exp=license_expires'"
            )
        try:
            parsed = rf.parse_target(target)
        except ValueError as exc:
            raise InputError(f"{where}: '{target.strip()}' {exc}") from None
        norm = rf.normalize_header(header)
        if norm in mapping and mapping[norm][1] != parsed:
            typed, earlier = mapping[norm]
            raise InputError(
                f"{where}: '{header.strip()}' is already mapped to {earlier.key} "
                f"(as '{typed}'); map each header once"
            )
        mapping[norm] = (header.strip(), parsed)
    return mapping


def _header_text(cell: Any) -> str:
    return " ".join(shown(cell).split())


def _target(header: str, mapping: Mapping) -> rf.Target | None:
    norm = rf.normalize_header(header)
    if norm in mapping:
        return mapping[norm][1]
    return rf.match_header(header)


def layout_of(sheet: str, row: int, cells: list[Any], mapping: Mapping) -> Layout:
    headers = [_header_text(cell) for cell in cells]
    columns: list[Column] = []
    ignored: list[str] = []
    seen: dict[str, Column] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        target = _target(header, mapping)
        if target is None or target.field in (rf.IGNORE, rf.SSN):
            ignored.append(header)
            continue
        if target.key in seen:
            target = _next_slot(target, header, seen)
        column = Column(index, header, target)
        if target.key in seen:
            raise InputError(_both_mean(sheet, row, seen[target.key], column, mapping))
        seen[target.key] = column
        columns.append(column)
    return Layout(sheet, row, headers, columns, ignored)


def _next_slot(target: rf.Target, header: str, seen: dict[str, Column]) -> rf.Target:
    """A license or CDS header repeated word for word starts the row's next credential:
    ``License Number, License State, License Number, License State``."""
    first = seen[target.key]
    if rf.kind_of(target.field) not in rf.SLOTTED_KINDS or target.slot != 1:
        return target
    if rf.normalize_header(first.header) != rf.normalize_header(header):
        return target
    for slot in range(2, rf.MAX_SLOTS + 1):
        candidate = rf.Target(target.field, slot)
        if candidate.key not in seen:
            return candidate
    return target


def _both_mean(sheet: str, row: int, first: Column, column: Column, mapping: Mapping) -> str:
    where = (
        f"sheet '{sheet}' row {row}: {first.name} and {column.name} both mean {column.target.key}"
    )
    if rf.normalize_header(first.header) == rf.normalize_header(column.header):
        return (
            f"{where}; rename one of them in the file, or drop both with "
            f'--map "{column.header}=ignore"'
        )
    # Suggest dropping the column the user did not map on purpose.
    drop = first if rf.normalize_header(column.header) in mapping else column
    return f'{where}; keep one, e.g. --map "{drop.header}=ignore"'


def _looks_like_header(layout: Layout) -> bool:
    return layout.column("npi") is not None and len(layout.columns) >= 2


def find_header(
    sheet: str, rows: Iterator[tuple[int, list[Any]]], mapping: Mapping
) -> tuple[Layout | None, list[str]]:
    """Look for the header among the top rows, consuming them from ``rows``.

    Returns the layout (or None) and, for a message when nothing was found, what the
    top non-blank rows held.
    """
    scanned: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        scanned.append((number, cells))
        if any(_header_text(cell) for cell in cells):
            layout = layout_of(sheet, number, cells, mapping)
            if _looks_like_header(layout):
                return layout, []
        if len(scanned) >= HEADER_SCAN_ROWS:
            break
    seen = [
        f"row {number}: "
        + ", ".join(_preview(t) for t in (_header_text(c) for c in cells) if t)[:120]
        for number, cells in scanned
        if any(_header_text(c) for c in cells)
    ][:3]
    return None, seen


def _preview(text: str) -> str:
    """A cell as the "no header found" message shows it: header words as they are, but
    never a value with digits in it (an SSN, a birth date) in a message cron mails."""
    return "(a value)" if sum(c.isdigit() for c in text) >= 3 else text


def check_mapping_used(layout: Layout, mapping: Mapping) -> None:
    """A --map header that is not in the header row is a typo the user must hear about."""
    present = {rf.normalize_header(h) for h in layout.headers if h}
    listed = ", ".join(h for h in layout.headers if h)
    for norm, (typed, _) in mapping.items():
        if norm not in present:
            raise InputError(
                f"--map: no column '{typed}' in the header row (sheet '{layout.sheet}' "
                f"row {layout.header_row}); headers there: {listed}"
            )
