import json


def _creds(cli, *args):
    return json.loads(cli("credential", "list", *args, "--format", "json").stdout)


def test_add_and_list_a_license(cli, db, ana) -> None:
    result = cli(
        "credential",
        "add",
        ana,
        "--kind",
        "license",
        "--state",
        "ca",
        "--number",
        "A123456",
        "--issued",
        "2020-04-01",
        "--expires",
        "03/31/2027",
    )
    assert result.stderr == "added license #1 to NPI 1234567893, expires 2027-03-31\n"
    assert _creds(cli) == [
        {
            "npi": ana,
            "provider": "Diaz, Ana MD",
            "id": 1,
            "kind": "license",
            "number": "A123456",
            "state": "CA",
            "issuer": None,
            "detail": None,
            "issued_on": "2020-04-01",
            "expires_on": "2027-03-31",
            "status": "active",
            "notes": None,
        }
    ]


def test_dea_number_is_checked_and_uppercased(cli, db, ana) -> None:
    cli(
        "credential",
        "add",
        ana,
        "--kind",
        "dea",
        "--number",
        "ap5836727",
        "--expires",
        "2028-01-31",
    )
    assert _creds(cli, "--kind", "dea")[0]["number"] == "AP5836727"
    result = cli("credential", "add", ana, "--kind", "dea", "--number", "AB4523763", code=2)
    assert result.stderr == (
        "error: number 'AB4523763': check digit does not match (mistyped DEA number?)\n"
    )


def test_license_needs_a_state(cli, db, ana) -> None:
    result = cli("credential", "add", ana, "--kind", "license", "--number", "X1", code=2)
    assert result.stderr == "error: state '': a license needs the issuing state\n"


def test_expiry_before_issue_is_rejected(cli, db, ana) -> None:
    result = cli(
        "credential",
        "add",
        ana,
        "--kind",
        "board",
        "--issuer",
        "ABIM",
        "--issued",
        "2026-01-01",
        "--expires",
        "2025-01-01",
        code=2,
    )
    assert result.stderr == "error: expires '2025-01-01': is before the issue date 2026-01-01\n"


def test_unknown_kind_is_a_usage_error(cli, db, ana) -> None:
    result = cli("credential", "add", ana, "--kind", "passport", code=2)
    assert "passport" in result.stderr


def test_credential_for_unknown_provider(cli, db) -> None:
    result = cli("credential", "add", "1558598797", "--kind", "board", code=2)
    assert result.stderr == "error: no provider with NPI 1558598797 in the registry\n"


def test_update_renews_an_expiry(cli, db, ana) -> None:
    cli(
        "credential",
        "add",
        ana,
        "--kind",
        "malpractice",
        "--issuer",
        "MedPro",
        "--number",
        "POL-1",
        "--expires",
        "2026-12-31",
    )
    result = cli("credential", "update", "1", "--expires", "2027-12-31")
    assert result.stderr == "credential #1: expires_on 2026-12-31 -> 2027-12-31\n"
    assert _creds(cli)[0]["expires_on"] == "2027-12-31"


def test_update_keeps_the_rules(cli, db, ana) -> None:
    cli("credential", "add", ana, "--kind", "dea", "--number", "AP5836727")
    result = cli("credential", "update", "1", "--number", "AP5836728", code=2)
    assert "check digit does not match" in result.stderr


def test_update_unknown_credential(cli, db) -> None:
    result = cli("credential", "update", "99", "--expires", "2027-01-01", code=2)
    assert result.stderr == "error: no credential with id 99 in the registry\n"


def test_list_filters_by_provider_kind_and_status(cli, db, ana) -> None:
    cli("intake", "new", "--npi", "1558598797", "--first", "Ben", "--last", "Okafor")
    cli("credential", "add", ana, "--kind", "board", "--issuer", "ABIM")
    cli(
        "credential",
        "add",
        "1558598797",
        "--kind",
        "board",
        "--issuer",
        "ABFM",
        "--status",
        "expired",
    )
    assert [c["issuer"] for c in _creds(cli, "--provider", "1558598797")] == ["ABFM"]
    assert [c["issuer"] for c in _creds(cli, "--status", "active")] == ["ABIM"]
    assert len(_creds(cli, "--kind", "board")) == 2


def test_csv_cells_that_look_like_formulas_are_defused(cli, db, ana) -> None:
    cli("credential", "add", ana, "--kind", "other", "--issuer", "=cmd|' /C calc'!A0")
    out = cli("credential", "list", "-f", "csv").stdout
    assert "'=cmd|' /C calc'!A0" in out
