"""What a roster column means: credcli's field names and the headers seen in real rosters.

Rosters have no standard header ("Individual NPI", "NPI_Individual__c", "License
Expir Date ", "LicExpiration1"), so headers are compared after normalisation (case,
spacing, newlines and punctuation ignored) against a table of aliases. A header that
carries one number ("License Number 2", "LicExpiration2") names a slot: several
licenses or CDS registrations can sit on one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROVIDER_FIELDS = (
    "npi",
    "last_name",
    "first_name",
    "middle_name",
    "suffix",
    "degree",
    "specialty",
    "taxonomy",
    "dob",
    "email",
    "phone",
    "address",
    "city",
    "state",
    "zip_code",
    "caqh_id",
    "status",
    "terminated_on",
    "termination_reason",
    "initial_cred_date",
    "last_cred_date",
    "next_recred_due",
    "notes",
)

# (kind, part): the credential fields a roster row can carry, by credential kind.
CREDENTIAL_PARTS: dict[str, tuple[str, ...]] = {
    "license": ("number", "state", "issued", "expires"),
    "dea": ("number", "expires"),
    "cds": ("number", "state", "expires"),
    "board": ("name", "specialty", "expires"),
    "malpractice": ("carrier", "policy", "expires"),
}
# Kinds a provider holds one per state, so a row may carry several (slots 2, 3, ...).
SLOTTED_KINDS = frozenset({"license", "cds"})
# A telehealth provider may hold a license in every US jurisdiction (50 states, DC and
# five territories): a roster row, and an export, must carry them all.
MAX_SLOTS = 60
CREDENTIAL_FIELDS = tuple(
    f"{kind}_{part}" for kind, parts in CREDENTIAL_PARTS.items() for part in parts
)
IGNORE = "ignore"  # a --map target: drop this column on purpose
SSN = "ssn"  # recognised so it can be refused: credcli never stores an SSN

DATE_FIELDS = frozenset(
    {"dob", "terminated_on", "initial_cred_date", "last_cred_date", "next_recred_due"}
    | {f for f in CREDENTIAL_FIELDS if f.endswith(("_expires", "_issued"))}
)

LABELS: dict[str, str] = {
    "npi": "NPI",
    "last_name": "Last Name",
    "first_name": "First Name",
    "middle_name": "Middle Name",
    "suffix": "Suffix",
    "degree": "Degree",
    "specialty": "Specialty",
    "taxonomy": "Taxonomy",
    "dob": "Date of Birth",
    "email": "Email",
    "phone": "Phone",
    "address": "Address",
    "city": "City",
    "state": "State",
    "zip_code": "ZIP",
    "caqh_id": "CAQH ID",
    "status": "Status",
    "terminated_on": "Termination Date",
    "termination_reason": "Termination Reason",
    "initial_cred_date": "Initial Cred Date",
    "last_cred_date": "Last Cred Date",
    "next_recred_due": "Next Recred Date",
    "notes": "Notes",
    "license_number": "License Number",
    "license_state": "License State",
    "license_issued": "License Issue Date",
    "license_expires": "License Expiration",
    "dea_number": "DEA Number",
    "dea_expires": "DEA Expiration",
    "cds_number": "CDS Number",
    "cds_state": "CDS State",
    "cds_expires": "CDS Expiration",
    "board_name": "Board Name",
    "board_specialty": "Board Specialty",
    "board_expires": "Board Expiration",
    "malpractice_carrier": "Malpractice Carrier",
    "malpractice_policy": "Malpractice Policy Number",
    "malpractice_expires": "Malpractice Expiration",
}

# Headers seen in payer, hospital and CVO rosters; each field's own name and label
# are aliases too, so credcli's exports import back as they are.
ALIASES: dict[str, tuple[str, ...]] = {
    "npi": (
        "Individual NPI",
        "NPI_Individual__c",
        "NPI Number",
        "NPI #",
        "Provider NPI",
        "Individual NPI Number",
        "Type 1 NPI",
        "Rendering NPI",
        "Practitioner NPI",
        "Provider NPI Number",
        "NPI Num",
    ),
    "last_name": (
        "Last",
        "Provider Last Name",
        "Last Name (Legal Name)",
        "LName",
        "Surname",
        "Family Name",
        "Last_Name__c",
        "Practitioner Last Name",
        "Provider Last",
    ),
    "first_name": (
        "First",
        "Provider First Name",
        "FName",
        "Given Name",
        "First_Name__c",
        "Practitioner First Name",
        "Provider First",
    ),
    "middle_name": ("Middle", "Middle Initial", "MI", "Provider Middle Name"),
    "suffix": ("Name Suffix", "Provider Suffix"),
    "degree": (
        "Credentials",
        "Credential",
        "Professional Degree",
        "Provider Credential Text",
        "Provider Degree",
    ),
    "specialty": ("Primary Specialty", "Speciality", "Provider Specialty", "Practice Specialty"),
    "taxonomy": ("Taxonomy Code", "Primary Taxonomy", "NUCC Taxonomy", "Taxonomy Code 1"),
    "dob": ("DOB", "Birth Date", "Birthdate", "Provider DOB"),
    "email": ("E-mail", "Email Address", "Provider Email", "E-mail Address"),
    "phone": ("Phone Number", "Office Phone", "Telephone", "Practice Phone", "Phone #"),
    "address": (
        "Address 1",
        "Address Line 1",
        "Street",
        "Street Address",
        "Practice Address",
        "Office Address",
    ),
    "city": ("Practice City", "Office City"),
    "state": ("Practice State", "Office State"),
    "zip_code": ("ZIP Code", "Zip", "Postal Code", "ZIP+4", "Practice Zip", "Office Zip"),
    "caqh_id": ("CAQH", "CAQH Number", "CAQH ProView ID", "CAQH Provider ID", "CAQH #"),
    "status": ("Provider Status", "Roster Status", "Network Status"),
    "terminated_on": (
        "Term Date",
        "Termed Date",
        "Term Effective Date",
        "Termination Effective Date",
        "Date Terminated",
        "Terminated On",
        "Term Eff Date",
    ),
    "termination_reason": ("Term Reason", "Reason for Termination", "Termed Reason"),
    "initial_cred_date": (
        "Initial Credentialing Date",
        "Initial Credential Date",
        "Original Cred Date",
        "Initial Approval Date",
    ),
    "last_cred_date": (
        "Last Credentialing Date",
        "Last Recred Date",
        "Recred Date",
        "Most Recent Cred Date",
        "Credentialed Date",
        "Cred Date",
    ),
    "next_recred_due": (
        "Recred Due Date",
        "Next Cred Date",
        "Recred Due",
        "Recredentialing Due Date",
        "Next Recredentialing Date",
        "Next Recred Due",
    ),
    "notes": ("Comments", "Note"),
    "license_number": (
        "License Number",
        "License #",
        "License No",
        "License",
        "State License",
        "State License Number",
        "Lic Number",
        "Lic #",
        "Lic No",
        "Medical License",
        "Medical License Number",
        "License Num",
    ),
    "license_state": (
        "Lic State",
        "State of License",
        "License Issuing State",
        "Licensing State",
        "License St",
        "Medical License State",
    ),
    "license_issued": ("License Issued", "Lic Issue Date", "License Issue"),
    "license_expires": (
        "License Expiration Date",
        "License Expir Date",
        "LicExpiration",
        "License Exp",
        "License Exp Date",
        "License Expires",
        "Lic Exp",
        "Lic Exp Date",
        "Lic Expiration",
        "License Expiry",
        "License Expiry Date",
        "License Exp Dt",
        "Lic Exp Dt",
        "State License Expiration",
        "State License Exp Date",
        "Medical License Expiration",
        "Medical License Expiration Date",
    ),
    "dea_number": ("DEA", "DEA #", "DEA No", "DEA Registration", "DEA Registration Number"),
    "dea_expires": (
        "DEA Expiration Date",
        "DEA Exp",
        "DEA Exp Date",
        "DEA Expires",
        "DEA Expir Date",
        "DEA Expiry",
        "DEA Expiry Date",
        "DEA Exp Dt",
    ),
    "cds_number": ("CDS", "CDS #", "State CDS", "CSR Number", "State Controlled Substance Number"),
    "cds_state": ("CDS Issuing State",),
    "cds_expires": ("CDS Expiration Date", "CDS Exp", "CDS Exp Date", "CDS Expires"),
    "board_name": (
        "Board",
        "Certifying Board",
        "Board Certification",
        "Board Certified By",
        "Board Cert",
    ),
    "board_specialty": ("Board Certification Specialty", "Certified Specialty"),
    "board_expires": (
        "Board Expiration Date",
        "Board Expir",
        "Board Exp",
        "Board Exp Date",
        "Board Expires",
        "Board Cert Expiration",
        "Board Certification Expiration",
        "Board Certification Expiration Date",
        "Board Cert Exp Date",
        "Board Cert Expiration Date",
    ),
    "malpractice_carrier": (
        "Liability Carrier",
        "Malpractice Insurance Carrier",
        "Malpractice Insurer",
        "Insurance Carrier",
        "Liability Insurance Carrier",
        "PLI Carrier",
    ),
    "malpractice_policy": (
        "Liability Policy Number",
        "Malpractice Policy",
        "Policy Number",
        "Policy #",
        "Liability Policy",
    ),
    "malpractice_expires": (
        "Malpractice Expiration Date",
        "Malpractice Exp",
        "Malpractice Exp Date",
        "Liability Expiration",
        "Liability Expiration Date",
        "Liability Exp Date",
        "Policy Expiration",
        "Policy Expiration Date",
        "Malpractice Expiry",
        "Liability Exp",
        "Insurance Expiration",
        "Insurance Expiration Date",
    ),
    SSN: (
        "SSN",
        "Social Security Number",
        "Social Security",
        "Social Security No",
        "SS#",
        "SSN Last 4",
        "Soc Sec",
        "Soc Sec No",
        "Social Security Num",
        "SSN Number",
        "Provider SSN",
    ),
}

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_ONE_NUMBER = re.compile(r"^([a-z]*?)([0-9]+)([a-z]*)$")


def normalize_header(text: object) -> str:
    """``'License Expir\\nDate '`` -> ``'licenseexpirdate'``: only letters and digits count."""
    return _NOT_ALNUM.sub("", str(text or "").lower())


@dataclass(frozen=True)
class Target:
    """Where a column goes: a field, and for licenses and CDS which one on the row."""

    field: str
    slot: int = 1

    @property
    def key(self) -> str:
        return self.field if self.slot == 1 else f"{self.field}_{self.slot}"


def _build_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for field in (*PROVIDER_FIELDS, *CREDENTIAL_FIELDS):
        table[normalize_header(field)] = field
        table[normalize_header(LABELS[field])] = field
    for field, aliases in ALIASES.items():
        for alias in aliases:
            table[normalize_header(alias)] = field
    return table


ALIAS_TABLE = _build_table()
ALL_FIELDS = frozenset((*PROVIDER_FIELDS, *CREDENTIAL_FIELDS))


def kind_of(field: str) -> str | None:
    """The credential kind a field belongs to, or None for a provider field."""
    head = field.split("_", 1)[0]
    return head if head in CREDENTIAL_PARTS and field in CREDENTIAL_FIELDS else None


def _slot_allowed(field: str, slot: int) -> bool:
    if slot == 1:
        return True
    kind = kind_of(field)
    return kind in SLOTTED_KINDS and slot <= MAX_SLOTS


def match_header(header: object) -> Target | None:
    """The field a header names through the built-in aliases, or None if credcli keeps none.

    An SSN column matches ``Target('ssn')`` so the caller can report it as ignored.
    """
    norm = normalize_header(header)
    if not norm:
        return None
    field = ALIAS_TABLE.get(norm)
    if field is not None:
        return Target(field)
    numbered = _ONE_NUMBER.match(norm)
    if numbered is None:
        return None
    head, number, tail = numbered.groups()
    field = ALIAS_TABLE.get(head + tail)
    slot = int(number)
    if field is None or field == SSN or slot < 1 or not _slot_allowed(field, slot):
        return None
    return Target(field, slot)


def parse_target(text: str) -> Target:
    """A ``--map`` target: a field name (``license_expires``, ``license_expires_2``) or ``ignore``.

    Raises ValueError with the list of accepted names.
    """
    name = text.strip().lower().replace("-", "_").replace(" ", "_")
    if name in (IGNORE, SSN):
        return Target(IGNORE)
    if name in ALL_FIELDS:
        return Target(name)
    base, _, number = name.rpartition("_")
    if base in ALL_FIELDS and number.isdigit() and _slot_allowed(base, int(number)):
        return Target(base, int(number))
    raise ValueError(
        "is not a roster field; use one of "
        + ", ".join((*PROVIDER_FIELDS, *CREDENTIAL_FIELDS))
        + " (license_* and cds_* take a slot: license_number_2), or ignore"
    )


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
