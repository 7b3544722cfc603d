"""Write parsed roster rows to the registry in batches, with Core statements, audited.

The ORM's unit of work is far too slow for 100,000 providers and their credentials,
so each batch loads the providers and credentials it touches with two selects,
compares in memory, and writes with executemany inserts (RETURNING the new ids, in
parameter order, on SQLite and PostgreSQL alike) and grouped updates. Bulk
statements bypass the ORM audit hook, so every created or changed row is handed to
``audit.append`` here, in the same transaction.

Keys: a provider is its NPI; a license or CDS registration is (provider, kind,
state); a DEA registration, board certification or malpractice policy is
(provider, kind). Blank cells never erase what the registry holds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Date, Table, bindparam, select, update
from sqlalchemy.orm import Session

from credcli.db.models import Credential as CredentialModel
from credcli.db.models import CredentialingFile, FileEvent
from credcli.db.models import Provider as ProviderModel
from credcli.db.models.base import utcnow
from credcli.domain import provider_status
from credcli.domain import roster_fields as rf
from credcli.domain.vocab import (
    CredentialStatus,
    FileCycle,
    FileEventKind,
    FileStage,
    ProviderStatus,
)
from credcli.services import audit, bulk
from credcli.services.roster_layout import Layout
from credcli.services.roster_rows import CredentialIn, ParsedRow, problem

P = cast(Table, ProviderModel.__table__)
C = cast(Table, CredentialModel.__table__)
F = cast(Table, CredentialingFile.__table__)
E = cast(Table, FileEvent.__table__)

PROVIDER_COLUMNS = (*rf.PROVIDER_FIELDS, "status_date")
CREDENTIAL_COLUMNS = (
    "provider_id",
    "kind",
    "number",
    "state",
    "issuer",
    "detail",
    "issued_on",
    "expires_on",
    "status",
)
_SQLITE_CACHE_KIB = 65536
# Created rows carry their dates as storage text, which the insert and the audit
# snapshot both take as they are (each would otherwise format every date again).
_P_DATES = tuple(name for name in PROVIDER_COLUMNS if isinstance(P.c[name].type, Date))
_C_DATES = tuple(name for name in CREDENTIAL_COLUMNS if isinstance(C.c[name].type, Date))
_BY_STATE = frozenset(rf.SLOTTED_KINDS)
# What a roster row is compared with (timestamps left out: parsing them costs, for nothing).
_COMPARED_P = [P.c.id, *(P.c[name] for name in PROVIDER_COLUMNS)]
_COMPARED_C = [C.c.id, *(C.c[name] for name in CREDENTIAL_COLUMNS)]


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[ParsedRow, str]] = field(default_factory=list)
    withdrawn_files: list[int] = field(default_factory=list)  # of providers now terminated


@dataclass
class _Pending:
    provider_inserts: list[dict[str, Any]] = field(default_factory=list)
    credential_inserts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # npi
    provider_updates: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    credential_updates: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(
        default_factory=list
    )
    changes: list[audit.Change] = field(default_factory=list)


class RosterStore:
    def __init__(self, session: Session, layout: Layout, *, today: dt.date) -> None:
        self.layout = layout
        self.session = session
        self.conn: Connection = session.connection()
        if self.conn.dialect.name == "sqlite":
            # The credentials' expiry index takes rows in random order; with SQLite's
            # default 2 MB page cache a large roster spends a fifth of its time re-reading
            # index pages. The setting lasts as long as this connection.
            self.conn.exec_driver_sql(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
        self.today = today
        self.actor = audit.actor()
        self.now = utcnow()
        self.iso = bulk.IsoDates()

    def write(self, batch: list[ParsedRow]) -> BatchResult:
        self.now = utcnow()  # one timestamp for the batch's audit rows
        result = BatchResult()
        if not batch:
            return result
        npis = [r.npi for r in batch]
        existing = {row["npi"]: row for row in self._stored(_COMPARED_P, P.c.npi, npis)}
        held: dict[int, list[dict[str, Any]]] = defaultdict(list)
        if existing:
            ids = [p["id"] for p in existing.values()]
            for row in self._stored(_COMPARED_C, C.c.provider_id, ids):
                held[row["provider_id"]].append(row)
        pending = _Pending()
        for parsed in batch:
            stored = existing.get(parsed.npi)
            if stored is None:
                reason = self._new_provider(parsed, pending)
                if reason:
                    result.rejected.append((parsed, reason))
                else:
                    result.created += 1
            elif reason := self._status_problem(parsed, stored):
                result.rejected.append((parsed, reason))
            elif self._existing_provider(parsed, stored, held[stored["id"]], pending):
                result.updated += 1
            else:
                result.unchanged += 1
        self._flush(pending)
        result.withdrawn_files = self._withdraw_terminated(pending)
        return result

    def _stored(self, columns: list[Any], key: Any, values: list[Any]) -> list[dict[str, Any]]:
        """The stored rows whose ``key`` is in ``values``, as plain dicts, in id order;
        fetched all at once, which costs far less per row than iterating mappings."""
        names = [column.name for column in columns]
        query = select(*columns).where(key.in_(values)).order_by(columns[0])
        return [dict(zip(names, row, strict=True)) for row in self.conn.execute(query).all()]

    def _new_provider(self, parsed: ParsedRow, pending: _Pending) -> str | None:
        values = parsed.provider
        missing = [name for name in ("last_name", "first_name") if values.get(name) is None]
        if missing:
            return "; ".join(self._missing_name(parsed, name) for name in missing)
        row = dict.fromkeys(PROVIDER_COLUMNS)
        row.update(values)
        row["npi"] = parsed.npi
        if row["status"] is None:
            credentialed = row["initial_cred_date"] or row["last_cred_date"]
            row["status"] = (
                ProviderStatus.active.value if credentialed else ProviderStatus.applicant.value
            )
        row["status_date"] = self.today
        if row["status"] == ProviderStatus.terminated.value:
            row["terminated_on"] = row["status_date"] = row["terminated_on"] or self.today
        iso = self.iso
        for name in _P_DATES:
            row[name] = iso[row[name]]
        pending.provider_inserts.append(row)
        for credential in parsed.credentials:
            pending.credential_inserts.append((parsed.npi, self._credential_row(credential)))
        return None

    def _status_problem(self, parsed: ParsedRow, stored: dict[str, Any]) -> str | None:
        """The rule 'provider update --status' keeps (domain.provider_status). A provider
        new to the registry takes the roster's status: that is how an existing panel
        comes in."""
        status, was = parsed.provider.get("status"), stored["status"]
        column = self.layout.column("status")
        if status is None or column is None:  # None: the status follows from a term date
            return None
        given = parsed.provider
        credentialed = (
            stored["initial_cred_date"]
            or stored["last_cred_date"]
            or given.get("initial_cred_date")
            or given.get("last_cred_date")
        )
        refusal = provider_status.refused_change(was, status, credentialed=bool(credentialed))
        if refusal is None:
            return None
        cell = parsed.cells[column.index] if column.index < len(parsed.cells) else None
        if refusal is provider_status.Refusal.TERMINATED:
            return problem(
                column,
                cell,
                f"the provider was terminated on {stored['terminated_on']}: one who left "
                "comes back through credentialing (status applicant, then an initial file)",
            )
        if refusal is provider_status.Refusal.CREDENTIALED:
            return problem(
                column,
                cell,
                f"the provider was credentialed on {credentialed}, and a credentialed "
                "provider does not go back to applicant (inactive is for one who has "
                "stopped practising)",
            )
        return problem(
            column,
            cell,
            f"the provider is {was} in the registry and has not been credentialed: only "
            "the committee's approval of the initial file makes them active (or give "
            "the date they were credentialed in an Initial Cred Date column)",
        )

    def _missing_name(self, parsed: ParsedRow, name: str) -> str:
        column = self.layout.column(name)
        if column is not None:
            return problem(column, None, "is required for a provider not yet in the registry")
        label = name.replace("_", " ")
        return problem(
            parsed.npi_column,
            parsed.npi,
            f"is not in the registry, and a new provider needs a {label} (no column holds it)",
        )

    def _credential_row(self, credential: CredentialIn) -> dict[str, Any]:
        row = dict.fromkeys(CREDENTIAL_COLUMNS)
        row.update(credential.values)
        row["kind"] = credential.kind
        row["status"] = CredentialStatus.active.value
        iso = self.iso
        for name in _C_DATES:
            row[name] = iso[row[name]]
        return row

    def _existing_provider(
        self,
        parsed: ParsedRow,
        stored: dict[str, Any],
        held: list[dict[str, Any]],
        pending: _Pending,
    ) -> bool:
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name, value in parsed.provider.items():
            if stored[name] != value:
                before[name], after[name] = stored[name], value
        terminated = (after.get("status") or stored["status"]) == ProviderStatus.terminated.value
        if "status" in after or (terminated and "terminated_on" in after):
            # As 'provider update' and 'provider terminate' do; a roster's termination
            # date, when it gives one, is the day the status changed.
            ended = parsed.provider.get("terminated_on") or self.today
            follows: dict[str, Any] = {
                "status_date": ended if terminated else self.today,
                "terminated_on": ended if terminated else None,
            }
            if not terminated:
                follows["termination_reason"] = None
            for name, value in follows.items():
                if stored[name] != value:
                    before[name], after[name] = stored[name], value
        changed = bool(after)
        if after:
            pending.provider_updates.append((stored, after))
            pending.changes.append(
                audit.Change(
                    "update", "providers", stored["id"], parsed.npi, before, after, self.now
                )
            )
        claimed: set[int] = set()
        for credential in parsed.credentials:
            match = _match(held, credential, claimed)
            if match is None:
                row = self._credential_row(credential)
                row["provider_id"] = stored["id"]
                pending.credential_inserts.append((parsed.npi, row))
                changed = True
                continue
            claimed.add(match["id"])
            old = {k: match[k] for k, v in credential.values.items() if match[k] != v}
            if old:
                new = {k: credential.values[k] for k in old}
                pending.credential_updates.append((parsed.npi, match, new))
                changed = True
        return changed

    def _flush(self, pending: _Pending) -> None:
        conn = self.conn
        changes = pending.changes
        ids: dict[str, int] = {}
        if pending.provider_inserts:
            new_ids = bulk.insert_rows(conn, P, pending.provider_inserts)
            for row, new_id in zip(pending.provider_inserts, new_ids, strict=True):
                ids[row["npi"]] = new_id
                changes.append(
                    audit.Change(
                        "create", "providers", new_id, row["npi"], None, _set(row), self.now
                    )
                )
        if pending.credential_inserts:
            rows = []
            for npi, row in pending.credential_inserts:
                if row["provider_id"] is None:
                    row["provider_id"] = ids[npi]
                rows.append(row)
            new_ids = bulk.insert_rows(conn, C, rows)
            for (npi, row), new_id in zip(pending.credential_inserts, new_ids, strict=True):
                changes.append(
                    audit.Change("create", "credentials", new_id, npi, None, _set(row), self.now)
                )
        self._update(P, [(s["id"], a) for s, a in pending.provider_updates])
        credential_updates = []
        for npi, match, new in pending.credential_updates:
            credential_updates.append((match["id"], new))
            before = {k: match[k] for k in new}
            changes.append(
                audit.Change("update", "credentials", match["id"], npi, before, new, self.now)
            )
        self._update(C, credential_updates)
        self._open_files(pending, ids, changes)
        audit.append(conn, changes, who=self.actor)

    def _withdraw_terminated(self, pending: _Pending) -> list[int]:
        """Open files of providers the roster terminates are withdrawn, as
        'provider terminate' does: nobody will decide them or chase their items."""
        ended = {
            stored["id"]: after.get("terminated_on") or self.today
            for stored, after in pending.provider_updates
            if after.get("status") == ProviderStatus.terminated.value
        }
        if not ended:
            return []
        from credcli.domain import pipeline
        from credcli.services import files  # ORM: a few files, audited by the flush hook

        open_files = self.conn.execute(
            select(F.c.id, F.c.provider_id, F.c.last_activity_on, F.c.received_on)
            .where(
                F.c.provider_id.in_(list(ended)),
                F.c.stage.in_([stage.value for stage in pipeline.OPEN_STAGES]),
            )
            .order_by(F.c.id)
        ).all()
        for file_id, provider_id, last_activity, received in open_files:
            # Withdrawn on the termination date, or later if the file moved since.
            day = max(ended[provider_id], last_activity or received)
            files.withdraw(
                self.session, file_id, "provider terminated (roster import)", day.isoformat()
            )
        return [file_id for file_id, *_ in open_files]

    def _update(self, table: Any, updates: list[tuple[int, dict[str, Any]]]) -> None:
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for row_id, values in updates:
            groups[tuple(sorted(values))].append({"row_id": row_id, **values})
        for params in groups.values():
            self.conn.execute(update(table).where(table.c.id == bindparam("row_id")), params)

    def _open_files(
        self, pending: _Pending, ids: dict[str, int], changes: list[audit.Change]
    ) -> None:
        """A provider new to the registry with no credentialing date is an applicant:
        open their initial credentialing file, as ``credcli intake new`` does."""
        applicants = [
            row
            for row in pending.provider_inserts
            if row["status"] == ProviderStatus.applicant.value
        ]
        if not applicants:
            return
        files = [
            {
                "provider_id": ids[row["npi"]],
                "cycle": FileCycle.initial.value,
                "received_on": self.today,
                "stage": FileStage.intake.value,
                "stage_since": self.today,
                "last_activity_on": self.today,
            }
            for row in applicants
        ]
        file_ids = bulk.insert_rows(self.conn, F, files)
        events = []
        for row, file, file_id in zip(applicants, files, file_ids, strict=True):
            changes.append(
                audit.Change(
                    "create", "credentialing_files", file_id, row["npi"], None, file, self.now
                )
            )
            events.append(
                {
                    "file_id": file_id,
                    "on": self.today,
                    "at": utcnow(),
                    "kind": FileEventKind.opened.value,
                    "from_value": None,
                    "to_value": FileStage.intake.value,
                    "note": "opened by roster import",
                    "actor": self.actor,
                }
            )
        event_ids = bulk.insert_rows(self.conn, E, events)
        for row, event, event_id in zip(applicants, events, event_ids, strict=True):
            changes.append(
                audit.Change("create", "file_events", event_id, row["npi"], None, event, self.now)
            )


def _set(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


def _match(
    held: list[dict[str, Any]], credential: CredentialIn, claimed: set[int]
) -> dict[str, Any] | None:
    """The stored credential a roster credential is about, or None for a new one."""
    kind = credential.kind
    state = credential.values.get("state")
    same = [
        c
        for c in held
        if c["kind"] == kind
        and c["id"] not in claimed
        and (kind not in _BY_STATE or c["state"] == state)
    ]
    if not same:
        return None
    number = credential.values.get("number")
    for candidate in same:
        if number is not None and candidate["number"] == number:
            return candidate
    return same[-1]
