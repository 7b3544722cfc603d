"""A progress bar on stderr for long jobs, shown only to a person at a terminal."""

from __future__ import annotations

import sys
from typing import Any

MIN_ROWS = 2000  # below this a job is over before a bar would help


class RowProgress:
    """Counts rows; draws a Rich bar when stderr is a terminal and the job is large."""

    def __init__(self, description: str) -> None:
        self.description = description
        self._progress: Any = None
        self._task: Any = None

    def start(self, total: int | None) -> None:
        if not sys.stderr.isatty() or (total is not None and total < MIN_ROWS):
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(self.description, total=total)

    def advance(self, rows: int) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, rows)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> RowProgress:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
