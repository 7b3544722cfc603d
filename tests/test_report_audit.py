"""``report audit``: every finding on files whose verifications were written by hand."""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from credcli.db.engine import resolve
from registry_builder import Builder, build

AS_OF = ("--as-of", "2026-07-02")


def _registry(b: Builder) -> None:
    # Ana: license CA, DEA, board; approved 2026-03-02 (120-day rule).
    ana = b.provider("Diaz", "Ana")
    b.credential(ana, "license", "CA")
    b.credential(ana, "dea")
    b.credential(ana, "board")
    b.verify(ana, "license:CA", "2026-01-01")
    b.verify(ana, "dea", "2025-11-01")  # 121 days before the decision
    b.verify(ana, "board", "2025-11-02")  # 120 days: still in time
    b.verify(ana, "malpractice", "2026-02-01", result="not-found")
    b.verify(ana, "work-history", "2026-03-10")  # after the decision: does not count
    b.verify(ana, "npdb", "2026-03-02")
    b.verify(ana, "attestation", "2025-09-02")  # 181 days
    b.file(
        ana, received="2026-01-02", decisions=[("2026-03-02", "approved")], notice="2026-04-02"
    )  # 31 days
    # Ben: license NY, board; denied 2025-06-15, so the 180-day PSV limit applies.
    ben = b.provider("Okafor", "Ben")
    b.credential(ben, "license", "NY")
    b.credential(ben, "board")
    for element in ("license:NY", "board", "malpractice", "work-history", "npdb", "attestation"):
        b.verify(ben, element, "2025-01-01")  # 165 days before the decision
    b.file(
        ben,
        received="2025-01-02",
        cycle="recredential",
        decisions=[("2025-06-15", "denied")],
        notice="2025-07-15",
    )  # day 30
    # Cy: no credentials on file; everything verified; approved 2026-06-01, no notice yet.
    cy = b.provider("Young", "Cy")
    for element in (
        "license",
        "education",
        "training",
        "malpractice",
        "work-history",
        "npdb",
        "attestation",
    ):
        b.verify(cy, element, "2026-05-01")
    b.file(cy, received="2026-04-01", decisions=[("2026-06-01", "approved")])
    # Not audited: a deferred file and an open one.
    b.file(b.provider("Deferred"), received="2026-01-01", decisions=[("2026-02-01", "deferred")])
    b.file(b.provider("Open"), received="2026-05-01")


FINDINGS = [
    (1, "dea", "time limit", "verified 2025-11-01, 121 days before the decision (limit 120)"),
    (1, "malpractice", "verified", "source could not confirm it (2026-02-01)"),
    (1, "work-history", "present", "no verification on or before the decision"),
    (
        1,
        "attestation",
        "attestation age",
        "verified 2025-09-02, 181 days before the decision (limit 180)",
    ),
    (
        1,
        "screening",
        "screening within 30 days",
        "screening evidence is not recorded in this registry",
    ),
    (1, "decision notice", "notice within 30 days", "sent 2026-04-02, 31 days after the decision"),
    (
        2,
        "screening",
        "screening within 30 days",
        "screening evidence is not recorded in this registry",
    ),
    (
        3,
        "screening",
        "screening within 30 days",
        "screening evidence is not recorded in this registry",
    ),
    (3, "decision notice", "notice within 30 days", "no notice sent; it was due 2026-07-01"),
]


@pytest.fixture
def audited(cli, db):
    with build(db) as b:
        _registry(b)
    result = cli("report", "audit", *AS_OF, "--format", "json", code=1)
    return json.loads(result.stdout)


def test_each_failure_is_one_finding(audited) -> None:
    assert [
        (f["file_id"], f["element"], f["rule"], f["detail"]) for f in audited["findings"]
    ] == FINDINGS
    first = audited["findings"][0]
    assert (first["npi"], first["provider"], first["decision"], first["decision_on"]) == (
        audited["files"][0]["npi"],
        "Diaz, Ana",
        "approved",
        "2026-03-02",
    )


def test_summary_gives_the_pass_rate_per_element(audited) -> None:
    assert [
        (s["element"], s["checked"], s["passed"], s["failed"], s["pass_rate_percent"])
        for s in audited["summary"]
    ] == [
        ("license", 3, 3, 0, 100.0),
        ("dea", 1, 0, 1, 0.0),
        ("board", 2, 2, 0, 100.0),
        ("education", 1, 1, 0, 100.0),
        ("training", 1, 1, 0, 100.0),
        ("malpractice", 3, 2, 1, 66.7),
        ("work-history", 3, 2, 1, 66.7),
        ("npdb", 3, 3, 0, 100.0),
        ("attestation", 3, 2, 1, 66.7),
        ("screening", 3, 0, 3, 0.0),
        ("decision notice", 3, 1, 2, 33.3),
    ]
    assert (
        audited["decided_files"],
        audited["files_audited"],
        audited["finding_count"],
        audited["files_with_findings"],
        audited["files_passing"],
    ) == (3, 3, 9, 3, 0)


def test_a_notice_not_yet_due_is_not_a_finding(cli, db) -> None:
    with build(db) as b:
        _registry(b)
    data = json.loads(
        cli("report", "audit", "--as-of", "2026-06-20", "--format", "json", code=1).stdout
    )
    cy = [f for f in data["findings"] if f["file_id"] == 3]
    assert [f["element"] for f in cy] == ["screening"]
    notices = [s for s in data["summary"] if s["element"] == "decision notice"][0]
    assert (notices["checked"], notices["passed"]) == (2, 1)


def _add_screening_runs(db: str, days: list[str]) -> None:
    import datetime as dt

    from sqlalchemy.orm import Session

    from credcli.db.models import ScreeningRun

    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with Session(engine) as session, session.begin():
        for day in days:
            session.add(
                ScreeningRun(
                    run_by="tester",
                    as_of=dt.date.fromisoformat(day),
                    lists="leie,sam",
                    versions="{}",
                    screened=3,
                    strong=0,
                    possible=0,
                    ruled_out=0,
                    new_hits=0,
                    open_hits=0,
                )
            )
    engine.dispose()


def test_screening_runs_on_record_are_checked_against_the_30_days_before_each_decision(
    cli, db
) -> None:
    with build(db) as b:
        _registry(b)
    _add_screening_runs(db, ["2026-01-30", "2026-02-15", "2026-05-02"])
    data = json.loads(cli("report", "audit", *AS_OF, "--format", "json", code=1).stdout)
    screening = [
        (f["file_id"], f["detail"]) for f in data["findings"] if f["element"] == "screening"
    ]
    # Ana (03-02): 02-15 is inside; Cy (06-01): 05-02 is day 30, inside; Ben (2025-06-15): none.
    assert screening == [
        (2, "no screening run between 2025-05-16 and the decision (no earlier run)"),
    ]


def test_files_in_the_period_only(cli, db) -> None:
    with build(db) as b:
        _registry(b)
    data = json.loads(
        cli(
            "report",
            "audit",
            *AS_OF,
            "--from",
            "2026-01-01",
            "--to",
            "2026-03-31",
            "--format",
            "json",
            code=1,
        ).stdout
    )
    assert [f["file_id"] for f in data["files"]] == [1]


def test_a_clean_audit_exits_0(cli, db) -> None:
    with build(db) as b:
        _registry(b)
    result = cli("report", "audit", *AS_OF, "--from", "2027-01-01", "--to", "2027-12-31")
    assert result.stderr == "no decided files to audit\n"


def test_table_and_csv_output(cli, db) -> None:
    with build(db) as b:
        _registry(b)
    table = cli("report", "audit", *AS_OF, code=1).stdout
    assert table.startswith("File audit: 3 of 3 decided files; 0 pass every check, 9 findings\n")
    assert "Pass rate by element" in table and "Findings" in table
    rows = cli("report", "audit", *AS_OF, "--format", "csv", code=1).stdout.splitlines()
    assert rows[0] == "file_id,npi,provider,decision,decision_on,element,rule,detail"
    assert len(rows) == 1 + len(FINDINGS)
    assert rows[3].endswith(",work-history,present,no verification on or before the decision")


def test_audit_workbook(cli, db, tmp_path) -> None:
    from openpyxl import load_workbook

    with build(db) as b:
        _registry(b)
    target = tmp_path / "audit.xlsx"
    cli("report", "audit", *AS_OF, "--xlsx", str(target), "--format", "json", code=1)
    book = load_workbook(target)
    assert book.sheetnames == ["Audit", "Pass rate by element", "Findings", "Files"]
    assert book["Findings"].max_row == 1 + len(FINDINGS)
    rates = list(book["Pass rate by element"].iter_rows(min_row=2, values_only=True))
    assert rates[5] == ("malpractice", 3, 2, 1, 66.7)
    assert len(book["Pass rate by element"]._charts) == 1


def _many_decided_files(db: str, count: int) -> None:
    with build(db) as b:
        for number in range(count):
            b.file(
                b.provider(f"P{number}"),
                received="2026-01-01",
                decisions=[("2026-02-01", "approved")],
                events=False,
            )


def test_a_seeded_sample_is_reproducible(cli, db) -> None:
    _many_decided_files(db, 12)

    def sampled(*args: str) -> list[int]:
        out = cli("report", "audit", "--sample", "4", *args, "--format", "json", code=1).stdout
        return [f["file_id"] for f in json.loads(out)["files"]]

    expected = sorted(random.Random(7).sample(list(range(1, 13)), 4))
    assert sampled("--seed", "7") == expected
    assert sampled("--seed", "7") == expected
    assert sampled("--seed", "8") == sorted(random.Random(8).sample(list(range(1, 13)), 4))
    assert sampled("--seed", "8") != expected


def test_an_unseeded_sample_prints_the_seed_that_repeats_it(cli, db) -> None:
    _many_decided_files(db, 12)
    result = cli("report", "audit", "--sample", "3", "--format", "json", code=1)
    data = json.loads(result.stdout)
    assert result.stderr == (
        f"sample seed {data['seed']}: repeat this sample with --seed {data['seed']}\n"
    )
    again = cli(
        "report", "audit", "--sample", "3", "--seed", str(data["seed"]), "--format", "json", code=1
    )
    assert json.loads(again.stdout)["files"] == data["files"]
    assert (data["sample"], data["files_audited"], data["decided_files"]) == (3, 3, 12)


def test_a_sample_larger_than_the_files_audits_them_all(cli, db) -> None:
    _many_decided_files(db, 3)
    data = json.loads(
        cli("report", "audit", "--sample", "10", "--seed", "1", "--format", "json", code=1).stdout
    )
    assert (data["files_audited"], data["sample"], data["seed"]) == (3, None, None)


def test_bad_sample_sizes_and_dates_are_refused(cli, db) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    assert cli("report", "audit", "--sample", "0", code=2).stderr == (
        "error: --sample 0: give a number of files of at least 1\n"
    )
    assert cli("report", "audit", "--as-of", "yesterday-ish", code=2).stderr == (
        "error: --as-of 'yesterday-ish': is not a date (try YYYY-MM-DD)\n"
    )


def test_checklists_in_bulk_match_one_at_a_time(db) -> None:
    import datetime as dt

    from credcli.services import checklist, registry

    with build(db) as b:
        _registry(b)
    with registry.session(db) as session:
        from credcli.db.models import Provider

        ana, ben = session.query(Provider).order_by(Provider.id).limit(2).all()
        days = [dt.date(2026, 3, 2), dt.date(2026, 3, 12), dt.date(2025, 6, 15)]
        requests = [
            (ana.id, ana.npi, days[0]),
            (ana.id, ana.npi, days[1]),
            (ben.id, ben.npi, days[2]),
        ]
        bulk = checklist.for_many(session, requests)
        single = [
            checklist.for_provider(session, p, d)
            for p, d in ((ana, days[0]), (ana, days[1]), (ben, days[2]))
        ]
    assert bulk == single
    states = {e.element: e.state.value for e in bulk[1].elements}
    assert states["work-history"] == "current"  # verified 03-10, after the decision of 03-02
    assert {e.element: e.state.value for e in bulk[0].elements}["work-history"] == "missing"


def _a_moment_later() -> None:
    """Let the registry's clock (whole seconds) move on: what follows is recorded later."""
    import datetime as dt
    import time

    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    while dt.datetime.now(dt.UTC).replace(microsecond=0) == start:
        time.sleep(0.05)


ANA = "1234567893"
VERIFIED = ("license:CA", "education", "training", "malpractice", "work-history", "npdb")


def _decided_on_2026_04_20(
    cli, monkeypatch, decision: str = "approved", dea_verified: str | None = None
) -> None:
    """Ana, with a CA license issued in 2015 (and a DEA registration when ``dea_verified``),
    every element verified 2026-04-01, screened, decided 2026-04-20, notice sent the next
    day. The decision is recorded on 2026-04-21, dated the day before."""
    from pipeline_helpers import screened

    monkeypatch.setenv("CREDCLI_TODAY", "2026-04-02")
    cli(
        "intake",
        "new",
        "--npi",
        ANA,
        "--first",
        "Ana",
        "--last",
        "Diaz",
        "--received",
        "2026-03-01",
    )
    cli(
        "credential", "add", ANA, "--kind", "license", "--state", "CA", "--number", "A1",
        "--issued", "2015-01-01", "--expires", "2027-01-31",
    )  # fmt: skip
    elements = [*VERIFIED, "attestation"]
    if dea_verified:
        cli("credential", "add", ANA, "--kind", "dea", "--number", "AP5836727")  # no issue date
        cli("verify", "record", ANA, "dea", "--method", "web", "--date", dea_verified)
    cli("file", "stage", "1", "verification", "--date", "2026-03-02")
    for element in elements:
        cli("verify", "record", ANA, element, "--method", "web", "--date", "2026-04-01")
    cli("file", "stage", "1", "committee-ready", "--date", "2026-04-02")
    screened(cli, "2026-04-02")
    monkeypatch.setenv("CREDCLI_TODAY", "2026-04-21")
    cli("committee", "record", "--date", "2026-04-20", "1", "--decision", decision)
    cli("file", "notice", "1", "--sent", "2026-04-21")


def test_credentials_added_after_the_decision_are_not_required_of_the_decided_file(
    cli, db, monkeypatch
) -> None:
    _decided_on_2026_04_20(cli, monkeypatch)
    _a_moment_later()
    monkeypatch.setenv("CREDCLI_TODAY", "2026-11-15")
    cli(
        "credential", "add", ANA, "--kind", "license", "--state", "NV", "--number", "N1",
        "--issued", "2026-11-01", "--expires", "2028-01-31",
    )  # fmt: skip
    cli("credential", "add", ANA, "--kind", "dea", "--number", "AP5836727")  # no issue date
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    result = cli("report", "audit", "--format", "csv")
    assert result.stdout == "file_id,npi,provider,decision,decision_on,element,rule,detail\n"
    summary = json.loads(cli("report", "audit", "--format", "json").stdout)["summary"]
    assert [(s["element"], s["checked"], s["passed"]) for s in summary][:2] == [
        ("license", 1, 1),
        ("education", 1, 1),
    ]
    metrics = json.loads(
        cli("report", "metrics", "--from", "2026-04-01", "--to", "2026-04-30", "-f", "json").stdout
    )
    assert metrics["audit_findings"] == {
        "files_audited": 1,
        "findings": 0,
        "files_with_findings": 0,
    }


def test_what_the_provider_held_at_the_decision_is_required_even_if_recorded_late(
    cli, db, monkeypatch
) -> None:
    # The DEA registration was on file before the decision was recorded (dated in the past):
    # its stale verification is a finding. The NV license was recorded after the decision,
    # but issued years before it: the provider held it, and it was never verified.
    _decided_on_2026_04_20(cli, monkeypatch, decision="denied", dea_verified="2025-11-01")
    _a_moment_later()
    cli(
        "credential", "add", ANA, "--kind", "license", "--state", "NV", "--number", "N1",
        "--issued", "2020-01-01",
    )  # fmt: skip
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    result = cli("report", "audit", "--format", "csv", code=1)
    assert result.stdout == (
        "file_id,npi,provider,decision,decision_on,element,rule,detail\n"
        '1,1234567893,"Diaz, Ana",denied,2026-04-20,license:NV,present,'
        "no verification on or before the decision\n"
        '1,1234567893,"Diaz, Ana",denied,2026-04-20,dea,time limit,'
        '"verified 2025-11-01, 170 days before the decision (limit 120)"\n'
    )
