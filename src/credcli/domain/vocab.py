"""The vocabularies the registry is written in. Values are what is stored and typed."""

from __future__ import annotations

from enum import StrEnum


class ProviderStatus(StrEnum):
    applicant = "applicant"
    active = "active"
    inactive = "inactive"
    terminated = "terminated"


class CredentialKind(StrEnum):
    license = "license"
    dea = "dea"
    cds = "cds"
    board = "board"
    malpractice = "malpractice"
    education = "education"
    training = "training"
    life_support = "life-support"
    attestation = "attestation"
    privileges = "privileges"
    other = "other"


CREDENTIAL_KIND_LABELS: dict[CredentialKind, str] = {
    CredentialKind.license: "state license",
    CredentialKind.dea: "DEA registration",
    CredentialKind.cds: "state CDS registration",
    CredentialKind.board: "board certification",
    CredentialKind.malpractice: "malpractice insurance",
    CredentialKind.education: "education",
    CredentialKind.training: "training",
    CredentialKind.life_support: "life-support certificate",
    CredentialKind.attestation: "CAQH attestation",
    CredentialKind.privileges: "hospital privileges",
    CredentialKind.other: "other",
}


class CredentialStatus(StrEnum):
    active = "active"
    pending = "pending"
    expired = "expired"
    inactive = "inactive"
    revoked = "revoked"


class FileCycle(StrEnum):
    initial = "initial"
    recredential = "recredential"


class FileStage(StrEnum):
    intake = "intake"
    verification = "verification"
    committee_ready = "committee-ready"
    committee = "committee"
    decided = "decided"
    withdrawn = "withdrawn"  # closed without a committee decision (file withdraw)


class Decision(StrEnum):
    approved = "approved"
    denied = "denied"
    deferred = "deferred"


class VerificationMethod(StrEnum):
    web = "web"
    phone = "phone"
    letter = "letter"
    email = "email"
    api = "api"
    file = "file"


class VerificationResult(StrEnum):
    verified = "verified"
    discrepancy = "discrepancy"
    not_found = "not-found"
    unable = "unable"


class EnrollmentStatus(StrEnum):
    submitted = "submitted"
    in_review = "in-review"
    approved = "approved"
    denied = "denied"
    effective = "effective"


class ItemStatus(StrEnum):
    open = "open"
    received = "received"
    waived = "waived"


class FileEventKind(StrEnum):
    """What happened to a credentialing file; ``file_events.kind``."""

    opened = "opened"
    stage = "stage"  # from_value -> to_value are stage names
    assign = "assign"
    request = "request"  # an outstanding item was requested
    receive = "receive"  # an outstanding item arrived
    waive = "waive"  # an outstanding item is no longer needed
    follow_up = "follow-up"
    decision = "decision"  # to_value is the decision
    notice = "notice"  # decision notice sent to the provider
    withdraw = "withdraw"  # closed without a decision; from_value the stage left, note the reason
    note = "note"
