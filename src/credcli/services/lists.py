"""Loading the federal lists: each load replaces (or, for LEIE supplements, amends) the
stored copy of its list in the caller's one transaction, and is recorded.

Rows are written with Core executemany in batches; the ORM audit hook does not
see them, so each load writes one audit entry itself.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, String, delete, func, insert, select, update
from sqlalchemy.orm import Session

from credcli.db.models import Base, ExclusionRecord, ListLoad, NppesRecord, Provider
from credcli.db.models.base import utcnow
from credcli.errors import InputError
from credcli.io import jsontext, leie, listfiles, nppes, sam
from credcli.services import audit, when

BATCH = 5000
_compact_json = jsontext.writer((",", ":"), sort_keys=False)  # list records, taxonomies
LEIE_KINDS = ("full", "exclusions", "reinstatements")


@dataclass(frozen=True)
class LoadResult:
    load_id: int
    list_name: str
    kind: str
    file_name: str
    file_date: dt.date
    row_count: int
    rows_added: int
    rows_removed: int
    list_size: int
    notes: list[str]


# A full list file under half the stored copy is refused (unless --allow-shrink); lists
# smaller than this are test or sample lists, where halving means nothing.
SHRINK_GUARD_MIN_ROWS = 1000
SHRINK_GUARD_SHARE = 0.5


def load_leie(
    session: Session,
    path: Path,
    *,
    kind: str | None = None,
    file_date: dt.date | None = None,
    allow_shrink: bool = False,
) -> LoadResult:
    """UPDATED.csv replaces the list; YYMMEXCL.csv adds rows; YYMMREIN.csv removes them."""
    kind = kind or leie.kind_from_name(path)
    if kind not in LEIE_KINDS:
        raise InputError(f"kind '{kind}' must be one of {', '.join(LEIE_KINDS)}")
    rows = leie.read(path)
    if kind == "full":
        _refuse_empty_full(path, rows, "leie")
    conn = session.connection()
    notes: list[str] = []
    if kind == "full":
        _refuse_shrink(conn, path, "leie", len(rows), allow_shrink)
    load_id = _start_load(conn, "leie", kind, path, file_date, replace=kind == "full")
    if kind == "full":
        kept = [r for r in rows if not r.data.get("REINDATE")]
        if len(kept) < len(rows):
            notes.append(f"left out {len(rows) - len(kept)} rows that carry a reinstatement date")
        removed = _delete_list(conn, "leie")
        _insert_rows(conn, path, "leie", kept, load_id)
        added = len(kept)
    else:
        if _list_size(conn, "leie") == 0:
            notes.append("no full LEIE (UPDATED.csv) is loaded; load it before supplements")
        keys = [r.record_key for r in rows]
        present = _present_keys(conn, keys)
        if kind == "exclusions":
            fresh = list({r.record_key: r for r in rows if r.record_key not in present}.values())
            if len(fresh) < len(rows):
                notes.append(f"{len(rows) - len(fresh)} rows were already on the list")
            _insert_rows(conn, path, "leie", fresh, load_id)
            added, removed = len(fresh), 0
        else:
            removed = _remove_keys(conn, keys)
            added = 0
            unknown = len(set(keys) - present)
            if unknown:
                notes.append(f"{unknown} reinstated rows were not on the stored list")
    _finish_load(conn, load_id, len(rows), added, removed)
    return _result(conn, load_id, notes)


def load_sam(
    session: Session, path: Path, *, file_date: dt.date | None = None, allow_shrink: bool = False
) -> LoadResult:
    """The SAM V2 public extract replaces the stored SAM list."""
    extract = sam.read(path)
    _refuse_empty_full(path, extract.rows, "sam", skipped=extract.skipped)
    conn = session.connection()
    _refuse_shrink(conn, path, "sam", len(extract.rows), allow_shrink)
    load_id = _start_load(conn, "sam", "full", path, file_date, replace=True)
    removed = _delete_list(conn, "sam")
    _insert_rows(conn, path, "sam", extract.rows, load_id)
    notes = []
    if extract.skipped:
        notes.append(f"left out {extract.skipped} vessels and other non-person, non-firm rows")
    total = len(extract.rows) + extract.skipped
    _finish_load(conn, load_id, total, len(extract.rows), removed)
    return _result(conn, load_id, notes)


def load_nppes(
    session: Session,
    path: Path,
    *,
    every_row: bool = False,
    file_date: dt.date | None = None,
    digest: bool = False,
    allow_shrink: bool = False,
) -> LoadResult:
    """Stream the NPPES file, keeping the registry's NPIs (or every row), replacing the copy.

    The file's SHA-256 is recorded only with ``digest``: NPPES is a reference file of
    8-10 GB identified by its dated name, and hashing it would double the load time.
    A damaged row refuses the file (io.nppes); so does a file of under half the rows of
    the one loaded before, unless ``allow_shrink``.
    """
    conn = session.connection()
    wanted = None if every_row else set(conn.execute(select(Provider.npi)).scalars())
    scan = nppes.Scan(digest=digest)
    records = nppes.open_scan(path, wanted, scan)
    before = conn.execute(
        select(ListLoad.file_name, ListLoad.row_count)
        .where(ListLoad.list_name == "nppes", ListLoad.current.is_(True))
        .order_by(ListLoad.id.desc())
        .limit(1)
    ).first()
    load_id = _start_load(conn, "nppes", "full", path, file_date, replace=True, sha256="")
    # sha256="" leaves the hash empty for now; _finish_load stores it when asked for
    removed = conn.execute(delete(NppesRecord)).rowcount or 0
    seen: set[str] = set()
    duplicates = too_long = 0
    nppes_limits = _limits(NppesRecord.__tablename__)
    for batch in _batches(records, BATCH):
        values = []
        for record in batch:
            if not every_row:
                if record["npi"] in seen:
                    duplicates += 1
                    continue
                seen.add(record["npi"])
            record["taxonomies"] = _compact_json(record["taxonomies"])
            record["load_id"] = load_id
            values.append(record)
        if _too_long(values, nppes_limits) is not None:  # a damaged file: drop such rows
            fits = [v for v in values if _too_long([v], nppes_limits) is None]
            too_long += len(values) - len(fits)
            values = fits
        # every row: no NPI set to keep; a damaged file's repeated NPI is skipped in SQL
        _bulk_insert(conn, NppesRecord.__tablename__, values, skip_repeats=every_row)
    if every_row:
        stored = conn.execute(select(func.count()).select_from(NppesRecord)).scalar_one()
        duplicates = scan.kept - too_long - int(stored)
    if scan.scanned == 0:  # raised after the replace: the transaction rolls it back
        raise InputError(
            f"{path.name} has a header but no rows; the stored NPPES copy was left as it "
            "was: download the NPPES file again"
        )
    if before is not None and not allow_shrink:
        _refuse_nppes_shrink(path, scan.scanned, before[0], before[1])
    notes = list(scan.problems[:5])
    if too_long:
        notes.append(f"left out {too_long} rows with a value longer than credcli keeps")
    if duplicates:
        notes.append(f"{duplicates} NPIs appeared more than once; the first row was kept")
    if wanted is not None and len(wanted) > len(seen):
        notes.append(f"{len(wanted) - len(seen)} registry NPIs are not in the file")
    # the fast scan hashes the file on the way; the full read (--all) is hashed here
    sha256 = (scan.sha256 or listfiles.sha256_of(path)) if digest else None
    added = scan.kept - duplicates - too_long
    _finish_load(conn, load_id, scan.scanned, added, removed, sha256=sha256)
    return _result(conn, load_id, notes)


def _refuse_empty_full(
    path: Path, rows: list[listfiles.ListRow], list_name: str, *, skipped: int = 0
) -> None:
    """A full file replaces the stored list: one that would leave it empty (a header and no
    rows, a reinstatements file, an extract of vessels) is a wrong or broken download."""
    label = listfiles.LABELS[list_name]
    if not rows and not skipped:
        raise InputError(
            f"{path.name} has a header but no rows; the stored list was left as it was: "
            f"download {label} again"
        )
    if list_name == "leie" and all(r.data.get("REINDATE") for r in rows):
        raise InputError(
            f"{path.name}: every row carries a reinstatement date, so it is not a full LEIE; "
            "load a YYMMREIN.csv supplement with --kind reinstatements"
        )
    if not rows:
        raise InputError(
            f"{path.name} holds no individuals or firms ({skipped} vessels and other rows); "
            f"the stored list was left as it was: download {label} again"
        )


def _refuse_shrink(
    conn: Connection, path: Path, list_name: str, rows: int, allow_shrink: bool
) -> None:
    """A full file replaces the stored list, so a download cut off at a line boundary
    (which parses cleanly) would silently drop everyone after the cut. The federal lists
    change by a few hundred rows a month; a file under half the stored copy is refused."""
    if allow_shrink:
        return
    stored = _list_size(conn, list_name)
    if stored >= SHRINK_GUARD_MIN_ROWS and rows < stored * SHRINK_GUARD_SHARE:
        raise InputError(
            f"{path.name} holds {rows:,} rows, less than half of the {stored:,} rows of the "
            f"stored {list_name.upper()} list: a cut-off download? It was "
            "left as it was; download the file again, or load it with --allow-shrink if the "
            "list really shrank"
        )


def _refuse_nppes_shrink(path: Path, rows: int, previous: str, stored: int) -> None:
    """NPPES loads replace the copy too, and what is kept depends on --all, so the file's
    rows are weighed against the rows read from the file loaded before. Raised after the
    streaming pass (only it counts the rows): the transaction rolls the replace back."""
    if stored >= SHRINK_GUARD_MIN_ROWS and rows < stored * SHRINK_GUARD_SHARE:
        raise InputError(
            f"{path.name} holds {rows:,} rows, less than half of the {stored:,} rows of "
            f"{previous}, the NPPES file loaded before: a cut-off download, or a weekly "
            "update file? The stored NPPES copy was left as it was; download the full file "
            "again, or load it with --allow-shrink if it really is the whole file"
        )


def history(session: Session, list_name: str | None = None) -> list[dict[str, Any]]:
    query = select(ListLoad).order_by(ListLoad.id.desc())
    if list_name:
        query = query.where(ListLoad.list_name == list_name)
    return [_load_view(load) for load in session.scalars(query)]


def current_versions(session: Session, list_name: str) -> list[dict[str, Any]]:
    """The loads that make up the stored copy of a list now (a full file and its supplements)."""
    loads = session.scalars(
        select(ListLoad)
        .where(ListLoad.list_name == list_name, ListLoad.current.is_(True))
        .order_by(ListLoad.id)
    )
    return [
        {
            "load_id": load.id,
            "kind": load.kind,
            "file": load.file_name,
            "file_date": load.file_date.isoformat(),
            "sha256": load.file_sha256,
        }
        for load in loads
    ]


def _load_view(load: ListLoad) -> dict[str, Any]:
    return {
        "id": load.id,
        "list": load.list_name,
        "kind": load.kind,
        "file": load.file_name,
        "file_date": load.file_date,
        "rows": load.row_count,
        "added": load.rows_added,
        "removed": load.rows_removed,
        "list_size": load.list_size,
        "loaded_at": load.loaded_at,
        "loaded_by": load.loaded_by,
        "current": load.current,
    }


def _delete_list(conn: Connection, list_name: str) -> int:
    removed = conn.execute(
        delete(ExclusionRecord).where(ExclusionRecord.list_name == list_name)
    ).rowcount
    return removed or 0


def _insert_rows(
    conn: Connection, path: Path, list_name: str, rows: list[listfiles.ListRow], load_id: int
) -> None:
    limits = _limits(ExclusionRecord.__tablename__)
    for start in range(0, len(rows), BATCH):
        values = []
        for row in rows[start : start + BATCH]:
            value = dict(vars(row))  # shallow: asdict would deep-copy every record
            value["data"] = _compact_json(row.data)
            value["list_name"] = list_name
            value["load_id"] = load_id
            values.append(value)
        if (found := _too_long(values, limits)) is not None:
            column, limit, text = found
            shown = text if len(text) <= 60 else text[:57] + "..."
            raise InputError(
                f"{path.name}: a {column.replace('_', ' ')} of {len(text):,} characters "
                f"('{shown}') is longer than the {limit} credcli keeps; the file is damaged "
                f"or not {listfiles.LABELS[list_name]}"
            )
        _bulk_insert(conn, ExclusionRecord.__tablename__, values)


def _limits(table: str) -> list[tuple[str, int]]:
    """The table's text columns of limited length (PostgreSQL refuses longer values)."""
    return [
        (column.name, int(column.type.length))
        for column in Base.metadata.tables[table].columns
        if isinstance(column.type, String) and column.type.length
    ]


def _too_long(
    rows: list[dict[str, Any]], limits: list[tuple[str, int]]
) -> tuple[str, int, str] | None:
    """The first (column, limit, value) over its column's length, looked for a column at a
    time over the whole batch (map and max run in C: no Python step per row)."""
    for name, limit in limits:
        pick = operator.itemgetter(name)
        if max(map(len, filter(None, map(pick, rows))), default=0) > limit:
            return name, limit, next(v for v in map(pick, rows) if v and len(v) > limit)
    return None


def _bulk_insert(
    conn: Connection, table: str, rows: list[dict[str, Any]], *, skip_repeats: bool = False
) -> None:
    """executemany straight to the driver: for list rows, SQLAlchemy's per-row parameter
    processing costs more than the database's own work. ``skip_repeats`` keeps the row
    already stored when a row repeats its primary key."""
    if not rows:
        return
    columns = list(rows[0])
    style = conn.dialect.paramstyle
    mark = "?" if style == "qmark" else "%s" if style in ("format", "pyformat") else None
    if mark is None:
        conn.execute(insert(Base.metadata.tables[table]), rows)
        return
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
        + (" ON CONFLICT DO NOTHING" if skip_repeats else "")
    )
    if conn.dialect.name == "sqlite":  # stored as SQLAlchemy stores them: ISO text
        dated = [c.name for c in Base.metadata.tables[table].columns if isinstance(c.type, Date)]
        for row in rows:
            for name in dated:
                if row[name] is not None:
                    row[name] = row[name].isoformat()
    pick = operator.itemgetter(*columns)
    conn.exec_driver_sql(sql, [pick(row) for row in rows])


def _present_keys(conn: Connection, keys: list[str]) -> set[str]:
    found: set[str] = set()
    unique = sorted(set(keys))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        found.update(
            conn.execute(
                select(ExclusionRecord.record_key).where(
                    ExclusionRecord.list_name == "leie", ExclusionRecord.record_key.in_(chunk)
                )
            ).scalars()
        )
    return found


def _remove_keys(conn: Connection, keys: list[str]) -> int:
    removed = 0
    unique = sorted(set(keys))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        removed += (
            conn.execute(
                delete(ExclusionRecord).where(
                    ExclusionRecord.list_name == "leie", ExclusionRecord.record_key.in_(chunk)
                )
            ).rowcount
            or 0
        )
    return removed


def _list_size(conn: Connection, list_name: str) -> int:
    if list_name == "nppes":
        query = select(func.count()).select_from(NppesRecord)
    else:
        query = (
            select(func.count())
            .select_from(ExclusionRecord)
            .where(ExclusionRecord.list_name == list_name)
        )
    return int(conn.execute(query).scalar() or 0)


def _start_load(
    conn: Connection,
    list_name: str,
    kind: str,
    path: Path,
    file_date: dt.date | None,
    *,
    replace: bool,
    sha256: str | None = None,
) -> int:
    """Record the load first (its rows point at it); counts are filled in by _finish_load."""
    if file_date is not None:
        when.not_future("file-date", file_date, "a list is loaded after it is published")
    if replace:
        conn.execute(update(ListLoad).where(ListLoad.list_name == list_name).values(current=False))
    load_id = conn.execute(
        insert(ListLoad)
        .values(
            list_name=list_name,
            kind=kind,
            file_name=path.name,
            file_sha256=listfiles.sha256_of(path) if sha256 is None else (sha256 or None),
            file_date=file_date or listfiles.file_date(path, list_name),
            row_count=0,
            rows_added=0,
            rows_removed=0,
            list_size=0,
            loaded_at=utcnow(),
            loaded_by=audit.actor(),
            current=True,
        )
        .returning(ListLoad.id)
    ).scalar_one()
    return int(load_id)


def _finish_load(
    conn: Connection,
    load_id: int,
    rows: int,
    added: int,
    removed: int,
    *,
    sha256: str | None = None,
) -> None:
    list_name = conn.execute(select(ListLoad.list_name).where(ListLoad.id == load_id)).scalar_one()
    values: dict[str, Any] = {
        "row_count": rows,
        "rows_added": added,
        "rows_removed": removed,
        "list_size": _list_size(conn, list_name),
    }
    if sha256 is not None:
        values["file_sha256"] = sha256
    conn.execute(update(ListLoad).where(ListLoad.id == load_id).values(**values))
    row = conn.execute(select(ListLoad.__table__).where(ListLoad.id == load_id)).mappings().one()
    after = {k: v for k, v in row.items() if k not in ("id", "loaded_at")}
    audit.append(conn, [audit.Change("create", "list_loads", load_id, None, after=after)])


def _result(conn: Connection, load_id: int, notes: list[str]) -> LoadResult:
    row = conn.execute(select(ListLoad.__table__).where(ListLoad.id == load_id)).mappings().one()
    return LoadResult(
        load_id=load_id,
        list_name=row["list_name"],
        kind=row["kind"],
        file_name=row["file_name"],
        file_date=row["file_date"],
        row_count=row["row_count"],
        rows_added=row["rows_added"],
        rows_removed=row["rows_removed"],
        list_size=row["list_size"],
        notes=notes,
    )


def _batches(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
