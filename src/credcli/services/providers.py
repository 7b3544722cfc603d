"""Providers: intake of one provider, listing, the full record, updates, termination."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from credcli.db.models import (
    CredentialingFile,
    FileEvent,
    Notice,
    PayerEnrollment,
    Provider,
)
from credcli.domain import dates, expiry, identifiers, pipeline, provider_status
from credcli.domain.vocab import FileCycle, FileStage, ProviderStatus
from credcli.errors import ConflictError, FieldError, InputError, NotFoundError
from credcli.services import audit, records, when


@dataclass(frozen=True)
class Intake:
    provider: Provider
    file: CredentialingFile


def find(session: Session, npi: str) -> Provider:
    """The provider with this NPI, or a NotFoundError that says so."""
    value = identifiers.normalize_npi(npi)
    problem = identifiers.npi_problem(value)
    if problem:
        raise FieldError("npi", npi, problem)
    provider = session.scalar(select(Provider).where(Provider.npi == value))
    if provider is None:
        raise NotFoundError(f"no provider with NPI {value} in the registry")
    return provider


def intake(session: Session, fields: dict[str, Any], received: str | dt.date | None) -> Intake:
    """Register a new provider (status applicant) and open their initial credentialing file."""
    from credcli.services.validation import (  # pydantic: only when writing
        NewProvider,
        validate,
    )

    data = validate(NewProvider, {k: v for k, v in fields.items() if v is not None})
    received_on = when.past("received", received, "give the day the application arrived")
    existing = session.scalar(select(Provider).where(Provider.npi == data.npi))
    if existing is not None:
        raise ConflictError(
            f"NPI {data.npi} is already registered ({existing.display_name}); use "
            "'credcli provider update' to change it or 'credcli file open' for a new file"
        )
    values = data.model_dump(exclude_none=True)
    values.setdefault("status", ProviderStatus.applicant.value)
    provider = Provider(**values, status_date=received_on)
    session.add(provider)
    file = CredentialingFile(
        provider=provider,
        cycle=FileCycle.initial.value,
        received_on=received_on,
        stage=FileStage.intake.value,
        stage_since=received_on,
        last_activity_on=received_on,
    )
    session.add(file)
    session.add(
        FileEvent(file=file, on=received_on, kind="opened", to_value="intake", actor=audit.actor())
    )
    session.flush()
    return Intake(provider, file)


def list_providers(
    session: Session, *, status: str | None = None, search: str | None = None
) -> list[dict[str, Any]]:
    query = select(Provider).order_by(Provider.last_name, Provider.first_name, Provider.npi)
    if status:
        query = query.where(Provider.status == status)
    if search:
        # Literal text: a % or _ in the search matches itself, not any character.
        text = search.strip().lower()
        query = query.where(
            func.lower(Provider.last_name).contains(text, autoescape=True)
            | func.lower(Provider.first_name).contains(text, autoescape=True)
            | Provider.npi.contains(text, autoescape=True)
        )
    return [records.provider_summary(p) for p in session.scalars(query)]


def detail(session: Session, npi: str) -> dict[str, Any]:
    """Everything the registry knows about one provider."""
    provider = find(session, npi)
    session.refresh(provider)
    files = session.scalars(
        select(CredentialingFile)
        .where(CredentialingFile.provider_id == provider.id)
        .options(selectinload(CredentialingFile.items))
        .order_by(CredentialingFile.id)
    ).all()
    enrollments = session.scalars(
        select(PayerEnrollment)
        .where(PayerEnrollment.provider_id == provider.id)
        .order_by(PayerEnrollment.payer)
    ).all()
    notices = session.scalars(
        select(Notice).where(Notice.provider_id == provider.id).order_by(Notice.id)
    ).all()
    record = records.provider_record(provider)
    today = dates.today()
    record["credentials"] = [
        {
            **records.credential_record(c),
            "status": expiry.credential_status(c.status, c.expires_on, today),
        }
        for c in provider.credentials
    ]
    record["files"] = [records.file_record(f) for f in files]
    record["verifications"] = [records.verification_record(v) for v in provider.verifications]
    record["enrollments"] = [records.enrollment_record(e) for e in enrollments]
    record["hits"] = _hits(session, provider)
    record["notices"] = [records.notice_record(n) for n in notices]
    return record


def _hits(session: Session, provider: Provider) -> list[dict[str, Any]]:
    """Every exclusion-screening hit, open or disposed, as ``verify hits --all`` shows it.

    The list's own record is left out: it carries the listed person's date of birth
    and address, which ``verify hits`` shows to the coordinator deciding the hit.
    """
    from credcli.services import hits  # hits imports this module

    return [
        {k: v for k, v in hit.items() if k not in ("npi", "provider", "record")}
        for hit in hits.list_hits(session, status=None, npi=provider.npi)
    ]


def update(
    session: Session, npi: str, fields: dict[str, Any], *, on: str | dt.date | None = None
) -> dict[str, tuple[Any, Any]]:
    """Apply the given fields; returns {field: (old, new)} for what actually changed."""
    from credcli.services.validation import (  # pydantic: only when writing
        ProviderFields,
        validate,
    )

    provider = find(session, npi)
    given = {k: v for k, v in fields.items() if v is not None}
    data = validate(ProviderFields, given).model_dump(include=set(given))
    if data.get("status") == ProviderStatus.terminated.value:
        raise ConflictError("use 'credcli provider terminate' to terminate a provider")
    if on is not None and "status" not in data:
        raise InputError("--date is the day a status change takes effect: give it with --status")
    if "status" in data:
        _check_status_change(session, provider, data["status"])
    changes: dict[str, tuple[Any, Any]] = {}
    for name, value in data.items():
        old = getattr(provider, name)
        if old != value:
            changes[name] = (old, value)
            setattr(provider, name, value)
    if "status" in changes:
        provider.status_date = when.past(
            "date", on, "a status change is recorded once it has happened"
        )
        if provider.terminated_on is not None:
            provider.terminated_on = None
            provider.termination_reason = None
    session.flush()
    return changes


def _check_status_change(session: Session, provider: Provider, status: str) -> None:
    credentialed = provider.initial_cred_date or provider.last_cred_date
    refusal = provider_status.refused_change(
        provider.status, status, credentialed=credentialed is not None
    )
    who = f"{provider.display_name} (NPI {provider.npi})"
    if refusal is provider_status.Refusal.NOT_CREDENTIALED:
        open_file = session.scalar(
            select(CredentialingFile).where(
                CredentialingFile.provider_id == provider.id,
                CredentialingFile.stage.in_([stage.value for stage in pipeline.OPEN_STAGES]),
            )
        )
        how = (
            f"their file {open_file.id} is at stage {open_file.stage}; 'credcli committee "
            f"record --date D {open_file.id} --decision approved' records the approval"
            if open_file is not None
            else f"open one with 'credcli file open {provider.npi} --cycle initial'"
        )
        raise ConflictError(
            f"{who} has not been credentialed and cannot be made {status}: "
            f"only the committee's approval of their initial file makes them active ({how})."
            + _ending(provider, open_file)
        )
    if refusal is provider_status.Refusal.CREDENTIALED:
        raise ConflictError(
            f"{who} was credentialed on {credentialed}: a credentialed provider does not "
            "go back to applicant; use --status inactive for one who has stopped practising"
        )
    if refusal is provider_status.Refusal.TERMINATED:
        raise ConflictError(f"{who} {returning(provider)}")
    if status == ProviderStatus.active.value:
        from credcli.services import queue  # queue builds on the checklist, not on this module

        found = queue.confirmed_hits(session, provider.id)
        if found:
            confirmed = found[0][0]
            raise ConflictError(
                f"{who} is excluded (confirmed exclusion hit #{confirmed}): an excluded "
                "provider is not made active; once the exclusion is lifted (reinstatement), "
                f"record it with 'credcli verify clear {confirmed} --reason ...'"
            )


def returning(provider: Provider) -> str:
    """Why a terminated provider does not simply practise again, and the way back."""
    return (
        f"was terminated on {provider.terminated_on}: a provider who left comes back "
        "through credentialing: 'credcli provider update "
        f"{provider.npi} --status applicant', then 'credcli file open {provider.npi} "
        "--cycle initial'"
    )


def _ending(provider: Provider, open_file: CredentialingFile | None) -> str:
    if open_file is not None:
        return " To end the application use 'credcli file withdraw' or 'credcli provider terminate'"
    if provider.status == ProviderStatus.applicant.value:
        return " To record that they will not practise here use 'credcli provider terminate'"
    return ""


@dataclass(frozen=True)
class Terminated:
    provider: Provider
    withdrawn_file: int | None  # the open credentialing file closed with the termination


def terminate(
    session: Session, npi: str, *, on: str | dt.date | None, reason: str | None
) -> Terminated:
    """Terminate a provider, keeping the record; an open credentialing file is withdrawn,
    since nobody will decide it and its items should no longer be chased."""
    provider = find(session, npi)
    if provider.status == ProviderStatus.terminated.value:
        raise ConflictError(
            f"{provider.display_name} (NPI {provider.npi}) was already terminated on "
            f"{provider.terminated_on}"
        )
    # A termination takes effect at once (the provider leaves expiry checks and screening),
    # so it is recorded on or after the day the provider leaves, never ahead of it.
    day = when.past("date", on, "record a termination on or after the provider's last day")
    reason = " ".join((reason or "").split()) or None
    if reason is not None:
        from credcli.services.validation import check_length, text_limit

        check_length("reason", reason, text_limit("providers", "termination_reason"))
    provider.status = ProviderStatus.terminated.value
    provider.status_date = day
    provider.terminated_on = day
    provider.termination_reason = reason
    session.flush()
    open_file = session.scalar(
        select(CredentialingFile).where(
            CredentialingFile.provider_id == provider.id,
            CredentialingFile.stage.in_([stage.value for stage in pipeline.OPEN_STAGES]),
        )
    )
    if open_file is None:
        return Terminated(provider, None)
    from credcli.services import files  # files builds on this module

    closing = max(day, open_file.last_activity_on or open_file.received_on)
    why = "provider terminated" + (f": {reason}" if reason else "")
    from credcli.services.validation import NOTES_LIMIT

    files.withdraw(session, open_file.id, why[:NOTES_LIMIT], closing.isoformat())
    return Terminated(provider, open_file.id)
