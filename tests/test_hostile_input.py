"""Hostile and broken input: whatever file a coordinator is handed, credcli ends in an
import or a clear rejection, never a traceback.

Hypothesis writes rosters (CSV in several encodings and delimiters, workbooks with
random cells and sheets), files that only claim to be workbooks, and LEIE, SAM and
NPPES files with random rows. For every one the command exits 0 (and then every row
is accounted for and the exports carry no live formula) or 2 with one ``error:``
line, the registry as it was. Zip bombs are refused before they are decompressed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import random
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from credcli.cli.app import app
from credcli.db.engine import resolve
from credcli.domain import roster_fields as rf
from credcli.io import formulas, zip_guard
from credcli.io.listfiles import LEIE_HEADER
from listfiles import (
    NPPES_HEADER,
    SAM_HEADER,
    leie_row,
    nppes_row,
    sam_row,
    write_leie,
    write_nppes,
)
from registry_dump import dump
from rosters import npi

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl on odd cells

SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FORMULAS = [
    "=cmd|' /C calc'!A0",
    '+HYPERLINK("http://evil.example")',
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "=1+1",
    "\t=1+1",
]
HEADER_NAMES = sorted(
    {rf.LABELS[field] for field in rf.LABELS}
    | {alias for aliases in rf.ALIASES.values() for alias in aliases}
    | set(rf.LABELS)
)
NPIS = [npi(n) for n in range(1, 30)]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]

# Text as it comes: control characters, NUL, quotes, line breaks, accents, emoji.
wild_text = st.text(st.characters(codec="utf-8"), max_size=30) | st.text(
    st.characters(min_codepoint=0, max_codepoint=0x3FF), max_size=15
)
huge_text = st.integers(1000, 200_000).map(lambda n: "x" * n)
cell_text = st.one_of(
    wild_text,
    st.sampled_from(NPIS),
    st.sampled_from(FORMULAS),
    st.sampled_from(["03/15/2027", "2027-02-30", "15-Mar-2027", "#N/A", "TRUE", "'08752", ""]),
    st.sampled_from(["CA", "NY", "Diaz", "Ana", "L-1", "-5", "+1.5", "1e308", "NaN"]),
    huge_text,
)
# Half the headers name a provider in their first three columns, so that rows import.
headers = st.tuples(
    st.sampled_from([["NPI"], ["NPI", "Last Name", "First Name"]]),
    st.lists(st.one_of(st.sampled_from(HEADER_NAMES), wild_text), max_size=8),
).map(lambda parts: [*parts[0], *parts[1]])
names = st.one_of(st.sampled_from(["Diaz", "Ana", "O'Brien", " "]), st.sampled_from(FORMULAS))


def roster_rows(cells: st.SearchStrategy[Any], width: int) -> st.SearchStrategy[list[Any]]:
    """Random rows, and rows that start like a provider (NPI, last and first name)."""
    random_row = st.lists(cells, max_size=width + 2)
    provider = st.tuples(st.sampled_from(NPIS), names | wild_text, names, random_row)
    return st.one_of(random_row, provider.map(lambda p: [p[0], p[1], p[2], *p[3]]))


# -- running the command -----------------------------------------------------------------


@pytest.fixture
def reg(cli, db: str) -> str:
    """A registry holding one provider already, so that "unchanged" means something."""
    cli("intake", "new", "--npi", "1558598797", "--first", "Ben", "--last", "Okafor")
    return db


def _run(cli, db: str, *args: str) -> dict[str, Any] | None:
    """Run credcli; exit 0 gives the JSON summary (when asked for), exit 2 one error line
    and an unchanged registry; anything else fails the test."""
    before = dump(resolve(db).url)
    result = cli.runner.invoke(app, list(args), catch_exceptions=False)
    assert "Traceback" not in result.stderr
    event(f"exit {result.exit_code}")  # shown by pytest --hypothesis-show-statistics
    if result.exit_code == 2 and os.environ.get("HOSTILE_REASONS"):  # which refusals, how often
        event(re.sub(r"\d+", "N", result.stderr.splitlines()[-1])[:70])
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert lines and lines[-1].startswith("error: "), result.stderr
        assert sum(line.startswith("error: ") for line in lines) == 1, result.stderr
        assert dump(resolve(db).url) == before
        return None
    assert result.exit_code == 0, f"exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
    if "json" in args:
        summary: dict[str, Any] = json.loads(result.stdout)
        return summary
    return {}


def _import(cli, db: str, path: Path, tmp_path: Path) -> None:
    summary = _run(cli, db, "intake", "roster", str(path), "--format", "json")
    if summary is None:
        return
    parts = ("created", "updated", "unchanged", "rejected", "blank")
    assert summary["read"] == sum(summary[part] for part in parts)
    event("some rows imported" if summary["created"] + summary["updated"] else "no row imported")
    _exports_are_defused(cli, tmp_path)


def _live(value: Any) -> bool:
    """A text cell a spreadsheet would run: a formula start, not escaped, not a number."""
    return (
        isinstance(value, str)
        and value.startswith(("=", "+", "-", "@", "\t", "\r"))
        and formulas.defuse(value) != value
    )


def _exports_are_defused(cli, tmp_path: Path) -> None:
    out = cli("report", "roster", "--format", "csv").stdout
    assert not [cell for row in csv.reader(io.StringIO(out)) for cell in row if _live(cell)]
    book_path = tmp_path / "export.xlsx"
    book_path.unlink(missing_ok=True)
    cli("report", "roster", "--xlsx", str(book_path))
    book = load_workbook(book_path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert not _live(cell.value), (sheet.title, cell.coordinate, cell.value)


# -- rosters as CSV ----------------------------------------------------------------------


@st.composite
def csv_rosters(draw: st.DrawFn) -> tuple[bytes, str]:
    header = draw(headers)
    rows = draw(st.lists(roster_rows(cell_text, len(header)), max_size=12))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|", ":", " "]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    if draw(st.booleans()):
        writer.writerow(["Payer roster", "exported"])  # a title row above the header
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.booleans()):
        text += "\udc80 lone surrogate \ud800"
    encoding = draw(st.sampled_from(ENCODINGS))
    errors = draw(st.sampled_from(["replace", "surrogatepass", "ignore"]))
    if encoding in ("cp1252", "latin-1"):
        errors = "replace"
    data = text.encode(encoding, errors=errors)
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data, encoding


@pytest.mark.slow
@SETTINGS
@given(roster=csv_rosters())
def test_any_csv_roster_imports_or_is_refused(cli, reg, tmp_path, roster) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(roster[0])
    _import(cli, reg, path, tmp_path)


# -- rosters as workbooks ----------------------------------------------------------------

numbers = st.one_of(
    st.integers(-(10**18), 10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1234567893, 1234567893.0, 8752, -1, 0, 1e308, -1e-308, 46000.5]),
)
moments = st.one_of(
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)),
    st.times(),
)
xlsx_cells = st.one_of(
    cell_text, numbers, moments, st.booleans(), st.none(), st.sampled_from(NPIS).map(int)
)


def _put(sheet: Any, row: int, column: int, value: Any, as_formula: bool) -> None:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]  # what a workbook can hold
    if isinstance(value, float) and not math.isfinite(value):
        value = str(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("=") and not as_formula:
        cell.data_type = "s"  # text that looks like a formula, as a paste leaves it


@st.composite
def workbooks(draw: st.DrawFn) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    names = draw(st.lists(st.text("ABCdef 123", min_size=1, max_size=12), max_size=4))
    for index, name in enumerate(dict.fromkeys(names) or ["Sheet"]):
        sheet = book.create_sheet(f"{index}{name.strip()}"[:31])
        if index and draw(st.booleans()):  # a workbook cannot hide its only sheet
            sheet.sheet_state = "hidden"
        if draw(st.integers(0, 3)) == 0:
            continue  # an empty sheet
        header = draw(headers)
        top = draw(st.integers(1, 3))
        left = draw(st.integers(1, 3))
        formulas_live = draw(st.booleans())
        for column, name_ in enumerate(header, start=left):
            _put(sheet, top, column, name_, False)
        rows = draw(st.lists(roster_rows(xlsx_cells, len(header)), max_size=10))
        for offset, cells in enumerate(rows, start=1):
            for column, value in enumerate(cells, start=left):
                _put(sheet, top + offset, column, value, formulas_live)
    return book


@pytest.mark.slow
@SETTINGS
@given(book=workbooks(), suffix=st.sampled_from([".xlsx", ".xlsm"]))
def test_any_workbook_roster_imports_or_is_refused(cli, reg, tmp_path, book, suffix) -> None:
    path = tmp_path / f"roster{suffix}"
    book.save(path)
    _import(cli, reg, path, tmp_path)


# -- files that only claim to be workbooks -------------------------------------------------


def _workbook_bytes(tmp_path: Path) -> bytes:
    book = Workbook()
    book.active.append(["NPI", "Last Name", "First Name"])
    book.active.append([NPIS[0], "Diaz", "Ana"])
    path = tmp_path / "valid.xlsx"
    book.save(path)
    return path.read_bytes()


@pytest.mark.slow
@SETTINGS
@given(
    content=st.one_of(
        st.binary(max_size=4096),
        wild_text.map(lambda text: text.encode("utf-8", "surrogatepass")),
        st.just(b""),
        st.just(b"PK\x05\x06" + b"\x00" * 18),  # an empty zip archive
    ),
    suffix=st.sampled_from([".xlsx", ".xlsm", ".csv"]),
)
def test_random_bytes_named_like_a_roster(cli, reg, tmp_path, content, suffix) -> None:
    path = tmp_path / f"roster{suffix}"
    path.write_bytes(content)
    _import(cli, reg, path, tmp_path)


@pytest.mark.slow
@SETTINGS
@given(cut=st.floats(0.0, 0.999), flips=st.lists(st.integers(0, 10**6), max_size=5))
def test_a_cut_or_damaged_workbook(cli, reg, tmp_path, cut, flips) -> None:
    data = bytearray(_workbook_bytes(tmp_path))
    for at in flips:
        data[at % len(data)] ^= 0x5A
    path = tmp_path / "roster.xlsx"
    path.write_bytes(bytes(data[: max(1, int(len(data) * cut))]) if cut else bytes(data))
    _import(cli, reg, path, tmp_path)


@pytest.mark.slow
@SETTINGS
@given(
    members=st.dictionaries(
        st.sampled_from(
            ["hello.txt", "xl/workbook.xml", "[Content_Types].xml", "xl/worksheets/sheet1.xml"]
        ),
        st.binary(max_size=300),
        max_size=4,
    )
)
def test_a_zip_that_is_no_workbook(cli, reg, tmp_path, members) -> None:
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    _import(cli, reg, path, tmp_path)


# -- zip bombs ---------------------------------------------------------------------------


def _with_sheet(tmp_path: Path, name: str, chunks: Any) -> Path:
    """The valid workbook with its sheet XML replaced by ``chunks``, deflated as written."""
    source = tmp_path / "source.xlsx"
    source.write_bytes(_workbook_bytes(tmp_path))
    path = tmp_path / name
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                new.writestr(item, old.read(item))
                continue
            member = zipfile.ZipInfo(item.filename)
            member.compress_type = zipfile.ZIP_DEFLATED
            with new.open(member, "w", force_zip64=True) as out:
                for chunk in chunks:
                    out.write(chunk)
    return path


SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
    b'.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>NPI'
    b'</t></is></c><c r="B1" t="inlineStr"><is><t>Last Name</t></is></c></row>'
)
SHEET_END = b"</sheetData></worksheet>"


@pytest.mark.slow
def test_a_zip_bomb_is_refused_before_it_is_decompressed(cli, reg, tmp_path) -> None:
    blank = b" " * (1 << 20)
    bomb = _with_sheet(tmp_path, "bomb.xlsx", [SHEET_START, *[blank] * 300, SHEET_END])
    assert bomb.stat().st_size < 2 << 20  # 300 MB of sheet in under 2 MB of file
    before = dump(resolve(reg).url)
    result = cli("intake", "roster", str(bomb), code=2)
    assert result.stderr == (
        "error: bomb.xlsx is refused as a zip bomb: its part xl/worksheets/sheet1.xml would "
        "decompress 1,028 times over (299 KB to 300 MB); the limit is 200:1 for parts over "
        "16 MB; a real roster is far smaller, so the file is damaged or built to exhaust "
        "memory\n"
    )
    assert dump(resolve(reg).url) == before


@pytest.mark.slow
def test_a_part_over_the_size_limit_is_refused(
    cli, reg, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zip_guard, "MAX_PART_BYTES", 1 << 20)
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, random.randrange(10**9))
        for n in range(2, 60_000)
    )
    big = _with_sheet(tmp_path, "big.xlsx", [SHEET_START, rows, SHEET_END])
    result = cli("intake", "roster", str(big), code=2)
    assert result.stderr.startswith(
        "error: big.xlsx is refused as a zip bomb: its part xl/worksheets/sheet1.xml would "
        "decompress to 3 MB, over the 1 MB limit for one part;"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "cells",
    [
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',  # two cells far apart
        b'<row r="2"><c r="A2"/></row><row r="3"><c s="0" r="ZZZ999999"/></row>',
        b'<row r="900000">' + b"<c><v>1</v></c>" * 200 + b"</row>",  # cells without r
    ],
)
def test_a_sheet_of_far_apart_cells_is_refused(cli, reg, tmp_path, cells) -> None:
    sparse = _with_sheet(tmp_path, "sparse.xlsx", [SHEET_START, cells, SHEET_END])
    result = cli("intake", "roster", str(sparse), code=2)
    assert result.stderr.startswith("error: sparse.xlsx: sheet 'Sheet' reaches row ")
    assert "delete the stray cells far below or right of the roster" in result.stderr


def test_a_wide_real_roster_passes_the_grid_check(cli, reg, tmp_path) -> None:
    header = ["NPI", "Last Name", "First Name", *(f"Extra {n}" for n in range(60))]
    rows = [[NPIS[n], f"Last{n}", "Pat", *range(60)] for n in range(20)]
    book = Workbook()
    for row in [header, *rows]:
        book.active.append(row)
    path = tmp_path / "wide.xlsx"
    book.save(path)
    result = cli("intake", "roster", str(path), "--format", "json")
    assert json.loads(result.stdout)["created"] == 20


# -- LEIE, SAM and NPPES files -------------------------------------------------------------

list_cells = st.one_of(
    wild_text,
    st.sampled_from(["00000000", "20240115", "2024011", "20241301", "0000000000", "1234567893"]),
    st.sampled_from(["03/15/2023", "13/45/2023", "Indefinite", "Individual", "Firm", "Vessel"]),
    st.sampled_from(FORMULAS),
    huge_text,
)


@st.composite
def list_files(draw: st.DrawFn, header: list[str], good_row: Any) -> bytes:
    columns = list(header)
    shape = draw(st.sampled_from(["real", "shuffled", "missing", "extra", "random"]))
    if shape == "shuffled":
        columns = draw(st.permutations(columns))
    elif shape == "missing":
        columns.pop(draw(st.integers(0, len(columns) - 1)))
    elif shape == "extra":
        columns.append(draw(wild_text))
    elif shape == "random":
        columns = draw(st.lists(wild_text, min_size=1, max_size=8))
    rows = []
    all_good = draw(st.booleans())
    for _ in range(draw(st.integers(0, 8))):
        if all_good or draw(st.booleans()):
            good = good_row(draw(st.integers(0, 99)))
            rows.append([good.get(column, "") for column in columns])
        else:
            width = len(columns) + draw(st.sampled_from([0, 0, 0, -1, 1]))
            rows.append(draw(st.lists(list_cells, min_size=max(width, 0), max_size=max(width, 0))))
    out = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL]))
    writer = csv.writer(out, quoting=quoting, lineterminator=draw(st.sampled_from(["\r\n", "\n"])))
    writer.writerow(columns)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(ENCODINGS))
    errors = "surrogatepass" if encoding.startswith("utf") else "replace"
    return out.getvalue().encode(encoding, errors=errors)


def _leie(n: int) -> dict[str, str]:
    return leie_row(f"LAST{n}", f"FIRST{n}", DOB="19700412")


def _sam(n: int) -> dict[str, str]:
    return sam_row(f"LAST{n}", f"FIRST{n}")


def _nppes(n: int) -> dict[str, str]:
    return nppes_row(NPIS[n % len(NPIS)], f"LAST{n}", f"FIRST{n}")


@pytest.mark.slow
@SETTINGS
@given(
    data=st.one_of(list_files(LEIE_HEADER, _leie), st.binary(max_size=2000)),
    name=st.sampled_from(["UPDATED.csv", "2612EXCL.csv", "2612REIN.csv"]),
)
def test_any_leie_file_loads_or_is_refused(cli, reg, tmp_path, data, name) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    _run(cli, reg, "verify", "load", "leie", str(path))


@pytest.mark.slow
@SETTINGS
@given(data=st.one_of(list_files(SAM_HEADER, _sam), st.binary(max_size=2000)))
def test_any_sam_file_loads_or_is_refused(cli, reg, tmp_path, data) -> None:
    path = tmp_path / "SAM_Exclusions_Public_Extract_V2_25327.CSV"
    path.write_bytes(data)
    _run(cli, reg, "verify", "load", "sam", str(path))


@pytest.mark.slow
@SETTINGS
@given(
    data=st.one_of(list_files(NPPES_HEADER, _nppes), st.binary(max_size=2000)), every=st.booleans()
)
def test_any_nppes_file_loads_or_is_refused(cli, reg, tmp_path, data, every) -> None:
    path = tmp_path / "npidata_pfile_20050523-20251109.csv"
    path.write_bytes(data)
    _run(cli, reg, "verify", "load", "nppes", str(path), *(["--all"] if every else []))


def test_a_cell_past_the_csv_field_limit_points_at_an_unclosed_quote(cli, reg, tmp_path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(f'NPI,Last Name,First Name\n{NPIS[0]},"Diaz,Ana\n' + "x," * 70_000)
    result = cli("intake", "roster", str(path), code=2)
    assert result.stderr == (
        "error: CSV row 3: a cell runs on past 131,072 characters; look for a double quote "
        '(") that opens a cell and is never closed, on that row or above it\n'
    )


def test_an_nppes_file_repeating_an_npi_loads_with_all(cli, reg, tmp_path) -> None:
    rows = [nppes_row(NPIS[0], "FIRST", "ROW"), nppes_row(NPIS[0], "SECOND", "ROW")]
    path = write_nppes(tmp_path / "npidata_pfile_20050523-20251109.csv", rows)
    result = cli("verify", "load", "nppes", "--all", str(path))
    assert "2 rows read, 1 added, 0 removed; the list now holds 1 rows" in result.stderr
    assert "warning: 1 NPIs appeared more than once; the first row was kept" in result.stderr


def test_a_list_value_longer_than_its_column_is_refused_on_every_backend(
    cli, reg, tmp_path
) -> None:
    path = write_leie(tmp_path / "UPDATED.csv", [leie_row("SMITH", "JO", STATE="X" * 41)])
    result = cli("verify", "load", "leie", str(path), code=2)
    assert result.stderr == (
        "error: UPDATED.csv: a state of 41 characters ('" + "X" * 41 + "') is longer than "
        "the 40 credcli keeps; the file is damaged or not an OIG LEIE file\n"
    )
    rows = [nppes_row(NPIS[0], "L" * 201, "ANA"), nppes_row(NPIS[1], "DIAZ", "ANA")]
    nppes_file = write_nppes(tmp_path / "npidata_pfile_20050523-20251109.csv", rows)
    loaded = cli("verify", "load", "nppes", "--all", str(nppes_file))
    assert "2 rows read, 1 added" in loaded.stderr
    assert "warning: left out 1 rows with a value longer than credcli keeps" in loaded.stderr
