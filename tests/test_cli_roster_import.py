"""``credcli intake roster``: every row imported or rejected with a reason, atomically."""

import datetime as dt
import json
import os
import sqlite3
import stat

from openpyxl import load_workbook

from credcli.services import roster_import
from credcli.services.roster_store import RosterStore
from rosters import HEADERS, every_stored_text, npi, summary, table_rows, write_csv, write_xlsx

ANA, BEN, CARA = npi(1), npi(2), npi(3)
KEYS = {"read", "created", "updated", "unchanged", "rejected", "blank", "ignored_columns"}


def messy(tmp_path, name="roster.xlsx"):
    """A roster as they come: title row, odd headers, numbers for NPIs and ZIPs, an SSN."""
    return write_xlsx(
        tmp_path / name,
        {
            "Roster": [
                ["Provider Roster - Q3 2026"],
                [],
                [
                    "Individual NPI",
                    "Provider Last Name",
                    "First\nName",
                    "SSN",
                    "Zip",
                    "License Number ",
                    "Lic State",
                    "License Expir Date ",
                    "DEA Number",
                    "DEA Expiration",
                    "Board Expir 1",
                    "Board",
                    "Liability Carrier",
                    "Liability Policy Number",
                    "Malpractice Expiration",
                    "CAQH ID",
                    "Initial Cred Date",
                    "Recred Due Date",
                    "Favorite Color",
                ],
                [
                    int(ANA),
                    "Diaz",
                    "Ana",
                    "000-00-1234",
                    8752,
                    "A12345",
                    "ca",
                    dt.date(2027, 3, 15),
                    "AP5836727",
                    46461,
                    "01/31/2028",
                    "ABIM",
                    "MedPro",
                    "PL-1",
                    "15-Mar-2027",
                    12345678,
                    "2024-02-01",
                    "2027-02-01",
                    "blue",
                ],
                [float(BEN), " Okafor ", "Ben", "000-00-9876", "02134", "B9", "NY", "3/15/27"],
            ]
        },
    )


def test_a_messy_roster_is_imported(cli, db, tmp_path) -> None:
    result = cli("intake", "roster", str(messy(tmp_path)), "--format", "json")
    assert summary(result) == {
        "read": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "blank": 0,
        "ignored_columns": ["SSN", "Favorite Color"],
    }
    assert result.stderr == (
        "sheet 'Roster', header on row 3\nignored columns: SSN, Favorite Color\n"
    )
    ana = json.loads(cli("provider", "show", ANA, "-f", "json").stdout)
    assert (ana["last_name"], ana["first_name"], ana["zip_code"], ana["caqh_id"]) == (
        "Diaz",
        "Ana",
        "08752",
        "12345678",
    )
    assert (ana["status"], ana["initial_cred_date"], ana["next_recred_due"]) == (
        "active",
        "2024-02-01",
        "2027-02-01",
    )
    assert ana["files"] == []
    assert [
        (c["kind"], c["number"], c["state"], c["issuer"], c["expires_on"])
        for c in ana["credentials"]
    ] == [
        ("license", "A12345", "CA", None, "2027-03-15"),
        ("dea", "AP5836727", None, None, "2027-03-15"),
        ("board", None, None, "ABIM", "2028-01-31"),
        ("malpractice", "PL-1", None, "MedPro", "2027-03-15"),
    ]
    ben = json.loads(cli("provider", "show", BEN, "-f", "json").stdout)
    assert (ben["last_name"], ben["zip_code"], ben["status"]) == ("Okafor", "02134", "applicant")
    assert [(f["cycle"], f["stage"]) for f in ben["files"]] == [("initial", "intake")]
    assert [(c["kind"], c["expires_on"]) for c in ben["credentials"]] == [("license", "2027-03-15")]


def test_an_ssn_column_is_never_stored(cli, db, tmp_path) -> None:
    cli("intake", "roster", str(messy(tmp_path)))
    stored = every_stored_text(db)
    assert ANA in stored
    assert "000-00-1234" not in stored and "000-00-9876" not in stored


def test_json_summary_has_exactly_the_documented_keys(cli, db, tmp_path) -> None:
    result = cli("intake", "roster", str(messy(tmp_path)), "-f", "json")
    assert set(summary(result)) == KEYS


def test_the_table_summary_is_for_people(cli, db, tmp_path) -> None:
    out = cli("intake", "roster", str(messy(tmp_path))).stdout
    assert "created" in out and "ignored" not in out
    assert [line.split("│")[1:3] for line in out.splitlines() if "│" in line][0] == [
        " read      ",
        " 2    ",
    ]


def test_re_importing_the_same_file_changes_nothing(cli, db, tmp_path) -> None:
    roster = str(messy(tmp_path))
    cli("intake", "roster", roster)
    audit_rows = table_rows(db, "SELECT count(*) FROM audit_log")
    again = summary(cli("intake", "roster", roster, "-f", "json"))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert table_rows(db, "SELECT count(*) FROM audit_log") == audit_rows


def test_a_changed_value_updates_and_is_audited(cli, db, tmp_path) -> None:
    cli("intake", "roster", str(messy(tmp_path)))
    rows = [HEADERS + ["Email"], [ANA, "Diaz", "Ana", "A12345", "CA", "2029-03-15", "a@x.org"]]
    result = cli("intake", "roster", str(write_csv(tmp_path / "c.csv", rows)), "-f", "json")
    assert (summary(result)["updated"], summary(result)["unchanged"]) == (1, 0)
    audit = table_rows(
        db, "SELECT action, entity, npi, before, after FROM audit_log ORDER BY id DESC LIMIT 2"
    )
    assert sorted((a, e, n, json.loads(b), json.loads(f)) for a, e, n, b, f in audit) == [
        (
            "update",
            "credentials",
            ANA,
            {"expires_on": "2027-03-15"},
            {"expires_on": "2029-03-15"},
        ),
        ("update", "providers", ANA, {"email": None}, {"email": "a@x.org"}),
    ]
    assert table_rows(db, "SELECT DISTINCT actor FROM audit_log") == [("tester",)]


def test_blank_cells_never_erase_what_is_stored(cli, db, tmp_path) -> None:
    cli("intake", "roster", str(messy(tmp_path)))
    rows = [HEADERS + ["CAQH ID"], [ANA, "Diaz", "Ana", "", "", "", ""]]
    result = cli("intake", "roster", str(write_csv(tmp_path / "c.csv", rows)), "-f", "json")
    assert summary(result)["unchanged"] == 1
    assert json.loads(cli("provider", "show", ANA, "-f", "json").stdout)["caqh_id"] == "12345678"


def test_a_new_state_license_is_added_and_slots_carry_several(cli, db, tmp_path) -> None:
    cli("intake", "roster", str(messy(tmp_path)))
    rows = [
        [
            "NPI",
            "License Number",
            "License State",
            "LicExpiration1",
            "License Number 2",
            "License 2 State",
            "LicExpiration2",
        ],
        [ANA, "A12345", "CA", "2027-03-15", "NV-77", "NV", "2028-06-30"],
    ]
    result = cli("intake", "roster", str(write_csv(tmp_path / "c.csv", rows)), "-f", "json")
    assert summary(result)["updated"] == 1
    licenses = json.loads(
        cli("credential", "list", "--provider", ANA, "--kind", "license", "-f", "json").stdout
    )
    assert [(c["number"], c["state"], c["expires_on"]) for c in licenses] == [
        ("A12345", "CA", "2027-03-15"),
        ("NV-77", "NV", "2028-06-30"),
    ]


def test_bad_rows_are_rejected_with_row_column_and_value(cli, db, tmp_path) -> None:
    rows = [
        HEADERS,
        [ANA, "Diaz", "Ana", "A1", "CA", "2027-03-15"],
        ["1234567898", "Okafor", "Ben", "B1", "NY", "2027-03-15"],
        [CARA, "Lopez", "Cara", "C1", "TX", "02/30/2027"],
        [npi(4), "", "Dev", "D1", "TX", "2027-03-15"],
        [npi(5), "Eze", "Eli", "E1", "", "2027-03-15"],
        [ANA, "Diaz", "Ana", "A1", "CA", "2027-03-15"],
    ]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert summary(result) == {
        "read": 6,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 5,
        "blank": 0,
        "ignored_columns": [],
    }
    assert result.stderr.splitlines()[1:] == [
        "warning: rejected row 3: column A \"NPI\" '1234567898': check digit does not "
        "match (mistyped NPI?)",
        "warning: rejected row 4: column F \"License Expiration\" '02/30/2027': is not a real "
        "calendar date",
        'warning: rejected row 5: column B "Last Name": is required for a provider not yet in '
        "the registry",
        'warning: rejected row 6: column E "License State": is empty, but a state license needs '
        "the issuing state",
        f"warning: rejected row 7: column A \"NPI\" '{ANA}': appears again (first on row 2); "
        "keep one row per provider",
    ]
    assert [r[0] for r in table_rows(db, "SELECT npi FROM providers")] == [ANA]


def test_every_problem_of_a_row_is_listed(cli, db, tmp_path) -> None:
    rows = [
        HEADERS + ["Email", "DEA", "DOB"],
        [CARA, "Lopez", "Cara", "C1", "XX", "soon", "nope", "AB4523763", "1/1/1800"],
    ]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)))
    assert result.stderr.splitlines()[1] == (
        "warning: rejected row 2: column G \"Email\" 'nope': is not an email address; "
        'column I "DOB" (hidden): a date of birth before 1900 is not plausible; '
        "column E \"License State\" 'XX': is not a US state or territory code (e.g. CA); "
        "column F \"License Expiration\" 'soon': is not a date (try YYYY-MM-DD); "
        "column H \"DEA\" 'AB4523763': check digit does not match (mistyped DEA number?)"
    )
    assert "1800" not in result.stderr


def test_rejects_file_holds_original_cells_and_reasons(cli, db, tmp_path) -> None:
    roster = write_xlsx(
        tmp_path / "r.xlsx",
        {
            "S": [
                HEADERS + ["SSN"],
                [int(CARA), "Lopez", "Cara", 77, "TX", "31/02/2026", "x"],
                [int(ANA), "Diaz", "Ana", "A1", "CA", dt.date(2027, 3, 15), None],
            ]
        },
    )
    rejects = tmp_path / "rejects.xlsx"
    result = cli("intake", "roster", str(roster), "--rejects", str(rejects), "-f", "json")
    assert summary(result)["rejected"] == 1
    assert f"wrote 1 rejected rows to {rejects}" in result.stderr
    assert stat.S_IMODE(os.stat(rejects).st_mode) == 0o600
    sheet = load_workbook(rejects)["Rejected"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        [*HEADERS, "SSN", "Source Row", "Reason"],
        [
            int(CARA),
            "Lopez",
            "Cara",
            77,
            "TX",
            "31/02/2026",
            "x",
            2,
            "row 2: column F \"License Expiration\" '31/02/2026': is not a real calendar "
            "date (a day-first date? use --dayfirst)",
        ],
    ]
    assert sheet.freeze_panes == "A2"


def test_rejects_never_overwrites_a_database_or_writes_a_non_workbook(cli, db, tmp_path) -> None:
    roster = write_csv(tmp_path / "r.csv", [HEADERS, [ANA, "Diaz", "Ana"]])
    for name in ("registry.db", "r.csv"):
        refused = cli("intake", "roster", str(roster), "--rejects", str(tmp_path / name), code=2)
        assert f"{name}' does not end in .xlsx; name the workbook FILE.xlsx" in refused.stderr
    disguised = tmp_path / "disguised.xlsx"
    with sqlite3.connect(disguised) as conn:
        conn.execute("CREATE TABLE kept (x)")
    refused = cli("intake", "roster", str(roster), "--rejects", str(disguised), code=2)
    assert "is a database, not a workbook; credcli will not overwrite it" in refused.stderr
    assert disguised.read_bytes().startswith(b"SQLite format 3\x00")
    cli("init")
    assert json.loads(cli("provider", "list", "-f", "json").stdout) == []


def test_fixed_rejects_import_again(cli, db, tmp_path) -> None:
    roster = write_csv(tmp_path / "r.csv", [HEADERS, [CARA, "Lopez", "Cara", "C1", "TX", "x"]])
    rejects = tmp_path / "rejects.xlsx"
    cli("intake", "roster", str(roster), "--rejects", str(rejects))
    book = load_workbook(rejects)
    book["Rejected"]["F2"] = dt.date(2027, 1, 1)
    book.save(rejects)
    result = summary(cli("intake", "roster", str(rejects), "-f", "json"))
    assert (result["created"], result["ignored_columns"]) == (1, ["Source Row", "Reason"])


def test_blank_rows_are_counted_and_the_counts_add_up(cli, db, tmp_path) -> None:
    rows = [HEADERS, [ANA, "Diaz", "Ana"], [], ["", " ", ""], [BEN, "Okafor", "Ben"], ["x"]]
    result = summary(
        cli("intake", "roster", str(write_xlsx(tmp_path / "r.xlsx", {"S": rows})), "-f", "json")
    )
    assert (result["read"], result["created"], result["blank"], result["rejected"]) == (5, 2, 2, 1)
    parts = ("created", "updated", "unchanged", "rejected", "blank")
    assert result["read"] == sum(result[k] for k in parts)


def test_dry_run_reports_and_writes_nothing(cli, db, tmp_path) -> None:
    result = cli("intake", "roster", str(messy(tmp_path)), "--dry-run", "-f", "json")
    assert summary(result)["created"] == 2
    assert result.stderr.endswith("dry run: nothing was written\n")
    assert table_rows(db, "SELECT count(*) FROM providers") == [(0,)]
    assert table_rows(db, "SELECT count(*) FROM audit_log") == [(0,)]


def test_an_interrupted_import_leaves_the_registry_as_it_was(
    cli, db, tmp_path, monkeypatch
) -> None:
    cli("intake", "roster", str(messy(tmp_path)))
    before = every_stored_text(db)
    rows = [HEADERS] + [
        [npi(10 + i), "Name", "Some", f"L{i}", "CA", "2027-01-01"] for i in range(5)
    ]
    monkeypatch.setattr(roster_import, "BATCH_ROWS", 2)
    calls = []
    original = RosterStore.write

    def write_then_fail(self, batch):
        calls.append(len(batch))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(self, batch)

    monkeypatch.setattr(RosterStore, "write", write_then_fail)
    cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), code=130)
    assert calls == [2, 2]
    assert every_stored_text(db) == before


def test_the_roster_status_column_is_kept(cli, db, tmp_path) -> None:
    rows = [["NPI", "Last", "First", "Status"], [ANA, "Diaz", "Ana", "Inactive"]]
    cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)))
    assert table_rows(db, "SELECT status FROM providers") == [("inactive",)]
    rows[1][3] = "retired"
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert (
        "column D \"Status\" 'retired': must be one of applicant, active, inactive, "
        "terminated" in result.stderr
    )


def test_a_status_change_dates_itself_and_a_termination_is_recorded(
    cli, db, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-11-23")
    rows = [["NPI", "Last", "First", "Status"], [ANA, "Diaz", "Ana", "active"]]
    cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)))
    rows[1][3] = "Terminated"
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-31")
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert summary(result)["updated"] == 1
    record = json.loads(cli("provider", "show", ANA, "-f", "json").stdout)
    assert (record["status"], record["status_date"], record["terminated_on"]) == (
        "terminated",
        "2026-12-31",
        "2026-12-31",
    )
    (after,) = table_rows(db, "SELECT after FROM audit_log ORDER BY id DESC LIMIT 1")
    assert json.loads(after[0]) == {
        "status": "terminated",
        "status_date": "2026-12-31",
        "terminated_on": "2026-12-31",
    }


def test_a_roster_termination_withdraws_the_open_file(cli, db, ana, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    rows = [["NPI", "Last", "First", "Status"], [ana, "Diaz", "Ana", "Termed"]]
    roster = str(write_csv(tmp_path / "r.csv", rows))
    dry = cli("intake", "roster", roster, "--dry-run")
    assert "would withdraw the open files of providers terminated by the roster: #1\n" in dry.stderr
    result = cli("intake", "roster", roster, "-f", "json")
    assert summary(result)["updated"] == 1
    assert "withdrew the open files of providers terminated by the roster: #1\n" in result.stderr
    shown = json.loads(cli("file", "show", "1", "-f", "json").stdout)
    assert (shown["stage"], shown["withdrawn_on"], shown["withdrawal_reason"]) == (
        "withdrawn",
        "2026-12-02",
        "provider terminated (roster import)",
    )
    assert "chain intact" in cli("audit-log", "verify").stdout


def test_text_longer_than_the_registry_holds_is_rejected(cli, db, tmp_path) -> None:
    rows = [HEADERS, [ANA, "D" * 101, "Ana", "A1", "CA", "2027-01-01"]]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert summary(result)["rejected"] == 1
    assert 'column B "Last Name" \'' + "D" * 57 + "...': is longer than 100 characters" in (
        result.stderr
    )
    # Free text keeps what 'provider terminate' and every other command keep.
    rows = [["NPI", "Last", "First", "Notes"], [ANA, "Diaz", "Ana", "n" * 4001]]
    result = cli("intake", "roster", str(write_csv(tmp_path / "n.csv", rows)), "-f", "json")
    assert summary(result)["rejected"] == 1
    assert "...': is longer than 4000 characters" in result.stderr
    rows[1][3] = "n" * 4000
    result = cli("intake", "roster", str(write_csv(tmp_path / "n.csv", rows)), "-f", "json")
    assert summary(result)["created"] == 1


def test_a_leading_apostrophe_keeps_digits_as_text_and_is_dropped(cli, db, tmp_path) -> None:
    rows = [
        ["NPI", "Last", "First", "Zip", "CAQH ID"],
        ["'" + ANA, "Diaz", "Ana", "'08752", "'0123456"],
    ]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert summary(result)["created"] == 1
    assert table_rows(db, "SELECT npi, zip_code, caqh_id FROM providers") == [
        (ANA, "08752", "0123456")
    ]


def test_two_licenses_in_one_state_on_a_row_are_rejected(cli, db, tmp_path) -> None:
    headers = [*HEADERS, "License Number 2", "License State 2"]
    rows = [headers, [ANA, "Diaz", "Ana", "A1", "CA", "2027-01-01", "A2", "ca"]]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert summary(result)["rejected"] == 1
    assert result.stderr.splitlines()[1] == (
        "warning: rejected row 2: column H \"License State 2\" 'ca': names a second state "
        'license in CA (the first is in column E "License State"); credcli keeps one per state'
    )


def test_a_true_false_cell_is_not_stored_as_text(cli, db, tmp_path) -> None:
    roster = write_xlsx(tmp_path / "r.xlsx", {"S": [HEADERS, [ANA, "Diaz", True, "A1", "CA"]]})
    result = cli("intake", "roster", str(roster), "-f", "json")
    assert summary(result)["rejected"] == 1
    assert result.stderr.splitlines()[1] == (
        "warning: rejected row 2: column C \"First Name\" 'True': is TRUE/FALSE "
        "(a checkbox), not a value credcli can keep here"
    )


def test_a_payer_termed_status_means_terminated(cli, db, tmp_path) -> None:
    rows = [["NPI", "Last", "First", "Status"], [ANA, "Diaz", "Ana", "Termed"]]
    cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)))
    assert table_rows(db, "SELECT status FROM providers") == [("terminated",)]


def test_a_term_date_terminates_on_that_date(cli, db, ana, tmp_path, monkeypatch) -> None:
    # A payer roster's Term Date, with no Status column: the provider is terminated as of
    # that day, and the open file is withdrawn on it (not before the file's last change).
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    rows = [
        ["NPI", "Last", "First", "Term Date", "Term Reason"],
        [ana, "Diaz", "Ana", "11/20/2026", "relocated"],
    ]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert summary(result)["updated"] == 1
    record = json.loads(cli("provider", "show", ana, "-f", "json").stdout)
    assert (
        record["status"],
        record["status_date"],
        record["terminated_on"],
        record["termination_reason"],
    ) == ("terminated", "2026-11-20", "2026-11-20", "relocated")
    shown = json.loads(cli("file", "show", "1", "-f", "json").stdout)
    assert (shown["stage"], shown["withdrawn_on"]) == ("withdrawn", "2026-11-20")
    again = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert summary(again)["unchanged"] == 1
    rows[1][3] = "11/25/2026"  # a corrected date moves the status date with it
    fixed = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert summary(fixed)["updated"] == 1
    (after,) = table_rows(
        db, "SELECT after FROM audit_log WHERE entity = 'providers' ORDER BY id DESC LIMIT 1"
    )
    assert json.loads(after[0]) == {"status_date": "2026-11-25", "terminated_on": "2026-11-25"}
    assert "chain intact" in cli("audit-log", "verify").stdout


def test_a_new_provider_terminated_on_a_given_date(cli, db, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    rows = [
        ["NPI", "Last", "First", "Status", "Termination Date"],
        [ANA, "Diaz", "Ana", "Termed", "2026-06-30"],
        [npi(2), "Okafor", "Ben", "Terminated", ""],
    ]
    cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)))
    assert table_rows(
        db,
        "SELECT npi, status, CAST(status_date AS TEXT), CAST(terminated_on AS TEXT) "
        "FROM providers ORDER BY npi",
    ) == [
        (ANA, "terminated", "2026-06-30", "2026-06-30"),
        (npi(2), "terminated", "2026-12-02", "2026-12-02"),
    ]
    assert table_rows(db, "SELECT count(*) FROM credentialing_files") == [(0,)]


def test_a_termination_that_contradicts_the_row_is_rejected(cli, db, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    rows = [
        ["NPI", "Last", "First", "Status", "Term Date", "Term Reason"],
        [ANA, "Diaz", "Ana", "Active", "2026-11-01", ""],
        [npi(2), "Okafor", "Ben", "", "2027-01-31", ""],
        [npi(3), "Nguyen", "Chloe", "", "", "retired"],
    ]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert summary(result)["rejected"] == 3
    assert result.stderr.splitlines()[1:4] == [
        "warning: rejected row 2: column E \"Term Date\" '2026-11-01': belongs to a terminated "
        "provider, but the row's Status is active",
        "warning: rejected row 3: column E \"Term Date\" '2027-01-31': is after today: a "
        "termination is recorded on or after the provider's last day (it takes effect at once)",
        "warning: rejected row 4: column F \"Term Reason\" 'retired': belongs to a terminated "
        "provider, but the row has neither a terminated Status nor a termination date",
    ]
    assert table_rows(db, "SELECT count(*) FROM providers") == [(0,)]


def test_a_roster_does_not_activate_an_applicant_the_committee_has_not_approved(
    cli, db, ana, tmp_path
) -> None:
    rows = [["NPI", "Last", "First", "Status"], [ana, "Diaz", "Ana", "Active"]]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert summary(result)["rejected"] == 1
    assert result.stderr.splitlines()[1] == (
        "warning: rejected row 2: column D \"Status\" 'Active': the provider is applicant in "
        "the registry and has not been credentialed: only the committee's approval of the "
        "initial file makes them active (or give the date they were credentialed in an "
        "Initial Cred Date column)"
    )
    assert table_rows(db, "SELECT status FROM providers") == [("applicant",)]
    # Credentialed before credcli kept the record: the roster says when, and that counts.
    rows = [["NPI", "Status", "Initial Cred Date"], [ana, "Active", "2024-05-01"]]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert summary(result)["updated"] == 1
    assert table_rows(db, "SELECT status FROM providers") == [("active",)]
    rows = [["NPI", "Status"], [ana, "Applicant"]]
    result = cli("intake", "roster", str(write_csv(tmp_path / "r.csv", rows)), "-f", "json")
    assert summary(result)["rejected"] == 1
    assert result.stderr.splitlines()[1] == (
        "warning: rejected row 2: column B \"Status\" 'Applicant': the provider was "
        "credentialed on 2024-05-01, and a credentialed provider does not go back to "
        "applicant (inactive is for one who has stopped practising)"
    )


def test_rejects_naming_the_roster_itself_is_refused_before_reading(cli, db, tmp_path) -> None:
    roster = write_xlsx(tmp_path / "roster.xlsx", {"S": [HEADERS, ["1234567898", "Bad", "Npi"]]})
    original = roster.read_bytes()
    (tmp_path / "link.xlsx").symlink_to(roster)
    (tmp_path / "sub").mkdir()
    spellings = [
        (str(roster), str(roster)),
        (str(roster), f"{tmp_path}/./sub/../roster.xlsx"),
        (str(tmp_path / "link.xlsx"), str(roster)),
        (str(roster), str(tmp_path / "link.xlsx")),
    ]
    for given, rejects in spellings:
        for extra in ([], ["--dry-run"]):
            refused = cli("intake", "roster", given, "--rejects", rejects, *extra, code=2)
            stem = "link" if given.endswith("link.xlsx") else "roster"
            assert refused.stderr == (
                f"error: --rejects {rejects.replace('/./', '/')} is the roster being imported; "
                "writing the rejected rows there would replace the roster: name another file, "
                f"e.g. --rejects {stem}-rejects.xlsx\n"
            )
            assert roster.read_bytes() == original
    if "://" not in db:  # refused before the registry was even opened
        assert not os.path.exists(db)


def test_event_dates_after_today_are_rejected(cli, db, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    headers = [
        *HEADERS,
        "License Issue Date",
        "Initial Cred Date",
        "Last Cred Date",
        "Next Recred Date",
    ]
    rows = [
        headers,
        [
            int(ANA),
            "Diaz",
            "Ana",
            "A1",
            "CA",
            dt.date(2029, 1, 1),
            dt.datetime(2026, 12, 3),
            dt.date(2026, 12, 3),
            "12/25/2026",
            dt.date(2029, 12, 1),
        ],
        [
            int(BEN),
            "Okafor",
            "Ben",
            "B1",
            "NY",
            dt.date(2029, 1, 1),
            dt.date(2026, 12, 2),
            dt.date(2026, 12, 2),
            "12/02/2026",
            dt.date(2029, 12, 1),
        ],
    ]
    result = cli(
        "intake", "roster", str(write_xlsx(tmp_path / "r.xlsx", {"S": rows})), "-f", "json"
    )
    assert (summary(result)["created"], summary(result)["rejected"]) == (1, 1)
    future = "is in the future (today is 2026-12-02)"
    assert result.stderr.splitlines()[1] == (
        f"warning: rejected row 2: column H \"Initial Cred Date\" '2026-12-03': {future}; "
        "give the day the provider was credentialed (approved); "
        f"column I \"Last Cred Date\" '12/25/2026': {future}; "
        "give the day the provider was credentialed (approved); "
        f"column G \"License Issue Date\" '2026-12-03': {future}; give the day it was issued"
    )
    ben = json.loads(cli("provider", "show", BEN, "-f", "json").stdout)
    assert (ben["initial_cred_date"], ben["last_cred_date"], ben["next_recred_due"]) == (
        "2026-12-02",
        "2026-12-02",
        "2029-12-01",
    )
    assert [(c["issued_on"], c["expires_on"]) for c in ben["credentials"]] == [
        ("2026-12-02", "2029-01-01")
    ]
