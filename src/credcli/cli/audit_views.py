"""How ``report audit`` looks: pass rates and findings as tables, CSV or a workbook."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from credcli.cli import output

if TYPE_CHECKING:
    from credcli.io.report_book import Sheet

SUMMARY_COLUMNS = [
    ("element", "Element / check"),
    ("checked", "Checked"),
    ("passed", "Passed"),
    ("failed", "Failed"),
    ("pass_rate_percent", "Pass rate (%)"),
]
FINDING_COLUMNS = [
    ("file_id", "File"),
    ("npi", "NPI"),
    ("provider", "Provider"),
    ("decision", "Decision"),
    ("decision_on", "Decided"),
    ("element", "Element"),
    ("rule", "Rule"),
    ("detail", "Detail"),
]
FILE_COLUMNS = [
    ("file_id", "File"),
    ("npi", "NPI"),
    ("provider", "Provider"),
    ("cycle", "Cycle"),
    ("decision", "Decision"),
    ("decision_on", "Decided"),
    ("checks", "Checks"),
    ("findings", "Findings"),
    ("result", "Result"),
]
TOTAL_FIELDS = [
    ("as_of", "Judged as of"),
    ("from", "Decisions from"),
    ("to", "Decisions to"),
    ("decided_files", "Decided files in the period"),
    ("files_audited", "Files audited"),
    ("sample", "Sample size"),
    ("seed", "Sample seed"),
    ("files_passing", "Files passing every check"),
    ("files_with_findings", "Files with findings"),
    ("file_pass_rate_percent", "File pass rate (%)"),
    ("finding_count", "Findings"),
]


def headline(report: dict[str, Any]) -> str:
    sample = (
        f" (random sample of {report['sample']}, seed {report['seed']})"
        if report["sample"] is not None
        else ""
    )
    return (
        f"File audit: {report['files_audited']} of {report['decided_files']} decided files"
        f"{sample}; {report['files_passing']} pass every check, {report['finding_count']} findings"
    )


def print_tables(report: dict[str, Any]) -> None:
    console = output.stdout_console()
    console.print(headline(report), style="bold", markup=False)
    output.print_table(report["summary"], SUMMARY_COLUMNS, title="Pass rate by element")
    if report["findings"]:
        output.print_table(report["findings"], FINDING_COLUMNS, title="Findings")
    else:
        console.print("No findings.", markup=False)


def sheets(report: dict[str, Any]) -> list[Sheet]:
    from credcli.io.report_book import Chart, Sheet

    def grid(rows: list[dict[str, Any]], columns: output.Columns) -> list[list[Any]]:
        return [[output.defuse(row.get(key)) for key, _ in columns] for row in rows]

    return [
        Sheet("Audit", ["Item", "Value"], [[label, report[key]] for key, label in TOTAL_FIELDS]),
        Sheet(
            "Pass rate by element",
            [h for _, h in SUMMARY_COLUMNS],
            grid(report["summary"], SUMMARY_COLUMNS),
            charts=[Chart("Pass rate by element (%)", 1, [5], y_title="% passed")],
        ),
        Sheet(
            "Findings", [h for _, h in FINDING_COLUMNS], grid(report["findings"], FINDING_COLUMNS)
        ),
        Sheet("Files", [h for _, h in FILE_COLUMNS], grid(report["files"], FILE_COLUMNS)),
    ]
