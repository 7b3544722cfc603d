"""``report metrics``: how the credentialing function performs over a period.

Every figure is computed from the files, their event history and the payer
enrollments; definitions are in :data:`credcli.domain.metrics.DEFINITIONS`.
History is read in three queries, whatever the registry's size.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from credcli.db.models import CredentialingFile, FileEvent, PayerEnrollment
from credcli.domain import expiry
from credcli.domain import metrics as m
from credcli.errors import FieldError, InputError
from credcli.services import file_audit, screening_evidence


@dataclass
class _File:
    id: int
    cycle: str
    received_on: dt.date
    stage: str
    due_on: dt.date | None
    decisions: list[m.DecisionEntry] = field(default_factory=list)
    transitions: list[m.Transition] = field(default_factory=list)
    first_from: str | None = None  # stage left by the first stage event
    opened: bool = False  # an "opened" event exists

    @property
    def withdrawn_on(self) -> dt.date | None:
        """The day the file was withdrawn (its stage event into ``withdrawn``), if it was."""
        return next((t.on for t in self.transitions if t.stage == m.WITHDRAWN_STAGE), None)

    @property
    def final(self) -> m.DecisionEntry | None:
        return m.final_decision(self.decisions)

    def moves(self) -> list[m.Transition]:
        if self.transitions and self.first_from and not self.opened:
            return [m.Transition(self.received_on, self.first_from), *self.transitions]
        return self.transitions


def period(start: dt.date | None, end: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    to = end or today
    for option, day in (("--from", start), ("--to", to)):
        if day is not None and not expiry.EARLIEST_AS_OF <= day <= expiry.LATEST_AS_OF:
            raise FieldError(
                option,
                day.isoformat(),
                f"is out of range; give a date from {expiry.EARLIEST_AS_OF.isoformat()} "
                f"to {expiry.LATEST_AS_OF.isoformat()}",
            )
    since = start or m.default_from(to)
    if since > to:
        raise InputError(f"--from {since} is after --to {to}")
    return since, to


def compute(session: Session, *, start: dt.date, end: dt.date) -> dict[str, Any]:
    files = _load(session, end)
    return {
        "period": {"from": start, "to": end},
        "days_to_credential": _days_to_credential(files, start, end),
        "backlog": _backlog(files, end),
        "recredentialing_on_time": _on_time(files, start, end),
        "denial_rate": _denials(files, start, end),
        "days_in_stage": _days_in_stage(files, start, end),
        "payer_turnaround": _payers(session, start, end),
        "exclusion_hits": _hits(session),
        "audit_findings": _audit(session, start, end),
    }


def _load(session: Session, end: dt.date) -> list[_File]:
    rows = session.execute(
        select(
            CredentialingFile.id,
            CredentialingFile.cycle,
            CredentialingFile.received_on,
            CredentialingFile.stage,
            CredentialingFile.due_on,
            CredentialingFile.decision,
            CredentialingFile.decision_on,
        )
        .where(CredentialingFile.received_on <= end)
        .order_by(CredentialingFile.id)
    ).all()
    files: dict[int, _File] = {}
    recorded: dict[int, tuple[str | None, dt.date | None]] = {}
    for fid, cycle, received, stage, due, decision, decided in rows:
        files[fid] = _File(fid, cycle, received, stage, due)
        recorded[fid] = (decision, decided)
    events = session.execute(
        select(
            FileEvent.file_id,
            FileEvent.on,
            FileEvent.kind,
            FileEvent.from_value,
            FileEvent.to_value,
        )
        .join(CredentialingFile, CredentialingFile.id == FileEvent.file_id)
        .where(
            CredentialingFile.received_on <= end,
            FileEvent.kind.in_(("opened", "stage", "decision")),
        )
        .order_by(FileEvent.file_id, FileEvent.on, FileEvent.id)
    ).all()
    for fid, on, kind, from_value, to_value in events:
        file = files[fid]
        if kind == "decision":
            if to_value:
                file.decisions.append(m.DecisionEntry(on, to_value))
            continue
        if kind == "opened":
            file.opened = True
        elif not file.transitions and from_value:
            file.first_from = from_value
        if to_value:
            file.transitions.append(m.Transition(on, to_value))
    for fid, (decision, decided) in recorded.items():
        entry = m.DecisionEntry(decided, decision) if decision and decided else None
        if entry is not None and entry not in files[fid].decisions:
            files[fid].decisions.append(entry)
    return list(files.values())


def _days_to_credential(files: list[_File], start: dt.date, end: dt.date) -> dict[str, Any]:
    by_month: dict[dt.date, list[int]] = defaultdict(list)
    for file in files:
        final = file.final
        if file.cycle == "initial" and final and m.within(final.on, start, end):
            by_month[m.month_start(final.on)].append((final.on - file.received_on).days)
    overall = m.summarize(day for days in by_month.values() for day in days)
    months = []
    for month in m.months(start, end):
        summary = m.summarize(by_month.get(month, []))
        months.append(
            {
                "month": month.strftime("%Y-%m"),
                "files": summary.count,
                "average_days": summary.average,
                "median_days": summary.median,
            }
        )
    return {
        "files": overall.count,
        "average_days": overall.average,
        "median_days": overall.median,
        "by_month": months,
    }


def _backlog(files: list[_File], as_of: dt.date) -> dict[str, Any]:
    grid: dict[str, Counter[str]] = {stage: Counter() for stage in m.OPEN_STAGES}
    for file in files:
        if m.final_decision(file.decisions, as_of) is not None:
            continue
        stage = m.stage_on(file.moves(), as_of, file.stage)
        if stage == m.WITHDRAWN_STAGE:
            continue
        grid.setdefault(stage, Counter())[m.age_band(file.received_on, as_of)] += 1
    bands = [label for label, _, _ in m.AGE_BANDS]
    by_stage = [
        {"stage": stage, **{band: counts[band] for band in bands}, "files": sum(counts.values())}
        for stage, counts in grid.items()
        if stage in m.OPEN_STAGES or counts
    ]
    by_age = [{"band": band, "files": sum(c[band] for c in grid.values())} for band in bands]
    return {
        "as_of": as_of,
        "open_files": sum(row["files"] for row in by_stage),
        "by_stage": by_stage,
        "by_age": by_age,
    }


def _on_time(files: list[_File], start: dt.date, end: dt.date) -> dict[str, Any]:
    decided = on_time = no_due = 0
    for file in files:
        final = file.final
        if file.cycle != "recredential" or not final or not m.within(final.on, start, end):
            continue
        if file.due_on is None:
            no_due += 1
            continue
        decided += 1
        on_time += 1 if final.on <= file.due_on else 0
    return {
        "decided": decided,
        "on_time": on_time,
        "late": decided - on_time,
        "without_due_date": no_due,
        "rate_percent": m.rate_percent(on_time, decided),
    }


def _denials(files: list[_File], start: dt.date, end: dt.date) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    for file in files:
        final = file.final
        if final and m.within(final.on, start, end):
            counts[final.decision] += 1
        counts["deferred"] += sum(
            1 for d in file.decisions if d.decision == "deferred" and m.within(d.on, start, end)
        )
        if m.within(file.withdrawn_on, start, end):
            counts["withdrawn"] += 1
    return {
        "approved": counts["approved"],
        "denied": counts["denied"],
        "deferred": counts["deferred"],
        "withdrawn": counts["withdrawn"],
        "rate_percent": m.rate_percent(counts["denied"], counts["approved"] + counts["denied"]),
    }


def _days_in_stage(files: list[_File], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    found: dict[str, list[int]] = {stage: [] for stage in m.OPEN_STAGES}
    for file in files:
        for stay in m.stays(file.moves(), file.final):
            if stay.days is not None and m.within(stay.left, start, end):
                found.setdefault(stay.stage, []).append(stay.days)
    rows = []
    for stage, days in found.items():
        summary = m.summarize(days)
        rows.append(
            {
                "stage": stage,
                "stays": summary.count,
                "average_days": summary.average,
                "median_days": summary.median,
            }
        )
    return rows


def _payers(session: Session, start: dt.date, end: dt.date) -> dict[str, Any]:
    rows = session.execute(
        select(
            PayerEnrollment.payer,
            PayerEnrollment.status,
            PayerEnrollment.submitted_on,
            PayerEnrollment.effective_on,
        ).where(PayerEnrollment.submitted_on <= end)
    ).all()
    days: dict[str, list[int]] = defaultdict(list)
    retro: Counter[str] = Counter()
    pending: Counter[str] = Counter()
    for payer, status, submitted, effective in rows:
        if effective is not None and m.within(effective, start, end):
            if effective < submitted:
                retro[payer] += 1
            else:
                days[payer].append((effective - submitted).days)
        effective_by_end = effective is not None and effective <= end
        if (
            status != "denied"
            and not effective_by_end
            and not (effective is None and status == "effective")
        ):
            pending[payer] += 1
    overall = m.summarize(d for values in days.values() for d in values)
    by_payer = []
    for payer in sorted(set(days) | set(retro) | set(pending), key=str.casefold):
        summary = m.summarize(days.get(payer, []))
        by_payer.append(
            {
                "payer": payer,
                "enrollments": summary.count,
                "average_days": summary.average,
                "median_days": summary.median,
                "retroactive": retro[payer],
                "pending": pending[payer],
            }
        )
    return {
        "enrollments": overall.count,
        "average_days": overall.average,
        "median_days": overall.median,
        "retroactive": sum(retro.values()),
        "pending": sum(pending.values()),
        "by_payer": by_payer,
    }


def _hits(session: Session) -> dict[str, Any]:
    found = screening_evidence.open_hits(session)
    if found is None:
        return {
            "screened": False,
            "open_hits": None,
            "basis": "the registry holds no exclusion screening records",
        }
    return {"screened": True, "open_hits": found.count, "basis": found.basis}


def _audit(session: Session, start: dt.date, end: dt.date) -> dict[str, Any]:
    report = file_audit.run(session, as_of=end, period_from=start, period_to=end)
    totals = report.totals()
    return {
        "files_audited": totals["files_audited"],
        "findings": totals["finding_count"],
        "files_with_findings": totals["files_with_findings"],
    }
