import json

import pytest

from credcli.db.models import PayerEnrollment
from credcli.services import registry


@pytest.fixture(autouse=True)
def today(monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-15")


def _list(cli, *args: str) -> list[dict]:
    return json.loads(cli("payer", "list", "-f", "json", *args).stdout)


def test_enrollment_lifecycle_to_effective(cli, db, ana, monkeypatch) -> None:
    result = cli("payer", "enroll", ana, "Blue Shield", "--submitted", "2026-12-01")
    assert result.stderr == (
        "enrollment #1: NPI 1234567893 with Blue Shield submitted 2026-12-01; follow up by "
        "2026-12-31\nwarning: NPI 1234567893 has not been credentialed yet: the payer will "
        "expect the committee's approval before the enrollment takes effect\n"
    )
    result = cli("payer", "update", "1", "--status", "in-review", "--date", "2026-12-10")
    assert result.stderr.splitlines() == [
        "enrollment #1: status submitted -> in-review",
        "enrollment #1: status_on 2026-12-01 -> 2026-12-10",
        "enrollment #1: next_follow_up_on 2026-12-31 -> 2027-01-09",
    ]
    monkeypatch.setenv("CREDCLI_TODAY", "2027-01-06")
    cli(
        "payer",
        "update",
        ana,
        "blue shield",
        "--status",
        "approved",
        "--payer-id",
        "BS-991",
        "--date",
        "2027-01-05",
        "--note",
        "approval letter received",
    )
    result = cli(
        "payer",
        "update",
        "1",
        "--status",
        "effective",
        "--effective",
        "2027-02-01",
        "--date",
        "2027-01-06",
    )
    assert result.stderr.splitlines() == [
        "enrollment #1: status approved -> effective",
        "enrollment #1: status_on 2027-01-05 -> 2027-01-06",
        "enrollment #1: effective_on (blank) -> 2027-02-01",
        "enrollment #1: next_follow_up_on 2027-02-04 -> (blank)",
        "enrollment #1: recred_due_on (blank) -> 2030-02-01",
    ]
    (row,) = _list(cli, "--as-of", "2027-01-10")
    assert row == {
        "id": 1,
        "npi": ana,
        "provider": "Diaz, Ana MD",
        "payer": "Blue Shield",
        "payer_provider_id": "BS-991",
        "status": "effective",
        "status_on": "2027-01-06",
        "submitted_on": "2026-12-01",
        "days_pending": None,
        "next_follow_up_on": None,
        "stalled": False,
        "effective_on": "2027-02-01",
        "recred_due_on": "2030-02-01",
    }
    enrollments = json.loads(cli("provider", "show", ana, "-f", "json").stdout)["enrollments"]
    assert enrollments[0]["recred_due_on"] == "2030-02-01"


def test_recred_due_can_be_given_and_follows_a_corrected_effective_date(cli, db, ana) -> None:
    cli("payer", "enroll", ana, "Aetna", "--submitted", "2026-12-01")
    cli("payer", "update", "1", "--status", "effective", "--effective", "2024-02-29")
    assert _list(cli)[0]["recred_due_on"] == "2027-02-28"
    cli("payer", "update", "1", "--effective", "2024-03-01")
    assert _list(cli)[0]["recred_due_on"] == "2027-03-01"
    cli("payer", "update", "1", "--recred-due", "2026-12-31")
    assert _list(cli)[0]["recred_due_on"] == "2026-12-31"


def test_invalid_status_moves_are_refused(cli, db, ana) -> None:
    cli("payer", "enroll", ana, "Aetna", "--submitted", "2026-12-01")
    result = cli("payer", "update", "1", "--status", "effective", code=2)
    assert result.stderr == "error: effective: an effective enrollment needs --effective DATE\n"
    cli("payer", "update", "1", "--status", "effective", "--effective", "2027-01-01")
    result = cli("payer", "update", "1", "--status", "in-review", code=2)
    assert result.stderr == (
        "error: enrollment #1 (Aetna): an enrollment that is effective is final; it cannot "
        "become in-review\n"
    )
    assert _list(cli)[0]["status"] == "effective"


def test_denied_enrollment_can_be_resubmitted(cli, db, ana) -> None:
    cli("payer", "enroll", ana, "Aetna", "--submitted", "2026-10-01")
    cli("payer", "update", "1", "--status", "denied", "--date", "2026-11-01")
    assert _list(cli)[0]["days_pending"] is None
    cli("payer", "update", "1", "--status", "submitted", "--date", "2026-12-01")
    row = _list(cli)[0]
    assert (row["submitted_on"], row["days_pending"], row["next_follow_up_on"]) == (
        "2026-12-01",
        14,
        "2026-12-31",
    )


def test_duplicate_and_unknown_enrollments(cli, db, ana) -> None:
    cli("payer", "enroll", ana, "Aetna", "--submitted", "2026-12-01")
    assert cli("payer", "enroll", ana, " aetna ", code=2).stderr == (
        "error: Diaz, Ana MD (NPI 1234567893) already has enrollment #1 with Aetna (submitted "
        "since 2026-12-01); use 'credcli payer update 1'\n"
    )
    assert cli("payer", "update", "9", "--status", "denied", code=2).stderr == (
        "error: no payer enrollment #9 in the registry\n"
    )
    assert cli("payer", "update", ana, "Cigna", "--status", "denied", code=2).stderr == (
        "error: NPI 1234567893 has no enrollment with Cigna in the registry\n"
    )
    assert cli("payer", "update", "1", code=2).stderr.count("give at least one change") == 1
    assert cli("payer", "update", ana, "--status", "denied", code=2).stderr == (
        "error: after an NPI, give the payer's name (or give the enrollment id)\n"
    )
    assert cli("payer", "enroll", ana, "Cigna", "--submitted", "2026-13-01", code=2).stderr == (
        "error: submitted '2026-13-01': is not a real calendar date\n"
    )
    result = cli("payer", "update", "1", "--status", "in-review", "--date", "2026-11-30", code=2)
    assert (
        result.stderr == "error: date '2026-11-30': is before the last status change (2026-12-01)\n"
    )


def test_stalled_list_with_days_pending(cli, db, ana) -> None:
    cli("intake", "new", "--npi", "1558598797", "--first", "Ben", "--last", "Okafor")
    cli("payer", "enroll", ana, "Aetna", "--submitted", "2026-11-01")  # follow up 2026-12-01
    cli("payer", "enroll", ana, "Cigna", "--submitted", "2026-11-20", "--follow-up", "2026-12-15")
    cli("payer", "enroll", "1558598797", "Aetna", "--submitted", "2026-11-16")  # 2026-12-16
    cli("payer", "enroll", "1558598797", "Humana", "--submitted", "2026-10-01")
    cli("payer", "update", "4", "--status", "effective", "--effective", "2026-11-01")
    rows = _list(cli)
    assert [(r["id"], r["days_pending"], r["next_follow_up_on"], r["stalled"]) for r in rows] == [
        (1, 44, "2026-12-01", True),
        (2, 25, "2026-12-15", True),  # follow-up day has come
        (3, 29, "2026-12-16", False),
        (4, None, None, False),
    ]
    assert [r["id"] for r in _list(cli, "--stalled")] == [1, 2]
    assert [r["id"] for r in _list(cli, "--stalled", "--payer", "AETNA")] == [1]
    assert [r["id"] for r in _list(cli, "--provider", "1558598797")] == [3, 4]
    cli("payer", "update", "1", "--follow-up", "2027-01-05", "--note", "called provider services")
    assert [r["id"] for r in _list(cli, "--stalled")] == [2]
    table = cli("payer", "list", "--stalled").stdout
    assert "Cigna" in table and "Days pending" in table


def test_enrollment_without_follow_up_stalls_after_30_days_unchanged(cli, db, ana) -> None:
    cli("payer", "enroll", ana, "Aetna", "--submitted", "2026-11-01")
    with registry.session(db, write=True) as session:
        session.get(PayerEnrollment, 1).next_follow_up_on = None
    assert _list(cli, "--as-of", "2026-11-30")[0]["stalled"] is False
    assert _list(cli, "--as-of", "2026-12-01")[0]["stalled"] is True


def test_follow_up_cannot_be_in_the_past(cli, db, ana) -> None:
    result = cli(
        "payer",
        "enroll",
        ana,
        "Aetna",
        "--submitted",
        "2026-12-01",
        "--follow-up",
        "2026-11-30",
        code=2,
    )
    assert result.stderr == "error: follow-up '2026-11-30': is before 2026-12-01\n"
    assert cli("payer", "list").stderr == "no enrollments match\n"


def test_submissions_and_status_changes_cannot_be_dated_after_today(cli, db, ana) -> None:
    result = cli("payer", "enroll", ana, "Aetna", "--submitted", "2026-12-16", code=2)
    assert result.stderr == (
        "error: submitted '2026-12-16': is in the future (today is 2026-12-15); an enrollment "
        "is recorded once it is submitted\n"
    )
    assert cli("payer", "list").stderr == "no enrollments match\n"
    cli("payer", "enroll", ana, "Aetna", "--submitted", "2026-12-01")
    result = cli("payer", "update", "1", "--status", "in-review", "--date", "2026-12-16", code=2)
    assert result.stderr == (
        "error: date '2026-12-16': is in the future (today is 2026-12-15); a change is recorded "
        "once it has happened\n"
    )
    assert _list(cli)[0]["status"] == "submitted"
    result = cli("payer", "update", "1", "--status", "effective", "--effective", "2027-01-01")
    assert "enrollment #1: effective_on (blank) -> 2027-01-01" in result.stderr.splitlines()


def test_only_a_pending_enrollment_is_followed_up(cli, db, ana) -> None:
    cli("payer", "enroll", ana, "Aetna", "--submitted", "2026-12-01")
    cli("payer", "update", "1", "--status", "effective", "--effective", "2027-01-01")
    result = cli("payer", "update", "1", "--follow-up", "2027-01-10", code=2)
    assert result.stderr == (
        "error: enrollment #1 (Aetna) is effective; only a pending enrollment (submitted, "
        "in-review, approved) is followed up\n"
    )
    assert _list(cli)[0]["next_follow_up_on"] is None


def test_payer_recredentialing_cannot_fall_due_before_the_effective_date(cli, db, ana) -> None:
    cli("payer", "enroll", ana, "Aetna", "--submitted", "2026-12-01")
    cli("payer", "update", "1", "--status", "effective", "--effective", "2027-01-01")
    result = cli("payer", "update", "1", "--recred-due", "2026-06-30", code=2)
    assert result.stderr == (
        "error: recred-due '2026-06-30': is not after the effective date (2027-01-01)\n"
    )
    assert _list(cli)[0]["recred_due_on"] == "2030-01-01"


def test_an_enrollment_id_too_large_is_unknown(cli, db, ana) -> None:
    result = cli("payer", "update", "99999999999999999999", "--note", "x", code=2)
    assert result.stderr == "error: no payer enrollment #99999999999999999999 in the registry\n"


def test_a_day_before_the_submission_lists_nothing_pending(cli, db, ana) -> None:
    cli("payer", "enroll", ana, "Aetna", "--submitted", "2026-11-26")
    assert _list(cli, "--as-of", "2026-11-25") == []
    (row,) = _list(cli, "--as-of", "2026-11-26")
    assert (row["payer"], row["days_pending"]) == ("Aetna", 0)


def test_a_terminated_or_excluded_provider_is_not_enrolled(cli, db, ana, tmp_path) -> None:
    from listfiles import leie_row, write_leie

    write_leie(tmp_path / "UPDATED.csv", [leie_row("DIAZ", "ANA", NPI=ana)])
    cli("verify", "load", "leie", str(tmp_path / "UPDATED.csv"))
    cli("verify", "screen", code=1)
    cli("verify", "confirm", "1", "--reason", "OIG letter")
    assert cli("payer", "enroll", ana, "Aetna", code=2).stderr == (
        "error: Diaz, Ana MD (NPI 1234567893) is excluded (confirmed hit #1 on LEIE): an excluded "
        "provider is not enrolled with a payer\n"
    )
    cli("provider", "terminate", ana, "--date", "2026-12-14")
    assert cli("payer", "enroll", ana, "Aetna", code=2).stderr == (
        "error: Diaz, Ana MD (NPI 1234567893) was terminated on 2026-12-14: a payer enrollment is "
        "for a provider who practises here\n"
    )
    assert _list(cli) == []


def test_an_enrollment_of_a_provider_who_left_does_not_move_forward(cli, db, ana) -> None:
    cli("payer", "enroll", ana, "Aetna", "--submitted", "2026-12-01")
    cli("provider", "terminate", ana, "--date", "2026-12-10")
    assert cli("payer", "update", "1", "--status", "in-review", code=2).stderr == (
        "error: Diaz, Ana MD (NPI 1234567893) was terminated on 2026-12-10: a payer "
        "enrollment is for a provider who practises here\n"
    )
    cli("payer", "update", "1", "--status", "denied")  # closing it is always allowed
    assert _list(cli)[0]["status"] == "denied"
