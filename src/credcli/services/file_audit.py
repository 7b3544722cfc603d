"""The file audit: decided files checked element by element, as a surveyor would.

Each required element is judged by the shared checklist on the decision date (so
the audit and the committee agenda never disagree about freshness), then the
exclusion screening and the decision notice. Every failure is one finding. Only the
elements of credentials the provider held when the file was decided are required:
a license or DEA registration added since is not the decided file's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from credcli.db.models import CredentialingFile, FileEvent, Provider
from credcli.domain import file_audit as rules
from credcli.domain import psv
from credcli.domain.metrics import FINAL_DECISIONS, rate_percent
from credcli.domain.vocab import FileEventKind
from credcli.errors import InputError
from credcli.services import checklist, screening_evidence

_CHECK_ORDER = [*psv.BASE_ELEMENTS, rules.CHECK_SCREENING, rules.CHECK_NOTICE]


@dataclass
class AuditedFile:
    file_id: int
    npi: str
    provider: str
    cycle: str
    decision: str
    decision_on: dt.date
    outcomes: list[rules.Outcome] = field(default_factory=list)

    @property
    def failures(self) -> list[rules.Outcome]:
        return [o for o in self.outcomes if o.passed is False]


@dataclass
class AuditReport:
    as_of: dt.date
    period_from: dt.date | None
    period_to: dt.date | None
    population: int
    sample_size: int | None
    seed: int | None
    files: list[AuditedFile]

    def findings(self) -> list[dict[str, Any]]:
        return [
            {
                "file_id": f.file_id,
                "npi": f.npi,
                "provider": f.provider,
                "decision": f.decision,
                "decision_on": f.decision_on,
                "element": o.check,
                "rule": o.rule,
                "detail": o.detail,
            }
            for f in self.files
            for o in f.failures
        ]

    def summary(self) -> list[dict[str, Any]]:
        counts: dict[str, list[int]] = {}
        for audited in self.files:
            for outcome in audited.outcomes:
                if outcome.passed is None:
                    continue
                tally = counts.setdefault(rules.check_group(outcome.check), [0, 0])
                tally[0] += 1
                tally[1] += 1 if outcome.passed else 0
        ordered = sorted(counts, key=lambda k: (_rank(k), k))
        return [
            {
                "element": key,
                "checked": counts[key][0],
                "passed": counts[key][1],
                "failed": counts[key][0] - counts[key][1],
                "pass_rate_percent": rate_percent(counts[key][1], counts[key][0]),
            }
            for key in ordered
        ]

    def file_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "file_id": f.file_id,
                "npi": f.npi,
                "provider": f.provider,
                "cycle": f.cycle,
                "decision": f.decision,
                "decision_on": f.decision_on,
                "checks": sum(1 for o in f.outcomes if o.passed is not None),
                "findings": len(f.failures),
                "result": "pass" if not f.failures else "fail",
            }
            for f in self.files
        ]

    def totals(self) -> dict[str, Any]:
        failing = sum(1 for f in self.files if f.failures)
        return {
            "as_of": self.as_of,
            "from": self.period_from,
            "to": self.period_to,
            "decided_files": self.population,
            "files_audited": len(self.files),
            "sample": self.sample_size,
            "seed": self.seed,
            "files_passing": len(self.files) - failing,
            "files_with_findings": failing,
            "file_pass_rate_percent": rate_percent(len(self.files) - failing, len(self.files)),
            "finding_count": sum(len(f.failures) for f in self.files),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.totals(),
            "summary": self.summary(),
            "findings": self.findings(),
            "files": self.file_rows(),
        }


@dataclass(frozen=True)
class _Row:
    file_id: int
    cycle: str
    decision: str
    decided: dt.date
    notice_sent_on: dt.date | None
    provider_id: int
    npi: str
    last_name: str
    first_name: str
    degree: str | None

    @property
    def name(self) -> str:
        # Same form as Provider.display_name.
        name = f"{self.last_name}, {self.first_name}"
        return f"{name} {self.degree}" if self.degree else name


def _rank(key: str) -> int:
    return _CHECK_ORDER.index(key) if key in _CHECK_ORDER else len(_CHECK_ORDER)


def run(
    session: Session,
    *,
    as_of: dt.date,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    sample: int | None = None,
    seed: int = 0,
) -> AuditReport:
    """Audit the files with a final decision in the period (all, or a seeded sample)."""
    if sample is not None and sample < 1:
        raise InputError(f"--sample {sample}: give a number of files of at least 1")
    if period_from and period_to and period_from > period_to:
        raise InputError(f"--from {period_from} is after --to {period_to}")
    query = (
        select(
            CredentialingFile.id,
            CredentialingFile.cycle,
            CredentialingFile.decision,
            CredentialingFile.decision_on,
            CredentialingFile.notice_sent_on,
            Provider.id,
            Provider.npi,
            Provider.last_name,
            Provider.first_name,
            Provider.degree,
        )
        .join(Provider, Provider.id == CredentialingFile.provider_id)
        .where(
            CredentialingFile.decision.in_(FINAL_DECISIONS),
            CredentialingFile.decision_on.is_not(None),
            CredentialingFile.decision_on <= as_of,
        )
        .order_by(CredentialingFile.id)
    )
    if period_from is not None:
        query = query.where(CredentialingFile.decision_on >= period_from)
    if period_to is not None:
        query = query.where(CredentialingFile.decision_on <= period_to)
    population = [
        # the query only returns decided files, so decision and decided are never empty
        _Row(fid, cycle, decision or "", decided or as_of, sent, pid, npi, last, first, degree)
        for fid, cycle, decision, decided, sent, pid, npi, last, first, degree in session.execute(
            query
        )
    ]
    chosen = sorted(rules.sample(population, sample, seed), key=lambda row: row.file_id)
    notices = _notice_events(session, [row.file_id for row in chosen])
    screened = screening_evidence.screening_dates(session)
    recorded = _decisions_recorded(session, [row.file_id for row in chosen])
    lists = checklist.for_many(
        session,
        [(r.provider_id, r.npi, r.decided) for r in chosen],
        decided_at=[recorded.get(r.file_id) for r in chosen],
    )
    audited = []
    for row, found in zip(chosen, lists, strict=True):
        decided = row.decided
        entry = AuditedFile(row.file_id, row.npi, row.name, row.cycle, row.decision, decided)
        for status in found.elements:
            entry.outcomes.append(
                rules.element_outcome(status.element, status.state, status.verified_on, decided)
            )
        runs = None
        if screened is not None:
            runs = screened.get(None, []) + screened.get(row.provider_id, [])
        entry.outcomes.append(rules.screening_outcome(decided, runs))
        sent = row.notice_sent_on or _first_notice(notices.get(row.file_id, []), decided)
        entry.outcomes.append(rules.notice_outcome(decided, sent, as_of))
        audited.append(entry)
    return AuditReport(
        as_of,
        period_from,
        period_to,
        len(population),
        sample if sample is not None and sample < len(population) else None,
        seed if sample is not None and sample < len(population) else None,
        audited,
    )


def _notice_events(session: Session, file_ids: list[int]) -> dict[int, list[dt.date]]:
    out: dict[int, list[dt.date]] = {}
    for start in range(0, len(file_ids), 500):
        chunk = file_ids[start : start + 500]
        rows = session.execute(
            select(FileEvent.file_id, FileEvent.on).where(
                FileEvent.file_id.in_(chunk), FileEvent.kind == "notice"
            )
        ).all()
        for file_id, on in rows:
            out.setdefault(file_id, []).append(on)
    return out


def _decisions_recorded(session: Session, file_ids: list[int]) -> dict[int, dt.datetime]:
    """When each file's final decision was recorded (its decision event's moment)."""
    out: dict[int, dt.datetime] = {}
    for start in range(0, len(file_ids), 500):
        chunk = file_ids[start : start + 500]
        rows = session.execute(
            select(FileEvent.file_id, FileEvent.at)
            .where(
                FileEvent.file_id.in_(chunk),
                FileEvent.kind == FileEventKind.decision.value,
                FileEvent.to_value.in_(FINAL_DECISIONS),
            )
            .order_by(FileEvent.id)
        ).all()
        for file_id, at in rows:
            if at is not None:
                out[file_id] = at  # a decided file has one final decision; the last wins
    return out


def _first_notice(days: list[dt.date], decided: dt.date) -> dt.date | None:
    after = [day for day in days if day >= decided]
    return min(after) if after else None
