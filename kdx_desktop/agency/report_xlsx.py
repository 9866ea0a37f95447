"""The workbook (``.xlsx``) laid out like the plan's annexes, one sheet per part of the report.

Sheets: ``Chỉ tiêu (PL1)``, ``Mục tiêu (II)``, ``Nhiệm vụ (PL2)``, ``Thuyết minh`` and
``Số liệu`` (every value entered). Times New Roman, merged title rows, frozen header rows,
A4 print set-up. Numbers are stored as numbers (percent indicators as fractions shown with
``0.0%``, counts with ``#,##0``); text typed by people is always stored as text, never as a
formula, even when it starts with ``=``, ``+``, ``-`` or ``@``; control characters are removed
and a text longer than a cell can hold is cut with a visible note. openpyxl is imported only
when a workbook is built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..core.compute import (
    IndicatorResult,
    display_decimals,
    format_indicator_value,
    format_target,
    is_agency_part,
)
from ..core.goals import towards
from ..core.rules import na_reasons
from ..core.text import nfc
from ..core.values import NA, field_for_key
from ..core.values import display as display_value
from ..documents.xlsx_layout import (
    COUNT_FMT,
    DECIMAL_FMT,
    PERCENT_FMT,
    VN,
    YEAR_FMT,
    Sheet,
    explain_sheet,
    register_styles,
    safe_text,
    workbook_bytes,
)
from ..package.data import Seal, indicator_headings, indicator_justification

if TYPE_CHECKING:
    from ..core.report import Identity, ReportState


def _num(v: Fraction | None, percent: bool) -> float | None:
    if v is None:
        return None
    return round(float(v) / 100, 8) if percent else round(float(v), 6)


def page_stamp(ident: Identity, year: int, seal: Seal | None) -> str:
    """The footer of every printed page, as the PDF's: organisation, year, revision and code."""
    if seal is None:
        return f"{ident.name} · Báo cáo năm {year} · BẢN NHÁP: chưa xuất, không có mã xác thực"
    return (
        f"{ident.name} · Báo cáo năm {year} · Lần gửi {seal.revision} · Mã xác thực: {seal.verification_code}"
    )


def _titles(ident: Identity, year: int, title: str, seal: Seal | None) -> list[tuple[str, str]]:
    stamp = (
        f"Lần gửi {seal.revision} · Mã xác thực: {seal.verification_code}" if seal else "BẢN NHÁP (chưa xuất)"
    )
    return [(nfc(ident.name).upper(), "bold"), (title, "bold"), (f"Năm {year} · {stamp}", "italic")]


def _indicator_sheet(
    wb: Any,
    state: ReportState,
    ident: Identity,
    results: Sequence[IndicatorResult],
    name: str,
    title: str,
    seal: Seal | None,
) -> None:
    y = state.year
    sh = Sheet(wb, name, [6, 9, 52, 10, 13, 13, 13, 14, 40])
    sh.title(_titles(ident, y, title, seal))
    head = indicator_headings(y)
    sh.header([head[0], "Mã", *head[1:]])  # the workbook adds the stable code for programs
    agency = not state.org.consolidates
    for n, r in enumerate(results, 1):
        ind = state.catalog.indicator(r.code)
        pct = ind.display in ("percent", "split")
        fmt = PERCENT_FMT if pct else COUNT_FMT
        value: Any = "Không áp dụng" if r.na else _num(r.value, pct)
        prev: Any = _num(r.prev_value, pct)
        if is_agency_part(ind, r.of):
            # The agency's part in a share of agencies: "Có"/"Không" as the PDF prints it, not
            # the 0 %/100 % it is computed as.
            value = value if r.na or r.value is None else format_indicator_value(ind, r.value)
            prev = None if r.prev_value is None else format_indicator_value(ind, r.prev_value)
        elif pct and r.value is not None:
            # As many decimals as the value needs to agree with its verdict (99,96% is not 100,0%).
            fmt = f"{VN}0." + "0" * display_decimals(ind, r.value, y) + "%"
        target: Any = ind.target_labels.get(y)
        verdict = r.status_label
        goal = towards(ind, r, y, agency=agency)
        if goal is not None:
            # No target this year: the plan's next goal and the distance to it, as in the PDF.
            target, verdict = goal.aim, goal.verdict
        elif target is None and y in ind.target_fractions:
            target = format_target(ind, y)  # "2/3 cơ quan (67%)": the fraction the verdict uses
        elif target is None and ind.target(y) is not None:
            target = _num(Fraction(str(ind.target(y))), pct)
        why = indicator_justification(state, r.code)
        sh.add(
            [
                n,
                ind.source,
                ind.label,
                ind.unit,
                prev,
                value,
                target,
                verdict,
                why or None,
            ],
            [None, None, None, None, fmt, fmt, fmt],
        )
    sh.print_setup(landscape=True, stamp=page_stamp(ident, state.year, seal), draft=seal is None)


def _task_sheet(wb: Any, state: ReportState, ident: Identity, seal: Seal | None) -> None:
    cat = state.catalog
    sh = Sheet(wb, "Nhiệm vụ (PL2)", [6, 45, 28, 16, 16, 45, 24, 13, 30])
    sh.title(_titles(ident, state.year, "KẾT QUẢ THỰC HIỆN NHIỆM VỤ (PHỤ LỤC 2)", seal))
    sh.header(
        ["STT", "Nhiệm vụ", "Sản phẩm theo Kế hoạch", "Thời gian", "Tình trạng", "Kết quả thực hiện",
         "Sản phẩm: số văn bản", "Ngày ban hành", "Ghi chú"]
    )  # fmt: skip
    for task in cat.tasks_led_by(state.org.kind, state.year):
        row: list[Any] = [task.no, task.title, task.product, task.timeframe]  # the plan's numbering
        for fld in ("status", "done", "product_number", "product_date", "notes"):
            key = f"task.{task.code}.{fld}"
            v = state.entries.get(key)
            if v is None:
                row.append(None)
            elif isinstance(v, dt.date) or v is NA or fld != "status":
                row.append("Không áp dụng" if v is NA else v)
            else:
                row.append(display_value(field_for_key(cat, key), v))
        sh.add(row)
    sh.print_setup(landscape=True, stamp=page_stamp(ident, state.year, seal), draft=seal is None)


def _narrative_sheet(wb: Any, state: ReportState, ident: Identity, seal: Seal | None) -> None:
    sh = Sheet(wb, "Thuyết minh", [28, 100])
    sh.title(_titles(ident, state.year, "THUYẾT MINH", seal))
    sh.header(["Nội dung", "Thuyết minh"])
    for spec in state.catalog.narrative:
        v = state.entries.get(f"narrative.{spec.code}")
        sh.add([spec.label, "" if v is None or v is NA else str(v)])
    sh.print_setup(landscape=False, stamp=page_stamp(ident, state.year, seal), draft=seal is None)


def _values_sheet(wb: Any, state: ReportState, ident: Identity, seal: Seal | None) -> None:
    cat = state.catalog
    sh = Sheet(wb, "Số liệu", [6, 70, 12, 24, 40])
    sh.title(_titles(ident, state.year, "SỐ LIỆU ĐÃ NHẬP", seal))
    sh.header(["STT", "Nội dung", "Đơn vị tính", "Giá trị", "Lý do không áp dụng"])
    n = 0
    reasons = dict(na_reasons(cat, state.entries, [e.code for e in cat.elements_for(state.org.kind)]))
    for section in cat.sections:
        for code in section.elements:
            el = cat.elements[code]
            if state.org.kind not in el.applies_to:
                continue
            v = state.entries.get(code)
            cell: Any
            if v is None or v is NA or isinstance(v, bool | str):
                cell = None if v is None else display_value(field_for_key(cat, code), v)
            else:
                cell = v if isinstance(v, int | dt.date) else float(v) if isinstance(v, Decimal) else v
            fmt = DECIMAL_FMT
            if isinstance(v, int) and not isinstance(v, bool):
                fmt = YEAR_FMT if el.unit == "năm" else COUNT_FMT
            why = (reasons[code] or "chưa ghi lý do") if code in reasons else None
            n += 1  # a number, not KDX's id of the figure (data.json keeps the ids, for programs)
            sh.add([n, el.label, el.unit, cell, why], [COUNT_FMT, None, None, fmt])
    sh.print_setup(landscape=False, stamp=page_stamp(ident, state.year, seal), draft=seal is None)


def _agency_explanations(year: int) -> list[tuple[str, list[tuple[str, str]]]]:
    indicator = [
        ("STT", "Số thứ tự trong bảng."),
        ("Mã", "Mã ổn định của chỉ tiêu trong Kế hoạch (dùng để đối chiếu, lọc, tra cứu)."),
        ("Chỉ tiêu", "Tên chỉ tiêu theo Kế hoạch."),
        ("Đơn vị tính", "Đơn vị của con số (% hoặc số lượng)."),
        (f"Năm {year - 1}", f"Kết quả năm {year - 1}, tính bằng cùng công thức (để so sánh)."),
        (
            f"Năm {year}",
            f"Kết quả năm {year} tính từ số liệu đã nhập (số; hoặc “Không áp dụng”). Chỉ tiêu tính theo "
            "tỷ lệ cơ quan của tỉnh: “Có”/“Không” là phần đóng góp của đơn vị, như bản PDF.",
        ),
        (
            f"Chỉ tiêu năm {year}",
            "Mức Kế hoạch đặt ra cho năm (số; hoặc cách Kế hoạch ghi, ví dụ 60%/40%, 5-10%). Năm không "
            "có chỉ tiêu riêng: mục tiêu gần nhất về sau của Kế hoạch (mục tiêu 2030) và năm của nó.",
        ),
        (
            "Đánh giá",
            "Đạt / Chưa đạt / Không áp dụng / Chưa đủ số liệu / Tỉnh đánh giá, so với chỉ tiêu năm; năm "
            "không có chỉ tiêu riêng: khoảng cách còn lại tới mục tiêu (xem Phương pháp tính).",
        ),
        ("Giải trình", "Giải trình của đơn vị cho các cảnh báo của chỉ tiêu."),
    ]
    return [
        ("Chỉ tiêu (PL1)", indicator),
        (
            "Mục tiêu (II)",
            [("(như trên)", "Các mục tiêu tại Mục II của Kế hoạch, cùng các cột như trang Chỉ tiêu (PL1).")],
        ),
        (
            "Nhiệm vụ (PL2)",
            [
                ("STT, Mã", "Số thứ tự và mã của nhiệm vụ tại Phụ lục 2 của Kế hoạch."),
                ("Nhiệm vụ, Sản phẩm theo Kế hoạch, Thời gian", "Như Kế hoạch ghi."),
                ("Tình trạng", "Hoàn thành / Đang thực hiện / Chưa thực hiện, do đơn vị báo cáo."),
                ("Kết quả thực hiện", "Nội dung đã thực hiện."),
                (
                    "Sản phẩm: số văn bản, Ngày ban hành",
                    "Văn bản là sản phẩm của nhiệm vụ (ngày là ô ngày tháng).",
                ),
                ("Ghi chú", "Ghi chú của đơn vị."),
            ],
        ),
        (
            "Thuyết minh",
            [("Nội dung, Thuyết minh", "Các phần viết của báo cáo: kết quả, khó khăn, đề xuất.")],
        ),
        (
            "Số liệu",
            [
                ("STT", "Số thứ tự trong bảng."),
                ("Nội dung, Đơn vị tính", "Số liệu gì và đơn vị."),
                ("Giá trị", "Số liệu đã nhập (số là số; Có/Không, lựa chọn là chữ)."),
            ],
        ),
    ]


def render_workbook(state: ReportState, ident: Identity, *, seal: Seal | None, created: dt.datetime) -> bytes:
    """The workbook as ``.xlsx`` bytes. ``created`` (an exported report's recorded export time) is
    the document's time: the same report makes the same file byte for byte (:func:`workbook_bytes`)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    register_styles(wb)
    cat = state.catalog
    pl1 = [r for r in state.indicators if not cat.indicator(r.code).is_goal]
    goals = [r for r in state.indicators if cat.indicator(r.code).is_goal]
    _indicator_sheet(
        wb, state, ident, pl1, "Chỉ tiêu (PL1)", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU (PHỤ LỤC 1)", seal
    )
    _indicator_sheet(
        wb, state, ident, goals, "Mục tiêu (II)", "KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU (MỤC II)", seal
    )
    _task_sheet(wb, state, ident, seal)
    _narrative_sheet(wb, state, ident, seal)
    _values_sheet(wb, state, ident, seal)
    explain_sheet(
        wb,
        _titles(ident, state.year, "GIẢI THÍCH CÁC CỘT", seal),
        _agency_explanations(state.year),
        stamp=page_stamp(ident, state.year, seal),
        draft=seal is None,
    )
    wb.properties.creator = "KDX"
    wb.properties.title = safe_text(f"Báo cáo chuyển đổi số báo chí năm {state.year} - {ident.name}")
    return workbook_bytes(wb, created)
