import json
from pathlib import Path

import pytest

from credcli.io import npi_registry
from listfiles import leie_row, nppes_row, sam_row, write_leie, write_nppes, write_sam
from rosters import credentialed


def _loads(cli):
    return json.loads(cli("verify", "loads", "--format", "json").stdout)


def test_leie_full_then_monthly_supplements(cli, db, tmp_path: Path) -> None:
    smith = leie_row("SMITH", "JOHN", DOB="19700412")
    lee = leie_row("LEE", "KIM")
    full = write_leie(tmp_path / "UPDATED.csv", [smith, lee])
    result = cli("verify", "load", "leie", str(full), "--file-date", "2026-11-05")
    assert result.stderr == (
        "loaded LEIE full file UPDATED.csv (dated 2026-11-05): 2 rows read, 2 added, "
        "0 removed; the list now holds 2 rows (load #1)\n"
    )
    excl = write_leie(tmp_path / "2612EXCL.csv", [leie_row("BROWN", "ALEX"), lee])
    added = cli("verify", "load", "leie", str(excl))
    assert "2 rows read, 1 added, 0 removed; the list now holds 3 rows" in added.stderr
    assert "warning: 1 rows were already on the list" in added.stderr
    rein = write_leie(tmp_path / "2612REIN.csv", [dict(smith, REINDATE="20261201")])
    removed = cli("verify", "load", "leie", str(rein))
    assert "1 rows read, 0 added, 1 removed; the list now holds 2 rows" in removed.stderr
    loads = _loads(cli)
    assert [(x["kind"], x["file_date"], x["current"]) for x in loads] == [
        ("reinstatements", "2026-12-01", True),
        ("exclusions", "2026-12-01", True),
        ("full", "2026-11-05", True),
    ]
    again = cli("verify", "load", "leie", str(full))
    assert "2 rows read, 2 added, 2 removed; the list now holds 2 rows" in again.stderr
    assert [x["current"] for x in _loads(cli)] == [True, False, False, False]


def test_wrong_file_changes_nothing(cli, db, tmp_path: Path) -> None:
    full = write_leie(tmp_path / "UPDATED.csv", [leie_row("SMITH", "JOHN")])
    cli("verify", "load", "leie", str(full))
    samfile = write_sam(tmp_path / "sam.csv", [sam_row("JONES", "MARY")])
    wrong = cli("verify", "load", "leie", str(samfile), code=2)
    assert wrong.stderr == (
        "error: sam.csv looks like a SAM.gov exclusions extract, not an OIG LEIE file; "
        "load it with 'credcli verify load sam'\n"
    )
    xlsx = tmp_path / "UPDATED.xlsx"
    xlsx.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    cli("verify", "load", "leie", str(xlsx), code=2)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert cli("verify", "load", "sam", str(empty), code=2).stderr == (
        "error: empty.csv is empty; download a SAM.gov exclusions extract again\n"
    )
    damaged = write_leie(tmp_path / "damaged.csv", [leie_row("A", "B")])
    damaged.write_text(damaged.read_text() + '"TRUNCATED","ROW"\r\n')
    cli("verify", "load", "leie", str(damaged), code=2)
    nppes = cli("verify", "load", "nppes", str(full), code=2)
    assert "looks like an OIG LEIE file, not an NPPES npidata file" in nppes.stderr
    loads = _loads(cli)
    assert [(x["file"], x["list_size"], x["current"]) for x in loads] == [("UPDATED.csv", 1, True)]


def test_load_sam_replaces_the_copy(cli, db, tmp_path: Path) -> None:
    first = write_sam(tmp_path / "a.csv", [sam_row("JONES", "MARY"), sam_row("LEE", "KIM")])
    cli("verify", "load", "sam", str(first))
    second = write_sam(tmp_path / "b.csv", [sam_row("JONES", "MARY")])
    result = cli("verify", "load", "sam", str(second), "--file-date", "2026-11-20")
    assert "1 rows read, 1 added, 2 removed; the list now holds 1 rows" in result.stderr


def _nppes_file(tmp_path: Path) -> Path:
    return write_nppes(
        tmp_path / "npidata_pfile_20050523-20261109.csv",
        [
            nppes_row(
                "1234567893", "DIAZ", "ANA",
                **{
                    "Healthcare Provider Taxonomy Code_1": "207R00000X",
                    "Provider License Number_1": "A123456",
                    "Provider License Number State Code_1": "CA",
                    "Healthcare Provider Primary Taxonomy Switch_1": "Y",
                },
            ),
            nppes_row("1558598797", "OKAFOR", "BEN", **{"NPI Deactivation Date": "02/01/2025"}),
            nppes_row("1770626038", "STONE", "EVE"),
        ],
    )  # fmt: skip


def test_verify_npi_against_loaded_nppes(cli, db, ana, tmp_path: Path) -> None:
    cli("credential", "add", ana, "--kind", "license", "--state", "CA", "--number", "a-123456")
    cli("provider", "update", ana, "--taxonomy", "207R00000X")
    credentialed(cli, tmp_path, ana, "Ana", "Diaz")
    cli(
        "intake", "new", "--npi", "1558598797", "--first", "Benjamin", "--last", "Okafor",
        "--taxonomy", "208D00000X",
    )  # fmt: skip
    none = cli("verify", "npi", code=2)
    assert none.stderr == (
        "error: no NPPES data is loaded; run 'credcli verify load nppes FILE' or use --online\n"
    )
    loaded = cli("verify", "load", "nppes", str(_nppes_file(tmp_path)))
    assert "3 rows read, 2 added, 0 removed; the list now holds 2 rows" in loaded.stderr
    ok = json.loads(cli("verify", "npi", "--format", "json").stdout)
    assert [(r["npi"], r["name"], r["licenses"], r["taxonomy"], r["result"]) for r in ok] == [
        ("1234567893", "agrees", "agree", "agrees", "ok")
    ]
    rows = json.loads(
        cli(
            "verify", "npi", "1558598797", "1234567898", "1770626038", "--format", "json", code=1
        ).stdout
    )  # fmt: skip
    assert [r["findings"] for r in rows] == [
        [
            "NPI deactivated on 2025-02-01",
            "name differs: NPPES has OKAFOR, BEN",
            "taxonomy 208D00000X is not in NPPES (NPPES has none)",
        ],
        ["invalid NPI: check digit does not match (mistyped NPI?)"],
        ["not found in NPPES (loaded copy)"],
    ]


RECORDED = {
    "result_count": 1,
    "results": [
        {
            "number": 1234567893,
            "enumeration_type": "NPI-1",
            "basic": {"first_name": "ANA", "last_name": "DIAS", "status": "A"},
            "taxonomies": [
                {"code": "207R00000X", "desc": "Internal Medicine", "primary": True,
                 "state": "CA", "license": "B999"}
            ],
        }
    ],
}  # fmt: skip


def test_verify_npi_online_uses_the_registry_api(
    cli, db, ana, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("credential", "add", ana, "--kind", "license", "--state", "CA", "--number", "A123456")
    asked = []

    def fake(url: str, timeout: float) -> object:
        asked.append(url)
        return RECORDED

    monkeypatch.setattr(npi_registry, "fetch_json", fake)
    result = cli("verify", "npi", ana, "--online", code=1)
    assert asked == ["https://npiregistry.cms.hhs.gov/api/?version=2.1&number=1234567893"]
    assert result.stderr == (
        "warning: NPI 1234567893: name differs slightly: NPPES has DIAS, ANA\n"
        "warning: NPI 1234567893: license CA A123456 is not in NPPES\n"
        "1 of 1 NPIs need review\n"
    )


def test_verify_npi_online_without_network_is_exit_3(
    cli, db, ana, monkeypatch: pytest.MonkeyPatch
) -> None:
    import urllib.error
    import urllib.request

    def offline(*args: object, **kwargs: object) -> object:
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    result = cli("verify", "npi", ana, "--online", code=3)
    assert result.stderr == (
        "error: cannot reach the NPI Registry (Name or service not known); no network? "
        "check without --online against a loaded NPPES file\n"
    )


def test_a_full_file_without_rows_never_empties_the_stored_list(cli, db, tmp_path: Path) -> None:
    cli("verify", "load", "leie", str(write_leie(tmp_path / "UPDATED.csv", [leie_row("A", "B")])))
    cli("verify", "load", "sam", str(write_sam(tmp_path / "sam.csv", [sam_row("C", "D")])))
    header_only = write_leie(tmp_path / "header.csv", [], quoted_header=False)
    assert cli("verify", "load", "leie", str(header_only), code=2).stderr == (
        "error: header.csv has a header but no rows; the stored list was left as it was: "
        "download an OIG LEIE file again\n"
    )
    rein = write_leie(tmp_path / "2612REIN.csv", [leie_row("A", "B", REINDATE="20261201")])
    assert cli("verify", "load", "leie", str(rein), "--kind", "full", code=2).stderr == (
        "error: 2612REIN.csv: every row carries a reinstatement date, so it is not a full "
        "LEIE; load a YYMMREIN.csv supplement with --kind reinstatements\n"
    )
    sam_header = write_sam(tmp_path / "sam_header.csv", [])
    assert cli("verify", "load", "sam", str(sam_header), code=2).stderr == (
        "error: sam_header.csv has a header but no rows; the stored list was left as it was: "
        "download a SAM.gov exclusions extract again\n"
    )
    vessels = write_sam(tmp_path / "vessels.csv", [sam_row(Classification="Vessel", Name="X")])
    assert cli("verify", "load", "sam", str(vessels), code=2).stderr == (
        "error: vessels.csv holds no individuals or firms (1 vessels and other rows); the "
        "stored list was left as it was: download a SAM.gov exclusions extract again\n"
    )
    loads = _loads(cli)
    assert [(x["list"], x["list_size"], x["current"]) for x in loads] == [
        ("sam", 1, True),
        ("leie", 1, True),
    ]


def test_a_supplement_without_rows_is_loaded(cli, db, tmp_path: Path) -> None:
    cli("verify", "load", "leie", str(write_leie(tmp_path / "UPDATED.csv", [leie_row("A", "B")])))
    result = cli("verify", "load", "leie", str(write_leie(tmp_path / "2612REIN.csv", [])))
    assert "0 rows read, 0 added, 0 removed; the list now holds 1 rows" in result.stderr


def test_an_nppes_file_without_rows_keeps_the_stored_copy(cli, db, ana, tmp_path: Path) -> None:
    cli("verify", "load", "nppes", str(_nppes_file(tmp_path)))
    header_only = write_nppes(tmp_path / "npidata_pfile_20050523-20261207.csv", [])
    assert cli("verify", "load", "nppes", str(header_only), code=2).stderr == (
        "error: npidata_pfile_20050523-20261207.csv has a header but no rows; the stored "
        "NPPES copy was left as it was: download the NPPES file again\n"
    )
    assert [(x["list"], x["list_size"], x["current"]) for x in _loads(cli)] == [("nppes", 1, True)]


def test_an_unreadable_list_file_is_an_input_error(
    cli, db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_leie(tmp_path / "UPDATED.csv", [leie_row("A", "B")])

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = cli("verify", "load", "leie", str(path), code=2)
    assert result.stderr == f"error: cannot read {path}: Permission denied\n"


def test_verify_npi_csv_and_xlsx_carry_the_findings(cli, db, ana, tmp_path: Path) -> None:
    import csv
    import io

    import openpyxl

    cli("verify", "load", "nppes", str(_nppes_file(tmp_path)))
    out = cli("verify", "npi", ana, "1234567898", "--format", "csv", code=1).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["npi"], json.loads(r["findings"]), r["result"]) for r in rows] == [
        ("1234567893", [], "ok"),
        ("1234567898", ["invalid NPI: check digit does not match (mistyped NPI?)"], "review"),
    ]
    book = tmp_path / "npi.xlsx"
    result = cli("verify", "npi", "1234567898", "--xlsx", str(book), code=1)
    assert f"wrote 1 NPIs to {book}" in result.stderr
    sheet = openpyxl.load_workbook(book).active
    assert [c.value for c in sheet[1]][-1] == "Findings"
    assert sheet.cell(row=2, column=sheet.max_column).value == (
        "invalid NPI: check digit does not match (mistyped NPI?)"
    )


def test_a_full_file_under_half_the_stored_list_is_a_cut_off_download(
    cli, db, tmp_path: Path
) -> None:
    people = [leie_row(f"LAST{i:04d}", "PAT") for i in range(1200)]
    cli("verify", "load", "leie", str(write_leie(tmp_path / "UPDATED.csv", people)))
    (tmp_path / "cut").mkdir()
    (tmp_path / "half").mkdir()
    cut = write_leie(tmp_path / "cut" / "UPDATED.csv", people[:599])
    assert cli("verify", "load", "leie", str(cut), code=2).stderr == (
        "error: UPDATED.csv holds 599 rows, less than half of the 1,200 rows of the stored "
        "LEIE list: a cut-off download? It was left as it was; download the file again, "
        "or load it with --allow-shrink if the list really shrank\n"
    )
    assert [(x["list_size"], x["rows"]) for x in _loads(cli)] == [(1200, 1200)]
    half = write_leie(tmp_path / "half" / "UPDATED.csv", people[:600])
    assert "the list now holds 600 rows" in cli("verify", "load", "leie", str(half)).stderr
    shrunk = cli("verify", "load", "leie", str(cut), "--allow-shrink")
    assert "599 rows read, 599 added, 600 removed; the list now holds 599 rows" in shrunk.stderr


def test_a_sam_extract_under_half_the_stored_list_is_refused(cli, db, tmp_path: Path) -> None:
    people = [sam_row(f"LAST{i:04d}", "PAT", **{"SAM Number": f"S{i:07d}"}) for i in range(1000)]
    cli("verify", "load", "sam", str(write_sam(tmp_path / "a.csv", people)))
    cut = write_sam(tmp_path / "b.csv", people[:10])
    refused = cli("verify", "load", "sam", str(cut), code=2)
    assert "less than half of the 1,000 rows of the stored SAM list" in refused.stderr
    cli("verify", "load", "sam", str(cut), "--allow-shrink")
    assert _loads(cli)[0]["list_size"] == 10


def _nppes_state(cli) -> tuple[list[tuple[str, int, int, bool]], list[str]]:
    """The NPPES loads, and what verify npi finds for Ana against the stored copy."""
    loads = [(x["file"], x["rows"], x["list_size"], x["current"]) for x in _loads(cli)]
    (ana,) = json.loads(cli("verify", "npi", "1234567893", "--format", "json").stdout)
    return loads, ana["findings"]


def test_an_nppes_file_cut_mid_row_is_refused_and_changes_nothing(
    cli, db, ana, tmp_path: Path
) -> None:
    good = _nppes_file(tmp_path)
    cli("verify", "load", "nppes", str(good))
    stored = _nppes_state(cli)
    assert stored == ([("npidata_pfile_20050523-20261109.csv", 3, 1, True)], [])
    data = good.read_bytes()
    cut = tmp_path / "npidata_pfile_20050523-20261207.csv"
    cut.write_bytes(data[: data.rindex(b'"STONE"') + 4])  # the download stops inside a value
    for args in ([], ["--all"]):  # the fast scan of registry NPIs, and the full read
        refused = cli("verify", "load", "nppes", str(cut), *args, code=2)
        assert refused.stderr == (
            "error: npidata_pfile_20050523-20261207.csv line 4: a quoted value in column "
            '"Provider Last Name (Legal Name)" never ends (a file cut off inside it, or a line '
            "break inside a value); the stored NPPES copy was left as it was: download the "
            "NPPES file again\n"
        )
    cut.write_bytes(data[: data.rindex(b'"STONE"') + 7])  # ... or just after one
    for args in ([], ["--all"]):
        refused = cli("verify", "load", "nppes", str(cut), *args, code=2)
        assert refused.stderr == (
            "error: npidata_pfile_20050523-20261207.csv line 4: 6 fields where the header has "
            '75: the row ends before column "Provider First Name" (a cut-off download?); the '
            "stored NPPES copy was left as it was: download the NPPES file again\n"
        )
    assert _nppes_state(cli) == stored


def test_a_short_row_inside_an_nppes_file_is_refused_by_its_line(
    cli, db, ana, tmp_path: Path
) -> None:
    good = _nppes_file(tmp_path)
    lines = good.read_bytes().decode().split("\r\n")
    lines[1] = lines[1][: lines[1].index('"DIAZ"') + 6]  # Ana's row lost its tail
    damaged = tmp_path / "npidata_pfile_20050523-20261207.csv"
    damaged.write_bytes("\r\n".join(lines).encode())
    for args in ([], ["--all"]):
        refused = cli("verify", "load", "nppes", str(damaged), *args, code=2)
        assert refused.stderr == (
            "error: npidata_pfile_20050523-20261207.csv line 2: 6 fields where the header has "
            '75: the row ends before column "Provider First Name" (a cut-off download?); the '
            "stored NPPES copy was left as it was: download the NPPES file again\n"
        )
    assert _loads(cli) == []


def test_an_nppes_date_that_is_not_mm_dd_yyyy_refuses_the_file(
    cli, db, ana, tmp_path: Path
) -> None:
    cli("verify", "load", "nppes", str(_nppes_file(tmp_path)))
    stored = _nppes_state(cli)
    bad = write_nppes(
        tmp_path / "npidata_pfile_20050523-20261207.csv",
        [
            nppes_row("1770626038", "STONE", "EVE"),
            nppes_row("1234567893", "DIAZ", "ANA", **{"NPI Deactivation Date": "2024-05-01"}),
        ],
    )
    refused = cli("verify", "load", "nppes", str(bad), code=2)
    assert refused.stderr == (
        'error: npidata_pfile_20050523-20261207.csv line 3: column "NPI Deactivation Date" '
        "'2024-05-01' is not a MM/DD/YYYY date; the stored NPPES copy was left as it was\n"
    )  # read as no date, Ana's deactivated NPI would have passed as active
    assert _nppes_state(cli) == stored
    other = write_nppes(
        tmp_path / "npidata_pfile_20050523-20261207.csv",
        [
            nppes_row("1770626038", "STONE", "EVE", **{"Last Update Date": "02/30/2025"}),
            nppes_row("1234567893", "DIAZ", "ANA"),
        ],
    )
    cli("verify", "load", "nppes", str(other))  # only the registry's rows are read
    refused = cli("verify", "load", "nppes", str(other), "--all", code=2)
    assert refused.stderr == (
        'error: npidata_pfile_20050523-20261207.csv line 2: column "Last Update Date" '
        "'02/30/2025' is not a MM/DD/YYYY date; the stored NPPES copy was left as it was\n"
    )
    assert [(x["file"], x["rows"], x["current"]) for x in _loads(cli)] == [
        ("npidata_pfile_20050523-20261207.csv", 2, True),
        ("npidata_pfile_20050523-20261109.csv", 3, False),
    ]


def test_an_nppes_file_under_half_the_last_one_is_refused(cli, db, ana, tmp_path: Path) -> None:
    people = [nppes_row("1234567893", "DIAZ", "ANA")]
    people += [nppes_row(f"1{i:09d}", f"LAST{i:04d}", "PAT") for i in range(1199)]
    full = write_nppes(tmp_path / "npidata_pfile_20050523-20261109.csv", people)
    cli("verify", "load", "nppes", str(full))
    weekly = write_nppes(tmp_path / "npidata_pfile_20261130-20261206.csv", people[:599])
    refused = cli("verify", "load", "nppes", str(weekly), code=2)
    assert refused.stderr == (
        "error: npidata_pfile_20261130-20261206.csv holds 599 rows, less than half of the "
        "1,200 rows of npidata_pfile_20050523-20261109.csv, the NPPES file loaded before: a "
        "cut-off download, or a weekly update file? The stored NPPES copy was left as it "
        "was; download the full file again, or load it with --allow-shrink if it really is "
        "the whole file\n"
    )
    assert [(x["file"], x["rows"]) for x in _loads(cli)] == [
        ("npidata_pfile_20050523-20261109.csv", 1200)
    ]
    half = write_nppes(tmp_path / "npidata_pfile_20050523-20261110.csv", people[:600])
    assert "600 rows read, 1 added, 1 removed" in cli("verify", "load", "nppes", str(half)).stderr
    shrunk = cli("verify", "load", "nppes", str(weekly), "--allow-shrink")
    assert "599 rows read, 1 added, 1 removed; the list now holds 1 rows" in shrunk.stderr
