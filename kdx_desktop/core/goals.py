"""Years without a target of their own: the plan's next goal, and how far the value is from it.

The plan sets yearly targets for 2023-2025 (Phụ lục 1, Mục II.1) and goals to 2030 (Mục II.2).
For a year between them (2026-2029) each indicator is shown against the next goal the catalogue
gives it: its figure and the exact distance still to go, or the plan's own sentence where it
states the goal only in words, or, where the plan sets nothing later, the last target it set.

This module is the one source of those words for the window, the agency's PDF and workbook and
the Sở's consolidated PDF and workbook; :data:`GAP_NOTE` says the same in "Phương pháp tính".
The gap is computed exactly (fractions) and rounded only when printed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from .catalog import Indicator
from .catalog_specs import ShareSpec
from .compute import (
    CONTRIBUTES,
    MISSING,
    NO_TARGET,
    NOT_APPLICABLE,
    STATUS_LABELS,
    IndicatorResult,
    format_target,
    meets,
    next_goal,
)
from .numbers import format_number

WORDED = "Mục tiêu định tính, không so sánh bằng số"

GAP_NOTE = (
    "Năm không có chỉ tiêu riêng (sau các chỉ tiêu hằng năm đến 2025) được so với mục tiêu gần nhất "
    "về sau của Kế hoạch (mục tiêu đến 2030): khoảng cách = mục tiêu − kết quả (với chỉ tiêu càng thấp "
    "càng tốt: kết quả − mục tiêu), tính chính xác rồi mới làm tròn khi in, theo đơn vị của chỉ tiêu "
    "(điểm phần trăm với chỉ tiêu tính bằng %); với tỷ lệ cơ quan, ghi thêm số cơ quan còn cần đạt. "
    "Khi kết quả không kém mục tiêu thì ghi “Đã đạt mục tiêu”. Mục tiêu Kế hoạch chỉ nêu bằng lời được "
    "in nguyên văn, không tính khoảng cách và không đánh giá Đạt/Chưa đạt. Chỉ tiêu mà Kế hoạch không "
    "đặt mục tiêu nào về sau thì ghi chỉ tiêu của năm cuối cùng Kế hoạch đặt, để tham khảo."
)


@dataclass(frozen=True)
class Towards:
    """An indicator in a year without a target of its own, as every document prints it."""

    aim: str  # the target cell: "Mục tiêu 2030: 100%", "Mục tiêu đến 2030: …", "Chỉ tiêu 2025: 20%"
    verdict: str  # the verdict cell: the gap, "Đã đạt mục tiêu 2030", "Tỉnh đánh giá", …
    goal_year: int | None  # the goal's year; None when the plan sets nothing later
    target: Fraction | None = None  # the goal's figure, compared exactly; None for words or none
    gap: Fraction | None = None  # exact distance still to go, in the indicator's unit
    agencies_short: int | None = None  # a share of agencies: how many more the goal needs
    worded: bool = False  # the plan states the goal only in words
    met: bool = False  # the value already meets the goal


def gap_decimals(gap: Fraction) -> int:
    """Decimals a gap is printed with: one, or as many as it takes not to read as zero."""
    decimals = 0 if gap.denominator == 1 else 1
    while decimals < 4 and format_number(gap, decimals).strip("0,.") == "":
        decimals += 1
    return decimals


def gap_unit(ind: Indicator) -> str:
    """The unit of a gap: the indicator's own for a count, percentage points for a percent."""
    return ind.unit if ind.display in ("count", "count_share") else "điểm %"


def _gap_text(ind: Indicator, gap: Fraction) -> str:
    """A gap in the indicator's own terms, with enough decimals not to read as zero."""
    return f"{format_number(gap, gap_decimals(gap))} {gap_unit(ind)}"


def _agencies_short(ind: Indicator, res: IndicatorResult, target: Fraction) -> int | None:
    """For a share of the province's agencies: how many more agencies must meet the condition
    for the share to reach ``target`` (of the ``of`` agencies counted this year)."""
    if not isinstance(ind.compute, ShareSpec) or not res.of or res.count is None:
        return None
    needed = math.ceil((target + ind.compute.baseline) * res.of / 100)
    return max(needed - res.count, 0)


def towards(ind: Indicator, res: IndicatorResult, year: int, *, agency: bool) -> Towards | None:
    """What to print for ``ind`` in ``year`` when the year has no target of its own; None when it
    has one (the usual target and verdict apply) or the catalogue gives the indicator no target
    at all. ``agency``: the value is one agency's, which is not judged against a goal of the whole
    province (it only contributes to it)."""
    if ind.exact_target(year) is not None or year in ind.goal_texts:
        return None
    goal = next_goal(ind, year)
    if goal is None:
        earlier = [y for y in ind.targets if y < year]
        if not earlier:
            return None
        last = max(earlier)
        return Towards(
            f"Chỉ tiêu {last}: {format_target(ind, last)}", f"{STATUS_LABELS[NO_TARGET]} sau {last}", None
        )
    if goal in ind.goal_texts:
        return Towards(f"Mục tiêu đến {goal}: {ind.goal_texts[goal]}", WORDED, goal, worded=True)
    target = ind.exact_target(goal)
    assert target is not None  # next_goal found a year with a figure or with words
    aim = f"Mục tiêu {goal}: {format_target(ind, goal)}"
    if res.na:
        return Towards(aim, STATUS_LABELS[NOT_APPLICABLE], goal, target)
    if agency and not ind.binds_agency:
        return Towards(aim, STATUS_LABELS[CONTRIBUTES], goal, target)
    if res.value is None:
        return Towards(aim, STATUS_LABELS[MISSING], goal, target)
    # A province figure while expected agencies are missing is provisional, and so is its gap.
    provisional = res.expected is not None and res.reported is not None and res.reported < res.expected
    prefix = f"Tạm tính ({res.reported}/{res.expected} cơ quan): " if provisional else ""
    if meets(ind, res.value, target):
        said = f"đã đạt mục tiêu {goal}" if provisional else f"Đã đạt mục tiêu {goal}"
        return Towards(aim, prefix + said, goal, target, gap=Fraction(0), met=True)
    gap = target - res.value if ind.direction == "higher" else res.value - target
    short = _agencies_short(ind, res, target)
    text = f"còn cách mục tiêu {goal}: {_gap_text(ind, gap)}"
    if short:
        text += f" (cần thêm {short} cơ quan)"
    if not provisional:
        text = text[0].upper() + text[1:]
    return Towards(aim, prefix + text, goal, target, gap=gap, agencies_short=short)


def target_and_verdict(ind: Indicator, res: IndicatorResult, year: int, *, agency: bool) -> tuple[str, str]:
    """The target and verdict cells of an indicator row, as every document prints them: the
    year's own target and verdict, or, without one, :func:`towards`."""
    t = towards(ind, res, year, agency=agency)
    return (format_target(ind, year), res.status_label) if t is None else (t.aim, t.verdict)


__all__ = ["GAP_NOTE", "WORDED", "Towards", "gap_decimals", "gap_unit", "target_and_verdict", "towards"]
