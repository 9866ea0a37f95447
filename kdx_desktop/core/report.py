"""One organisation's report for a year, as the domain sees it: its record, its entries decoded,
its indicators and issues. Shared by the agency's side (window, command line, exports) and the
Sở's side (received packages, status board, consolidation), so it lives below both.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from .catalog import Catalog, Organisation
from .compute import IndicatorResult, compute_agency
from .rules import Issue, can_export, summary, validate
from .values import Value, decode, field_for_key, to_json

log = logging.getLogger(__name__)

DRAFT, EXPORTED = "draft", "exported"

Change = tuple[str | None, bool]  # (canonical text or None to clear, not-applicable)


class Report(NamedTuple):
    """A stored report: ``id`` 0 for one not yet saved (an empty draft in memory)."""

    id: int
    org_code: str
    year: int
    status: str
    revision: int

    @property
    def locked(self) -> bool:
        return self.status == EXPORTED


def report_keys(catalog: Catalog, kind: str, year: int) -> list[str]:
    """Every key an organisation of ``kind`` may enter for ``year``, in form order."""
    keys = [c for s in catalog.sections for c in s.elements if kind in catalog.elements[c].applies_to]
    for task in catalog.tasks_led_by(kind, year):
        keys += [f"task.{task.code}.{f.code}" for f in catalog.task_fields]
    keys += [f"narrative.{n.code}" for n in catalog.narrative]
    return keys


def decoded_entries(catalog: Catalog, raw: Mapping[str, Change]) -> dict[str, Value]:
    """Stored ``(text, not-applicable)`` pairs decoded; an entry the catalogue no longer knows is
    logged and left out rather than stopping the whole report from opening."""
    out: dict[str, Value] = {}
    for key, (text, na) in raw.items():
        try:
            out[key] = decode(field_for_key(catalog, key), text, na)
        except (KeyError, ValueError) as exc:
            log.warning("ignoring stored entry %s: %s", key, exc)
    return out


@dataclass
class ReportState:
    """Everything the window, the command line and the exports show about one report."""

    catalog: Catalog
    org: Organisation
    year: int
    report: Report
    entries: dict[str, Value]
    prev: dict[str, Value] | None
    prev2: dict[str, Value] | None
    indicators: list[IndicatorResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    edition_notice: str = ""  # said when a reopened report moved to a newer catalogue edition

    def recompute(self) -> None:
        """Recompute every indicator and issue from ``entries`` (called after each edit)."""
        self.indicators = compute_agency(
            self.catalog, self.org.kind, self.year, self.entries, self.prev, self.prev2
        )
        self.issues = validate(
            self.catalog, self.org.kind, self.year, self.entries, self.indicators, self.prev
        )

    @property
    def can_export(self) -> bool:
        return can_export(self.issues)

    def summary(self) -> dict[str, int]:
        return summary(self.issues)

    def as_json(self) -> dict[str, Any]:
        return {
            "organisation": self.org.code,
            "year": self.year,
            "status": self.report.status,
            "revision": self.report.revision,
            "values": {k: to_json(v) for k, v in sorted(self.entries.items())},
            "previous_year_values": None
            if self.prev is None
            else {k: to_json(v) for k, v in sorted(self.prev.items()) if k in self.catalog.elements},
            "indicators": [r.as_json() for r in self.indicators],
            "issues": [i.as_json() for i in self.issues],
            "summary": self.summary(),
        }


@dataclass(frozen=True)
class Identity:
    """The names printed on a report of ``org_code`` for ``year`` (who issues it, who signs, to
    whom); built from the catalogue and the organisation's profile by ``services.identity``."""

    org_code: str
    kind: str
    year: int
    name: str
    governing_body: str
    abbreviation: str
    place: str
    signer_name: str
    signer_prefix: str
    signer_title: str
    recipient: str
    recipients_cc: str
    email: str
    header_template: str

    def as_json(self) -> dict[str, object]:
        return asdict(self)
