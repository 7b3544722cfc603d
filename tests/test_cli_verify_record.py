import hashlib
import json
from pathlib import Path

import pytest


def _status(cli, *args):
    return json.loads(cli("verify", "status", *args, "--format", "json").stdout)


def _record_all(cli, npi: str, on: str) -> None:
    for element in ("license", "education", "training", "malpractice", "work-history", "npdb"):
        cli("verify", "record", npi, element, "--method", "web", "--date", on)
    cli("verify", "record", npi, "attestation", "--method", "file", "--date", on)


def test_record_a_verification(cli, db, ana, tmp_path: Path) -> None:
    evidence = tmp_path / "board.pdf"
    evidence.write_bytes(b"%PDF letter from the board")
    result = cli(
        "verify", "record", ana, "License:ca", "--source", "Medical Board of California",
        "--method", "web", "--date", "2026-11-20", "--by", "Kim Lee", "--note", "clear",
        "--evidence", str(evidence),
    )  # fmt: skip
    assert result.stderr == (
        "recorded verification #1: license:CA verified on 2026-11-20 by Kim Lee (web), "
        f"evidence sha256 {hashlib.sha256(evidence.read_bytes()).hexdigest()[:12]}\n"
    )
    shown = json.loads(cli("provider", "show", ana, "--format", "json").stdout)
    assert shown["verifications"][0]["evidence_path"] == str(evidence.resolve())
    assert shown["verifications"][0]["source"] == "Medical Board of California"


def test_record_rejects_bad_input(cli, db, ana, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    bad = cli("verify", "record", ana, "licence", "--method", "web", code=2)
    assert bad.stderr.startswith("error: element 'licence': is not an element; use one of")
    future = cli("verify", "record", ana, "npdb", "--method", "api", "--date", "2999-01-01", code=2)
    assert future.stderr == (
        "error: date '2999-01-01': is in the future (today is 2026-12-02); "
        "a verification is recorded once it has been made\n"
    )
    missing = cli("verify", "record", "1558598797", "npdb", "--method", "api", code=2)
    assert missing.stderr == "error: no provider with NPI 1558598797 in the registry\n"
    enum = cli("verify", "record", ana, "npdb", "--method", "fax", code=2)
    assert "'fax' is not one of" in enum.stderr


def test_status_staleness_at_day_120_and_121(cli, db, ana) -> None:
    _record_all(cli, ana, "2026-08-01")
    day_120 = _status(cli, ana, "--as-of", "2026-11-29")
    assert day_120["verdict"] == "complete"
    assert {e["state"] for e in day_120["elements"]} == {"current"}
    assert day_120["elements"][0]["valid_until"] == "2026-11-29"
    day_121 = _status(cli, ana, "--as-of", "2026-11-30")
    assert day_121["verdict"] == "stale"
    states = {e["element"]: e["state"] for e in day_121["elements"]}
    assert states["license"] == "stale"
    assert states["attestation"] == "current"  # attestation is good for 180 days


def test_status_table_ends_in_a_verdict_and_notes_changed_evidence(
    cli, db, ana, tmp_path: Path
) -> None:
    evidence = tmp_path / "npdb.pdf"
    evidence.write_text("query result")
    cli(
        "verify", "record", ana, "npdb", "--method", "api", "--date", "2026-11-01",
        "--evidence", str(evidence),
    )  # fmt: skip
    evidence.write_text("edited afterwards")
    result = cli("verify", "status", ana, "--as-of", "2026-11-10")
    assert result.stdout.rstrip().endswith("verdict: incomplete")
    assert "changed since recorded" in result.stdout
    assert result.stderr == "warning: npdb: the evidence file has changed since it was recorded\n"
    rows = _status(cli, ana, "--as-of", "2026-11-10")["elements"]
    assert [e["state"] for e in rows if e["element"] == "license"] == ["missing"]


def test_element_states_are_checked_as_credential_states_are(cli, db, ana) -> None:
    credential = cli(
        "credential", "add", ana, "--kind", "license", "--state", "ZZ", "--number", "1", code=2
    )
    assert credential.stderr == "error: state 'ZZ': is not a US state or territory code (e.g. CA)\n"
    element = cli("verify", "record", ana, "license:ZZ", "--method", "web", code=2)
    assert element.stderr == (
        "error: element 'license:ZZ': ZZ is not a US state or territory code (license:CA)\n"
    )
    cds = cli("verify", "record", ana, "cds", "--method", "web", code=2)
    assert cds.stderr == "error: element 'cds': a CDS registration is a state's: name it (cds:CA)\n"
    shown = json.loads(cli("provider", "show", ana, "--format", "json").stdout)
    assert shown["verifications"] == []


def test_plain_license_is_refused_when_the_provider_holds_state_licenses(cli, db, ana) -> None:
    cli("credential", "add", ana, "--kind", "license", "--state", "NV", "--number", "N1")
    cli("credential", "add", ana, "--kind", "license", "--state", "CA", "--number", "A1")
    refused = cli("verify", "record", ana, "license", "--method", "web", code=2)
    assert refused.stderr == (
        "error: element 'license': the provider holds state licenses; name the state "
        "(license:CA, license:NV)\n"
    )
    cli("verify", "record", ana, "license:ca", "--method", "web", "--date", "2026-11-20")
    states = {
        e["element"]: e["state"] for e in _status(cli, ana, "--as-of", "2026-11-20")["elements"]
    }
    assert (states["license:CA"], states["license:NV"]) == ("current", "missing")


def test_status_before_and_after_1_july_2025(cli, db, ana) -> None:
    cli("verify", "record", ana, "npdb", "--method", "api", "--date", "2025-02-01")

    def npdb(day: str) -> tuple[str, str]:
        row = [e for e in _status(cli, ana, "--as-of", day)["elements"] if e["element"] == "npdb"]
        return row[0]["state"], row[0]["valid_until"]

    assert npdb("2025-06-01") == ("current", "2025-06-30")
    assert npdb("2025-06-30") == ("current", "2025-06-30")  # day 149: 180 days allowed
    assert npdb("2025-07-01") == ("stale", "2025-06-30")  # day 150: 120 days from now on


def test_attestation_day_180_current_day_181_stale(cli, db, ana) -> None:
    cli("verify", "record", ana, "attestation", "--method", "file", "--date", "2026-05-01")

    def attestation(day: str) -> str:
        rows = _status(cli, ana, "--as-of", day)["elements"]
        return [e["state"] for e in rows if e["element"] == "attestation"][0]

    assert attestation("2026-10-28") == "current"
    assert attestation("2026-10-29") == "stale"


def test_evidence_that_vanished_or_cannot_be_read(
    cli, db, ana, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "license.pdf"
    gone.write_text("board letter")
    kept = tmp_path / "npdb.pdf"
    kept.write_text("query result")
    for element, evidence in (("license", gone), ("npdb", kept)):
        cli(
            "verify", "record", ana, element, "--method", "web", "--date", "2026-11-01",
            "--evidence", str(evidence),
        )  # fmt: skip
    gone.unlink()
    assert cli("verify", "status", ana, "--as-of", "2026-11-10").stderr == (
        "warning: license: the evidence file is missing\n"
    )
    from credcli.services import verifications

    def refuse(file: Path) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(verifications, "_sha256", refuse)
    assert cli("verify", "status", ana, "--as-of", "2026-11-10").stderr == (
        "warning: license: the evidence file is missing\n"
        "warning: npdb: the evidence file cannot be read\n"
    )
    unreadable = cli(
        "verify", "record", ana, "npdb", "--method", "web", "--evidence", str(kept), code=2
    )
    assert unreadable.stderr == f"error: evidence {kept}: cannot read it (Permission denied)\n"
    folder = cli(
        "verify", "record", ana, "npdb", "--method", "web", "--evidence", str(tmp_path), code=2
    )
    assert f"Invalid value for '--evidence': file '{tmp_path}' is a directory." in folder.stderr


def test_a_verification_date_before_1900_or_after_today_is_refused(cli, db, ana) -> None:
    env = {"CREDCLI_TODAY": "2026-12-02"}
    early = cli(
        "verify", "record", ana, "dea", "--method", "web", "--date", "1800-01-01", code=2, env=env
    )
    assert early.stderr == (
        "error: date '1800-01-01': is out of range; give a date from 1900-01-01 to today "
        "(2026-12-02)\n"
    )
    late = cli(
        "verify", "record", ana, "dea", "--method", "web", "--date", "2026-12-03", code=2, env=env
    )
    assert late.stderr == (
        "error: date '2026-12-03': is in the future (today is 2026-12-02); "
        "a verification is recorded once it has been made\n"
    )
    assert (
        json.loads(cli("provider", "show", ana, "--format", "json").stdout)["verifications"] == []
    )
    first = cli("verify", "record", ana, "dea", "--method", "web", "--date", "1900-01-01", env=env)
    assert first.stderr == "recorded verification #1: dea verified on 1900-01-01 by tester (web)\n"
    today = cli("verify", "record", ana, "dea", "--method", "web", "--date", "2026-12-02", env=env)
    assert today.stderr == "recorded verification #2: dea verified on 2026-12-02 by tester (web)\n"
