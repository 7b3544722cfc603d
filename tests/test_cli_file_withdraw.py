"""``file withdraw``: a file closed without a committee decision, and how every listing,
agenda and report treats it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from credcli.db.engine import resolve
from credcli.db.models import AuditEntry
from pipeline_helpers import verify

BEN = "1558598797"
REASON = "applicant took a position elsewhere"


@pytest.fixture(autouse=True)
def today(monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-11-23")


def _json(cli, *args: str, code: int = 0):
    return json.loads(cli(*args, "-f", "json", code=code).stdout)


def _to_committee_ready(cli, file_id: str = "1") -> None:
    cli("file", "stage", file_id, "verification", "--date", "2026-11-04")
    cli("file", "stage", file_id, "committee-ready", "--date", "2026-11-10")


def _ben(cli) -> None:
    cli("intake", "new", "--npi", BEN, "--first", "Ben", "--last", "Okafor", "--degree", "MD")
    cli("credential", "add", BEN, "--kind", "license", "--state", "CA", "--number", "B1")


def test_withdraw_closes_the_file_with_its_reason_and_date(cli, db, ana) -> None:
    cli(
        "file",
        "request",
        "1",
        "CV with gaps explained",
        "--due",
        "2026-11-10",
        "--date",
        "2026-11-03",
    )
    cli("file", "stage", "1", "verification", "--date", "2026-11-04")
    result = cli("file", "withdraw", "1", "--reason", f"  {REASON} ", "--date", "2026-11-20")
    assert result.stderr == (
        "file #1 Diaz, Ana MD (NPI 1234567893) withdrawn on 2026-11-20 from stage "
        "verification; 1 outstanding item closed\n"
    )
    shown = _json(cli, "file", "show", "1")
    assert (shown["stage"], shown["withdrawn_on"], shown["withdrawal_reason"]) == (
        "withdrawn",
        "2026-11-20",
        REASON,
    )
    assert (shown["decision"], shown["decision_on"], shown["notice_due_on"]) == (None, None, None)
    assert "next_action" not in shown and "flags" not in shown
    assert [(i["status"], i["received_on"]) for i in shown["items"]] == [("waived", None)]
    assert [(s["stage"], s["from"], s["to"], s["days"]) for s in shown["stages"]] == [
        ("intake", "2026-11-02", "2026-11-04", 2),
        ("verification", "2026-11-04", "2026-11-20", 16),
        ("withdrawn", "2026-11-20", None, 0),
    ]
    assert [(h["on"], h["kind"], h["from"], h["to"], h["note"]) for h in shown["history"][-3:]] == [
        ("2026-11-20", "withdraw", "verification", None, REASON),
        ("2026-11-20", "stage", "verification", "withdrawn", None),
        ("2026-11-20", "waive", None, "CV with gaps explained", "file withdrawn"),
    ]
    provider = _json(cli, "provider", "show", "1234567893")
    assert provider["status"] == "applicant"
    (file,) = provider["files"]
    assert (file["stage"], file["withdrawn_on"], file["withdrawal_reason"]) == (
        "withdrawn",
        "2026-11-20",
        REASON,
    )


def test_withdraw_defaults_to_today_and_says_nothing_about_items_when_none_were_open(
    cli, db, ana
) -> None:
    result = cli("file", "withdraw", "1", "--reason", "no answer to three requests")
    assert result.stderr == (
        "file #1 Diaz, Ana MD (NPI 1234567893) withdrawn on 2026-11-23 from stage intake\n"
    )


def test_a_withdrawn_file_is_no_longer_open(cli, db, ana) -> None:
    assert len(_json(cli, "queue")) == 1
    cli("file", "withdraw", "1", "--reason", REASON, "--date", "2026-11-20")
    assert _json(cli, "queue") == []
    assert cli("file", "open", ana, "--cycle", "initial").stderr == (
        "opened initial file #2 for Diaz, Ana MD (NPI 1234567893) received 2026-11-23\n"
    )
    assert [(f["file"], f["stage"]) for f in _json(cli, "queue")] == [(2, "intake")]


def test_file_list_shows_the_withdrawal_and_filters_by_stage(cli, db, ana) -> None:
    _ben(cli)
    cli("file", "withdraw", "1", "--reason", REASON, "--date", "2026-11-20")
    rows = _json(cli, "file", "list")
    assert [(r["file"], r["stage"], r["withdrawn_on"], r["withdrawal_reason"]) for r in rows] == [
        (2, "intake", None, None),
        (1, "withdrawn", "2026-11-20", REASON),
    ]
    assert [r["file"] for r in _json(cli, "file", "list", "--stage", "withdrawn")] == [1]
    csv = cli("file", "list", "--stage", "withdrawn", "-f", "csv").stdout.splitlines()
    assert csv[0].endswith(",notice_due_on,notice_sent_on,withdrawn_on,withdrawal_reason")
    assert csv[1].endswith(",2026-11-20,applicant took a position elsewhere")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--reason", "  "],
            "error: reason '  ': say why the file is closed\n",
        ),
        (
            ["--reason", REASON, "--date", "2026-11-24"],
            "error: date '2026-11-24': is in the future (today is 2026-11-23); a change to a "
            "file is recorded once it has happened\n",
        ),
        (
            ["--reason", REASON, "--date", "2026-11-01"],
            "error: date '2026-11-01': is before file #1 was received (2026-11-02)\n",
        ),
        (
            ["--reason", REASON, "--date", "2026-11-03"],
            "error: date '2026-11-03': is before the last change recorded on file #1 "
            "(2026-11-04)\n",
        ),
        (
            ["--reason", REASON, "--date", "2026-11-31"],
            "error: date '2026-11-31': is not a real calendar date\n",
        ),
    ],
)
def test_bad_reasons_and_dates_are_refused_and_change_nothing(cli, db, ana, args, message) -> None:
    cli("file", "stage", "1", "verification", "--date", "2026-11-04")
    assert cli("file", "withdraw", "1", *args, code=2).stderr == message
    shown = _json(cli, "file", "show", "1")
    assert (shown["stage"], shown["withdrawn_on"], len(shown["history"])) == (
        "verification",
        None,
        2,
    )


def test_a_decided_or_withdrawn_file_cannot_be_withdrawn(cli, db, ana, monkeypatch) -> None:
    _to_committee_ready(cli)
    verify(db, ana, "2026-11-12")
    cli("committee", "record", "--date", "2026-11-20", "1", "--decision", "denied")
    assert cli("file", "withdraw", "1", "--reason", REASON, code=2).stderr == (
        "error: file #1 was decided (denied on 2026-11-20); a decided file cannot be withdrawn\n"
    )
    cli("file", "open", ana, "--cycle", "initial", "--received", "2026-11-21")
    cli("file", "withdraw", "2", "--reason", REASON, "--date", "2026-11-22")
    assert cli("file", "withdraw", "2", "--reason", "again", code=2).stderr == (
        f"error: file #2 was already withdrawn on 2026-11-22 ({REASON})\n"
    )
    assert cli("file", "withdraw", "3", "--reason", REASON, code=2).stderr == (
        "error: no credentialing file #3 in the registry\n"
    )


def test_a_withdrawn_file_takes_no_further_stage_request_or_decision(cli, db, ana) -> None:
    _to_committee_ready(cli)
    assert cli("file", "stage", "1", "withdrawn", code=2).stderr == (
        "error: file #1: a file is withdrawn with 'credcli file withdraw' and a reason, not by a "
        "stage move (stage is committee-ready)\n"
    )
    cli("file", "withdraw", "1", "--reason", REASON, "--date", "2026-11-20")
    assert cli("file", "stage", "1", "verification", code=2).stderr == (
        "error: file #1: the file was withdrawn; a withdrawn file does not change stage "
        "(open a new file)\n"
    )
    assert cli("file", "request", "1", "CV", code=2).stderr == (
        "error: file #1 was withdrawn; nothing more can be requested for it\n"
    )
    verify(db, ana, "2026-11-12")
    result = cli(
        "committee", "record", "--date", "2026-11-23", "1", "--decision", "approved", code=2
    )
    assert result.stderr == (
        "error: file #1 (Diaz, Ana MD) was withdrawn on 2026-11-20; a withdrawn file cannot be "
        "decided (open a new file)\n"
    )
    assert cli("queue", "--stage", "withdrawn", code=2).stderr.endswith(
        "Error: Invalid value: the queue holds open files only; see 'credcli file list'\n"
    )


def test_a_withdrawal_is_in_the_audit_log(cli, db, ana) -> None:
    cli("file", "request", "1", "CV", "--date", "2026-11-03")
    cli("file", "withdraw", "1", "--reason", REASON, "--date", "2026-11-20")
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with Session(engine) as session:
        last_id = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id - 5).order_by(AuditEntry.id)
        ).all()
    engine.dispose()
    assert sorted((r.actor, r.action, r.entity, r.npi) for r in rows) == sorted(
        [
            ("tester", "create", "file_events", ana),
            ("tester", "create", "file_events", ana),
            ("tester", "create", "file_events", ana),
            ("tester", "update", "credentialing_files", ana),
            ("tester", "update", "outstanding_items", ana),
        ]
    )
    change = next(r for r in rows if r.entity == "credentialing_files")
    assert json.loads(change.after) == {
        "last_activity_on": "2026-11-20",
        "stage": "withdrawn",
        "stage_since": "2026-11-20",
    }
    item = next(r for r in rows if r.entity == "outstanding_items")
    assert (json.loads(item.before), json.loads(item.after)) == (
        {"status": "open"},
        {"status": "waived"},
    )
    cli("audit-log", "verify")


def test_a_withdrawn_file_leaves_the_agenda_and_the_minutes_keep_its_deferral(
    cli, db, ana, monkeypatch
) -> None:
    _to_committee_ready(cli)
    cli("committee", "record", "--date", "2026-11-12", "1", "--decision", "deferred")
    assert [
        r["file"] for r in _json(cli, "committee", "agenda", "--date", "2026-12-10")["review"]
    ] == [1]
    cli("file", "withdraw", "1", "--reason", REASON, "--date", "2026-11-20")
    agenda = _json(cli, "committee", "agenda", "--date", "2026-12-10")
    assert (agenda["clean"], agenda["review"]) == ([], [])
    minutes = _json(cli, "committee", "minutes", "--date", "2026-11-12")
    assert minutes["counts"] == {"approved": 0, "denied": 0, "deferred": 1}
    assert [(d["file"], d["decision"]) for d in minutes["decisions"]] == [(1, "deferred")]
    # the deferral's notice was owed before the withdrawal and stays owed
    assert [r["file"] for r in _json(cli, "file", "list", "--notice-pending")] == [1]


def test_expire_check_leaves_out_a_withdrawn_file_s_items_and_verifications(cli, db, ana) -> None:
    cli("file", "request", "1", "CV", "--due", "2026-11-10", "--date", "2026-11-03")
    verify(db, ana, "2026-08-01")  # ages out 2026-11-29, inside the 90-day window
    before = _json(
        cli,
        "expire-check",
        "--include-applicants",
        "--kind",
        "item",
        "--kind",
        "verification",
        code=1,
    )
    assert {row["kind"] for row in before} == {"item", "verification"}
    cli("file", "withdraw", "1", "--reason", REASON, "--date", "2026-11-20")
    result = cli("expire-check", "--include-applicants", "--kind", "item", "--kind", "verification")
    assert result.stderr == "nothing expired or due within 90 days of 2026-11-23\n"


def _period(cli, *args: str) -> dict:
    return _json(cli, "report", "metrics", "--from", "2026-11-01", "--to", "2026-11-23", *args)


def test_metrics_count_a_withdrawn_file_in_no_decided_figure(cli, db, ana) -> None:
    _ben(cli)  # file #2, received 2026-11-23
    cli("file", "stage", "1", "verification", "--date", "2026-11-04")
    cli("file", "withdraw", "1", "--reason", REASON, "--date", "2026-11-10")
    found = _period(cli)
    assert found["denial_rate"] == {
        "approved": 0,
        "denied": 0,
        "deferred": 0,
        "withdrawn": 1,
        "rate_percent": None,
    }
    assert found["days_to_credential"]["files"] == 0
    assert found["recredentialing_on_time"]["decided"] == 0
    assert found["audit_findings"]["files_audited"] == 0
    assert found["backlog"]["open_files"] == 1  # Ben's file only
    assert {r["stage"]: r["files"] for r in found["backlog"]["by_stage"]} == {
        "intake": 1,
        "verification": 0,
        "committee-ready": 0,
        "committee": 0,
    }
    # the withdrawal ends the verification stay like any move
    assert [(r["stage"], r["stays"], r["average_days"]) for r in found["days_in_stage"]] == [
        ("intake", 1, 2.0),
        ("verification", 1, 6.0),
        ("committee-ready", 0, None),
        ("committee", 0, None),
    ]
    table = cli("report", "metrics", "--from", "2026-11-01", "--to", "2026-11-23").stdout
    assert "0 denied, 0 approved; 0 deferrals, 1 withdrawals excluded" in table


def test_backlog_before_the_withdrawal_still_counts_the_file(cli, db, ana) -> None:
    cli("file", "stage", "1", "verification", "--date", "2026-11-04")
    cli("file", "withdraw", "1", "--reason", REASON, "--date", "2026-11-10")
    before = _json(cli, "report", "metrics", "--from", "2026-11-01", "--to", "2026-11-09")
    assert before["backlog"]["open_files"] == 1
    assert before["denial_rate"]["withdrawn"] == 0
    on_the_day = _json(cli, "report", "metrics", "--from", "2026-11-01", "--to", "2026-11-10")
    assert on_the_day["backlog"]["open_files"] == 0
    assert on_the_day["denial_rate"]["withdrawn"] == 1


def test_the_denial_rate_counts_decisions_only(cli, db, ana) -> None:
    _ben(cli)
    cli("file", "withdraw", "1", "--reason", REASON, "--date", "2026-11-10")
    cli("file", "stage", "2", "verification")
    cli("file", "stage", "2", "committee-ready")
    verify(db, BEN, "2026-11-23")
    cli("committee", "record", "--date", "2026-11-23", "2", "--decision", "denied")
    assert _period(cli)["denial_rate"] == {
        "approved": 0,
        "denied": 1,
        "deferred": 0,
        "withdrawn": 1,
        "rate_percent": 100.0,
    }


def test_the_file_audit_leaves_withdrawn_files_out(cli, db, ana) -> None:
    _to_committee_ready(cli)
    verify(db, ana, "2026-11-12")
    cli("committee", "record", "--date", "2026-11-12", "1", "--decision", "deferred")
    cli("file", "withdraw", "1", "--reason", REASON, "--date", "2026-11-20")
    result = cli("report", "audit")
    assert result.stderr == "no decided files to audit\n"
    report = _json(cli, "report", "audit")
    assert (report["decided_files"], report["files_audited"], report["files"]) == (0, 0, [])
