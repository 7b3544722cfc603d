"""A CSV listing has one header whether or not it has rows: cron jobs append daily exports."""

import csv
import io
import json

import pytest

from credcli.services import audit_log, payers
from credcli.services import queue as work_queue


def _header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("listing", "empty_filter", "fields"),
    [
        (["queue"], ["--assignee", "nobody"], work_queue.ROW_FIELDS),
        (["payer", "list"], ["--payer", "Nope"], payers.ROW_FIELDS),
        (["audit-log"], ["--since", "2999-01-01"], audit_log.ROW_FIELDS),
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
