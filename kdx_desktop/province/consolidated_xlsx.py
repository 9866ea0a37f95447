"""The consolidated workbook (openpyxl, imported when called).

One sheet per view, every figure a number (percentages as fractions shown ``58,8%``):
``Toàn tỉnh`` (each indicator for the province against the year's target), ``Từng cơ quan`` (each
indicator per agency and the province), ``Nhiệm vụ`` (task progress by lead unit), ``Gửi báo cáo``
(who reported, when, which revision), ``Số liệu`` (every value each agency sent), ``Qua các năm``
(the chart data) and ``Giải thích`` (what each column holds). Every sheet prints on A4 fitted
to the width, its header row repeated, the verification code in the footer.

Names, narratives and task results come from received packages, i.e. from outside: every cell
goes through the shared :class:`~kdx_desktop.documents.xlsx_layout.Sheet`, so text is
stored as text (never a formula), without control characters and within a cell's size, in
the same named styles.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..core.catalog import Indicator
from ..core.compute import IndicatorResult, format_indicator_value, format_target, is_agency_part
from ..core.goals import gap_decimals, gap_unit, towards
from ..core.values import display, field_for_key
from ..core.vntime import vietnam_date
from ..documents.xlsx_layout import (
    COUNT_FMT,
    DATE_FMT,
    DECIMAL_FMT,
    PERCENT_FMT,
    VN,
    YEAR_FMT,
    Sheet,
    explain_sheet,
    register_styles,
    safe_text,
)
from .consolidate import Consolidation, chart_series
from .consolidated_tables import SUMMARY, task_rows

if TYPE_CHECKING:
    from ..core.report import Identity


def _pct(ind: Indicator) -> bool:
    return ind.display in ("percent", "split")


def _number(ind: Indicator, v: Fraction | float | None) -> float | None:
    if v is None:
        return None
    return round(float(v) / 100, 8) if _pct(ind) else round(float(v), 6)


def _fmt(ind: Indicator) -> str:
    return PERCENT_FMT if _pct(ind) else DECIMAL_FMT


def _figure(ind: Indicator, r: IndicatorResult | None, *, agency: bool = False) -> Any:
    """An indicator's value as a cell: a number; "Không áp dụng"; an agency's part in a share or
    count of agencies as "Có"/"Không" (it has no figure of its own); None when there is none."""
    if r is None or (r.value is None and not r.na):
        return None
    if r.na:
        return "Không áp dụng"
    if agency and is_agency_part(ind, r.of):
        return format_indicator_value(ind, r.value, count=r.count, of=r.of)
    return _number(ind, r.value)


def _target(ind: Indicator, year: int) -> Any:
    """The year's target as a number, or as the plan words it when it is not one number."""
    label = ind.target_labels.get(year)
    t = ind.target(year)
    if label is not None or t is None:
        return label if label is not None else format_target(ind, year) or None
    return _number(ind, Fraction(str(t)))


class _Book:
    def __init__(self, c: Consolidation, ident: Identity) -> None:
        from openpyxl import Workbook

        self.c, self.ident = c, ident
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        register_styles(self.wb)
        _, self.verification_code = c.seal()
        self.stamp = f"{ident.name} · Báo cáo tổng hợp năm {c.year} · Mã xác thực: {self.verification_code}"

    def titles(self, what: str) -> list[tuple[str, str]]:
        return [
            (self.ident.name.upper(), "bold"),
            (what, "bold"),
            (
                f"{SUMMARY.format(year=self.c.year)} · Mã xác thực số liệu tổng hợp: {self.verification_code}",
                "italic",
            ),
        ]

    def sheet(self, name: str, what: str, widths: Sequence[float], head: Sequence[str]) -> Sheet:
        sh = Sheet(self.wb, name, widths)
        sh.title(self.titles(what))
        sh.header(head)
        return sh

    def done(self, sh: Sheet, *, landscape: bool) -> None:
        sh.print_setup(landscape=landscape, stamp=self.stamp)


def _province_sheet(b: _Book) -> None:
    c, y = b.c, b.c.year
    sh = b.sheet(
        "Toàn tỉnh",
        "KẾT QUẢ CÁC CHỈ TIÊU, MỤC TIÊU CỦA TOÀN TỈNH",
        [9, 40, 10, 13, 13, 11, 11, 16, 24, 13],
        [
            "Mã",
            "Chỉ tiêu",
            "Đơn vị tính",
            f"Năm {y - 1}",
            f"Năm {y}",
            "Số cơ quan",
            "Trên tổng số",
            f"Chỉ tiêu năm {y}",
            "Đánh giá",
            "Còn cách mục tiêu",
        ],
    )
    for goals in (False, True):
        for ind, r in c.indicator_rows(goals):
            f = _fmt(ind)
            target, verdict = _target(ind, y), r.status_label
            gap: float | None = None
            gap_fmt = None
            goal = towards(ind, r, y, agency=False)
            if goal is not None:
                # No target this year: the plan's next goal and the distance to it, as in the PDF,
                # and the distance as a number too (in points or in the indicator's unit).
                target, verdict = goal.aim, goal.verdict
                if goal.gap is not None and not goal.met:
                    gap = round(float(goal.gap), 6)
                    decimals = gap_decimals(goal.gap)
                    gap_fmt = f'{VN}#,##0{"." + "0" * decimals if decimals else ""}" {gap_unit(ind)}"'
            sh.add(
                [
                    ind.source,
                    ind.short_label,
                    ind.unit,
                    _number(ind, r.prev_value),
                    _figure(ind, r),
                    r.count,
                    r.of,
                    target,
                    verdict,
                    gap,
                ],
                [None, None, None, f, f, COUNT_FMT, COUNT_FMT, f, None, gap_fmt],
            )
    b.done(sh, landscape=True)


def _agency_sheet(b: _Book) -> None:
    c = b.c
    abbrs = [a.org.period(c.year).abbreviation for a in c.agencies]
    sh = b.sheet(
        "Từng cơ quan",
        "KẾT QUẢ CÁC CHỈ TIÊU CỦA TỪNG CƠ QUAN",
        [9, 46, 10, *([13] * len(abbrs)), 13],
        ["Mã", "Chỉ tiêu", "Đơn vị tính", *abbrs, "Toàn tỉnh"],
    )
    for ind in c.catalog.indicators:
        f = _fmt(ind)
        cells = [_figure(ind, a.indicators.get(ind.code), agency=True) for a in c.agencies]
        sh.add(
            [ind.source, ind.short_label, ind.unit, *cells, _figure(ind, c.province[ind.code])],
            [None, None, None, *([f] * (len(cells) + 1))],
        )
    b.done(sh, landscape=True)


def _task_sheet(b: _Book) -> None:
    rows = task_rows(b.c)
    sh = b.sheet("Nhiệm vụ", "TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ CHỦ TRÌ", [46, 30, 16, 60], rows[0])
    for r in rows[1:]:
        sh.add(r)
    b.done(sh, landscape=True)


def _reporting_sheet(b: _Book) -> None:
    c = b.c
    sh = b.sheet(
        "Gửi báo cáo",
        "TÌNH HÌNH GỬI BÁO CÁO",
        [6, 40, 9, 18, 13, 12, 16, 22],
        [
            "TT",
            "Cơ quan",
            "Lần gửi",
            "Mã xác thực",
            "Ngày lập",
            "Thời hạn",
            "Đối chiếu bản giấy",
            "Xem xét của Sở",
        ],
    )
    for i, r in enumerate(c.board.expected, start=1):
        made = vietnam_date(r.first_created_at) if r.first_created_at else None
        sh.add(
            [
                i,
                r.name,
                r.revision or None,
                r.verification_code or None,
                made,
                r.timeliness,
                ("Đã đối chiếu" if r.paper_checked else "Chưa") if r.received else None,
                ("Đang sửa theo góp ý" if r.under_correction else r.review or "Chưa xem xét")
                if r.received
                else None,
            ],
            [COUNT_FMT, None, COUNT_FMT, None, DATE_FMT],
        )
    b.done(sh, landscape=True)


def _data_sheet(b: _Book) -> None:
    """Every element any unit reported: numbers as numbers, anything else as displayed."""
    c, cat = b.c, b.c.catalog
    conflicted = c.conflicted_codes()  # the board's conflict flag, printed as the PDF does
    sh = b.sheet(
        "Số liệu",
        "SỐ LIỆU CÁC ĐƠN VỊ ĐÃ GỬI",
        [6, 50, 12, *([16] * (len(c.agencies) + 1))],
        [
            "STT",
            "Chỉ số",
            "Đơn vị tính",
            *[
                f"{a.name} (xung đột: cần xác minh)" if a.org.code in conflicted else a.name
                for a in c.agencies
            ],
            "Sở (số liệu cấp tỉnh)",
        ],
    )
    n = 0
    for code, el in cat.elements.items():
        fld = field_for_key(cat, code)
        cells: list[Any] = []
        for src in [a.values for a in c.agencies] + [c.own]:
            v = src.get(code)
            if isinstance(v, bool) or v is None:
                cells.append(None if v is None else display(fld, v))
            elif isinstance(v, int | float):
                cells.append(v)
            elif isinstance(v, Decimal):  # "Không áp dụng" (NA) falls through to its label
                cells.append(float(v))
            else:
                cells.append(display(fld, v))
        if any(x is not None for x in cells):
            fmt = YEAR_FMT if el.unit == "năm" else DECIMAL_FMT
            n += 1  # a number, not KDX's id of the figure
            sh.add([n, el.label, el.unit, *cells], [COUNT_FMT, None, None, *([fmt] * len(cells))])
    b.done(sh, landscape=True)


def _history_sheet(b: _Book) -> None:
    sh = b.sheet(
        "Qua các năm",
        "CHỈ TIÊU CỦA TỈNH QUA CÁC NĂM",
        [10, 48, 8, 16, 14],
        ["Mã", "Chỉ tiêu", "Năm", "Kết quả của tỉnh", "Chỉ tiêu"],
    )
    for ind in b.c.catalog.indicators:
        years, values, targets = chart_series(b.c, ind)
        f = _fmt(ind)
        for y, pv, t in zip(years, values, targets, strict=True):
            sh.add(
                [ind.source, ind.short_label, y, _number(ind, pv), _number(ind, t)],
                [None, None, YEAR_FMT, f, f],
            )
    b.done(sh, landscape=False)


EXPLANATIONS: list[tuple[str, Sequence[tuple[str, str]]]] = [
    (
        "Toàn tỉnh",
        [
            ("Mã, Chỉ tiêu, Đơn vị tính", "Chỉ tiêu (PL1-…) và mục tiêu (II.…) của Kế hoạch."),
            ("Năm trước, Năm báo cáo", "Kết quả của cả tỉnh, tính từ các gói đã nhận và số liệu của Sở."),
            (
                "Số cơ quan, Trên tổng số",
                "Với chỉ tiêu tính theo tỷ lệ cơ quan: số cơ quan đạt và tổng số cơ quan.",
            ),
            (
                "Chỉ tiêu năm",
                "Mức Kế hoạch đặt ra cho năm (số; hoặc cách Kế hoạch ghi). Năm không có chỉ tiêu riêng: "
                "mục tiêu gần nhất về sau của Kế hoạch (mục tiêu 2030) và năm của nó.",
            ),
            (
                "Đánh giá",
                "Đạt / Chưa đạt / Tạm tính (chưa đủ cơ quan báo cáo) / Không áp dụng; năm không có chỉ tiêu "
                "riêng: khoảng cách còn lại tới mục tiêu (xem Phương pháp tính) hoặc “Đã đạt mục tiêu”.",
            ),
            (
                "Còn cách mục tiêu",
                "Năm không có chỉ tiêu riêng: khoảng cách tới mục tiêu dưới dạng số (điểm phần trăm, hoặc "
                "số cơ quan với chỉ tiêu đếm cơ quan); trống khi đã đạt hoặc không so sánh được.",
            ),
        ],
    ),
    (
        "Từng cơ quan",
        [
            (
                "Cột mỗi cơ quan",
                "Kết quả của cơ quan theo gói đã nhận (số); “Có/Không”: phần đóng góp của cơ quan vào chỉ tiêu đếm.",
            )
        ],
    ),
    (
        "Nhiệm vụ",
        [("Các cột", "Nhiệm vụ, đơn vị chủ trì, tình trạng và kết quả, sản phẩm theo báo cáo của đơn vị.")],
    ),
    (
        "Gửi báo cáo",
        [
            (
                "Các cột",
                "Lần gửi hiện hành, mã xác thực, ngày lập, đúng hạn hay trễ, đối chiếu bản giấy, xem xét của Sở.",
            )
        ],
    ),
    ("Số liệu", [("Các cột", "Mọi số liệu từng cơ quan đã gửi và số liệu cấp tỉnh của Sở.")]),
    ("Qua các năm", [("Các cột", "Kết quả của tỉnh và chỉ tiêu từng năm (số liệu của biểu đồ).")]),
]


def render_consolidation_xlsx(c: Consolidation, ident: Identity) -> bytes:
    b = _Book(c, ident)
    _province_sheet(b)
    _agency_sheet(b)
    _task_sheet(b)
    _reporting_sheet(b)
    _data_sheet(b)
    _history_sheet(b)
    explain_sheet(b.wb, b.titles("GIẢI THÍCH CÁC CỘT"), EXPLANATIONS, stamp=b.stamp, draft=False)
    b.wb.properties.creator = "KDX"
    b.wb.properties.title = safe_text(SUMMARY.format(year=c.year))
    buf = io.BytesIO()
    b.wb.save(buf)
    return buf.getvalue()


__all__ = ["render_consolidation_xlsx"]
