"""A recredentialing decided more than 30 days after its due date is no recredentialing
(NCQA FAQ): the committee cannot decide it; the file is withdrawn and an initial one opened.

Ben's recredentialing is due 2026-10-01, so its late window ends 2026-10-31.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from credcli.domain.identifiers import npi_check_digit
from pipeline_helpers import screened, verify

BEN = "1558598797"
LAPSED = (
    "its recredentialing was due 2026-10-01 and the 30-day late window ended 2026-10-31, so "
    "NCQA requires initial credentialing again. Withdraw this file ('credcli file withdraw 2 "
    "--reason ...') and open an initial file ('credcli file open 1558598797 --cycle initial')"
)
AGENDA_REASON = (
    "recredentialing lapsed: due 2026-10-01, late window ended 2026-10-31: cannot be decided; "
    "withdraw the file and open an initial file"
)


def _npi(n: int) -> str:
    first = f"1{n:08d}"
    return first + str(npi_check_digit(first))


@pytest.fixture(autouse=True)
def today(monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-11-23")


@pytest.fixture
def recred(cli, db, monkeypatch) -> str:
    """Ben, active, with recredentialing file #2 (due 2026-10-01) committee-ready and verified."""
    from credcli.services import files, registry

    cli(
        "intake",
        "new",
        "--npi",
        BEN,
        "--first",
        "Ben",
        "--last",
        "Okafor",
        "--received",
        "2023-01-05",
    )
    cli("credential", "add", BEN, "--kind", "license", "--state", "CA", "--number", "B1")
    with registry.session(db, write=True) as session:  # file #1 decided, as an imported history
        first = files.find(session, 1)
        first.stage = "decided"
        first.provider.status = "active"
        first.provider.last_cred_date = dt.date(2023, 10, 1)
        first.provider.next_recred_due = dt.date(2026, 10, 1)
    monkeypatch.setenv("CREDCLI_TODAY", "2026-09-15")  # opened the day it arrived, in time
    cli("file", "open", BEN, "--cycle", "recredential", "--received", "2026-09-15")
    monkeypatch.setenv("CREDCLI_TODAY", "2026-11-23")
    cli("file", "stage", "2", "verification", "--date", "2026-09-16")
    cli("file", "stage", "2", "committee-ready", "--date", "2026-09-17")
    verify(db, BEN, "2026-09-20")
    screened(cli, "2026-10-20")
    return "2"


def test_an_approval_on_the_last_day_of_the_late_window_is_recorded(cli, recred) -> None:
    result = cli("committee", "record", "--date", "2026-10-31", recred, "--decision", "approved")
    assert result.stderr == (
        f"file #2 Okafor, Ben (NPI {BEN}): approved on 2026-10-31; decision notice due "
        "2026-11-30; next recredentialing due 2029-10-31\n"
    )


@pytest.mark.parametrize("decision", ["approved", "denied", "deferred"])
def test_no_decision_is_recorded_the_day_after_the_late_window(cli, recred, decision) -> None:
    result = cli(
        "committee", "record", "--date", "2026-11-01", recred, "--decision", decision, code=2
    )
    assert result.stderr == (
        f"error: file #2 (Okafor, Ben) cannot be {decision} on 2026-11-01: {LAPSED}\n"
    )
    shown = json.loads(cli("file", "show", recred, "-f", "json").stdout)
    assert (shown["stage"], shown["decision"], shown["meeting_on"], shown["notice_due_on"]) == (
        "committee-ready",
        None,
        None,
        None,
    )
    assert cli("committee", "minutes", "--date", "2026-11-01", code=2).stderr == (
        "error: no committee meeting on 2026-11-01 in the registry\n"
    )
    provider = json.loads(cli("provider", "show", BEN, "-f", "json").stdout)
    assert (provider["last_cred_date"], provider["next_recred_due"]) == ("2023-10-01", "2026-10-01")


def test_a_lapsed_file_spoils_the_whole_record(cli, db, recred) -> None:
    other = _npi(7)
    cli(
        "intake",
        "new",
        "--npi",
        other,
        "--first",
        "Pat",
        "--last",
        "Ames",
        "--received",
        "2026-10-01",
    )
    cli("file", "stage", "3", "verification", "--date", "2026-10-02")
    cli("file", "stage", "3", "committee-ready", "--date", "2026-10-03")
    verify(db, other, "2026-10-20")
    result = cli(
        "committee", "record", "--date", "2026-11-20", "3", recred, "--decision", "approved", code=2
    )
    assert result.stderr == (
        f"error: file #2 (Okafor, Ben) cannot be approved on 2026-11-20: {LAPSED}\n"
    )
    assert json.loads(cli("provider", "show", other, "-f", "json").stdout)["status"] == "applicant"
    assert [f["stage"] for f in json.loads(cli("file", "list", "-f", "json").stdout)] == [
        "committee-ready",
        "committee-ready",
        "decided",
    ]


def test_the_agenda_lists_a_lapsed_file_for_review(cli, recred) -> None:
    inside = json.loads(cli("committee", "agenda", "--date", "2026-10-31", "-f", "json").stdout)
    assert [r["file"] for r in inside["clean"]] == [2]
    after = json.loads(cli("committee", "agenda", "--date", "2026-11-01", "-f", "json").stdout)
    assert after["clean"] == []
    (row,) = after["review"]
    assert (row["file"], row["recred_due_on"], row["reasons"]) == (2, "2026-10-01", [AGENDA_REASON])


def test_the_queue_says_to_withdraw_a_lapsed_file(cli, recred) -> None:
    def action(day: str) -> str:
        (row,) = json.loads(cli("queue", "--as-of", day, "-f", "json").stdout)
        return str(row["next_action"])

    assert action("2026-10-31") == "put on agenda"
    assert action("2026-11-01") == (
        "withdraw the file and open an initial file (recredentialing lapsed: due 2026-10-01, "
        "late window ended 2026-10-31)"
    )


def test_withdraw_the_lapsed_file_then_open_an_initial_one(cli, recred) -> None:
    cli("file", "withdraw", recred, "--reason", "recredentialing missed its late window")
    result = cli("file", "open", BEN, "--cycle", "initial")
    assert result.stderr == (
        f"opened initial file #3 for Okafor, Ben (NPI {BEN}) received 2026-11-23\n"
    )
    provider = json.loads(cli("provider", "show", BEN, "-f", "json").stdout)
    assert provider["status"] == "active"
    assert [(f["id"], f["stage"], f["withdrawal_reason"]) for f in provider["files"]] == [
        (1, "decided", None),
        (2, "withdrawn", "recredentialing missed its late window"),
        (3, "intake", None),
    ]


def test_the_record_help_says_what_to_do_with_a_lapsed_file(cli) -> None:
    shown = " ".join(cli("committee", "record", "--help").stdout.replace("│", " ").split())
    assert (
        "A recredentialing file is refused any decision, approval, denial or deferral, on a "
        "meeting more than 30 days after its due date (NCQA: the provider must be credentialed "
        "again as initial): withdraw it with 'credcli file withdraw' and open an initial file."
    ) in shown


def test_a_denied_recredentialing_terminates_the_provider(cli, recred) -> None:
    result = cli("committee", "record", "--date", "2026-10-31", recred, "--decision", "denied")
    assert result.stderr == (
        f"file #2 Okafor, Ben (NPI {BEN}): denied on 2026-10-31; decision notice due "
        "2026-11-30; provider terminated (recredentialing denied)\n"
    )
    provider = json.loads(cli("provider", "show", BEN, "-f", "json").stdout)
    assert (
        provider["status"],
        provider["status_date"],
        provider["terminated_on"],
        provider["termination_reason"],
        provider["last_cred_date"],
    ) == (
        "terminated",
        "2026-10-31",
        "2026-10-31",
        "recredentialing denied (file #2)",
        "2023-10-01",
    )
    # no longer chased for a recredentialing the committee refused
    due = json.loads(cli("expire-check", "--format", "json", code=0).stdout)
    assert [row for row in due if row["npi"] == BEN] == []
