"""``audit-log``: the change history, and ``verify`` catching every kind of tampering."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from credcli.db.engine import resolve

BEN = "1558598797"


@pytest.fixture
def history(cli, db, ana) -> str:
    """Ana's intake (3 rows), a phone change (row 4), Ben's intake (rows 5-7), a board (row 8)."""
    cli("provider", "update", ana, "--phone", "555-010-0199")
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
        "2026-11-03",
    )
    cli("credential", "add", ana, "--kind", "board", "--issuer", "ABIM")
    return db


def _sql(db: str, *statements: str) -> None:
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def _verify(cli, code: int) -> dict:
    return json.loads(cli("audit-log", "verify", "--format", "json", code=code).stdout)


def test_listing_is_oldest_first_and_filters_by_provider(cli, history) -> None:
    rows = json.loads(cli("audit-log", "--provider", BEN, "--format", "json").stdout)
    assert [(r["id"], r["action"], r["entity"]) for r in rows] == [
        (5, "create", "credentialing_files"),
        (6, "create", "file_events"),
        (7, "create", "providers"),
    ]
    assert all(r["actor"] == "tester" and r["npi"] == BEN for r in rows)
    assert rows[2]["after"]["last_name"] == "Okafor"


def test_updates_show_before_and_after(cli, history) -> None:
    rows = json.loads(cli("audit-log", "--entity", "providers", "--format", "json").stdout)
    update = [r for r in rows if r["action"] == "update"][0]
    assert (update["id"], update["before"], update["after"]) == (
        4,
        {"phone": None},
        {"phone": "555-010-0199"},
    )
    assert update["changes"] == "phone: (blank) -> 555-010-0199"


def test_birth_dates_are_never_shown(cli, history) -> None:
    out = cli("audit-log", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    # the hashes are hex digits that may spell 1980 by chance: look at every other field
    shown = [v for row in rows for k, v in row.items() if k not in ("prev_hash", "row_hash")]
    assert not any("1980" in value for value in shown)
    assert '""dob"": ""(private)""' in out


def test_csv_carries_every_field_with_values_as_json(cli, history) -> None:
    out = cli("audit-log", "--last", "1", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    assert (rows[0]["id"], rows[0]["entity"], rows[0]["action"]) == ("8", "credentials", "create")
    assert json.loads(rows[0]["after"])["issuer"] == "ABIM"
    assert rows[0]["before"] == ""


def test_since_in_the_future_shows_nothing(cli, history) -> None:
    result = cli("audit-log", "--since", "2999-01-01")
    assert (result.stdout, result.stderr) == ("", "no audit log rows match\n")


def test_table_lists_rows(cli, history) -> None:
    out = cli("audit-log", "--provider", BEN).stdout
    assert "When (UTC)" in out and "credentialing_files" in out and "Okafor" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--provider", "1234567898"), "error: npi '1234567898': "),
        (("--entity", "nonsense"), "error: entity 'nonsense': is not a table; use one of "),
        (("--since", "2026-02-30"), "error: --since '2026-02-30': is not a real calendar date"),
        (("--last", "0"), "error: --last 0: give a number of rows of at least 1"),
    ],
)
def test_bad_filters_are_refused(cli, history, args, message) -> None:
    assert cli("audit-log", *args, code=2).stderr.startswith(message)


def test_an_untouched_log_verifies(cli, history) -> None:
    result = cli("audit-log", "verify")
    assert result.stdout.startswith(
        "8 rows verified; chain intact; to check later that nothing was cut from the end: "
        "--anchor 8:"
    )
    data = _verify(cli, 0)
    assert (data["intact"], data["rows_verified"], data["first_bad_row"]) == (True, 8, None)


def test_an_empty_log_verifies(cli, db) -> None:
    cli("init")  # an empty registry: commands that only read never make one
    assert cli("audit-log", "verify").stdout == "0 rows verified; the log is empty\n"


def test_an_edited_row_is_found_at_that_row(cli, history) -> None:
    _sql(history, """UPDATE audit_log SET after = '{"phone": "555-999-0000"}' WHERE id = 4""")
    result = cli("audit-log", "verify", code=1)
    assert result.stdout == (
        "tampering found at row 4: its content was altered (the stored hash no longer "
        "matches it)\n3 rows verified before it\n"
    )
    assert _verify(cli, 1)["first_bad_row"] == 4


def test_an_edit_with_a_recomputed_hash_is_found_at_the_next_row(cli, history) -> None:
    from credcli.services import audit

    engine = create_engine(resolve(history).url, poolclass=NullPool)
    with engine.begin() as conn:
        row = conn.execute(text("SELECT * FROM audit_log WHERE id = 4")).mappings().one()
        at = row["at"]
        at = dt.datetime.fromisoformat(at) if isinstance(at, str) else at  # SQLite: text
        forged = audit.row_hash(
            row["prev_hash"],
            audit.stamp(at),
            "someone-else",
            row["action"],
            row["entity"],
            row["entity_id"],
            row["npi"],
            row["before"],
            row["after"],
        )
        conn.execute(
            text("UPDATE audit_log SET actor = 'someone-else', row_hash = :h WHERE id = 4"),
            {"h": forged},
        )
    engine.dispose()
    data = _verify(cli, 1)
    assert data["first_bad_row"] == 5
    assert "does not follow row 4" in data["problem"]


def test_a_deleted_row_is_found(cli, history) -> None:
    _sql(history, "DELETE FROM audit_log WHERE id = 5")
    data = _verify(cli, 1)
    assert (data["first_bad_row"], data["rows_verified"]) == (6, 4)
    assert data["problem"] == (
        "row 6: it does not follow row 4 (previous-row hash mismatch): a row was deleted, "
        "inserted or moved"
    )


def test_deleting_the_first_rows_is_found(cli, history) -> None:
    _sql(history, "DELETE FROM audit_log WHERE id <= 2")
    data = _verify(cli, 1)
    assert data["problem"] == "row 3: it does not start the chain: rows before it were deleted"


def test_swapped_rows_are_found_at_the_first_of_them(cli, history) -> None:
    columns = (
        "at",
        "actor",
        "action",
        "entity",
        "entity_id",
        "npi",
        "before",
        "after",
        "prev_hash",
        "row_hash",
    )
    engine = create_engine(resolve(history).url, poolclass=NullPool)
    with engine.begin() as conn:
        rows = {
            r["id"]: r
            for r in conn.execute(text("SELECT * FROM audit_log WHERE id IN (5, 6)")).mappings()
        }
        for target, source in ((5, 6), (6, 5)):
            conn.execute(
                text(
                    f"UPDATE audit_log SET {', '.join(f'{c} = :{c}' for c in columns)} "
                    "WHERE id = :id"
                ),
                {**{c: rows[source][c] for c in columns}, "id": target},
            )
    engine.dispose()
    data = _verify(cli, 1)
    assert data["first_bad_row"] == 5
    assert "does not follow row 4" in data["problem"]


def test_a_row_inserted_by_hand_is_found(cli, history) -> None:
    _sql(
        history,
        "INSERT INTO audit_log (id, at, actor, action, entity, prev_hash, row_hash) "
        "VALUES (100, CURRENT_TIMESTAMP, 'x', 'delete', 'providers', 'a', 'b')",
    )
    assert _verify(cli, 1)["first_bad_row"] == 100


def test_db_given_before_verify_is_the_one_verified(cli, history, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_DB", str(tmp_path / "other.db"))
    result = cli("audit-log", "--db", history, "verify")
    assert result.stdout.startswith("8 rows verified")


def test_listing_filters_do_not_apply_to_verify(cli, history) -> None:
    result = cli("audit-log", "--provider", BEN, "verify", code=2)
    assert (
        result.stderr == "error: --provider applies to the listing only; verify checks every row\n"
    )


def test_an_anchor_catches_rows_cut_from_the_end(cli, history) -> None:
    anchor = cli("audit-log", "verify").stdout.split("--anchor ")[1].strip()
    assert anchor.startswith("8:")
    cli("audit-log", "verify", "--anchor", anchor)
    _sql(history, "DELETE FROM audit_log WHERE id >= 7")
    cli("audit-log", "verify")  # what is left is a consistent chain
    data = json.loads(
        cli("audit-log", "verify", "--anchor", anchor, "--format", "json", code=1).stdout
    )
    assert (data["first_bad_row"], data["rows_verified"]) == (8, 6)
    assert data["problem"] == (
        "row 8: recorded earlier but no longer in the log: rows were cut from the end (or "
        "renumbered)"
    )


def test_an_anchor_catches_a_cut_end_hidden_by_renumbering(cli, history) -> None:
    # The id is not hashed: the last surviving row moved past the anchor's id would pass a
    # check that only compared ids. The anchored row itself must still be there.
    anchor = cli("audit-log", "verify").stdout.split("--anchor ")[1].strip()
    _sql(
        history, "DELETE FROM audit_log WHERE id >= 7", "UPDATE audit_log SET id = 99 WHERE id = 6"
    )
    data = json.loads(
        cli("audit-log", "verify", "--anchor", anchor, "--format", "json", code=1).stdout
    )
    assert (data["first_bad_row"], data["rows_verified"], data["last_row"]) == (8, 6, 99)


def test_an_anchor_with_another_hash_is_found(cli, history) -> None:
    result = cli("audit-log", "verify", "--anchor", "5:" + "0" * 64, code=1)
    assert result.stdout.startswith(
        "tampering found at row 5: its hash is not the one recorded for it earlier\n"
    )


def test_a_malformed_anchor_is_refused(cli, history) -> None:
    result = cli("audit-log", "verify", "--anchor", "8-abc", code=2)
    assert result.stderr.startswith("error: --anchor '8-abc': give ROW:HASH")


@pytest.fixture
def sqlite_history(cli, tmp_path, monkeypatch) -> str:
    """A SQLite registry with 4 audit rows: SQLite keeps time stamps as editable text."""
    path = str(tmp_path / "stamps.db")
    monkeypatch.setenv("CREDCLI_DB", path)
    cli("intake", "new", "--npi", BEN, "--first", "Ben", "--last", "Okafor")
    cli("provider", "update", BEN, "--phone", "555-010-0199")
    return path


@pytest.mark.parametrize("stamp", ["'garbage'", "12345", "'2026-13-45 10:00:00'"])
def test_a_time_stamp_overwritten_with_a_non_date_is_found(cli, sqlite_history, stamp) -> None:
    _sql(sqlite_history, f"UPDATE audit_log SET at = {stamp} WHERE id = 2")
    result = cli("audit-log", "verify", code=1)
    assert result.stdout == (
        "tampering found at row 2: its content was altered (its time stamp is not a date "
        "and time)\n1 rows verified before it\n"
    )


@pytest.mark.parametrize(
    "change",
    [
        "entity_id = '5x'",
        "entity_id = 39.5",
        "actor = CAST(actor AS BLOB)",
        "after = CAST(after AS BLOB)",
        "npi = X'31'",
    ],
)
def test_a_value_of_another_type_is_found_not_a_crash(cli, sqlite_history, change) -> None:
    # SQLite lets any column hold any type: the check must report it, not fail on it.
    _sql(sqlite_history, f"UPDATE audit_log SET {change} WHERE id = 2")
    result = cli("audit-log", "verify", code=1)
    assert result.stdout.startswith("tampering found at row 2: its content was altered (")
    listing = cli("audit-log", "--format", "json", code=3)
    assert listing.stderr.startswith("error: the audit log holds a row that cannot be read")


@pytest.mark.parametrize("at", ["'garbage'", "20261202"])
def test_a_listing_of_a_log_with_an_unreadable_row_is_a_database_error(
    cli, sqlite_history, at
) -> None:
    _sql(sqlite_history, f"UPDATE audit_log SET at = {at} WHERE id = 2")
    result = cli("audit-log", code=3)
    assert result.stderr == (
        "error: the audit log holds a row that cannot be read: it was altered outside "
        "credcli; run 'credcli audit-log verify' to find it\n"
    )


def test_a_time_stamp_moved_to_another_valid_time_is_found(cli, sqlite_history) -> None:
    _sql(sqlite_history, "UPDATE audit_log SET at = '2020-01-01 00:00:00.000000' WHERE id = 3")
    assert _verify(cli, 1)["first_bad_row"] == 3
