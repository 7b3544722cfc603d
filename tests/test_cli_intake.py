import json

from credcli.cli import console


def test_intake_registers_an_applicant_with_an_initial_file(cli, db) -> None:
    result = cli(
        "intake",
        "new",
        "--npi",
        "1234567893",
        "--first",
        "Ana",
        "--last",
        "Diaz",
        "--degree",
        "MD",
        "--received",
        "2026-11-02",
    )
    assert result.stdout == ""
    assert result.stderr == (
        "registered Diaz, Ana MD (NPI 1234567893) as applicant; opened initial "
        "credentialing file #1 received 2026-11-02\n"
    )
    record = json.loads(cli("provider", "show", "1234567893", "--format", "json").stdout)
    assert record["status"] == "applicant"
    assert record["status_date"] == "2026-11-02"
    assert [(f["cycle"], f["stage"], f["received_on"]) for f in record["files"]] == [
        ("initial", "intake", "2026-11-02")
    ]


def test_received_defaults_to_today(cli, db, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-11-23")
    cli("intake", "new", "--npi", "1234567893", "--first", "Ana", "--last", "Diaz")
    record = json.loads(cli("provider", "show", "1234567893", "-f", "json").stdout)
    assert record["files"][0]["received_on"] == "2026-11-23"


def test_npi_given_as_number_text_with_spaces_is_normalised(cli, db) -> None:
    cli("intake", "new", "--npi", " 1234 567 893 ", "--first", "Ana", "--last", "Diaz")
    assert "1234567893" in cli("provider", "list", "-f", "csv").stdout


def test_bad_npi_is_rejected_with_field_and_value(cli, db) -> None:
    result = cli("intake", "new", "--npi", "1234567898", "--first", "A", "--last", "B", code=2)
    assert result.stderr == "error: npi '1234567898': check digit does not match (mistyped NPI?)\n"
    assert cli("provider", "list", "-f", "json").stdout == "[]\n"


def test_missing_name_is_rejected_when_not_at_a_terminal(cli, db) -> None:
    result = cli("intake", "new", "--npi", "1234567893", "--first", "Ana", code=2)
    assert result.stderr == "error: last name: is required\n"


def test_missing_fields_are_prompted_for_at_a_terminal(cli, db, monkeypatch) -> None:
    monkeypatch.setattr(console, "interactive", lambda: True)
    cli("intake", "new", "--degree", "NP", input="1558598797\nBen\nOkafor\n")
    rows = json.loads(cli("provider", "list", "-f", "json").stdout)
    assert [(r["npi"], r["first_name"], r["last_name"], r["degree"]) for r in rows] == [
        ("1558598797", "Ben", "Okafor", "NP")
    ]


def test_duplicate_npi_is_a_conflict(cli, db, ana) -> None:
    result = cli("intake", "new", "--npi", ana, "--first", "Ann", "--last", "Diaz", code=2)
    assert result.stderr == (
        "error: NPI 1234567893 is already registered (Diaz, Ana MD); use 'credcli provider "
        "update' to change it or 'credcli file open' for a new file\n"
    )


def test_impossible_received_date(cli, db) -> None:
    result = cli(
        "intake",
        "new",
        "--npi",
        "1234567893",
        "--first",
        "A",
        "--last",
        "B",
        "--received",
        "2026-02-30",
        code=2,
    )
    assert result.stderr == "error: received '2026-02-30': is not a real calendar date\n"


def test_birth_date_in_the_future_is_rejected_without_echoing_it(cli, db) -> None:
    result = cli(
        "intake",
        "new",
        "--npi",
        "1234567893",
        "--first",
        "A",
        "--last",
        "B",
        "--dob",
        "2090-01-01",
        code=2,
    )
    assert result.stderr == "error: date of birth '(hidden)': a date of birth must be in the past\n"
    assert "2090" not in result.stderr


def test_bad_email_is_rejected(cli, db) -> None:
    result = cli(
        "intake",
        "new",
        "--npi",
        "1234567893",
        "--first",
        "A",
        "--last",
        "B",
        "--email",
        "ana-at-example",
        code=2,
    )
    assert result.stderr == "error: email 'ana-at-example': is not an email address\n"
