import hashlib
import json
from pathlib import Path


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


def test_record_rejects_bad_input(cli, db, ana) -> None:
    bad = cli("verify", "record", ana, "licence", "--method", "web", code=2)
    assert bad.stderr.startswith("error: element 'licence': is not an element; use one of")
    future = cli("verify", "record", ana, "npdb", "--method", "api", "--date", "2999-01-01", code=2)
    assert future.stderr == (
        "error: date '2999-01-01': a verification cannot be dated in the future\n"
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
    assert result.stderr == (
        "warning: npdb: the evidence file is missing or has changed since it was recorded\n"
    )
    rows = _status(cli, ana, "--as-of", "2026-11-10")["elements"]
    assert [e["state"] for e in rows if e["element"] == "license"] == ["missing"]
