"""CSV/Excel injection: formula-like text is written escaped in every export format."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from credcli.cli import output
from credcli.cli.options import Format
from credcli.io import formulas, xlsx

HOSTILE = [
    "=cmd|' /C calc'!A0",
    '+HYPERLINK("http://evil.example")',
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
COLUMNS = [("text", "Text"), ("n", "N")]
# A carriage return inside a cell is read back as a newline (CSV quoting, XML in xlsx).
ESCAPED = [("'" + value).replace("\r", "\n") for value in HOSTILE]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_text_gets_a_leading_apostrophe(value: str) -> None:
    assert formulas.defuse(value) == "'" + value


@pytest.mark.parametrize("value", [-5, -5.5, 0, "-5", "+1.5", "-0.25", "1e-3", "Diaz", "", None])
def test_numbers_and_plain_text_are_left_alone(value) -> None:
    assert formulas.defuse(value) == value


def test_defusing_twice_changes_nothing_more() -> None:
    once = formulas.defuse("=1+1")
    assert formulas.defuse(once) == once == "'=1+1"


def test_csv_listing_escapes_every_formula_start(capsys) -> None:
    rows = [{"text": value, "n": -5} for value in HOSTILE]
    output.render(rows, Format.csv, COLUMNS)
    parsed = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert parsed[0] == ["text", "n"]
    assert [row[0] for row in parsed[1:]] == ESCAPED
    assert {row[1] for row in parsed[1:]} == {"-5"}


def test_csv_record_escapes_every_formula_start(capsys) -> None:
    record = {"notes": HOSTILE[0], "count": -5, "items": [{"text": HOSTILE[3]}]}
    output.render_record(record, Format.csv, {"items": [("text", "Text")]}, title="t")
    parsed = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert parsed[1:] == [
        ["record", "", "notes", "'" + HOSTILE[0]],
        ["record", "", "count", "-5"],
        ["items", "1", "text", "'" + HOSTILE[3]],
    ]


def test_xlsx_listing_escapes_text_and_keeps_numbers(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    rows = [{"text": value, "n": -5} for value in HOSTILE]
    output.write_xlsx(path, {"Sheet": (rows, COLUMNS)})
    sheet = openpyxl.load_workbook(path)["Sheet"]
    cells = list(sheet.iter_rows(min_row=2, values_only=False))
    assert [row[0].value for row in cells] == ESCAPED
    assert {row[0].data_type for row in cells} == {"s"}  # text, never a formula
    assert [row[1].value for row in cells] == [-5] * len(HOSTILE)
    assert {row[1].data_type for row in cells} == {"n"}


def test_workbook_writer_defuses_cells_and_headers_given_to_it_directly(tmp_path: Path) -> None:
    path = tmp_path / "direct.xlsx"
    xlsx.write_workbook(path, {"S": (["=HEADER()", "n"], [["=1+1", -5]])})
    sheet = openpyxl.load_workbook(path)["S"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["'=HEADER()", "n"],
        ["'=1+1", -5],
    ]


def test_credential_exports_escape_what_a_coordinator_typed(cli, db, ana, tmp_path) -> None:
    cli(
        "credential",
        "add",
        ana,
        "--kind",
        "other",
        "--issuer",
        "=cmd|' /C calc'!A0",
        "--detail",
        "@SUM(1+9)",
        "--notes",
        "-5",
    )
    out = cli("credential", "list", "-f", "csv").stdout
    row = list(csv.DictReader(io.StringIO(out)))[0]
    assert (row["issuer"], row["detail"], row["notes"]) == (
        "'=cmd|' /C calc'!A0",
        "'@SUM(1+9)",
        "-5",
    )
    path = tmp_path / "creds.xlsx"
    cli("credential", "list", "--xlsx", str(path))
    values = [
        c.value for c in next(openpyxl.load_workbook(path)["Credentials"].iter_rows(min_row=2))
    ]
    assert "'=cmd|' /C calc'!A0" in values
    assert "=cmd|' /C calc'!A0" not in values


def test_provider_show_csv_escapes_notes(cli, db, ana) -> None:
    cli("provider", "update", ana, "--notes", '+HYPERLINK("http://evil.example")')
    out = cli("provider", "show", ana, "-f", "csv").stdout
    assert ["record", "", "notes", '\'+HYPERLINK("http://evil.example")'] in list(
        csv.reader(io.StringIO(out))
    )
