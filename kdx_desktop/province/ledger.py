"""The Sở's register of received packages (table ``received_packages``, migration 0002_intake).

Every accepted revision is kept with its canonical ``data.json``; one row per organisation and
year is *current* (the one consolidated). A revision the Sở voided (``voided_revisions``,
migration 0004_void) stays, with who voided it, when and why, and is never current again. Writes happen inside the caller's transaction, with
their audit rows, so an import is all or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..core.vntime import vietnam_date
from ..store.repo import Store, current_user, now_iso

_COLUMNS = (
    "id org_code year revision data_sha256 verification_code supersedes file_name package_sha256 "
    "catalog_version created_at received_at received_by warnings current conflict conflict_note "
    "paper_checked_by paper_checked_at arrived_on"
).split()


@dataclass(frozen=True)
class Received:
    """One received package (without its data; see :func:`data_json`)."""

    id: int
    org_code: str
    year: int
    revision: int
    data_sha256: str
    verification_code: str
    supersedes: str | None
    file_name: str
    package_sha256: str
    catalog_version: str
    created_at: str
    received_at: str
    received_by: str
    warnings: int
    current: bool
    conflict: bool
    conflict_note: str | None
    paper_checked_by: str | None
    paper_checked_at: str | None
    arrived_on: str | None = None  # ISO date, Vietnam time; None before migration 0005
    voided_at: str | None = None
    voided_by: str | None = None
    void_reason: str | None = None

    @property
    def paper_checked(self) -> bool:
        return self.paper_checked_at is not None

    @property
    def arrival(self) -> dt.date:
        """The day the package reached the Sở (Vietnam time): the date the officer recorded, else
        the day it was imported (packages recorded before arrival dates were kept)."""
        if self.arrived_on:
            return dt.date.fromisoformat(self.arrived_on)
        return vietnam_date(self.received_at)

    @property
    def voided(self) -> bool:
        return self.voided_at is not None

    def as_json(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in (*_COLUMNS, *_VOID_COLUMNS)}


_VOID_COLUMNS = ("voided_at", "voided_by", "void_reason")


def _row(r: tuple[Any, ...]) -> Received:
    d = dict(zip((*_COLUMNS, *_VOID_COLUMNS), r, strict=True))
    d["current"], d["conflict"] = bool(d["current"]), bool(d["conflict"])
    return Received(**d)


_SELECT = (
    f"SELECT {', '.join('p.' + c for c in _COLUMNS)}, v.voided_at, v.voided_by, v.reason "
    "FROM received_packages p LEFT JOIN voided_revisions v ON v.received_id = p.id"
)


def revisions_of(store: Store, org_code: str, year: int, *, voided: bool = False) -> list[Received]:
    """Every received revision of ``org_code`` for ``year``, oldest first; the voided ones too
    only when ``voided``."""
    keep = "" if voided else " AND v.received_id IS NULL"
    rows = store.db.execute(
        f"{_SELECT} WHERE p.org_code = ? AND p.year = ?{keep} ORDER BY p.revision, p.id", [org_code, year]
    ).fetchall()
    return [_row(r) for r in rows]


def current(store: Store, org_code: str, year: int) -> Received | None:
    r = store.db.execute(
        f"{_SELECT} WHERE p.org_code = ? AND p.year = ? AND p.current = 1", [org_code, year]
    ).fetchone()
    return _row(r) if r else None


def current_for_year(store: Store, year: int) -> dict[str, Received]:
    rows = store.db.execute(
        f"{_SELECT} WHERE p.year = ? AND p.current = 1 ORDER BY p.org_code", [year]
    ).fetchall()
    return {r.org_code: r for r in map(_row, rows)}


def by_id(store: Store, row_id: int) -> Received | None:
    r = store.db.execute(f"{_SELECT} WHERE p.id = ?", [row_id]).fetchone()
    return _row(r) if r else None


def data_json(store: Store, row_id: int) -> str:
    row = store.db.execute("SELECT data_json FROM received_packages WHERE id = ?", [row_id]).fetchone()
    if row is None:
        raise KeyError(row_id)
    return str(row[0])


def insert(
    store: Store,
    *,
    org_code: str,
    year: int,
    revision: int,
    data_sha256: str,
    verification_code: str,
    supersedes: str | None,
    file_name: str,
    package_sha256: str,
    catalog_version: str,
    created_at: str,
    data: str,
    warnings: int,
    user: str | None = None,
    arrived_on: dt.date | None = None,
) -> int:
    """Record a package as the current revision (the previous current one stays, not current).

    Must be called inside ``store.transaction()``; writes its audit row."""
    who = user or current_user()
    ts = now_iso()
    store.db.execute(
        "UPDATE received_packages SET current = 0 WHERE org_code = ? AND year = ? AND current = 1",
        [org_code, year],
    )
    cur = store.db.execute(
        "INSERT INTO received_packages(org_code, year, revision, data_sha256, verification_code, supersedes, "
        "file_name, package_sha256, catalog_version, created_at, received_at, received_by, data_json, warnings, "
        "arrived_on, current) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        [
            org_code,
            year,
            revision,
            data_sha256,
            verification_code,
            supersedes,
            file_name,
            package_sha256,
            catalog_version,
            created_at,
            ts,
            who,
            data,
            warnings,
            (arrived_on or vietnam_date(ts)).isoformat(),
        ],
    )
    store._audit(
        "import", None, f"{org_code}/{year}", None, f"r{revision} {verification_code}", file_name, who, ts
    )
    return int(cur.lastrowid or 0)


def flag_conflict(store: Store, row_id: int, note: str, *, user: str | None = None) -> None:
    """Mark a received revision as contradicted by another package with the same revision."""
    with store.transaction():
        store.db.execute(
            "UPDATE received_packages SET conflict = 1, conflict_note = ? WHERE id = ?", [note, row_id]
        )
        store._audit("import_conflict", None, f"received/{row_id}", None, None, note, user)


def mark_paper_checked(store: Store, row_id: int, *, user: str | None = None) -> Received:
    """Record that the signed paper matches this revision's verification code (who and when)."""
    who = user or current_user()
    ts = now_iso()
    with store.transaction():
        row = by_id(store, row_id)
        if row is None:
            raise KeyError(row_id)
        store.db.execute(
            "UPDATE received_packages SET paper_checked_by = ?, paper_checked_at = ? WHERE id = ?",
            [who, ts, row_id],
        )
        store._audit(
            "paper_check",
            None,
            f"{row.org_code}/{row.year}",
            None,
            f"r{row.revision} {row.verification_code}",
            None,
            who,
            ts,
        )
    found = by_id(store, row_id)
    assert found is not None
    return found


def void(store: Store, row_id: int, reason: str, *, user: str | None = None) -> Received:
    """Void a received revision: kept, with who, when and why (``voided_revisions`` and the
    audit), and no longer current. When it was the current one, the newest revision not voided
    becomes current again (none: the organisation shows as not reported). Must not be called on
    a revision already voided (the table refuses a second row). Returns the voided row, re-read."""
    who = user or current_user()
    ts = now_iso()
    with store.transaction():
        row = by_id(store, row_id)
        if row is None:
            raise KeyError(row_id)
        store.db.execute(
            "INSERT INTO voided_revisions(received_id, voided_at, voided_by, reason) VALUES (?, ?, ?, ?)",
            [row_id, ts, who, reason],
        )
        if row.current:
            store.db.execute("UPDATE received_packages SET current = 0 WHERE id = ?", [row_id])
            rest = revisions_of(store, row.org_code, row.year)
            if rest:
                newest = max(rest, key=lambda r: (r.revision, r.id))
                store.db.execute("UPDATE received_packages SET current = 1 WHERE id = ?", [newest.id])
        store._audit(
            "void",
            None,
            f"{row.org_code}/{row.year}",
            f"r{row.revision} {row.verification_code}",
            None,
            reason,
            who,
            ts,
        )
    found = by_id(store, row_id)
    assert found is not None
    return found


__all__ = [
    "Received",
    "by_id",
    "current",
    "current_for_year",
    "data_json",
    "insert",
    "mark_paper_checked",
    "revisions_of",
    "void",
]
