"""Which provider status changes an edit (a command or a roster row) may make.

Credentialing, not an edit, is what lets a provider practise: an applicant, or a
terminated provider who was never credentialed, becomes active when the committee
approves their initial file. A credentialed provider who stops practising is inactive,
never an applicant again. Termination has its own command and its own roster columns.
"""

from __future__ import annotations

from enum import Enum, auto

from credcli.domain.vocab import ProviderStatus

PRACTISING = frozenset({ProviderStatus.active.value, ProviderStatus.inactive.value})


class Refusal(Enum):
    NOT_CREDENTIALED = auto()  # only the committee's approval makes them practise
    CREDENTIALED = auto()  # and so never an applicant again
    TERMINATED = auto()  # a provider who left comes back through credentialing


def refused_change(was: str, to: str, *, credentialed: bool) -> Refusal | None:
    """Why an edit may not move a provider from ``was`` to ``to``; None when it may.

    A terminated provider (left, denied at recredentialing) does not practise again by an
    edit: they apply again (applicant) and the committee approves an initial file (NCQA
    treats a break in practice over 30 days as initial credentialing).
    """
    if to == was:
        return None
    if was == ProviderStatus.terminated.value:
        return Refusal.TERMINATED if to in PRACTISING else None
    if to == ProviderStatus.applicant.value and credentialed:
        return Refusal.CREDENTIALED
    if to in PRACTISING and was not in PRACTISING and not credentialed:
        return Refusal.NOT_CREDENTIALED
    return None
