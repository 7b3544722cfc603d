import json
from pathlib import Path

from listfiles import leie_row, sam_row, write_leie, write_sam
from rosters import credentialed


def _provider(cli, npi: str, first: str, last: str, dob: str | None = None) -> None:
    args = ["intake", "new", "--npi", npi, "--first", first, "--last", last]
    cli(*args, *(["--dob", dob] if dob else []), "--received", "2026-11-02")


def _screen(cli, *args: str, code: int):
    result = cli("verify", "screen", "--as-of", "2026-11-23", "--format", "json", *args, code=code)
    return result, json.loads(result.stdout)


def _tiers(hits) -> list[tuple[str, str, str]]:
    return [(h["npi"], h["list"], h["tier"]) for h in hits]


def test_screen_needs_a_loaded_list(cli, db) -> None:
    result = cli("verify", "screen", code=2)
    assert result.stderr == (
        "error: no LEIE or SAM list is loaded; run 'credcli verify load leie FILE' first\n"
    )


def test_each_tier_and_ruled_out(cli, db, tmp_path: Path) -> None:
    _provider(cli, "1234567893", "Ana", "Diaz", "1980-02-03")  # name + DOB: strong
    _provider(cli, "1558598797", "John", "Smith")  # no DOB on file: possible
    _provider(cli, "1770626038", "Mary", "Jones", "1975-05-05")  # DOB differs: ruled out
    _provider(cli, "1003000126", "Kim", "Lee", "1990-01-01")  # NPI equal: strong
    _provider(cli, "1003000134", "Eve", "Stone", "1985-06-07")  # near name, DOB missing
    write_leie(
        tmp_path / "UPDATED.csv",
        [
            leie_row("DIAZ", "ANA", MIDNAME="M ", DOB="19800203"),
            leie_row("SMITH", "JOHN", MIDNAME="W JR", DOB="19700412"),
            leie_row("JONES", "MARY", DOB="19600101"),
            leie_row("NGUYEN", "PAT", NPI="1003000126"),
            leie_row("BROWN", "ALEX", DOB="19800203"),
        ],
    )
    write_sam(tmp_path / "sam.csv", [sam_row("STONES", "EVE"), sam_row("MILLER", "ROB")])
    cli("verify", "load", "leie", str(tmp_path / "UPDATED.csv"))
    cli("verify", "load", "sam", str(tmp_path / "sam.csv"))
    result, hits = _screen(cli, code=1)
    assert _tiers(hits) == [
        ("1234567893", "leie", "strong"),
        ("1558598797", "leie", "possible"),
        ("1003000126", "leie", "strong"),
        ("1003000134", "sam", "possible"),
    ]
    assert set(hits[0]) == {"hit", "npi", "list", "tier", "record"}
    assert hits[0]["record"]["MIDNAME"] == "M"
    assert hits[0]["record"]["DOB"] == "1980-02-03"
    assert hits[3]["record"]["Last"] == "STONES"
    assert "5 providers against LEIE UPDATED.csv" in result.stderr
    assert "2 strong, 2 possible, 1 ruled out; 4 new hits; 4 open hits" in result.stderr
    every = json.loads(cli("verify", "hits", "--all", "--format", "json").stdout)
    ruled = [h for h in every if h["status"] == "ruled-out"]
    assert [(h["npi"], h["reason"]) for h in ruled] == [
        ("1770626038", "name equal, date of birth differs")
    ]
    runs = json.loads(cli("verify", "runs", "--format", "json").stdout)
    assert (runs[0]["screened"], runs[0]["strong"], runs[0]["possible"]) == (5, 2, 2)
    assert runs[0]["versions"].startswith("LEIE: UPDATED.csv (")


def test_a_compound_given_name_matches_however_either_side_writes_it(
    cli, db, tmp_path: Path
) -> None:
    _provider(cli, "1234567893", "Mary-Jane", "Garcia", "1980-02-02")
    _provider(cli, "1558598797", "Annmarie", "Ortiz", "1981-03-03")
    _provider(cli, "1770626038", "Jean Luc", "Kim", "1982-04-04")
    _provider(cli, "1003000126", "Rose-Ann", "Park", "1983-05-05")
    write_leie(
        tmp_path / "UPDATED.csv",
        [
            leie_row("GARCIA", "MARYJANE", DOB="19800202"),
            leie_row("ORTIZ", "ANN-MARIE", DOB="19810303"),
            leie_row("KIM", "JEAN-LUC", DOB="19820404"),
            leie_row("PARK", "ROSE", DOB="19830505"),  # the list gives the first word only
        ],
    )
    cli("verify", "load", "leie", str(tmp_path / "UPDATED.csv"))
    result, hits = _screen(cli, code=1)
    assert _tiers(hits) == [
        ("1234567893", "leie", "strong"),
        ("1558598797", "leie", "strong"),
        ("1770626038", "leie", "strong"),
        ("1003000126", "leie", "strong"),
    ]
    assert "4 strong, 0 possible, 0 ruled out; 4 new hits; 4 open hits" in result.stderr


def test_dispositions_stick_until_the_record_changes(cli, db, tmp_path: Path) -> None:
    _provider(cli, "1234567893", "Ana", "Diaz")
    _provider(cli, "1558598797", "John", "Smith")
    leie = write_leie(
        tmp_path / "UPDATED.csv", [leie_row("DIAZ", "ANA"), leie_row("SMITH", "JOHN")]
    )
    cli("verify", "load", "leie", str(leie))
    _, first = _screen(cli, code=1)
    assert [h["hit"] for h in first] == [1, 2]
    cleared = cli("verify", "clear", "1", "--reason", "different person: other state")
    assert cleared.stderr == "hit #1 cleared by tester\n"
    again = cli("verify", "clear", "1", "--reason", "x", code=2)
    assert again.stderr.startswith("error: hit #1 is already cleared by tester on ")
    cli("verify", "clear", "2", "--reason", "licensed in another state, DOB differs")
    result, second = _screen(cli, code=0)
    assert second == []
    assert "0 new hits; 0 open hits" in result.stderr
    # the LEIE record for Diaz changes (a waiver added): raised again as a new open hit
    write_leie(
        leie,
        [leie_row("DIAZ", "ANA", WAIVERDATE="20261101", WVRSTATE="CA"), leie_row("SMITH", "JOHN")],
    )
    cli("verify", "load", "leie", str(leie))
    _, third = _screen(cli, code=1)
    assert [(h["hit"], h["npi"]) for h in third] == [(3, "1234567893")]
    assert third[0]["record"]["WVRSTATE"] == "CA"
    listed = json.loads(cli("verify", "hits", "--format", "json").stdout)
    assert [(h["hit"], h["status"]) for h in listed] == [(3, "open")]


def test_confirm_sets_the_provider_inactive(cli, db, tmp_path: Path) -> None:
    credentialed(cli, tmp_path, "1234567893", "Ana", "Diaz", dob="1980-02-03")
    leie = write_leie(tmp_path / "UPDATED.csv", [leie_row("DIAZ", "ANA", DOB="19800203")])
    cli("verify", "load", "leie", str(leie))
    _screen(cli, "--list", "leie", code=1)
    result = cli("verify", "confirm", "1", "--reason", "OIG confirmed by phone")
    assert result.stderr == (
        "warning: hit #1 confirmed: Diaz, Ana (NPI 1234567893) is on the LEIE exclusion list\n"
        "warning: NPI 1234567893: status active -> inactive\n"
    )
    shown = json.loads(cli("provider", "show", "1234567893", "--format", "json").stdout)
    assert (shown["status"], shown["notes"]) == ("inactive", "excluded: LEIE hit #1 confirmed")
    assert cli("verify", "hits").stderr == "no screening hits match\n"
    every = json.loads(cli("verify", "hits", "--all", "--format", "json").stdout)
    assert [(h["hit"], h["status"], h["disposed_by"]) for h in every] == [
        (1, "confirmed", "tester")
    ]
    _, after = _screen(cli, "--list", "leie", code=0)  # inactive providers are not screened
    assert after == []


def test_an_open_hit_whose_record_left_the_list_is_resolved(cli, db, tmp_path: Path) -> None:
    _provider(cli, "1234567893", "Ana", "Diaz")
    leie = write_leie(tmp_path / "UPDATED.csv", [leie_row("DIAZ", "ANA")])
    cli("verify", "load", "leie", str(leie))
    _screen(cli, code=1)
    write_leie(leie, [leie_row("BROWN", "ALEX")])
    cli("verify", "load", "leie", str(leie))
    _screen(cli, code=0)
    every = json.loads(cli("verify", "hits", "--all", "--format", "json").stdout)
    assert [(h["status"], h["disposition_reason"]) for h in every] == [
        ("resolved", "no longer matched in screening run 2")
    ]


def test_sam_exclusion_that_ended_is_not_a_match(cli, db, tmp_path: Path) -> None:
    _provider(cli, "1234567893", "Ana", "Diaz")
    write_sam(tmp_path / "sam.csv", [sam_row("DIAZ", "ANA", **{"Termination Date": "10/31/2026"})])
    cli("verify", "load", "sam", str(tmp_path / "sam.csv"), "--file-date", "2026-09-30")
    _, before = _screen(cli, "--list", "sam", "--as-of", "2026-10-01", code=1)
    assert _tiers(before) == [("1234567893", "sam", "possible")]
    _, after = _screen(cli, "--list", "sam", code=0)  # as of 2026-11-23
    assert after == []


def _csv(text: str) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text)))


def test_a_run_is_never_dated_before_its_lists_or_after_today(cli, db, tmp_path: Path) -> None:
    # A backdated run would stand in the file audit as screening done before a decision.
    write_leie(tmp_path / "UPDATED.csv", [leie_row("NOBODY", "NEVER")])
    cli("verify", "load", "leie", str(tmp_path / "UPDATED.csv"), "--file-date", "2026-11-20")
    result = cli("verify", "screen", "--as-of", "2026-03-01", code=2)
    assert result.stderr == (
        "error: as-of '2026-03-01': is before the LEIE copy this run would use was published "
        "(2026-11-20): a run against it cannot stand as screening on 2026-03-01\n"
    )
    result = cli(
        "verify", "screen", "--as-of", "2026-12-03", code=2, env={"CREDCLI_TODAY": "2026-12-02"}
    )
    assert result.stderr == (
        "error: as-of '2026-12-03': is in the future (today is 2026-12-02); a screening run "
        "is recorded once it has happened\n"
    )
    result = cli(
        "verify", "load", "leie", str(tmp_path / "UPDATED.csv"), "--file-date", "2026-12-03",
        code=2, env={"CREDCLI_TODAY": "2026-12-02"},
    )  # fmt: skip
    assert result.stderr == (
        "error: file-date '2026-12-03': is in the future (today is 2026-12-02); a list is "
        "loaded after it is published\n"
    )
    assert json.loads(cli("verify", "runs", "--format", "json").stdout) == []
    cli("verify", "screen", "--as-of", "2026-11-20")


def test_csv_output_carries_the_list_record_as_json(cli, db, tmp_path: Path) -> None:
    _provider(cli, "1234567893", "Ana", "Diaz", "1980-02-03")
    cli(
        "verify",
        "load",
        "leie",
        str(write_leie(tmp_path / "UPDATED.csv", [leie_row("DIAZ", "ANA")])),
    )
    screened = cli("verify", "screen", "--as-of", "2026-11-23", "--format", "csv", code=1)
    rows = _csv(screened.stdout)
    assert list(rows[0]) == ["hit", "npi", "list", "tier", "reason", "record"]
    assert (rows[0]["tier"], json.loads(rows[0]["record"])["LASTNAME"]) == ("possible", "DIAZ")
    listed = _csv(cli("verify", "hits", "--format", "csv").stdout)
    assert json.loads(listed[0]["record"])["FIRSTNAME"] == "ANA"
    assert listed[0]["listed_name"] == "DIAZ ANA (1128a1, 2024-01-15)"


def test_empty_csv_listings_keep_their_whole_header(cli, db, tmp_path: Path) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    full_hits = cli("verify", "hits", "--format", "csv").stdout.splitlines()[0]
    assert full_hits == (
        "hit,npi,provider,list,tier,reason,listed_name,status,first_run,last_run,"
        "disposed_by,disposed_at,disposition_reason,record"
    )
    _provider(cli, "1234567893", "Ana", "Diaz")
    cli(
        "verify",
        "load",
        "leie",
        str(write_leie(tmp_path / "UPDATED.csv", [leie_row("DIAZ", "ANA")])),
    )
    cli("verify", "screen", "--as-of", "2026-11-23", code=1)
    assert cli("verify", "hits", "--format", "csv").stdout.splitlines()[0] == full_hits
    runs = cli("verify", "runs", "--format", "csv").stdout.splitlines()[0]
    cli("init", "--db", str(tmp_path / "other.db"))
    empty = cli("verify", "runs", "--format", "csv", "--db", str(tmp_path / "other.db"))
    assert (
        runs
        == empty.stdout.splitlines()[0]
        == (
            "run,run_at,run_by,as_of,lists,versions,screened,strong,possible,ruled_out,"
            "new_hits,open_hits"
        )
    )
    cleared = cli("verify", "screen", "--as-of", "2026-11-23", "--format", "csv", code=1)
    assert cleared.stdout.splitlines()[0] == "hit,npi,list,tier,reason,record"
    cli("verify", "clear", "1", "--reason", "other person")
    none = cli("verify", "screen", "--as-of", "2026-11-23", "--format", "csv", code=0)
    assert none.stdout == "hit,npi,list,tier,reason,record\n"


def test_hits_and_runs_refuse_contradictory_or_empty_options(cli, db) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    both = cli("verify", "hits", "--all", "--status", "cleared", code=2)
    assert both.stderr == (
        "error: --all lists hits in every status; give --all or --status, not both\n"
    )
    zero = cli("verify", "runs", "--limit", "0", code=2)
    assert "Invalid value for '--limit': Input should be greater than or equal to 1" in zero.stderr
    missing = cli("verify", "hits", "--provider", "1558598797", code=2)
    assert missing.stderr == "error: no provider with NPI 1558598797 in the registry\n"


def test_dispositions_and_bad_hit_numbers(cli, db, tmp_path: Path) -> None:
    _provider(cli, "1234567893", "Ana", "Diaz")
    cli(
        "verify",
        "load",
        "leie",
        str(write_leie(tmp_path / "UPDATED.csv", [leie_row("DIAZ", "ANA")])),
    )
    cli("verify", "screen", "--as-of", "2026-11-23", code=1)
    unknown = cli("verify", "confirm", "99", code=2)
    assert unknown.stderr == "error: no screening hit #99; see 'credcli verify hits --all'\n"
    blank = cli("verify", "clear", "1", "--reason", "  ", code=2)
    assert blank.stderr == "error: reason '  ': say why this is not the same person\n"
    no_reason = cli("verify", "clear", "1", code=2)
    assert "Missing option '--reason'" in no_reason.stderr
    cli("verify", "confirm", "1")
    twice = cli("verify", "confirm", "1", code=2)
    assert twice.stderr.startswith("error: hit #1 is already confirmed by tester on ")
    # an excluded provider is not made active by an edit while the hit stands
    refused = cli("provider", "update", "1234567893", "--status", "active", code=2)
    assert refused.stderr == (
        "error: Diaz, Ana (NPI 1234567893) is excluded (confirmed exclusion hit #1): an "
        "excluded provider is not made active; once the exclusion is lifted (reinstatement), "
        "record it with 'credcli verify clear 1 --reason ...'\n"
    )
    # a confirmation is lifted (OIG reinstatement) with its reason kept
    cli("verify", "clear", "1", "--reason", "reinstated by OIG 2026-12-01")
    (hit,) = json.loads(cli("verify", "hits", "--all", "--format", "json").stdout)
    assert (hit["status"], hit["disposition_reason"]) == (
        "cleared",
        "confirmation lifted: reinstated by OIG 2026-12-01",
    )
    assert cli("verify", "clear", "1", "--reason", "x", code=2).stderr.startswith(
        "error: hit #1 is already cleared by tester on "
    )


def test_a_list_copy_older_than_45_days_is_flagged(cli, db, tmp_path: Path) -> None:
    _provider(cli, "1234567893", "Ana", "Diaz", "1980-02-03")
    write_leie(tmp_path / "UPDATED.csv", [leie_row("SMITH", "JOHN")])
    write_sam(tmp_path / "sam.csv", [sam_row("MILLER", "ROB")])
    cli("verify", "load", "leie", str(tmp_path / "UPDATED.csv"), "--file-date", "2026-10-09")
    cli("verify", "load", "sam", str(tmp_path / "sam.csv"), "--file-date", "2026-10-08")
    on_day_45, _ = _screen(cli, code=0)  # as of 2026-11-23: 45 days after the LEIE
    assert on_day_45.stderr.splitlines()[0] == (
        "warning: the SAM copy is dated 2026-10-08, 46 days before 2026-11-23; SAM.gov "
        "publishes its extract daily: load the current file so this run counts as monthly "
        "screening"
    )
    assert "LEIE copy" not in on_day_45.stderr
    supplement = write_leie(tmp_path / "2611EXCL.csv", [leie_row("BROWN", "ALEX")])
    cli("verify", "load", "leie", str(supplement), "--file-date", "2026-11-10")
    later = cli("verify", "screen", "--as-of", "2026-12-01", "--list", "leie", code=0)
    assert "LEIE copy" not in later.stderr  # this month's supplement brings it up to date


def test_the_screen_table_names_the_provider_and_the_listed_person(cli, db, tmp_path: Path) -> None:
    _provider(cli, "1234567893", "Ana", "Diaz")
    cli(
        "verify",
        "load",
        "leie",
        str(write_leie(tmp_path / "UPDATED.csv", [leie_row("DIAZ", "ANA")])),
    )
    screened = cli("verify", "screen", "--as-of", "2026-11-23", code=1)
    assert screened.stdout.splitlines()[1] == (
        "┃ Hit ┃ NPI        ┃ Provider  ┃ List ┃ Tier     ┃ Why                               "
        "┃ Listed as                     ┃"
    )
    assert screened.stdout.splitlines()[3] == (
        "│ 1   │ 1234567893 │ Diaz, Ana │ leie │ possible │ name equal, date of birth missing "
        "│ DIAZ ANA (1128a1, 2024-01-15) │"
    )


def test_a_sam_hit_shows_its_active_date_as_iso(cli, db, tmp_path: Path) -> None:
    _provider(cli, "1234567893", "Ana", "Diaz")
    write_sam(tmp_path / "sam.csv", [sam_row("DIAZ", "ANA")])
    cli("verify", "load", "sam", str(tmp_path / "sam.csv"))
    cli("verify", "screen", "--as-of", "2026-11-23", code=1)
    (hit,) = json.loads(cli("verify", "hits", "--format", "json").stdout)
    assert (hit["provider"], hit["listed_name"]) == (
        "Diaz, Ana",
        "DIAZ ANA (Ineligible (Proceedings Completed), 2023-03-15)",
    )
    assert hit["record"]["Active Date"] == "03/15/2023"  # the record itself is as listed


def test_the_runs_workbook_keeps_the_time_of_each_run(cli, db, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _provider(cli, "1234567893", "Ana", "Diaz")
    cli("verify", "load", "leie", str(write_leie(tmp_path / "UPDATED.csv", [leie_row("X", "Y")])))
    cli("verify", "screen", "--as-of", "2026-11-23")
    book = tmp_path / "runs.xlsx"
    result = cli("verify", "runs", "--xlsx", str(book))
    assert result.stderr == f"wrote 1 runs to {book}\n"
    sheet = load_workbook(book)["Screening runs"]
    assert [cell.value for cell in sheet[1]][:4] == ["Run", "When", "By", "As of"]
    when, as_of = sheet["B2"], sheet["D2"]
    assert when.number_format == "yyyy-mm-dd hh:mm:ss"
    assert (as_of.value.date().isoformat(), as_of.number_format) == ("2026-11-23", "yyyy-mm-dd")
    ran = json.loads(cli("verify", "runs", "--format", "json").stdout)[0]["run_at"]
    assert when.value.isoformat(timespec="seconds") == ran[:19]  # UTC, without a zone


def _nunez(cli, leie: Path, address: str, city: str) -> None:
    write_leie(leie, [leie_row("NUNEZ GARCIA", "JOSE", ADDRESS=address, CITY=city)])
    cli("verify", "load", "leie", str(leie))


def _hit_states(cli) -> list[tuple[int, str, str | None]]:
    every = json.loads(cli("verify", "hits", "--all", "--format", "json").stdout)
    return [(h["hit"], h["status"], h["disposition_reason"]) for h in every]


def test_an_open_hit_whose_record_changes_is_superseded_not_left_open(
    cli, db, tmp_path: Path
) -> None:
    _provider(cli, "1234567893", "José", "Núñez-García")  # no date of birth on file
    leie = tmp_path / "UPDATED.csv"
    _nunez(cli, leie, "1 MAIN ST", "FRESNO")
    _, first = _screen(cli, code=1)
    assert _tiers(first) == [("1234567893", "leie", "possible")]
    _nunez(cli, leie, "22 OAK AVE", "MODESTO")  # the same record, moved
    result, second = _screen(cli, code=1)
    assert [(h["hit"], h["record"]["CITY"]) for h in second] == [(2, "MODESTO")]
    assert "1 new hits; 1 open hits on all lists" in result.stderr
    assert _hit_states(cli) == [
        (1, "resolved", "superseded by hit #2: the LEIE record changed (screening run 2)"),
        (2, "open", None),
    ]
    cli("verify", "clear", "2", "--reason", "different person: DOB on the OIG record")
    result, third = _screen(cli, code=0)
    assert (third, result.stderr.splitlines()[-1]) == (
        [],
        "screening run #3 as of 2026-11-23: 1 providers against LEIE UPDATED.csv "
        "(2026-11-01): 0 strong, 1 possible, 0 ruled out; 0 new hits; 0 open hits on all lists",
    )


def _reopen(db: str, *hit_ids: int) -> None:
    """Put hits back to open, as a registry screened before the fix holds them."""
    from sqlalchemy import create_engine, update
    from sqlalchemy.pool import NullPool

    from credcli.db.engine import resolve
    from credcli.db.models import ScreeningHit

    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(
            update(ScreeningHit)
            .where(ScreeningHit.id.in_(hit_ids))
            .values(status="open", disposed_by=None, disposed_at=None, disposition_reason=None)
        )
    engine.dispose()


def test_duplicate_open_hits_left_by_earlier_runs_are_settled(cli, db, tmp_path: Path) -> None:
    _provider(cli, "1234567893", "José", "Núñez-García")
    leie = tmp_path / "UPDATED.csv"
    _nunez(cli, leie, "1 MAIN ST", "FRESNO")
    _screen(cli, code=1)
    _nunez(cli, leie, "22 OAK AVE", "MODESTO")
    _screen(cli, code=1)
    _reopen(db, 1)  # hit #1 open beside #2, as earlier versions left them
    cli("verify", "clear", "2", "--reason", "different person")
    result, raised = _screen(cli, code=0)
    assert raised == []
    assert "0 new hits; 0 open hits on all lists" in result.stderr
    assert _hit_states(cli) == [
        (1, "resolved", "superseded by hit #2: the LEIE record changed (screening run 3)"),
        (2, "cleared", "different person"),
    ]


def test_a_run_on_one_list_still_fails_while_another_list_has_open_hits(
    cli, db, tmp_path: Path
) -> None:
    # a cron gate on 'verify screen --list sam' must not go green over an undecided LEIE hit
    _provider(cli, "1234567893", "Ana", "Diaz")
    cli(
        "verify",
        "load",
        "leie",
        str(write_leie(tmp_path / "UPDATED.csv", [leie_row("DIAZ", "ANA")])),
    )
    cli("verify", "load", "sam", str(write_sam(tmp_path / "sam.csv", [sam_row("MILLER", "ROB")])))
    _screen(cli, "--list", "leie", code=1)
    result, raised = _screen(cli, "--list", "sam", code=1)
    assert raised == []
    assert result.stderr.splitlines() == [
        "screening run #2 as of 2026-11-23: 1 providers against SAM sam.csv (2026-11-01): "
        "0 strong, 0 possible, 0 ruled out; 0 new hits; 1 open hits on all lists "
        "(1 on LEIE, not screened in this run)",
        "open hits: see 'credcli verify hits'; dispose with verify clear/confirm",
    ]
    runs = json.loads(cli("verify", "runs", "--format", "json").stdout)
    assert [(r["run"], r["lists"], r["open_hits"]) for r in runs] == [(2, "sam", 1), (1, "leie", 1)]
    cli("verify", "clear", "1", "--reason", "different person: other state")
    _screen(cli, "--list", "sam", code=0)
