"""Exclusion screening of the registry's providers against the stored LEIE and SAM copies.

Who is screened: active providers and applicants (a coordinator screens at
intake); inactive and terminated providers are not. Matching follows the
screening match tiers in ``domain.screening``; every run is recorded with the
list versions used and its counts, and a disposition sticks to its
(provider, list, record key) until the list record's content changes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from credcli.db.models import ExclusionRecord, Provider, ScreeningHit, ScreeningRun
from credcli.db.models.base import utcnow
from credcli.domain import names
from credcli.domain.screening import DISPOSED, HitStatus, Match, NameRelation, Tier, better, judge
from credcli.domain.vocab import ProviderStatus
from credcli.errors import FieldError, InputError
from credcli.services import audit, lists, when

LISTS = ("leie", "sam")
SCREENED_STATUSES = (ProviderStatus.active.value, ProviderStatus.applicant.value)


@dataclass
class _Person:
    id: int
    npi: str
    last: str
    firsts: tuple[str, ...]  # names.first_names
    dob: str | None


# A list copy older than this when screening is flagged: OIG publishes the LEIE monthly
# (by the 10th) and SAM.gov its extract daily, so 45 days leaves room for one late month.
STALE_LIST_DAYS = 45
PUBLISHED = {
    "leie": "the OIG publishes the LEIE monthly",
    "sam": "SAM.gov publishes its extract daily",
}


@dataclass
class RunResult:
    run_id: int
    lists: list[str]
    versions: dict[str, list[dict[str, Any]]]
    screened: int
    strong: int
    possible: int
    ruled_out: int
    new_hits: int
    open_hits: int  # on every list, screened in this run or not
    hits: list[dict[str, Any]] = field(default_factory=list)  # open hits raised by this run
    notes: list[str] = field(default_factory=list)
    # open hits on lists this run did not screen (they count in open_hits too)
    open_elsewhere: dict[str, int] = field(default_factory=dict)


def screen(session: Session, *, which: str = "all", as_of: dt.date) -> RunResult:
    chosen = list(LISTS) if which == "all" else [which]
    versions = {name: lists.current_versions(session, name) for name in chosen}
    notes = []
    missing = [name for name in chosen if not versions[name]]
    if missing and (which != "all" or len(missing) == len(chosen)):
        raise InputError(
            f"no {' or '.join(m.upper() for m in missing)} list is loaded; run "
            f"'credcli verify load {missing[0]} FILE' first"
        )
    for name in missing:
        notes.append(f"no {name.upper()} list is loaded; screened against the others only")
        chosen.remove(name)
        del versions[name]
    _check_as_of(versions, as_of)
    notes.extend(_stale_list_notes(versions, as_of))
    conn = session.connection()
    people = _people(conn)
    matches = _match(conn, people, chosen, as_of)
    run = ScreeningRun(
        run_by=audit.actor(),
        as_of=as_of,
        lists=",".join(chosen),
        versions=json.dumps(versions),
        screened=len(people),
        strong=sum(1 for m in matches.values() if m[1].tier is Tier.strong),
        possible=sum(1 for m in matches.values() if m[1].tier is Tier.possible),
        ruled_out=sum(1 for m in matches.values() if m[1].tier is Tier.ruled_out),
        new_hits=0,
        open_hits=0,
    )
    session.add(run)
    session.flush()
    new_hits, raised = _record_hits(conn, run.id, matches, {p.id for p in people}, chosen)
    run.new_hits = new_hits
    open_by_list = _open_counts(conn)
    run.open_hits = sum(open_by_list.values())
    session.flush()
    return RunResult(
        run_id=run.id,
        lists=chosen,
        versions=versions,
        screened=run.screened,
        strong=run.strong,
        possible=run.possible,
        ruled_out=run.ruled_out,
        new_hits=new_hits,
        open_hits=run.open_hits,
        hits=hit_views(session, raised),
        notes=notes,
        open_elsewhere={
            name: count for name, count in sorted(open_by_list.items()) if name not in chosen
        },
    )


def _stale_list_notes(versions: dict[str, list[dict[str, Any]]], as_of: dt.date) -> list[str]:
    """Monthly monitoring (NCQA, 42 CFR 455.436) means screening against this month's
    lists: a run against an old copy passes everyone the new one would catch."""
    notes = []
    for name, loads in versions.items():
        newest = max(dt.date.fromisoformat(load["file_date"]) for load in loads)
        age = (as_of - newest).days
        if age > STALE_LIST_DAYS:
            notes.append(
                f"the {name.upper()} copy is dated {newest}, {age} days before {as_of}; "
                f"{PUBLISHED[name]}: load the current file so this run counts as monthly "
                "screening"
            )
    return notes


def _check_as_of(versions: dict[str, list[dict[str, Any]]], as_of: dt.date) -> None:
    """A run is the surveyor's evidence that screening happened on its date: it may look
    back to check an earlier day, but never to a day before the lists it used existed,
    nor ahead to a day that has not come."""
    when.not_future("as-of", as_of, "a screening run is recorded once it has happened")
    for name, loads in versions.items():
        published = max(dt.date.fromisoformat(load["file_date"]) for load in loads)
        if as_of < published:
            raise FieldError(
                "as-of",
                as_of.isoformat(),
                f"is before the {name.upper()} copy this run would use was published "
                f"({published}): a run against it cannot stand as screening on {as_of}",
            )


def _people(conn: Connection) -> list[_Person]:
    rows = conn.execute(
        select(Provider.id, Provider.npi, Provider.last_name, Provider.first_name, Provider.dob)
        .where(Provider.status.in_(SCREENED_STATUSES))
        .order_by(Provider.id)
    )
    return [
        _Person(
            pid,
            npi,
            names.last_name(last),
            names.first_names(first),
            dob.isoformat() if dob else None,
        )
        for pid, npi, last, first, dob in rows
    ]


Key = tuple[int, str, str]  # provider id, list, record key
Found = tuple[int, Match, str]  # record id, match, content hash


def _match(
    conn: Connection, people: list[_Person], chosen: list[str], as_of: dt.date
) -> dict[Key, Found]:
    """Every (provider, list record) pair that matches, by dictionary and set lookups only.

    Near names: for a record (last, first), an index of the providers' last names by
    first name answers which are one typo from ``last`` (and the same for first names
    by last name). No loop over providers per record.
    """
    by_npi = {p.npi: p for p in people}
    by_name: dict[tuple[str, str], list[_Person]] = {}
    for p in people:
        for first in p.firsts:
            by_name.setdefault((p.last, first), []).append(p)
    # near last names among providers with the same first name, and vice versa
    near_last = names.NearIndex((first, p.last) for p in people for first in p.firsts)
    near_first = names.NearIndex((p.last, first) for p in people for first in p.firsts)
    found: dict[Key, Found] = {}
    rows = _raw_rows(
        conn,
        select(
            ExclusionRecord.id,
            ExclusionRecord.list_name,
            ExclusionRecord.npi,
            ExclusionRecord.norm_last,
            ExclusionRecord.norm_first,
            ExclusionRecord.first_name,
            ExclusionRecord.dob,
        ).where(
            ExclusionRecord.list_name.in_(chosen),
            or_(ExclusionRecord.ends_on.is_(None), ExclusionRecord.ends_on >= as_of.isoformat()),
        ),
    )
    matched: dict[tuple[int, int], tuple[str, Match]] = {}  # (person, record id)
    for rid, list_name, npi, last, first, given, dob in rows:
        candidates: list[tuple[_Person, NameRelation | None]] = []
        if npi and npi in by_npi:
            candidates.append((by_npi[npi], None))
        if last:
            # most given names are one plain word: only the others have a second form
            firsts = (first,) if not given or given.isalpha() else names.first_names(given)
            for first in firsts:
                _name_candidates(candidates, by_name, near_last, near_first, last, first)
        for person, relation in candidates:
            match = judge(
                npi_equal=npi == person.npi if npi else False,
                names=relation,
                provider_dob=person.dob,
                record_dob=dob,
                npi_differs=bool(npi) and npi != person.npi,
            )
            if match is None:
                continue
            pair = (person.id, rid)
            before = matched.get(pair)
            matched[pair] = (list_name, match if before is None else better(before[1], match))
    # identifying hashes only for the few matched records, not for every row
    hashes: dict[int, tuple[str, str]] = {}
    wanted = sorted({rid for _, rid in matched})
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for rid, key, chash in conn.execute(
            select(
                ExclusionRecord.id, ExclusionRecord.record_key, ExclusionRecord.content_hash
            ).where(ExclusionRecord.id.in_(chunk))
        ):
            hashes[rid] = (key, chash)
    for (person_id, rid), (list_name, match) in matched.items():
        key, chash = hashes[rid]
        slot = (person_id, list_name, key)
        previous = found.get(slot)
        found[slot] = (rid, match if previous is None else better(previous[1], match), chash)
    return found


def _name_candidates(
    candidates: list[tuple[_Person, NameRelation | None]],
    by_name: dict[tuple[str, str], list[_Person]],
    near_last: names.NearIndex,
    near_first: names.NearIndex,
    last: str,
    first: str,
) -> None:
    exact = by_name.get((last, first))
    if exact:
        candidates.extend((p, NameRelation.equal) for p in exact)
    if first != last and (first, last) in by_name:
        candidates.extend((p, NameRelation.swapped) for p in by_name[(first, last)])
    for other in near_last.near(first, last):
        candidates.extend((p, NameRelation.near) for p in by_name[(other, first)])
    if first:
        for other in near_first.near(last, first):
            candidates.extend((p, NameRelation.near) for p in by_name[(last, other)])


def _raw_rows(conn: Connection, query: ClauseElement) -> list[tuple[Any, ...]]:
    """Plain tuples from the driver, on the session's own connection and transaction.

    Every list row is read on each run; SQLAlchemy's Row objects would cost a third of
    the screening time. Only text and integer columns are read this way.
    """
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    assert isinstance(compiled, SQLCompiler)
    params = compiled.params
    args: Any = (
        tuple(params[name] for name in compiled.positiontup or ())
        if compiled.positional
        else params
    )
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]  # open: never None
    try:
        cursor.execute(str(compiled), args)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _record_hits(
    conn: Connection,
    run_id: int,
    matches: dict[Key, Found],
    screened: set[int],
    chosen: list[str],
) -> tuple[int, list[int]]:
    """Write this run's matches; returns (hits newly opened, ids of open hits it raised).

    One hit per (provider, list, record key) is current: the newest. A match whose list
    record changed since that hit opens a new one, and any hit of the same key still open
    is resolved as superseded by it (a cleared or confirmed one stays as it was decided,
    on the record as it then was). Open hits that earlier versions left beside a newer
    one are settled the same way, on every list, screened in this run or not.
    """
    history = _hits_by_key(conn)
    data = _record_data(conn, [rid for rid, _, _ in matches.values()])
    npis: dict[int, str] = dict(conn.execute(select(Provider.id, Provider.npi)).all())
    inserts: list[dict[str, Any]] = []
    changes: list[audit.Change] = []
    raised: list[int] = []
    for slot, (rid, match, chash) in matches.items():
        hits = history.get(slot)
        hit = hits[-1] if hits else None
        status = HitStatus.ruled_out if match.tier is Tier.ruled_out else HitStatus.open
        if hit is None or hit["content_hash"] != chash:
            inserts.append(
                {
                    "provider_id": slot[0],
                    "list_name": slot[1],
                    "record_key": slot[2],
                    "content_hash": chash,
                    "tier": match.tier.value,
                    "reason": match.reason,
                    "record": data[rid],
                    "status": status.value,
                    "first_run_id": run_id,
                    "last_run_id": run_id,
                }
            )
            continue
        values: dict[str, Any] = {"last_run_id": run_id}
        if hit["status"] not in DISPOSED:
            values.update(tier=match.tier.value, reason=match.reason, status=status.value)
            if status is HitStatus.open:
                raised.append(hit["id"])
        if any(hit[k] != v for k, v in values.items() if k != "last_run_id"):
            before = {k: hit[k] for k in values if k != "last_run_id"}
            after = {k: v for k, v in values.items() if k != "last_run_id"}
            changes.append(
                audit.Change(
                    "update", "screening_hits", hit["id"], npis.get(slot[0]), before, after
                )
            )
        conn.execute(update(ScreeningHit).where(ScreeningHit.id == hit["id"]).values(**values))
    newest: dict[Key, int] = {slot: hits[-1]["id"] for slot, hits in history.items()}
    for start in range(0, len(inserts), lists.BATCH):
        batch = inserts[start : start + lists.BATCH]
        ids = (
            conn.execute(
                insert(ScreeningHit).returning(ScreeningHit.id, sort_by_parameter_order=True), batch
            )
            .scalars()
            .all()
        )
        for hit_id, values in zip(ids, batch, strict=True):
            newest[(values["provider_id"], values["list_name"], values["record_key"])] = hit_id
            if values["status"] == HitStatus.open:
                raised.append(hit_id)
            shown = {k: v for k, v in values.items() if k != "record"}
            changes.append(
                audit.Change(
                    "create", "screening_hits", hit_id, npis.get(values["provider_id"]), after=shown
                )
            )
    for slot, hits in history.items():
        gone = slot[1] in chosen and slot not in matches and slot[0] in screened
        for old in hits:
            if old["status"] != HitStatus.open or (old["id"] == newest[slot] and not gone):
                continue
            if gone:
                reason = f"no longer matched in screening run {run_id}"
            else:
                reason = (
                    f"superseded by hit #{newest[slot]}: the {slot[1].upper()} record changed "
                    f"(screening run {run_id})"
                )
            changes.append(_resolve(conn, old["id"], npis.get(slot[0]), reason))
    audit.append(conn, changes)
    opened = sum(1 for v in inserts if v["status"] == HitStatus.open)
    return opened, sorted(raised)


def _hits_by_key(conn: Connection) -> dict[Key, list[Any]]:
    """Every hit of every list by (provider, list, record key), oldest first."""
    found: dict[Key, list[Any]] = {}
    for row in conn.execute(select(ScreeningHit.__table__).order_by(ScreeningHit.id)).mappings():
        found.setdefault((row["provider_id"], row["list_name"], row["record_key"]), []).append(row)
    return found


def _resolve(conn: Connection, hit_id: int, npi: str | None, reason: str) -> audit.Change:
    """Close an open hit that no person needs to decide any more."""
    conn.execute(
        update(ScreeningHit)
        .where(ScreeningHit.id == hit_id)
        .values(
            status=HitStatus.resolved.value,
            disposed_by="credcli",
            disposed_at=utcnow(),
            disposition_reason=reason,
        )
    )
    return audit.Change(
        "update",
        "screening_hits",
        hit_id,
        npi,
        {"status": "open"},
        {"status": "resolved", "disposition_reason": reason},
    )


def _record_data(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    data: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        data.update(
            conn.execute(
                select(ExclusionRecord.id, ExclusionRecord.data).where(
                    ExclusionRecord.id.in_(chunk)
                )
            ).all()
        )
    return data


def _open_counts(conn: Connection) -> dict[str, int]:
    """Open hits by list, every list: a hit waits for a person whichever list raised it."""
    rows = conn.execute(
        select(ScreeningHit.list_name, func.count())
        .where(ScreeningHit.status == HitStatus.open.value)
        .group_by(ScreeningHit.list_name)
    ).all()
    return {name: int(count) for name, count in rows}


def hit_views(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """Hits as ``{"hit", "npi", "provider", "list", "tier", "reason", "listed_name",
    "record"}``, in id order."""
    from credcli.services.hits import listed_name

    views: list[dict[str, Any]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.execute(
            select(
                ScreeningHit.id,
                Provider.npi,
                Provider.last_name,
                Provider.first_name,
                Provider.degree,
                ScreeningHit.list_name,
                ScreeningHit.tier,
                ScreeningHit.reason,
                ScreeningHit.record,
            )
            .join(Provider, Provider.id == ScreeningHit.provider_id)
            .where(ScreeningHit.id.in_(chunk))
            .order_by(ScreeningHit.id)
        ).all()
        for hit_id, npi, last, first, degree, list_name, tier, reason, record in rows:
            listed = json.loads(record)
            views.append(
                {
                    "hit": hit_id,
                    "npi": npi,
                    "provider": f"{last}, {first}" + (f" {degree}" if degree else ""),
                    "list": list_name,
                    "tier": tier,
                    "reason": reason,
                    "listed_name": listed_name(list_name, listed),
                    "record": listed,
                }
            )
    return views
