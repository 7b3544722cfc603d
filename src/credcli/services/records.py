"""Plain-data views of registry rows, the shape every output format renders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from credcli.db.models import (
    Credential,
    CredentialingFile,
    Notice,
    OutstandingItem,
    PayerEnrollment,
    Provider,
    Verification,
)
from credcli.domain.vocab import FileEventKind, FileStage

PROVIDER_FIELDS = (
    "npi",
    "last_name",
    "first_name",
    "middle_name",
    "suffix",
    "degree",
    "specialty",
    "taxonomy",
    "dob",
    "email",
    "phone",
    "address",
    "city",
    "state",
    "zip_code",
    "caqh_id",
    "status",
    "status_date",
    "terminated_on",
    "termination_reason",
    "initial_cred_date",
    "last_cred_date",
    "next_recred_due",
    "notes",
)
CREDENTIAL_FIELDS = (
    "id",
    "kind",
    "number",
    "state",
    "issuer",
    "detail",
    "issued_on",
    "expires_on",
    "status",
    "notes",
)


def provider_record(provider: Provider) -> dict[str, Any]:
    return {name: getattr(provider, name) for name in PROVIDER_FIELDS}


def provider_summary(provider: Provider) -> dict[str, Any]:
    return {
        "npi": provider.npi,
        "last_name": provider.last_name,
        "first_name": provider.first_name,
        "degree": provider.degree,
        "specialty": provider.specialty,
        "status": provider.status,
        "status_date": provider.status_date,
        "next_recred_due": provider.next_recred_due,
    }


def credential_record(credential: Credential, provider: Provider | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {}
    if provider is not None:
        record["npi"] = provider.npi
        record["provider"] = provider.display_name
    record.update({name: getattr(credential, name) for name in CREDENTIAL_FIELDS})
    return record


def item_record(item: OutstandingItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "description": item.description,
        "requested_on": item.requested_on,
        "due_on": item.due_on,
        "received_on": item.received_on,
        "status": item.status,
        "follow_ups": item.follow_ups,
        "last_follow_up_on": item.last_follow_up_on,
    }


def withdrawal(file: CredentialingFile) -> dict[str, Any]:
    """``withdrawn_on`` and ``withdrawal_reason`` of a withdrawn file (None for any other).

    Both come from the file's withdraw event, the record of the withdrawal.
    """
    if file.stage != FileStage.withdrawn.value:
        return {"withdrawn_on": None, "withdrawal_reason": None}
    events = [e for e in file.events if e.kind == FileEventKind.withdraw.value]
    last = events[-1] if events else None
    return {
        "withdrawn_on": last.on if last else file.stage_since,
        "withdrawal_reason": last.note if last else None,
    }


def file_record(file: CredentialingFile) -> dict[str, Any]:
    return {
        "id": file.id,
        "cycle": file.cycle,
        "received_on": file.received_on,
        "stage": file.stage,
        "stage_since": file.stage_since,
        "assignee": file.assignee,
        "due_on": file.due_on,
        "decision": file.decision,
        "decision_on": file.decision_on,
        "notice_due_on": file.notice_due_on,
        "notice_sent_on": file.notice_sent_on,
        **withdrawal(file),
        "items": [item_record(item) for item in file.items],
    }


def verification_record(verification: Verification) -> dict[str, Any]:
    return {
        "id": verification.id,
        "element": verification.element,
        "source": verification.source,
        "method": verification.method,
        "verified_on": verification.verified_on,
        "verified_by": verification.verified_by,
        "result": verification.result,
        "notes": verification.notes,
        "evidence_path": verification.evidence_path,
        "evidence_sha256": verification.evidence_sha256,
    }


def enrollment_record(enrollment: PayerEnrollment) -> dict[str, Any]:
    return {
        "id": enrollment.id,
        "payer": enrollment.payer,
        "payer_provider_id": enrollment.payer_provider_id,
        "status": enrollment.status,
        "status_on": enrollment.status_on,
        "submitted_on": enrollment.submitted_on,
        "effective_on": enrollment.effective_on,
        "recred_due_on": enrollment.recred_due_on,
    }


def notice_record(notice: Notice) -> dict[str, Any]:
    """One item named in a notice mailed to the provider (``expire-check --notify-providers``).

    The address is keyed ``email`` so that ``--redact`` hides it like any contact detail.
    """
    return {
        "id": notice.id,
        "item": notice.item_key,
        "band": notice.band,
        "sent_at": notice.sent_at,
        "email": notice.to_address,
    }


def iso(value: Any) -> Any:
    """JSON-ready value: dates as ISO text, everything else as it is."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
