"""The status changes an edit may make, for every pair of statuses."""

import pytest

from credcli.domain.provider_status import Refusal, refused_change

A, ACT, INA, T = "applicant", "active", "inactive", "terminated"


@pytest.mark.parametrize(
    ("was", "to", "credentialed", "expected"),
    [
        (A, ACT, False, Refusal.NOT_CREDENTIALED),
        (A, INA, False, Refusal.NOT_CREDENTIALED),
        (T, ACT, False, Refusal.TERMINATED),
        (T, INA, False, Refusal.TERMINATED),
        (A, ACT, True, None),  # a roster row giving the date they were credentialed
        (T, ACT, True, Refusal.TERMINATED),  # back only through an initial file
        (T, INA, True, Refusal.TERMINATED),
        (ACT, INA, False, None),  # an existing panel member taken in as active
        (INA, ACT, False, None),
        (ACT, A, True, Refusal.CREDENTIALED),
        (INA, A, True, Refusal.CREDENTIALED),
        (T, A, True, None),  # a provider who left applies again
        (T, A, False, None),  # never credentialed: may apply again
        (ACT, A, False, None),
        (A, T, False, None),
        (ACT, T, True, None),
        (A, A, False, None),
        (ACT, ACT, True, None),
        (A, A, True, None),  # no change is never refused, whatever the dates say
    ],
)
def test_refused_change(was: str, to: str, credentialed: bool, expected: Refusal | None) -> None:
    assert refused_change(was, to, credentialed=credentialed) is expected
