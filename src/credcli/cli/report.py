"""``credcli report``: the reports leadership and surveyors ask for (one module per report)."""

from __future__ import annotations

from credcli.cli.group import sub_app

app = sub_app("Reports for leadership, surveyors and payers: rosters, metrics, audits.")
