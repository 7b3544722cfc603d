"""``credcli report``: the reports group, shared by every report command module."""

from __future__ import annotations

from credcli.cli.group import sub_app

app = sub_app("Reports for leadership, surveyors and payers.")
