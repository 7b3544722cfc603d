import datetime as dt
import json
import stat
from pathlib import Path

import pytest

import expiry_data as data
from credcli.services import checklist, registry
from credcli.services import expiry as expiry_service

AS_OF = dt.date(2026, 11, 23)


def day(offset: int) -> dt.date:
    return AS_OF + dt.timedelta(days=offset)


def check(cli, *args: str, code: int = 1, as_of: str = "2026-11-23") -> list[dict]:
    result = cli("expire-check", "--as-of", as_of, "--format", "json", *args, code=code)
    return json.loads(result.stdout)


def brief(rows: list[dict]) -> list[tuple]:
    return [(r["npi"], r["kind"], r["due"], r["days_left"], r["band"]) for r in rows]


def test_nothing_found_exits_0_and_says_so(cli, db) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    result = cli("expire-check", "--as-of", "2026-11-23", code=0)
    assert result.stdout == ""
    assert result.stderr == "nothing expired or due within 90 days of 2026-11-23\n"
    assert cli("expire-check", "--format", "json", code=0).stdout == "[]\n"


def test_quiet_prints_nothing_when_nothing_is_found(cli, db) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    for fmt in ("table", "json", "csv"):
        result = cli("expire-check", "--quiet", "--format", fmt, code=0)
        assert (result.stdout, result.stderr) == ("", "")


def test_quiet_still_prints_what_it_finds(cli, db) -> None:
    ana = data.provider(db, 1, "Diaz", first="Ana")
    data.credential(db, ana, "license", state="CA", number="A1", expires_on=day(3))
    result = cli("expire-check", "--quiet", "--as-of", "2026-11-23", "--format", "csv", code=1)
    assert result.stdout == (
        "band,days_left,due,npi,provider,kind,item,ref\n"
        f'7,3,2026-11-26,{ana},"Diaz, Ana MD",license,state license CA A1,credential:1\n'
    )


def test_window_edges_day_0_last_day_in_day_after_out(cli, db) -> None:
    ana = data.provider(db, 1, "Diaz", first="Ana")
    for offset in (-1, 0, 7, 8, 14, 15, 30, 31, 60, 61, 90, 91):
        data.credential(db, ana, "board", issuer="ABIM", expires_on=day(offset))
    rows = check(cli)
    assert [(r["days_left"], r["band"]) for r in rows] == [
        (-1, "expired"),
        (0, "7"),
        (7, "7"),
        (8, "14"),
        (14, "14"),
        (15, "30"),
        (30, "30"),
        (31, "60"),
        (60, "60"),
        (61, "90"),
        (90, "90"),
    ]
    assert len(check(cli, "--within", "91")) == 12
    assert check(cli, "--within", "91")[-1]["band"] == "later"
    assert [r["days_left"] for r in check(cli, "--within", "0")] == [-1, 0]


def test_json_rows_carry_every_field(cli, db) -> None:
    ana = data.provider(db, 1, "Diaz", first="Ana")
    cid = data.credential(
        db, ana, "dea", number="AP5836727", state="CA", expires_on=dt.date(2026, 11, 1)
    )
    assert check(cli) == [
        {
            "band": "expired",
            "days_left": -22,
            "due": "2026-11-01",
            "npi": ana,
            "provider": "Diaz, Ana MD",
            "kind": "dea",
            "item": "DEA registration CA AP5836727",
            "ref": f"credential:{cid}",
        }
    ]


def test_json_text_is_what_json_dumps_writes(cli, db) -> None:
    """Names are composed in SQL and the JSON is written by hand for speed: quotes,
    backslashes, control characters, accents, empty and missing parts must come out
    exactly as json.dumps and the Python rules would write them."""
    odd = data.provider(db, 1, 'O"Brien\\', first="Zoë\t", degree="")
    plain = data.provider(db, 2, "Ng", first="Al", degree=None)
    data.credential(
        db, odd, "other", issuer='Board "X"\n', detail="", number="№ 5", expires_on=day(3)
    )
    data.credential(db, plain, "license", state="CA", expires_on=day(4))
    result = cli("expire-check", "--as-of", "2026-11-23", "--format", "json", code=1)
    rows = json.loads(result.stdout)
    assert result.stdout == json.dumps(rows, ensure_ascii=False) + "\n"
    assert [(r["provider"], r["item"]) for r in rows] == [
        ('O"Brien\\, Zoë\t', 'other Board "X"\n № 5'),
        ("Ng, Al", "state license CA"),
    ]


@pytest.mark.parametrize("count", [0, 1, 2, 3, 5])
def test_json_written_in_chunks_is_one_list(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    import io

    from credcli.cli import expire_check

    monkeypatch.setattr(expire_check, "_JSON_CHUNK", 2)
    rows = [
        {
            "band": "7",
            "days_left": n,
            "due": "2026-11-23",
            "npi": "1234567893",
            "provider": f'Diaz "{n}", Ana',
            "kind": "license",
            "item": "state license\\CA",
            "ref": f"credential:{n}",
        }
        for n in range(count)
    ]
    out = io.StringIO()
    expire_check._write_json(out, rows)
    assert out.getvalue() == json.dumps(rows, ensure_ascii=False) + "\n"


def test_terminated_applicant_and_inactive_providers_are_left_out(cli, db) -> None:
    active = data.provider(db, 1, "Active")
    gone = data.provider(db, 2, "Gone", status="terminated", terminated_on=day(-10))
    new = data.provider(db, 3, "New", status="applicant")
    away = data.provider(db, 4, "Away", status="inactive")
    for number in (active, gone, new, away):
        data.credential(db, number, "malpractice", issuer="MedPro", expires_on=day(5))
    assert [r["npi"] for r in check(cli)] == [active]
    assert [r["npi"] for r in check(cli, "--include-applicants")] == [active, new]


def test_provider_not_checked_by_status_is_named_not_answered_empty(cli, db) -> None:
    gone = data.provider(db, 2, "Gone", status="terminated", terminated_on=day(-10))
    new = data.provider(db, 3, "New", status="applicant")
    data.credential(db, new, "malpractice", issuer="MedPro", expires_on=day(5))
    applicant = cli("expire-check", "--provider", new, code=2)
    assert applicant.stderr == (
        f"error: NPI {new} is an applicant; add --include-applicants to check applicants\n"
    )
    assert [r["npi"] for r in check(cli, "--provider", new, "--include-applicants")] == [new]
    terminated = cli("expire-check", "--provider", gone, "--include-applicants", code=2)
    assert terminated.stderr == (
        f"error: NPI {gone} is terminated; expire-check checks active providers (and "
        "applicants with --include-applicants) only\n"
    )


def test_inactive_and_revoked_credentials_are_left_out(cli, db) -> None:
    ana = data.provider(db, 1, "Diaz")
    data.credential(db, ana, "license", state="NY", status="inactive", expires_on=day(-5))
    data.credential(db, ana, "license", state="NJ", status="revoked", expires_on=day(-5))
    data.credential(db, ana, "license", state="CA", status="expired", expires_on=day(-5))
    assert [r["item"] for r in check(cli)] == ["state license CA"]


def test_recredentialing_36_months_from_a_leap_day(cli, db) -> None:
    ana = data.provider(db, 1, "Diaz", last_cred_date=dt.date(2024, 2, 29))
    expected = {
        "2026-11-30": [(ana, "recredential", "2027-02-28", 90, "90")],
        "2026-11-29": [],
        "2027-02-28": [(ana, "recredential", "2027-02-28", 0, "7")],
    }
    for as_of, rows in expected.items():
        found = check(cli, as_of=as_of, code=1 if rows else 0)
        assert brief(found) == rows
    assert check(cli, as_of="2027-02-28")[0]["item"] == "recredentialing due"


def test_recredentialing_late_window_edges(cli, db) -> None:
    data.provider(db, 1, "Diaz", last_cred_date=dt.date(2024, 2, 29))
    items = {
        as_of: check(cli, "--kind", "recredential", as_of=as_of)[0]["item"]
        for as_of in ("2027-03-01", "2027-03-30", "2027-03-31")
    }
    assert items == {
        "2027-03-01": "recredentialing overdue: decide by 2027-03-30 (30-day late window)",
        "2027-03-30": "recredentialing overdue: decide by 2027-03-30 (30-day late window)",
        "2027-03-31": "recredentialing lapsed: initial credentialing required",
    }


def test_recredentialing_from_a_month_end_and_a_recorded_due_date(cli, db) -> None:
    jan = data.provider(db, 1, "January", last_cred_date=dt.date(2023, 1, 31))
    set_ = data.provider(
        db, 2, "Recorded", last_cred_date=dt.date(2023, 1, 31), next_recred_due=day(10)
    )
    first = data.provider(db, 3, "Initial", initial_cred_date=dt.date(2023, 2, 28))
    rows = check(cli, "--kind", "recredential", as_of="2025-12-31")
    assert brief(rows) == [
        (jan, "recredential", "2026-01-31", 31, "60"),
        (first, "recredential", "2026-02-28", 59, "60"),
    ]
    rows = check(cli, "--kind", "recredential")
    assert brief(rows) == [
        (jan, "recredential", "2026-01-31", -296, "expired"),
        (first, "recredential", "2026-02-28", -268, "expired"),
        (set_, "recredential", "2026-12-03", 10, "14"),
    ]
    assert rows[0]["item"] == "recredentialing lapsed: initial credentialing required"
    rows = check(cli, "--kind", "recredential", as_of="2026-02-27")
    assert brief(rows) == [
        (jan, "recredential", "2026-01-31", -27, "expired"),
        (first, "recredential", "2026-02-28", 1, "7"),
    ]


def test_privileges_24_months_and_caqh_attestation_120_days(cli, db) -> None:
    ana = data.provider(db, 1, "Diaz")
    data.credential(db, ana, "privileges", issuer="General", issued_on=dt.date(2024, 12, 31))
    data.credential(db, ana, "privileges", issuer="Mercy", issued_on=dt.date(2020, 1, 1))
    data.credential(db, ana, "privileges", issuer="St Luke", issued_on=day(-30), expires_on=day(20))
    data.credential(db, ana, "attestation", issued_on=dt.date(2026, 8, 1))
    data.credential(db, ana, "attestation", issued_on=day(-30))
    data.credential(db, ana, "attestation", issued_on=day(-29))  # due in 91 days
    rows = check(cli)
    assert [(r["item"], r["due"], r["band"]) for r in rows] == [
        ("hospital privileges Mercy", "2022-01-01", "expired"),
        ("CAQH attestation", "2026-11-29", "7"),
        ("hospital privileges St Luke", "2026-12-13", "30"),
        ("hospital privileges General", "2026-12-31", "60"),
        ("CAQH attestation", "2027-02-21", "90"),
    ]


def test_payer_recredentialing_and_overdue_items(cli, db) -> None:
    ana = data.provider(db, 1, "Diaz")
    data.enrollment(db, ana, "Aetna", day(45))
    data.enrollment(db, ana, "Cigna", day(-3), status="denied")
    file_id = data.open_file(db, ana, day(-60))
    data.item(db, file_id, "signed attestation", day(-1))
    data.item(db, file_id, "CV with gaps explained", day(0))
    data.item(db, file_id, "malpractice face sheet", day(-10), status="received")
    rows = check(cli, "--kind", "payer", "--kind", "item")
    assert [(r["kind"], r["item"], r["days_left"]) for r in rows] == [
        ("item", f"outstanding item: signed attestation (file #{file_id})", -1),
        ("payer", "payer recredentialing: Aetna", 45),
    ]


def test_kind_and_provider_filters(cli, db) -> None:
    ana = data.provider(db, 1, "Diaz")
    ben = data.provider(db, 2, "Okafor")
    data.credential(db, ana, "license", state="CA", expires_on=day(5))
    data.credential(db, ben, "dea", number="AJ5184279", expires_on=day(6))
    assert [r["npi"] for r in check(cli, "--provider", ben)] == [ben]
    assert [r["kind"] for r in check(cli, "--kind", "license")] == ["license"]
    assert check(cli, "--kind", "board", code=0) == []
    bad = cli("expire-check", "--provider", "1234567898", code=2)
    assert bad.stderr == ("error: npi '1234567898': check digit does not match (mistyped NPI?)\n")
    missing = cli("expire-check", "--provider", data.npi(9), code=2)
    assert missing.stderr == f"error: no provider with NPI {data.npi(9)} in the registry\n"


def test_bad_as_of_is_refused(cli, db) -> None:
    result = cli("expire-check", "--as-of", "2026-02-30", code=2)
    assert result.stderr == "error: --as-of '2026-02-30': is not a real calendar date\n"


def test_table_groups_by_urgency_expired_first(cli, db) -> None:
    ana = data.provider(db, 1, "Diaz", first="Ana")
    data.credential(db, ana, "license", state="CA", expires_on=day(40))
    data.credential(db, ana, "dea", number="AP5836727", expires_on=day(-2))
    data.credential(db, ana, "board", issuer="ABIM", expires_on=day(3))
    out = cli("expire-check", "--as-of", "2026-11-23", code=1).stdout
    titles = [line.strip() for line in out.splitlines() if "(" in line and "│" not in line]
    assert titles == ["Expired or past due (1)", "Within 7 days (1)", "Within 60 days (1)"]
    assert "DEA registration AP5836727" in out


def test_xlsx_is_written_privately(cli, db, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ana = data.provider(db, 1, "Diaz", first="Ana")
    data.credential(db, ana, "license", state="CA", expires_on=day(40))
    target = tmp_path / "expiring.xlsx"
    cli("expire-check", "--as-of", "2026-11-23", "--xlsx", str(target), "--quiet", code=1)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    sheet = load_workbook(target).active
    assert [c.value for c in sheet[1]] == [
        "Band",
        "Days left",
        "Due",
        "NPI",
        "Provider",
        "Kind",
        "Item",
    ]
    assert [c.value for c in sheet[2]] == [
        "60",
        40,
        dt.datetime(2027, 1, 2),
        ana,
        "Diaz, Ana MD",
        "license",
        "state license CA",
    ]


@pytest.mark.parametrize(
    "verified", [day(-200), day(-121), day(-120), day(-100), day(-31), day(-30), day(-10)]
)
def test_stale_verifications_agree_with_the_checklist(cli, db, verified: dt.date) -> None:
    ana = data.provider(db, 1, "Diaz")
    data.credential(db, ana, "license", state="CA", expires_on=day(700))
    data.credential(db, ana, "board", issuer="ABIM", expires_on=day(700))
    data.open_file(db, ana, day(-60))
    data.verification(db, ana, "license:CA", verified)
    data.verification(db, ana, "board", verified, result="discrepancy")
    data.verification(db, ana, "npdb", verified, result="unable")  # queue work, not age
    data.verification(db, ana, "license:NY", verified)  # not required: no NY license
    data.verification(db, ana, "attestation", verified)
    data.verification(db, ana, "malpractice", day(5))  # after the day asked about
    with registry.session(db) as session:
        from credcli.services import providers

        listed = checklist.for_provider(session, providers.find(session, ana), AS_OF)
    limit = day(90)
    expected = sorted(
        (e.valid_until.isoformat(), e.element, e.state.value)
        for e in listed.elements
        if e.valid_until is not None and e.valid_until <= limit and e.result != "unable"
    )
    rows = check(cli, "--kind", "verification", code=1 if expected else 0)
    found = sorted(
        (r["due"], r["item"].split()[2], "stale" if r["band"] == "expired" else "not stale")
        for r in rows
    )
    assert [(due, el) for due, el, _ in found] == [(due, el) for due, el, _ in expected]
    for (_, _, ours), (_, _, theirs) in zip(found, expected, strict=True):
        assert (ours == "stale") == (theirs == "stale")


def test_verifications_only_for_open_files(cli, db) -> None:
    ana = data.provider(db, 1, "Diaz")
    data.open_file(db, ana, day(-300), stage="decided")
    data.verification(db, ana, "npdb", day(-200))
    assert check(cli, "--kind", "verification", code=0) == []
    data.open_file(db, ana, day(-20))
    rows = check(cli, "--kind", "verification")
    assert [(r["item"], r["due"], r["band"]) for r in rows] == [
        ("verification of npdb (2026-05-07) too old for a decision", "2026-09-04", "expired")
    ]


def test_service_refuses_a_negative_window() -> None:
    from credcli.errors import InputError

    with pytest.raises(InputError, match="give a number of days"):
        expiry_service.make_query(as_of=AS_OF, within=-1)


def test_verifications_of_a_small_registry_agree_with_the_checklist(cli, db) -> None:
    """Several providers, credential mixes, repeated and failed verifications: every row
    must be an element the checklist requires, aged exactly as the checklist ages it."""
    from credcli.services import providers

    ages = [-400, -150, -121, -120, -119, -60, -31, -30, -29, -5, 0]
    results = ["verified", "discrepancy", "not-found", "verified", "unable"]
    numbers = []
    for n in range(1, 7):
        who = data.provider(db, n, f"Prov{n}", status="active" if n < 6 else "applicant")
        numbers.append(who)
        data.credential(db, who, "license", state="CA", expires_on=day(800))
        if n % 2:
            data.credential(db, who, "license", state="NY", expires_on=day(800))
            data.credential(db, who, "dea", number="AP5836727", expires_on=day(800))
        if n % 3:
            data.credential(db, who, "board", issuer="ABIM", expires_on=day(800))
        data.open_file(db, who, day(-90))
        elements = ["license:CA", "license:NY", "dea", "board", "education", "training"]
        elements += ["malpractice", "work-history", "npdb", "attestation"]
        for k, element in enumerate(elements):
            first = ages[(n + k) % len(ages)]
            data.verification(db, who, element, day(first - 10), results[k % len(results)])
            data.verification(db, who, element, day(first), results[(n + k) % len(results)])
    rows = check(cli, "--kind", "verification", "--include-applicants")
    found = sorted((r["npi"], r["item"].split()[2], r["due"], r["band"]) for r in rows)
    expected = []
    with registry.session(db) as session:
        for who in numbers:
            listed = checklist.for_provider(session, providers.find(session, who), AS_OF)
            for e in listed.elements:
                if e.result not in ("verified", "discrepancy") or e.valid_until is None:
                    continue
                if e.valid_until > day(90):
                    continue
                stale = e.state.value == "stale"
                band = (
                    "expired" if stale else expiry_service.expiry.band((e.valid_until - AS_OF).days)
                )
                expected.append((who, e.element, e.valid_until.isoformat(), band))
    assert found == sorted(expected)
    assert len(found) > 10


def test_a_date_edited_into_nonsense_outside_credcli_is_a_database_error(
    cli, tmp_path, monkeypatch
) -> None:
    import sqlite3

    path = tmp_path / "edited.db"
    monkeypatch.setenv("CREDCLI_DB", str(path))
    ana = data.provider(str(path), 1, "Diaz", first="Ana")
    data.credential(str(path), ana, "license", state="CA", expires_on=day(3))
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE credentials SET expires_on = '2026-02-30'")
    conn.close()
    result = cli("expire-check", "--as-of", "2026-11-23", "--format", "json", code=3)
    assert result.stderr == (
        f"error: registry {path} holds a value credcli cannot read ('2026-02-30': day is out "
        "of range for month): it was edited outside credcli; restore the last backup (README "
        "'Backups')\n"
    )


@pytest.mark.parametrize("as_of", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_an_as_of_outside_the_calendar_it_can_count_in_is_refused(cli, db, as_of) -> None:
    result = cli("expire-check", "--as-of", as_of, code=2)
    assert result.stderr == (
        f"error: --as-of '{as_of}': is out of range; give a date from 1900-01-01 to 2999-12-31\n"
    )


def test_the_farthest_as_of_and_window_still_answer(cli, db) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    assert check(cli, "--within", "3660", as_of="2999-12-31", code=0) == []
    assert check(cli, as_of="1900-01-01", code=0) == []


def test_a_blank_as_of_is_refused_not_taken_for_today(cli, db) -> None:
    # `--as-of "$DAY"` with DAY unset in a cron script must not quietly answer for today.
    cli("init")
    assert cli("expire-check", "--as-of", "", code=2).stderr == "error: --as-of '': is empty\n"
    assert cli("queue", "--as-of", " ", code=2).stderr == "error: as-of ' ': is empty\n"
