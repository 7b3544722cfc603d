import datetime as dt
import json

import openpyxl
import pytest

from credcli.domain.identifiers import npi_check_digit
from credcli.services import files, registry
from pipeline_helpers import verify


def npi(n: int) -> str:
    first = f"1{n:08d}"
    return first + str(npi_check_digit(first))


def _provider(cli, n: int, last: str, received: str = "2026-11-02") -> str:
    number = npi(n)
    cli("intake", "new", "--npi", number, "--first", "Pat", "--last", last, "--received", received)
    return number


def _queue(cli, *args: str) -> list[dict]:
    return json.loads(cli("queue", "-f", "json", *args).stdout)


def _flags(cli, as_of: str, *args: str) -> list[str]:
    return [row["flags"] for row in _queue(cli, "--as-of", as_of, *args)]


def test_a_queue_row_says_everything_about_the_file(cli, db, ana) -> None:
    cli("file", "assign", "1", "R. Patel", "--date", "2026-11-03")
    cli("file", "request", "1", "CV", "--due", "2026-11-10", "--date", "2026-11-03")
    cli("file", "request", "1", "DEA copy", "--due", "2026-11-20", "--date", "2026-11-04")
    cli("file", "stage", "1", "verification", "--date", "2026-11-05")
    assert _queue(cli, "--as-of", "2026-11-23") == [
        {
            "file": 1,
            "npi": "1234567893",
            "provider": "Diaz, Ana MD",
            "cycle": "initial",
            "stage": "verification",
            "assignee": "R. Patel",
            "received_on": "2026-11-02",
            "age_days": 21,
            "stage_since": "2026-11-05",
            "days_in_stage": 18,
            "last_activity_on": "2026-11-05",
            "idle_days": 18,
            "open_items": 2,
            "past_due_items": 2,
            "oldest_item_due": "2026-11-10",
            "recred_due_on": None,
            "next_action": "chase 2 items (2 past due); verify: license, education, training, "
            "malpractice, work-history, npdb, attestation missing",
            "flags": "past-due, stalled",
        }
    ]


@pytest.mark.parametrize(("as_of", "flags"), [("2026-11-15", ""), ("2026-11-16", "stalled")])
def test_stalled_after_14_days_without_activity(cli, db, ana, as_of, flags) -> None:
    assert _flags(cli, as_of) == [flags]
    assert len(_queue(cli, "--as-of", as_of, "--stalled")) == (1 if flags else 0)


def test_activity_resets_the_stalled_clock(cli, db, ana) -> None:
    cli("file", "note", "1", "called the office", "--date", "2026-11-10")
    assert _flags(cli, "2026-11-23") == [""]
    assert _flags(cli, "2026-11-24") == ["stalled"]


def test_stalled_days_option_and_environment_default(cli, db, ana) -> None:
    assert _flags(cli, "2026-11-16", "--stalled-days", "15") == [""]
    assert _flags(cli, "2026-11-09", "--stalled-days", "7") == ["stalled"]
    result = cli("queue", "-f", "json", "--as-of", "2026-11-09", env={"CREDCLI_STALLED_DAYS": "7"})
    assert json.loads(result.stdout)[0]["flags"] == "stalled"
    assert "Invalid value" in cli("queue", "--stalled-days", "0", code=2).stderr


@pytest.mark.parametrize(("as_of", "flags"), [("2026-11-10", ""), ("2026-11-11", "past-due")])
def test_item_past_due_the_day_after_its_due_date(cli, db, ana, as_of, flags) -> None:
    cli("file", "request", "1", "CV", "--due", "2026-11-10", "--date", "2026-11-09")
    assert _flags(cli, as_of) == [flags]


def _recred_file(db: str, cli, due: str) -> None:
    with registry.session(db, write=True) as session:  # file #1 approved, as imported
        first = files.find(session, 1)
        first.stage = "decided"
        first.provider.last_cred_date = dt.date(2023, 11, 2)
    cli("file", "open", npi(1), "--cycle", "recredential", "--received", "2026-11-20", "--due", due)


@pytest.mark.parametrize(("due", "flags"), [("2026-12-24", ""), ("2026-12-23", "at-risk")])
def test_recredentialing_at_risk_within_30_days(cli, db, due, flags) -> None:
    _provider(cli, 1, "Ames")
    _recred_file(db, cli, due)
    assert _flags(cli, "2026-11-23") == [flags]


def test_order_puts_what_needs_attention_first(cli, db) -> None:
    plain_old = _provider(cli, 1, "Ames", "2026-11-01")
    plain_new = _provider(cli, 2, "Baker", "2026-11-05")
    stalled = _provider(cli, 3, "Cruz", "2026-10-01")
    late_item = _provider(cli, 4, "Dunn", "2026-11-20")
    risky = _provider(cli, 5, "Egan", "2026-11-21")
    cli("file", "note", "1", "called", "--date", "2026-11-20")
    cli("file", "note", "2", "called", "--date", "2026-11-21")
    cli("file", "request", "4", "CV", "--due", "2026-11-21", "--date", "2026-11-20")
    with registry.session(db, write=True) as session:
        files.find(session, 5).due_on = dt.date(2026, 12, 1)
    rows = _queue(cli, "--as-of", "2026-11-23")
    assert [(r["npi"], r["flags"]) for r in rows] == [
        (risky, "at-risk"),
        (late_item, "past-due"),
        (stalled, "stalled"),
        (plain_old, ""),  # idle 3 days
        (plain_new, ""),  # idle 2 days
    ]


def test_filters_by_stage_assignee_and_stalled(cli, db) -> None:
    _provider(cli, 1, "Ames", "2026-11-01")
    _provider(cli, 2, "Baker", "2026-11-20")
    cli("file", "stage", "2", "verification", "--date", "2026-11-21")
    cli("file", "assign", "2", "R. Patel", "--date", "2026-11-21")
    assert [r["file"] for r in _queue(cli, "--as-of", "2026-11-23", "--stage", "verification")] == [
        2
    ]
    assert [r["file"] for r in _queue(cli, "--as-of", "2026-11-23", "--assignee", "r. patel")] == [
        2
    ]
    assert [r["file"] for r in _queue(cli, "--as-of", "2026-11-23", "--stalled")] == [1]
    assert cli("queue", "--stage", "decided", code=2).stderr.count("open files only") == 1


def test_next_action_follows_the_checklist(cli, db, ana) -> None:
    cli("credential", "add", ana, "--kind", "license", "--state", "CA", "--number", "A1")
    cli("file", "stage", "1", "verification", "--date", "2026-11-03")
    verify(db, ana, "2026-11-04", skip=("license:CA", "npdb"))
    assert _queue(cli, "--as-of", "2026-11-23")[0]["next_action"] == (
        "verify: license:CA, npdb missing"
    )
    verify(db, ana, "2026-11-05", elements=["license:CA", "npdb"])
    assert _queue(cli, "--as-of", "2026-11-23")[0]["next_action"] == "mark committee-ready"
    cli("file", "stage", "1", "committee-ready", "--date", "2026-11-06")
    assert _queue(cli, "--as-of", "2026-11-23")[0]["next_action"] == "put on agenda"
    assert _queue(cli, "--as-of", "2027-03-10")[0]["next_action"] == (
        "re-verify: license:CA, education, training, malpractice, work-history, npdb stale"
    )
    cli("file", "stage", "1", "committee", "--date", "2026-11-07")
    assert _queue(cli, "--as-of", "2026-11-23")[0]["next_action"] == "awaiting committee"


def test_decided_files_and_files_received_later_are_not_in_the_queue(cli, db, ana) -> None:
    _provider(cli, 1, "Ames", "2026-12-01")
    assert [r["file"] for r in _queue(cli, "--as-of", "2026-11-23")] == [1]
    with registry.session(db, write=True) as session:
        files.find(session, 1).stage = "decided"
    assert [r["file"] for r in _queue(cli, "--as-of", "2026-12-02")] == [2]


def test_queue_table_csv_and_xlsx(cli, db, ana, tmp_path) -> None:
    table = cli("queue", "--as-of", "2026-11-23").stdout
    assert "Queue as of 2026-11-23" in table and "start verification" in table
    csv_lines = cli("queue", "--as-of", "2026-11-23", "-f", "csv").stdout.splitlines()
    assert csv_lines[0].startswith("file,npi,provider,cycle,stage,assignee,received_on,age_days")
    path = tmp_path / "queue.xlsx"
    cli("queue", "--as-of", "2026-11-23", "--xlsx", str(path))
    sheet = openpyxl.load_workbook(path)["Queue"]
    assert [c.value for c in sheet[1]][:5] == ["File", "Provider", "NPI", "Cycle", "Stage"]
    assert sheet["M2"].value == "start verification"
    assert (path.stat().st_mode & 0o777) == 0o600


def test_empty_queue_says_so(cli, db) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    result = cli("queue")
    assert (result.stdout, result.stderr) == ("", "no open files match\n")


def _config(tmp_path, text: str) -> None:
    folder = tmp_path / "home" / "config" / "credcli"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)


def test_stalled_days_can_be_set_in_the_config_file(cli, db, ana, tmp_path) -> None:
    _config(tmp_path, "[queue]\nstalled_days = 7\n")
    assert _flags(cli, "2026-11-09") == ["stalled"]
    assert _flags(cli, "2026-11-09", "--stalled-days", "8") == [""]


def test_a_bad_stalled_days_setting_is_named(cli, db, ana, tmp_path) -> None:
    _config(tmp_path, '[queue]\nstalled_days = "two weeks"\n')
    result = cli("queue", code=2)
    assert result.stderr == (
        f"error: config file {tmp_path / 'home' / 'config' / 'credcli' / 'config.toml'}: "
        "[queue] stalled_days must be a whole number of days, 1 or more (found 'two weeks')\n"
    )


def test_exclusion_hits_come_first_in_the_next_action(cli, db, ana, tmp_path) -> None:
    from listfiles import leie_row, write_leie

    leie = write_leie(tmp_path / "UPDATED.csv", [leie_row("DIAZ", "ANA")])  # no DOB: possible
    cli("verify", "load", "leie", str(leie), "--file-date", "2026-11-20")
    cli("verify", "screen", "--as-of", "2026-11-20", code=1)
    (row,) = _queue(cli, "--as-of", "2026-11-23")
    assert row["next_action"] == "clear or confirm exclusion hit #1 on LEIE"
    cli("verify", "confirm", "1", "--reason", "same person, OIG letter on file")
    (row,) = _queue(cli, "--as-of", "2026-11-23")
    assert row["next_action"] == (
        "provider excluded (confirmed hit #1 on LEIE): present the file for denial or withdraw it"
    )
