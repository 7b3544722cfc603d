import datetime as dt

import pytest

from credcli.domain import psv
from credcli.domain.psv import ElementState, Evidence

DAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("age", "state"),
    [(0, ElementState.current), (120, ElementState.current), (121, ElementState.stale)],
)
def test_psv_is_good_for_120_days(age: int, state: ElementState) -> None:
    evidence = Evidence(DAY - dt.timedelta(days=age), "verified")
    assert psv.element_state("license:CA", evidence, DAY) is state


@pytest.mark.parametrize(("age", "state"), [(180, ElementState.current), (181, ElementState.stale)])
def test_attestation_is_good_for_180_days(age: int, state: ElementState) -> None:
    evidence = Evidence(DAY - dt.timedelta(days=age), "verified")
    assert psv.element_state("attestation", evidence, DAY) is state


def test_decisions_before_july_2025_allowed_180_days() -> None:
    on = dt.date(2025, 6, 30)
    assert (
        psv.element_state("board", Evidence(on - dt.timedelta(days=180), "verified"), on)
        is ElementState.current
    )
    assert psv.limit_days("board", dt.date(2025, 7, 1)) == 120


def test_verification_after_the_day_asked_about_does_not_count() -> None:
    evidence = Evidence(DAY + dt.timedelta(days=1), "verified")
    assert psv.element_state("dea", evidence, DAY) is ElementState.missing


@pytest.mark.parametrize(
    ("result", "state"),
    [
        ("discrepancy", ElementState.discrepancy),
        ("not-found", ElementState.unverified),
        ("unable", ElementState.unverified),
    ],
)
def test_results_other_than_verified(result: str, state: ElementState) -> None:
    assert psv.element_state("npdb", Evidence(DAY, result), DAY) is state


def test_verdicts() -> None:
    current, stale = ElementState.current, ElementState.stale
    assert psv.verdict([current, ElementState.discrepancy]) is psv.Verdict.complete
    assert psv.verdict([current, stale]) is psv.Verdict.stale
    assert psv.verdict([stale, ElementState.missing]) is psv.Verdict.incomplete


def test_required_elements_follow_the_credentials() -> None:
    creds = [
        ("license", "CA", "active"),
        ("license", "NV", "active"),
        ("license", "OR", "inactive"),
        ("dea", None, "active"),
        ("board", None, "active"),
    ]
    assert psv.required_elements(creds) == [
        "license:CA",
        "license:NV",
        "dea",
        "board",
        "malpractice",
        "work-history",
        "npdb",
        "attestation",
    ]


def test_without_a_board_education_and_training_are_required() -> None:
    assert psv.required_elements([]) == [
        "license",
        "education",
        "training",
        "malpractice",
        "work-history",
        "npdb",
        "attestation",
    ]


@pytest.mark.parametrize(
    ("text", "element"),
    [("License:ca", "license:CA"), ("DEA", "dea"), ("work-history", "work-history")],
)
def test_element_names_normalise(text: str, element: str) -> None:
    assert psv.normalize_element(text) == element


@pytest.mark.parametrize("text", ["passport", "dea:CA", ""])
def test_unknown_elements_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        psv.normalize_element(text)


@pytest.mark.parametrize(
    ("text", "element"),
    [("license: ny ", "license:NY"), ("CDS:pr", "cds:PR"), ("license:dc", "license:DC")],
)
def test_element_states_are_trimmed_and_upper_cased(text: str, element: str) -> None:
    assert psv.normalize_element(text) == element


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("license:ZZ", "ZZ is not a US state or territory code (license:CA)"),
        ("cds:zz", "ZZ is not a US state or territory code (cds:CA)"),
        ("license:C A", "C A is not a US state or territory code (license:CA)"),
        ("license:", "name the state after the colon (license:CA)"),
        ("cds", "a CDS registration is a state's: name it (cds:CA)"),
    ],
)
def test_element_states_must_be_us_states(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        psv.normalize_element(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("verified_on", "until"),
    [
        (dt.date(2024, 12, 1), dt.date(2025, 5, 30)),  # day 180 comes before July 2025
        (dt.date(2025, 2, 1), dt.date(2025, 6, 30)),  # day 180 would be after: cut at 30 June
        (dt.date(2025, 3, 2), dt.date(2025, 6, 30)),  # day 120 is 30 June
        (dt.date(2025, 3, 3), dt.date(2025, 7, 1)),  # day 120 is 1 July: the new rule
        (dt.date(2026, 8, 1), dt.date(2026, 11, 29)),
    ],
)
def test_valid_until_across_the_july_2025_change(verified_on: dt.date, until: dt.date) -> None:
    assert psv.valid_until("npdb", verified_on) == until
    evidence = Evidence(verified_on, "verified")
    assert psv.element_state("npdb", evidence, until) is ElementState.current
    assert psv.element_state("npdb", evidence, until + dt.timedelta(days=1)) is ElementState.stale


def test_attestation_valid_until_is_180_days_whenever_verified() -> None:
    assert psv.valid_until("attestation", dt.date(2025, 3, 1)) == dt.date(2025, 8, 28)
