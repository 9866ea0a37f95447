"""The catalogue: the plan as data (organisations, data elements, indicators, rules, tasks).

These are the records the rest of KDX reads; :mod:`.catalog_loader` builds them from the file,
validating entry by entry, and :mod:`.catalog_specs` holds the typed compute and rule
specifications with their readers.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, NamedTuple

from .catalog_specs import COMPUTE_TYPES as COMPUTE_TYPES
from .catalog_specs import OPERATORS as OPERATORS
from .catalog_specs import RULE_TYPES as RULE_TYPES
from .catalog_specs import CatalogError as CatalogError
from .catalog_specs import ComputeSpec, RuleSpec

VALUE_TYPES = ("integer", "decimal", "percent", "boolean", "choice", "text", "date")
SEVERITIES = ("error", "warning")
# Who a target binds: each agency (it is judged and justified in the agency's own report) or the
# province as a whole (judged only in the Sở's consolidated report).
BINDS = ("agency", "province")


class Choice(NamedTuple):
    code: str
    label: str


class DataElement(NamedTuple):
    code: str
    label: str
    type: str
    unit: str
    applies_to: tuple[str, ...]
    required: bool = False
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    help: str = ""
    prev_of: str | None = None

    def choice_label(self, code: str) -> str:
        for c in self.choices:
            if c.code == code:
                return c.label
        return code


class Indicator(NamedTuple):
    code: str
    source: str
    label: str
    short_label: str
    unit: str
    measure: str
    compute: ComputeSpec
    direction: str
    display: str
    applies_to: tuple[str, ...]
    targets: Mapping[int, float]
    target_labels: Mapping[int, str] = MappingProxyType({})  # shared, read-only
    binds: str = "province"
    # Targets the plan wrote as a share of the province's agencies (33 % = 1/3): compared exactly.
    target_fractions: Mapping[int, Fraction] = MappingProxyType({})
    method: str = ""  # how the value is computed, one sentence (PDF, guide, window help)
    readings: tuple[str, ...] = ()  # every reading chosen where the plan is ambiguous
    # Goals the plan states only in words for a year (no figure to compare with): the plan's own
    # sentence, shown as the goal with no gap and no verdict. A year has a number or words.
    goal_texts: Mapping[int, str] = MappingProxyType({})

    def target(self, year: int) -> float | None:
        return self.targets.get(year)

    def exact_target(self, year: int) -> Fraction | None:
        """The target the value is compared with: the plan's fraction of agencies when it wrote
        one (``2/3`` of 100 for "67%"), else the number exactly as written."""
        if year in self.target_fractions:
            return self.target_fractions[year] * 100
        t = self.targets.get(year)
        return None if t is None else Fraction(str(t))

    @property
    def binds_agency(self) -> bool:
        return self.binds == "agency"

    @property
    def is_goal(self) -> bool:
        return self.source.startswith("II")


class Rule(NamedTuple):
    code: str
    severity: str
    message: str
    spec: RuleSpec
    since: str | None = None  # the catalogue version that brought the rule (older packages predate it)

    @property
    def type(self) -> str:
        return self.spec.type


class Task(NamedTuple):
    code: str
    no: str
    title: str
    lead: str
    coordinating: str
    product: str
    timeframe: str
    year_from: int
    year_to: int | None
    part_of: str | None = None
    shared_no: bool = False  # another row of the plan has the same number (task 5 has two)

    def active_in(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)

    @property
    def label(self) -> str:
        """How the plan numbers it: ``Nhiệm vụ 6``, never KDX's id (T6). The plan's task 5 has two
        rows under one number: each is told by the first words of its title."""
        if not self.shared_no:
            return f"Nhiệm vụ {self.no}"
        words = self.title.split()
        return f"Nhiệm vụ {self.no} ({' '.join(words[:6]).rstrip(',;:')}{'…' if len(words) > 6 else ''})"

    @property
    def in_sentence(self) -> str:
        """``nhiệm vụ 6``, as written inside a sentence."""
        return "n" + self.label[1:]


class FieldSpec(NamedTuple):
    """A non-indicator field: a task field or a narrative section."""

    code: str
    label: str
    type: str
    required: bool
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    help: str = ""


class OrgPeriod(NamedTuple):
    """An organisation's names between two days (both included; ``end`` None: still in force).

    The file may write a bare year (``2023`` from 1 January, ``2024`` to 31 December) or a day
    (``"2025-07-01"``) when a change took effect during a year."""

    start: dt.date
    end: dt.date | None
    name: str
    governing_body: str
    abbreviation: str
    place: str
    signer_prefix: str
    signer_title: str
    header_template: str
    recipient: str
    email: str = ""

    @property
    def year_from(self) -> int:
        return self.start.year

    @property
    def year_to(self) -> int | None:
        return None if self.end is None else self.end.year

    def covers(self, year: int) -> bool:
        """Whether the period overlaps ``year``."""
        return self.start.year <= year and (self.end is None or year <= self.end.year)

    def in_force_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class Deadline(NamedTuple):
    """The reporting deadline of a range of years, as the plan words it."""

    year_from: int
    year_to: int | None
    month: int
    day: int
    inclusive: bool  # False: "trước ngày 25" means the 24th is the last day on time
    label: str

    def last_day(self, year: int) -> dt.date:
        """The last date (Vietnam time) on which a report received is on time."""
        day = dt.date(year, self.month, self.day)
        return day if self.inclusive else day - dt.timedelta(days=1)


class Organisation(NamedTuple):
    code: str
    kind: str
    expected_to_report: bool
    consolidates: bool
    periods: tuple[OrgPeriod, ...]
    successor: str | None = None  # the organisation that continues its work after its last period

    def period(self, year: int) -> OrgPeriod:
        """The names of a report about ``year``: those in force at the end of that year (a report
        of an earlier year keeps the names of its own year)."""
        return self.period_on(dt.date(year, 12, 31))

    def period_on(self, day: dt.date) -> OrgPeriod:
        """The names in force on ``day`` (the day a document is issued); before the first period
        or after the last one, the nearest."""
        for p in reversed(self.periods):
            if p.in_force_on(day):
                return p
        earlier = [p for p in self.periods if p.start <= day]
        return earlier[-1] if earlier else self.periods[0]

    def exists_in(self, year: int) -> bool:
        return any(p.covers(year) for p in self.periods)

    @property
    def dissolved_on(self) -> dt.date | None:
        """The last day of the organisation (None while it exists)."""
        return self.periods[-1].end

    def reports_for(self, year: int) -> bool:
        """Whether the organisation owes a report for ``year``: it exists at the year's end. An
        agency merged into another during the year does not; its successor reports for it."""
        return any(p.in_force_on(dt.date(year, 12, 31)) for p in self.periods)

    def name(self, year: int) -> str:
        return self.period(year).name

    def abbreviation(self, year: int) -> str:
        """The abbreviation its documents carry in ``year`` (BQN), not KDX's own code (BKT)."""
        return self.period(year).abbreviation or self.code

    def label(self, year: int) -> str:
        """How people name it: ``Báo Quảng Ngãi (BQN)``."""
        return f"{self.name(year)} ({self.abbreviation(year)})"


class Edition(NamedTuple):
    """Which issue of the catalogue this is: the Sở issues a new edition (new targets, merged
    agencies, new texts) without a new program. The bundled catalogue is edition 1."""

    number: int
    issuer: str
    issued: str  # ISO date (Vietnam calendar day)
    year_from: int
    year_to: int
    province: str

    def governs(self, year: int) -> bool:
        return self.year_from <= year <= self.year_to

    @property
    def issued_vn(self) -> str:
        """``dd/mm/yyyy`` as printed."""
        y, m, d = self.issued.split("-")
        return f"{d}/{m}/{y}"

    @property
    def label(self) -> str:
        """``Danh mục lần ban hành 2 (ngày 15/01/2026)`` as the status bar and About box name it."""
        return f"Danh mục lần ban hành {self.number} (ngày {self.issued_vn})"

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "issuer": self.issuer,
            "issued": self.issued,
            "years": {"from": self.year_from, "to": self.year_to},
            "province": self.province,
        }


class Section(NamedTuple):
    code: str
    label: str
    elements: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    id: str
    version: str
    title: str
    year_from: int
    year_to: int
    kinds: Mapping[str, Mapping[str, Any]]
    organisations: tuple[Organisation, ...]
    sections: tuple[Section, ...]
    elements: Mapping[str, DataElement]
    indicators: tuple[Indicator, ...]
    goal_restatements: tuple[Mapping[str, str], ...]
    rules: tuple[Rule, ...]
    task_fields: tuple[FieldSpec, ...]
    tasks: tuple[Task, ...]
    narrative: tuple[FieldSpec, ...]
    deadlines: tuple[Deadline, ...]
    edition: Edition
    source: bytes = field(repr=False)  # the file's bytes, for its fingerprint
    method_notes: tuple[str, ...] = ()  # readings that hold for every indicator
    # Electronic signatures, per organisation (key "signatures"): required / accepted / not_expected.
    signature_default: str = "accepted"
    signature_policies: Mapping[str, str] = field(default_factory=dict)

    @functools.cached_property
    def sha256(self) -> str:
        """The fingerprint of the catalogue file that packages cite. Computed when first asked
        for (an export, an import): hashlib loads OpenSSL, which the window's start does not need."""
        import hashlib

        return hashlib.sha256(self.source).hexdigest()

    # -- look-ups -------------------------------------------------------------------
    def org(self, code: str) -> Organisation:
        for o in self.organisations:
            if o.code == code:
                return o
        raise KeyError(code)

    def has_org(self, code: str) -> bool:
        return any(o.code == code for o in self.organisations)

    def org_label(self, code: str, year: int) -> str:
        """``Báo Quảng Ngãi (BQN)`` for KDX's code ``BKT``: how a message names an organisation.
        A code the catalogue does not know (typed, or read from a file) is said back as it is."""
        return self.org(code).label(year) if self.has_org(code) else code

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)

    def years(self) -> range:
        return range(self.year_from, self.year_to + 1)

    def is_press(self, kind: str) -> bool:
        return bool(self.kinds.get(kind, {}).get("press"))

    def press_agencies(self) -> list[Organisation]:
        return [o for o in self.organisations if self.is_press(o.kind)]

    def expected_reporters(self, year: int) -> list[Organisation]:
        return [o for o in self.organisations if o.expected_to_report and o.reports_for(year)]

    def predecessors(self, code: str) -> list[Organisation]:
        """The organisations whose work ``code`` continues (directly or through others)."""
        out: list[Organisation] = []
        todo = [code]
        while todo:
            c = todo.pop()
            for o in self.organisations:
                if o.successor == c and o not in out:
                    out.append(o)
                    todo.append(o.code)
        return out

    def elements_for(self, kind: str) -> list[DataElement]:
        return [e for e in self.elements.values() if kind in e.applies_to]

    def indicators_for(self, kind: str) -> list[Indicator]:
        return [i for i in self.indicators if kind in i.applies_to]

    def tasks_led_by(self, kind: str, year: int) -> list[Task]:
        """Tasks an organisation of ``kind`` leads and reports on in ``year``."""
        lead = "press" if self.is_press(kind) else kind
        return [t for t in self.tasks if t.lead == lead and t.active_in(year)]

    def deadline(self, year: int) -> Deadline:
        """The reporting deadline that applies to ``year`` (the plan's 25 November, read
        literally, when the catalogue has none for that year)."""
        for d in self.deadlines:
            if d.year_from <= year and (d.year_to is None or year <= d.year_to):
                return d
        return Deadline(year, year, 11, 25, False, "trước ngày 25 tháng 11 hằng năm")

    def signature_policy(self, code: str) -> str:
        """``required``, ``accepted`` or ``not_expected`` for organisation ``code``."""
        return self.signature_policies.get(code, self.signature_default)

    def consolidator(self) -> Organisation:
        for o in self.organisations:
            if o.consolidates:
                return o
        raise KeyError("consolidator")
