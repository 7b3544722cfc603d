"""``report metrics`` on a registry whose every number was worked out by hand.

Period 2026-01-01 to 2026-06-30. Files (F#), with the figures they contribute:
  F1 initial  received 01-05, verification 01-20, committee-ready 02-10, committee 02-20,
              approved 02-24: 50 days to credential (February)
  F2 initial  received 01-10, verification 01-15, committee-ready 03-01, committee 03-05,
              approved 03-10: 59 days (March)
  F3 initial  received 02-01, verification 02-11, committee 03-21, denied 03-31: 58 days (March)
  F4 initial  received 2025-12-01, verification 2025-12-20, committee 02-01, deferred 02-15 and
              back to verification, committee 04-01, approved 04-15: 135 days (April)
  F5-F8 recredential files (no events): F5 due 04-30 approved 04-20 (on time), F6 due 05-01
              approved 05-10 (late), F7 due 06-30 approved 06-30 (on time), F8 no due date
  F9  open, received 06-15, intake                     -> intake, 0-30
  F10 open, received 04-20, verification 04-25         -> verification, 61-90 (71 days)
  F11 open, received 2025-11-01, verification 2025-11-10, committee-ready 05-01
                                                       -> committee-ready, >180 (241 days)
  F12 received 05-01, verification 05-10, committee 06-20, approved 07-05 (after the period)
                                                       -> committee, 31-60 (60 days)
  F13 open, received 06-01, no events, stage verification -> verification, 0-30
"""

from __future__ import annotations

import json

import pytest

from registry_builder import Builder, build

PERIOD = ("--from", "2026-01-01", "--to", "2026-06-30")


def _registry(b: Builder) -> None:
    p = b.provider
    b.file(
        p("One"),
        received="2026-01-05",
        stages=[
            ("2026-01-20", "verification"),
            ("2026-02-10", "committee-ready"),
            ("2026-02-20", "committee"),
        ],
        decisions=[("2026-02-24", "approved")],
    )
    b.file(
        p("Two"),
        received="2026-01-10",
        stages=[
            ("2026-01-15", "verification"),
            ("2026-03-01", "committee-ready"),
            ("2026-03-05", "committee"),
        ],
        decisions=[("2026-03-10", "approved")],
    )
    b.file(
        p("Three"),
        received="2026-02-01",
        stages=[("2026-02-11", "verification"), ("2026-03-21", "committee")],
        decisions=[("2026-03-31", "denied")],
    )
    b.file(
        p("Four"),
        received="2025-12-01",
        stages=[
            ("2025-12-20", "verification"),
            ("2026-02-01", "committee"),
            ("2026-02-15", "verification"),
            ("2026-04-01", "committee"),
        ],
        decisions=[("2026-02-15", "deferred"), ("2026-04-15", "approved")],
    )
    for name, received, due, decided in [
        ("Five", "2026-03-01", "2026-04-30", "2026-04-20"),
        ("Six", "2026-03-15", "2026-05-01", "2026-05-10"),
        ("Seven", "2026-04-01", "2026-06-30", "2026-06-30"),
        ("Eight", "2026-04-01", None, "2026-05-01"),
    ]:
        b.file(
            p(name),
            received=received,
            cycle="recredential",
            due=due,
            decisions=[(decided, "approved")],
            events=False,
        )
    b.file(p("Nine"), received="2026-06-15")
    b.file(p("Ten"), received="2026-04-20", stages=[("2026-04-25", "verification")])
    b.file(
        p("Eleven"),
        received="2025-11-01",
        stages=[("2025-11-10", "verification"), ("2026-05-01", "committee-ready")],
    )
    b.file(
        p("Twelve"),
        received="2026-05-01",
        stages=[("2026-05-10", "verification"), ("2026-06-20", "committee")],
        decisions=[("2026-07-05", "approved")],
    )
    b.file(p("Thirteen"), received="2026-06-01", events=False, stage="verification")
    aetna, cigna, humana = p("Payer-A"), p("Payer-C"), p("Payer-H")
    b.enroll(aetna, "Aetna", "2026-01-10", "2026-03-11", "effective")  # 60 days
    b.enroll(aetna, "Aetna", "2026-02-01", "2026-02-21", "effective")  # 20 days
    b.enroll(aetna, "Aetna", "2026-06-01", status="denied")  # neither counted nor pending
    b.enroll(cigna, "Cigna", "2026-03-01", "2026-05-30", "effective")  # 90 days
    b.enroll(cigna, "Cigna", "2026-04-01", "2026-03-15", "effective")  # retroactive
    b.enroll(cigna, "Cigna", "2026-05-01", status="in-review")  # pending
    b.enroll(humana, "Humana", "2025-10-01", "2025-12-01", "effective")  # before the period
    b.enroll(humana, "Humana", "2026-06-10", "2026-07-15", "effective")  # pending on 06-30


@pytest.fixture
def metrics(cli, db):
    with build(db) as b:
        _registry(b)
    return json.loads(cli("report", "metrics", *PERIOD, "--format", "json").stdout)


def test_days_to_credential_overall_and_by_month(metrics) -> None:
    dtc = metrics["days_to_credential"]
    assert (dtc["files"], dtc["average_days"], dtc["median_days"]) == (4, 75.5, 58.5)
    assert [
        (m["month"], m["files"], m["average_days"], m["median_days"]) for m in dtc["by_month"]
    ] == [
        ("2026-01", 0, None, None),
        ("2026-02", 1, 50.0, 50.0),
        ("2026-03", 2, 58.5, 58.5),
        ("2026-04", 1, 135.0, 135.0),
        ("2026-05", 0, None, None),
        ("2026-06", 0, None, None),
    ]


def test_backlog_by_stage_and_age_on_the_last_day(metrics) -> None:
    backlog = metrics["backlog"]
    assert (backlog["as_of"], backlog["open_files"]) == ("2026-06-30", 5)
    assert backlog["by_stage"] == [
        {"stage": "intake", "0-30": 1, "31-60": 0, "61-90": 0, "91-180": 0, ">180": 0, "files": 1},
        {
            "stage": "verification",
            "0-30": 1,
            "31-60": 0,
            "61-90": 1,
            "91-180": 0,
            ">180": 0,
            "files": 2,
        },
        {
            "stage": "committee-ready",
            "0-30": 0,
            "31-60": 0,
            "61-90": 0,
            "91-180": 0,
            ">180": 1,
            "files": 1,
        },
        {
            "stage": "committee",
            "0-30": 0,
            "31-60": 1,
            "61-90": 0,
            "91-180": 0,
            ">180": 0,
            "files": 1,
        },
    ]
    assert backlog["by_age"] == [
        {"band": "0-30", "files": 2},
        {"band": "31-60", "files": 1},
        {"band": "61-90", "files": 1},
        {"band": "91-180", "files": 0},
        {"band": ">180", "files": 1},
    ]


def test_recredentialing_on_time_counts_the_due_date_itself_as_on_time(metrics) -> None:
    assert metrics["recredentialing_on_time"] == {
        "decided": 3,
        "on_time": 2,
        "late": 1,
        "without_due_date": 1,
        "rate_percent": 66.7,
    }


def test_denial_rate_excludes_deferrals(metrics) -> None:
    assert metrics["denial_rate"] == {
        "approved": 7,
        "denied": 1,
        "deferred": 1,
        "withdrawn": 0,
        "rate_percent": 12.5,
    }


def test_days_in_each_stage_counts_stays_that_ended_in_the_period(metrics) -> None:
    # intake 15,5,10,5,9; verification 21,45,38,43,45,172,41; committee-ready 10,4;
    # committee 4,5,10,14,14 (F12's committee stay ends after the period).
    assert metrics["days_in_stage"] == [
        {"stage": "intake", "stays": 5, "average_days": 8.8, "median_days": 9.0},
        {"stage": "verification", "stays": 7, "average_days": 57.9, "median_days": 43.0},
        {"stage": "committee-ready", "stays": 2, "average_days": 7.0, "median_days": 7.0},
        {"stage": "committee", "stays": 5, "average_days": 9.4, "median_days": 10.0},
    ]


def test_payer_turnaround_overall_and_by_payer(metrics) -> None:
    payers = metrics["payer_turnaround"]
    assert {k: v for k, v in payers.items() if k != "by_payer"} == {
        "enrollments": 3,
        "average_days": 56.7,
        "median_days": 60.0,
        "retroactive": 1,
        "pending": 2,
    }
    assert payers["by_payer"] == [
        {
            "payer": "Aetna",
            "enrollments": 2,
            "average_days": 40.0,
            "median_days": 40.0,
            "retroactive": 0,
            "pending": 0,
        },
        {
            "payer": "Cigna",
            "enrollments": 1,
            "average_days": 90.0,
            "median_days": 90.0,
            "retroactive": 1,
            "pending": 1,
        },
        {
            "payer": "Humana",
            "enrollments": 0,
            "average_days": None,
            "median_days": None,
            "retroactive": 0,
            "pending": 1,
        },
    ]


def test_exclusion_hits_are_not_screened_rather_than_zero(metrics) -> None:
    assert metrics["exclusion_hits"]["screened"] is False
    assert metrics["exclusion_hits"]["open_hits"] is None


def test_audit_findings_cover_the_files_decided_in_the_period(metrics) -> None:
    # F1-F8: 7 elements never verified each (no credentials: license, education, training,
    # malpractice, work-history, npdb, attestation), no screening record each, and no notice
    # sent for the 7 whose 30 days ran out by 06-30 (F7, decided 06-30, is not due yet).
    assert metrics["audit_findings"] == {
        "files_audited": 8,
        "findings": 8 * 7 + 8 + 7,
        "files_with_findings": 8,
    }


def test_backlog_is_reconstructed_for_an_earlier_day(cli, db) -> None:
    with build(db) as b:
        _registry(b)
    result = json.loads(
        cli(
            "report", "metrics", "--from", "2026-02-01", "--to", "2026-02-20", "--format", "json"
        ).stdout
    )
    # On 02-20 F4 is deferred (still open) and back in verification; F1 reached committee
    # that day; F11 is in verification; F9, F10, F12 and F13 had not arrived.
    stages = {row["stage"]: row for row in result["backlog"]["by_stage"]}
    assert result["backlog"]["open_files"] == 5
    assert stages["verification"]["files"] == 4
    assert (
        stages["verification"]["0-30"],
        stages["verification"]["31-60"],
        stages["verification"]["61-90"],
        stages["verification"]["91-180"],
    ) == (1, 1, 1, 1)
    assert (stages["committee"]["files"], stages["committee"]["31-60"]) == (1, 1)
    assert stages["intake"]["files"] == stages["committee-ready"]["files"] == 0


def test_metrics_workbook_has_a_sheet_per_section_real_values_and_charts(cli, db, tmp_path) -> None:
    import datetime as dt

    from openpyxl import load_workbook

    with build(db) as b:
        _registry(b)
    target = tmp_path / "metrics.xlsx"
    result = cli("report", "metrics", *PERIOD, "--xlsx", str(target))
    assert result.stderr == f"wrote metrics 2026-01-01 to 2026-06-30 to {target}\n"
    assert target.stat().st_mode & 0o777 == 0o600
    book = load_workbook(target)
    assert book.sheetnames == [
        "Summary",
        "Days to credential",
        "Backlog by stage",
        "Backlog by age",
        "Days in stage",
        "Payer turnaround",
        "Definitions",
    ]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert (summary["Period from"], summary["Period to"]) == (
        dt.datetime(2026, 1, 1),
        dt.datetime(2026, 6, 30),
    )
    assert summary["Days to credential, average"] == 75.5
    assert summary["Recredentialing on-time rate"] == 66.7
    assert summary["Open exclusion hits"] == "not screened"
    months = list(book["Days to credential"].iter_rows(min_row=2, values_only=True))
    assert months[1] == (dt.datetime(2026, 2, 1), 1, 50, 50)
    stages = list(book["Backlog by stage"].iter_rows(min_row=2, values_only=True))
    assert stages[1] == ("verification", 1, 0, 1, 0, 0, 2)
    assert len(book["Days to credential"]._charts) == 1
    assert len(book["Backlog by stage"]._charts) == 1
    assert book["Days to credential"]._charts[0].title is not None


def test_metrics_table_shows_every_section(cli, db) -> None:
    with build(db) as b:
        _registry(b)
    out = cli("report", "metrics", *PERIOD).stdout
    assert out.startswith("Credentialing metrics 2026-01-01 to 2026-06-30\n")
    for title in (
        "Summary",
        "Days to credential by month",
        "Backlog on 2026-06-30",
        "Days in stage",
        "Payer enrollment turnaround",
    ):
        assert title in out
    assert "│ Denial rate                          │ 12.5%" in out


def test_period_defaults_to_twelve_months_ending_today(cli, db) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    result = cli("report", "metrics", "--format", "json", env={"CREDCLI_TODAY": "2026-03-15"})
    data = json.loads(result.stdout)
    assert data["period"] == {"from": "2025-04-01", "to": "2026-03-15"}
    assert len(data["days_to_credential"]["by_month"]) == 12
    assert data["backlog"]["open_files"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-13-01"), "error: --from '2026-13-01': is not a real calendar date\n"),
        (
            ("--from", "2026-07-01", "--to", "2026-06-30"),
            "error: --from 2026-07-01 is after --to 2026-06-30\n",
        ),
        (
            ("--to", "9999-12-31"),
            "error: --to '9999-12-31': is out of range; give a date from 1900-01-01 to "
            "2999-12-31\n",
        ),
        (
            ("--from", "0001-01-01"),
            "error: --from '0001-01-01': is out of range; give a date from 1900-01-01 to "
            "2999-12-31\n",
        ),
    ],
)
def test_bad_periods_are_refused(cli, db, args, message) -> None:
    assert cli("report", "metrics", *args, code=2).stderr == message


def test_every_definition_is_in_the_help_and_the_readme(cli) -> None:
    from pathlib import Path

    from credcli.domain.metrics import DEFINITIONS

    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
    shown = " ".join(cli("report", "metrics", "--help").stdout.replace("│", " ").split())
    for name, text in DEFINITIONS.items():
        flat = " ".join(text.split())
        assert f"**{name}**: {flat}" in readme
        assert f"{name}: {flat}" in shown


def test_open_exclusion_hits_are_counted_when_screening_is_recorded(cli, db) -> None:
    import datetime as dt

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import NullPool

    from credcli.db.engine import resolve
    from credcli.db.models import Provider, ScreeningHit, ScreeningRun

    cli("init")
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with Session(engine) as session, session.begin():
        provider = Provider(npi="1234567893", first_name="Ana", last_name="Diaz")
        run = ScreeningRun(
            run_by="tester",
            as_of=dt.date(2026, 6, 1),
            lists="leie,sam",
            versions="{}",
            screened=1,
            strong=2,
            possible=2,
            ruled_out=1,
            new_hits=5,
            open_hits=2,
        )
        session.add_all([provider, run])
        session.flush()
        for number, (tier, status) in enumerate(
            [
                ("strong", "open"),
                ("possible", "open"),
                ("possible", "cleared"),
                ("strong", "confirmed"),
                ("ruled-out", "ruled-out"),
                ("strong", "resolved"),
            ]
        ):
            session.add(
                ScreeningHit(
                    provider_id=provider.id,
                    list_name="leie",
                    record_key=f"k{number}",
                    content_hash=f"h{number}",
                    tier=tier,
                    reason="name and DOB",
                    record="{}",
                    status=status,
                    first_run_id=run.id,
                    last_run_id=run.id,
                )
            )
    engine.dispose()
    data = json.loads(cli("report", "metrics", *PERIOD, "--format", "json").stdout)
    assert data["exclusion_hits"] == {
        "screened": True,
        "open_hits": 2,
        "basis": "hits still open (not cleared, confirmed or resolved)",
    }


def test_a_file_without_an_opened_event_starts_in_the_stage_its_first_move_left(cli, db) -> None:
    with build(db) as b:
        file = b.file(b.provider("Moved"), received="2026-03-01", events=False)
        b._event(file, "2026-03-11", "stage", "intake", "verification")
        b._event(file, "2026-03-15", "stage", "verification", "committee")
    data = json.loads(cli("report", "metrics", *PERIOD, "--format", "json").stdout)
    stays = {row["stage"]: (row["stays"], row["average_days"]) for row in data["days_in_stage"]}
    assert stays["intake"] == (1, 10.0)
    assert stays["verification"] == (1, 4.0)
    assert data["backlog"]["by_stage"][3]["files"] == 1  # committee on 06-30
