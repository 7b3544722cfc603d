"""Exclusion screening: how a provider and a list record are judged to match.

Screening match tiers (OIG/SAM screening practice):
- strong: NPI equal (and not all zeros); or normalised last + first name equal and
  date of birth equal.
- possible: name equal or very close (one typo in last or first name, first and
  last swapped, middle name missing) with the date of birth missing on either
  side; a very close name with the same date of birth is also possible.
- ruled-out: name equal but dates of birth differ; not a match, recorded as evidence.
A very close name with a different date of birth is no match at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Tier(StrEnum):
    strong = "strong"
    possible = "possible"
    ruled_out = "ruled-out"


class HitStatus(StrEnum):
    open = "open"
    cleared = "cleared"  # a person judged it a false positive
    confirmed = "confirmed"  # a person confirmed the provider is the excluded person
    ruled_out = "ruled-out"  # same name, different date of birth: not a match
    resolved = "resolved"  # the record left the list (reinstated) before anyone decided


DISPOSED = frozenset({HitStatus.cleared, HitStatus.confirmed})


class NameRelation(StrEnum):
    equal = "equal"
    near = "near"  # one typo in last or first name
    swapped = "swapped"  # first and last exchanged


@dataclass(frozen=True)
class Match:
    tier: Tier
    reason: str


def judge(
    *,
    npi_equal: bool,
    names: NameRelation | None,
    provider_dob: str | None,
    record_dob: str | None,
    npi_differs: bool = False,
) -> Match | None:
    """The tier of one provider against one list record, or None when they do not match.

    A record under another NPI keeps its tier (a list's NPI can be mistyped, and a missed
    exclusion costs far more than a second look) but says so, for the person deciding.
    """
    if npi_equal:
        return Match(Tier.strong, "NPI equal")
    if names is None:
        return None
    match = _by_name(names, provider_dob, record_dob)
    if match is not None and npi_differs:
        return Match(match.tier, f"{match.reason}; the list record carries another NPI")
    return match


def _by_name(names: NameRelation, provider_dob: str | None, record_dob: str | None) -> Match | None:
    dob_known = bool(provider_dob) and bool(record_dob)
    if names is NameRelation.equal:
        if not dob_known:
            return Match(Tier.possible, "name equal, date of birth missing")
        if provider_dob == record_dob:
            return Match(Tier.strong, "name and date of birth equal")
        return Match(Tier.ruled_out, "name equal, date of birth differs")
    what = "name very close" if names is NameRelation.near else "first and last name swapped"
    if not dob_known:
        return Match(Tier.possible, f"{what}, date of birth missing")
    if provider_dob == record_dob:
        return Match(Tier.possible, f"{what}, date of birth equal")
    return None


def better(a: Match, b: Match) -> Match:
    order = {Tier.strong: 0, Tier.possible: 1, Tier.ruled_out: 2}
    return a if order[a.tier] <= order[b.tier] else b


_SEP = "\x1f"  # the ASCII unit separator never occurs in list data


def digest(values: Sequence[str]) -> str:
    """A stable hash of text values (a record's identifying fields)."""
    return hashlib.sha256(_SEP.join(values).encode("utf-8")).hexdigest()[:32]


def content_digest(record: Mapping[str, str]) -> str:
    """A stable hash of every field of a record, whatever the order of the file's columns."""
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def real_npi(value: str | None) -> str | None:
    """The NPI a list gives, or None for blanks and the all-zeros placeholder."""
    text = (value or "").strip()
    if not text or set(text) == {"0"}:
        return None
    return text
