import csv
import io
import json

import openpyxl
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from credcli.db.engine import resolve
from rosters import credentialed


def _json(cli, *args):
    return json.loads(cli(*args, "--format", "json").stdout)


def test_list_is_sorted_by_name_and_keyed_by_field(cli, db, ana) -> None:
    cli("intake", "new", "--npi", "1558598797", "--first", "Ben", "--last", "Okafor")
    rows = _json(cli, "provider", "list")
    assert [r["npi"] for r in rows] == ["1234567893", "1558598797"]
    assert rows[0] == {
        "npi": "1234567893",
        "last_name": "Diaz",
        "first_name": "Ana",
        "degree": "MD",
        "specialty": "Internal Medicine",
        "status": "applicant",
        "status_date": "2026-11-02",
        "next_recred_due": None,
    }


def test_list_filters_by_status_and_search(cli, db, ana, tmp_path) -> None:
    credentialed(cli, tmp_path, "1558598797", "Ben", "Okafor")
    assert [r["npi"] for r in _json(cli, "provider", "list", "--status", "active")] == [
        "1558598797"
    ]
    assert [r["npi"] for r in _json(cli, "provider", "list", "--search", "dia")] == [ana]


def test_list_csv_has_a_header_and_one_row_per_provider(cli, db, ana) -> None:
    rows = list(csv.reader(io.StringIO(cli("provider", "list", "-f", "csv").stdout)))
    assert rows[0] == [
        "npi",
        "last_name",
        "first_name",
        "degree",
        "specialty",
        "status",
        "status_date",
        "next_recred_due",
    ]
    assert rows[1][:3] == ["1234567893", "Diaz", "Ana"]


def test_list_table_shows_names(cli, db, ana) -> None:
    out = cli("provider", "list").stdout
    assert "1234567893" in out and "Diaz" in out and "Internal Medicine" in out


def test_empty_list_says_so_on_stderr(cli, db) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    result = cli("provider", "list")
    assert result.stdout == ""
    assert result.stderr == "no providers match\n"


def test_list_to_xlsx_is_private(cli, db, ana, tmp_path) -> None:
    path = tmp_path / "providers.xlsx"
    cli("provider", "list", "--xlsx", str(path))
    sheet = openpyxl.load_workbook(path)["Providers"]
    assert [c.value for c in sheet[1]][:3] == ["NPI", "Last", "First"]
    assert sheet["A2"].value == "1234567893"
    assert sheet.freeze_panes == "A2"
    assert (path.stat().st_mode & 0o777) == 0o600


def test_show_prints_everything_known(cli, db, ana) -> None:
    cli(
        "credential",
        "add",
        ana,
        "--kind",
        "license",
        "--state",
        "CA",
        "--number",
        "A123456",
        "--expires",
        "2027-03-31",
    )
    record = _json(cli, "provider", "show", ana)
    assert record["npi"] == ana
    assert record["dob"] == "1980-02-03"
    assert record["email"] == "ana.diaz@example.org"
    assert [
        (c["kind"], c["state"], c["number"], c["expires_on"]) for c in record["credentials"]
    ] == [("license", "CA", "A123456", "2027-03-31")]
    assert len(record["files"]) == 1
    assert record["verifications"] == [] and record["enrollments"] == []


def test_show_table_and_csv(cli, db, ana) -> None:
    table = cli("provider", "show", ana).stdout
    assert table.startswith("Diaz, Ana (NPI 1234567893)\n")
    assert "verifications: none" in table
    rows = list(csv.reader(io.StringIO(cli("provider", "show", ana, "-f", "csv").stdout)))
    assert rows[0] == ["section", "row", "field", "value"]
    assert ["record", "", "npi", ana] in rows
    assert ["files", "1", "cycle", "initial"] in rows


def test_show_unknown_npi(cli, db) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    result = cli("provider", "show", "1558598797", code=2)
    assert result.stderr == "error: no provider with NPI 1558598797 in the registry\n"


def test_show_invalid_npi(cli, db) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    result = cli("provider", "show", "12345", code=2)
    assert result.stderr == "error: npi '12345': an NPI is 10 digits\n"


def test_update_reports_each_change(cli, db, ana) -> None:
    result = cli(
        "provider",
        "update",
        ana,
        "--email",
        "a.diaz@example.org",
        "--state",
        "ca",
        "--zip",
        "8752",
    )
    assert result.stderr.splitlines() == [
        "NPI 1234567893: email ana.diaz@example.org -> a.diaz@example.org",
        "NPI 1234567893: state (blank) -> CA",
        "NPI 1234567893: zip_code (blank) -> 08752",
    ]
    record = _json(cli, "provider", "show", ana)
    assert (record["zip_code"], record["status"]) == ("08752", "applicant")


def test_a_credentialed_provider_goes_inactive_and_back(cli, db, tmp_path) -> None:
    ben = credentialed(cli, tmp_path, "1558598797", "Ben", "Okafor")
    result = cli("provider", "update", ben, "--status", "inactive", "--date", "2026-11-20")
    assert result.stderr == "NPI 1558598797: status active -> inactive\n"
    record = _json(cli, "provider", "show", ben)
    assert (record["status"], record["status_date"]) == ("inactive", "2026-11-20")
    cli("provider", "update", ben, "--status", "active", "--date", "2026-11-25")
    assert _json(cli, "provider", "show", ben)["status"] == "active"


def test_an_applicant_is_not_activated_by_an_edit(cli, db, ana) -> None:
    for status in ("active", "inactive"):
        result = cli("provider", "update", ana, "--status", status, code=2)
        assert result.stderr == (
            f"error: Diaz, Ana MD (NPI 1234567893) has not been credentialed and cannot be "
            f"made {status}: only the committee's approval of their initial file makes them "
            "active (their file 1 is at stage intake; 'credcli committee record --date D 1 "
            "--decision approved' records the approval). To end the application use "
            "'credcli file withdraw' or 'credcli provider terminate'\n"
        )
    assert _json(cli, "provider", "show", ana)["status"] == "applicant"


def test_a_terminated_applicant_is_not_reactivated_by_an_edit(cli, db, ana) -> None:
    cli("provider", "terminate", ana, "--date", "2026-11-30")
    result = cli("provider", "update", ana, "--status", "active", code=2)
    assert result.stderr == (
        "error: Diaz, Ana MD (NPI 1234567893) was terminated on 2026-11-30: a provider who "
        "left comes back through credentialing: 'credcli provider update 1234567893 "
        "--status applicant', then 'credcli file open 1234567893 --cycle initial'\n"
    )
    cli("provider", "update", ana, "--status", "applicant", "--date", "2026-12-01")
    assert _json(cli, "provider", "show", ana)["status"] == "applicant"


def test_a_credentialed_provider_never_goes_back_to_applicant(cli, db, tmp_path) -> None:
    ben = credentialed(cli, tmp_path, "1558598797", "Ben", "Okafor")
    result = cli("provider", "update", ben, "--status", "applicant", code=2)
    assert result.stderr == (
        "error: Okafor, Ben (NPI 1558598797) was credentialed on 2024-05-01: a credentialed "
        "provider does not go back to applicant; use --status inactive for one who has "
        "stopped practising\n"
    )


def test_update_with_same_values_changes_nothing(cli, db, ana) -> None:
    result = cli("provider", "update", ana, "--degree", "MD")
    assert result.stderr == "NPI 1234567893: nothing changed\n"


def test_update_needs_a_field(cli, db, ana) -> None:
    result = cli("provider", "update", ana, code=2)
    assert "give at least one field to change" in result.stderr


def test_update_rejects_bad_values(cli, db, ana) -> None:
    result = cli("provider", "update", ana, "--state", "ZZ", code=2)
    assert result.stderr == "error: state 'ZZ': is not a US state or territory code (e.g. CA)\n"
    result = cli("provider", "update", ana, "--taxonomy", "207R0000", code=2)
    assert "a NUCC taxonomy code is 10 characters" in result.stderr


def test_update_dob_never_prints_the_date(cli, db, ana) -> None:
    result = cli("provider", "update", ana, "--dob", "1981-02-03")
    assert result.stderr == "NPI 1234567893: date of birth changed\n"


def test_terminate_keeps_the_record(cli, db, ana) -> None:
    result = cli("provider", "terminate", ana, "--date", "2026-11-30", "--reason", "moved")
    assert result.stderr == (
        "terminated Diaz, Ana MD (NPI 1234567893) as of 2026-11-30\n"
        "withdrew open credentialing file #1\n"
    )
    record = _json(cli, "provider", "show", ana)
    assert (record["status"], record["terminated_on"], record["termination_reason"]) == (
        "terminated",
        "2026-11-30",
        "moved",
    )


def test_terminating_withdraws_the_open_file(cli, db, ana, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    cli("file", "request", "1", "CV", "--due", "2026-12-20", "--date", "2026-11-20")
    cli("provider", "terminate", ana, "--date", "2026-11-30", "--reason", "left the group")
    shown = _json(cli, "file", "show", "1")
    assert (shown["stage"], shown["withdrawn_on"], shown["withdrawal_reason"]) == (
        "withdrawn",
        "2026-11-30",
        "provider terminated: left the group",
    )
    assert [item["status"] for item in shown["items"]] == ["waived"]
    assert _json(cli, "queue") == []
    unknown = cli("provider", "terminate", "1558598797", code=2)
    assert "1558598797" in unknown.stderr


def test_a_termination_after_today_is_refused(cli, db, ana, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    ahead = cli("provider", "terminate", ana, "--date", "2026-12-31", code=2)
    assert ahead.stderr == (
        "error: date '2026-12-31': is in the future (today is 2026-12-02); record a "
        "termination on or after the provider's last day\n"
    )
    assert _json(cli, "provider", "show", ana)["status"] == "applicant"
    assert _json(cli, "file", "show", "1")["stage"] == "intake"


def test_terminate_twice_is_refused(cli, db, ana) -> None:
    cli("provider", "terminate", ana, "--date", "2026-11-30")
    result = cli("provider", "terminate", ana, code=2)
    assert result.stderr == (
        "error: Diaz, Ana MD (NPI 1234567893) was already terminated on 2026-11-30\n"
    )


def test_terminated_status_only_through_terminate(cli, db, ana) -> None:
    result = cli("provider", "update", ana, "--status", "terminated", code=2)
    assert "use 'credcli provider terminate'" in result.stderr


def test_a_provider_who_left_comes_back_through_credentialing(cli, db, tmp_path) -> None:
    ben = credentialed(cli, tmp_path, "1558598797", "Ben", "Okafor")
    cli("provider", "terminate", ben, "--date", "2026-11-30")
    for status in ("active", "inactive"):
        result = cli("provider", "update", ben, "--status", status, code=2)
        assert result.stderr == (
            "error: Okafor, Ben (NPI 1558598797) was terminated on 2026-11-30: a provider who "
            "left comes back through credentialing: 'credcli provider update 1558598797 "
            "--status applicant', then 'credcli file open 1558598797 --cycle initial'\n"
        )
    cli("provider", "update", ben, "--status", "applicant", "--date", "2026-12-01")
    record = _json(cli, "provider", "show", ben)
    assert (record["status"], record["terminated_on"]) == ("applicant", None)
    cli("file", "open", ben, "--cycle", "initial", "--received", "2026-12-01")


def _sql(db: str, *statements: str) -> None:
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def _screened_and_notified(db: str) -> None:
    """A LEIE hit cleared as a false positive, and one notice mailed to Ana."""
    leie_row = json.dumps(
        {"LASTNAME": "DIAZ", "FIRSTNAME": "ANA", "DOB": "19610101", "ADDRESS": "1 ELM ST"}
    )
    _sql(
        db,
        "INSERT INTO screening_runs (run_at, run_by, as_of, lists, versions, screened, strong,"
        " possible, ruled_out, new_hits, open_hits) VALUES ('2026-11-20 10:00:00', 'tester',"
        " '2026-11-20', 'leie', '[]', 1, 0, 1, 0, 1, 1)",
        "INSERT INTO screening_hits (provider_id, list_name, record_key, content_hash, tier,"
        " reason, record, status, disposed_by, disposition_reason, first_run_id, last_run_id)"
        f" VALUES (1, 'leie', 'k1', 'c1', 'possible', 'name equal, DOB missing', '{leie_row}',"
        " 'cleared', 'tester', 'different middle name', 1, 1)",
        "INSERT INTO notices (provider_id, item_key, band, sent_at, to_address, message_id)"
        " VALUES (1, 'credential:1@2027-01-15', '60', '2026-11-16 06:30:00',"
        " 'ana.diaz@example.org', '<m1@example.org>')",
    )


def test_show_includes_screening_hits_and_notices(cli, db, ana) -> None:
    _screened_and_notified(db)
    record = _json(cli, "provider", "show", ana)
    assert [
        (h["hit"], h["list"], h["tier"], h["listed_name"], h["status"], h["disposition_reason"])
        for h in record["hits"]
    ] == [(1, "leie", "possible", "DIAZ ANA", "cleared", "different middle name")]
    assert "record" not in record["hits"][0]  # the listed person's DOB and address stay out
    assert [(n["item"], n["band"], n["email"]) for n in record["notices"]] == [
        ("credential:1@2027-01-15", "60", "ana.diaz@example.org")
    ]


def test_show_table_has_hits_and_notices_and_redact_hides_the_address(cli, db, ana) -> None:
    _screened_and_notified(db)
    table = cli("provider", "show", ana).stdout
    assert "hits" in table and "DIAZ ANA" in table and "credential:1@2027-01-15" in table
    redacted = _json(cli, "provider", "show", ana, "--redact")
    assert redacted["notices"][0]["email"] == "REDACTED"
    assert "ana.diaz@example.org" not in cli("provider", "show", ana, "--redact").stdout


def test_show_without_hits_or_notices_says_none(cli, db, ana) -> None:
    table = cli("provider", "show", ana).stdout
    assert "hits: none" in table and "notices: none" in table
    record = _json(cli, "provider", "show", ana)
    assert (record["hits"], record["notices"]) == ([], [])


def test_search_text_is_literal(cli, db, ana) -> None:
    cli("intake", "new", "--npi", "1558598797", "--first", "Ben", "--last", "O_Kafor")
    assert [r["npi"] for r in _json(cli, "provider", "list", "--search", "%")] == []
    assert [r["npi"] for r in _json(cli, "provider", "list", "--search", "o_k")] == ["1558598797"]


def test_a_termination_reason_longer_than_4000_characters_is_refused(cli, db, ana) -> None:
    result = cli("provider", "terminate", ana, "--reason", "r" * 4001, code=2)
    assert result.stderr == f"error: reason '{'r' * 57}...': is longer than 4000 characters\n"
    assert _json(cli, "provider", "show", ana)["status"] == "applicant"


def test_notes_longer_than_4000_characters_are_refused(cli, db, ana) -> None:
    result = cli("provider", "update", ana, "--notes", "n" * 4001, code=2)
    assert result.stderr == f"error: notes '{'n' * 57}...': is longer than 4000 characters\n"


def test_a_birth_date_making_a_child_is_refused_on_update(cli, db, ana, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    result = cli("provider", "update", ana, "--dob", "2023-06-01", code=2)
    assert result.stderr == (
        "error: date of birth '(hidden)': makes the provider younger than 18: "
        "not plausible for a clinician\n"
    )
    assert _json(cli, "provider", "show", ana)["dob"] == "1980-02-03"


def test_a_date_edited_into_nonsense_outside_credcli_is_a_database_error(
    cli, tmp_path, monkeypatch
) -> None:
    path = tmp_path / "edited.db"
    monkeypatch.setenv("CREDCLI_DB", str(path))
    cli("intake", "new", "--npi", "1234567893", "--first", "Ana", "--last", "Diaz")
    _sql(str(path), "UPDATE providers SET dob = '1980-02-30'")
    for args in (("provider", "list"), ("provider", "show", "1234567893")):
        result = cli(*args, code=3)
        assert result.stderr == (
            f"error: registry {path} holds a value credcli cannot read (day is out of range "
            "for month): it was edited outside credcli; restore the last backup (README "
            "'Backups')\n"
        )


def test_show_gives_a_lapsed_credential_as_expired(cli, db, ana) -> None:
    cli("credential", "add", ana, "--kind", "board", "--issuer", "ABIM", "--expires", "2020-01-01")
    shown = json.loads(cli("provider", "show", ana, "--format", "json").stdout)
    assert [(c["kind"], c["status"]) for c in shown["credentials"]] == [("board", "expired")]


def test_a_date_without_a_status_is_refused_not_ignored(cli, db, ana) -> None:
    result = cli(
        "provider", "update", ana, "--phone", "555-010-0199", "--date", "2026-11-20", code=2
    )
    assert result.stderr == (
        "error: --date is the day a status change takes effect: give it with --status\n"
    )
    assert _json(cli, "provider", "show", ana)["phone"] is None
