"""A CSV listing has one header whether or not it has rows: cron jobs append daily exports."""

import csv
import io
import json

import pytest

from credcli.cli.committee_render import AGENDA_COLUMNS
from credcli.services import audit_log, file_views, payers
from credcli.services import queue as work_queue


def _header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("listing", "empty_filter", "fields"),
    [
        (["queue"], ["--assignee", "nobody"], work_queue.ROW_FIELDS),
        (["payer", "list"], ["--payer", "Nope"], payers.ROW_FIELDS),
        (["audit-log"], ["--since", "2999-01-01"], audit_log.ROW_FIELDS),
        (["file", "list"], ["--stage", "withdrawn"], file_views.LIST_FIELDS),
    ],
)
def test_an_empty_listing_has_the_full_listing_header(
    cli, db, ana, listing, empty_filter, fields
) -> None:
    cli("payer", "enroll", ana, "Aetna", "--submitted", "2026-11-20")
    full = cli(*listing, "--format", "csv").stdout
    empty = cli(*listing, *empty_filter, "--format", "csv").stdout
    assert full.count("\n") > 1 and empty.count("\n") == 1
    assert _header(full) == _header(empty) == list(fields)
    # every key a row carries is in the header: none is dropped from the CSV
    rows = json.loads(cli(*listing, "--format", "json").stdout)
    assert list(rows[0]) == list(fields)


def test_an_empty_agenda_has_the_full_agenda_header(cli, db, ana) -> None:
    fields = [key for key, _ in AGENDA_COLUMNS]
    empty = cli("committee", "agenda", "--date", "2026-12-10", "--format", "csv").stdout
    cli("file", "stage", "1", "verification")
    cli("file", "stage", "1", "committee-ready")
    full = cli("committee", "agenda", "--date", "2026-12-10", "--format", "csv").stdout
    assert empty.count("\n") == 1 and full.count("\n") == 2
    assert _header(full) == _header(empty) == fields
    agenda = json.loads(cli("committee", "agenda", "--date", "2026-12-10", "-f", "json").stdout)
    assert sorted(["section", *agenda["review"][0]]) == sorted(fields)  # nothing left out
