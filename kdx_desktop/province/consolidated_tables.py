"""The consolidated report's tables as rows of text, and its title: what the PDF and the workbook
both print.

Each ``*_rows`` function returns a header row then the body rows, as plain strings; ``narratives``
gathers a narrative section's texts. The PDF (:mod:`.consolidated_pdf`) lays them out; the workbook
(:mod:`.consolidated_xlsx`) writes the rows it shares as cells. Neither renderer imports the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..core.catalog import Indicator
from ..core.compute import IndicatorResult, format_indicator_value
from ..core.goals import target_and_verdict
from ..core.values import NA, Value, display, field_for_key
from .consolidate import Consolidation
from .status import StatusRow

SUMMARY = "Tổng hợp kết quả thực hiện Kế hoạch chuyển đổi số và phát triển báo chí năm {year}"
TASK_STATUS_EMPTY = "Chưa báo cáo"


def _v(ind: Indicator, r: IndicatorResult | None, year: int) -> str:
    if r is None:
        return "—"
    return format_indicator_value(ind, r.value, r.na, count=r.count, of=r.of, year=year)


def indicator_table_rows(c: Consolidation, goals: bool, *, per_agency: bool = True) -> list[list[str]]:
    """Header row then one row per indicator: agencies' values, the province, target, verdict."""
    agencies = c.agencies if per_agency else []
    head = [
        "TT",
        "Chỉ tiêu",
        *[a.org.period(c.year).abbreviation for a in agencies],
        "Toàn tỉnh",
        "Chỉ tiêu năm",
        "Đánh giá",
    ]
    rows = [head]
    for ind, prov in c.indicator_rows(goals):
        cells = [ind.source, ind.short_label]
        for a in agencies:
            r = a.indicators.get(ind.code)
            cells.append(_v(ind, r, c.year) if r is not None else "—")
        # Past the yearly targets: the plan's next goal and the province's distance to it.
        cells += [_v(ind, prov, c.year), *target_and_verdict(ind, prov, c.year, agency=False)]
        rows.append(cells)
    return rows


def agency_table_rows(c: Consolidation, indicators: Sequence[Indicator]) -> list[list[str]]:
    """One row per agency, one column per indicator (the appendix used when agencies are many)."""
    rows = [["Cơ quan", *[i.source for i in indicators]]]
    for a in c.agencies:
        rows.append([a.name, *[_v(i, a.indicators.get(i.code), c.year) for i in indicators]])
    return rows


def text_of(v: Value | None) -> str:
    return "" if v is None or v is NA else str(v)


def task_rows(c: Consolidation) -> list[list[str]]:
    """Header then, per task active this year, one row per reporting lead unit."""
    cat = c.catalog
    status_field = field_for_key(cat, f"task.{cat.tasks[0].code}.status") if cat.tasks else None
    rows = [["Nhiệm vụ", "Đơn vị chủ trì", "Tình trạng", "Kết quả, sản phẩm"]]
    dept = cat.consolidator()
    for task in cat.tasks:
        if not task.active_in(c.year):
            continue
        if task.lead == "press":
            units = [(a.name, a.entries) for a in c.agencies if cat.is_press(a.org.kind)]
        else:
            units = [(dept.name(c.year), c.own_entries)] if task.lead == dept.kind else []
        label = f"{task.no}. {task.title}"
        if not units:
            rows.append([label, "—", TASK_STATUS_EMPTY, ""])
        for i, (name, entries) in enumerate(units):
            st = entries.get(f"task.{task.code}.status")
            status = display(status_field, st) if status_field and st is not None else TASK_STATUS_EMPTY
            parts = (
                text_of(entries.get(f"task.{task.code}.done")),
                text_of(entries.get(f"task.{task.code}.product_number")),
            )
            product = "; ".join(p.strip().rstrip(".;") for p in parts if p.strip())
            rows.append([label if i == 0 else "", name, status, product])
    return rows


_SIGNED = {"trusted": "Ký số: tin cậy", "untrusted": "Ký số: chưa tin cậy", "invalid": "Ký số: không hợp lệ"}


def _paper_and_signature(r: StatusRow) -> str:
    """The paper check, then the electronic signature (when there is one, or when required)."""
    paper = "Giấy: đã đối chiếu" if r.paper_checked else "Giấy: chưa"
    state = str(r.signature["state"])
    if state in _SIGNED:
        return f"{paper}\n{_SIGNED[state]}"
    return f"{paper}\nChưa ký số" if r.signature_policy == "required" else paper


def reporting_rows(c: Consolidation) -> list[list[str]]:
    rows = [
        [
            "TT",
            "Cơ quan",
            "Lần gửi",
            "Mã xác thực",
            "Ngày đến Sở",
            "Thời hạn",
            "Bản giấy, ký số",
            "Xem xét của Sở",
        ]
    ]
    for i, r in enumerate(c.board.expected, start=1):
        # The day the first revision reached the Sở: on time or late is judged on it (not on the
        # agency PC's created_at).
        day = dt.date.fromisoformat(r.arrived_on).strftime("%d/%m/%Y") if r.arrived_on else "—"
        rows.append(
            [
                str(i),
                r.name,
                str(r.revision) if r.revision else "—",
                r.verification_code or "—",
                day,
                r.timeliness,
                _paper_and_signature(r) if r.received else "—",
                ("Đang sửa theo góp ý" if r.under_correction else r.review or "Chưa xem xét")
                if r.received
                else "—",
            ]
        )
    return rows


def narratives(c: Consolidation, code: str) -> list[str]:
    """The Sở's own text for a narrative section, then each agency's, named."""
    out = []
    own = text_of(c.own_entries.get(f"narrative.{code}"))
    if own:
        out.append(own)
    for a in c.agencies:
        t = text_of(a.entries.get(f"narrative.{code}"))
        if t:
            out.append(f"{a.name}: {t}")
    return out


__all__ = [
    "SUMMARY",
    "TASK_STATUS_EMPTY",
    "agency_table_rows",
    "indicator_table_rows",
    "narratives",
    "reporting_rows",
    "task_rows",
    "text_of",
]
