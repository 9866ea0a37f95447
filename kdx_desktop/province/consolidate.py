"""The province's figures for a year, from the current received packages and the Sở's own facts.

Computed by the same core as the agencies' (``compute_agency`` per agency, ``compute_province``
for the province), from the values stored in each package's ``data.json``. Each agency's last
year comes from its own package (``previous_year_values``), exactly as the agency computed it.
The same model feeds the workbook, the PDF and the charts (``consolidated_report`` writes both
files).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..core.catalog import Catalog, Indicator, Organisation
from ..core.compute import IndicatorResult, UnitData, compute_agency, compute_province
from ..core.report import decoded_entries
from ..core.values import Value
from ..package.canonical import canonical_json, verification_code
from ..package.safe_zip import IntakeRejected
from ..store.repo import Store
from . import ledger
from .importer import package_edition, previous_values, report_entries
from .status import Board, StatusRow, board, own_facts


@dataclass(frozen=True)
class AgencyReport:
    """One agency's current received revision, decoded and computed."""

    org: Organisation
    name: str
    revision: int
    verification_code: str
    entries: dict[str, Value]
    prev: dict[str, Value] | None
    indicators: dict[str, IndicatorResult]

    @property
    def values(self) -> dict[str, Value]:
        return {
            k: v
            for k, v in self.entries.items()
            if not k.startswith(("task.", "narrative.", "justification."))
        }


@dataclass(frozen=True)
class Consolidation:
    """Everything the consolidated report shows for ``year``."""

    catalog: Catalog
    year: int
    agencies: list[AgencyReport]
    province: dict[str, IndicatorResult]
    own: dict[str, Value]
    own_entries: dict[str, Value]  # the Sở's whole report (tasks it leads, narrative)
    board: Board
    history: dict[int, dict[str, IndicatorResult]]  # province by year, for the charts

    @property
    def missing(self) -> list[str]:
        """Names of the organisations expected to report that have not."""
        return [r.name for r in self.board.missing]

    @property
    def awaiting_signature(self) -> list[StatusRow]:
        """Received without the trusted signature the Sở requires: not consolidated."""
        return [r for r in self.board.expected if r.awaiting_signature]

    @property
    def under_correction(self) -> list[StatusRow]:
        """Agencies whose figures (consolidated as received) the Sở sent back for correction."""
        return [r for r in self.board.rows if r.under_correction]

    def under_correction_note(self) -> str:
        """The sentence the report prints about them ("" when none)."""
        if not self.under_correction:
            return ""
        names = "; ".join(f"{r.name} (lần gửi {r.revision})" for r in self.under_correction)
        return (
            f"Số liệu của {names} đang được đơn vị sửa theo góp ý của Sở; báo cáo này tổng hợp theo lần gửi "
            "Sở đang có."
        )

    def merger_note(self) -> str:
        """What the report says about agencies merged into another during the year ("" when
        none): the successor is counted for both, and the province's growth is measured against
        last year's figures of both (see ``_Years._absorbed``)."""
        out = []
        for a in self.agencies:
            gone = [
                o
                for o in self.catalog.predecessors(a.org.code)
                if o.expected_to_report and o.reports_for(self.year - 1) and not o.reports_for(self.year)
            ]
            if not gone:
                continue
            names = "; ".join(
                f"{o.periods[-1].name} (sáp nhập từ ngày {o.dissolved_on + dt.timedelta(days=1):%d/%m/%Y})"
                for o in gone
                if o.dissolved_on is not None
            )
            out.append(
                f"{names} vào {a.name}: {a.name} báo cáo năm {self.year} thay cho cơ quan đã sáp nhập; chỉ "
                f"tiêu tăng trưởng của tỉnh so với số năm {self.year - 1} của {a.name} cộng số của cơ quan đã "
                "sáp nhập."
            )
        return " ".join(out)

    @property
    def conflicted(self) -> list[StatusRow]:
        """Agencies whose current revision is contradicted by another package with the same
        revision (the status board's conflict flag): consolidated as received, to be verified."""
        return [r for r in self.board.rows if r.received and r.conflict]

    def conflicted_codes(self) -> set[str]:
        return {r.org_code for r in self.conflicted}

    def conflict_note(self) -> str:
        """The sentence the report prints about them ("" when none)."""
        if not self.conflicted:
            return ""
        names = "; ".join(
            f"{r.name} (lần gửi {r.revision}, mã {r.verification_code})" for r in self.conflicted
        )
        return (
            f"Lưu ý: Sở đã nhận một gói khác cùng lần gửi của {names} (xung đột, đang xác minh với đơn vị); "
            "báo cáo này tổng hợp theo lần gửi Sở nhận trước."
        )

    def indicator_rows(self, goals: bool) -> list[tuple[Indicator, IndicatorResult]]:
        out = []
        for ind in self.catalog.indicators:
            if ind.is_goal == goals:
                out.append((ind, self.province[ind.code]))
        return out

    def seal(self) -> tuple[str, str]:
        """(SHA-256, verification code) of the figures: reprinting the same data gives the same code."""
        doc = {
            "year": self.year,
            "catalog": [self.catalog.id, self.catalog.version],
            "packages": sorted((a.org.code, a.revision, a.verification_code) for a in self.agencies),
            "province": {c: r.as_json() for c, r in sorted(self.province.items())},
        }
        sha = hashlib.sha256(canonical_json(doc)).hexdigest()
        return sha, verification_code(sha)

    def as_json(self) -> dict[str, Any]:
        sha, code = self.seal()
        return {
            "year": self.year,
            "verification_code": code,
            "data_sha256": sha,
            "province": [self.province[i.code].as_json() for i in self.catalog.indicators],
            "agencies": [
                {
                    "organisation": a.org.code,
                    "revision": a.revision,
                    "verification_code": a.verification_code,
                    "indicators": [r.as_json() for r in a.indicators.values()],
                }
                for a in self.agencies
            ],
            "missing": [r.org_code for r in self.board.missing],
            "under_correction": [r.org_code for r in self.under_correction],
            "awaiting_signature": [r.org_code for r in self.awaiting_signature],
            "conflicts": [r.org_code for r in self.conflicted],
        }


@dataclass(frozen=True)
class _Received:
    org: Organisation
    revision: int
    verification_code: str
    entries: dict[str, Value]
    prev: dict[str, Value] | None


class _Years:
    """Each year's current packages, decoded once per consolidation (the charts read every year)."""

    def __init__(self, catalog: Catalog, store: Store, editions: Mapping[int, Catalog] | None = None) -> None:
        self.catalog, self.store = catalog, store
        self.editions: Mapping[int, Catalog] = editions or {catalog.edition.number: catalog}
        self._cache: dict[int, list[_Received]] = {}
        self._units: dict[int, list[UnitData]] = {}  # each year is also the year before of the next

    def received(self, year: int) -> list[_Received]:
        if year not in self._cache:
            self._cache[year] = self._load(year)
        return self._cache[year]

    def _load(self, year: int) -> list[_Received]:
        cat = self.catalog
        order = {o.code: i for i, o in enumerate(cat.organisations)}
        out = []
        rows = ledger.current_for_year(self.store, year)
        from .signatures import verdicts

        signed = verdicts(self.store, [r.id for r in rows.values()])
        for code, row in sorted(rows.items(), key=lambda kv: order.get(kv[0], len(order))):
            if not cat.has_org(code):
                continue
            if cat.signature_policy(code) == "required" and (
                row.id not in signed or signed[row.id].state != "trusted"
            ):
                continue  # received, but without the signature the Sở requires: not submitted
            org = cat.org(code)
            data = json.loads(ledger.data_json(self.store, row.id))
            # Read under the edition the package was made and checked under: a later edition may
            # have dropped a field or a choice that the package still holds.
            try:
                made_under = package_edition(self.editions, data.get("catalog"))
            except IntakeRejected:
                made_under = cat
            out.append(
                _Received(
                    org,
                    row.revision,
                    row.verification_code,
                    report_entries(made_under, data),
                    previous_values(made_under, data, org.kind),
                )
            )
        return out

    def units(self, year: int) -> list[UnitData]:
        if year not in self.catalog.years():
            return []
        if year not in self._units:
            # Only the agencies that owe this year's report count: one merged into another during
            # the year does not (its successor reports for both), even if it sent a report.
            self._units[year] = [
                UnitData(
                    r.org.code,
                    r.org.kind,
                    _element_values(r.entries),
                    r.prev,
                    self._absorbed(r.org.code, year),
                )
                for r in self.received(year)
                if r.org.expected_to_report and r.org.reports_for(year)
            ]
        return self._units[year]

    def _absorbed(self, code: str, year: int) -> dict[str, Value] | None:
        """The figures that the agencies merged into ``code`` during ``year`` (they reported for
        the year before, not for this one) sent for the year before, added up: they join the
        successor's base, so its growth is measured against the same agencies."""
        gone = {
            o.code
            for o in self.catalog.predecessors(code)
            if o.expected_to_report and o.reports_for(year - 1) and not o.reports_for(year)
        }
        if not gone or year - 1 not in self.catalog.years():
            return None
        total: dict[str, Value] = {}
        for r in self.received(year - 1):
            if r.org.code not in gone:
                continue
            for k, v in _element_values(r.entries).items():
                if isinstance(v, int | Decimal) and not isinstance(v, bool):
                    before = total.get(k, 0)
                    total[k] = before + v if isinstance(before, int | Decimal) else v
        return total

    def province(self, year: int) -> dict[str, IndicatorResult]:
        """Every indicator for the province in ``year`` (with last year's value when known)."""
        prev_own = own_facts(self.catalog, self.store, year - 1) or None
        results = compute_province(
            self.catalog,
            year,
            self.units(year),
            own_facts(self.catalog, self.store, year),
            self.units(year - 1),
            prev_own,
            # Who should have reported: while any of them has not, the figures are provisional.
            expected_kinds=[o.kind for o in self.catalog.expected_reporters(year)],
        )
        return {r.code: r for r in results}


def _element_values(entries: dict[str, Value]) -> dict[str, Value]:
    return {k: v for k, v in entries.items() if not k.startswith(("task.", "narrative.", "justification."))}


def province_figures(
    catalog: Catalog, store: Store, year: int, editions: Mapping[int, Catalog] | None = None
) -> dict[str, IndicatorResult]:
    """Every indicator for the province in ``year`` (with last year's value when known)."""
    return _Years(catalog, store, editions).province(year)


def consolidation(
    catalog: Catalog, store: Store, year: int, editions: Mapping[int, Catalog] | None = None
) -> Consolidation:
    """The consolidated view of ``year`` (reads only); ``editions``: every catalogue edition the
    Sở keeps, to read each package under its own."""
    years = _Years(catalog, store, editions)
    agencies = [
        AgencyReport(
            org=r.org,
            name=r.org.name(year),
            revision=r.revision,
            verification_code=r.verification_code,
            entries=r.entries,
            prev=r.prev,
            indicators={
                x.code: x for x in compute_agency(catalog, r.org.kind, year, r.entries, r.prev, None)
            },
        )
        for r in years.received(year)
        # An agency merged into another during the year owes no report for it: a package it sent
        # anyway stays on the board ("không thuộc diện phải báo cáo") but not beside figures
        # that do not count it.
        if r.org.reports_for(year)
    ]
    history = {y: years.province(y) for y in catalog.years() if y <= year}
    dept = catalog.consolidator()
    rep = store.find_report(dept.code, year)
    own_entries = decoded_entries(catalog, store.entries(rep.id)) if rep else {}
    return Consolidation(
        catalog=catalog,
        year=year,
        agencies=agencies,
        province=history[year],
        own=own_facts(catalog, store, year),
        own_entries=own_entries,
        board=board(catalog, store, year),
        history=history,
    )


def chart_series(
    c: Consolidation, ind: Indicator
) -> tuple[list[int], list[float | None], list[float | None]]:
    """(years, province values, targets) for one indicator's chart; None where there is none.

    Years are the plan's years up to the report year plus every later year with a target
    (2030 goals), so each chart shows the way to the goal."""
    years = sorted({y for y in c.history} | {y for y in ind.targets if y > c.year})
    values: list[float | None] = []
    for y in years:
        r = c.history.get(y, {}).get(ind.code)
        values.append(None if r is None or r.value is None else float(r.value))
    targets = [ind.target(y) for y in years]
    return years, values, targets


__all__ = [
    "AgencyReport",
    "Consolidation",
    "chart_series",
    "consolidation",
    "province_figures",
]
