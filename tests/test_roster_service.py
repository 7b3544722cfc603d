"""The import service on its own: progress reporting and the summary it returns."""

from credcli.services import registry, roster_import
from rosters import HEADERS, npi, write_xlsx


class Recorder:
    def __init__(self) -> None:
        self.total: int | None = -1
        self.advances: list[int] = []

    def start(self, total: int | None) -> None:
        self.total = total

    def advance(self, rows: int) -> None:
        self.advances.append(rows)


def test_progress_counts_every_row_read(db, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(roster_import, "BATCH_ROWS", 2)
    rows = [["Title"], HEADERS]
    rows += [[npi(i), "Last", "First"] for i in range(1, 6)]
    rows += [[], ["1234567898", "Bad", "Npi"]]
    roster = write_xlsx(tmp_path / "r.xlsx", {"S": rows})
    progress = Recorder()
    with registry.session(db, write=True) as session:
        summary = roster_import.import_roster(session=session, path=roster, progress=progress)
    assert (summary.read, summary.created, summary.blank, summary.rejected) == (7, 5, 1, 1)
    assert progress.total == 7
    assert sum(progress.advances) == 7
    assert summary.counts() == {
        "read": 7,
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "blank": 1,
        "ignored_columns": [],
    }
