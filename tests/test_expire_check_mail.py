"""expire-check mailing through a real SMTP server started on loopback (aiosmtpd)."""

import datetime as dt
import email
import email.policy
import io
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

import expiry_data as data
from credcli.db.models import Notice
from credcli.io import mail
from credcli.services import registry

AS_OF = "2026-11-23"
SENDER = "credentialing@example.org"


def day(offset: int) -> dt.date:
    return dt.date(2026, 11, 23) + dt.timedelta(days=offset)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Recorder:
    """Accepts (or refuses) every recipient and keeps each message it accepted."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.envelopes: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes
        ]


def _serve(monkeypatch: pytest.MonkeyPatch, handler: Recorder) -> Iterator[Recorder]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("CREDCLI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CREDCLI_SMTP_PORT", str(port))
    monkeypatch.setenv("CREDCLI_SMTP_TLS", "none")
    monkeypatch.setenv("CREDCLI_SMTP_FROM", SENDER)
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    yield from _serve(monkeypatch, Recorder())


@pytest.fixture
def refusing_smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    yield from _serve(monkeypatch, Recorder(refuse=True))


@pytest.fixture
def reg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = str(tmp_path / "registry.db")
    monkeypatch.setenv("CREDCLI_DB", path)
    return path


@pytest.fixture
def two_items(reg: str) -> str:
    ana = data.provider(reg, 1, "Diaz", first="Ana", email="ana.diaz@example.org")
    data.credential(reg, ana, "dea", number="AP5836727", expires_on=day(-2))
    data.credential(reg, ana, "license", state="CA", number="A1", expires_on=day(20))
    return ana


def notices(db: str) -> list[tuple[str, str, str]]:
    with registry.session(db) as session:
        return [
            (n.item_key, n.band, n.to_address)
            for n in session.scalars(select(Notice).order_by(Notice.id))
        ]


def test_digest_goes_to_every_recipient_with_text_html_and_workbook(cli, smtp, two_items):
    from openpyxl import load_workbook

    result = cli(
        "expire-check",
        "--as-of",
        AS_OF,
        "--quiet",
        "--email-to",
        "office@example.org, director@example.org",
        code=1,
    )
    assert (result.stdout, result.stderr) == ("", "")
    [envelope] = smtp.envelopes
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == ["office@example.org", "director@example.org"]
    [msg] = smtp.messages()
    assert msg["Subject"] == "credcli expire-check 2026-11-23: 2 item(s), 1 expired or past due"
    assert msg["To"] == "office@example.org, director@example.org"
    text = msg.get_body(("plain",)).get_content()
    assert text.splitlines() == [
        "Expiry check as of 2026-11-23, looking 90 days ahead: 2 item(s).",
        "",
        "Expired or past due (1)",
        f"  2026-11-21     2 days ago  {two_items}  Diaz, Ana MD: DEA registration AP5836727",
        "",
        "Within 30 days (1)",
        f"  2026-12-13     in 20 days  {two_items}  Diaz, Ana MD: state license CA A1",
        "",
        "The attached workbook holds the same list.",
    ]
    html = msg.get_body(("html",)).get_content()
    assert "<table" in html and "<td>DEA registration AP5836727</td>" in html
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "expire-check-2026-11-23.xlsx"
    sheet = load_workbook(io.BytesIO(attachment.get_content())).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Band", "Days left", "Due", "NPI", "Provider", "Kind", "Item"],
        [
            "expired",
            -2,
            dt.datetime(2026, 11, 21),
            two_items,
            "Diaz, Ana MD",
            "dea",
            "DEA registration AP5836727",
        ],
        [
            "30",
            20,
            dt.datetime(2026, 12, 13),
            two_items,
            "Diaz, Ana MD",
            "license",
            "state license CA A1",
        ],
    ]


def test_without_quiet_the_listing_is_printed_and_the_sending_reported(cli, smtp, two_items):
    result = cli(
        "expire-check",
        "--as-of",
        AS_OF,
        "-f",
        "json",
        "--email-to",
        "office@example.org",
        code=1,
    )
    assert result.stdout.startswith('[{"band": "expired"')
    assert result.stderr == "mailed the digest of 2 item(s) to office@example.org\n"
    assert len(smtp.envelopes) == 1


def test_nothing_found_sends_nothing(cli, smtp, reg):
    cli("init")  # an empty registry: commands that only read never make one
    result = cli("expire-check", "--quiet", "--email-to", "office@example.org", code=0)
    assert (result.stdout, result.stderr) == ("", "")
    assert smtp.envelopes == []


def test_refused_recipient_is_exit_3_with_a_clear_message(cli, refusing_smtp, two_items):
    result = cli("expire-check", "--as-of", AS_OF, "-q", "--email-to", "nobody@example.org", code=3)
    assert result.stderr == (
        f"error: mail server 127.0.0.1:{mail.settings().port} refused the recipient(s) "
        "nobody@example.org; nothing was sent\n"
    )
    assert refusing_smtp.envelopes == []


def test_unreachable_server_is_exit_3(cli, two_items, monkeypatch):
    port = free_port()
    monkeypatch.setenv("CREDCLI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CREDCLI_SMTP_PORT", str(port))
    monkeypatch.setenv("CREDCLI_SMTP_TLS", "none")
    monkeypatch.setenv("CREDCLI_SMTP_FROM", SENDER)
    result = cli("expire-check", "--as-of", AS_OF, "-q", "--email-to", "o@example.org", code=3)
    assert result.stderr == (
        f"error: cannot reach mail server 127.0.0.1:{port}: Connection refused\n"
    )


def test_no_mail_server_configured_is_a_usage_error(cli, two_items):
    result = cli("expire-check", "--as-of", AS_OF, "-q", "--email-to", "o@example.org", code=2)
    assert result.stderr.startswith(
        "error: no mail server configured: set CREDCLI_SMTP_HOST or host in [smtp] in "
    )


def test_bad_address_is_refused_before_anything_runs(cli, reg):
    result = cli("expire-check", "--email-to", "office, x@example.org", code=2)
    assert result.stderr == (
        "error: --email-to 'office': give email addresses separated by commas\n"
    )


def test_settings_come_from_the_config_file_and_the_environment_wins(tmp_path, monkeypatch):
    folder = tmp_path / "home" / "config" / "credcli"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text(
        '[smtp]\nhost = "smtp.example.org"\ntls = "ssl"\nuser = "cred"\nfrom = "cred@example.org"\n'
    )
    conf = mail.settings({"CREDCLI_SMTP_PASSWORD": "s3cret"})
    assert (conf.host, conf.port, conf.tls, conf.user, conf.sender, conf.password) == (
        "smtp.example.org",
        465,
        "ssl",
        "cred",
        "cred@example.org",
        "s3cret",
    )
    conf = mail.settings({"CREDCLI_SMTP_HOST": "relay", "CREDCLI_SMTP_TLS": "starttls"})
    assert (conf.host, conf.port, conf.tls, conf.password) == ("relay", 587, "starttls", None)
    assert "s3cret" not in repr(mail.settings({"CREDCLI_SMTP_PASSWORD": "s3cret"}))


def test_bad_tls_and_port_settings_are_named(monkeypatch):
    from credcli.errors import InputError

    with pytest.raises(InputError, match="SMTP tls 'tls1.3': use one of none, starttls, ssl"):
        mail.settings({"CREDCLI_SMTP_HOST": "h", "CREDCLI_SMTP_TLS": "tls1.3"})
    with pytest.raises(InputError, match="SMTP port 'abc'"):
        mail.settings({"CREDCLI_SMTP_HOST": "h", "CREDCLI_SMTP_PORT": "abc"})


def test_dry_run_writes_a_private_eml_and_sends_nothing(cli, smtp, two_items, tmp_path):
    out = tmp_path / "outbox"
    out.mkdir()
    result = cli(
        "expire-check",
        "--as-of",
        AS_OF,
        "--email-to",
        "office@example.org",
        "--email-dry-run",
        str(out),
        "-f",
        "csv",
        code=1,
    )
    eml = out / "expire-check-2026-11-23.eml"
    assert result.stderr == f"wrote the digest for office@example.org to {eml}\n"
    assert stat.S_IMODE(eml.stat().st_mode) == 0o600
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert msg["To"] == "office@example.org"
    assert smtp.envelopes == []


def test_each_provider_is_notified_once_per_band(cli, smtp, two_items, reg):
    ben = data.provider(reg, 2, "Okafor", first="Ben")  # no email address
    data.credential(reg, ben, "board", issuer="ABIM", expires_on=day(3))
    cara = data.provider(reg, 3, "Lee", first="Cara", email="cara@example.org")
    data.enrollment(reg, cara, "Aetna", day(10))  # payer work is the office's, not hers

    first = cli("expire-check", "--as-of", AS_OF, "--notify-providers", code=1)
    assert first.stderr == (
        "sent 1 provider notice(s); 0 item(s) already notified in their band; "
        "1 provider(s) without an email address\n"
    )
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["ana.diaz@example.org"]
    [msg] = smtp.messages()
    assert msg["Subject"] == "Credentialing reminder: 2 item(s) need your attention"
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("Dear Ana Diaz,\n")
    assert "  - DEA registration AP5836727: 2026-11-21 (2 days ago)\n" in body
    assert "  - state license CA A1: 2026-12-13 (in 20 days)\n" in body
    assert notices(reg) == [
        ("credential:1@2026-11-21", "expired", "ana.diaz@example.org"),
        ("credential:2@2026-12-13", "30", "ana.diaz@example.org"),
    ]

    again = cli("expire-check", "--as-of", "2026-11-24", "--notify-providers", code=1)
    assert again.stderr.startswith("sent 0 provider notice(s); 2 item(s) already notified")
    assert len(smtp.envelopes) == 1

    later = cli("expire-check", "--as-of", "2026-11-29", "--notify-providers", code=1)
    assert later.stderr.startswith("sent 1 provider notice(s); 1 item(s) already notified")
    assert len(smtp.envelopes) == 2
    body = smtp.messages()[1].get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "  - state license CA A1: 2026-12-13 (in 14 days)\n" in body
    assert "DEA" not in body
    assert notices(reg)[-1] == ("credential:2@2026-12-13", "14", "ana.diaz@example.org")


def test_nothing_is_recorded_when_the_server_refuses(cli, refusing_smtp, two_items, reg):
    result = cli("expire-check", "--as-of", AS_OF, "--notify-providers", "-q", code=3)
    assert "refused the recipient(s) ana.diaz@example.org, so their notice(s)" in result.stderr
    assert "; 0 other notice(s) went out and are recorded" in result.stderr
    assert notices(reg) == []


def test_notice_dry_run_writes_files_and_records_nothing(cli, smtp, two_items, reg, tmp_path):
    cli(
        "expire-check",
        "--as-of",
        AS_OF,
        "--notify-providers",
        "--email-dry-run",
        str(tmp_path),
        "-q",
        code=1,
    )
    eml = tmp_path / f"notice-{two_items}-2026-11-23.eml"
    assert stat.S_IMODE(eml.stat().st_mode) == 0o600
    assert smtp.envelopes == []
    assert notices(reg) == []


def test_the_user_template_replaces_the_built_in_one(cli, smtp, two_items, tmp_path):
    folder = tmp_path / "home" / "config" / "credcli"
    folder.mkdir(parents=True)
    (folder / "provider_notice.txt").write_text(
        "Subject: $count for $last_name\nHi $first_name ($npi), as of $as_of:\n$items\n"
    )
    cli("expire-check", "--as-of", AS_OF, "--notify-providers", "-q", code=1)
    [msg] = smtp.messages()
    assert msg["Subject"] == "2 for Diaz"
    assert msg.get_body(("plain",)).get_content().splitlines()[0] == (
        f"Hi Ana ({two_items}), as of 2026-11-23:"
    )
    given = tmp_path / "mine.txt"
    given.write_text("Dear $name, see $items and $bogus\n")
    result = cli(
        "expire-check",
        "--notify-providers",
        "--template",
        str(given),
        "--as-of",
        "2026-11-24",
        code=2,
    )
    assert result.stderr.startswith(f"error: notice template {given}: unknown placeholder $bogus")
    with registry.session(str(tmp_path / "registry.db")) as session:
        assert session.scalar(select(func.count()).select_from(Notice)) == 2


def test_starttls_against_a_server_without_it_is_exit_3(cli, smtp, two_items, monkeypatch):
    monkeypatch.setenv("CREDCLI_SMTP_TLS", "starttls")
    result = cli("expire-check", "--as-of", AS_OF, "-q", "--email-to", "o@example.org", code=3)
    assert result.stderr == (
        f"error: mail server 127.0.0.1:{mail.settings().port} does not offer STARTTLS; "
        "set tls to ssl or none\n"
    )
    assert smtp.envelopes == []


def test_ssl_against_a_plain_server_is_exit_3(cli, smtp, two_items, monkeypatch):
    monkeypatch.setenv("CREDCLI_SMTP_TLS", "ssl")
    result = cli("expire-check", "--as-of", AS_OF, "-q", "--email-to", "o@example.org", code=3)
    assert result.stderr.startswith(
        f"error: cannot reach mail server 127.0.0.1:{mail.settings().port}: "
    )
    assert smtp.envelopes == []


class RefusingOne(Recorder):
    """Refuses one mailbox (as for a provider who left), accepts every other."""

    def __init__(self, mailbox: str) -> None:
        super().__init__()
        self.mailbox = mailbox

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address == self.mailbox:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing_bob(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    yield from _serve(monkeypatch, RefusingOne("bob@example.org"))


def test_a_refused_provider_address_does_not_stop_the_later_notices(cli, refusing_bob, reg):
    ana = data.provider(reg, 1, "Adams", first="Ana", email="ana@example.org")
    bob = data.provider(reg, 2, "Baker", first="Bob", email="bob@example.org")
    cy = data.provider(reg, 3, "Cole", first="Cy", email="cy@example.org")
    for n, who in enumerate((ana, bob, cy)):
        data.credential(reg, who, "license", state="CA", number=f"A{n}", expires_on=day(n))
    result = cli("expire-check", "--as-of", AS_OF, "--notify-providers", "-q", code=3)
    port = mail.settings().port
    assert result.stderr == (
        f"error: mail server 127.0.0.1:{port} refused the recipient(s) bob@example.org, so "
        "their notice(s) were not sent; 2 other notice(s) went out and are recorded\n"
    )
    assert [m["To"] for m in refusing_bob.messages()] == ["ana@example.org", "cy@example.org"]
    assert [address for _, _, address in notices(reg)] == ["ana@example.org", "cy@example.org"]


def test_a_failed_digest_does_not_hide_what_happened_to_the_notices(cli, two_items, monkeypatch):
    port = free_port()  # nothing listens there
    monkeypatch.setenv("CREDCLI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CREDCLI_SMTP_PORT", str(port))
    monkeypatch.setenv("CREDCLI_SMTP_TLS", "none")
    monkeypatch.setenv("CREDCLI_SMTP_FROM", SENDER)
    result = cli(
        "expire-check",
        "--as-of",
        AS_OF,
        "-q",
        "--notify-providers",
        "--email-to",
        "o@x.org",
        code=3,
    )
    assert result.stderr == (
        f"error: digest: cannot reach mail server 127.0.0.1:{port}: Connection refused\n"
        f"error: provider notices: cannot reach mail server 127.0.0.1:{port}: Connection "
        "refused; 0 notice(s) went out before it and are recorded\n"
    )


def test_mail_settings_are_checked_before_the_listing_is_printed(cli, two_items):
    result = cli("expire-check", "--as-of", AS_OF, "--email-to", "o@example.org", code=2)
    assert result.stdout == ""
    assert result.stderr.startswith("error: no mail server configured")


def test_a_dry_run_needs_no_server_but_checks_the_settings_given(
    cli, two_items, tmp_path, monkeypatch
):
    out = tmp_path / "outbox"
    out.mkdir()
    args = ("expire-check", "--as-of", AS_OF, "-q", "--email-to", "o@example.org")
    cli(*args, "--email-dry-run", str(out), code=1)
    written = email.message_from_bytes((out / "expire-check-2026-11-23.eml").read_bytes())
    assert written["From"] == "credcli@localhost"
    monkeypatch.setenv("CREDCLI_SMTP_PORT", "abc")
    result = cli(*args, "--email-dry-run", str(out), code=2)
    assert result.stderr == "error: SMTP port 'abc': give a number such as 587\n"


def test_a_missing_dry_run_folder_is_refused_also_when_nothing_is_found(cli, reg, tmp_path):
    gone = tmp_path / "gone"
    result = cli(
        "expire-check", "--email-to", "o@example.org", "--email-dry-run", str(gone), code=2
    )
    assert result.stderr == f"error: --email-dry-run {gone}: not an existing folder\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "Subject: $count for $bogus\n$items\n",
            "unknown placeholder $bogus (known: $name $first_name $last_name $npi $as_of "
            "$count $items)",
        ),
        (
            "Subject: ${name\n$items\n",
            "Invalid placeholder in string: line 1, col 10 (write $$ for a dollar sign)",
        ),
        (
            "Subject: hello\n\n$items cost $5\n",
            "Invalid placeholder in string: line 3, col 13 (write $$ for a dollar sign)",
        ),
        ("", "the body never lists the items ($items); a notice must say what is due"),
        (
            "Subject: $items\nDear $name, please call us.\n",
            "the body never lists the items ($items); a notice must say what is due",
        ),
    ],
)
def test_a_bad_template_is_refused_whole_and_before_anything_runs(
    cli, smtp, reg, tmp_path, text, problem
):
    given = tmp_path / "notice.txt"
    given.write_text(text)
    result = cli(
        "expire-check", "--notify-providers", "--template", str(given), "-q", code=2
    )  # nothing to send today: the template is still checked, so cron learns of it now
    assert result.stderr == f"error: notice template {given}: {problem}\n"
    assert smtp.envelopes == []


def test_template_without_notify_providers_is_a_usage_error(cli, reg, tmp_path):
    given = tmp_path / "notice.txt"
    given.write_text("$items\n")
    result = cli("expire-check", "--template", str(given), code=2)
    assert "--template goes with --notify-providers" in result.stderr


def test_a_server_that_never_answers_is_exit_3(cli, two_items, monkeypatch):
    with socket.socket() as silent:  # accepts connections (backlog) and never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        monkeypatch.setattr(mail, "TIMEOUT_S", 0.5)
        monkeypatch.setenv("CREDCLI_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CREDCLI_SMTP_PORT", str(port))
        monkeypatch.setenv("CREDCLI_SMTP_TLS", "none")
        monkeypatch.setenv("CREDCLI_SMTP_FROM", SENDER)
        result = cli("expire-check", "--as-of", AS_OF, "-q", "--email-to", "o@x.org", code=3)
    assert result.stderr == (
        f"error: cannot reach mail server 127.0.0.1:{port}: no answer within 0.5 s\n"
    )
