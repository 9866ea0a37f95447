"""Validation: one rule set, run live at the agency, before export, and again at the Sở.

Modelled on DHIS2 validation rules: each rule has a code, a severity, what it compares, how a
missing value is handled (a comparison with a missing or not-applicable side is skipped: the
"required" check reports missing values once) and a message written for an officer.
Errors block export; warnings need a written justification, stored with the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from .catalog import Catalog, Rule
from .compute import NOT_MET, IndicatorResult, compare, format_indicator_value, format_target, previous_value
from .numbers import format_percent, format_plain
from .values import NA, Value, ValueError_, check_value, display, field_for_key, justification_key

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
        return format_plain(v)
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
                        f"Chưa nhập “{spec.label}” của nhiệm vụ {task.no} ({task.code}).",
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
    except ValueError_ as exc:
        issues.append(Issue(RANGE_RULE, ERROR, key, f"“{exc.label}”: {exc.reason}."))


def _operand(op: Mapping[str, Any], entries: Mapping[str, Value], year: int) -> Any:
    if "el" in op:
        return entries.get(op["el"])
    if op.get("year"):
        return year
    return op.get("value")


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
    s = rule.spec
    if rule.type in ("compare", "required_if") and s["field"] not in applicable:
        return []
    if rule.type == "compare":
        left = _operand(s["left"], entries, year)
        right = _operand(s["right"], entries, year)
        if left is None or right is None or left is NA or right is NA:
            return []
        if compare(left, s["op"], right):
            return []
        msg = rule.message.format(
            left=_fmt(left, s["field"], catalog),
            right=_fmt(right, s["right"].get("el", s["field"]), catalog)
            if "el" in s["right"]
            else str(right),
        )
        return [Issue(rule.code, rule.severity, s["field"], msg)]
    if rule.type == "required_if":
        w = s["when"]
        cond = entries.get(w["el"])
        if cond is None or cond is NA or not compare(cond, w["op"], w["value"]):
            return []
        if entries.get(s["field"]) not in (None, ""):
            return []
        return [Issue(rule.code, rule.severity, s["field"], rule.message)]
    if rule.type == "indicator_range":
        out = []
        for code in s["indicators"]:
            r = results.get(code)
            if r is None or r.value is None:
                continue
            if r.value < Fraction(s["min"]) or r.value > Fraction(s["max"]):
                value = ("+" if r.value > 0 else "") + format_percent(r.value)
                out.append(Issue(rule.code, rule.severity, code, rule.message.format(value=value)))
        return out
    if rule.type == "target_not_met":
        out = []
        for r in results.values():
            if r.status != NOT_MET:
                continue
            ind = catalog.indicator(r.code)
            msg = rule.message.format(
                year=year,
                value=format_indicator_value(ind, r.value, r.na, count=r.count, of=r.of),
                target=format_target(ind, year),
            )
            out.append(Issue(rule.code, rule.severity, r.code, msg))
        return out
    if rule.type == "far_from_prev":
        out = []
        for code in s["elements"]:
            if code not in applicable or prev is None:
                continue
            cur, before = entries.get(code), previous_value(catalog, code, entries, prev)
            if not isinstance(cur, int | Decimal) or not isinstance(before, int | Decimal) or before == 0:
                continue
            if abs(Fraction(cur) / Fraction(before) - 1) > Fraction(str(s["ratio"])):
                msg = rule.message.format(value=format_plain(cur), prev=format_plain(before))
                out.append(Issue(rule.code, rule.severity, code, msg))
        return out
    return []  # pragma: no cover - the loader admits only the types above


def summary(issues: Sequence[Issue]) -> dict[str, int]:
    """Counts shown in the window and printed by ``validate``."""
    errors = sum(1 for i in issues if i.severity == ERROR)
    warnings = [i for i in issues if i.severity == WARNING]
    unjustified = sum(1 for i in warnings if not i.justification.strip())
    return {"errors": errors, "warnings": len(warnings), "unjustified": unjustified}


def can_export(issues: Sequence[Issue]) -> bool:
    return not any(i.blocks_export for i in issues)
