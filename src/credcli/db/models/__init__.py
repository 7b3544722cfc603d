"""All mapped tables; importing this package registers them on ``Base.metadata``."""

from credcli.db.models.audit import AuditEntry
from credcli.db.models.base import Base
from credcli.db.models.notice import Notice
from credcli.db.models.payer import PayerEnrollment
from credcli.db.models.pipeline import (
    CommitteeDecision,
    CommitteeMeeting,
    CredentialingFile,
    FileEvent,
    OutstandingItem,
)
from credcli.db.models.provider import Credential, Provider
from credcli.db.models.screening import (
    ExclusionRecord,
    ListLoad,
    NppesRecord,
    ScreeningHit,
    ScreeningRun,
)
from credcli.db.models.verification import Verification

__all__ = [
    "AuditEntry",
    "Base",
    "CommitteeDecision",
    "CommitteeMeeting",
    "Credential",
    "CredentialingFile",
    "FileEvent",
    "Notice",
    "OutstandingItem",
    "PayerEnrollment",
    "Provider",
    "Verification",
    "ExclusionRecord",
    "ListLoad",
    "NppesRecord",
    "ScreeningHit",
    "ScreeningRun",
]
