"""``credcli verify``: primary-source verification records and their status, and exclusion
screening hits. List loads, NPI checks and screening runs are in verify_lists.py."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from credcli.cli import console, output
from credcli.cli.group import sub_app
from credcli.cli.options import AsOfOption, DbOption, Format, FormatOption, XlsxOption
from credcli.domain.screening import HitStatus
from credcli.domain.vocab import VerificationMethod, VerificationResult
from credcli.errors import InputError

app = sub_app(
    "Record primary-source verifications, check a file's verification status, load the "
    "exclusion lists and NPPES, check NPIs, screen providers and dispose of hits."
)


class ExclusionList(StrEnum):
    leie = "leie"
    sam = "sam"


NpiArg = Annotated[str, typer.Argument(help="The provider's NPI.", show_default=False)]
HitArg = Annotated[int, typer.Argument(metavar="HIT", help="Hit number (see verify hits).")]

STATUS_COLUMNS = [
    ("element", "Element"),
    ("state", "State"),
    ("verified_on", "Verified"),
    ("result", "Result"),
    ("valid_until", "Good until"),
    ("method", "Method"),
    ("source", "Source"),
    ("verified_by", "By"),
    ("evidence", "Evidence"),
]
HIT_COLUMNS = [
    ("hit", "Hit"),
    ("npi", "NPI"),
    ("provider", "Provider"),
    ("list", "List"),
    ("tier", "Tier"),
    ("reason", "Why"),
    ("listed_name", "Listed as"),
    ("status", "Status"),
    ("last_run", "Run"),
    ("disposed_by", "Disposed by"),
    ("disposition_reason", "Disposition"),
]
# JSON and CSV carry every field of a hit; an empty CSV still gets the whole header
HIT_FIELDS = [
    "hit", "npi", "provider", "list", "tier", "reason", "listed_name", "status", "first_run",
    "last_run", "disposed_by", "disposed_at", "disposition_reason", "record",
]  # fmt: skip
EVIDENCE_PROBLEMS = {
    "missing": "is missing",
    "changed since recorded": "has changed since it was recorded",
    "unreadable": "cannot be read",
}
RUN_COLUMNS = [
    ("run", "Run"),
    ("run_at", "When"),
    ("run_by", "By"),
    ("as_of", "As of"),
    ("versions", "Lists used"),
    ("screened", "Screened"),
    ("strong", "Strong"),
    ("possible", "Possible"),
    ("ruled_out", "Ruled out"),
    ("new_hits", "New"),
    ("open_hits", "Open"),
]

RUN_FIELDS = RUN_COLUMNS[:4] + [("lists", "lists")] + RUN_COLUMNS[4:]


@app.command("record")
def record(
    npi: NpiArg,
    element: Annotated[
        str,
        typer.Argument(
            help="license:ST, dea, cds:ST, board, education, training, malpractice, "
            "work-history, npdb or attestation.",
            show_default=False,
        ),
    ],
    method: Annotated[
        VerificationMethod, typer.Option("--method", help="How the source was asked.")
    ],
    source: Annotated[
        str | None, typer.Option("--source", help="The primary source (board, NPDB, insurer).")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="Date verified (default today; not future).")
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who verified (default CREDCLI_USER or login).")
    ] = None,
    result: Annotated[
        VerificationResult, typer.Option("--result", help="What the source said.")
    ] = VerificationResult.verified,
    note: Annotated[str | None, typer.Option("--note", help="Anything worth keeping.")] = None,
    evidence: Annotated[
        Path | None,
        typer.Option(
            "--evidence",
            help="Screenshot, letter or PDF: kept by path and SHA-256 so a change is noticed.",
            dir_okay=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Record that an element was verified with its primary source (who, when, how, result).

    Example: credcli verify record 1234567893 license:CA --source "Medical Board of California"
    --method web --date 2026-11-20 --evidence ~/psv/diaz-license.pdf
    """
    from credcli.services import registry, verifications

    with registry.session(db, write=True) as session:
        saved = verifications.record(
            session,
            npi,
            element,
            method=method.value,
            result=result.value,
            on=on,
            by=by,
            source=source,
            note=note,
            evidence=evidence,
        )
        console.info(
            f"recorded verification #{saved.id}: {saved.element} {saved.result} on "
            f"{saved.verified_on} by {saved.verified_by} ({saved.method})"
            + (f", evidence sha256 {saved.evidence_sha256[:12]}" if saved.evidence_sha256 else "")
        )


@app.command("status")
def status(
    npi: NpiArg,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Show each required element's latest verification, its state, and the file's verdict.

    States: missing, current, stale (PSV older than 120 days on the day asked about,
    attestation 180), discrepancy, unverified. Verdict: complete, incomplete or stale.

    Example: credcli verify status 1234567893 --as-of 2026-12-15
    """
    from credcli.cli.verify_lists import as_of_date
    from credcli.services import registry, verifications

    day = as_of_date(as_of)
    with registry.session(db) as session:
        result = verifications.status(session, npi, day)
    if fmt is Format.json:
        print(
            output.to_json(
                {
                    "npi": result.npi,
                    "provider": result.provider,
                    "as_of": result.as_of,
                    "verdict": result.verdict.value,
                    "elements": result.elements,
                }
            )
        )
        return
    title = f"{result.provider} (NPI {result.npi}) as of {result.as_of}"
    output.render(result.elements, fmt, STATUS_COLUMNS, title=title)
    if fmt is Format.table:
        print(f"verdict: {result.verdict.value}")
    for element in result.elements:
        problem = EVIDENCE_PROBLEMS.get(element["evidence"])
        if problem:
            console.warn(f"{element['element']}: the evidence file {problem}")


@app.command("hits")
def hits(
    show_all: Annotated[
        bool, typer.Option("--all", help="Every hit: cleared, confirmed, ruled out, resolved.")
    ] = False,
    status: Annotated[
        HitStatus | None, typer.Option("--status", help="Only hits in this status.")
    ] = None,
    npi: Annotated[str | None, typer.Option("--provider", help="Only this NPI.")] = None,
    list_name: Annotated[
        ExclusionList | None, typer.Option("--list", help="Only this list.")
    ] = None,
    fmt: FormatOption = Format.table,
    xlsx: XlsxOption = None,
    db: DbOption = None,
) -> None:
    """List open screening hits waiting for a person's decision (or every hit with --all).

    Example: credcli verify hits --format csv
    """
    from credcli.services import hits as hit_service
    from credcli.services import registry

    if show_all and status is not None:
        raise InputError("--all lists hits in every status; give --all or --status, not both")
    wanted = None if show_all else (status or HitStatus.open).value
    with registry.session(db) as session:
        rows = hit_service.list_hits(
            session, status=wanted, npi=npi, list_name=list_name.value if list_name else None
        )
    columns = HIT_COLUMNS if fmt is Format.table else [(k, k) for k in HIT_FIELDS]
    output.render(rows, fmt, columns, empty="no screening hits match")
    if xlsx is not None:
        output.write_xlsx(xlsx, {"Screening hits": (rows, HIT_COLUMNS)})
        console.info(f"wrote {len(rows)} hits to {xlsx}")


@app.command("clear")
def clear(
    hit: HitArg,
    reason: Annotated[
        str, typer.Option("--reason", help="Why this is not the same person (kept on record).")
    ],
    db: DbOption = None,
) -> None:
    """Clear a hit as a false positive (not the same person).

    Later runs do not raise it again unless the list record changes. A confirmed hit may
    be cleared too when the exclusion is lifted (OIG reinstatement) or was confirmed by
    mistake; the reason is kept, and the provider's status is then yours to set.

    Example: credcli verify clear 7 --reason "different middle name and state; DOB on file"
    """
    from credcli.services import hits as hit_service
    from credcli.services import registry

    with registry.session(db, write=True) as session:
        cleared = hit_service.clear(session, hit, reason)
        console.info(f"hit #{cleared.id} cleared by {cleared.disposed_by}")


@app.command("confirm")
def confirm(
    hit: HitArg,
    reason: Annotated[str | None, typer.Option("--reason", help="How it was confirmed.")] = None,
    db: DbOption = None,
) -> None:
    """Confirm a hit: the provider is the excluded person.

    The provider's status is set to inactive and the hit stays on record (verify hits --all).

    Example: credcli verify confirm 7 --reason "OIG confirmed by phone, same DOB and license"
    """
    from credcli.services import hits as hit_service
    from credcli.services import registry

    with registry.session(db, write=True) as session:
        done, provider, before = hit_service.confirm(session, hit, reason)
        console.warn(
            f"hit #{done.id} confirmed: {provider.display_name} (NPI {provider.npi}) is on "
            f"the {done.list_name.upper()} exclusion list"
        )
        if before:
            console.warn(f"NPI {provider.npi}: status {before} -> {provider.status}")


@app.command("runs")
def runs(
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the latest N runs.")
    ] = None,
    fmt: FormatOption = Format.table,
    xlsx: XlsxOption = None,
    db: DbOption = None,
) -> None:
    """List screening runs: when, by whom, list versions used and counts (survey evidence).

    Example: credcli verify runs --limit 12 --xlsx screening-runs.xlsx
    """
    from credcli.services import hits as hit_service
    from credcli.services import registry

    with registry.session(db) as session:
        rows = hit_service.list_runs(session, limit)
    columns = RUN_COLUMNS if fmt is Format.table else RUN_FIELDS
    output.render(rows, fmt, columns, empty="no screening runs yet")
    if xlsx is not None:
        output.write_xlsx(xlsx, {"Screening runs": (rows, RUN_COLUMNS)})
        console.info(f"wrote {len(rows)} runs to {xlsx}")


# The list commands (load, loads, npi, screen) live in their own module and register
# themselves on ``app`` when imported.
from credcli.cli import verify_lists  # noqa: E402, F401
