"""Computation of every indicator, for one agency and for the province.

Values are computed exactly (``Fraction``) and compared with their targets exactly; rounding is
for display only. Percent indicators are numbers of percent (``Fraction(200, 3)`` is 66.67 %).
Where the plan wrote a share of the province's agencies as a whole percent (33 % is one agency
of three, 67 % two of three) the catalogue states the fraction and the comparison uses it: two
agencies of three meet "67 %", and the target prints as "2/3 cơ quan (67%)" so a reader sees why.

A target binds either each agency or the province as a whole (the catalogue says which). An
agency's report judges only the targets that bind it; for the others it shows its contribution.
A province figure is provisional while expected agencies have not reported, and is not judged.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from .catalog import Catalog, Indicator
from .catalog_specs import Condition, CountSpec, FlagSpec, GrowthSpec, RatioSpec, ShareSpec, SplitSpec
from .numbers import format_number, format_percent
from .values import NA, Value, _NotApplicable

MET, NOT_MET, NO_TARGET, MISSING, NOT_APPLICABLE = "met", "not_met", "no_target", "missing", "na"
CONTRIBUTES, PROVISIONAL = "contributes", "provisional"
STATUS_LABELS = {
    MET: "Đạt",
    NOT_MET: "Chưa đạt",
    NO_TARGET: "Không có chỉ tiêu",
    MISSING: "Chưa đủ số liệu",
    NOT_APPLICABLE: "Không đánh giá",
    CONTRIBUTES: "Tỉnh đánh giá",  # a province-level target: this agency only contributes
    PROVISIONAL: "Tạm tính",
}

Values = Mapping[str, Value]
Num = Fraction | None | _NotApplicable


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator for one unit (agency or province) and year."""

    code: str
    value: Fraction | None  # None: cannot be computed (missing data, division by zero)
    na: bool
    target: float | None
    status: str
    prev_value: Fraction | None = None
    count: int | None = None  # for count indicators: the number of agencies
    of: int | None = None  # for share/count indicators at province level: the denominator
    reported: int | None = None  # province: agencies of the indicator's kinds that reported
    expected: int | None = None  # province: agencies of those kinds expected to report

    @property
    def status_label(self) -> str:
        if self.status == PROVISIONAL:
            return f"Tạm tính ({self.reported}/{self.expected} cơ quan)"
        return STATUS_LABELS[self.status]

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "value": _round(self.value),
            "na": self.na,
            "target": self.target,
            "status": self.status,
            "prev_value": _round(self.prev_value),
            **({"count": self.count} if self.count is not None else {}),
            **({"of": self.of} if self.of is not None else {}),
            **({"reported": self.reported, "expected": self.expected} if self.expected is not None else {}),
        }


def _round(v: Fraction | None) -> float | None:
    return None if v is None else round(float(v), 6)


def _num(v: Value | None) -> Fraction | _NotApplicable | None:
    if v is None:
        return None
    if v is NA:
        return NA
    if isinstance(v, bool):
        return Fraction(int(v))
    if isinstance(v, int | Decimal):
        return Fraction(v)
    return None


def previous_value(catalog: Catalog, element: str, values: Values, prev: Values | None) -> Value | None:
    """Last year's value of ``element``: from last year's report when there is one, else the
    value entered once in this report's ``*_prev`` element."""
    if prev is not None and element in prev:
        return prev[element]
    for el in catalog.elements.values():
        if el.prev_of == element:
            return values.get(el.code)
    return None


def growth(cur: Value | None, before: Value | None) -> Num:
    """Percent growth ``cur / before - 1``; NA if either is NA, None if unknown or before is 0."""
    a, b = _num(cur), _num(before)
    if a is NA or b is NA:
        return NA
    if a is None or b is None or b == 0:
        return None
    assert isinstance(a, Fraction) and isinstance(b, Fraction)
    return (a / b - 1) * 100


def condition_holds(
    catalog: Catalog, cond: Condition, values: Values, prev: Values | None
) -> bool | _NotApplicable | None:
    """Evaluate an indicator condition; None when its value is missing, NA when not applicable."""
    if cond.on_growth:
        left: object = growth(values.get(cond.element), previous_value(catalog, cond.element, values, prev))
    else:
        left = values.get(cond.element)
    if left is None:
        return None
    if left is NA:
        return NA
    return bool(compare(left, cond.op, cond.value))


def compare(left: Any, op: str, right: Any) -> bool:
    if op == "in":
        return bool(left in right)
    if isinstance(left, Decimal | int | Fraction) and not isinstance(left, bool):
        left = Fraction(left)
        right = (
            Fraction(str(right))
            if isinstance(right, float)
            else Fraction(right)
            if isinstance(right, int | Decimal)
            else right
        )
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    if op == ">=":
        return bool(left >= right)
    raise ValueError(op)


def meets(ind: Indicator, value: Fraction, target: Fraction) -> bool:
    """The exact comparison of a value with its target (no rounding anywhere)."""
    return value >= target if ind.direction == "higher" else value <= target


def target_status(
    ind: Indicator, value: Num, year: int, *, agency: bool = False, complete: bool = True
) -> str:
    """Đạt/Chưa đạt of ``value`` against the year's target, compared exactly.

    ``agency``: the value is one agency's, so a target that binds the province as a whole is not
    judged there (the agency only contributes to it). ``complete``: a province value computed
    while expected agencies are missing is provisional, never judged."""
    target = ind.exact_target(year)
    if target is not None and not complete:
        return PROVISIONAL  # whatever the value so far: the missing agencies may change it
    if value is NA:
        return NOT_APPLICABLE
    if target is not None and agency and not ind.binds_agency:
        return CONTRIBUTES
    if value is None:
        return MISSING if target is not None else NO_TARGET
    if target is None:
        return NO_TARGET
    assert isinstance(value, Fraction)
    return MET if meets(ind, value, target) else NOT_MET


# -- agency -------------------------------------------------------------------------


def agency_value(catalog: Catalog, ind: Indicator, values: Values, prev: Values | None) -> Num:
    """The value of ``ind`` for one agency (share/count indicators give 100/0 and 1/0)."""
    return _AGENCY[ind.compute.type](catalog, ind.compute, values, prev)


def _agency_split(catalog: Catalog, c: SplitSpec, values: Values, prev: Values | None) -> Num:
    return _split([values], c)


def _agency_ratio(catalog: Catalog, c: RatioSpec, values: Values, prev: Values | None) -> Num:
    a, b = _num(values.get(c.num)), _num(values.get(c.den))
    if a is NA or b is NA:
        return NA
    if a is None or b is None or b == 0:
        return None
    assert isinstance(a, Fraction) and isinstance(b, Fraction)
    return a / b * 100


def _agency_growth(catalog: Catalog, c: GrowthSpec, values: Values, prev: Values | None) -> Num:
    return growth(values.get(c.element), previous_value(catalog, c.element, values, prev))


def _agency_flag(catalog: Catalog, c: FlagSpec, values: Values, prev: Values | None) -> Num:
    return _num(values.get(c.element))


def _agency_count(catalog: Catalog, c: CountSpec, values: Values, prev: Values | None) -> Num:
    holds = condition_holds(catalog, c.condition, values, prev)
    if holds is None or holds is NA:
        return holds
    return Fraction(1 if holds else 0)


def _agency_share(catalog: Catalog, c: ShareSpec, values: Values, prev: Values | None) -> Num:
    holds = condition_holds(catalog, c.condition, values, prev)
    if holds is None or holds is NA:
        return holds
    return Fraction(100 if holds else 0) - c.baseline


# One function per compute type, for one agency and for the province (the catalogue reader refuses
# any other type; a test checks that both tables cover every type the reader knows). The spec
# argument is typed per function; the tables' ``Any`` is where the type name picks the function.
_AGENCY: dict[str, Callable[[Catalog, Any, Values, Values | None], Num]] = {
    SplitSpec.type: _agency_split,
    RatioSpec.type: _agency_ratio,
    GrowthSpec.type: _agency_growth,
    FlagSpec.type: _agency_flag,
    CountSpec.type: _agency_count,
    ShareSpec.type: _agency_share,
}


def _split(units: Sequence[Values], c: SplitSpec) -> Num:
    city = rural = Fraction(0)
    seen = False
    for values in units:
        for side, codes in (("city", c.city), ("rural", c.rural)):
            for code in codes:
                v = _num(values.get(code))
                if v is NA:
                    continue
                if v is None:
                    return None
                assert isinstance(v, Fraction)
                seen = True
                if side == "city":
                    city += v
                else:
                    rural += v
    if not seen:
        return NA
    total = city + rural
    if total == 0:
        return None
    return city / total * 100


def with_kind(catalog: Catalog, kind: str, values: Values | None) -> dict[str, Value] | None:
    """``values`` with every element that does not apply to ``kind`` marked not applicable
    (a broadcaster has no print run: its city/rural split counts only IP accesses)."""
    if values is None:
        return None
    out: dict[str, Value] = {c: NA for c, e in catalog.elements.items() if kind not in e.applies_to}
    out.update({k: v for k, v in values.items() if k not in out})
    return out


def _result(
    ind: Indicator,
    year: int,
    v: Num,
    pv: Num,
    count: int | None,
    of: int | None = None,
    *,
    agency: bool = False,
    reported: int | None = None,
    expected: int | None = None,
) -> IndicatorResult:
    """The result of ``ind`` for ``year`` from its value ``v`` and last year's ``pv``."""
    complete = expected is None or reported is None or reported >= expected
    return IndicatorResult(
        code=ind.code,
        value=v if isinstance(v, Fraction) else None,
        na=v is NA,
        target=ind.target(year),
        status=target_status(ind, v, year, agency=agency, complete=complete),
        prev_value=pv if isinstance(pv, Fraction) else None,
        count=count,
        of=of,
        reported=reported,
        expected=expected,
    )


def compute_agency(
    catalog: Catalog,
    kind: str,
    year: int,
    values: Values,
    prev: Values | None = None,
    prev2: Values | None = None,
) -> list[IndicatorResult]:
    """Every indicator that applies to an agency of ``kind`` for ``year``.

    ``prev`` and ``prev2`` are the values of the reports of the two years before, when KDX has
    them: ``prev`` supplies last year's counts for growth; both give last year's indicator value.
    """
    values = with_kind(catalog, kind, values) or {}
    prev, prev2 = with_kind(catalog, kind, prev), with_kind(catalog, kind, prev2)
    out = []
    for ind in catalog.indicators_for(kind):
        v = agency_value(catalog, ind, values, prev)
        pv: Num = None
        if prev is not None:
            pv = agency_value(catalog, ind, prev, prev2)
        count = int(v) if isinstance(ind.compute, CountSpec) and isinstance(v, Fraction) else None
        # The Sở's own facts are the province's figures: judged in its own report too.
        out.append(_result(ind, year, v, pv, count, agency="department" not in ind.applies_to))
    return out


# -- province -----------------------------------------------------------------------


class UnitData(NamedTuple):
    """One reporting unit's values for the province computation. ``absorbed``: what the agencies
    merged into this one during the year reported for the year before (their own last reports);
    it joins this unit's base in the province's growth sums when that base is this unit's own last
    report, so that a growth across a merger compares the same agencies in both years."""

    org: str
    kind: str
    values: Values
    prev: Values | None = None
    absorbed: Values | None = None


def _with_kinds(catalog: Catalog, units: Sequence[UnitData]) -> list[UnitData]:
    """Each unit's values through :func:`with_kind`, done once for every indicator of a province
    computation (once per indicator made it ~60 % of consolidating a year of 50 agencies)."""
    return [
        UnitData(
            u.org,
            u.kind,
            with_kind(catalog, u.kind, u.values) or {},
            with_kind(catalog, u.kind, u.prev),
            u.absorbed,
        )
        for u in units
    ]


def _province_value(
    catalog: Catalog, ind: Indicator, kinded: Sequence[UnitData], own: Values
) -> tuple[Num, int | None, int | None]:
    """(value, count, denominator) of ``ind`` for the province.

    Shares count the agencies that meet the condition among those it applies to and that
    reported it; sums and growth add the agencies' figures; department indicators use the
    Sở's own province-level facts (``own``). ``kinded`` comes from :func:`_with_kinds`.
    """
    if "department" in ind.applies_to:
        return agency_value(catalog, ind, own, None), None, None
    applicable = [u for u in kinded if u.kind in ind.applies_to]
    return _PROVINCE[ind.compute.type](catalog, ind.compute, applicable)


Province = tuple[Num, int | None, int | None]


def _province_split(catalog: Catalog, c: SplitSpec, units: Sequence[UnitData]) -> Province:
    return _split([u.values for u in units], c), None, None


def _pooled(pairs: Iterable[tuple[Num, Num]]) -> tuple[Fraction, Fraction] | _NotApplicable | None:
    """Each agency's (figure, base) summed over the agencies that have both: the province's ratio
    and growth pool the agencies' figures. NA when none has both and some agency's do not apply
    (not judged); None when none has both."""
    top = bottom = Fraction(0)
    any_ = na = False
    for a, b in pairs:
        if isinstance(a, Fraction) and isinstance(b, Fraction):
            top += a
            bottom += b
            any_ = True
        na = na or a is NA or b is NA
    if any_:
        return top, bottom
    return NA if na else None


def _province_ratio(catalog: Catalog, c: RatioSpec, units: Sequence[UnitData]) -> Province:
    pooled = _pooled((_num(u.values.get(c.num)), _num(u.values.get(c.den))) for u in units)
    if not isinstance(pooled, tuple):
        return pooled, None, None
    num, den = pooled
    return (num / den * 100 if den else None), None, None


def _growth_pair(catalog: Catalog, c: GrowthSpec, u: UnitData) -> tuple[Num, Num]:
    """An agency's figure this year and its base (last year's figure)."""
    a = _num(u.values.get(c.element))
    b = _num(previous_value(catalog, c.element, u.values, u.prev))
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        # The merged agencies' own last figures join a base read from this agency's own last
        # report; a base typed in this report (a new agency) already covers them.
        own_report = u.prev is not None and c.element in u.prev
        merged = _num((u.absorbed or {}).get(c.element)) if own_report else None
        b += merged if isinstance(merged, Fraction) else 0
    return a, b


def _province_growth(catalog: Catalog, c: GrowthSpec, units: Sequence[UnitData]) -> Province:
    pooled = _pooled(_growth_pair(catalog, c, u) for u in units)
    if not isinstance(pooled, tuple):
        return pooled, None, None
    cur, before = pooled
    return (((cur / before) - 1) * 100 if before else None), None, None


def _province_flag(catalog: Catalog, c: FlagSpec, units: Sequence[UnitData]) -> Province:
    # A flag is the Sở's own fact (answered above from ``own``); agencies do not add up to one.
    return None, None, None


def _holds(catalog: Catalog, c: CountSpec | ShareSpec, units: Sequence[UnitData]) -> tuple[int, int] | Num:
    """(agencies meeting the condition, agencies counted), or NA when every one is "không áp
    dụng", or None when the indicator applies to none.

    Every agency the indicator applies to counts in the denominator: one whose value is "không áp
    dụng" (or cannot be computed, a growth from 0) does not meet the condition; it is not dropped
    from the share (dropping it turned 2 of 3 into 2 of 2 = 100 %)."""
    holds = [condition_holds(catalog, c.condition, u.values, u.prev) for u in units]
    if not holds:
        return None
    if all(h is NA for h in holds):
        return NA
    return sum(1 for h in holds if h is True), len(holds)


def _province_count(catalog: Catalog, c: CountSpec, units: Sequence[UnitData]) -> Province:
    counted = _holds(catalog, c, units)
    if not isinstance(counted, tuple):
        return counted, None, None
    met, of = counted
    return Fraction(met), met, of


def _province_share(catalog: Catalog, c: ShareSpec, units: Sequence[UnitData]) -> Province:
    counted = _holds(catalog, c, units)
    if not isinstance(counted, tuple):
        return counted, None, None
    met, of = counted
    return Fraction(met * 100, of) - c.baseline, met, of


_PROVINCE: dict[str, Callable[[Catalog, Any, Sequence[UnitData]], Province]] = {
    SplitSpec.type: _province_split,
    RatioSpec.type: _province_ratio,
    GrowthSpec.type: _province_growth,
    FlagSpec.type: _province_flag,
    CountSpec.type: _province_count,
    ShareSpec.type: _province_share,
}


def compute_province(
    catalog: Catalog,
    year: int,
    units: Sequence[UnitData],
    own: Values,
    prev_units: Sequence[UnitData] = (),
    prev_own: Values | None = None,
    expected_kinds: Sequence[str] | None = None,
) -> list[IndicatorResult]:
    """Every indicator for the province from the agencies' data and the Sở's own facts.

    ``expected_kinds`` lists the kind of every agency expected to report this year: while fewer
    of an indicator's kinds have reported, its value is provisional ("tạm tính (n/N cơ quan)")."""
    out = []
    kinded, prev_kinded = _with_kinds(catalog, units), _with_kinds(catalog, prev_units)
    for ind in catalog.indicators:
        v, count, of = _province_value(catalog, ind, kinded, own)
        pv: Num = None
        if prev_units or prev_own:
            pv, _, _ = _province_value(catalog, ind, prev_kinded, prev_own or {})
        reported = expected = None
        if expected_kinds is not None and "department" not in ind.applies_to:
            expected = sum(1 for k in expected_kinds if k in ind.applies_to)
            reported = sum(1 for u in units if u.kind in ind.applies_to)
        out.append(_result(ind, year, v, pv, count, of, reported=reported, expected=expected))
    return out


# -- display ------------------------------------------------------------------------


def display_decimals(ind: Indicator, value: Fraction, year: int) -> int:
    """Decimals a percent value needs to agree with its verdict for ``year``, or with the plan's
    next goal in a year without a target (workbook formats)."""
    return _agreeing(value, ind, compared_target(ind, year))


def _agreeing(value: Fraction, ind: Indicator, target: Fraction | None) -> int:
    """Decimals to print ``value`` with so that the printed number and the verdict agree for a
    reader: 99,96 % against 100 % prints "99,96%", never "100,0%" beside "Chưa đạt"."""
    if target is None:
        return 1
    ok = meets(ind, value, target)
    for decimals in range(1, 7):
        scale = 10**decimals
        # Rounded half away from zero, as format_number prints it.
        shown = Fraction(math.floor(abs(value) * scale + Fraction(1, 2)), scale) * (1 if value >= 0 else -1)
        if meets(ind, shown, target) == ok:
            return decimals
    return 6


def _percent(ind: Indicator, value: Fraction, decimals: int) -> str:
    """A percent value in the indicator's unit ("điểm %" for a difference of percentages)."""
    if ind.unit == "điểm %":
        return f"{format_number(value, decimals)} điểm %"
    return format_percent(value, decimals)


def is_agency_part(ind: Indicator, of: int | None) -> bool:
    """One agency's value of a share or count of agencies (no denominator): it has no figure of
    its own, only its part in the province's, printed "Có" or "Không" everywhere."""
    return ind.compute.type in ("share", "count") and not of


def format_indicator_value(
    ind: Indicator,
    value: Fraction | None,
    na: bool = False,
    *,
    count: int | None = None,
    of: int | None = None,
    year: int | None = None,
) -> str:
    """An indicator's value as printed: ``66,7% (2/3 cơ quan)``, ``58,3%/41,7%``, ``1 (33,3%)``.

    With ``year`` the value prints with as many decimals as it takes to agree with its verdict
    against that year's target (or, past the yearly targets, the plan's next goal). One agency's share or count (no denominator) prints as what the
    agency contributes: ``Có`` or ``Không``."""
    if na:
        return "Không áp dụng"
    if value is None:
        return "—"
    target = compared_target(ind, year) if year is not None else None
    ctype = ind.compute.type
    if ind.display == "split":
        d = _agreeing(value, ind, target)
        return f"{format_percent(value, d)}/{format_percent(100 - value, d)}"
    if is_agency_part(ind, of):
        baseline = ind.compute.baseline if isinstance(ind.compute, ShareSpec) else 0
        return "Có" if value + baseline > 0 else "Không"
    if ind.display == "count_share":
        if of:
            return f"{format_number(value)} ({format_percent(Fraction(int(value) * 100, of))})"
        return format_number(value)
    if ind.display == "count":
        return format_number(value)
    text = _percent(ind, value, _agreeing(value, ind, target))
    if ctype == "share" and of:
        if count is not None:
            text += f" ({count}/{of} cơ quan)"
    return text


def format_target(ind: Indicator, year: int) -> str:
    """The year's target as the plan writes it (``65%/35%``, ``1 (33%)``, ``5-10%``), with the
    fraction of agencies it stands for where the plan meant one (``2/3 cơ quan (67%)``)."""
    if year in ind.target_labels:
        return ind.target_labels[year]
    t = ind.target(year)
    if t is None:
        return "—"
    tf = Fraction(str(t))
    decimals = 0 if tf.denominator == 1 else 1
    if year in ind.target_fractions:
        f = ind.target_fractions[year]
        return f"{f.numerator}/{f.denominator} cơ quan ({format_number(tf, decimals)}%)"
    if ind.display == "split":
        return f"{format_number(tf, decimals)}%/{format_number(100 - tf, decimals)}%"
    if ind.display in ("count", "count_share"):
        return format_number(tf, decimals)
    if ind.unit == "điểm %":
        return f"{format_number(tf, decimals)} điểm %"
    return f"{format_number(tf, decimals)}%"


# -- towards the plan's next goal ----------------------------------------------------------


def next_goal(ind: Indicator, year: int) -> int | None:
    """The first later year the catalogue gives ``ind`` a goal for, in figures or in words (the
    plan's 2030 goal after its yearly targets end), or None. Read from the data: an edition that
    adds yearly targets for 2026-2030 makes each year its own target and this is no longer asked.
    What is shown for it is :mod:`kdx_desktop.core.goals`."""
    later = [y for y in (*ind.targets, *ind.goal_texts) if y > year]
    return min(later) if later else None


def compared_target(ind: Indicator, year: int) -> Fraction | None:
    """The figure a value of ``year`` is read against: the year's own target, else the figure of
    the plan's next goal (a value printed 89,96% beside "còn cách mục tiêu 90%" must not round to
    "90,0%"); None when neither is a number."""
    own = ind.exact_target(year)
    if own is not None:
        return own
    goal = next_goal(ind, year)
    return None if goal is None else ind.exact_target(goal)
