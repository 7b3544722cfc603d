"""Files holding personal data are created readable by their owner only (0600)."""

from __future__ import annotations

import os
from pathlib import Path

from credcli.errors import EnvironmentProblem, InputError


def prepare(path: Path) -> None:
    """Create (or truncate) ``path`` with mode 0600 so the data never lands world-readable."""
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file name")
    if not path.parent.exists():
        raise InputError(f"cannot write {path}: folder {path.parent} does not exist")
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write {path}: {exc.strerror}") from None
    os.close(fd)
    os.chmod(path, 0o600)


def create_new(path: Path) -> None:
    """Create ``path`` empty with mode 0600; refuse if anything already sits there."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise InputError(f"{path} already exists") from None
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write {path}: {exc.strerror}") from None
    os.close(fd)
