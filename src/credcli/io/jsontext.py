"""JSON text written fast: one encoder built once for many short values."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def writer(
    separators: tuple[str, str], *, sort_keys: bool, default: Callable[[Any], Any] | None = None
) -> Callable[[Any], str]:
    """``json.dumps`` with these settings, built once.

    ``JSONEncoder.encode`` builds its C encoder anew on every call, which costs more
    than encoding a short row; an import or a chain check encodes millions of them.
    """
    encoder = json.JSONEncoder(
        separators=separators, sort_keys=sort_keys, ensure_ascii=False, default=default
    )
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        return encoder.encode
    chunks = make(
        None,  # no circular-reference check: the values are flat rows
        encoder.default,
        json.encoder.encode_basestring,
        None,
        separators[1],
        separators[0],
        sort_keys,
        False,
        True,
    )
    return lambda value: "".join(chunks(value, 0))
