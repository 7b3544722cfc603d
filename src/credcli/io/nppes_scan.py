"""The fast path through an NPPES file: find the lines of the wanted NPIs without parsing
the rest, on every core, while the file's SHA-256 is computed alongside.

NPI is the first column, so a line is wanted when its first 11 bytes are '"NNNNNNNNNN'
(quoted file) or 'NNNNNNNNNN,' (unquoted). Large files are cut into byte ranges at line
starts and scanned by worker processes (fork); smaller files are scanned in-process.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import itertools
import mmap
import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# below this, starting workers and shipping their lines back costs more than it saves
PARALLEL_MIN_BYTES = 256 << 20


def keys_for(wanted: set[str]) -> frozenset[bytes]:
    return frozenset({f'"{n}'.encode() for n in wanted} | {f"{n},".encode() for n in wanted})


def scan_range(path: str, begin: int, end: int, keys: frozenset[bytes]) -> tuple[int, list[bytes]]:
    """(lines in [begin, end), the wanted ones); ``begin`` and ``end`` are line starts.

    The range is memory-mapped, so reading stops at its end by itself and lines are cut
    by mmap.readline in C; zip with a counter counts them without a Python step per line.
    """
    if end <= begin:
        return 0, []
    aligned = begin - begin % mmap.ALLOCATIONGRANULARITY
    with (
        open(path, "rb") as handle,
        mmap.mmap(handle.fileno(), end - aligned, offset=aligned, access=mmap.ACCESS_READ) as view,
    ):
        view.seek(begin - aligned)
        counter = itertools.count()
        lines = zip(iter(view.readline, b""), counter, strict=False)
        found = [line for line, _ in lines if line[:11] in keys]
        return next(counter), found


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _boundaries(path: Path, start: int, size: int, parts: int) -> list[int]:
    cuts = [start]
    with path.open("rb") as handle:
        for index in range(1, parts):
            handle.seek(start + index * (size - start) // parts)
            handle.readline()
            cuts.append(min(handle.tell(), size))
    cuts.append(size)
    return sorted(set(cuts))


Convert = Callable[[list[bytes]], tuple[list[Any], list[str]]]


def scan_and_convert(
    path: str, begin: int, end: int, keys: frozenset[bytes], convert: Convert
) -> tuple[int, list[Any], list[str]]:
    """scan_range, then ``convert`` the wanted lines (parse them) where they were found."""
    count, lines = scan_range(path, begin, end, keys)
    items, problems = convert(lines)
    return count, items, problems


def wanted_items(
    path: Path,
    start: int,
    wanted: set[str],
    convert: Convert,
    result: dict[str, Any],
    *,
    digest: bool,
) -> Iterator[Any]:
    """``convert``-ed lines of ``path`` from byte ``start`` whose NPI is wanted, in file order.

    ``convert`` (picklable) turns a range's wanted lines into items and problems; with
    workers it runs in them, so parsing is spread over the cores too. Fills ``result``
    with ``scanned`` (lines read), ``problems`` and, when ``digest`` is set, ``sha256``
    (of the whole file, computed by a worker alongside the scan).
    """
    keys = keys_for(wanted)
    size = path.stat().st_size
    workers = min(os.cpu_count() or 1, 8)
    fork = "fork" in multiprocessing.get_all_start_methods()
    if size - start < PARALLEL_MIN_BYTES or workers < 2 or not fork:
        count, items, problems = scan_and_convert(str(path), start, size, keys, convert)
        result.update(
            scanned=count, problems=problems, sha256=sha256_file(str(path)) if digest else None
        )
        yield from items
        return
    ranges = _boundaries(path, start, size, workers * 2)
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        hashed = pool.submit(sha256_file, str(path)) if digest else None
        parts = [
            pool.submit(scan_and_convert, str(path), begin, end, keys, convert)
            for begin, end in zip(ranges, ranges[1:], strict=False)
        ]
        scanned = 0
        found_problems: list[str] = []
        for part in parts:
            count, items, problems = part.result()
            scanned += count
            found_problems += problems
            yield from items
        result.update(
            scanned=scanned,
            problems=found_problems,
            sha256=hashed.result() if hashed else None,
        )
