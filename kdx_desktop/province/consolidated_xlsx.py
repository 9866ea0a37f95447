"""The consolidated workbook (openpyxl, imported when called).

Sheets: ``Chỉ tiêu`` (each indicator per agency and for the province against the target, as
printed, plus the province's exact number for further calculation), ``Gửi báo cáo`` (who
reported, when, which revision), ``Nhiệm vụ`` (task progress by lead unit), ``Số liệu`` (every
value each agency sent) and ``Qua các năm`` (the chart data: province value and target by year).

Names, narratives and task results come from received packages, i.e. from outside: every cell
goes through the shared :class:`~kdx_desktop.documents.xlsx_layout.Sheet`, so text is
stored as text (never a formula), without control characters and within a cell's size, in
the same named styles.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..core.values import display, field_for_key
from ..documents.xlsx_layout import Sheet, register_styles, safe_text
from .consolidate import Consolidation, chart_series
from .consolidated_pdf import SUMMARY, indicator_table_rows, reporting_rows, task_rows

if TYPE_CHECKING:
    from ..core.report import Identity


def _sheet(
    wb: Any,
    title: str,
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    titles: Sequence[tuple[str, str]] = (),
) -> Sheet:
    """A sheet of one table: optional merged title rows, then the header row and the rows."""
    sh = Sheet(wb, title, widths)
    if titles:
        sh.title(titles, gap=False)
    sh.header(rows[0])
    for r in rows[1:]:
        sh.add(r)
    return sh


def _data_rows(c: Consolidation) -> list[list[Any]]:
    """Every element any unit reported: numbers as numbers, anything else as displayed."""
    cat = c.catalog
    conflicted = c.conflicted_codes()
    rows: list[list[Any]] = [
        [
            "Mã",
            "Chỉ số",
            "Đơn vị tính",
            *[
                f"{a.name} (xung đột: cần xác minh)" if a.org.code in conflicted else a.name
                for a in c.agencies
            ],
            "Sở (số liệu cấp tỉnh)",
        ]
    ]
    for code, el in cat.elements.items():
        fld = field_for_key(cat, code)
        cells: list[Any] = [code, el.label, el.unit]
        any_value = False
        for src in [a.values for a in c.agencies] + [c.own]:
            v = src.get(code)
            any_value = any_value or v is not None
            if isinstance(v, int | float) and not isinstance(v, bool):
                cells.append(v)
            elif v is not None and fld.type in ("decimal", "percent") and not isinstance(v, bool):
                cells.append(float(v))  # type: ignore[arg-type]
            else:
                cells.append(display(fld, v))
        if any_value:
            rows.append(cells)
    return rows


def render_consolidation_xlsx(c: Consolidation, ident: Identity) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    register_styles(wb)
    rows: list[list[Any]] = []
    for goals in (False, True):
        table = indicator_table_rows(c, goals)
        if not rows:
            rows.append([*table[0], "Toàn tỉnh (số)"])
        provs = [p for _, p in c.indicator_rows(goals)]
        for r, p in zip(table[1:], provs, strict=True):
            rows.append([*r, None if p.value is None else round(float(p.value), 4)])
    n_ag = len(c.agencies)
    _, code = c.seal()
    titles = [
        (f"{ident.name} - {SUMMARY.format(year=c.year)}", "bold"),
        (f"Mã xác thực số liệu tổng hợp: {code}", "italic"),
    ]
    _sheet(wb, "Chỉ tiêu", rows, [8, 48, *([14] * n_ag), 14, 14, 16, 14], titles)
    _sheet(wb, "Gửi báo cáo", reporting_rows(c), [6, 42, 10, 18, 14, 12, 18, 22])
    _sheet(wb, "Nhiệm vụ", task_rows(c), [50, 32, 16, 60])
    _sheet(wb, "Số liệu", _data_rows(c), [24, 50, 14, *([18] * (n_ag + 1))])

    hist: list[list[Any]] = [["Mã", "Chỉ tiêu", "Năm", "Kết quả của tỉnh", "Chỉ tiêu"]]
    for ind in c.catalog.indicators:
        years, values, targets = chart_series(c, ind)
        for y, pv, t in zip(years, values, targets, strict=True):
            hist.append([ind.source, ind.short_label, y, None if pv is None else round(pv, 4), t])
    _sheet(wb, "Qua các năm", hist, [10, 48, 8, 16, 12])

    wb.properties.creator = "KDX"
    wb.properties.title = safe_text(SUMMARY.format(year=c.year))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


__all__ = ["render_consolidation_xlsx"]
