import json

import openpyxl
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from credcli.db.engine import resolve
from credcli.db.models import AuditEntry
from credcli.domain.identifiers import npi_check_digit
from pipeline_helpers import screened, verify

MEETING = "2026-12-10"


@pytest.fixture(autouse=True)
def today(monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-11-23")


def _held(monkeypatch, day: str = MEETING) -> None:
    """The meeting has taken place: today is its date (decisions cannot be dated ahead)."""
    monkeypatch.setenv("CREDCLI_TODAY", day)


def npi(n: int) -> str:
    first = f"1{n:08d}"
    return first + str(npi_check_digit(first))


def _ready(
    cli,
    db,
    number: str,
    last: str,
    *,
    verified_on: str | None = "2026-11-20",
    screened_on: str | None = "2026-11-20",
    **kw,
):
    """A provider whose initial file is committee-ready (and verified on ``verified_on``)."""
    cli(
        "intake",
        "new",
        "--npi",
        number,
        "--first",
        "Pat",
        "--last",
        last,
        "--degree",
        "MD",
        "--received",
        "2026-10-01",
    )
    cli("credential", "add", number, "--kind", "license", "--state", "CA", "--number", "A1")
    file_id = str(len(json.loads(cli("file", "list", "-f", "json").stdout)))
    cli("file", "stage", file_id, "verification", "--date", "2026-10-02")
    cli("file", "stage", file_id, "committee-ready", "--date", "2026-10-03")
    if verified_on:
        verify(db, number, verified_on, **kw)
    if screened_on:
        screened(cli, screened_on)
    return file_id


def _agenda(cli, *args: str, meeting: str = MEETING) -> dict:
    return json.loads(cli("committee", "agenda", "--date", meeting, "-f", "json", *args).stdout)


def _provider(cli, number: str) -> dict:
    return json.loads(cli("provider", "show", number, "-f", "json").stdout)


def test_agenda_splits_clean_files_from_files_for_review(cli, db) -> None:
    _ready(cli, db, npi(1), "Ames")
    _ready(cli, db, npi(2), "Baker", skip=("npdb",))
    cli("file", "request", "2", "CV with gaps explained", "--date", "2026-11-01")
    _ready(cli, db, npi(3), "Cruz", skip=("npdb", "license:CA"))
    verify(db, npi(3), "2026-11-20", elements=["npdb"], result="discrepancy")
    verify(db, npi(3), "2026-11-20", elements=["license:CA"], result="not-found")
    _ready(cli, db, npi(4), "Dunn")
    cli("file", "stage", "4", "verification", "--date", "2026-10-05")  # back: off the agenda
    agenda = _agenda(cli)
    assert [row["provider"] for row in agenda["clean"]] == ["Ames, Pat MD"]
    assert {row["provider"]: row["reasons"] for row in agenda["review"]} == {
        "Baker, Pat MD": ["npdb never verified", "1 open item: CV with gaps explained"],
        "Cruz, Pat MD": [
            "license:CA could not be verified (not-found on 2026-11-20)",
            "adverse finding: npdb verified with a discrepancy on 2026-11-20",
        ],
    }
    assert agenda["clean"][0] == {
        "file": 1,
        "npi": npi(1),
        "provider": "Ames, Pat MD",
        "cycle": "initial",
        "stage": "committee-ready",
        "assignee": None,
        "received_on": "2026-10-01",
        "recred_due_on": None,
        "reasons": [],
        "stale_by_meeting": [],
    }
    assert (agenda["meeting_on"], agenda["as_of"]) == (MEETING, "2026-11-23")


def test_files_current_today_but_stale_by_the_meeting_are_flagged(cli, db) -> None:
    _ready(cli, db, npi(1), "Ames", verified_on="2026-08-20")  # good until 2026-12-18
    agenda = _agenda(cli, meeting="2026-12-18")
    assert [r["provider"] for r in agenda["clean"]] == ["Ames, Pat MD"]
    agenda = _agenda(cli, meeting="2026-12-19")
    assert agenda["clean"] == []
    (row,) = agenda["review"]
    assert row["stale_by_meeting"] == [
        "license:CA",
        "education",
        "training",
        "malpractice",
        "work-history",
        "npdb",
    ]
    assert row["reasons"][0] == (
        "license:CA verification too old on the meeting date (verified 2026-08-20, "
        "good until 2026-12-18)"
    )
    assert len(row["reasons"]) == 6  # attestation is good for 180 days


def test_a_deferred_file_comes_back_for_review(cli, db, monkeypatch) -> None:
    _ready(cli, db, npi(1), "Ames")
    _held(monkeypatch, "2026-11-25")
    result = cli(
        "committee",
        "record",
        "--date",
        "2026-11-25",
        "1",
        "--decision",
        "deferred",
        "--note",
        "wants peer references",
    )
    assert result.stderr == (
        f"file #1 Ames, Pat MD (NPI {npi(1)}): deferred on 2026-11-25; back to committee-ready "
        "for a later meeting; decision notice due 2026-12-25\n"
    )
    (row,) = _agenda(cli)["review"]
    assert row["reasons"] == ["deferred at the meeting of 2026-11-25 (wants peer references)"]
    shown = json.loads(cli("file", "show", "1", "-f", "json").stdout)
    assert (shown["stage"], shown["decision"], shown["notice_due_on"]) == (
        "committee-ready",
        None,
        "2026-12-25",
    )
    assert _provider(cli, npi(1))["status"] == "applicant"
    assert cli(
        "committee", "record", "--date", "2026-11-25", "1", "--decision", "approved", code=2
    ).stderr == (
        "error: file #1 (Ames, Pat MD) already has a decision at the meeting of 2026-11-25\n"
    )
    _held(monkeypatch)
    cli("committee", "record", "--date", MEETING, "1", "--decision", "approved")
    assert _provider(cli, npi(1))["status"] == "active"


def test_agenda_markdown(cli, db) -> None:
    _ready(cli, db, npi(1), "Ames")
    _ready(cli, db, npi(2), "Baker", skip=("npdb",))
    out = cli("committee", "agenda", "--date", MEETING, "--format", "md").stdout
    assert out == (
        "# Credentialing committee agenda: 2026-12-10\n"
        "\n"
        "Prepared 2026-11-23: 1 clean file, 1 file for committee review.\n"
        "\n"
        "## Clean files\n"
        "\n"
        "Every element verified and current on the meeting date, no adverse finding.\n"
        "\n"
        "| File | Provider | NPI | Cycle | Received | Recred due |\n"
        "|---|---|---|---|---|---|\n"
        f"| 1 | Ames, Pat MD | {npi(1)} | initial | 2026-10-01 |  |\n"
        "\n"
        "## Files for committee review\n"
        "\n"
        f"### File 2: Baker, Pat MD (NPI {npi(2)}), initial\n"
        "\n"
        "- npdb never verified\n"
    )


def test_agenda_table_csv_xlsx_and_empty(cli, db, tmp_path) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    assert cli("committee", "agenda", "--date", MEETING).stderr == (
        "no files are ready for the meeting of 2026-12-10\n"
    )
    _ready(cli, db, npi(1), "Ames")
    _ready(cli, db, npi(2), "Baker", skip=("npdb",))
    table = cli("committee", "agenda", "--date", MEETING).stdout
    assert "Clean files for 2026-12-10" in table and "npdb never verified" in table
    rows = cli("committee", "agenda", "--date", MEETING, "-f", "csv").stdout.splitlines()
    assert rows[0].startswith("section,file,npi,provider")
    assert rows[2].startswith("review,2,") and rows[2].endswith(",npdb never verified,")
    path = tmp_path / "agenda.xlsx"
    cli("committee", "agenda", "--date", MEETING, "--xlsx", str(path), "-f", "json")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Clean", "Review"]
    assert book["Review"]["J2"].value == "npdb never verified"


def test_an_agenda_leaves_out_files_received_after_the_meeting(cli, db) -> None:
    _ready(cli, db, npi(1), "Ames")  # received 2026-10-01
    assert cli("committee", "agenda", "--date", "2026-09-30").stderr == (
        "no files are ready for the meeting of 2026-09-30\n"
    )
    agenda = _agenda(cli, meeting="2026-10-01")
    assert [row["file"] for row in agenda["clean"] + agenda["review"]] == [1]


def test_approval_sets_the_cycle_dates(cli, db, monkeypatch) -> None:
    _ready(cli, db, npi(1), "Ames")
    _held(monkeypatch)
    result = cli(
        "committee",
        "record",
        "--date",
        MEETING,
        "1",
        "--decision",
        "approved",
        "--chair",
        "Dr. Lane",
    )
    assert result.stderr == (
        f"file #1 Ames, Pat MD (NPI {npi(1)}): approved on 2026-12-10; decision notice due "
        "2027-01-09; next recredentialing due 2029-12-10\n"
    )
    provider = _provider(cli, npi(1))
    assert {
        k: provider[k]
        for k in ("status", "status_date", "initial_cred_date", "last_cred_date", "next_recred_due")
    } == {
        "status": "active",
        "status_date": MEETING,
        "initial_cred_date": MEETING,
        "last_cred_date": MEETING,
        "next_recred_due": "2029-12-10",
    }
    shown = json.loads(cli("file", "show", "1", "-f", "json").stdout)
    assert {
        k: shown[k] for k in ("stage", "decision", "decision_on", "notice_due_on", "meeting_on")
    } == {
        "stage": "decided",
        "decision": "approved",
        "decision_on": MEETING,
        "notice_due_on": "2027-01-09",
        "meeting_on": MEETING,
    }
    assert [s["stage"] for s in shown["stages"]][-1] == "decided"
    assert cli("queue", "-f", "json").stdout == "[]\n"


@pytest.mark.parametrize(
    ("verified", "meeting", "recred", "notice"),
    [
        ("2028-02-01", "2028-02-29", "2031-02-28", "2028-03-30"),
        ("2027-01-15", "2027-01-31", "2030-01-31", "2027-03-02"),
    ],
)
def test_leap_day_and_month_end_decisions(
    cli, db, monkeypatch, verified, meeting, recred, notice
) -> None:
    _ready(cli, db, npi(1), "Ames", verified_on=verified)
    _held(monkeypatch, meeting)
    cli("committee", "record", "--date", meeting, "1", "--decision", "approved")
    assert _provider(cli, npi(1))["next_recred_due"] == recred
    shown = json.loads(cli("file", "show", "1", "-f", "json").stdout)
    assert shown["notice_due_on"] == notice


def test_denial_sets_the_notice_but_not_the_cycle(cli, db, monkeypatch) -> None:
    _ready(cli, db, npi(1), "Ames")
    _held(monkeypatch)
    result = cli("committee", "record", "--date", MEETING, "1", "--decision", "denied")
    assert result.stderr == (
        f"file #1 Ames, Pat MD (NPI {npi(1)}): denied on 2026-12-10; decision notice due "
        "2027-01-09\n"
    )
    provider = _provider(cli, npi(1))
    assert (provider["status"], provider["last_cred_date"], provider["next_recred_due"]) == (
        "applicant",
        None,
        None,
    )


def test_a_never_verified_file_cannot_be_decided(cli, db, monkeypatch) -> None:
    _ready(cli, db, npi(1), "Ames", verified_on=None)
    _held(monkeypatch)
    result = cli("committee", "record", "--date", MEETING, "1", "--decision", "approved", code=2)
    assert result.stderr == (
        "error: file #1 (Ames, Pat MD) cannot be approved on 2026-12-10: its verification "
        "checklist is incomplete (license:CA, education, training, malpractice, work-history, "
        "npdb, attestation missing)\n"
    )
    assert cli(
        "committee", "record", "--date", MEETING, "1", "--decision", "denied", code=2
    ).stderr.startswith("error: file #1 (Ames, Pat MD) cannot be denied")
    assert cli("committee", "minutes", "--date", MEETING, code=2).stderr == (
        "error: no committee meeting on 2026-12-10 in the registry\n"
    )


def test_stale_verifications_block_an_approval(cli, db, monkeypatch) -> None:
    _ready(cli, db, npi(1), "Ames", verified_on="2026-07-01")
    _held(monkeypatch)
    result = cli("committee", "record", "--date", MEETING, "1", "--decision", "approved", code=2)
    assert result.stderr == (
        "error: file #1 (Ames, Pat MD) cannot be approved on 2026-12-10: verifications too old "
        "for a decision on that date (license:CA, education, training, malpractice, "
        "work-history, npdb); re-verify before approving\n"
    )


def test_only_ready_files_can_be_decided_and_only_once(cli, db, ana, monkeypatch) -> None:
    _held(monkeypatch, "2026-12-11")
    result = cli("committee", "record", "--date", MEETING, "1", "--decision", "approved", code=2)
    assert result.stderr == (
        "error: file #1 (Diaz, Ana MD) is in stage intake; only committee-ready or committee "
        "files can be decided (move it with 'credcli file stage')\n"
    )
    _ready(cli, db, npi(1), "Ames")
    cli("committee", "record", "--date", MEETING, "2", "--decision", "approved")
    result = cli("committee", "record", "--date", "2026-12-11", "2", "--decision", "denied", code=2)
    assert result.stderr == (
        "error: file #2 (Ames, Pat MD) was already decided: approved on 2026-12-10\n"
    )
    assert cli("file", "stage", "2", "verification", code=2).stderr == (
        "error: file #2: the file is decided; a decided file does not change stage "
        "(open a new file)\n"
    )


def test_record_is_all_or_nothing(cli, db, monkeypatch) -> None:
    _ready(cli, db, npi(1), "Ames")
    _ready(cli, db, npi(2), "Baker", verified_on=None)
    _held(monkeypatch)
    result = cli(
        "committee", "record", "--date", MEETING, "1", "2", "--decision", "approved", code=2
    )
    assert "file #2 (Baker, Pat MD) cannot be approved" in result.stderr
    assert _provider(cli, npi(1))["status"] == "applicant"
    cli("committee", "minutes", "--date", MEETING, code=2)
    assert (
        cli(
            "committee", "record", "--date", MEETING, "1", "1", "--decision", "approved", code=2
        ).stderr
        == "error: file '1': is given more than once\n"
    )
    assert (
        cli("committee", "record", "--date", MEETING, "9", "--decision", "approved", code=2).stderr
        == "error: no credentialing file #9 in the registry\n"
    )
    assert cli(
        "committee", "record", "--date", "2026-09-30", "1", "--decision", "approved", code=2
    ).stderr == (
        "error: date '2026-09-30': is before file #1 (Ames, Pat MD) entered stage "
        "committee-ready (2026-10-03)\n"
    )


def test_minutes(cli, db, monkeypatch) -> None:
    _ready(cli, db, npi(1), "Ames")
    _ready(cli, db, npi(2), "Baker")
    _held(monkeypatch)
    cli(
        "committee",
        "record",
        "--date",
        MEETING,
        "1",
        "--decision",
        "approved",
        "--chair",
        "Dr. Lane",
    )
    cli(
        "committee",
        "record",
        "--date",
        MEETING,
        "2",
        "--decision",
        "deferred",
        "--note",
        "needs | peer review",
    )
    minutes = json.loads(cli("committee", "minutes", "--date", MEETING, "-f", "json").stdout)
    assert minutes == {
        "meeting_on": MEETING,
        "chair": "Dr. Lane",
        "counts": {"approved": 1, "denied": 0, "deferred": 1},
        "decisions": [
            {
                "file": 1,
                "npi": npi(1),
                "provider": "Ames, Pat MD",
                "cycle": "initial",
                "decision": "approved",
                "note": None,
                "recorded_by": "tester",
                "next_recred_due": "2029-12-10",
                "notice_due_on": "2027-01-09",
            },
            {
                "file": 2,
                "npi": npi(2),
                "provider": "Baker, Pat MD",
                "cycle": "initial",
                "decision": "deferred",
                "note": "needs | peer review",
                "recorded_by": "tester",
                "next_recred_due": None,
                "notice_due_on": "2027-01-09",
            },
        ],
    }
    assert cli("committee", "minutes", "--date", MEETING, "-f", "md").stdout == (
        "# Credentialing committee minutes: 2026-12-10\n"
        "\n"
        "Chair: Dr. Lane\n"
        "\n"
        "Decisions: 1 approved, 0 denied, 1 deferred.\n"
        "\n"
        "| File | Provider | NPI | Cycle | Decision | Note | Notice due | Next recred due "
        "| Recorded by |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
        f"| 1 | Ames, Pat MD | {npi(1)} | initial | approved |  | 2027-01-09 | 2029-12-10 "
        "| tester |\n"
        f"| 2 | Baker, Pat MD | {npi(2)} | initial | deferred | needs \\| peer review "
        "| 2027-01-09 |  | tester |\n"
    )
    table = cli("committee", "minutes", "--date", MEETING).stdout
    assert "Committee minutes 2026-12-10, chair Dr. Lane" in table


def test_a_decision_is_in_the_audit_log(cli, db, monkeypatch) -> None:
    _ready(cli, db, npi(1), "Ames")
    _held(monkeypatch)
    cli("committee", "record", "--date", MEETING, "1", "--decision", "approved")
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with Session(engine) as session:
        last_id = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id - 6).order_by(AuditEntry.id)
        ).all()
    engine.dispose()
    assert sorted((r.actor, r.action, r.entity, r.npi) for r in rows) == sorted(
        [
            ("tester", "create", "committee_decisions", npi(1)),
            ("tester", "create", "file_events", npi(1)),
            ("tester", "create", "file_events", npi(1)),
            ("tester", "update", "credentialing_files", npi(1)),
            ("tester", "update", "providers", npi(1)),
            ("tester", "create", "committee_meetings", None),
        ]
    )
    provider_change = next(r for r in rows if r.entity == "providers")
    assert json.loads(provider_change.after) == {
        "initial_cred_date": MEETING,
        "last_cred_date": MEETING,
        "next_recred_due": "2029-12-10",
        "status": "active",
        "status_date": MEETING,
    }


def test_an_exclusion_hit_puts_a_clean_file_under_review(cli, db, tmp_path) -> None:
    from listfiles import leie_row, write_leie

    _ready(cli, db, npi(1), "Ames")
    _ready(cli, db, npi(2), "Baker")
    write_leie(tmp_path / "UPDATED.csv", [leie_row("BAKER", "PAT", NPI=npi(2))])
    cli("verify", "load", "leie", str(tmp_path / "UPDATED.csv"))
    cli("verify", "screen", "--list", "leie", code=1)
    agenda = _agenda(cli)
    assert [row["provider"] for row in agenda["clean"]] == ["Ames, Pat MD"]
    assert [row["reasons"] for row in agenda["review"]] == [
        ["open strong exclusion hit #1 on LEIE"]
    ]
    cli("verify", "clear", "1", "--reason", "different person: NPI typo on the list")
    assert [row["provider"] for row in _agenda(cli)["clean"]] == ["Ames, Pat MD", "Baker, Pat MD"]


def test_a_decision_cannot_be_dated_after_today(cli, db) -> None:
    _ready(cli, db, npi(1), "Ames")
    for decision in ("approved", "denied", "deferred"):
        result = cli("committee", "record", "--date", MEETING, "1", "--decision", decision, code=2)
        assert result.stderr == (
            f"error: date '{MEETING}': is in the future (today is 2026-11-23); a decision is "
            "recorded once the meeting has taken place\n"
        )
    provider = _provider(cli, npi(1))
    assert (provider["status"], provider["status_date"], provider["next_recred_due"]) == (
        "applicant",
        "2026-10-01",
        None,
    )
    assert cli("committee", "minutes", "--date", MEETING, code=2).stderr == (
        f"error: no committee meeting on {MEETING} in the registry\n"
    )
    assert [r["provider"] for r in _agenda(cli)["clean"]] == ["Ames, Pat MD"]


def test_a_decision_cannot_predate_an_earlier_deferral(cli, db, monkeypatch) -> None:
    _ready(cli, db, npi(1), "Ames")
    _held(monkeypatch)
    cli("committee", "record", "--date", "2026-11-25", "1", "--decision", "deferred")
    result = cli(
        "committee", "record", "--date", "2026-11-24", "1", "--decision", "approved", code=2
    )
    assert result.stderr == (
        "error: date '2026-11-24': is before the meeting of 2026-11-25, which already deferred "
        "file #1 (Ames, Pat MD)\n"
    )
    assert _provider(cli, npi(1))["status"] == "applicant"
    cli("committee", "record", "--date", "2026-11-26", "1", "--decision", "approved")
    assert _provider(cli, npi(1))["last_cred_date"] == "2026-11-26"


def test_no_file_is_clean_without_a_screening_in_the_30_days_before_the_meeting(cli, db) -> None:
    _ready(cli, db, npi(1), "Adams", screened_on=None)
    (never,) = _agenda(cli)["review"]
    assert never["reasons"] == [
        "no exclusion screening between 2026-11-10 and the meeting (never screened): "
        "run 'credcli verify screen' before it"
    ]
    screened(cli, "2026-11-09")
    (old,) = _agenda(cli)["review"]
    assert old["reasons"] == [
        "no exclusion screening between 2026-11-10 and the meeting (last run 2026-11-09): "
        "run 'credcli verify screen' before it"
    ]
    screened(cli, "2026-11-10")  # day 30 before the meeting still counts
    assert [row["file"] for row in _agenda(cli)["clean"]] == [1]
    # an agenda for an earlier meeting: the runs came after it, which is not "never"
    (before,) = _agenda(cli, meeting="2026-11-01")["review"]
    assert before["reasons"][-1] == (
        "no exclusion screening between 2026-10-02 and the meeting (no earlier run): "
        "run 'credcli verify screen' before it"
    )


def _hit_on_baker(cli, db, tmp_path) -> None:
    """Baker (file #2) raises open exclusion hit #1 on the LEIE; Ames (file #1) is clean."""
    from listfiles import leie_row, write_leie

    _ready(cli, db, npi(1), "Ames")
    write_leie(tmp_path / "UPDATED.csv", [leie_row("BAKER", "PAT", NPI=npi(2))])
    cli("verify", "load", "leie", str(tmp_path / "UPDATED.csv"))
    cli("verify", "screen", "--list", "leie", code=1)


def test_a_provider_with_a_confirmed_exclusion_is_not_approved(
    cli, db, tmp_path, monkeypatch
) -> None:
    _ready(cli, db, npi(2), "Baker")
    _hit_on_baker(cli, db, tmp_path)
    cli("verify", "confirm", "1", "--reason", "OIG confirmed: same DOB and license")
    (row,) = _queue_rows(cli)
    assert row["next_action"] == (
        "provider excluded (confirmed hit #1 on LEIE): present the file for denial or withdraw it"
    )
    _held(monkeypatch)
    result = cli("committee", "record", "--date", MEETING, "1", "--decision", "approved", code=2)
    assert result.stderr == (
        "error: file #1 (Baker, Pat MD) cannot be approved on 2026-12-10: provider excluded "
        "(confirmed hit #1 on LEIE): present the file for denial or withdraw it ('credcli "
        "committee record --date 2026-12-10 1 --decision denied' or 'credcli file withdraw 1 "
        "--reason ...')\n"
    )
    provider = _provider(cli, npi(2))
    assert (provider["status"], provider["last_cred_date"]) == ("inactive", None)
    assert cli("committee", "record", "--date", MEETING, "1", "--decision", "denied").stderr == (
        f"file #1 Baker, Pat MD (NPI {npi(2)}): denied on 2026-12-10; decision notice due "
        "2027-01-09\n"
    )
    assert _provider(cli, npi(2))["status"] == "inactive"


def _queue_rows(cli) -> list[dict]:
    return [r for r in json.loads(cli("queue", "-f", "json").stdout) if r["npi"] == npi(2)]


def test_an_open_exclusion_hit_holds_an_approval_until_a_person_decides_it(
    cli, db, tmp_path, monkeypatch
) -> None:
    _ready(cli, db, npi(2), "Baker")
    _hit_on_baker(cli, db, tmp_path)
    _held(monkeypatch)
    result = cli("committee", "record", "--date", MEETING, "1", "--decision", "approved", code=2)
    assert result.stderr == (
        "error: file #1 (Baker, Pat MD) cannot be approved on 2026-12-10: exclusion hit #1 on "
        "LEIE is still open: a person must clear or confirm it first ('credcli verify clear 1 "
        "--reason ...' or 'credcli verify confirm 1')\n"
    )
    assert _provider(cli, npi(2))["status"] == "applicant"
    cli("verify", "clear", "1", "--reason", "different person: NPI typo on the list")
    assert cli("committee", "record", "--date", MEETING, "1", "--decision", "approved").stderr == (
        f"file #1 Baker, Pat MD (NPI {npi(2)}): approved on 2026-12-10; decision notice due "
        "2027-01-09; next recredentialing due 2029-12-10\n"
    )


def test_a_denial_is_recorded_while_a_hit_is_open(cli, db, tmp_path, monkeypatch) -> None:
    _ready(cli, db, npi(2), "Baker")
    _hit_on_baker(cli, db, tmp_path)
    _held(monkeypatch)
    cli("committee", "record", "--date", MEETING, "1", "--decision", "denied")
    assert json.loads(cli("file", "show", "1", "-f", "json").stdout)["decision"] == "denied"


def _roster_credentialed(cli, tmp_path, number: str, on: str) -> None:
    """A roster import records ``number`` as credentialed (initial and last) on ``on``."""
    from rosters import write_csv

    rows = [
        ["NPI", "Last Name", "First Name", "Initial Cred Date", "Last Cred Date"],
        [number, "Ames", "Pat", on, on],
    ]
    cli("intake", "roster", str(write_csv(tmp_path / "panel.csv", rows)))


@pytest.mark.parametrize("decision", ["approved", "denied", "deferred"])
def test_no_decision_is_dated_before_the_provider_s_last_approval(
    cli, db, tmp_path, monkeypatch, decision
) -> None:
    _ready(cli, db, npi(1), "Ames", verified_on="2026-10-02")
    _roster_credentialed(cli, tmp_path, npi(1), "2026-11-15")
    _held(monkeypatch)
    result = cli("committee", "record", "--date", "2026-11-01", "1", "--decision", decision, code=2)
    assert result.stderr == (
        f"error: date '2026-11-01': is before the last approval of Ames, Pat MD (NPI {npi(1)}) "
        "on 2026-11-15; a decision on file #1 is dated on or after it (a meeting of 2026-11-15 "
        "or later)\n"
    )
    provider = _provider(cli, npi(1))
    assert (provider["initial_cred_date"], provider["last_cred_date"]) == (
        "2026-11-15",
        "2026-11-15",
    )
    assert cli("committee", "minutes", "--date", "2026-11-01", code=2).stderr == (
        "error: no committee meeting on 2026-11-01 in the registry\n"
    )


def test_a_decision_on_the_day_of_the_last_approval_is_recorded(
    cli, db, tmp_path, monkeypatch
) -> None:
    _ready(cli, db, npi(1), "Ames", verified_on="2026-10-02")
    _roster_credentialed(cli, tmp_path, npi(1), "2026-11-15")
    _held(monkeypatch)
    cli("committee", "record", "--date", "2026-11-15", "1", "--decision", "approved")
    assert _provider(cli, npi(1))["next_recred_due"] == "2029-11-15"


def test_an_approval_waits_for_the_outstanding_items(cli, db, monkeypatch) -> None:
    _ready(cli, db, npi(1), "Ames")
    cli("file", "request", "1", "CV with gaps explained", "--date", "2026-11-01")
    _held(monkeypatch)
    result = cli("committee", "record", "--date", MEETING, "1", "--decision", "approved", code=2)
    assert result.stderr == (
        "error: file #1 (Ames, Pat MD) cannot be approved on 2026-12-10: the file is not "
        "complete, 1 item still outstanding: #1 CV with gaps explained (requested 2026-11-01); "
        "record it received ('credcli file receive 1') or waive it ('credcli file waive 1 "
        "--note ...')\n"
    )
    cli("file", "request", "1", "DEA copy", "--date", "2026-11-02")
    result = cli("committee", "record", "--date", MEETING, "1", "--decision", "approved", code=2)
    assert result.stderr == (
        "error: file #1 (Ames, Pat MD) cannot be approved on 2026-12-10: the file is not "
        "complete, 2 items still outstanding: #1 CV with gaps explained (requested 2026-11-01), "
        "#2 DEA copy (requested 2026-11-02); record each received ('credcli file receive "
        "ITEM_ID') or waive it ('credcli file waive ITEM_ID --note ...')\n"
    )
    assert _provider(cli, npi(1))["status"] == "applicant"
    cli("file", "receive", "1", "--date", "2026-11-20")
    cli("file", "waive", "2", "--note", "does not prescribe", "--date", "2026-11-20")
    cli("committee", "record", "--date", MEETING, "1", "--decision", "approved")
    assert _provider(cli, npi(1))["status"] == "active"


def test_an_approval_is_not_dated_before_the_last_item_arrived(cli, db, monkeypatch) -> None:
    _ready(cli, db, npi(1), "Ames")
    cli("file", "request", "1", "privileges letter", "--date", "2026-11-01")
    _held(monkeypatch)
    cli("file", "receive", "1", "--date", "2026-12-10")
    result = cli("committee", "record", "--date", "2026-12-09", "1", "--decision", "approved",
                 code=2)  # fmt: skip
    assert result.stderr == (
        "error: file #1 (Ames, Pat MD) cannot be approved on 2026-12-09: the file was not "
        "complete at that meeting: #1 privileges letter (received 2026-12-10) closed after "
        "it; an approval is dated on or after the day its last item arrived\n"
    )
    cli("committee", "record", "--date", MEETING, "1", "--decision", "approved")


def test_a_denial_closes_the_outstanding_items_as_a_withdrawal_does(cli, db, monkeypatch) -> None:
    _ready(cli, db, npi(1), "Ames")
    cli(
        "file",
        "request",
        "1",
        "CV with gaps explained",
        "--due",
        "2026-11-10",
        "--date",
        "2026-11-01",
    )
    _held(monkeypatch)
    before = cli("expire-check", "--include-applicants", "--kind", "item", "-f", "json", code=1)
    assert [row["kind"] for row in json.loads(before.stdout)] == ["item"]
    result = cli("committee", "record", "--date", MEETING, "1", "--decision", "denied")
    assert result.stderr == (
        f"file #1 Ames, Pat MD (NPI {npi(1)}): denied on 2026-12-10; decision notice due "
        "2027-01-09; 1 outstanding item closed\n"
    )
    shown = json.loads(cli("file", "show", "1", "-f", "json").stdout)
    assert [(i["status"], i["received_on"]) for i in shown["items"]] == [("waived", None)]
    assert [(h["on"], h["kind"], h["to"], h["note"]) for h in shown["history"][-1:]] == [
        ("2026-12-10", "waive", "CV with gaps explained", "file denied"),
    ]
    after = cli("expire-check", "--include-applicants", "--kind", "item")
    assert after.stderr == "nothing expired or due within 90 days of 2026-12-10\n"


def test_a_denial_cannot_predate_the_request_of_an_item_it_closes(cli, db, monkeypatch) -> None:
    _ready(cli, db, npi(1), "Ames")
    cli("file", "request", "1", "peer reference", "--date", "2026-11-20")
    _held(monkeypatch)
    result = cli("committee", "record", "--date", "2026-11-19", "1", "--decision", "denied", code=2)
    assert result.stderr == (
        "error: date '2026-11-19': is before item #1 (peer reference) of file #1 was requested "
        "(2026-11-20); a denial closes the items still outstanding, so date it on or after "
        "their requests\n"
    )
    assert json.loads(cli("file", "show", "1", "-f", "json").stdout)["items"][0]["status"] == (
        "open"
    )
