"""``verify npi``: is each NPI well formed, known to NPPES, active, and does NPPES agree
with the registry on the name, the license numbers and the taxonomy?

Offline the answer comes from the loaded NPPES copy; online from the NPI Registry API.
A valid check digit does not make an NPI active: deactivated NPIs still pass it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from credcli.db.models import Credential, NppesRecord, Provider
from credcli.domain import identifiers, names
from credcli.domain.vocab import ProviderStatus
from credcli.errors import InputError
from credcli.io import npi_registry

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def check(session: Session, npis: list[str], *, online: bool = False) -> list[dict[str, Any]]:
    if not online and not session.scalar(select(func.count()).select_from(NppesRecord)):
        raise InputError(
            "no NPPES data is loaded; run 'credcli verify load nppes FILE' or use --online"
        )
    targets = npis or list(
        session.scalars(
            select(Provider.npi)
            .where(Provider.status == ProviderStatus.active.value)
            .order_by(Provider.last_name, Provider.first_name)
        )
    )
    return [_check_one(session, raw, online) for raw in targets]


def _check_one(session: Session, raw: str, online: bool) -> dict[str, Any]:
    npi = identifiers.normalize_npi(raw)
    provider = session.scalar(select(Provider).where(Provider.npi == npi))
    row: dict[str, Any] = {
        "npi": npi,
        "provider": provider.display_name if provider else None,
        "check_digit": "ok",
        "nppes": None,
        "npi_status": None,
        "nppes_name": None,
        "name": None,
        "licenses": None,
        "taxonomy": None,
        "findings": [],
    }
    findings: list[str] = row["findings"]
    problem = identifiers.npi_problem(npi)
    if problem:
        row["check_digit"] = problem
        findings.append(f"invalid NPI: {problem}")
        return _close(row)
    record = npi_registry.lookup(npi) if online else _offline(session, npi)
    if record is None:
        row["nppes"] = "not found"
        findings.append("not found in NPPES" + ("" if online else " (loaded copy)"))
        return _close(row)
    row["nppes"] = "found"
    active = record["active"]
    row["npi_status"] = "active" if active else "deactivated"
    if not active:
        when = record.get("deactivated_on")
        findings.append("NPI deactivated" + (f" on {when}" if when else ""))
    if record.get("entity_type") == "2":
        row["nppes_name"] = record.get("organization")
        findings.append("an organisation NPI, not an individual's")
    else:
        row["nppes_name"] = ", ".join(
            p for p in (record.get("last_name"), record.get("first_name")) if p
        )
    if provider is not None:
        _compare(session, provider, record, row)
    return _close(row)


def _offline(session: Session, npi: str) -> dict[str, Any] | None:
    found = session.get(NppesRecord, npi)
    if found is None:
        return None
    deactivated = found.deactivated_on
    active = deactivated is None or (
        found.reactivated_on is not None and found.reactivated_on >= deactivated
    )
    return {
        "npi": npi,
        "entity_type": found.entity_type,
        "last_name": found.last_name,
        "first_name": found.first_name,
        "organization": found.organization,
        "active": active,
        "deactivated_on": deactivated.isoformat() if deactivated else None,
        "taxonomies": json.loads(found.taxonomies),
    }


def _compare(
    session: Session, provider: Provider, record: dict[str, Any], row: dict[str, Any]
) -> None:
    findings: list[str] = row["findings"]
    if record.get("entity_type") != "2":
        last = names.last_name(provider.last_name)
        their_last = names.last_name(record.get("last_name"))
        pairs = [
            (a, b)
            for a in names.first_names(provider.first_name)
            for b in names.first_names(record.get("first_name"))
        ]
        if last == their_last and any(a == b for a, b in pairs):
            row["name"] = "agrees"
        elif names.within_one_edit(last, their_last) and any(
            names.within_one_edit(a, b) for a, b in pairs
        ):
            row["name"] = "close"
            findings.append(f"name differs slightly: NPPES has {row['nppes_name']}")
        else:
            row["name"] = "differs"
            findings.append(f"name differs: NPPES has {row['nppes_name']}")
    taxonomies = record.get("taxonomies") or []
    held = {
        (t.get("state") or "", _license(t.get("license"))) for t in taxonomies if t.get("license")
    }
    licenses = session.execute(
        select(Credential.state, Credential.number).where(
            Credential.provider_id == provider.id,
            Credential.kind == "license",
            Credential.status.not_in(("inactive", "revoked")),
            Credential.number.is_not(None),
        )
    ).all()
    missing = [f"{s} {n}" for s, n in licenses if ((s or ""), _license(n)) not in held]
    if licenses:
        row["licenses"] = "agree" if not missing else "missing: " + ", ".join(missing)
        for item in missing:
            findings.append(f"license {item} is not in NPPES")
    codes = [t["code"] for t in taxonomies if t.get("code")]
    if provider.taxonomy:
        if provider.taxonomy in codes:
            row["taxonomy"] = "agrees"
        else:
            row["taxonomy"] = "differs"
            shown = ", ".join(codes) or "none"
            findings.append(f"taxonomy {provider.taxonomy} is not in NPPES (NPPES has {shown})")


def _license(number: str | None) -> str:
    """License numbers compared without punctuation, case or leading zeros."""
    return _NOT_ALNUM.sub("", (number or "").upper()).lstrip("0")


def _close(row: dict[str, Any]) -> dict[str, Any]:
    row["result"] = "review" if row["findings"] else "ok"
    return row
