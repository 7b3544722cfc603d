"""``credcli report metrics``: how the credentialing function performs over a period."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from credcli.cli import console, output
from credcli.cli.days import FromOption, parse_day
from credcli.cli.options import DbOption, XlsxOption
from credcli.cli.report import app
from credcli.domain import dates
from credcli.domain.metrics import DEFINITIONS


class MetricsFormat(StrEnum):
    table = "table"
    json = "json"


ToOption = Annotated[
    str | None,
    typer.Option(
        "--to",
        help="Last day of the period; the backlog is as of this day (default today).",
        show_default=False,
    ),
]

HELP = (
    "Report performance metrics for a period: days to credential, backlog, "
    "recredentialing on time, denials, days in stage, payer turnaround, exclusion hits, "
    "audit findings.\n\n"
    "Each metric's exact definition (also in the README and the workbook):\n\n"
    + "\n\n".join(f"{name}: {text}" for name, text in DEFINITIONS.items())
    + "\n\n--xlsx writes a workbook with one sheet per section, the definitions, and "
    "charts of days to credential by month, backlog by stage and age band, backlog by age "
    "and days in stage.\n\n"
    "Example: credcli report metrics --from 2026-01-01 --to 2026-06-30 --xlsx metrics.xlsx"
)


@app.command("metrics", help=HELP)
def metrics(
    start: FromOption = None,
    end: ToOption = None,
    fmt: Annotated[
        MetricsFormat, typer.Option("--format", "-f", help="Output format: table or json.")
    ] = MetricsFormat.table,
    xlsx: XlsxOption = None,
    db: DbOption = None,
) -> None:
    from credcli.cli import metrics_views
    from credcli.services import metrics as service
    from credcli.services import registry

    since, until = service.period(parse_day("--from", start), parse_day("--to", end), dates.today())
    with registry.session(db) as session:
        result = service.compute(session, start=since, end=until)
    if fmt is MetricsFormat.json:
        print(output.to_json(result))
    else:
        metrics_views.print_tables(result)
    if xlsx is not None:
        from credcli.io import report_book

        report_book.write_report(xlsx, metrics_views.sheets(result))
        console.info(f"wrote metrics {since} to {until} to {xlsx}")
