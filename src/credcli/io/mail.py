"""Email out: SMTP settings, messages (plain text, HTML, attachments), sending, .eml files.

Settings come from ``[smtp]`` in the user's config.toml (host, port, tls, user, from),
each overridden by ``CREDCLI_SMTP_HOST``, ``_PORT``, ``_TLS``, ``_USER``, ``_FROM``. The
password is read from ``CREDCLI_SMTP_PASSWORD`` only, never from a file.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path

from credcli.errors import EnvironmentProblem, InputError
from credcli.io import config, private

TLS_MODES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
TIMEOUT_S = 30.0


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


class RecipientsRefused(EnvironmentProblem):
    """The server refused every recipient of one message: that message was not sent, and
    the session is still usable for others."""

    def __init__(self, message: str, addresses: Sequence[str]) -> None:
        super().__init__(message)
        self.addresses = list(addresses)


DRY_RUN_SENDER = "credcli@localhost"


def settings(env: Mapping[str, str] | None = None, *, sending: bool = True) -> SmtpSettings:
    """SMTP settings from the config file, overridden by the environment.

    With ``sending`` false (a dry run) a missing host or sender is allowed; every setting
    that is given is still checked, so a dry run fails on what the real run would.
    """
    env = os.environ if env is None else env
    section = config.section("smtp")
    source = f"[smtp] in {config.config_path()}"

    def pick(name: str) -> str | None:
        value = env.get(f"CREDCLI_SMTP_{name.upper()}")
        if value is None or not value.strip():
            raw = section.get(name)
            value = None if raw is None else str(raw)
        return value.strip() if value is not None and value.strip() else None

    host = pick("host")
    if host is None and sending:
        raise InputError(f"no mail server configured: set CREDCLI_SMTP_HOST or host in {source}")
    tls = (pick("tls") or "starttls").lower()
    if tls not in TLS_MODES:
        raise InputError(f"SMTP tls '{tls}': use one of none, starttls, ssl")
    port_text = pick("port")
    try:
        port = int(port_text) if port_text is not None else DEFAULT_PORTS[tls]
    except ValueError:
        raise InputError(f"SMTP port '{port_text}': give a number such as 587") from None
    if not 0 < port < 65536:
        raise InputError(f"SMTP port '{port}': give a number from 1 to 65535")
    user = pick("user")
    sender = pick("from") or user
    if sender is None and not sending:
        sender = DRY_RUN_SENDER
    if sender is None or "@" not in sender:
        raise InputError(
            f"no sender address: set CREDCLI_SMTP_FROM or from in {source} (an email address)"
        )
    password = env.get("CREDCLI_SMTP_PASSWORD") or None
    return SmtpSettings(host or "localhost", port, tls, sender, user, password)


def parse_addresses(text: str) -> list[str]:
    """``a@x, b@y`` -> ['a@x', 'b@y']; refuses anything that is not an address."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    found = [address for _, address in getaddresses(parts)]
    bad = [part for part, address in zip(parts, found, strict=False) if "@" not in address]
    if not parts or bad or len(found) != len(parts):
        shown = bad[0] if bad else text
        raise InputError(f"--email-to '{shown}': give email addresses separated by commas")
    return found


def message(
    *,
    sender: str,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for item in attachments:
        msg.add_attachment(
            item.content, maintype=item.maintype, subtype=item.subtype, filename=item.filename
        )
    return msg


class Mailer:
    """One open SMTP session; :meth:`send` returns only once the server accepted."""

    def __init__(self, smtp: smtplib.SMTP, where: str) -> None:
        self._smtp = smtp
        self._where = where

    def send(self, msg: EmailMessage) -> None:
        try:
            refused = self._smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            addresses = [str(r) for r in exc.recipients]
            raise RecipientsRefused(
                f"mail server {self._where} refused the recipient(s) {', '.join(addresses)}; "
                "nothing was sent",
                addresses,
            ) from None
        except smtplib.SMTPResponseException as exc:
            reason = _reason(exc.smtp_error)
            raise EnvironmentProblem(
                f"mail server {self._where} refused the message ({exc.smtp_code} {reason})"
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise EnvironmentProblem(f"mail server {self._where} failed: {exc}") from None
        if refused:
            raise EnvironmentProblem(
                f"mail server {self._where} refused the recipient(s) {', '.join(refused)}; "
                "the other recipients were sent the mail"
            )


@contextmanager
def connect(conf: SmtpSettings) -> Iterator[Mailer]:
    """Connect and log in, turning every failure into one clear EnvironmentProblem."""
    try:
        if conf.tls == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                conf.host, conf.port, timeout=TIMEOUT_S, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(conf.host, conf.port, timeout=TIMEOUT_S)
        if conf.tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if conf.user and conf.password:
            smtp.login(conf.user, conf.password)
    except smtplib.SMTPAuthenticationError:
        raise EnvironmentProblem(
            f"mail server {conf.where} refused the login for {conf.user} "
            "(check CREDCLI_SMTP_USER and CREDCLI_SMTP_PASSWORD)"
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise EnvironmentProblem(
            f"mail server {conf.where} does not offer STARTTLS; set tls to ssl or none"
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise EnvironmentProblem(
            f"mail server {conf.where} refused the connection ({exc.smtp_code} "
            f"{_reason(exc.smtp_error)})"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if isinstance(exc, socket.timeout) or reason.endswith("timed out"):
            # smtplib reports a server that never greets as "Connection unexpectedly closed"
            reason = f"no answer within {TIMEOUT_S:g} s"
        raise EnvironmentProblem(f"cannot reach mail server {conf.where}: {reason}") from None
    try:
        yield Mailer(smtp, conf.where)
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def check_folder(folder: Path) -> None:
    """Refuse a --email-dry-run folder that does not exist, before any work is done."""
    if not folder.is_dir():
        raise InputError(f"--email-dry-run {folder}: not an existing folder")


def write_eml(folder: Path, name: str, msg: EmailMessage) -> Path:
    """Write ``msg`` as ``folder/name`` (0600: it carries personal data)."""
    check_folder(folder)
    path = folder / name
    private.prepare(path)
    try:
        path.write_bytes(bytes(msg))
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write {path}: {exc.strerror}") from None
    return path


def _reason(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())
