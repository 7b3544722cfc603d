import datetime as dt

import pytest

from credcli.domain import roster_fields as rf
from credcli.domain.dates import DateProblem
from credcli.domain.roster_values import CellError, cell_date, clean, from_serial, shown

ALL_ALIASES = [(field, alias) for field, aliases in rf.ALIASES.items() for alias in aliases]


@pytest.mark.parametrize(("field", "alias"), ALL_ALIASES)
def test_every_alias_in_the_table_maps_to_its_field(field, alias) -> None:
    assert rf.match_header(alias) == rf.Target(field)


def test_no_two_fields_share_a_normalised_alias() -> None:
    seen: dict[str, str] = {}
    clashes = []
    for field in (*rf.PROVIDER_FIELDS, *rf.CREDENTIAL_FIELDS):
        for name in (field, rf.LABELS[field], *rf.ALIASES.get(field, ())):
            norm = rf.normalize_header(name)
            if seen.setdefault(norm, field) != field:
                clashes.append((name, seen[norm], field))
    assert clashes == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("License Expir Date ", "licenseexpirdate"),
        ("License\nExpir  Date", "licenseexpirdate"),
        ("NPI_Individual__c", "npiindividualc"),
        ("  CAQH ID #", "caqhid"),
        (None, ""),
    ],
)
def test_headers_are_compared_on_letters_and_digits_only(header, expected) -> None:
    assert rf.normalize_header(header) == expected


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("LicExpiration1", rf.Target("license_expires")),
        ("LicExpiration2", rf.Target("license_expires", 2)),
        ("License Number 3", rf.Target("license_number", 3)),
        ("License 2 State", rf.Target("license_state", 2)),
        ("Board Expir 1", rf.Target("board_expires")),
        ("CDS Number 2", rf.Target("cds_number", 2)),
        ("Address 1", rf.Target("address")),
        ("license_expires_2", rf.Target("license_expires", 2)),
    ],
)
def test_a_number_in_a_header_names_a_slot(header, target) -> None:
    assert rf.match_header(header) == target


@pytest.mark.parametrize("header", ["Board Expir 2", "DEA 2", "Address 2", "Favorite Color", ""])
def test_headers_credcli_does_not_keep_match_nothing(header) -> None:
    assert rf.match_header(header) is None


def test_an_ssn_column_is_recognised_so_it_can_be_refused() -> None:
    assert rf.match_header("Social Security Number") == rf.Target(rf.SSN)
    assert rf.match_header("SSN 2") is None


def test_map_targets() -> None:
    assert rf.parse_target(" License-Expires ") == rf.Target("license_expires")
    assert rf.parse_target("cds_state_2") == rf.Target("cds_state", 2)
    assert rf.parse_target("ignore") == rf.Target(rf.IGNORE)
    with pytest.raises(ValueError, match="is not a roster field; use one of npi, last_name"):
        rf.parse_target("dea_number_2")


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letters(index, letter) -> None:
    assert rf.column_letter(index) == letter


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2027, 3, 15),
        dt.datetime(2027, 3, 15, 0, 0),
        46461,
        46461.0,
        "46461",
        "03/15/2027",
        "3/15/2027",
        "2027-03-15",
        "15-Mar-2027",
        "3/15/27",
        "March 15, 2027",
        "20270315",
        "46461.0",
    ],
)
def test_each_date_form_a_roster_holds(value) -> None:
    assert cell_date(value) == dt.date(2027, 3, 15)


def test_day_first_dates() -> None:
    assert cell_date("15/03/2027", dayfirst=True) == dt.date(2027, 3, 15)
    assert cell_date("04/03/2027", dayfirst=True) == dt.date(2027, 3, 4)
    assert cell_date("04/03/2027") == dt.date(2027, 4, 3)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("02/30/2027", "is not a real calendar date"),
        ("15/03/2027", "is not a real calendar date (a day-first date? use --dayfirst)"),
        ("31-Feb-2027", "is not a real calendar date"),
        ("soon", "is not a date (try YYYY-MM-DD)"),
        (12, "is a number, not a date (an Excel date serial is 3654 to 73050)"),
        (dt.time(9, 30), "is a time, not a date"),
        (True, "is not a date (try YYYY-MM-DD)"),
    ],
)
def test_impossible_dates_say_why(value, reason) -> None:
    with pytest.raises(DateProblem) as caught:
        cell_date(value)
    assert str(caught.value) == reason


def test_excel_serial_numbers_count_from_1899_12_30() -> None:
    assert from_serial(3654) == dt.date(1910, 1, 1)
    assert from_serial(45658) == dt.date(2025, 1, 1)


def test_cells_are_trimmed_and_formula_guards_undone() -> None:
    assert clean("  Diaz ") == "Diaz"
    assert clean("   ") is None
    assert clean("'=SUM(A1)") == "=SUM(A1)"
    assert clean("'-5") == "-5"
    assert clean("O'Brien") == "O'Brien"
    assert shown(1234567893.0) == "1234567893"
    assert shown(dt.datetime(2027, 3, 15)) == "2027-03-15"


def test_a_month_first_date_read_day_first_gets_the_opposite_hint() -> None:
    with pytest.raises(DateProblem, match=r"\(a month-first date\? drop --dayfirst\)"):
        cell_date("03/15/2027", dayfirst=True)


def test_an_apostrophe_before_digits_is_how_a_spreadsheet_keeps_text() -> None:
    assert clean("'08752") == "08752"
    assert clean("'1234567893") == "1234567893"
    assert clean("'08752-1234") == "08752-1234"
    assert clean("'Tis") == "'Tis"
    assert clean("'") is None


def test_spreadsheet_errors_are_told_apart_from_text() -> None:
    assert clean("#N/A") == CellError("#N/A")
    assert clean(" #ref! ") == CellError("#REF!")
    assert clean("#12 Main St") == "#12 Main St"


def test_a_year_first_text_cell_is_year_month_day_even_dayfirst() -> None:
    assert cell_date("2027/03/04", dayfirst=True) == dt.date(2027, 3, 4)
    assert cell_date("04/03/2027", dayfirst=True) == dt.date(2027, 3, 4)
