"""How an indicator is computed and what a rule checks, as typed records.

The catalogue file writes each as a JSON object with a ``type``. Each type has one record here and
one reader in :data:`COMPUTE_READERS` / :data:`RULE_READERS`; the computation and the validation
keep one dispatch table each, keyed by the same type names. A new indicator or rule of an existing
type is data only; a type not listed here is refused when the catalogue is read (a catalogue made
for a later program cannot be judged by this one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from ..errors import KdxError
from .text import nfc

OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in")


class CatalogError(KdxError, ValueError):
    """The catalogue file is malformed; the message names the entry."""

    usage = True


# -- shared parts ---------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """``element op value``, or the year-on-year growth of ``element`` (percent) ``op value``."""

    element: str
    op: str
    value: Any
    on_growth: bool = False

    def as_json(self) -> dict[str, Any]:
        return {("growth" if self.on_growth else "el"): self.element, "op": self.op, "value": self.value}


@dataclass(frozen=True)
class Operand:
    """One side of a comparison rule: an element's value, the report's year, or a constant."""

    element: str | None = None
    year: bool = False
    value: Any = None

    def as_json(self) -> dict[str, Any]:
        if self.element is not None:
            return {"el": self.element}
        if self.year:
            return {"year": True}
        return {"value": self.value}


# -- compute specifications -----------------------------------------------------------


@dataclass(frozen=True)
class SplitSpec:
    """City share of a city/rural total (percent); the rest is rural."""

    type: ClassVar[str] = "split"
    city: tuple[str, ...]
    rural: tuple[str, ...]

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.city + self.rural


@dataclass(frozen=True)
class RatioSpec:
    """``num / den`` in percent (summed over agencies at province level)."""

    type: ClassVar[str] = "ratio"
    num: str
    den: str

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.num, self.den)


@dataclass(frozen=True)
class GrowthSpec:
    """Growth of ``element`` over last year, in percent."""

    type: ClassVar[str] = "growth"
    element: str

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.element,)


@dataclass(frozen=True)
class FlagSpec:
    """A yes/no fact (1 or 0), usually the Sở's own."""

    type: ClassVar[str] = "flag"
    element: str

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.element,)


@dataclass(frozen=True)
class ShareSpec:
    """Percent of agencies meeting ``condition`` (100 or 0 for one agency), less ``baseline``."""

    type: ClassVar[str] = "share"
    condition: Condition
    baseline: Fraction = Fraction(0)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.condition.element,)


@dataclass(frozen=True)
class CountSpec:
    """Number of agencies meeting ``condition`` (1 or 0 for one agency)."""

    type: ClassVar[str] = "count"
    condition: Condition

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.condition.element,)


ComputeSpec = SplitSpec | RatioSpec | GrowthSpec | FlagSpec | ShareSpec | CountSpec


# -- rule specifications --------------------------------------------------------------


@dataclass(frozen=True)
class CompareRule:
    """``left op right`` must hold for ``field``; skipped while a side is missing or NA."""

    type: ClassVar[str] = "compare"
    field: str
    left: Operand
    op: str
    right: Operand


@dataclass(frozen=True)
class RequiredIfRule:
    """``field`` must be filled when ``when`` holds."""

    type: ClassVar[str] = "required_if"
    field: str
    when: Condition


@dataclass(frozen=True)
class IndicatorRangeRule:
    """Each listed indicator's value should lie within ``[min, max]``."""

    type: ClassVar[str] = "indicator_range"
    indicators: tuple[str, ...]
    min: Fraction
    max: Fraction


@dataclass(frozen=True)
class TargetNotMetRule:
    """Every indicator judged "Chưa đạt" raises this rule (a justification is asked for)."""

    type: ClassVar[str] = "target_not_met"


@dataclass(frozen=True)
class FarFromPrevRule:
    """The listed elements should not move more than ``ratio`` from last year's value."""

    type: ClassVar[str] = "far_from_prev"
    elements: tuple[str, ...]
    ratio: Fraction


@dataclass(frozen=True)
class NaReasonRule:
    """A required input marked "Không áp dụng" needs a reason (the warning's justification):
    "not applicable" is a statement, not a blank."""

    type: ClassVar[str] = "na_reason"


RuleSpec = (
    CompareRule | RequiredIfRule | IndicatorRangeRule | TargetNotMetRule | FarFromPrevRule | NaReasonRule
)


# -- readers --------------------------------------------------------------------------


def req(obj: Mapping[str, Any], key: str, where: str, typ: type | tuple[type, ...] = str) -> Any:
    """``obj[key]``, refused with a message naming ``where`` when missing, mistyped or not NFC."""
    if not isinstance(obj, Mapping):
        raise CatalogError(f"{where}: phải là một đối tượng JSON")
    if key not in obj:
        raise CatalogError(f"{where}: thiếu trường “{key}”")
    val = obj[key]
    if not isinstance(val, typ) or (typ is int and isinstance(val, bool)):
        raise CatalogError(f"{where}: trường “{key}” sai kiểu")
    if isinstance(val, str):
        if val != nfc(val):
            raise CatalogError(f"{where}: trường “{key}” không ở dạng Unicode NFC")
        if key in ("code", "label", "name", "title") and not val.strip():
            raise CatalogError(f"{where}: trường “{key}” để trống")
    return val


def _element(code: Any, where: str, elements: Mapping[str, Any], what: str = "chỉ số") -> str:
    if not isinstance(code, str) or code not in elements:
        raise CatalogError(f"{where}: {what} “{code}” không tồn tại")
    return code


def _exact(v: Any, where: str, key: str) -> Fraction:
    """A JSON number as an exact fraction (``0.5`` is 1/2, as written, not the float's binary value)."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise CatalogError(f"{where}: trường “{key}” phải là một số")
    return Fraction(str(v))


def _condition(c: Any, where: str, elements: Mapping[str, Any]) -> Condition:
    if not isinstance(c, Mapping) or c.get("op") not in OPERATORS or "value" not in c:
        raise CatalogError(f"{where}: điều kiện không hợp lệ")
    on_growth = "growth" in c
    ref = c.get("growth") if on_growth else c.get("el")
    code = _element(ref, where, elements, "tham chiếu chỉ số nhập liệu")
    return Condition(code, c["op"], c["value"], on_growth)


def _refs(codes: Any, where: str, elements: Mapping[str, Any]) -> tuple[str, ...]:
    if not isinstance(codes, list):
        raise CatalogError(f"{where}: danh sách chỉ số nhập liệu không hợp lệ")
    return tuple(_element(c, where, elements, "tham chiếu chỉ số nhập liệu") for c in codes)


def _split(c: Mapping[str, Any], where: str, el: Mapping[str, Any]) -> ComputeSpec:
    return SplitSpec(_refs(c.get("city", []), where, el), _refs(c.get("rural", []), where, el))


def _ratio(c: Mapping[str, Any], where: str, el: Mapping[str, Any]) -> ComputeSpec:
    ref = "tham chiếu chỉ số nhập liệu"
    return RatioSpec(_element(c.get("num"), where, el, ref), _element(c.get("den"), where, el, ref))


def _growth(c: Mapping[str, Any], where: str, el: Mapping[str, Any]) -> ComputeSpec:
    return GrowthSpec(_element(c.get("element"), where, el, "tham chiếu chỉ số nhập liệu"))


def _flag(c: Mapping[str, Any], where: str, el: Mapping[str, Any]) -> ComputeSpec:
    return FlagSpec(_element(c.get("element"), where, el, "tham chiếu chỉ số nhập liệu"))


def _share(c: Mapping[str, Any], where: str, el: Mapping[str, Any]) -> ComputeSpec:
    return ShareSpec(
        _condition(c.get("condition"), where, el), _exact(c.get("baseline", 0), where, "baseline")
    )


def _count(c: Mapping[str, Any], where: str, el: Mapping[str, Any]) -> ComputeSpec:
    return CountSpec(_condition(c.get("condition"), where, el))


ComputeReader = Callable[[Mapping[str, Any], str, Mapping[str, Any]], ComputeSpec]
COMPUTE_READERS: dict[str, ComputeReader] = {
    SplitSpec.type: _split,
    RatioSpec.type: _ratio,
    GrowthSpec.type: _growth,
    ShareSpec.type: _share,
    CountSpec.type: _count,
    FlagSpec.type: _flag,
}
COMPUTE_TYPES = tuple(COMPUTE_READERS)


def read_compute(comp: Mapping[str, Any], where: str, elements: Mapping[str, Any]) -> ComputeSpec:
    """The typed compute specification of an indicator; an unknown type is refused."""
    reader = COMPUTE_READERS.get(str(comp.get("type")))
    if reader is None:
        raise CatalogError(
            f"{where}: cách tính “{comp.get('type')}” không hợp lệ "
            f"(chương trình này chỉ tính được: {', '.join(COMPUTE_TYPES)})"
        )
    return reader(comp, where, elements)


class _RuleContext:
    """What a rule reader checks references against."""

    def __init__(self, elements: Mapping[str, Any], indicators: set[str]) -> None:
        self.elements = elements
        self.indicators = indicators


def _operand(o: Any, where: str, ctx: _RuleContext) -> Operand:
    if not isinstance(o, Mapping):
        raise CatalogError(f"{where}: vế so sánh không hợp lệ")
    if "el" in o:
        return Operand(element=_element(o["el"], where, ctx.elements))
    if o.get("year"):
        return Operand(year=True)
    if "value" not in o:
        raise CatalogError(f"{where}: vế so sánh cần “el”, “year” hoặc “value”")
    return Operand(value=o["value"])


def _compare(r: Mapping[str, Any], where: str, ctx: _RuleContext) -> RuleSpec:
    fld = _element(req(r, "field", where), where, ctx.elements, "trường")
    if r.get("op") not in OPERATORS:
        raise CatalogError(f"{where}: phép so sánh “{r.get('op')}” không hợp lệ")
    left = _operand(req(r, "left", where, dict), where, ctx)
    right = _operand(req(r, "right", where, dict), where, ctx)
    return CompareRule(fld, left, r["op"], right)


def _required_if(r: Mapping[str, Any], where: str, ctx: _RuleContext) -> RuleSpec:
    fld = _element(req(r, "field", where), where, ctx.elements, "trường")
    when = req(r, "when", where, dict)
    if when.get("el") not in ctx.elements:
        raise CatalogError(f"{where}: điều kiện tham chiếu chỉ số không tồn tại")
    if when.get("op") not in OPERATORS or "value" not in when:
        raise CatalogError(f"{where}: điều kiện không hợp lệ")
    return RequiredIfRule(fld, Condition(when["el"], when["op"], when["value"]))


def _indicator_range(r: Mapping[str, Any], where: str, ctx: _RuleContext) -> RuleSpec:
    codes = tuple(req(r, "indicators", where, list))
    for c in codes:
        if c not in ctx.indicators:
            raise CatalogError(f"{where}: chỉ tiêu “{c}” không tồn tại")
    return IndicatorRangeRule(codes, _exact(r.get("min"), where, "min"), _exact(r.get("max"), where, "max"))


def _target_not_met(r: Mapping[str, Any], where: str, ctx: _RuleContext) -> RuleSpec:
    return TargetNotMetRule()


def _na_reason(r: Mapping[str, Any], where: str, ctx: _RuleContext) -> RuleSpec:
    return NaReasonRule()


def _far_from_prev(r: Mapping[str, Any], where: str, ctx: _RuleContext) -> RuleSpec:
    codes = tuple(_element(c, where, ctx.elements) for c in req(r, "elements", where, list))
    return FarFromPrevRule(codes, _exact(r.get("ratio"), where, "ratio"))


RuleReader = Callable[[Mapping[str, Any], str, _RuleContext], RuleSpec]
RULE_READERS: dict[str, RuleReader] = {
    CompareRule.type: _compare,
    RequiredIfRule.type: _required_if,
    IndicatorRangeRule.type: _indicator_range,
    TargetNotMetRule.type: _target_not_met,
    FarFromPrevRule.type: _far_from_prev,
    NaReasonRule.type: _na_reason,
}
RULE_TYPES = tuple(RULE_READERS)


def read_rule(
    r: Mapping[str, Any], where: str, elements: Mapping[str, Any], indicators: set[str]
) -> RuleSpec:
    """The typed specification of a rule; an unknown type is refused."""
    typ = req(r, "type", where)
    reader = RULE_READERS.get(typ)
    if reader is None:
        raise CatalogError(
            f"{where}: loại quy tắc “{typ}” không hợp lệ (chương trình này chỉ hiểu: {', '.join(RULE_TYPES)})"
        )
    return reader(r, where, _RuleContext(elements, indicators))
