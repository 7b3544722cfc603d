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
    assert result.stderr == ("error: state '': a state license needs the issuing state (--state)\n")


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


def _license(cli, npi, *extra, code=0):
    return cli("credential", "add", npi, "--kind", "license", "--state", "CA", *extra, code=code)


def test_an_issue_date_after_today_is_refused(cli, db, ana, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    result = _license(cli, ana, "--number", "A1", "--issued", "2027-01-01", code=2)
    assert result.stderr == (
        "error: issued '2027-01-01': is in the future (today is 2026-12-02); "
        "give the day it was issued\n"
    )
    assert _creds(cli) == []


def test_an_issue_date_after_today_is_refused_on_update(cli, db, ana, monkeypatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    _license(cli, ana, "--number", "A1", "--issued", "2024-01-01", "--expires", "2028-01-01")
    result = cli("credential", "update", "1", "--issued", "2026-12-03", code=2)
    assert result.stderr.startswith("error: issued '2026-12-03': is in the future")
    assert _creds(cli)[0]["issued_on"] == "2024-01-01"


def test_the_same_license_twice_is_refused(cli, db, ana) -> None:
    _license(cli, ana, "--number", "A123456", "--expires", "2027-03-31")
    result = _license(cli, ana, "--number", "a123456", "--expires", "2027-03-31", code=2)
    assert result.stderr == (
        "error: NPI 1234567893 already has license CA A123456 (credential #1); "
        "change it with 'credcli credential update 1'\n"
    )
    assert len(_creds(cli)) == 1


def test_the_same_dea_twice_is_refused(cli, db, ana) -> None:
    cli("credential", "add", ana, "--kind", "dea", "--number", "AP5836727")
    result = cli("credential", "add", ana, "--kind", "dea", "--number", "ap5836727", code=2)
    assert result.stderr.startswith("error: NPI 1234567893 already has dea AP5836727 (credential")


def test_another_state_or_number_is_another_credential(cli, db, ana) -> None:
    _license(cli, ana, "--number", "A123456")
    cli("credential", "add", ana, "--kind", "license", "--state", "NV", "--number", "A123456")
    cli("credential", "add", ana, "--kind", "dea", "--number", "AP5836727")
    cli("credential", "add", ana, "--kind", "dea", "--number", "AJ5184279")
    assert len(_creds(cli)) == 4


def test_renumbering_onto_another_credential_is_refused(cli, db, ana) -> None:
    cli("credential", "add", ana, "--kind", "dea", "--number", "AP5836727")
    cli("credential", "add", ana, "--kind", "dea", "--number", "AJ5184279")
    result = cli("credential", "update", "2", "--number", "AP5836727", code=2)
    assert result.stderr == (
        "error: NPI 1234567893 already has dea AP5836727 (credential #1); "
        "change it with 'credcli credential update 1'\n"
    )
    cli("credential", "update", "2", "--expires", "2029-01-31")  # a renewal is not a duplicate


SECOND_CA = (
    "error: NPI 1234567893 already has a state license in CA A1 (credential #1), and "
    "credcli keeps one per state, as a roster does; record a renewal or a new number on it "
    "with 'credcli credential update 1'\n"
)


def test_a_second_license_in_the_same_state_is_refused(cli, db, ana) -> None:
    _license(cli, ana, "--number", "A1", "--expires", "2027-03-31")
    assert _license(cli, ana, "--number", "A2", "--expires", "2029-03-31", code=2).stderr == (
        SECOND_CA
    )
    cli("credential", "add", ana, "--kind", "license", "--state", "NV", "--number", "N1")
    assert cli("credential", "update", "2", "--state", "CA", code=2).stderr == SECOND_CA
    result = cli("credential", "update", "1", "--number", "A2", "--expires", "2029-03-31")
    assert result.stderr == (
        "credential #1: number A1 -> A2\ncredential #1: expires_on 2027-03-31 -> 2029-03-31\n"
    )
    assert [(c["state"], c["number"]) for c in _creds(cli)] == [("CA", "A2"), ("NV", "N1")]


def test_a_second_cds_registration_in_the_same_state_is_refused(cli, db, ana) -> None:
    cli("credential", "add", ana, "--kind", "cds", "--state", "TX", "--number", "C1")
    result = cli(
        "credential", "add", ana, "--kind", "cds", "--state", "TX", "--number", "C2", code=2
    )
    assert result.stderr == (
        "error: NPI 1234567893 already has a state CDS registration in TX C1 (credential #1), "
        "and credcli keeps one per state, as a roster does; record a renewal or a new number "
        "on it with 'credcli credential update 1'\n"
    )


def test_a_board_certification_needs_the_boards_name(cli, db, ana) -> None:
    result = cli("credential", "add", ana, "--kind", "board", "--expires", "2030-01-01", code=2)
    assert result.stderr == (
        "error: issuer '': a board certification needs the board's name (--issuer)\n"
    )
    cli("credential", "add", ana, "--kind", "board", "--issuer", "ABIM")
    assert cli("credential", "update", "1", "--issuer", "", code=2).stderr == (
        "error: issuer '': a board certification needs the board's name (--issuer)\n"
    )
    assert [c["issuer"] for c in _creds(cli)] == ["ABIM"]


def test_malpractice_needs_the_carrier_or_the_policy_number(cli, db, ana) -> None:
    result = cli(
        "credential", "add", ana, "--kind", "malpractice", "--expires", "2027-01-01", code=2
    )
    assert result.stderr == (
        "error: issuer '': a malpractice insurance needs the carrier or the policy number "
        "(--issuer or --number)\n"
    )
    cli("credential", "add", ana, "--kind", "malpractice", "--number", "POL-1")
    assert len(_creds(cli)) == 1


LISTED = "npi,provider,id,kind,number,state,issuer,detail,issued_on,expires_on,status,notes\n"


def _listed(cli, *args: str) -> str:
    return cli("credential", "list", "-f", "csv", *args).stdout


def test_a_credential_past_its_expiry_date_is_listed_and_found_as_expired(
    cli, db, ana, monkeypatch
) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    cli("credential", "add", ana, "--kind", "board", "--issuer", "ABIM", "--expires", "2020-01-01")
    _license(cli, ana, "--number", "A1", "--expires", "2026-12-02")  # good through today
    board = f'{ana},"Diaz, Ana MD",1,board,,,ABIM,,,2020-01-01,expired,\n'
    license_ = f'{ana},"Diaz, Ana MD",2,license,A1,CA,,,,2026-12-02,active,\n'
    assert _listed(cli) == LISTED + board + license_
    assert _listed(cli, "--status", "expired") == LISTED + board
    assert _listed(cli, "--status", "active") == LISTED + license_
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-03")
    assert _listed(cli, "--status", "expired") == LISTED + board + license_.replace(
        "active", "expired"
    )
    # As of a past day, the board was still good.
    assert _listed(cli, "--as-of", "2019-12-31", "--status", "active") == (
        LISTED + board.replace("expired", "active") + license_
    )
    assert cli("credential", "list", "--status", "pending").stderr == "no credentials match\n"


def test_a_recorded_status_wins_over_the_expiry_date_and_a_renewal_revives(
    cli, db, ana, monkeypatch
) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-12-02")
    _license(cli, ana, "--number", "A1", "--expires", "2028-01-31", "--status", "revoked")
    cli("credential", "add", ana, "--kind", "dea", "--number", "AP5836727", "--status", "expired")
    cli("credential", "add", ana, "--kind", "board", "--issuer", "ABIM", "--expires", "2026-06-30")
    cli("credential", "update", "3", "--status", "expired")
    statuses = [(c["kind"], c["status"]) for c in _creds(cli)]
    assert statuses == [("board", "expired"), ("dea", "expired"), ("license", "revoked")]
    assert _creds(cli, "--status", "revoked")[0]["id"] == 1
    # A renewal's new expiry date is what makes a credential current again.
    cli("credential", "update", "3", "--expires", "2031-06-30")
    assert [(c["kind"], c["status"]) for c in _creds(cli, "--status", "active")] == [
        ("board", "active")
    ]


def test_a_number_longer_than_the_registry_keeps_is_refused(cli, db, ana) -> None:
    result = _license(cli, ana, "--number", "9" * 61, code=2)
    assert result.stderr == f"error: number '{'9' * 57}...': is longer than 60 characters\n"
    assert _creds(cli) == []


def test_an_empty_csv_listing_has_the_header_of_a_full_one(cli, db, ana) -> None:
    empty = cli("credential", "list", "-f", "csv").stdout
    _license(cli, ana, "--number", "A1")
    full = cli("credential", "list", "-f", "csv").stdout
    assert empty == full.splitlines()[0] + "\n"
    assert (
        empty
        == "npi,provider,id,kind,number,state,issuer,detail,issued_on,expires_on,status,notes\n"
    )


def test_numbers_larger_than_any_id_find_nothing_instead_of_failing(cli, db) -> None:
    huge = "99999999999999999999"
    assert cli("credential", "update", huge, "--expires", "2027-01-01", code=2).stderr == (
        f"error: no credential with id {huge} in the registry\n"
    )
    for verb in (["clear", huge, "--reason", "x"], ["confirm", huge]):
        assert cli("verify", *verb, code=2).stderr == (
            f"error: no screening hit #{huge}; see 'credcli verify hits --all'\n"
        )
    assert cli("verify", "runs", "--limit", huge).stderr == "no screening runs yet\n"
    assert cli("audit-log", "--last", huge).stderr == "no audit log rows match\n"


def test_an_unbounded_number_reaching_the_driver_is_an_input_error(tmp_path) -> None:
    import pytest

    from credcli.db.engine import resolve
    from credcli.errors import InputError
    from credcli.services import registry

    with pytest.raises(InputError, match=r"out of the range the registry can hold"):
        with registry.translate_errors(resolve(str(tmp_path / "r.db"))):
            raise OverflowError("Python int too large to convert to SQLite INTEGER")


def test_a_status_the_expiry_date_contradicts_is_refused(cli, db, ana) -> None:
    cli("credential", "add", ana, "--kind", "license", "--state", "NJ", "--number", "N1",
        "--expires", "2027-01-01")  # fmt: skip
    assert cli("credential", "update", "1", "--status", "expired", code=2).stderr == (
        "error: status 'expired': it is good through 2027-01-01; give --expires for an "
        "earlier end, or --status inactive or revoked for one that ended otherwise\n"
    )
    cli("credential", "add", ana, "--kind", "dea", "--number", "BD1234563", "--expires",
        "2020-01-01")  # fmt: skip
    assert cli("credential", "update", "2", "--status", "active", code=2).stderr == (
        "error: status 'active': it expired on 2020-01-01; give the renewal's --expires\n"
    )
    cli("credential", "update", "2", "--status", "active", "--expires", "2029-01-01")
    cli("credential", "update", "1", "--status", "revoked")
    listed = json.loads(cli("credential", "list", "--format", "json").stdout)
    assert [(c["id"], c["status"]) for c in listed] == [(2, "active"), (1, "revoked")]
