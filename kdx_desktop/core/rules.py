"""Validation: one rule set, run live at the agency, before export, and again at the Sở.

Modelled on DHIS2 validation rules: each rule has a code, a severity, what it compares, how a
missing value is handled (a comparison with a missing or not-applicable side is skipped: the
"required" check reports missing values once) and a message written for an officer.
Errors block export; warnings need a written justification, stored with the report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from .catalog import Catalog, Rule
from .catalog_specs import (
    CompareRule,
    FarFromPrevRule,
    IndicatorRangeRule,
    NaReasonRule,
    Operand,
    RequiredIfRule,
    TargetNotMetRule,
)
from .compute import NOT_MET, IndicatorResult, compare, format_indicator_value, format_target, previous_value
from .numbers import format_percent, format_plain
from .values import (
    NA,
    InvalidValue,
    Value,
    check_value,
    display,
    field_for_key,
    justification_key,
    plain_number,
)

ERROR, WARNING = "error", "warning"
REQUIRED_RULE = "E_REQUIRED"
RANGE_RULE = "E_RANGE"


class Issue(NamedTuple):
    """One problem found in a report. ``field`` is the key to jump to."""

    rule: str
    severity: str
    field: str
    message: str
    justification: str = ""

    @property
    def key(self) -> str:
        return justification_key(self.rule, self.field)

    @property
    def blocks_export(self) -> bool:
        """Errors block; so does a warning nobody has explained."""
        return self.severity == ERROR or not self.justification.strip()

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "field": self.field,
            "message": self.message,
            "justification": self.justification or None,
        }


def _fmt(v: Any, field_key: str, catalog: Catalog) -> str:
    if isinstance(v, bool) or v is NA:
        return display(field_for_key(catalog, field_key), v)
    if isinstance(v, int | Decimal):
        return plain_number(field_for_key(catalog, field_key), v)  # a year stays 2025
    return str(v)


def validate(
    catalog: Catalog,
    org_kind: str,
    year: int,
    entries: Mapping[str, Value],
    indicators: Sequence[IndicatorResult],
    prev: Mapping[str, Value] | None = None,
) -> list[Issue]:
    """Every issue of a report. ``entries`` holds every key (elements, tasks, narrative,
    justifications); ``prev`` is last year's report values when KDX has them."""
    issues: list[Issue] = []
    applicable = {e.code for e in catalog.elements_for(org_kind)}

    # Required and well-formed values.
    for code in sorted(applicable, key=list(catalog.elements).index):
        el = catalog.elements[code]
        if el.prev_of and prev is not None and el.prev_of in prev:
            continue  # last year's report supplies it
        v = entries.get(code)
        if v is None:
            if el.required:
                issues.append(Issue(REQUIRED_RULE, ERROR, code, f"Chưa nhập “{el.label}”."))
            continue
        _check_stored(catalog, code, entries, issues)
    for task in catalog.tasks_led_by(org_kind, year):
        for spec in catalog.task_fields:
            key = f"task.{task.code}.{spec.code}"
            _check_stored(catalog, key, entries, issues)
            if spec.required and entries.get(key) is None:
                issues.append(
                    Issue(
                        REQUIRED_RULE,
                        ERROR,
                        key,
                        f"Chưa nhập “{spec.label}” của {task.in_sentence}.",
                    )
                )
    for spec in catalog.narrative:
        key = f"narrative.{spec.code}"
        _check_stored(catalog, key, entries, issues)
        if spec.required and not str(entries.get(key) or "").strip():
            issues.append(Issue(REQUIRED_RULE, ERROR, key, f"Chưa nhập phần “{spec.label}”."))

    results = {r.code: r for r in indicators}
    for rule in catalog.rules:
        issues.extend(_run_rule(catalog, rule, org_kind, year, entries, applicable, results, prev))

    # Attach the justifications already written (each checked like any stored text first).
    for key in [k for k in entries if k.startswith("justification.")]:
        _check_stored(catalog, key, entries, issues)
    out = []
    for issue in issues:
        text = entries.get(issue.key) if issue.severity == WARNING else None
        out.append(
            Issue(issue.rule, issue.severity, issue.field, issue.message, str(text or "")) if text else issue
        )
    return out


def _check_stored(catalog: Catalog, key: str, entries: Mapping[str, Value], issues: list[Issue]) -> None:
    """A stored value that its field would not accept now (out of range, "không áp dụng" where it
    is not allowed, text pasted in TCVN3 before that check existed…) is an error to put right
    before the export, whatever kind of key it is."""
    v = entries.get(key)
    if v is None:
        return
    try:
        check_value(field_for_key(catalog, key), v)
    except InvalidValue as exc:
        issues.append(Issue(RANGE_RULE, ERROR, key, f"“{exc.label}”: {exc.reason}."))


def _operand(op: Operand, entries: Mapping[str, Value], year: int) -> Any:
    if op.element is not None:
        return entries.get(op.element)
    if op.year:
        return year
    return op.value


class _Report(NamedTuple):
    """What a rule looks at in one report."""

    catalog: Catalog
    year: int
    entries: Mapping[str, Value]
    applicable: set[str]
    results: Mapping[str, IndicatorResult]
    prev: Mapping[str, Value] | None


def _run_rule(
    catalog: Catalog,
    rule: Rule,
    kind: str,
    year: int,
    entries: Mapping[str, Value],
    applicable: set[str],
    results: Mapping[str, IndicatorResult],
    prev: Mapping[str, Value] | None,
) -> list[Issue]:
    return _RUNNERS[rule.type](rule, rule.spec, _Report(catalog, year, entries, applicable, results, prev))


def _compare(rule: Rule, s: CompareRule, r: _Report) -> list[Issue]:
    if s.field not in r.applicable:
        return []
    left = _operand(s.left, r.entries, r.year)
    right = _operand(s.right, r.entries, r.year)
    if left is None or right is None or left is NA or right is NA:
        return []
    if compare(left, s.op, right):
        return []
    msg = rule.message.format(
        left=_fmt(left, s.field, r.catalog),
        right=_fmt(right, s.right.element, r.catalog) if s.right.element is not None else str(right),
    )
    return [Issue(rule.code, rule.severity, s.field, msg)]


def _required_if(rule: Rule, s: RequiredIfRule, r: _Report) -> list[Issue]:
    if s.field not in r.applicable:
        return []
    cond = r.entries.get(s.when.element)
    if cond is None or cond is NA or not compare(cond, s.when.op, s.when.value):
        return []
    if r.entries.get(s.field) not in (None, ""):
        return []
    return [Issue(rule.code, rule.severity, s.field, rule.message)]


def _indicator_range(rule: Rule, s: IndicatorRangeRule, r: _Report) -> list[Issue]:
    out = []
    for code in s.indicators:
        res = r.results.get(code)
        if res is None or res.value is None:
            continue
        if res.value < s.min or res.value > s.max:
            value = ("+" if res.value > 0 else "") + format_percent(res.value)
            out.append(Issue(rule.code, rule.severity, code, rule.message.format(value=value)))
    return out


def _target_not_met(rule: Rule, s: TargetNotMetRule, r: _Report) -> list[Issue]:
    out = []
    for res in r.results.values():
        if res.status != NOT_MET:
            continue
        ind = r.catalog.indicator(res.code)
        msg = rule.message.format(
            year=r.year,
            value=format_indicator_value(ind, res.value, res.na, count=res.count, of=res.of, year=r.year),
            target=format_target(ind, r.year),
        )
        out.append(Issue(rule.code, rule.severity, res.code, msg))
    return out


def _far_from_prev(rule: Rule, s: FarFromPrevRule, r: _Report) -> list[Issue]:
    out = []
    for code in s.elements:
        if code not in r.applicable or r.prev is None:
            continue
        cur, before = r.entries.get(code), previous_value(r.catalog, code, r.entries, r.prev)
        if not isinstance(cur, int | Decimal) or not isinstance(before, int | Decimal) or before == 0:
            continue
        if abs(Fraction(cur) / Fraction(before) - 1) > s.ratio:
            msg = rule.message.format(value=format_plain(cur), prev=format_plain(before))
            out.append(Issue(rule.code, rule.severity, code, msg))
    return out


# One function per rule type (the catalogue reader refuses any other; a test checks the table
# covers every type the reader knows). Each function's spec argument is its own record type.
def _na_reason(rule: Rule, s: NaReasonRule, r: _Report) -> list[Issue]:
    """Each required input the agency marked "Không áp dụng": its reason is the justification."""
    out = []
    for code in sorted(r.applicable, key=list(r.catalog.elements).index):
        el = r.catalog.elements[code]
        if el.required and r.entries.get(code) is NA:
            out.append(Issue(rule.code, rule.severity, code, rule.message.format(label=el.label)))
    return out


_RUNNERS: dict[str, Callable[[Rule, Any, _Report], list[Issue]]] = {
    CompareRule.type: _compare,
    RequiredIfRule.type: _required_if,
    IndicatorRangeRule.type: _indicator_range,
    TargetNotMetRule.type: _target_not_met,
    FarFromPrevRule.type: _far_from_prev,
    NaReasonRule.type: _na_reason,
}


def na_reason_key(catalog: Catalog, code: str) -> str | None:
    """Where the reason for marking data element ``code`` "Không áp dụng" is kept: the
    justification of the catalogue's ``na_reason`` rule (W04) for it. None where the catalogue has
    no such rule or ``code`` is not a data element."""
    rule = next((r for r in catalog.rules if r.type == NaReasonRule.type), None)
    if rule is None or code not in catalog.elements:
        return None
    return justification_key(rule.code, code)


def na_reasons(catalog: Catalog, entries: Mapping[str, Value], codes: Sequence[str]) -> list[tuple[str, str]]:
    """(element code, reason written) of each of ``codes`` marked "Không áp dụng"; the reason is
    "" while none is written (an optional input needs none)."""
    out = []
    for code in codes:
        if entries.get(code) is NA:
            key = na_reason_key(catalog, code)
            reason = entries.get(key) if key is not None else None
            out.append((code, str(reason).strip() if isinstance(reason, str) else ""))
    return out


def summary(issues: Sequence[Issue]) -> dict[str, int]:
    """Counts shown in the window and printed by ``validate``."""
    errors = sum(1 for i in issues if i.severity == ERROR)
    warnings = [i for i in issues if i.severity == WARNING]
    unjustified = sum(1 for i in warnings if not i.justification.strip())
    return {"errors": errors, "warnings": len(warnings), "unjustified": unjustified}


def can_export(issues: Sequence[Issue]) -> bool:
    return not any(i.blocks_export for i in issues)


def involved_fields(catalog: Catalog, issue: Issue) -> list[str]:
    """Every report field ``issue`` is about, its own field first: a comparison of two fields
    (trained ≤ total) involves both, a "required if" the field and the one that requires it."""
    keys = [issue.field]
    spec = next((r.spec for r in catalog.rules if r.code == issue.rule), None)
    if isinstance(spec, CompareRule):
        keys += [op.element for op in (spec.left, spec.right) if op.element is not None]
    elif isinstance(spec, RequiredIfRule):
        keys.append(spec.when.element)
    return list(dict.fromkeys(keys))
