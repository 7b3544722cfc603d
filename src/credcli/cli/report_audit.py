"""``credcli report audit``: an NCQA-style audit of decided credentialing files."""

from __future__ import annotations

from typing import Annotated

import typer

from credcli.cli import console, output
from credcli.cli.days import FromOption, ToOption, parse_day
from credcli.cli.options import AsOfOption, DbOption, Format, FormatOption, XlsxOption
from credcli.cli.report import app
from credcli.domain import dates

HELP = (
    "Audit decided files the way a surveyor does; exit 1 when there are findings.\n\n"
    "Files with a final decision (approved or denied) dated between --from and --to "
    "(default: all), or a reproducible random sample of them (--sample N --seed S: the "
    "files are taken in id order and sampled with Python's random.Random(S)).\n\n"
    "Each file is checked on its decision date: every required element present and verified"
    ' (not "not found"/"unable"), within its time limit (120 days; 180 before 2025-07-01; '
    "attestation age at most 180 days); an exclusion screening run within the 30 days "
    "before the decision (no screening records: a finding saying screening evidence is not "
    "recorded); the decision notice sent within 30 days (a notice not sent is a finding "
    "once the 30 days have passed on --as-of, default today).\n\n"
    "Every failure is one finding (file, NPI, provider, element, rule, detail); the summary"
    ' gives the pass rate per element (state licenses pooled as "license"). --format csv '
    "prints the findings. Exit code 1 when there is at least one finding, so a script can "
    "gate on a clean audit; 0 when every audited file passes.\n\n"
    "Example: credcli report audit --sample 30 --seed 2026 --from 2026-01-01 --xlsx "
    "audit.xlsx"
)


@app.command("audit", help=HELP)
def audit(
    sample: Annotated[
        int | None,
        typer.Option(
            "--sample", help="Audit a random sample of this many files.", show_default=False
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            help="Seed for --sample; the same seed over the same files picks the same sample. "
            "Default: a new seed, printed so the sample can be repeated.",
            show_default=False,
        ),
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    xlsx: XlsxOption = None,
    db: DbOption = None,
) -> None:
    from credcli.cli import audit_views
    from credcli.services import file_audit, registry

    if seed is not None and sample is None:
        console.warn("--seed only matters with --sample; auditing every file")
    chosen_seed = seed
    if sample is not None and seed is None:
        import random

        chosen_seed = random.SystemRandom().randrange(1, 1_000_000)
    day = parse_day("--as-of", as_of) or dates.today()
    with registry.session(db) as session:
        report = file_audit.run(
            session,
            as_of=day,
            period_from=parse_day("--from", start),
            period_to=parse_day("--to", end),
            sample=sample,
            seed=chosen_seed or 0,
        ).as_dict()
    if report["sample"] is not None and seed is None:
        console.info(f"sample seed {chosen_seed}: repeat this sample with --seed {chosen_seed}")
    if fmt is Format.json:
        print(output.to_json(report))
    elif fmt is Format.csv:
        output.render(report["findings"], fmt, audit_views.FINDING_COLUMNS)
    elif not report["files"]:
        console.info("no decided files to audit")
    else:
        audit_views.print_tables(report)
    if xlsx is not None:
        from credcli.io import report_book

        report_book.write_report(xlsx, audit_views.sheets(report))
        console.info(f"wrote the file audit to {xlsx}")
    if report["findings"]:
        raise typer.Exit(1)
