"""Mail the expiry digest to the office, and each provider a notice of their own items.

Nothing is recorded as sent unless the mail server accepted it: a notice is recorded
after its ``send`` returned, and a run that fails half-way keeps the record of the
notices that did go out (the caller commits them, then reports the failure). A provider
address the server refuses costs that provider's notice only: the others still go out.

:func:`prepare` checks the settings, the template and the dry-run folder before the
registry is read, so a broken setup fails at once, also on a day with nothing to send.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from credcli.db.models import Notice, Provider
from credcli.domain.expiry import CheckKind
from credcli.errors import EnvironmentProblem
from credcli.io import digest, mail
from credcli.services import registry
from credcli.services.expiry import Row

# Re-verifying a source and chasing a payer are the office's work, not the provider's.
NOT_FOR_PROVIDERS = frozenset({CheckKind.verification.value, CheckKind.payer.value})
_CHUNK = 500


@dataclass(frozen=True)
class MailPlan:
    """What mailing needs, checked up front by :func:`prepare`."""

    settings: mail.SmtpSettings
    template: digest.NoticeTemplate | None = None  # set when providers are notified
    dry_run: Path | None = None  # write .eml files here instead of sending


def prepare(*, notify: bool, template: Path | None = None, dry_run: Path | None = None) -> MailPlan:
    """Check the mail settings (a dry run needs no server, but what is set must be right),
    the notice template when providers are notified, and the dry-run folder."""
    if dry_run is not None:
        mail.check_folder(dry_run)
    conf = mail.settings(sending=dry_run is None)
    chosen = digest.notice_template(template) if notify else None
    return MailPlan(conf, chosen, dry_run)


@dataclass(frozen=True)
class Delivery:
    to: list[str]
    subject: str
    eml: Path | None  # set for a dry run


def send_digest(
    rows: Sequence[Row],
    *,
    as_of: dt.date,
    within: int,
    to: Sequence[str],
    plan: MailPlan,
) -> Delivery:
    """Send (or, for a dry run, write as .eml) the digest: text, HTML table, workbook."""
    conf, dry_run = plan.settings, plan.dry_run
    subject = digest.subject(rows, as_of)
    msg = mail.message(
        sender=conf.sender,
        to=to,
        subject=subject,
        text=digest.text_body(rows, as_of, within),
        html=digest.html_body(rows, as_of, within),
        attachments=[
            mail.Attachment(
                f"expire-check-{as_of.isoformat()}.xlsx",
                digest.workbook_bytes(rows),
                *digest.XLSX_TYPE,
            )
        ],
    )
    if dry_run is not None:
        path = mail.write_eml(dry_run, f"expire-check-{as_of.isoformat()}.eml", msg)
        return Delivery(list(to), subject, path)
    with mail.connect(conf) as mailer:
        mailer.send(msg)
    return Delivery(list(to), subject, None)


@dataclass
class NoticeRun:
    sent: list[Delivery] = field(default_factory=list)
    skipped_no_email: int = 0
    already_notified: int = 0
    refused: list[str] = field(default_factory=list)  # provider addresses the server refused
    failure: str | None = None  # the mail server failed; later notices were not sent
    where: str = ""

    def problem(self) -> str | None:
        """What went wrong, for the coordinator, or None when every notice went out."""
        refused = ", ".join(self.refused)
        if self.failure is not None:
            also = f"; it had refused the recipient(s) {refused}" if refused else ""
            return (
                f"{self.failure}{also}; {len(self.sent)} notice(s) went out before it "
                "and are recorded"
            )
        if refused:
            return (
                f"mail server {self.where} refused the recipient(s) {refused}, so their "
                f"notice(s) were not sent; {len(self.sent)} other notice(s) went out and are "
                "recorded"
            )
        return None


def notify_providers(
    db: str | None,
    rows: Sequence[Row],
    *,
    as_of: dt.date,
    plan: MailPlan,
) -> NoticeRun:
    """Send each provider with an email address one notice of their items not yet notified
    in their current band. A later band notifies again.

    The registry is read, then the mail is sent with no transaction open (a slow mail
    server must not hold the registry's write lock for minutes), then what the server
    accepted is recorded in one short write transaction, also when a later send failed.
    """
    chosen = plan.template or digest.notice_template()
    conf, dry_run = plan.settings, plan.dry_run
    mine: dict[str, list[Row]] = {}
    for row in rows:
        if row["kind"] not in NOT_FOR_PROVIDERS:
            mine.setdefault(row["npi"], []).append(row)
    run = NoticeRun(where=conf.where)
    if not mine:
        return run
    with registry.session(db) as session:
        people = _providers(session, list(mine))
        notified = _already(session, [pid for pid, _, _, _ in people.values()])
    outbox: list[tuple[str, int, str, list[Row], EmailMessage]] = []
    for npi, items in mine.items():
        pid, email, first, last = people[npi]
        if not email:
            run.skipped_no_email += 1
            continue
        fresh = [row for row in items if (pid, key(row), row["band"]) not in notified]
        run.already_notified += len(items) - len(fresh)
        if fresh:
            values = {
                "name": f"{first} {last}",
                "first_name": first,
                "last_name": last,
                "npi": npi,
                "as_of": as_of.isoformat(),
                "count": str(len(fresh)),
                "items": digest.notice_items(fresh),
            }
            subject, body = chosen.render(values)
            msg = mail.message(sender=conf.sender, to=[email], subject=subject, text=body)
            outbox.append((npi, pid, email, fresh, msg))
    if not outbox:
        return run
    if dry_run is not None:
        for npi, _pid, email, _fresh, msg in outbox:
            path = mail.write_eml(dry_run, f"notice-{npi}-{as_of.isoformat()}.eml", msg)
            run.sent.append(Delivery([email], str(msg["Subject"]), path))
        return run
    accepted = []
    try:
        with mail.connect(conf) as mailer:
            for entry in outbox:
                try:
                    mailer.send(entry[4])
                except mail.RecipientsRefused:
                    run.refused.append(entry[2])  # that provider's address only
                    continue
                accepted.append(entry)
    except EnvironmentProblem as exc:
        run.failure = exc.message
    if accepted:
        with registry.session(db, write=True) as session:
            for _npi, pid, email, fresh, msg in accepted:
                _record(session, pid, email, fresh, str(msg["Message-ID"]))
    run.sent = [Delivery([email], str(msg["Subject"]), None) for _, _, email, _, msg in accepted]
    return run


def key(row: Row) -> str:
    """What a notice is about: the item and its due date, so a renewal that lapses again
    is a new item."""
    return f"{row['ref']}@{row['due']}"


def _record(session: Session, pid: int, email: str, rows: list[Row], message_id: str) -> None:
    session.add_all(
        Notice(
            provider_id=pid,
            item_key=key(row),
            band=row["band"],
            to_address=email,
            message_id=message_id,
        )
        for row in rows
    )
    session.flush()


def _providers(session: Session, npis: list[str]) -> dict[str, tuple[int, str | None, str, str]]:
    found = {}
    for start in range(0, len(npis), _CHUNK):
        chunk = npis[start : start + _CHUNK]
        for pid, npi, email, first, last in session.execute(
            select(
                Provider.id, Provider.npi, Provider.email, Provider.first_name, Provider.last_name
            ).where(Provider.npi.in_(chunk))
        ):
            found[npi] = (pid, (email or "").strip() or None, first, last)
    return found


def _already(session: Session, ids: list[int]) -> set[tuple[int, str, str]]:
    seen: set[tuple[int, str, str]] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        seen.update(
            (pid, item_key, band)
            for pid, item_key, band in session.execute(
                select(Notice.provider_id, Notice.item_key, Notice.band).where(
                    Notice.provider_id.in_(chunk)
                )
            )
        )
    return seen
