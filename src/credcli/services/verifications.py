"""Primary-source verification records, and the status of a provider's verifications.

``status`` is built on the shared checklist (services/checklist.py), which holds
the PSV freshness rules; here we only add who/how/evidence details.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from credcli.db.models import Credential, CredentialingFile, Verification
from credcli.domain import dates, expiry, pipeline, psv
from credcli.domain.vocab import VerificationMethod, VerificationResult
from credcli.errors import FieldError, InputError
from credcli.services import audit, checklist, providers, when


@dataclass(frozen=True)
class Status:
    npi: str
    provider: str
    as_of: dt.date
    verdict: psv.Verdict
    elements: list[dict[str, Any]]


def record(
    session: Session,
    npi: str,
    element: str,
    *,
    method: str,
    result: str,
    on: str | None = None,
    by: str | None = None,
    source: str | None = None,
    note: str | None = None,
    evidence: Path | None = None,
) -> Verification:
    provider = providers.find(session, npi)
    try:
        name = psv.normalize_element(element)
    except ValueError as exc:
        raise FieldError("element", element, str(exc)) from None
    if name == "license":
        _refuse_stateless_license(session, provider.id, element)
    method = _choice("method", method, [m.value for m in VerificationMethod])
    result = _choice("result", result, [r.value for r in VerificationResult])
    verified_on = _verified_on(on)
    path, digest = _evidence(evidence) if evidence is not None else (None, None)
    verification = Verification(
        provider_id=provider.id,
        credential_id=_credential_id(session, provider.id, name),
        file_id=session.scalar(
            select(CredentialingFile.id)
            .where(
                CredentialingFile.provider_id == provider.id,
                CredentialingFile.stage.in_([stage.value for stage in pipeline.OPEN_STAGES]),
            )
            .order_by(CredentialingFile.id.desc())
            .limit(1)
        ),
        element=name,
        source=_text(source),
        method=method,
        verified_on=verified_on,
        verified_by=_text(by) or audit.actor(),
        result=result,
        notes=_text(note),
        evidence_path=path,
        evidence_sha256=digest,
    )
    session.add(verification)
    session.flush()
    return verification


def status(session: Session, npi: str, as_of: dt.date) -> Status:
    provider = providers.find(session, npi)
    listing = checklist.for_provider(session, provider, as_of)
    ids = [e.verification_id for e in listing.elements if e.verification_id is not None]
    details = {
        v.id: v for v in session.scalars(select(Verification).where(Verification.id.in_(ids)))
    }
    elements = []
    for element in listing.elements:
        found = details.get(element.verification_id) if element.verification_id else None
        row = element.as_dict()
        row.update(
            method=found.method if found else None,
            source=found.source if found else None,
            verified_by=found.verified_by if found else None,
            evidence=evidence_state(found.evidence_path, found.evidence_sha256) if found else None,
        )
        elements.append(row)
    return Status(provider.npi, provider.display_name, as_of, listing.verdict, elements)


def evidence_state(path: str | None, digest: str | None) -> str | None:
    """None without evidence; else 'unchanged', 'changed since recorded', 'missing' or
    'unreadable'."""
    if not path:
        return None
    file = Path(path)
    if not file.is_file():
        return "missing"
    try:
        same = _sha256(file) == digest
    except OSError:
        return "unreadable"
    return "unchanged" if same else "changed since recorded"


def _refuse_stateless_license(session: Session, provider_id: int, element: str) -> None:
    """A provider with state licenses needs each verified as license:ST (the checklist's
    rule); a plain 'license' verification would count for none of them."""
    held = session.execute(
        select(Credential.kind, Credential.state, Credential.status).where(
            Credential.provider_id == provider_id
        )
    ).all()
    required = psv.required_elements([(kind, state, status) for kind, state, status in held])
    if "license" not in required:
        named = ", ".join(e for e in required if e.startswith("license:"))
        raise FieldError(
            "element", element, f"the provider holds state licenses; name the state ({named})"
        )


def _credential_id(session: Session, provider_id: int, element: str) -> int | None:
    kind, _, state = element.partition(":")
    if kind not in ("license", "dea", "cds", "board"):
        return None
    query = select(Credential.id).where(
        Credential.provider_id == provider_id, Credential.kind == kind
    )
    if state:
        query = query.where(Credential.state == state)
    return session.scalar(query.order_by(Credential.id.desc()).limit(1))


def _choice(field: str, value: str, allowed: list[str]) -> str:
    text = value.strip().lower()
    if text not in allowed:
        raise FieldError(field, value, f"must be one of {', '.join(allowed)}")
    return text


def _verified_on(value: str | None) -> dt.date:
    """Not after today (it has happened), nor before the earliest day credcli reckons
    with (the expiry checks' bound): a year typed wrong would count as a verification."""
    day = when.past("date", value, "a verification is recorded once it has been made")
    if day < expiry.EARLIEST_AS_OF:
        raise FieldError(
            "date",
            value or day.isoformat(),
            f"is out of range; give a date from {expiry.EARLIEST_AS_OF.isoformat()} to today "
            f"({dates.today()})",
        )
    return day


def _evidence(path: Path) -> tuple[str, str]:
    file = path.expanduser()
    if not file.exists():
        raise InputError(f"evidence {path}: no such file")
    if not file.is_file():
        raise InputError(f"evidence {path} is not a file")
    try:
        return str(file.resolve()), _sha256(file)
    except OSError as exc:
        raise InputError(f"evidence {path}: cannot read it ({exc.strerror or exc})") from None


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _text(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None
