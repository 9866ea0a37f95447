"""The consolidated workbook (openpyxl, imported when called).

Sheets: ``Chỉ tiêu`` (each indicator per agency and for the province against the target, as
printed, plus the province's exact number for further calculation), ``Gửi báo cáo`` (who
reported, when, which revision), ``Nhiệm vụ`` (task progress by lead unit), ``Số liệu`` (every
value each agency sent) and ``Qua các năm`` (the chart data: province value and target by year).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from ..core.values import display, field_for_key
from .consolidate import Consolidation, chart_series
from .consolidated_pdf import SUMMARY, indicator_table_rows, reporting_rows, task_rows

if TYPE_CHECKING:
    from ..services.identity import Identity


def _sheet(wb: Any, title: str, rows: list[list[Any]], widths: list[int], *, first: bool = False) -> Any:
    from openpyxl.styles import Alignment, Border, Font, Side

    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    thin = Side(style="thin", color="000000")
    for r in rows:
        ws.append(r)
    for cell in ws[1]:
        cell.font = Font(name="Times New Roman", bold=True, size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if cell.row > 1:
                cell.font = Font(name="Times New Roman", size=11)
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = w
    ws.freeze_panes = "A2"
    return ws


def render_consolidation_xlsx(c: Consolidation, ident: Identity) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    rows: list[list[Any]] = []
    for goals in (False, True):
        table = indicator_table_rows(c, goals)
        if not rows:
            rows.append([*table[0], "Toàn tỉnh (số)"])
        provs = [p for _, p in c.indicator_rows(goals)]
        for r, p in zip(table[1:], provs, strict=True):
            rows.append([*r, None if p.value is None else round(float(p.value), 4)])
    n_ag = len(c.agencies)
    ws = _sheet(wb, "Chỉ tiêu", rows, [8, 48, *([14] * n_ag), 14, 14, 16, 14], first=True)
    ws.insert_rows(1, 2)
    ws["A1"] = f"{ident.name} - {SUMMARY.format(year=c.year)}"
    _, code = c.seal()
    ws["A2"] = f"Mã xác thực số liệu tổng hợp: {code}"
    ws.freeze_panes = "A4"

    _sheet(wb, "Gửi báo cáo", reporting_rows(c), [6, 42, 10, 18, 14, 12, 18])
    _sheet(wb, "Nhiệm vụ", task_rows(c), [50, 32, 16, 60])

    cat = c.catalog
    data_rows: list[list[Any]] = [
        ["Mã", "Chỉ số", "Đơn vị tính", *[a.name for a in c.agencies], "Sở (số liệu cấp tỉnh)"]
    ]
    for code_, el in cat.elements.items():
        fld = field_for_key(cat, code_)
        cells: list[Any] = [code_, el.label, el.unit]
        any_value = False
        for src in [a.values for a in c.agencies] + [c.own]:
            v = src.get(code_)
            any_value = any_value or v is not None
            if isinstance(v, int | float) and not isinstance(v, bool):
                cells.append(v)
            elif v is not None and fld.type in ("decimal", "percent") and not isinstance(v, bool):
                cells.append(float(v))  # type: ignore[arg-type]
            else:
                cells.append(display(fld, v))
        if any_value:
            data_rows.append(cells)
    _sheet(wb, "Số liệu", data_rows, [24, 50, 14, *([18] * (len(c.agencies) + 1))])

    hist: list[list[Any]] = [["Mã", "Chỉ tiêu", "Năm", "Kết quả của tỉnh", "Chỉ tiêu"]]
    for ind in cat.indicators:
        years, values, targets = chart_series(c, ind)
        for y, pv, t in zip(years, values, targets, strict=True):
            hist.append([ind.source, ind.short_label, y, None if pv is None else round(pv, 4), t])
    _sheet(wb, "Qua các năm", hist, [10, 48, 8, 16, 12])

    wb.properties.creator = "KDX"
    wb.properties.title = SUMMARY.format(year=c.year)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


__all__ = ["render_consolidation_xlsx"]
