"""``credcli report roster``: an export that ``intake roster`` reads back with zero changes."""

import datetime as dt
import json
import os
import stat
from pathlib import Path

from openpyxl import load_workbook

from rosters import npi, summary, write_csv

EXAMPLES = Path(__file__).parents[1] / "examples"
ZERO = {"created": 0, "updated": 0, "rejected": 0}


def _changes(result) -> dict[str, int]:
    data = summary(result)
    return {key: data[key] for key in ZERO}


def test_xlsx_export_imports_back_with_zero_changes(cli, db, tmp_path) -> None:
    cli("intake", "roster", str(EXAMPLES / "roster.xlsx"))
    export = tmp_path / "export.xlsx"
    result = cli("report", "roster", "--xlsx", str(export))
    assert result.stdout == ""
    assert result.stderr == f"wrote 295 providers to {export}\n"
    again = cli("intake", "roster", str(export), "-f", "json")
    assert _changes(again) == ZERO
    assert summary(again)["unchanged"] == 295
    assert summary(again)["ignored_columns"] == []


def test_csv_export_imports_back_with_zero_changes(cli, db, tmp_path) -> None:
    cli("intake", "roster", str(EXAMPLES / "roster.xlsx"))
    export = tmp_path / "export.csv"
    export.write_text(cli("report", "roster", "--format", "csv").stdout)
    assert _changes(cli("intake", "roster", str(export), "-f", "json")) == ZERO


def test_the_workbook_is_styled_frozen_filtered_with_real_dates(cli, db, tmp_path) -> None:
    rows = [
        [
            "NPI",
            "Last",
            "First",
            "License Number",
            "License State",
            "License Expiration",
            "License Number 2",
            "License State 2",
            "License Expiration 2",
        ],
        ["1234567893", "Diaz", "Ana", "A1", "CA", "2027-03-15", "N1", "NV", "2028-01-31"],
        ["1558598797", "=Okafor", "Ben", "B1", "NY", "2027-05-01", "", "", ""],
    ]
    cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)))
    export = tmp_path / "export.xlsx"
    cli("report", "roster", "--xlsx", str(export))
    assert stat.S_IMODE(os.stat(export).st_mode) == 0o600
    sheet = load_workbook(export)["Roster"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["NPI", "Last Name", "First Name"]
    assert "Date of Birth" not in header
    assert "License Number 2" in header and "License Expiration 2" in header
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}3"
    assert sheet["A1"].font.bold
    by_npi = {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2)}
    ana = by_npi["1234567893"]
    assert ana["NPI"].data_type == "s"
    assert ana["License Expiration 2"].is_date
    assert ana["License Expiration 2"].value == dt.datetime(2028, 1, 31)
    assert by_npi["1558598797"]["Last Name"].value == "'=Okafor"  # never run as a formula
    assert _changes(cli("intake", "roster", str(export), "-f", "json")) == ZERO


def test_json_and_table_forms(cli, db, tmp_path) -> None:
    rows = [
        ["NPI", "Last", "First", "DEA", "DEA Exp"],
        ["1234567893", "Diaz", "Ana", "AP5836727", "2027-03-15"],
    ]
    cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)))
    data = json.loads(cli("report", "roster", "-f", "json").stdout)
    assert (data[0]["npi"], data[0]["dea_number"], data[0]["dea_expires"]) == (
        "1234567893",
        "AP5836727",
        "2027-03-15",
    )
    assert "dob" not in data[0]
    table = cli("report", "roster").stdout
    assert "Diaz" in table and "2027-03-15" in table


def test_status_filter(cli, db, tmp_path) -> None:
    rows = [
        ["NPI", "Last", "First", "Status"],
        ["1234567893", "Diaz", "Ana", "active"],
        ["1558598797", "Okafor", "Ben", "inactive"],
    ]
    cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)))
    data = json.loads(cli("report", "roster", "--status", "inactive", "-f", "json").stdout)
    assert [row["npi"] for row in data] == ["1558598797"]


def test_an_empty_registry_exports_an_empty_roster(cli, db, tmp_path) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    assert cli("report", "roster", "-f", "json").stdout == "[]\n"
    assert cli("report", "roster").stderr == "no providers to export\n"


def test_control_characters_do_not_break_excel_exports(cli, db, tmp_path) -> None:
    # A CSV roster (or a typed value) can carry characters an .xlsx cell cannot hold
    # (XML 1.0 forbids most C0 controls): exports show them as U+FFFD instead of failing.
    rows = [
        ["NPI", "Last Name", "First Name", "Address", "License Number", "License State"],
        [npi(1), "Diaz", "Ana", "1 Elm\x1aSt", "A1\x07", "CA"],
        [npi(2), "Okafor", "Ben", "\x01", "not-a-state", "ZZ\x0b"],
    ]
    roster = write_csv(tmp_path / "r.csv", rows)
    cli("intake", "roster", str(roster), "--rejects", str(tmp_path / "rejects.xlsx"))
    cli("report", "roster", "--xlsx", str(tmp_path / "roster.xlsx"))
    cli("provider", "list", "--xlsx", str(tmp_path / "providers.xlsx"))
    book = load_workbook(tmp_path / "roster.xlsx")
    values = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert "1 Elm\ufffdSt" in values and "A1\ufffd" in values
    rejected = load_workbook(tmp_path / "rejects.xlsx").active
    assert [row[:6] for row in rejected.iter_rows(min_row=2, values_only=True)] == [
        (npi(2), "Okafor", "Ben", "\ufffd", "not-a-state", "ZZ\ufffd")
    ]
    csv_text = cli("report", "roster", "--format", "csv").stdout
    assert "1 Elm\x1aSt" in csv_text  # a CSV keeps the value as stored


def test_credentials_added_by_hand_export_a_roster_its_import_accepts(
    cli, db, tmp_path, monkeypatch
) -> None:
    # What the roster cannot hold (a second license in one state, a board without its
    # name) is refused when typed, so the export always imports, here into a new registry.
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    ana = npi(1)
    cli(
        "intake",
        "new",
        "--npi",
        ana,
        "--first",
        "Ana",
        "--last",
        "Diaz",
        "--received",
        "2026-11-02",
    )

    def add(*args: str, code: int = 0):
        return cli("credential", "add", ana, *args, code=code)

    add("--kind", "license", "--state", "CA", "--number", "A1", "--expires", "2027-03-31")
    add("--kind", "license", "--state", "NV", "--number", "N1", "--expires", "2028-01-31")
    second = add("--kind", "license", "--state", "CA", "--number", "A2", code=2)
    assert second.stderr.startswith(f"error: NPI {ana} already has a state license in CA A1 ")
    nameless = add("--kind", "board", "--detail", "Cardiology", "--expires", "2030-01-01", code=2)
    assert nameless.stderr == (
        "error: issuer '': a board certification needs the board's name (--issuer)\n"
    )
    add("--kind", "board", "--issuer", "ABIM", "--detail", "Cardiology", "--expires", "2030-01-01")
    add("--kind", "malpractice", "--issuer", "MedPro", "--expires", "2027-06-30")
    export = tmp_path / "export.xlsx"
    cli("report", "roster", "--xlsx", str(export))
    fresh = str(tmp_path / "fresh.db")
    again = cli("intake", "roster", str(export), "--db", fresh, "-f", "json")
    assert summary(again) == {
        "read": 1,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "blank": 0,
        "ignored_columns": [],
    }
    copied = json.loads(cli("credential", "list", "--db", fresh, "-f", "json").stdout)
    assert [(c["kind"], c["state"], c["number"], c["issuer"]) for c in copied] == [
        ("board", None, None, "ABIM"),
        ("license", "CA", "A1", None),
        ("license", "NV", "N1", None),
        ("malpractice", None, None, "MedPro"),
    ]
    assert _changes(cli("intake", "roster", str(export), "-f", "json")) == ZERO


def test_a_provider_licensed_in_many_states_exports_every_license(cli, db, tmp_path) -> None:
    states = ["AZ", "CA", "CO", "FL", "GA", "IL", "MA", "MI", "NJ", "NY", "OH", "PA", "TX", "WA"]
    number = npi(3)
    cli("intake", "new", "--npi", number, "--first", "Tele", "--last", "Health")
    for index, state in enumerate(states):
        cli(
            "credential", "add", number, "--kind", "license", "--state", state,
            "--number", f"L{index:03d}", "--expires", "2028-01-31",
        )  # fmt: skip
    export = tmp_path / "export.csv"
    export.write_text(cli("report", "roster", "--format", "csv").stdout)
    assert _changes(cli("intake", "roster", str(export), "-f", "json")) == ZERO
    fresh = tmp_path / "fresh.db"
    cli("intake", "roster", str(export), "--db", str(fresh))
    listed = cli("credential", "list", "--db", str(fresh), "--format", "json").stdout
    assert sorted(c["state"] for c in json.loads(listed)) == states
