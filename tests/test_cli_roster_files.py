"""Roster files as they come: header variants, date forms, sheets, mappings, bad files."""

import datetime as dt
import json

import pytest

from credcli.domain import roster_fields as rf
from rosters import HEADERS, npi, summary, table_rows, write_csv, write_xlsx

ANA = npi(1)
# One value per field that every alias must deliver to the same place.
VALUES = {
    "npi": ANA,
    "last_name": "Diaz",
    "first_name": "Ana",
    "middle_name": "J",
    "suffix": "Jr",
    "degree": "MD",
    "specialty": "Cardiology",
    "taxonomy": "207RC0000X",
    "dob": "1980-02-03",
    "email": "ana@example.org",
    "phone": "555-010-0199",
    "address": "1 Main St",
    "city": "Boston",
    "state": "MA",
    "zip_code": "02108",
    "caqh_id": "12345678",
    "status": "terminated",
    "terminated_on": "2026-11-01",
    "termination_reason": "left the group",
    "initial_cred_date": "2024-01-02",
    "last_cred_date": "2025-01-02",
    "next_recred_due": "2028-01-02",
    "notes": "from the payer roster",
    "license_number": "A1",
    "license_state": "CA",
    "license_issued": "2020-01-01",
    "license_expires": "2027-03-15",
    "dea_number": "AP5836727",
    "dea_expires": "2027-04-15",
    "cds_number": "CDS-9",
    "cds_state": "CA",
    "cds_expires": "2027-05-15",
    "board_name": "ABIM",
    "board_specialty": "Cardiovascular Disease",
    "board_expires": "2030-01-01",
    "malpractice_carrier": "MedPro",
    "malpractice_policy": "PL-1",
    "malpractice_expires": "2027-06-30",
}
ROUNDS = max(len(aliases) for aliases in rf.ALIASES.values())


def _headers(round_: int) -> list[str]:
    headers = []
    for field in VALUES:
        names = [rf.LABELS[field], field, *rf.ALIASES.get(field, ())]
        headers.append(names[round_ % len(names)])
    return headers


@pytest.mark.parametrize("round_", range(ROUNDS + 2))
def test_each_header_variant_lands_in_its_field(cli, tmp_path, monkeypatch, round_) -> None:
    monkeypatch.setenv("CREDCLI_DB", str(tmp_path / "r.db"))
    roster = write_csv(tmp_path / "r.csv", [_headers(round_), list(VALUES.values())])
    result = summary(cli("intake", "roster", str(roster), "-f", "json"))
    assert (result["created"], result["ignored_columns"]) == (1, [])
    record = json.loads(cli("provider", "show", ANA, "-f", "json").stdout)
    for field in rf.PROVIDER_FIELDS:
        assert record[field] == VALUES[field], field
    assert sorted(
        (
            c["kind"],
            c["number"],
            c["state"],
            c["issuer"],
            c["detail"],
            c["issued_on"],
            c["expires_on"],
        )
        for c in record["credentials"]
    ) == [
        ("board", None, None, "ABIM", "Cardiovascular Disease", None, "2030-01-01"),
        ("cds", "CDS-9", "CA", None, None, None, "2027-05-15"),
        ("dea", "AP5836727", None, None, None, None, "2027-04-15"),
        ("license", "A1", "CA", None, None, "2020-01-01", "2027-03-15"),
        ("malpractice", "PL-1", None, "MedPro", None, None, "2027-06-30"),
    ]


DATE_FORMS = [
    dt.date(2027, 3, 15),
    dt.datetime(2027, 3, 15, 0, 0),
    46461,
    "46461",
    "03/15/2027",
    "2027-03-15",
    "15-Mar-2027",
    "3/15/27",
]


def test_each_date_form_in_a_workbook(cli, db, tmp_path) -> None:
    rows = [HEADERS] + [
        [npi(10 + i), "Name", "Some", f"L{i}", "CA", form] for i, form in enumerate(DATE_FORMS)
    ]
    roster = write_xlsx(tmp_path / "r.xlsx", {"S": rows})
    assert summary(cli("intake", "roster", str(roster), "-f", "json"))["created"] == 8
    stored = table_rows(db, "SELECT DISTINCT expires_on FROM credentials")
    assert [str(day) for (day,) in stored] == ["2027-03-15"]


def test_day_first_rosters_need_dayfirst(cli, db, tmp_path) -> None:
    rows = [HEADERS, [ANA, "Diaz", "Ana", "A1", "CA", "04/03/2027"]]
    roster = str(write_csv(tmp_path / "r.csv", rows))
    cli("intake", "roster", roster, "--dayfirst", "--dry-run")
    cli("intake", "roster", roster, "--dayfirst")
    record = json.loads(cli("provider", "show", ANA, "-f", "json").stdout)
    assert record["credentials"][0]["expires_on"] == "2027-03-04"


def test_the_first_sheet_with_a_header_is_imported_and_others_named(cli, db, tmp_path) -> None:
    roster = write_xlsx(
        tmp_path / "r.xlsx",
        {
            "Read me": [["This workbook lists our providers."]],
            "Adds": [["Adds for November"], HEADERS, [ANA, "Diaz", "Ana"]],
            "Terms": [HEADERS, [npi(2), "Okafor", "Ben"]],
        },
    )
    result = cli("intake", "roster", str(roster), "-f", "json")
    assert result.stderr.splitlines()[:2] == [
        "sheet 'Adds', header on row 2",
        "not imported (use --sheet): 'Read me', 'Terms'",
    ]
    result = summary(cli("intake", "roster", str(roster), "--sheet", "Terms", "-f", "json"))
    assert result["created"] == 1
    assert [r[0] for r in table_rows(db, "SELECT npi FROM providers ORDER BY npi")] == [
        ANA,
        npi(2),
    ]


def test_an_unknown_sheet_is_an_input_error(cli, db, tmp_path) -> None:
    roster = write_xlsx(tmp_path / "r.xlsx", {"Adds": [HEADERS], "Terms": [HEADERS]})
    result = cli("intake", "roster", str(roster), "--sheet", "Changes", code=2)
    assert result.stderr == "error: r.xlsx has no sheet 'Changes'; its sheets: Adds, Terms\n"


def test_a_roster_without_a_recognisable_header(cli, db, tmp_path) -> None:
    roster = write_csv(tmp_path / "r.csv", [["Prov ID", "Surname"], [ANA, "Diaz"]])
    result = cli("intake", "roster", str(roster), code=2)
    assert result.stderr == (
        "error: r.csv: no header row with an NPI column and another known column in the first "
        "30 rows of sheet 'r' (row 1: Prov ID, Surname; row 2: (a value), Diaz); name your "
        "columns with --map 'Your Header=npi' (see credcli intake roster --help)\n"
    )


def test_map_names_columns_the_aliases_do_not_know(cli, db, tmp_path) -> None:
    rows = [
        ["Prov ID", "Surname", "Given", "Expiry of Lic", "Lic", "St"],
        [ANA, "Diaz", "Ana", "2027-03-15", "A1", "CA"],
    ]
    roster = str(write_csv(tmp_path / "r.csv", rows))
    map_file = tmp_path / "map.txt"
    map_file.write_text(
        "# our payer's headers\nExpiry of Lic = license_expires\n\nLic=license_number\n"
    )
    result = cli(
        "intake",
        "roster",
        roster,
        "--map",
        "Prov ID=npi",
        "--map",
        "given=first_name",
        "--map",
        "St=license_state",
        "--map-file",
        str(map_file),
        "-f",
        "json",
    )
    assert summary(result)["created"] == 1
    assert summary(result)["ignored_columns"] == []
    record = json.loads(cli("provider", "show", ANA, "-f", "json").stdout)
    assert (record["first_name"], record["credentials"][0]["expires_on"]) == ("Ana", "2027-03-15")


def test_map_can_drop_a_column(cli, db, tmp_path) -> None:
    rows = [["NPI", "Last", "First", "Email"], [ANA, "Diaz", "Ana", "not an email"]]
    result = cli(
        "intake",
        "roster",
        str(write_csv(tmp_path / "r.csv", rows)),
        "--map",
        "Email=ignore",
        "-f",
        "json",
    )
    assert (summary(result)["created"], summary(result)["ignored_columns"]) == (1, ["Email"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--map", "Lic Exp"],
            "error: --map 'Lic Exp': write a mapping as HEADER=FIELD, e.g. "
            "'Lic Exp=license_expires'\n",
        ),
        (
            ["--map", "Last=surname"],
            "error: --map 'Last=surname': 'surname' is not a roster "
            "field; use one of npi, last_name",
        ),
        (
            ["--map", "Lic Exp=license_expires"],
            "error: --map: no column 'Lic Exp' in the header "
            "row (sheet 'r' row 1); headers there: NPI, Last, First\n",
        ),
        (["--map-file", "nowhere.txt"], "error: map file nowhere.txt does not exist\n"),
    ],
)
def test_bad_mappings_are_input_errors(cli, db, tmp_path, args, message) -> None:
    roster = write_csv(tmp_path / "r.csv", [["NPI", "Last", "First"], [ANA, "Diaz", "Ana"]])
    result = cli("intake", "roster", str(roster), *args, code=2)
    assert result.stderr.startswith(message)


def test_two_columns_for_one_field_is_an_input_error(cli, db, tmp_path) -> None:
    roster = write_csv(tmp_path / "r.csv", [["NPI", "Last", "Individual NPI"], [ANA, "D", ANA]])
    result = cli("intake", "roster", str(roster), code=2)
    assert result.stderr == (
        'error: sheet \'r\' row 1: column A "NPI" and column C "Individual NPI" both mean npi; '
        'keep one, e.g. --map "Individual NPI=ignore"\n'
    )


def test_csv_with_semicolons_in_windows_encoding(cli, db, tmp_path) -> None:
    rows = [["NPI", "Last Name", "First Name", "City"], [ANA, "Müller", "Zoë", "Köln"]]
    roster = write_csv(tmp_path / "r.csv", rows, encoding="cp1252", delimiter=";")
    assert summary(cli("intake", "roster", str(roster), "-f", "json"))["created"] == 1
    assert table_rows(db, "SELECT last_name, first_name, city FROM providers") == [
        ("Müller", "Zoë", "Köln")
    ]


def test_csv_with_a_byte_order_mark_and_tabs(cli, db, tmp_path) -> None:
    rows = [["NPI", "Last Name", "First Name"], [ANA, "Diaz", "Ana"]]
    roster = write_csv(tmp_path / "r.csv", rows, encoding="utf-8-sig", delimiter="\t")
    assert summary(cli("intake", "roster", str(roster), "-f", "json"))["created"] == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.xlsx", None, "error: roster file {path} does not exist\n"),
        (
            "roster.pdf",
            b"%PDF-1.4",
            "error: roster.pdf: credcli reads rosters from .xlsx, .xlsm "
            "and .csv files; save the roster in one of those formats first\n",
        ),
        (
            "roster.xlsx",
            b"NPI,Last\n1,2\n",
            "error: roster.xlsx is not a readable Excel workbook "
            "(ZipError: invalid Zip archive: Could not find EOCD); is it damaged, or another kind "
            "of file renamed?\n",
        ),
        (
            "roster.csv",
            b"PK\x03\x04\x00\x00binary",
            "error: roster.csv is not a text CSV file "
            "(it holds binary data); if it is an Excel workbook, give it the .xlsx extension\n",
        ),
    ],
)
def test_bad_files_are_input_errors(cli, db, tmp_path, name, content, message) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = cli("intake", "roster", str(path), code=2)
    assert result.stderr == message.format(path=path)


def test_a_truncated_workbook_is_an_input_error(cli, db, tmp_path) -> None:
    roster = write_xlsx(tmp_path / "r.xlsx", {"S": [HEADERS, [ANA, "Diaz", "Ana"]]})
    data = roster.read_bytes()
    roster.write_bytes(data[: len(data) // 2])
    result = cli("intake", "roster", str(roster), code=2)
    assert result.stderr.startswith("error: r.xlsx is not a readable Excel workbook (")


def test_rejects_must_be_a_workbook(cli, db, tmp_path) -> None:
    roster = write_csv(tmp_path / "r.csv", [HEADERS, [ANA, "Diaz", "Ana"]])
    result = cli("intake", "roster", str(roster), "--rejects", "bad.csv", code=2)
    assert result.stderr.endswith(
        "Error: Invalid value for '--rejects': 'bad.csv' does not end in .xlsx; "
        "name the workbook FILE.xlsx\n"
    )


def test_the_committed_examples_import(cli, db) -> None:
    from pathlib import Path

    examples = Path(__file__).parents[1] / "examples"
    first = summary(cli("intake", "roster", str(examples / "roster.xlsx"), "-f", "json"))
    assert first == {
        "read": 301,
        "created": 295,
        "updated": 0,
        "unchanged": 0,
        "rejected": 5,
        "blank": 1,
        "ignored_columns": ["SSN", "Office Manager"],
    }
    second = summary(cli("intake", "roster", str(examples / "roster.csv"), "-f", "json"))
    assert (second["read"], second["unchanged"], second["rejected"]) == (60, 59, 1)


def test_xlsm_workbooks_are_read_like_xlsx(cli, db, tmp_path) -> None:
    roster = write_xlsx(tmp_path / "r.xlsx", {"S": [HEADERS, [ANA, "Diaz", "Ana"]]})
    macro = roster.rename(tmp_path / "r.xlsm")
    assert summary(cli("intake", "roster", str(macro), "-f", "json"))["created"] == 1


def test_progress_bar_only_at_a_terminal_for_large_files(monkeypatch) -> None:
    import io
    import sys

    from credcli.cli.progress import RowProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    with RowProgress("importing") as small:
        small.start(10)
        assert small._progress is None
    with RowProgress("importing") as large:
        large.start(50_000)
        large.advance(5_000)
        assert large._progress.tasks[0].completed == 5_000
    assert large._progress is None


def test_error_cells_are_rejected_not_taken_as_blank(cli, db, tmp_path) -> None:
    rows = [
        HEADERS,
        [ANA, "Diaz", "Ana", "A1", "CA", "#N/A"],
        [npi(2), "#REF!", "Ben", "B1", "NY", "2027-03-15"],
    ]
    roster = write_xlsx(tmp_path / "r.xlsx", {"S": rows})  # openpyxl writes them as errors
    result = cli("intake", "roster", str(roster), "--rejects", str(tmp_path / "x.xlsx"))
    reason = "is a spreadsheet error (a formula that failed), not a value; fix or clear the cell"
    assert result.stderr.splitlines()[1:3] == [
        f"warning: rejected row 2: column F \"License Expiration\" '#N/A': {reason}",
        f"warning: rejected row 3: column B \"Last Name\" '#REF!': {reason}",
    ]
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "x.xlsx").active
    assert [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "#N/A",
        "2027-03-15",
    ]


def _rewrite_sheet(path, old: bytes, new: bytes) -> None:
    """Edit the first sheet's XML inside an .xlsx, as another program would write it."""
    import zipfile

    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    assert old in parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(old, new)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_a_formula_without_a_saved_result_is_rejected_not_taken_as_blank(cli, db, tmp_path) -> None:
    # openpyxl (and other programs that do not calculate) save formulas without their
    # results; python-calamine reads those cells as blank, which would lose the value.
    rows = [
        HEADERS,
        [ANA, "Diaz", "Ana", "A1", "CA", "=DATE(2027,3,15)"],
        [npi(2), "Okafor", '="Be"&"n"', "B1", "NY", "2027-03-15"],
        [npi(3), "Nguyen", "Chloe", "C1", "TX", "=DATE(2027,5,1)"],
        [npi(4), "Smith", "Dev", "D1", "WA", "=F4"],
        [npi(5), "Haddad", "Eli", "E1", "NJ", '=IF(B6="","",B6)'],
    ]
    roster = write_xlsx(tmp_path / "r.xlsx", {"S": rows})
    # Row 4's formula has its result saved, as Excel saves it; row 5's is a shared formula.
    _rewrite_sheet(roster, b"<f>DATE(2027,5,1)</f><v />", b"<f>DATE(2027,5,1)</f><v>46508</v>")
    _rewrite_sheet(roster, b"<f>F4</f><v />", b'<f t="shared" si="0"/>')
    # Row 6's formula returned "" when Excel saved it: a blank result, not a missing one.
    _rewrite_sheet(roster, b'<c r="F6">', b'<c r="F6" t="str">')
    result = cli("intake", "roster", str(roster), "--rejects", str(tmp_path / "x.xlsx"))
    reason = (
        "is a formula with no saved result (the file was written by a program that does not "
        "calculate formulas); open and save the file in Excel, or paste the values, and import "
        "the row again"
    )
    assert result.stderr.splitlines()[1:4] == [
        f"warning: rejected row 2: column F \"License Expiration\" '=DATE(2027,3,15)': {reason}",
        f'warning: rejected row 3: column C "First Name" \'="Be"&"n"\': {reason}',
        f"warning: rejected row 5: column F \"License Expiration\" '(a shared formula)': {reason}",
    ]
    assert table_rows(
        db, "SELECT number, CAST(expires_on AS TEXT) FROM credentials ORDER BY number"
    ) == [("C1", "2027-05-01"), ("E1", None)]
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "x.xlsx").active
    assert [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "'=DATE(2027,3,15)",  # the formula as text (never run), to be replaced by its value
        "2027-03-15",
        "(a shared formula)",
    ]


def test_error_text_in_a_csv_is_rejected(cli, db, tmp_path) -> None:
    roster = write_csv(tmp_path / "r.csv", [HEADERS, [ANA, "Diaz", "Ana", "#VALUE!", "CA"]])
    result = cli("intake", "roster", str(roster), "-f", "json")
    assert summary(result)["rejected"] == 1
    assert "column D \"License Number\" '#VALUE!': is a spreadsheet error" in result.stderr


def test_a_header_below_and_right_of_a1_keeps_excel_row_and_column_names(cli, db, tmp_path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for column, header in zip("CDE", ["NPI", "Last Name", "First Name"], strict=True):
        sheet[f"{column}5"] = header
    sheet["C6"], sheet["D6"], sheet["E6"] = "1234567898", "Diaz", "Ana"
    workbook.save(tmp_path / "r.xlsx")
    result = cli("intake", "roster", str(tmp_path / "r.xlsx"))
    assert result.stderr.splitlines()[:2] == [
        "sheet 'Sheet', header on row 5",
        "warning: rejected row 6: column C \"NPI\" '1234567898': "
        "check digit does not match (mistyped NPI?)",
    ]


def test_a_hidden_sheet_is_not_imported_before_a_visible_one(cli, db, tmp_path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    lookup = workbook.active
    lookup.title = "Lookup"
    lookup.sheet_state = "hidden"
    lookup.append(HEADERS[:3])
    lookup.append([npi(9), "Hidden", "Person"])
    roster = workbook.create_sheet("Roster")
    roster.append(HEADERS[:3])
    roster.append([ANA, "Diaz", "Ana"])
    workbook.save(tmp_path / "r.xlsx")
    result = cli("intake", "roster", str(tmp_path / "r.xlsx"), "-f", "json")
    assert result.stderr.splitlines()[:2] == [
        "sheet 'Roster', header on row 1",
        "not imported (use --sheet): 'Lookup'",
    ]
    assert table_rows(db, "SELECT npi FROM providers") == [(ANA,)]


def test_a_password_protected_workbook_says_so(cli, db, tmp_path) -> None:
    # Excel saves an encrypted .xlsx (and an old .xls) as an OLE compound file.
    path = tmp_path / "r.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    result = cli("intake", "roster", str(path), code=2)
    assert result.stderr == (
        "error: r.xlsx is password-protected or an old-format (.xls) workbook; "
        "open it in Excel and save an unprotected .xlsx copy first\n"
    )


def test_a_header_repeated_mid_file_counts_as_blank(cli, db, tmp_path) -> None:
    rows = [HEADERS, [ANA, "Diaz", "Ana"], HEADERS, [npi(2), "Okafor", "Ben"]]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert (summary(result)["read"], summary(result)["created"], summary(result)["blank"]) == (
        3,
        2,
        1,
    )
    assert summary(result)["rejected"] == 0


def test_repeated_license_headers_fill_the_next_slots(cli, db, tmp_path) -> None:
    headers = ["NPI", "Last", "First", *(["License #", "Lic State", "Lic Exp"] * 2)]
    rows = [headers, [ANA, "Diaz", "Ana", "A1", "CA", "2027-01-01", "N1", "NV", "2028-01-01"]]
    assert (
        summary(cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json"))[
            "created"
        ]
        == 1
    )
    assert table_rows(db, "SELECT number, state FROM credentials ORDER BY number") == [
        ("A1", "CA"),
        ("N1", "NV"),
    ]


def test_a_repeated_header_of_another_field_says_how_to_go_on(cli, db, tmp_path) -> None:
    rows = [["NPI", "Last", "Notes", "Notes"], [ANA, "Diaz", "a", "b"]]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), code=2)
    assert result.stderr == (
        'error: sheet \'r\' row 1: column C "Notes" and column D "Notes" both mean notes; '
        'rename one of them in the file, or drop both with --map "Notes=ignore"\n'
    )


def test_a_mapped_column_clashing_with_an_alias_suggests_dropping_the_alias(
    cli, db, tmp_path
) -> None:
    rows = [["NPI", "Last", "License Expiration", "Exp Date"], [ANA, "Diaz", "", ""]]
    roster = str(write_csv(tmp_path / "r.csv", rows))
    result = cli("intake", "roster", roster, "--map", "Exp Date=license_expires", code=2)
    assert result.stderr.endswith(
        'both mean license_expires; keep one, e.g. --map "License Expiration=ignore"\n'
    )


def test_a_map_file_takes_trailing_comments_and_refuses_contradictions(cli, db, tmp_path) -> None:
    rows = [["NPI", "Last", "First", "DEA #", "Exp Date"], [ANA, "Diaz", "Ana", "", "2027-03-15"]]
    roster = str(write_csv(tmp_path / "r.csv", rows))
    good = tmp_path / "good.map"
    good.write_text("# payer X\nExp Date = ignore  # not needed\nDEA # = dea_number\n")
    assert summary(cli("intake", "roster", roster, "--map-file", str(good), "-f", "json"))[
        "ignored_columns"
    ] == ["Exp Date"]
    bad = tmp_path / "bad.map"
    bad.write_text("Exp Date=license_expires\nexp date=ignore\n")
    result = cli("intake", "roster", roster, "--map-file", str(bad), code=2)
    assert result.stderr == (
        "error: bad.map line 2: 'exp date' is already mapped to license_expires "
        "(as 'Exp Date'); map each header once\n"
    )


def test_doubled_quotes_in_a_csv_are_one_quote_and_survive_a_round_trip(cli, db, tmp_path) -> None:
    # Excel, and csv.writer here, double a quote inside a quoted cell: "" is one ".
    notes = 'called, left msg "urgent"'
    roster = write_csv(tmp_path / "r.csv", [["npi", "last_name", "first_name", "notes"]])
    with roster.open("a", encoding="utf-8") as handle:
        handle.write(f'{ANA},Alpha,Ann,"called, left msg ""urgent"""\n')
    assert summary(cli("intake", "roster", str(roster), "-f", "json"))["created"] == 1
    assert table_rows(db, "SELECT notes FROM providers") == [(notes,)]
    exported = tmp_path / "out.csv"
    exported.write_text(cli("report", "roster", "--format", "csv").stdout, encoding="utf-8")
    again = summary(cli("intake", "roster", str(exported), "-f", "json"))
    assert (again["unchanged"], again["updated"], again["rejected"]) == (1, 0, 0)
    assert table_rows(db, "SELECT notes FROM providers") == [(notes,)]


WIDE = ["NPI", "Last Name", "First Name", "Address", "City", "Specialty"]


def test_a_csv_row_with_more_cells_than_the_header_is_rejected_not_shifted(
    cli, db, tmp_path
) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(
        ",".join(WIDE) + "\n"
        f"{ANA},Alpha,Ann,1 Main St, Suite 5,Boston,Cardiology\n"
        f'{npi(2)},Beta,Bo,"1 Main St, Suite 5",Boston,Cardiology\n',
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.xlsx"
    result = cli("intake", "roster", str(roster), "--rejects", str(rejects), "-f", "json")
    assert (summary(result)["created"], summary(result)["rejected"]) == (1, 1)
    assert result.stderr.splitlines()[1] == (
        "warning: rejected row 2: has 7 cells where the header has 6 (a comma inside a value "
        'that is not in "quotes"?); quote that value, or remove the extra cells'
    )
    assert table_rows(db, "SELECT npi, address, city, specialty FROM providers") == [
        (npi(2), "1 Main St, Suite 5", "Boston", "Cardiology")
    ]
    from openpyxl import load_workbook

    sheet = load_workbook(rejects)["Rejected"]
    assert [c.value for c in sheet[1]][6:8] == ["Column 7", "Source Row"]
    assert [c.value for c in sheet[2]][:8] == [
        ANA,
        "Alpha",
        "Ann",
        "1 Main St",
        " Suite 5",
        "Boston",
        "Cardiology",
        2,
    ]


def test_a_semicolon_csv_row_with_an_extra_cell_names_the_semicolon(cli, db, tmp_path) -> None:
    rows = [WIDE, [ANA, "Alpha", "Ann", "1 Main St", "Suite 5", "Boston", "Cardiology"]]
    roster = write_csv(tmp_path / "r.csv", rows, delimiter=";")
    result = cli("intake", "roster", str(roster), "-f", "json")
    assert summary(result)["rejected"] == 1
    assert "has 7 cells where the header has 6 (a semicolon inside a value" in result.stderr


def test_empty_cells_beyond_the_header_are_harmless(cli, db, tmp_path) -> None:
    # Excel saves a CSV with empty cells to the right of the data, header included.
    rows = [
        [*WIDE, "", ""],
        [ANA, "Alpha", "Ann", "1 Main St", "Boston", "Cardiology", "", "", "", ""],
        [npi(2), "Beta", "Bo", "", "", "", " "],
    ]
    csv_result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert (summary(csv_result)["created"], summary(csv_result)["rejected"]) == (2, 0)
    book = write_xlsx(tmp_path / "r.xlsx", {"S": rows})
    xlsx_result = cli("intake", "roster", str(book), "-f", "json")
    assert (summary(xlsx_result)["unchanged"], summary(xlsx_result)["rejected"]) == (2, 0)


def test_a_workbook_value_in_a_column_with_no_header_is_rejected(cli, db, tmp_path) -> None:
    rows = [WIDE, [ANA, "Alpha", "Ann", "1 Main St", "Boston", "Cardiology", None, "call back"]]
    result = cli(
        "intake", "roster", str(write_xlsx(tmp_path / "r.xlsx", {"S": rows})), "-f", "json"
    )
    assert (summary(result)["created"], summary(result)["rejected"]) == (0, 1)
    assert result.stderr.splitlines()[1] == (
        "warning: rejected row 2: column H holds a value but has no header; give the column "
        "a header (credcli lists it as ignored if it does not keep it) or clear the cell"
    )


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_a_value_under_a_blank_header_between_headed_columns_is_rejected(
    cli, db, tmp_path, suffix
) -> None:
    rows = [["NPI", "Last Name", "", "First Name"], [ANA, "Alpha", "stray", "Ann"]]
    path = tmp_path / f"r.{suffix}"
    roster = write_xlsx(path, {"S": rows}) if suffix == "xlsx" else write_csv(path, rows)
    result = cli("intake", "roster", str(roster), "-f", "json")
    assert (summary(result)["created"], summary(result)["rejected"]) == (0, 1)
    assert result.stderr.splitlines()[1] == (
        "warning: rejected row 2: column C holds a value but has no header; give the column "
        "a header (credcli lists it as ignored if it does not keep it) or clear the cell"
    )


@pytest.mark.parametrize("form", ["2027/03/04", "2027-3-4", "2027.03.04"])
def test_dayfirst_never_swaps_a_date_that_starts_with_its_year(cli, db, tmp_path, form) -> None:
    rows = [HEADERS, [ANA, "Diaz", "Ana", "A1", "CA", form]]
    roster = str(write_csv(tmp_path / "r.csv", rows))
    assert summary(cli("intake", "roster", roster, "--dayfirst", "-f", "json"))["created"] == 1
    assert table_rows(db, "SELECT CAST(expires_on AS TEXT) FROM credentials") == [("2027-03-04",)]


def test_numbers_saved_from_a_spreadsheet_keep_their_leading_zeros(cli, db, tmp_path) -> None:
    rows = [
        ["NPI", "Last Name", "First Name", "Zip", "CAQH ID"],
        [f"{ANA}.0", "Diaz", "Ana", "8752.0", "12345678.0"],
        [npi(2), "Okafor", "Ben", "87520000.0", ""],
    ]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert (summary(result)["created"], summary(result)["rejected"]) == (2, 0)
    assert table_rows(db, "SELECT npi, zip_code, caqh_id FROM providers ORDER BY npi") == [
        (ANA, "08752", "12345678"),
        (npi(2), "087520000", None),
    ]


def test_digits_other_than_0_to_9_are_refused(cli, db, tmp_path) -> None:
    rows = [
        ["NPI", "Last Name", "First Name", "Zip", "CAQH ID", "Phone"],
        [ANA, "Diaz", "Ana", "٠٨٧٥٢", "", ""],
        [npi(2), "Okafor", "Ben", "１２３４５", "１２３４５６７８", "555-010-0199 x١٢"],
        [npi(3), "Lopez", "Cara", "", "", "٥٥٥٠١٠٠١٩٩"],
    ]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert (summary(result)["created"], summary(result)["rejected"]) == (0, 3)
    why = "is written with digits other than 0-9; retype it with 0-9"
    assert result.stderr.splitlines()[1:4] == [
        f"warning: rejected row 2: column D \"Zip\" '٠٨٧٥٢': {why}",
        f"warning: rejected row 3: column D \"Zip\" '１２３４５': {why}; "
        f"column E \"CAQH ID\" '１２３４５６７８': {why}; "
        f"column F \"Phone\" '555-010-0199 x١٢': {why}",
        f"warning: rejected row 4: column F \"Phone\" '٥٥٥٠١٠٠١٩٩': {why}",
    ]
    new = ["intake", "new", "--npi", ANA, "--first", "Ana", "--last", "Diaz"]
    refused = cli(*new, "--caqh-id", "１２３４５", code=2)
    assert refused.stderr == f"error: CAQH ID '１２３４５': {why}\n"
    assert table_rows(db, "SELECT count(*) FROM providers") == [(0,)]


def test_a_semicolon_file_with_comma_heavy_notes_and_a_bad_row_keeps_its_delimiter(
    cli, db, tmp_path
) -> None:
    # The sniffer gives up on the uneven row; the fallback must follow the header and
    # the rows that agree with it, not the commas of the free text.
    text = (
        "npi;last_name;first_name;notes\n"
        f"{ANA};Diaz;Ana;a, b, c, d, e, f, g, h, i, j, k, l, m\n"
        f"{npi(2)};Okafor;Ben;g, h, i, j, k, l, a, b, c, d, e\n"
        f"{npi(3)};Lee;Kim;m; n, o, p, q\n"
    )
    roster = tmp_path / "r.csv"
    roster.write_text(text)
    result = cli("intake", "roster", str(roster), "-f", "json")
    assert (summary(result)["created"], summary(result)["rejected"]) == (2, 1)
    assert "has 5 cells where the header has 4 (a semicolon" in result.stderr
