"""``credcli report``: the reports leadership and surveyors ask for (one module per report)."""

from __future__ import annotations

from credcli.cli.group import sub_app

app = sub_app(
    "Reports for leadership, surveyors and payers: rosters, metrics, audits.\n\n"
    "Example: credcli report metrics --from 2026-01-01 --to 2026-06-30 --xlsx metrics.xlsx"
)

# Each report lives in its own module and registers itself on ``app`` when imported;
# importing them here means `credcli report` always has all of them.
from credcli.cli import report_audit, report_metrics, report_roster  # noqa: E402, F401
