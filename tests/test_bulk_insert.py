import datetime as dt

from sqlalchemy import select

from credcli.db.models import Credential, Provider
from credcli.services import bulk, registry


def test_bulk_rows_get_ids_in_order_and_read_back_through_the_orm(db) -> None:
    rows = [
        {
            "npi": f"10000000{i:02d}",
            "first_name": "A",
            "last_name": f"N{i}",
            "status": "active",
            "initial_cred_date": dt.date(2024, 1, i + 1),
        }
        for i in range(3)
    ]
    with registry.session(db, write=True) as session:
        ids = bulk.insert_rows(session.connection(), Provider.__table__, rows)
        creds = [{"provider_id": ids[1], "kind": "license", "expires_on": dt.date(2027, 3, 15)}]
        (credential_id,) = bulk.insert_rows(session.connection(), Credential.__table__, creds)
    with registry.session(db) as session:
        stored = session.scalars(select(Provider).order_by(Provider.id)).all()
        assert [(p.id, p.last_name, p.initial_cred_date) for p in stored] == [
            (ids[0], "N0", dt.date(2024, 1, 1)),
            (ids[1], "N1", dt.date(2024, 1, 2)),
            (ids[2], "N2", dt.date(2024, 1, 3)),
        ]
        assert all(isinstance(p.created_at, dt.datetime) for p in stored)
        credential = session.get(Credential, credential_id)
        assert credential is not None
        assert (credential.provider_id, credential.status, credential.expires_on) == (
            ids[1],
            "active",  # the column's default, applied by the bulk path too
            dt.date(2027, 3, 15),
        )


def test_no_rows_no_ids(db) -> None:
    with registry.session(db, write=True) as session:
        assert bulk.insert_rows(session.connection(), Provider.__table__, []) == []
