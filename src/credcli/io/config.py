"""The user's credcli configuration: ``config.toml`` and templates in the user config folder."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from credcli.errors import InputError

CONFIG_NAME = "config.toml"


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("credcli", appauthor=False))


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def load() -> dict[str, Any]:
    """The parsed config file, or an empty dict when there is none."""
    path = config_path()
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"config file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise InputError(f"cannot read config file {path}: {exc.strerror}") from None


def section(name: str) -> dict[str, Any]:
    value = load().get(name, {})
    if not isinstance(value, dict):
        raise InputError(f"config file {config_path()}: [{name}] must be a table")
    return value
