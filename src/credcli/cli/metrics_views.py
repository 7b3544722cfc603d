"""How ``report metrics`` looks: tables for people, sheets and charts for managers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from credcli.cli import output
from credcli.domain.metrics import AGE_BANDS, DEFINITIONS

if TYPE_CHECKING:
    from credcli.io.report_book import Sheet

BANDS = [label for label, _, _ in AGE_BANDS]
MONTH_COLUMNS = [
    ("month", "Month"),
    ("files", "Files decided"),
    ("average_days", "Average days"),
    ("median_days", "Median days"),
]
STAGE_COLUMNS = [("stage", "Stage"), *((band, f"{band} days") for band in BANDS), ("files", "Open")]
AGE_COLUMNS = [("band", "Age (days)"), ("files", "Open files")]
STAY_COLUMNS = [
    ("stage", "Stage"),
    ("stays", "Stays ended"),
    ("average_days", "Average days"),
    ("median_days", "Median days"),
]
PAYER_COLUMNS = [
    ("payer", "Payer"),
    ("enrollments", "Effective"),
    ("average_days", "Average days"),
    ("median_days", "Median days"),
    ("retroactive", "Retroactive"),
    ("pending", "Pending"),
]
SUMMARY_COLUMNS = [("metric", "Metric"), ("value", "Value"), ("unit", "Unit"), ("basis", "Basis")]


def summary_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    dtc = result["days_to_credential"]
    backlog = result["backlog"]
    recred = result["recredentialing_on_time"]
    denial = result["denial_rate"]
    payers = result["payer_turnaround"]
    hits = result["exclusion_hits"]
    audit = result["audit_findings"]
    initial = f"{dtc['files']} initial files decided"
    rows = [
        ("Days to credential, average", dtc["average_days"], "days", initial, "Days to credential"),
        ("Days to credential, median", dtc["median_days"], "days", initial, "Days to credential"),
        (
            "Backlog (open files)",
            backlog["open_files"],
            "files",
            f"on {backlog['as_of']}",
            "Backlog",
        ),
        (
            "Recredentialing on-time rate",
            recred["rate_percent"],
            "%",
            f"{recred['on_time']} of {recred['decided']} on or before the due date; "
            f"{recred['without_due_date']} without a due date",
            "Recredentialing on-time rate",
        ),
        (
            "Denial rate",
            denial["rate_percent"],
            "%",
            f"{denial['denied']} denied, {denial['approved']} approved; "
            f"{denial['deferred']} deferrals, {denial['withdrawn']} withdrawals excluded",
            "Denial rate",
        ),
        (
            "Payer enrollment turnaround, average",
            payers["average_days"],
            "days",
            f"{payers['enrollments']} enrollments effective; {payers['pending']} pending",
            "Payer enrollment turnaround",
        ),
        (
            "Payer enrollment turnaround, median",
            payers["median_days"],
            "days",
            f"{payers['retroactive']} retroactive not counted",
            "Payer enrollment turnaround",
        ),
        (
            "Open exclusion hits",
            hits["open_hits"] if hits["screened"] else "not screened",
            "hits",
            hits["basis"],
            "Open exclusion hits",
        ),
        (
            "Audit findings",
            audit["findings"],
            "findings",
            f"{audit['files_with_findings']} of {audit['files_audited']} decided files",
            "Audit findings",
        ),
    ]
    return [
        {
            "metric": name,
            "value": value,
            "unit": unit,
            "basis": basis,
            "definition": DEFINITIONS[key],
        }
        for name, value, unit, basis, key in rows
    ]


def print_tables(result: dict[str, Any]) -> None:
    console = output.stdout_console()
    start, end = result["period"]["from"], result["period"]["to"]
    console.print(f"Credentialing metrics {start} to {end}", style="bold", markup=False)
    shown = [{**row, "value": _value(row)} for row in summary_rows(result)]
    output.print_table(shown, SUMMARY_COLUMNS, title="Summary")
    output.print_table(
        result["days_to_credential"]["by_month"],
        MONTH_COLUMNS,
        title="Days to credential by month of decision (initial files)",
    )
    output.print_table(
        result["backlog"]["by_stage"], STAGE_COLUMNS, title=f"Backlog on {end} by stage and age"
    )
    output.print_table(result["days_in_stage"], STAY_COLUMNS, title="Days in stage")
    if result["payer_turnaround"]["by_payer"]:
        output.print_table(
            result["payer_turnaround"]["by_payer"],
            PAYER_COLUMNS,
            title="Payer enrollment turnaround",
        )


def _value(row: dict[str, Any]) -> str:
    value = row["value"]
    if value is None:
        return "n/a"
    return f"{value}%" if row["unit"] == "%" else str(value)


def sheets(result: dict[str, Any]) -> list[Sheet]:
    from credcli.io.report_book import Chart, Sheet

    summary = summary_rows(result)
    months = result["days_to_credential"]["by_month"]
    stage_rows = result["backlog"]["by_stage"]
    # The workbook travels without the command that made it: it states its own period.
    period = [
        ["Period from", result["period"]["from"], "date", "", "First day counted"],
        ["Period to", result["period"]["to"], "date", "", "Last day counted; backlog as of it"],
    ]
    return [
        Sheet(
            "Summary",
            ["Metric", "Value", "Unit", "Basis", "Definition"],
            period
            + [
                [output.defuse(r[k]) for k in ("metric", "value", "unit", "basis", "definition")]
                for r in summary
            ],
        ),
        Sheet(
            "Days to credential",
            [h for _, h in MONTH_COLUMNS],
            [[_month(r["month"]), r["files"], r["average_days"], r["median_days"]] for r in months],
            charts=[
                Chart(
                    "Days to credential by month",
                    1,
                    [3, 4],
                    kind="bar",
                    y_title="days",
                    x_title="month of decision",
                )
            ],
            formats={1: "yyyy-mm"},
        ),
        Sheet(
            "Backlog by stage",
            [h for _, h in STAGE_COLUMNS],
            [[r[k] for k, _ in STAGE_COLUMNS] for r in stage_rows],
            charts=[
                Chart(
                    f"Backlog on {result['backlog']['as_of']} by stage",
                    1,
                    list(range(2, 2 + len(BANDS))),
                    kind="stacked",
                    y_title="open files",
                )
            ],
        ),
        Sheet(
            "Backlog by age",
            [h for _, h in AGE_COLUMNS],
            [[r["band"], r["files"]] for r in result["backlog"]["by_age"]],
            charts=[
                Chart(
                    "Backlog by age band",
                    1,
                    [2],
                    y_title="open files",
                    x_title="days since received",
                )
            ],
        ),
        Sheet(
            "Days in stage",
            [h for _, h in STAY_COLUMNS],
            [[r[k] for k, _ in STAY_COLUMNS] for r in result["days_in_stage"]],
            charts=[Chart("Average days in stage", 1, [3], y_title="days")],
        ),
        Sheet(
            "Payer turnaround",
            [h for _, h in PAYER_COLUMNS],
            [
                [output.defuse(r[k]) for k, _ in PAYER_COLUMNS]
                for r in result["payer_turnaround"]["by_payer"]
            ],
        ),
        Sheet(
            "Definitions",
            ["Metric", "Definition"],
            [[name, text] for name, text in DEFINITIONS.items()],
        ),
    ]


def _month(label: str) -> dt.date:
    return dt.date.fromisoformat(f"{label}-01")
