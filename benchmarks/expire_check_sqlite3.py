"""The yardstick for ``credcli expire-check``: the same rows from a hand-written script.

Stdlib only (sqlite3, json, calendar), no credcli import: what a coordinator's own
script would do against the registry file, with the rules written out by hand.
Prints the rows as a JSON list, like ``credcli expire-check --format json``.

    python benchmarks/expire_check_sqlite3.py registry.db 2026-11-23 90
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import sqlite3
import sys

LABELS = {
    "license": "state license",
    "dea": "DEA registration",
    "cds": "state CDS registration",
    "board": "board certification",
    "malpractice": "malpractice insurance",
    "education": "education",
    "training": "training",
    "life-support": "life-support certificate",
    "attestation": "CAQH attestation",
    "privileges": "hospital privileges",
    "other": "other",
}
ALWAYS = ("malpractice", "work-history", "npdb", "attestation")


def months(day, n):
    index = day.year * 12 + day.month - 1 + n
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def latest_start(limit, n):
    start = months(limit, -n)
    while months(start + dt.timedelta(days=1), n) <= limit:
        start += dt.timedelta(days=1)
    return start


def band(days):
    if days < 0:
        return "expired"
    for window in (7, 14, 30, 60, 90):
        if days <= window:
            return str(window)
    return "later"


def name(last, first, degree):
    return f"{last}, {first} {degree}" if degree else f"{last}, {first}"


def main(path, as_of_text, within_text):
    as_of = dt.date.fromisoformat(as_of_text)
    limit = as_of + dt.timedelta(days=int(within_text))
    lim = limit.isoformat()
    day = dt.date.fromisoformat
    db = sqlite3.connect(path)
    rows = []

    def add(due, npi, who, kind, item, ref):
        days = (due - as_of).days
        rows.append(
            {
                "band": band(days),
                "days_left": days,
                "due": due.isoformat(),
                "npi": npi,
                "provider": who,
                "kind": kind,
                "item": item,
                "ref": ref,
            }
        )

    cred_sql = (
        "SELECT c.id, c.kind, c.number, c.state, c.issuer, c.detail, c.issued_on, c.expires_on,"
        " p.npi, p.last_name, p.first_name, p.degree FROM credentials c"
        " JOIN providers p ON p.id = c.provider_id"
        " WHERE c.status NOT IN ('inactive', 'revoked') AND p.status = 'active' AND "
    )
    priv_by = latest_start(limit, 24).isoformat()
    attest_by = (limit - dt.timedelta(days=120)).isoformat()
    found = db.execute(cred_sql + "c.expires_on <= ?", (lim,)).fetchall()
    found += db.execute(
        cred_sql + "((c.kind = 'privileges' AND c.issued_on <= ?) OR"
        " (c.kind = 'attestation' AND c.issued_on <= ?))"
        " AND (c.expires_on IS NULL OR c.expires_on > ?)",
        (priv_by, attest_by, lim),
    ).fetchall()
    for cid, kind, number, state, issuer, detail, issued, expires, npi, ln, fn, deg in found:
        expires = day(expires) if expires else None
        issued = day(issued) if issued else None
        if kind == "privileges" and issued:
            end = months(issued, 24)
            due = min(end, expires) if expires else end
        elif kind == "attestation" and issued:
            end = issued + dt.timedelta(days=120)
            due = min(end, expires) if expires else end
        else:
            due = expires
        if due is None or due > limit:
            continue
        item = " ".join(p for p in (LABELS.get(kind, kind), state, issuer, detail, number) if p)
        add(due, npi, name(ln, fn, deg), kind, item, f"credential:{cid}")

    recred_by = latest_start(limit, 36).isoformat()
    for npi, ln, fn, deg, approved, next_due in db.execute(
        "SELECT npi, last_name, first_name, degree, COALESCE(last_cred_date, initial_cred_date),"
        " next_recred_due FROM providers WHERE status = 'active' AND (next_recred_due <= ? OR"
        " (next_recred_due IS NULL AND COALESCE(last_cred_date, initial_cred_date) <= ?))",
        (lim, recred_by),
    ):
        due = day(next_due) if next_due else months(day(approved), 36)
        if due > limit:
            continue
        if as_of <= due:
            item = "recredentialing due"
        elif as_of <= due + dt.timedelta(days=30):
            end = (due + dt.timedelta(days=30)).isoformat()
            item = f"recredentialing overdue: decide by {end} (30-day late window)"
        else:
            item = "recredentialing lapsed: initial credentialing required"
        add(due, npi, name(ln, fn, deg), "recredential", item, "recredential")

    for eid, payer, due, npi, ln, fn, deg in db.execute(
        "SELECT e.id, e.payer, e.recred_due_on, p.npi, p.last_name, p.first_name, p.degree"
        " FROM payer_enrollments e JOIN providers p ON p.id = e.provider_id"
        " WHERE e.recred_due_on <= ? AND e.status != 'denied' AND p.status = 'active'",
        (lim,),
    ):
        add(
            day(due),
            npi,
            name(ln, fn, deg),
            "payer",
            f"payer recredentialing: {payer}",
            f"payer:{eid}",
        )

    open_sql = (
        "SELECT f.provider_id FROM credentialing_files f JOIN providers p"
        " ON p.id = f.provider_id WHERE f.stage != 'decided' AND p.status = 'active'"
    )
    who = {
        pid: (npi, name(ln, fn, deg))
        for pid, npi, ln, fn, deg in db.execute(
            f"SELECT id, npi, last_name, first_name, degree FROM providers WHERE id IN ({open_sql})"
        )
    }
    held = {}
    for pid, kind, state, status in db.execute(
        "SELECT provider_id, kind, state, status FROM credentials"
        f" WHERE provider_id IN ({open_sql})"
    ):
        held.setdefault(pid, []).append((kind, state, status))
    latest = {}
    for pid, element, verified_on, result in db.execute(
        "SELECT provider_id, element, verified_on, result FROM verifications"
        f" WHERE provider_id IN ({open_sql}) AND verified_on <= ?"
        " ORDER BY provider_id, verified_on, id",
        (as_of.isoformat(),),
    ):
        latest.setdefault(pid, {})[element] = (verified_on, result)
    limit_days = 120 if as_of >= dt.date(2025, 7, 1) else 180
    for pid, (npi, who_name) in who.items():
        found_v = latest.get(pid)
        if not found_v:
            continue
        live = [(k, s) for k, s, st in held.get(pid, []) if st not in ("inactive", "revoked")]
        elements = sorted({f"license:{s}" for k, s in live if k == "license" and s}) or ["license"]
        if any(k == "dea" for k, _ in live):
            elements.append("dea")
        elements += sorted({f"cds:{s}" for k, s in live if k == "cds" and s})
        if any(k == "board" for k, _ in live):
            elements.append("board")
        else:
            elements += ["education", "training"]
        elements += ALWAYS
        for element in elements:
            evidence = found_v.get(element)
            if evidence is None or evidence[1] not in ("verified", "discrepancy"):
                continue
            verified_on = day(evidence[0])
            days = 180 if element == "attestation" else limit_days
            until = verified_on + dt.timedelta(days=days)
            if until > limit:
                continue
            verb = "too old for a decision" if until < as_of else "ages out for a decision"
            add(
                until,
                npi,
                who_name,
                "verification",
                f"verification of {element} ({verified_on.isoformat()}) {verb}",
                f"verification:{element}",
            )

    for iid, description, due, file_id, npi, ln, fn, deg in db.execute(
        "SELECT i.id, i.description, i.due_on, i.file_id, p.npi, p.last_name, p.first_name,"
        " p.degree FROM outstanding_items i JOIN credentialing_files f ON f.id = i.file_id"
        " JOIN providers p ON p.id = f.provider_id"
        " WHERE i.status = 'open' AND i.due_on < ? AND p.status = 'active'",
        (as_of.isoformat(),),
    ):
        add(
            day(due),
            npi,
            name(ln, fn, deg),
            "item",
            f"outstanding item: {description} (file #{file_id})",
            f"item:{iid}",
        )

    rows.sort(key=lambda r: (r["days_left"], r["provider"], r["npi"], r["kind"], r["item"]))
    sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
