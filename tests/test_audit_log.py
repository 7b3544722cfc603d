import hashlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from credcli.db.engine import resolve
from credcli.db.models import AuditEntry
from credcli.services import audit


def _rows(db):
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with Session(engine) as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    engine.dispose()
    return rows


def test_intake_is_audited_with_who(cli, db, ana) -> None:
    rows = _rows(db)
    assert [(r.actor, r.action, r.entity, r.npi) for r in rows] == [
        ("tester", "create", "credentialing_files", ana),
        ("tester", "create", "file_events", ana),
        ("tester", "create", "providers", ana),
    ]


def test_update_records_before_and_after(cli, db, ana) -> None:
    cli("provider", "update", ana, "--phone", "555-010-0199")
    last = _rows(db)[-1]
    assert (last.action, last.entity) == ("update", "providers")
    assert json.loads(last.before) == {"phone": None}
    assert json.loads(last.after) == {"phone": "555-010-0199"}


def test_birth_dates_never_enter_the_audit_log(cli, db, ana) -> None:
    cli("provider", "update", ana, "--dob", "1981-02-03")
    rows = _rows(db)
    assert all("1980" not in (r.after or "") + (r.before or "") for r in rows)
    assert json.loads(rows[-1].after) == {"dob": "(private)"}


def test_rows_form_a_hash_chain(cli, db, ana) -> None:
    cli("credential", "add", ana, "--kind", "board", "--issuer", "ABIM")
    rows = _rows(db)
    assert rows[0].prev_hash == audit.GENESIS
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.row_hash
    for row in rows:
        assert row.row_hash == audit.row_hash(
            row.prev_hash,
            audit.stamp(row.at),
            row.actor,
            row.action,
            row.entity,
            row.entity_id,
            row.npi,
            row.before,
            row.after,
        )


def test_a_rejected_change_writes_no_audit_row(cli, db, ana) -> None:
    count = len(_rows(db))
    cli("credential", "add", ana, "--kind", "dea", "--number", "AB4523763", code=2)
    assert len(_rows(db)) == count


_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    prev=_TEXT,
    who=_TEXT,
    entity_id=st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1),
    npi=st.none() | _TEXT,
    before=st.none() | _TEXT,
    after=st.none() | _TEXT,
)
def test_row_hash_is_the_sha256_of_the_documented_json(
    prev: str,
    who: str,
    entity_id: int | None,
    npi: str | None,
    before: str | None,
    after: str | None,
) -> None:
    # The chain's format is json.dumps of the row's fields; the hand-written payload
    # must give the same bytes for any text (quotes, control and non-ASCII characters).
    fields = [
        prev,
        "2026-12-02T11:00:00Z",
        who,
        "update",
        "providers",
        entity_id,
        npi,
        before,
        after,
    ]
    payload = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    assert audit.row_hash(*fields) == expected
