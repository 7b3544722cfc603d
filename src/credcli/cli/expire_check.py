"""``credcli expire-check``: what expires, what is due, what is overdue; mailed by cron."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections.abc import Sequence
from json.encoder import encode_basestring
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from credcli.cli import console, output
from credcli.cli.options import AsOfOption, DbOption, Format, FormatOption, XlsxOption
from credcli.domain import expiry
from credcli.domain.expiry import CheckKind
from credcli.errors import EnvironmentProblem

HELP = "\n\n".join(
    [
        "List credentials, cycles and open work that are expired or fall due within the window.",
        "Checks active providers (never terminated ones): credentials by expiry date; "
        "recredentialing 36 months after the last approval (overdue within the 30-day late "
        "window, then initial credentialing required); hospital privileges (24 months); CAQH "
        "attestation (120 days); payer recredentialing; verifications of open files too old "
        "for a decision; outstanding items past due. Urgency bands: expired, 7, 14, 30, 60, 90.",
        "Exit status: 0 nothing found, 1 something found, 2 bad input, 3 database or mail "
        "server error (nothing is recorded as sent unless the server accepted it).",
        "Mail settings: the smtp table of config.toml in the user config folder, or "
        "CREDCLI_SMTP_HOST, _PORT, _TLS (none, starttls, ssl), _USER, _FROM and _PASSWORD.",
        "Example: credcli expire-check --within 60 --quiet --email-to office@example.org",
    ]
)
FIELDS = ("band", "days_left", "due", "npi", "provider", "kind", "item", "ref")


def expire_check(
    within: Annotated[
        int,
        typer.Option(
            "--within",
            min=0,
            max=expiry.MAX_WITHIN,
            help="Look this many days ahead (alert windows 7-90).",
        ),
    ] = expiry.DEFAULT_WITHIN,
    as_of: AsOfOption = None,
    kind: Annotated[
        list[CheckKind] | None,
        typer.Option("--kind", help="Only this kind of item; repeat for several."),
    ] = None,
    npi: Annotated[
        str | None, typer.Option("--provider", help="Only this provider (NPI).", show_default=False)
    ] = None,
    include_applicants: Annotated[
        bool,
        typer.Option(
            "--include-applicants", help="Also check applicants (default: active providers)."
        ),
    ] = False,
    fmt: FormatOption = Format.table,
    xlsx: XlsxOption = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="Print nothing when nothing is found; when mailing, print nothing but errors.",
        ),
    ] = False,
    email_to: Annotated[
        str | None,
        typer.Option(
            "--email-to",
            help="Mail the digest (text, HTML table, workbook) to these addresses, "
            "comma-separated, when something is found.",
            show_default=False,
        ),
    ] = None,
    email_dry_run: Annotated[
        Path | None,
        typer.Option(
            "--email-dry-run",
            help="Write the mail as .eml files into this folder instead of sending it.",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    notify_providers: Annotated[
        bool,
        typer.Option(
            "--notify-providers",
            help="Mail each provider with an email address a notice of their own items; "
            "a notice is recorded and not repeated within the same urgency band.",
        ),
    ] = False,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="Notice template (string.Template; default: provider_notice.txt in the "
            "config folder, else the built-in one).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """List credentials, cycles and open work that are expired or fall due within the window.

    Typer shows HELP instead of this docstring: its paragraphs are single lines, so the
    terminal wraps them at its own width.

    Example: credcli expire-check --within 60 --quiet --email-to office@example.org
    """
    from credcli.services import expiry as expiry_service

    query = expiry_service.make_query(
        as_of=as_of,
        within=within,
        kinds=[k.value for k in kind or []],
        npi=npi,
        include_applicants=include_applicants,
    )
    to = _addresses(email_to)
    if (email_dry_run is not None) and not (to or notify_providers):
        raise typer.BadParameter("--email-dry-run goes with --email-to or --notify-providers")
    if template is not None and not notify_providers:
        raise typer.BadParameter("--template goes with --notify-providers")
    mailing = bool(to) or notify_providers
    plan = None
    if mailing:
        from credcli.services import mailing as mail_service

        plan = mail_service.prepare(
            notify=notify_providers, template=template, dry_run=email_dry_run
        )
    rows = expiry_service.check(db, query)
    run = None
    if plan is not None and notify_providers and rows:
        run = mail_service.notify_providers(db, rows, as_of=query.as_of, plan=plan)
    if not (quiet and (mailing or not rows)):
        _render(rows, fmt, query)
    if xlsx is not None:
        dated = [{**row, "due": dt.date.fromisoformat(row["due"])} for row in rows]
        output.write_xlsx(xlsx, {"Expiry check": (dated, expiry.COLUMNS)})
        _say(quiet, f"wrote {len(rows)} item(s) to {xlsx}")
    problems = []
    if plan is not None and rows and to:
        try:
            sent = mail_service.send_digest(
                rows, as_of=query.as_of, within=query.within, to=to, plan=plan
            )
        except EnvironmentProblem as exc:  # reported after the notices' outcome
            problems.append(f"digest: {exc.message}" if run is not None else exc.message)
        else:
            if sent.eml is not None:
                _say(quiet, f"wrote the digest for {', '.join(to)} to {sent.eml}")
            else:
                _say(quiet, f"mailed the digest of {len(rows)} item(s) to {', '.join(to)}")
    if run is not None:
        verb = "wrote" if email_dry_run is not None else "sent"
        refused = f"; {len(run.refused)} refused by the mail server" if run.refused else ""
        _say(
            quiet,
            f"{verb} {len(run.sent)} provider notice(s){refused}; {run.already_notified} "
            f"item(s) already notified in their band; {run.skipped_no_email} provider(s) "
            "without an email address",
        )
        problem = run.problem()
        if problem is not None:
            problems.append(f"provider notices: {problem}" if to else problem)
    if problems:
        for earlier in problems[:-1]:
            console.error(earlier)
        raise EnvironmentProblem(problems[-1])
    raise typer.Exit(1 if rows else 0)


def _addresses(text: str | None) -> list[str]:
    if text is None:
        return []
    from credcli.io import mail

    return mail.parse_addresses(text)


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        console.info(message)


def _write_json(out: TextIO, rows: Sequence[dict[str, Any]]) -> None:
    """Write the text of ``json.dumps(rows, ensure_ascii=False)``, in about half the time.

    The keys are known, and band, days_left and due are made by credcli (a band name, an
    integer, an ISO date), so only the text read from the registry goes through the
    encoder's string escaping. Written a few thousand rows at a time: one string of the
    whole listing (tens of megabytes for a large registry) costs more in fresh memory
    than the formatting does.
    """
    quote = encode_basestring
    out.write("[")
    for start in range(0, len(rows), _JSON_CHUNK):
        if start:
            out.write(", ")
        out.write(
            ", ".join(
                [
                    f'{{"band": "{row["band"]}", "days_left": {row["days_left"]}, '
                    f'"due": "{row["due"]}", "npi": {quote(row["npi"])}, '
                    f'"provider": {quote(row["provider"])}, "kind": {quote(row["kind"])}, '
                    f'"item": {quote(row["item"])}, "ref": {quote(row["ref"])}}}'
                    for row in rows[start : start + _JSON_CHUNK]
                ]
            )
        )
    out.write("]\n")


_JSON_CHUNK = 5000


def _render(rows: Sequence[dict[str, Any]], fmt: Format, query: Any) -> None:
    out = sys.stdout
    if fmt is Format.json:
        _write_json(out, rows)
    elif fmt is Format.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        for row in rows:
            writer.writerow(
                [
                    row[key] if key == "days_left" else output.defuse(output.cell_text(row[key]))
                    for key in FIELDS
                ]
            )
    elif not rows:
        console.info(
            f"nothing expired or due within {query.within} days of {query.as_of.isoformat()}"
        )
    else:
        groups: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(row["band"], []).append(row)
        for band in expiry.BANDS:
            if band in groups:
                members = groups[band]
                title = f"{expiry.BAND_TITLES[band]} ({len(members)})"
                output.print_table(members, expiry.COLUMNS, title=title)
