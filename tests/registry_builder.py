"""Build registries with known files and dates by inserting rows directly.

Report tests must not depend on other commands' behaviour, so files, their event
history, verifications and enrollments are written as ORM rows here, through the
registry's own session (so the audit log records them like any other change).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy.orm import Session

from credcli.db.models import (
    Credential,
    CredentialingFile,
    FileEvent,
    PayerEnrollment,
    Provider,
    Verification,
)
from credcli.domain.identifiers import npi_check_digit
from credcli.services import registry


def npi(n: int) -> str:
    """A valid synthetic NPI, different for every ``n``."""
    first_nine = f"{100000000 + n:09d}"
    return first_nine + str(npi_check_digit(first_nine))


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class Builder:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.count = 0

    def provider(self, last: str, first: str = "Pat", **fields: object) -> Provider:
        self.count += 1
        provider = Provider(npi=npi(self.count), first_name=first, last_name=last, **fields)
        self.session.add(provider)
        self.session.flush()
        return provider

    def credential(self, provider: Provider, kind: str, state: str | None = None) -> None:
        self.session.add(Credential(provider_id=provider.id, kind=kind, state=state))
        self.session.flush()

    def verify(self, provider: Provider, element: str, on: str, result: str = "verified") -> None:
        self.session.add(
            Verification(
                provider_id=provider.id,
                element=element,
                method="web",
                verified_on=day(on),
                verified_by="tester",
                result=result,
            )
        )
        self.session.flush()

    def file(
        self,
        provider: Provider,
        *,
        received: str,
        cycle: str = "initial",
        stages: Sequence[tuple[str, str]] = (),
        decisions: Sequence[tuple[str, str]] = (),
        due: str | None = None,
        notice: str | None = None,
        events: bool = True,
        stage: str | None = None,
    ) -> CredentialingFile:
        """A file with an "opened" event, stage events ``(date, stage)``, decision events
        ``(date, decision)`` (the last one is also stored on the file) and a notice."""
        final = decisions[-1] if decisions else None
        current = stage or (stages[-1][1] if stages else "intake")
        if final and final[1] in ("approved", "denied") and stage is None:
            current = "decided"
        file = CredentialingFile(
            provider_id=provider.id,
            cycle=cycle,
            received_on=day(received),
            stage=current,
            due_on=day(due) if due else None,
            decision=final[1] if final else None,
            decision_on=day(final[0]) if final else None,
            notice_sent_on=day(notice) if notice else None,
        )
        self.session.add(file)
        self.session.flush()
        if events:
            self._event(file, received, "opened", None, "intake")
            previous = "intake"
            for on, name in stages:
                self._event(file, on, "stage", previous, name)
                previous = name
            for on, decision in decisions:
                self._event(file, on, "decision", None, decision)
        return file

    def _event(
        self, file: CredentialingFile, on: str, kind: str, before: str | None, after: str | None
    ) -> None:
        self.session.add(
            FileEvent(file_id=file.id, on=day(on), kind=kind, from_value=before, to_value=after)
        )
        self.session.flush()

    def enroll(
        self,
        provider: Provider,
        payer: str,
        submitted: str,
        effective: str | None = None,
        status: str = "submitted",
    ) -> None:
        self.session.add(
            PayerEnrollment(
                provider_id=provider.id,
                payer=payer,
                status=status,
                submitted_on=day(submitted),
                effective_on=day(effective) if effective else None,
            )
        )
        self.session.flush()


@contextmanager
def build(db: str) -> Iterator[Builder]:
    with registry.session(db, write=True) as session:
        yield Builder(session)
