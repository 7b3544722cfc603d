"""The list readers, file by file, without a registry."""

from pathlib import Path

import pytest

from credcli.errors import InputError
from credcli.io import leie, nppes, sam
from credcli.io.listfiles import file_date
from listfiles import (
    leie_row,
    nppes_row,
    sam_row,
    write_leie,
    write_nppes,
    write_sam,
)


@pytest.mark.parametrize("quoted", [True, False])
def test_leie_quirks(tmp_path: Path, quoted: bool) -> None:
    path = write_leie(
        tmp_path / "UPDATED.csv",
        [
            leie_row("SMITH", "JOHN", MIDNAME="W JR ", DOB="19700412", EXCLTYPE="1128a1   "),
            leie_row(BUSNAME="ACME PHARMACY", NPI="1558598797", WVRSTATE='""'),
        ],
        quoted_header=quoted,
        bom=True,
    )
    person, entity = leie.read(path)
    assert (person.person, person.last_name, person.middle_name) == (True, "SMITH", "W JR")
    assert (person.npi, person.dob, person.excluded_on) == (None, "1970-04-12", "2024-01-15")
    assert person.data["EXCLTYPE"] == "1128a1"
    assert (person.norm_last, person.norm_first) == ("smith", "john")
    assert (entity.person, entity.entity_name, entity.npi, entity.dob) == (
        False,
        "ACME PHARMACY",
        "1558598797",
        None,
    )


def test_leie_kind_and_date_come_from_the_file_name(tmp_path: Path) -> None:
    assert leie.kind_from_name(Path("2511EXCL.csv")) == "exclusions"
    assert leie.kind_from_name(Path("2511REIN.csv")) == "reinstatements"
    assert leie.kind_from_name(Path("UPDATED.csv")) == "full"
    path = write_leie(tmp_path / "2511EXCL.csv", [])
    assert file_date(path, "leie").isoformat() == "2025-11-01"


def test_leie_bad_date_names_the_line(tmp_path: Path) -> None:
    path = write_leie(
        tmp_path / "UPDATED.csv", [leie_row("A", "B"), leie_row("C", "D", DOB="1980")]
    )
    with pytest.raises(InputError) as caught:
        leie.read(path)
    assert caught.value.message == "UPDATED.csv line 3: DOB '1980' is not a YYYYMMDD date"


def test_sam_indefinite_and_classifications(tmp_path: Path) -> None:
    path = write_sam(
        tmp_path / "SAM_Exclusions_Public_Extract_V2_25327.CSV",
        [
            sam_row("JONES", "MARY", NPI="1234567893"),
            sam_row("LEE", "KIM", **{"Termination Date": "12/31/2025"}),
            sam_row(Classification="Firm", Name="ACME LLC"),
            sam_row(Classification="Vessel", Name="SEA QUEEN"),
        ],
    )
    extract = sam.read(path)
    assert extract.skipped == 1
    jones, lee, firm = extract.rows
    assert (jones.npi, jones.ends_on, jones.excluded_on, jones.dob) == (
        "1234567893",
        None,
        "2023-03-15",
        None,
    )
    assert lee.ends_on == "2025-12-31"
    assert (firm.person, firm.entity_name) == (False, "ACME LLC")
    assert file_date(path, "sam").isoformat() == "2025-11-23"


def test_nppes_columns_are_read_by_name_and_only_wanted_npis_kept(tmp_path: Path) -> None:
    path = write_nppes(
        tmp_path / "npidata_pfile_20050523-20251109.csv",
        [
            nppes_row("1234567893", "DIAZ", "ANA", **{"NPI Deactivation Date": "01/31/2024"}),
            nppes_row("1558598797", "OKAFOR", "BEN"),
        ],
    )
    scan = nppes.Scan()
    rows = list(nppes.open_scan(path, {"1234567893"}, scan))
    assert (scan.scanned, scan.kept) == (2, 1)
    assert rows[0]["last_name"] == "DIAZ"
    assert rows[0]["deactivated_on"].isoformat() == "2024-01-31"
    assert file_date(path, "nppes").isoformat() == "2025-11-09"


def test_nppes_with_npi_not_first_is_still_read_by_name(tmp_path: Path) -> None:
    path = tmp_path / "npidata.csv"
    path.write_text(
        '"Provider First Name","Entity Type Code","Provider Last Name (Legal Name)","NPI"\n'
        '"ANA","1","DIAZ","1234567893"\n"BEN","1","OKAFOR","1558598797"\n'
    )
    scan = nppes.Scan()
    rows = list(nppes.open_scan(path, {"1558598797"}, scan))
    assert [(r["npi"], r["first_name"]) for r in rows] == [("1558598797", "BEN")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "x.csv is empty; download an OIG LEIE file again"),
        (b"PK\x03\x04rest", "x.csv is an Excel workbook or a zip archive, not a CSV file; "
         "unzip it or download an OIG LEIE file as CSV"),
        (b'"Classification","Name","First","Middle","Last","Exclusion Type","Active Date"\n',
         "x.csv looks like a SAM.gov exclusions extract, not an OIG LEIE file; load it with "
         "'credcli verify load sam'"),
        (b"LASTNAME,FIRSTNAME\nA,B\n",
         "x.csv is not an OIG LEIE file: its header lacks MIDNAME, BUSNAME, GENERAL, "
         "SPECIALTY, UPIN ..."),
    ],
)  # fmt: skip
def test_wrong_files_are_named_for_what_they_are(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        leie.read(path)
    assert caught.value.message == message


@pytest.mark.parametrize("parallel", [False, True])
def test_nppes_fast_scan_finds_the_same_lines_in_process_and_in_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    import functools
    import hashlib

    from credcli.io import nppes_scan

    npis = ["1234567893", "1558598797", "1770626038", "1003000126", "1003000134"]
    path = write_nppes(tmp_path / "npidata.csv", [nppes_row(n, f"L{n}", "F") for n in npis * 40])
    if parallel:
        monkeypatch.setattr(nppes_scan, "PARALLEL_MIN_BYTES", 0)
    result: dict[str, object] = {}
    start = len(path.read_bytes().split(b"\n", 1)[0]) + 1
    wanted = {"1558598797", "1003000134"}
    header = path.read_text().split("\n", 1)[0].replace('"', "").split(",")
    convert = functools.partial(nppes.convert_lines, nppes.layout(header), frozenset(wanted))
    rows = list(nppes_scan.wanted_items(path, start, wanted, convert, result, digest=True))
    assert len(rows) == 80
    assert {row["npi"] for row in rows} == wanted
    assert rows[0]["last_name"] == "L1558598797"
    assert result == {
        "scanned": 200,
        "problems": [],
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }


def test_nppes_unquoted_file_is_prefiltered_too(tmp_path: Path) -> None:
    path = tmp_path / "npidata.csv"
    path.write_text(
        "NPI,Entity Type Code,Provider Last Name (Legal Name),Provider First Name\r\n"
        "1234567893,1,DIAZ,ANA\r\n1558598797,1,OKAFOR,BEN\r\n"
    )
    scan = nppes.Scan()
    rows = list(nppes.open_scan(path, {"1234567893"}, scan))
    assert [(r["npi"], r["last_name"]) for r in rows] == [("1234567893", "DIAZ")]
    assert (scan.scanned, scan.kept, scan.sha256) == (2, 1, None)


def test_leie_with_windows_1252_and_utf8_lines_reads_both_names(tmp_path: Path) -> None:
    path = write_leie(
        tmp_path / "UPDATED.csv", [leie_row("MUÑOZ", "JOSÉ"), leie_row("PEÑA", "ANA")]
    )
    data = path.read_bytes().replace("PEÑA".encode(), "PEÑA".encode("cp1252"))
    path.write_bytes(b"\xef\xbb\xbf" + data)
    munoz, pena = leie.read(path)
    assert (munoz.last_name, munoz.norm_last, munoz.norm_first) == ("MUÑOZ", "munoz", "jose")
    assert (pena.last_name, pena.norm_last) == ("PEÑA", "pena")


@pytest.mark.parametrize("parallel", [False, True])
def test_nppes_fast_scan_names_the_line_of_a_damaged_wanted_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    from credcli.io import nppes_scan

    rows = [nppes_row(f"1{i:09d}", f"L{i}", "F") for i in range(200)]
    rows[150] = nppes_row("1558598797", "OKAFOR", "BEN", **{"NPI Deactivation Date": "5/1/24"})
    path = write_nppes(tmp_path / "npidata.csv", rows)
    if parallel:  # the row's worker raises; the refusal crosses back to the loader
        monkeypatch.setattr(nppes_scan, "PARALLEL_MIN_BYTES", 0)
    with pytest.raises(InputError) as caught:
        list(nppes.open_scan(path, {"1558598797", "1000000007"}, nppes.Scan()))
    assert caught.value.message == (
        "npidata.csv line 152: column \"NPI Deactivation Date\" '5/1/24' is not a MM/DD/YYYY "
        "date; the stored NPPES copy was left as it was"
    )


def test_nppes_dates_are_month_day_year_with_a_four_digit_year(tmp_path: Path) -> None:
    path = write_nppes(
        tmp_path / "npidata.csv",
        [nppes_row("1234567893", "DIAZ", "ANA", **{"NPI Reactivation Date": "3/5/2025"})],
    )
    (row,) = nppes.open_scan(path, None, nppes.Scan())
    assert (row["reactivated_on"].isoformat(), row["deactivated_on"]) == ("2025-03-05", None)
    assert row["enumerated_on"].isoformat() == "2006-05-23"


def test_nppes_extra_empty_fields_are_harmless_but_a_value_past_the_header_is_not(
    tmp_path: Path,
) -> None:
    path = tmp_path / "npidata.csv"
    path.write_text(
        "NPI,Entity Type Code,Provider Last Name (Legal Name),Provider First Name\r\n"
        "1234567893,1,DIAZ,ANA,,\r\n1558598797,1,OKAFOR,BEN\r\n"
    )
    assert [r["first_name"] for r in nppes.open_scan(path, None, nppes.Scan())] == ["ANA", "BEN"]
    path.write_text(
        "NPI,Entity Type Code,Provider Last Name (Legal Name),Provider First Name\r\n"
        "1234567893,1,DIAZ,ANA\r\n1558598797,1,OKAFOR, JR,BEN\r\n"
    )
    with pytest.raises(InputError) as caught:
        list(nppes.open_scan(path, None, nppes.Scan()))
    assert caught.value.message == (
        "npidata.csv line 3: 5 fields where the header has 4: a value after the last column "
        '"Provider First Name" (a comma without quotes?); the stored NPPES copy was left as '
        "it was"
    )


def test_an_nppes_file_whose_last_whole_row_lacks_a_line_break_is_read(tmp_path: Path) -> None:
    path = tmp_path / "npidata.csv"
    path.write_bytes(
        b'"NPI","Entity Type Code","Provider Last Name (Legal Name)","Provider First Name"\r\n'
        b'"1234567893","1","DIAZ","ANA"\r\n"1558598797","1","OKAFOR","BEN"'
    )
    for wanted in ({"1234567893"}, None):
        rows = list(nppes.open_scan(path, wanted, nppes.Scan()))
        assert rows[0]["last_name"] == "DIAZ"
    path.write_bytes(path.read_bytes()[:-9])  # '..."OKAFO': cut inside a value
    with pytest.raises(InputError) as caught:
        nppes.open_scan(path, {"1234567893"}, nppes.Scan())  # refused before any row is read
    assert caught.value.message.startswith(
        'npidata.csv line 3: a quoted value in column "Provider Last Name (Legal Name)" never ends'
    )
