"""Settings a coordinator may set once in ``config.toml`` instead of on every command."""

from __future__ import annotations

from credcli.domain.pipeline import STALLED_DAYS
from credcli.errors import InputError
from credcli.io import config


def stalled_days(given: int | None) -> int:
    """Days of inactivity that make a file stalled: the option (or CREDCLI_STALLED_DAYS),
    else ``stalled_days`` under ``[queue]`` in config.toml, else the default (14)."""
    if given is not None:
        return given
    value = config.section("queue").get("stalled_days", STALLED_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(
            f"config file {config.config_path()}: [queue] stalled_days must be a whole "
            f"number of days, 1 or more (found {value!r})"
        )
    return value
