import pytest

from credcli.domain.identifiers import (
    dea_problem,
    normalize_npi,
    npi_check_digit,
    npi_is_valid,
    npi_problem,
)


@pytest.mark.parametrize("npi", ["1234567893", "1558598797", "1770626038"])
def test_valid_npis_pass(npi: str) -> None:
    assert npi_is_valid(npi)


def test_wrong_check_digit_is_named() -> None:
    assert npi_problem("1234567898") == "check digit does not match (mistyped NPI?)"


@pytest.mark.parametrize(
    ("npi", "reason"),
    [
        ("123456789", "an NPI is 10 digits"),
        ("12345678930", "an NPI is 10 digits"),
        ("12345678A3", "an NPI is 10 digits"),
        (
            "1\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0661\u0662",
            "is written with digits other than 0-9; retype it with 0-9",
        ),
        ("\uff11234567893", "is written with digits other than 0-9; retype it with 0-9"),
        ("3234567893", "an NPI starts with 1 or 2"),
    ],
)
def test_malformed_npis(npi: str, reason: str) -> None:
    assert npi_problem(npi) == reason


def test_check_digit_uses_the_80840_prefix() -> None:
    assert npi_check_digit("123456789") == 3


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (1234567893, "1234567893"),
        (1234567893.0, "1234567893"),
        ("1234567893.0", "1234567893"),
        (" 1234 567 893 ", "1234567893"),
        (None, ""),
    ],
)
def test_spreadsheet_npis_normalise_to_text(raw: object, text: str) -> None:
    assert normalize_npi(raw) == text


@pytest.mark.parametrize("dea", ["AP5836727", "AJ5184279"])
def test_valid_dea_numbers(dea: str) -> None:
    assert dea_problem(dea) is None


def test_dea_check_digit_mismatch() -> None:
    assert dea_problem("AB4523763") == "check digit does not match (mistyped DEA number?)"


@pytest.mark.parametrize("dea", ["A15836727", "AP583672", "1P5836727", ""])
def test_malformed_dea_numbers(dea: str) -> None:
    assert dea_problem(dea) == "a DEA number is 2 letters and 7 digits"
