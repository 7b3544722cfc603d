import datetime as dt
import json

import pytest

from pipeline_helpers import verify

BEN = "1558598797"


@pytest.fixture(autouse=True)
def today(monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-11-23")


def _show(cli, file_id: str = "1", *args: str) -> dict:
    return json.loads(cli("file", "show", file_id, "-f", "json", *args).stdout)


def _ben(cli, **fields: str) -> None:
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
    if fields:
        args = [x for k, v in fields.items() for x in (f"--{k}", v)]
        cli("provider", "update", BEN, *args)


def test_each_allowed_stage_move_is_recorded_with_its_date(cli, db, ana) -> None:
    for stage, on in [
        ("verification", "2026-11-04"),
        ("committee-ready", "2026-11-10"),
        ("verification", "2026-11-12"),
        ("committee-ready", "2026-11-15"),
        ("committee", "2026-11-20"),
        ("verification", "2026-11-21"),
    ]:
        result = cli("file", "stage", "1", stage, "--date", on)
        assert result.stderr == f"file #1 is now in stage {stage} since {on}\n"
    record = _show(cli)
    assert [(s["stage"], s["from"], s["to"], s["days"]) for s in record["stages"]] == [
        ("intake", "2026-11-02", "2026-11-04", 2),
        ("verification", "2026-11-04", "2026-11-10", 6),
        ("committee-ready", "2026-11-10", "2026-11-12", 2),
        ("verification", "2026-11-12", "2026-11-15", 3),
        ("committee-ready", "2026-11-15", "2026-11-20", 5),
        ("committee", "2026-11-20", "2026-11-21", 1),
        ("verification", "2026-11-21", None, 2),
    ]
    assert (record["stage"], record["days_in_stage"], record["age_days"]) == ("verification", 2, 21)
    assert [(h["kind"], h["from"], h["to"], h["by"]) for h in record["history"][:2]] == [
        ("opened", None, "intake", "tester"),
        ("stage", "intake", "verification", "tester"),
    ]


@pytest.mark.parametrize(
    ("moves", "target", "message"),
    [
        (
            [],
            "committee-ready",
            "error: file #1: a file in stage intake can move only to "
            "verification, not to committee-ready\n",
        ),
        ([], "intake", "error: file #1: the file is already in stage intake\n"),
        (
            ["verification"],
            "intake",
            "error: file #1: a file in stage verification can move "
            "only to committee-ready, not to intake\n",
        ),
        (
            ["verification", "committee-ready", "committee"],
            "committee-ready",
            "error: file #1: "
            "a file in stage committee can move only to verification, not to committee-ready\n",
        ),
        (
            ["verification", "committee-ready"],
            "decided",
            "error: file #1: a file is decided by "
            "recording the committee's decision ('credcli committee record'), not by a stage move "
            "(stage is committee-ready)\n",
        ),
    ],
)
def test_refused_stage_moves(cli, db, ana, moves, target, message) -> None:
    for stage in moves:
        cli("file", "stage", "1", stage)
    result = cli("file", "stage", "1", target, code=2)
    assert result.stderr == message
    assert _show(cli)["stage"] == (moves[-1] if moves else "intake")


def test_stage_unknown_file_and_unknown_stage(cli, db, ana) -> None:
    assert cli("file", "stage", "9", "verification", code=2).stderr == (
        "error: no credentialing file #9 in the registry\n"
    )
    assert "'review' is not one of" in cli("file", "stage", "1", "review", code=2).stderr


def test_stage_move_cannot_predate_the_current_stage(cli, db, ana) -> None:
    cli("file", "stage", "1", "verification", "--date", "2026-11-10")
    result = cli("file", "stage", "1", "committee-ready", "--date", "2026-11-09", code=2)
    assert result.stderr == (
        "error: date '2026-11-09': is before file #1 entered verification (2026-11-10)\n"
    )


def test_open_refuses_a_second_open_file(cli, db, ana) -> None:
    result = cli("file", "open", ana, "--cycle", "initial", code=2)
    assert result.stderr == (
        "error: Diaz, Ana MD (NPI 1234567893) already has open file #1 (initial, stage "
        "intake); decide or withdraw it before opening another\n"
    )


def _close_first_file(db: str, **provider: object) -> None:
    """Mark file #1 decided and set provider dates directly, as an imported history would."""
    from credcli.services import files, registry

    with registry.session(db, write=True) as session:
        file = files.find(session, 1)
        file.stage = "decided"
        for name, value in provider.items():
            setattr(file.provider, name, value)


def test_open_recredential_takes_the_due_date_from_the_last_approval(cli, db, monkeypatch) -> None:
    _ben(cli)
    cli("file", "stage", "1", "verification", "--date", "2026-11-01")
    cli("file", "stage", "1", "committee-ready", "--date", "2026-11-20")
    verify(db, BEN, "2026-11-20")
    cli("committee", "record", "--date", "2026-11-23", "1", "--decision", "approved")
    monkeypatch.setenv("CREDCLI_TODAY", "2029-09-01")
    result = cli("file", "open", BEN, "--cycle", "recredential", "--received", "2029-09-01")
    assert result.stderr == (
        "opened recredential file #2 for Okafor, Ben (NPI 1558598797) received 2029-09-01; "
        "recredentialing due 2029-11-23\n"
    )
    record = _show(cli, "2")
    assert (record["cycle"], record["stage"], record["recred_due_on"]) == (
        "recredential",
        "intake",
        "2029-11-23",
    )


def test_open_recredential_from_the_last_credentialing_date(cli, db, monkeypatch) -> None:
    _ben(cli)
    _close_first_file(db, last_cred_date=dt.date(2024, 2, 29), next_recred_due=None)
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-01")
    result = cli("file", "open", BEN, "--cycle", "recredential", "--received", "2026-12-01")
    assert result.stderr.endswith("received 2026-12-01; recredentialing due 2027-02-28\n")


NEVER_CREDENTIALED = (
    "error: Okafor, Ben (NPI 1558598797) has never been credentialed (no initial or last "
    "credentialing date), and recredentialing is for a credentialed provider; open an initial "
    "file ('credcli file open 1558598797 --cycle initial')\n"
)


@pytest.mark.parametrize("due", [[], ["--due", "2026-12-20"]])
def test_recredentialing_is_refused_for_a_provider_never_credentialed(cli, db, due) -> None:
    _ben(cli)
    _close_first_file(db)  # decided, but Ben has no initial or last credentialing date
    result = cli("file", "open", BEN, "--cycle", "recredential", *due, code=2)
    assert result.stderr == NEVER_CREDENTIALED
    assert [f["file"] for f in json.loads(cli("file", "list", "-f", "json").stdout)] == [1]
    assert cli("file", "open", BEN, "--cycle", "initial").stderr == (
        "opened initial file #2 for Okafor, Ben (NPI 1558598797) received 2026-11-23\n"
    )


def test_a_provider_denied_at_initial_credentialing_is_not_recredentialed(
    cli, db, monkeypatch
) -> None:
    _ben(cli)
    cli("file", "stage", "1", "verification", "--date", "2026-11-01")
    cli("file", "stage", "1", "committee-ready", "--date", "2026-11-20")
    verify(db, BEN, "2026-11-20")
    cli("committee", "record", "--date", "2026-11-23", "1", "--decision", "denied")
    result = cli("file", "open", BEN, "--cycle", "recredential", "--due", "2026-12-20", code=2)
    assert result.stderr == NEVER_CREDENTIALED


def test_open_recredential_from_the_initial_credentialing_date(cli, db) -> None:
    _ben(cli)
    _close_first_file(db, initial_cred_date=dt.date(2024, 1, 15))
    result = cli("file", "open", BEN, "--cycle", "recredential")
    assert result.stderr.endswith("received 2026-11-23; recredentialing due 2027-01-15\n")


def test_open_recredential_on_the_last_day_of_the_late_window(cli, db, monkeypatch) -> None:
    _ben(cli)
    _close_first_file(
        db, last_cred_date=dt.date(2023, 10, 23), next_recred_due=dt.date(2026, 10, 23)
    )
    monkeypatch.setenv("CREDCLI_TODAY", "2026-11-22")
    result = cli("file", "open", BEN, "--cycle", "recredential", "--received", "2026-11-22")
    assert result.stderr.endswith("recredentialing due 2026-10-23\n")


def test_open_recredential_past_the_late_window_is_refused(cli, db, monkeypatch) -> None:
    _ben(cli)
    _close_first_file(
        db, last_cred_date=dt.date(2023, 10, 23), next_recred_due=dt.date(2026, 10, 23)
    )
    monkeypatch.setenv("CREDCLI_TODAY", "2026-11-24")
    result = cli("file", "open", BEN, "--cycle", "recredential", "--received", "2026-11-24", code=2)
    assert result.stderr == (
        "error: Okafor, Ben (NPI 1558598797)'s recredentialing was due 2026-10-23, more than 30 "
        "days before 2026-11-24; the provider must be credentialed again as initial "
        "(--cycle initial)\n"
    )


def test_a_recredentialing_received_in_its_window_may_be_entered_after_it(
    cli, db, monkeypatch
) -> None:
    # History is entered with back dates: a file received inside the late window is
    # accepted later, and only its decision has to fall inside the window.
    _ben(cli)
    _close_first_file(db, last_cred_date=dt.date(2023, 8, 10), next_recred_due=dt.date(2026, 8, 10))
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")  # the late window ended 2026-09-09
    assert cli("file", "open", BEN, "--cycle", "recredential", code=2).stderr == (
        "error: Okafor, Ben (NPI 1558598797)'s recredentialing was due 2026-08-10, more than 30 "
        "days before 2026-12-02; the provider must be credentialed again as initial "
        "(--cycle initial)\n"
    )
    cli("file", "open", BEN, "--cycle", "recredential", "--received", "2026-09-05")
    assert sorted(f["file"] for f in json.loads(cli("file", "list", "-f", "json").stdout)) == [1, 2]


def _approved(cli, db, on: str) -> None:
    """Ben's initial file #1 (received 2023-01-05) approved at the meeting of ``on``."""
    _ben(cli)
    cli("file", "stage", "1", "verification", "--date", "2026-11-01")
    cli("file", "stage", "1", "committee-ready", "--date", "2026-11-20")
    verify(db, BEN, "2026-11-20")
    cli("committee", "record", "--date", on, "1", "--decision", "approved")


def test_a_recredentialing_cannot_be_received_before_the_last_decision(
    cli, db, monkeypatch
) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    _approved(cli, db, "2026-12-02")
    result = cli("file", "open", BEN, "--cycle", "recredential", "--received", "2026-08-01", code=2)
    assert result.stderr == (
        "error: received '2026-08-01': is before file #1 of Okafor, Ben (NPI 1558598797) was "
        "approved (2026-12-02); one provider's files do not overlap: give a received date on "
        "or after 2026-12-02\n"
    )
    assert [f["file"] for f in json.loads(cli("file", "list", "-f", "json").stdout)] == [1]
    result = cli("file", "open", BEN, "--cycle", "recredential", "--received", "2026-12-02")
    assert result.stderr == (
        "opened recredential file #2 for Okafor, Ben (NPI 1558598797) received 2026-12-02; "
        "recredentialing due 2029-12-02\n"
    )


def test_a_file_cannot_be_received_before_the_last_withdrawal(cli, db, ana) -> None:
    cli("file", "withdraw", "1", "--reason", "stopped answering", "--date", "2026-11-20")
    result = cli("file", "open", ana, "--cycle", "initial", "--received", "2026-11-19", code=2)
    assert result.stderr == (
        "error: received '2026-11-19': is before file #1 of Diaz, Ana MD (NPI 1234567893) was "
        "withdrawn (2026-11-20); one provider's files do not overlap: give a received date on "
        "or after 2026-11-20\n"
    )
    result = cli("file", "open", ana, "--cycle", "initial", "--received", "2026-11-20")
    assert result.stderr.endswith("received 2026-11-20\n")


def test_open_for_unknown_or_terminated_provider(cli, db, ana) -> None:
    assert cli("file", "open", BEN, "--cycle", "initial", code=2).stderr == (
        "error: no provider with NPI 1558598797 in the registry\n"
    )
    cli("provider", "terminate", ana, "--date", "2026-11-20")
    assert cli("file", "open", ana, "--cycle", "initial", code=2).stderr == (
        "error: Diaz, Ana MD (NPI 1234567893) was terminated on 2026-11-20: a provider who "
        "left comes back through credentialing: 'credcli provider update 1234567893 "
        "--status applicant', then 'credcli file open 1234567893 --cycle initial'\n"
    )


def test_assign_records_who_and_is_idempotent(cli, db, ana) -> None:
    assert cli("file", "assign", "1", "R. Patel", "--date", "2026-11-05").stderr == (
        "file #1 assigned to R. Patel\n"
    )
    assert cli("file", "assign", "1", "R. Patel").stderr == (
        "file #1 is already assigned to R. Patel; nothing changed\n"
    )
    cli("file", "assign", "1", "J. Moss", "--date", "2026-11-06")
    record = _show(cli)
    assert record["assignee"] == "J. Moss"
    assert [(h["from"], h["to"]) for h in record["history"] if h["kind"] == "assign"] == [
        (None, "R. Patel"),
        ("R. Patel", "J. Moss"),
    ]
    assert record["last_activity_on"] == "2026-11-06"


def test_request_follow_up_and_receive_an_item(cli, db, ana) -> None:
    result = cli(
        "file",
        "request",
        "1",
        "CV with gaps explained",
        "--due",
        "2026-11-10",
        "--date",
        "2026-11-03",
    )
    assert result.stderr == "requested item #1 on file #1: CV with gaps explained, due 2026-11-10\n"
    result = cli("file", "follow-up", "1", "--date", "2026-11-11", "--note", "called")
    assert result.stderr == (
        "item #1 (CV with gaps explained) followed up on 2026-11-11, 1 time so far; "
        "due 2026-11-10\n"
    )
    result = cli("file", "follow-up", "1", "--date", "2026-11-14", "--due", "2026-11-21")
    assert result.stderr == (
        "item #1 (CV with gaps explained) followed up on 2026-11-14, 2 times so far; "
        "due 2026-11-21\n"
    )
    result = cli("file", "receive", "1", "--date", "2026-11-18")
    assert result.stderr == "received item #1 (CV with gaps explained) on 2026-11-18 for file #1\n"
    record = _show(cli)
    assert record["items"] == [
        {
            "id": 1,
            "description": "CV with gaps explained",
            "requested_on": "2026-11-03",
            "due_on": "2026-11-21",
            "received_on": "2026-11-18",
            "status": "received",
            "follow_ups": 2,
            "last_follow_up_on": "2026-11-14",
        }
    ]
    assert [h["kind"] for h in record["history"]] == [
        "opened",
        "request",
        "follow-up",
        "follow-up",
        "receive",
    ]
    assert record["last_activity_on"] == "2026-11-18"


def test_receiving_an_item_twice_is_refused(cli, db, ana) -> None:
    cli("file", "request", "1", "DEA copy", "--date", "2026-11-03")
    cli("file", "receive", "1", "--date", "2026-11-05")
    result = cli("file", "receive", "1", code=2)
    assert result.stderr == (
        "error: item #1 (DEA copy) was already received on 2026-11-05; it cannot be received "
        "twice\n"
    )
    result = cli("file", "follow-up", "1", code=2)
    assert result.stderr == (
        "error: item #1 (DEA copy) was already received on 2026-11-05; there is nothing to "
        "follow up\n"
    )
    assert _show(cli)["items"][0]["follow_ups"] == 0


def test_unknown_file_and_item_ids(cli, db, ana) -> None:
    missing_file = "error: no credentialing file #42 in the registry\n"
    assert cli("file", "show", "42", code=2).stderr == missing_file
    assert cli("file", "request", "42", "CV", code=2).stderr == missing_file
    assert cli("file", "assign", "42", "R. Patel", code=2).stderr == missing_file
    assert cli("file", "notice", "42", code=2).stderr == missing_file
    missing_item = "error: no outstanding item #7 in the registry\n"
    assert cli("file", "receive", "7", code=2).stderr == missing_item
    assert cli("file", "follow-up", "7", code=2).stderr == missing_item
    assert "Invalid value for 'FILE_ID'" in cli("file", "show", "abc", code=2).stderr


def test_bad_dates_are_refused(cli, db, ana) -> None:
    result = cli("file", "request", "1", "CV", "--due", "2026-02-30", code=2)
    assert result.stderr == "error: due '2026-02-30': is not a real calendar date\n"
    result = cli("file", "request", "1", "CV", "--date", "2026-11-01", code=2)
    assert (
        result.stderr == "error: date '2026-11-01': is before file #1 was received (2026-11-02)\n"
    )
    result = cli(
        "file", "request", "1", "CV", "--date", "2026-11-05", "--due", "2026-11-04", code=2
    )
    assert result.stderr == "error: due '2026-11-04': is before the request date 2026-11-05\n"
    assert _show(cli)["items"] == []


def test_notice_needs_a_decision_and_is_recorded_once(cli, db, ana, monkeypatch) -> None:
    result = cli("file", "notice", "1", code=2)
    assert result.stderr == (
        "error: file #1 has no decision yet; a decision notice follows the committee's "
        "decision ('credcli committee record')\n"
    )
    cli("file", "stage", "1", "verification", "--date", "2026-11-05")
    cli("file", "stage", "1", "committee-ready", "--date", "2026-11-20")
    verify(db, ana, "2026-11-20")
    monkeypatch.setenv("CREDCLI_TODAY", "2027-01-12")
    cli("committee", "record", "--date", "2026-12-10", "1", "--decision", "approved")
    assert cli("file", "notice", "1", "--sent", "2026-12-09", code=2).stderr == (
        "error: sent '2026-12-09': is before the decision of file #1 (2026-12-10)\n"
    )
    assert cli("file", "notice", "1", "--sent", "2027-01-12").stderr == (
        "file #1: decision notice sent 2027-01-12 (after its due date 2027-01-09)\n"
    )
    assert cli("file", "notice", "1", code=2).stderr == (
        "error: file #1: the decision notice was already recorded as sent on 2027-01-12\n"
    )
    record = _show(cli)
    assert (record["notice_due_on"], record["notice_sent_on"]) == ("2027-01-09", "2027-01-12")


def test_note_counts_as_activity(cli, db, ana) -> None:
    assert cli("file", "note", "1", "left a voicemail", "--date", "2026-11-09").stderr == (
        "noted on file #1\n"
    )
    record = _show(cli)
    assert record["last_activity_on"] == "2026-11-09"
    assert record["idle_days"] == 14
    assert record["history"][-1]["note"] == "left a voicemail"


def test_file_list_and_notice_pending(cli, db, ana) -> None:
    rows = json.loads(cli("file", "list", "-f", "json").stdout)
    assert [(r["file"], r["npi"], r["stage"], r["decision"]) for r in rows] == [
        (1, ana, "intake", None)
    ]
    assert cli("file", "list", "--notice-pending").stderr == "no files match\n"
    assert "Diaz, Ana MD" in cli("file", "list").stdout


def test_show_table(cli, db, ana) -> None:
    cli("file", "request", "1", "CV", "--date", "2026-11-03")
    out = cli("file", "show", "1").stdout
    assert out.startswith("File #1: Diaz, Ana MD (NPI 1234567893), initial\n")
    assert "chase 1 item" in out and "stages" in out and "history" in out


def test_waive_closes_an_item_with_a_reason(cli, db, ana) -> None:
    cli("file", "request", "1", "DEA copy", "--date", "2026-11-03")
    assert "Missing option '--note'" in cli("file", "waive", "1", code=2).stderr
    assert cli("file", "waive", "1", "--note", " ", code=2).stderr == (
        "error: note ' ': say why the item is waived (--note)\n"
    )
    result = cli(
        "file", "waive", "1", "--note", "no DEA: does not prescribe", "--date", "2026-11-04"
    )
    assert result.stderr == "waived item #1 (DEA copy) on file #1\n"
    assert cli("file", "receive", "1", code=2).stderr == (
        "error: item #1 (DEA copy) is waived, not open; there is nothing to receive\n"
    )
    record = _show(cli)
    assert record["items"][0]["status"] == "waived"
    assert record["history"][-1]["kind"] == "waive"
    assert record["next_action"] == "start verification"


def test_days_in_stage_for_a_file_brought_in_without_history(cli, db, ana) -> None:
    from credcli.db.models import FileEvent
    from credcli.services import registry

    with registry.session(db, write=True) as session:
        file = session.get(FileEvent, 1).file
        session.delete(session.get(FileEvent, 1))
        file.stage, file.stage_since = "verification", dt.date(2026, 11, 13)
    stages = _show(cli)["stages"]
    assert stages == [{"stage": "verification", "from": "2026-11-13", "to": None, "days": 10}]


FUTURE = "2026-11-24"  # the day after the pinned today (2026-11-23)


def test_file_events_cannot_be_dated_after_today(cli, db, ana) -> None:
    cli("file", "request", "1", "CV", "--date", "2026-11-03", "--due", "2026-12-31")
    change = (
        "is in the future (today is 2026-11-23); a change to a file is recorded once it has "
        "happened"
    )
    for args in [
        ("stage", "1", "verification"),
        ("assign", "1", "R. Patel"),
        ("note", "1", "called the office"),
        ("request", "1", "DEA copy"),
        ("receive", "1"),
        ("follow-up", "1"),
        ("waive", "1", "--note", "not needed"),
    ]:
        result = cli("file", *args, "--date", FUTURE, code=2)
        assert result.stderr == f"error: date '{FUTURE}': {change}\n", args
    record = _show(cli)
    assert (record["stage"], record["assignee"], record["last_activity_on"]) == (
        "intake",
        None,
        "2026-11-03",
    )
    assert [(i["status"], i["follow_ups"]) for i in record["items"]] == [("open", 0)]
    assert [h["kind"] for h in record["history"]] == ["opened", "request"]


def test_today_and_due_dates_ahead_are_accepted(cli, db, ana) -> None:
    cli("file", "stage", "1", "verification", "--date", "2026-11-23")
    result = cli("file", "request", "1", "DEA copy", "--due", "2027-01-15")
    assert result.stderr == "requested item #1 on file #1: DEA copy, due 2027-01-15\n"
    result = cli("file", "follow-up", "1", "--due", "2027-02-01")
    assert result.stderr == (
        "item #1 (DEA copy) followed up on 2026-11-23, 1 time so far; due 2027-02-01\n"
    )


def test_a_file_cannot_be_opened_on_an_application_not_yet_received(cli, db) -> None:
    _ben(cli)
    _close_first_file(db)
    result = cli("file", "open", BEN, "--cycle", "initial", "--received", FUTURE, code=2)
    assert result.stderr == (
        f"error: received '{FUTURE}': is in the future (today is 2026-11-23); give the day the "
        "application arrived\n"
    )
    assert [f["file"] for f in json.loads(cli("file", "list", "-f", "json").stdout)] == [1]


def test_a_follow_up_cannot_predate_the_last_one(cli, db, ana) -> None:
    cli("file", "request", "1", "CV", "--date", "2026-11-03")
    cli("file", "follow-up", "1", "--date", "2026-11-10")
    result = cli("file", "follow-up", "1", "--date", "2026-11-09", code=2)
    assert result.stderr == "error: date '2026-11-09': is before the last follow-up (2026-11-10)\n"
    (item,) = _show(cli)["items"]
    assert (item["follow_ups"], item["last_follow_up_on"]) == (1, "2026-11-10")
    cli("file", "follow-up", "1", "--date", "2026-11-10")
    assert _show(cli)["items"][0]["follow_ups"] == 2


def test_ids_too_large_for_the_registry_are_simply_unknown(cli, db, ana) -> None:
    huge = "99999999999999999999"
    assert cli("file", "show", huge, code=2).stderr == (
        f"error: no credentialing file #{huge} in the registry\n"
    )
    assert cli("file", "receive", huge, code=2).stderr == (
        f"error: no outstanding item #{huge} in the registry\n"
    )
    result = cli(
        "committee", "record", "--date", "2026-11-20", huge, "--decision", "deferred", code=2
    )
    assert result.stderr == f"error: no credentialing file #{huge} in the registry\n"
    assert cli("file", "show", "2147483648", code=2).stderr == (
        "error: no credentialing file #2147483648 in the registry\n"
    )


def test_assign_reports_the_name_as_stored(cli, db, ana) -> None:
    assert cli("file", "assign", "1", "  R.   Patel ").stderr == "file #1 assigned to R. Patel\n"
    assert cli("file", "assign", "1", "R. Patel").stderr == (
        "file #1 is already assigned to R. Patel; nothing changed\n"
    )


def test_a_deferral_owes_a_notice_and_the_final_decision_another(cli, db, ana, monkeypatch) -> None:
    cli("file", "stage", "1", "verification", "--date", "2026-11-05")
    cli("file", "stage", "1", "committee-ready", "--date", "2026-11-20")
    verify(db, ana, "2026-11-20")
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-20")
    cli("committee", "record", "--date", "2026-12-01", "1", "--decision", "deferred")
    pending = json.loads(cli("file", "list", "--notice-pending", "-f", "json").stdout)
    assert [(r["file"], r["decision"], r["notice_due_on"]) for r in pending] == [
        (1, "deferred", "2026-12-31")
    ]
    assert cli("file", "notice", "1", "--sent", "2026-11-30", code=2).stderr == (
        "error: sent '2026-11-30': is before the decision of file #1 (2026-12-01)\n"
    )
    assert cli("file", "notice", "1", "--sent", "2026-12-03").stderr == (
        "file #1: decision notice sent 2026-12-03\n"
    )
    assert cli("file", "list", "--notice-pending").stderr == "no files match\n"
    cli("committee", "record", "--date", "2026-12-15", "1", "--decision", "approved")
    record = _show(cli)
    assert (record["notice_due_on"], record["notice_sent_on"]) == ("2027-01-14", None)
    pending = json.loads(cli("file", "list", "--notice-pending", "-f", "json").stdout)
    assert [(r["file"], r["decision"]) for r in pending] == [(1, "approved")]
    assert cli("file", "notice", "1", "--sent", "2026-12-14", code=2).stderr == (
        "error: sent '2026-12-14': is before the decision of file #1 (2026-12-15)\n"
    )
    assert cli("file", "notice", "1", "--sent", "2026-12-21", code=2).stderr == (
        "error: sent '2026-12-21': is in the future (today is 2026-12-20); a notice is recorded "
        "once it has been sent\n"
    )
    assert cli("file", "notice", "1").stderr == "file #1: decision notice sent 2026-12-20\n"
    notices = [h["on"] for h in _show(cli)["history"] if h["kind"] == "notice"]
    assert notices == ["2026-12-03", "2026-12-20"]


def test_notice_pending_lists_the_notice_due_first_first(cli, db, ana, monkeypatch) -> None:
    ben = "1558598797"
    cli(
        "intake",
        "new",
        "--npi",
        ben,
        "--first",
        "Ben",
        "--last",
        "Okafor",
        "--received",
        "2026-10-01",
    )
    for file_id, npi in (("1", ana), ("2", ben)):
        cli("file", "stage", file_id, "verification", "--date", "2026-11-05")
        cli("file", "stage", file_id, "committee-ready", "--date", "2026-11-20")
        verify(db, npi, "2026-11-20")
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-20")
    cli("committee", "record", "--date", "2026-12-10", "1", "--decision", "denied")
    cli("committee", "record", "--date", "2026-12-01", "2", "--decision", "approved")
    pending = json.loads(cli("file", "list", "--notice-pending", "-f", "json").stdout)
    assert [(r["file"], r["notice_due_on"]) for r in pending] == [
        (2, "2026-12-31"),
        (1, "2027-01-09"),
    ]
    newest_first = json.loads(cli("file", "list", "-f", "json").stdout)
    assert [r["file"] for r in newest_first] == [1, 2]  # received 2026-11-02, 2026-10-01
