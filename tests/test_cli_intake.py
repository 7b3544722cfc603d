import json

import pytest

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


def _intake(cli, *extra: str, code: int = 0):
    args = ("intake", "new", "--npi", "1234567893", "--first", "A", "--last", "B")
    return cli(*args, *extra, code=code)


def test_a_received_date_after_today_is_refused(cli, db, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    result = _intake(cli, "--received", "2026-12-03", code=2)
    assert result.stderr == (
        "error: received '2026-12-03': is in the future (today is 2026-12-02); "
        "give the day the application arrived\n"
    )
    assert cli("provider", "list", "-f", "json").stdout == "[]\n"


def test_an_application_received_today_is_accepted(cli, db, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    result = _intake(cli, "--received", "2026-12-02")
    assert result.stderr.endswith("opened initial credentialing file #1 received 2026-12-02\n")


def test_a_birth_date_making_a_child_is_refused_without_echoing_it(cli, db, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    result = _intake(cli, "--dob", "2023-06-01", code=2)
    assert result.stderr == (
        "error: date of birth '(hidden)': makes the provider younger than 18: "
        "not plausible for a clinician\n"
    )


def test_a_provider_who_turned_18_today_is_accepted(cli, db, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    _intake(cli, "--dob", "2008-12-02")
    _intake(cli, "--dob", "2008-12-03", code=2)  # the same person, one day too young


@pytest.mark.parametrize(
    ("option", "label", "limit"),
    [("--first", "first name", 100), ("--last", "last name", 100), ("--degree", "degree", 40)],
)
def test_text_longer_than_the_registry_keeps_is_refused(cli, db, option, label, limit) -> None:
    def names(value: str) -> dict[str, str]:
        return {"--first": "A", "--last": "B", "--degree": "MD", option: value}

    def flat(given: dict[str, str]) -> list[str]:
        return [item for pair in given.items() for item in pair]

    too_long = "x" * (limit + 1)
    shown = too_long if len(too_long) <= 60 else too_long[:57] + "..."
    result = cli("intake", "new", "--npi", "1234567893", *flat(names(too_long)), code=2)
    assert result.stderr == f"error: {label} '{shown}': is longer than {limit} characters\n"
    cli("intake", "new", "--npi", "1234567893", *flat(names("x" * limit)))


def test_a_bad_credcli_today_is_a_usage_error_not_a_crash(cli, db, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "garbage")
    result = _intake(cli, code=2)
    assert result.stderr == (
        "error: CREDCLI_TODAY 'garbage' is not a date (try YYYY-MM-DD); set it to a date "
        "such as 2026-12-02 or unset it\n"
    )
