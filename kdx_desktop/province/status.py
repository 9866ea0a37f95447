"""The status board of a year: who was expected, who reported, on time or late, which revision.

Timeliness is judged on the day the first revision reached the Sở (Vietnam time): the day it was
imported, or the earlier day the officer recorded for a package that came by mail. The agency's
``created_at`` is shown but decides nothing: it is the agency PC's own clock and zone. The
deadline and whether its day is still on time are catalogue data ("trước ngày 25 tháng 11" read
literally: the 24th is the last day). A later correction does not make a report late.
Reading only: building the board never writes to the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from ..core.catalog import Catalog
from ..core.report import decoded_entries
from ..core.values import Value
from ..core.vntime import today_in_vietnam
from ..store.repo import Store
from . import ledger


@dataclass(frozen=True)
class StatusRow:
    """One organisation on the board."""

    org_code: str
    name: str
    expected: bool
    received: bool
    revision: int | None = None
    revisions: int = 0
    verification_code: str | None = None
    first_created_at: str | None = None
    created_at: str | None = None
    received_at: str | None = None
    arrived_on: str | None = None  # ISO date (Vietnam) the first revision reached the Sở
    on_time: bool | None = None
    warnings: int = 0
    conflict: bool = False
    conflict_note: str | None = None
    paper_checked_by: str | None = None
    paper_checked_at: str | None = None
    row_id: int | None = None
    days_late: int = 0  # after the deadline: days between it and the first revision (or today)
    reopen_reason: str | None = None  # why the agency sent the current revision again
    review: str = ""  # the Sở's review of the current revision (services/review.py)
    under_correction: bool = False  # sent back "needs correction", no newer revision yet
    # The current revision's electronic signature (kdx_desktop/signing/verify.py, as_json shape).
    signature: dict[str, Any] = field(default_factory=lambda: dict(UNSIGNED))
    # The catalogue's policy for this organisation: required / accepted / not_expected.
    signature_policy: str = "accepted"
    # The document abbreviation of the report's year (BQN): how people and file names name it.
    abbreviation: str = ""

    @property
    def awaiting_signature(self) -> bool:
        """Received, but the Sở requires a trusted signature and this revision has none: marked
        "chưa ký số" and not counted as submitted (nor consolidated)."""
        return self.received and self.signature_policy == "required" and self.signature["state"] != "trusted"

    @property
    def submitted(self) -> bool:
        return self.received and not self.awaiting_signature

    @property
    def paper_checked(self) -> bool:
        return self.paper_checked_at is not None

    @property
    def overdue(self) -> bool:
        """Expected, not received, and the deadline has passed."""
        return self.expected and not self.received and self.days_late > 0

    @property
    def timeliness(self) -> str:
        if not self.received:
            return "Quá hạn" if self.overdue else "Chưa nộp"
        return "Đúng hạn" if self.on_time else "Trễ hạn"

    @property
    def lateness(self) -> str:
        """The timeliness with the days late, as the board shows it."""
        if self.overdue:
            return f"Quá hạn {self.days_late} ngày, chưa nộp"
        if self.received and not self.on_time and self.days_late > 0:
            return f"Trễ hạn {self.days_late} ngày"
        return self.timeliness

    @property
    def needs_reminder(self) -> bool:
        """Expected and not received, or sent back for correction."""
        return (self.expected and not self.received) or self.under_correction

    def as_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "paper_checked": self.paper_checked,
            "overdue": self.overdue,
            "timeliness": self.timeliness,
            "lateness": self.lateness,
            "needs_reminder": self.needs_reminder,
            "awaiting_signature": self.awaiting_signature,
            "submitted": self.submitted,
        }


@dataclass(frozen=True)
class Board:
    year: int
    deadline: dt.date
    rows: list[StatusRow]
    own_missing: list[str] = field(default_factory=list)  # Sở's own facts not yet entered (labels)
    deadline_text: str = ""  # as the plan words it: "trước ngày 25/11/2025"
    last_day: dt.date | None = None  # the last day a package reaching the Sở is on time

    @property
    def expected(self) -> list[StatusRow]:
        return [r for r in self.rows if r.expected]

    @property
    def missing(self) -> list[StatusRow]:
        return [r for r in self.expected if not r.received]

    def summary(self) -> dict[str, int]:
        exp = self.expected
        return {
            "expected": len(exp),
            "received": sum(1 for r in exp if r.submitted),
            "awaiting_signature": sum(1 for r in exp if r.awaiting_signature),
            "on_time": sum(1 for r in exp if r.on_time),
            "late": sum(1 for r in exp if r.received and not r.on_time),
            "missing": len(self.missing),
            "overdue": sum(1 for r in exp if r.overdue),
            "under_correction": sum(1 for r in self.rows if r.under_correction),
            "paper_checked": sum(1 for r in exp if r.paper_checked),
            "signed_trusted": sum(1 for r in exp if r.signature["state"] == "trusted"),
            "conflicts": sum(1 for r in self.rows if r.conflict),
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "deadline": self.deadline.isoformat(),
            "deadline_text": self.deadline_text,
            "last_day_on_time": self.last_day.isoformat() if self.last_day else None,
            "summary": self.summary(),
            "organisations": [r.as_json() for r in self.rows],
            "province_facts_missing": self.own_missing,
        }


UNSIGNED: dict[str, Any] = {
    "state": "none",
    "signer": None,
    "organisation": None,
    "signed_at": None,
    "bound": False,
    "revocation": "not checked",
}


def deadline_of(catalog: Catalog, year: int) -> dt.date:
    """The deadline's date as the plan words it (25 November: "trước ngày 25 tháng 11")."""
    d = catalog.deadline(year)
    return dt.date(year, d.month, d.day)


def on_time(arrived: dt.date, last_day: dt.date) -> bool:
    """Reached the Sở on or before the last day on time (both Vietnam dates)."""
    return arrived <= last_day


def deadline_text(catalog: Catalog, year: int) -> str:
    """The deadline as the plan words it, with its date: "trước ngày 25/11/2025"."""
    d = catalog.deadline(year)
    day = dt.date(year, d.month, d.day).strftime("%d/%m/%Y")
    return f"trước ngày {day}" if not d.inclusive else f"đến hết ngày {day}"


def own_facts(catalog: Catalog, store: Store, year: int) -> dict[str, Value]:
    """The Sở's own province-level facts for ``year`` (its report under its own code)."""
    dept = catalog.consolidator()
    rep = store.find_report(dept.code, year)
    if rep is None:
        return {}
    return {k: v for k, v in decoded_entries(catalog, store.entries(rep.id)).items() if k in catalog.elements}


def days_after(deadline: dt.date, when: str | dt.date) -> int:
    """Days from the deadline to ``when`` (0 when on or before it)."""
    if isinstance(when, str):
        try:
            when = dt.datetime.fromisoformat(when).date()
        except ValueError:
            return 0
    return max((when - deadline).days, 0)


def _reopen_reason(store: Store, row_id: int) -> str | None:
    import json

    raw = json.loads(ledger.data_json(store, row_id)).get("reopen_reason")
    return raw if isinstance(raw, str) and raw else None


def board(catalog: Catalog, store: Store, year: int, *, today: dt.date | None = None) -> Board:
    """The board for ``year``: every expected organisation, plus any other that sent a package.
    ``today`` (Vietnam time by default) decides who is overdue."""
    deadline = deadline_of(catalog, year)
    last_day = catalog.deadline(year).last_day(year)
    today = today or today_in_vietnam()
    current = ledger.current_for_year(store, year)
    expected = [o.code for o in catalog.expected_reporters(year)]
    codes = expected + sorted(c for c in current if c not in expected)
    from .signatures import verdicts

    signed = verdicts(store, [c.id for c in current.values()])
    rows = []
    for code in codes:
        name = catalog.org(code).name(year) if catalog.has_org(code) else code
        abbreviation = catalog.org(code).abbreviation(year) if catalog.has_org(code) else code
        cur = current.get(code)
        if cur is None:
            rows.append(
                StatusRow(
                    code,
                    name,
                    code in expected,
                    False,
                    days_late=days_after(last_day, today),
                    signature_policy=catalog.signature_policy(code),
                    abbreviation=abbreviation,
                )
            )
            continue
        revs = ledger.revisions_of(store, code, year)
        first = min(revs, key=lambda r: (r.revision, r.id))
        rows.append(
            StatusRow(
                org_code=code,
                name=name,
                expected=code in expected,
                received=True,
                revision=cur.revision,
                revisions=len(revs),
                verification_code=cur.verification_code,
                first_created_at=first.created_at,
                created_at=cur.created_at,
                received_at=cur.received_at,
                arrived_on=first.arrival.isoformat(),
                on_time=on_time(first.arrival, last_day),
                warnings=cur.warnings,
                conflict=cur.conflict,
                conflict_note=cur.conflict_note,
                paper_checked_by=cur.paper_checked_by,
                paper_checked_at=cur.paper_checked_at,
                row_id=cur.id,
                days_late=days_after(last_day, first.arrival),
                reopen_reason=_reopen_reason(store, cur.id),
                signature=signed[cur.id].as_json() if cur.id in signed else dict(UNSIGNED),
                signature_policy=catalog.signature_policy(code),
                abbreviation=abbreviation,
            )
        )
    own = own_facts(catalog, store, year)
    dept_kind = catalog.consolidator().kind
    missing = [e.label for e in catalog.elements_for(dept_kind) if e.required and e.code not in own]
    return Board(year, deadline, rows, missing, deadline_text(catalog, year), last_day)


__all__ = [
    "Board",
    "StatusRow",
    "board",
    "days_after",
    "deadline_of",
    "deadline_text",
    "on_time",
    "own_facts",
    "today_in_vietnam",
]
