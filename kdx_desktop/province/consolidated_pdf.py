"""The consolidated report as PDF, issued by the Sở in the same Decree 30 format as an agency's.

Reuses the page furniture of ``documents/pdf_layout.py`` (header, title, signature block, footer,
page numbers). Sections: who reported; each indicator per agency and for the province against
the year's target; the section II goals; task progress by lead unit; difficulties and
proposals; then an appendix of charts (each indicator against its targets across the years).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..core.catalog import Indicator
from ..core.compute import IndicatorResult, format_indicator_value, format_target
from ..core.values import NA, Value, display, field_for_key
from ..documents.method_annex import method_annex
from .consolidate import Consolidation, chart_series
from .status import StatusRow

if TYPE_CHECKING:
    from ..core.report import Identity
    from ..documents.pdf_layout import Styles

SUMMARY = "Tổng hợp kết quả thực hiện Kế hoạch chuyển đổi số và phát triển báo chí năm {year}"
TASK_STATUS_EMPTY = "Chưa báo cáo"
GAP = "&nbsp;" * 8


def _v(ind: Indicator, r: IndicatorResult | None, year: int) -> str:
    if r is None:
        return "—"
    return format_indicator_value(ind, r.value, r.na, count=r.count, of=r.of, year=year)


MAX_AGENCY_COLUMNS = 4  # more agencies than this: their figures go to an appendix table


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
        cells += [_v(ind, prov, c.year), format_target(ind, c.year), prov.status_label]
        rows.append(cells)
    return rows


def agency_table_rows(c: Consolidation, indicators: Sequence[Indicator]) -> list[list[str]]:
    """One row per agency, one column per indicator (the appendix used when agencies are many)."""
    rows = [["Cơ quan", *[i.source for i in indicators]]]
    for a in c.agencies:
        rows.append([a.name, *[_v(i, a.indicators.get(i.code), c.year) for i in indicators]])
    return rows


def _text(v: Value | None) -> str:
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
                _text(entries.get(f"task.{task.code}.done")),
                _text(entries.get(f"task.{task.code}.product_number")),
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


def _groups(rows: list[list[str]]) -> list[tuple[int, int]]:
    """(first, last) body rows of each labelled row and the unlabelled rows under it (a task and
    its lead units), counted from the first row after the header."""
    out: list[tuple[int, int]] = []
    for i, r in enumerate(rows[1:]):
        if r[0] or not out:
            out.append((i, i))
        else:
            out[-1] = (out[-1][0], i)
    return out


def _grid(
    rows: list[list[str]], widths: Sequence[float], st: Styles, *, size: float = 10, group: bool = False
) -> Any:
    from reportlab.platypus import Paragraph

    from ..documents.pdf_layout import esc, grid

    cell = st.para("c_cell", size, alignment=0, leading=size * 1.2)
    cell_c = st.para("c_cell_c", size, leading=size * 1.2)
    head = st.para("c_head", size, bold=True, leading=size * 1.2)
    data = [[Paragraph(esc(t), head) for t in rows[0]]]
    for r in rows[1:]:
        data.append(
            [Paragraph(esc(t), cell if j in (1,) or len(t) > 24 else cell_c) for j, t in enumerate(r)]
        )
    return grid(data, widths, st, pad=2, groups=_groups(rows) if group else ())


def _narratives(c: Consolidation, code: str) -> list[str]:
    out = []
    own = _text(c.own_entries.get(f"narrative.{code}"))
    if own:
        out.append(own)
    for a in c.agencies:
        t = _text(a.entries.get(f"narrative.{code}"))
        if t:
            out.append(f"{a.name}: {t}")
    return out


def chart_grid(c: Consolidation, st: Styles) -> Any:
    from reportlab.platypus import Table, TableStyle

    from .charts import indicator_chart

    cells = []
    for ind in c.catalog.indicators:
        years, values, targets = chart_series(c, ind)
        cells.append(
            indicator_chart(ind, years, values, targets, font=st.fonts.regular, bold_font=st.fonts.bold)
        )
    rows = [cells[i : i + 2] + [""] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
    table = Table(rows, hAlign="CENTER")
    style = [("FONT", (0, 0), (-1, -1), st.fonts.regular, 11), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    table.setStyle(TableStyle([*style, ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    return table


def consolidation_story(
    c: Consolidation, ident: Identity, st: Styles, *, issued: dt.date | None
) -> list[Any]:
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    from ..documents.pdf_layout import (
        Issuer,
        esc,
        header,
        keep_heading_with_table,
        signature_block,
        title_block,
        vn_date,
    )

    issuer = Issuer.from_identity(ident)
    s = c.board.summary()
    year = c.year
    story: list[Any] = [
        *header(issuer, st, issued=issued),
        *title_block(st, "BÁO CÁO", SUMMARY.format(year=year), recipient=ident.recipient),
        Paragraph(
            esc(
                f"Thực hiện {c.catalog.title} (sau đây gọi là Kế hoạch), trên cơ sở báo cáo của các cơ quan báo chí "
                f"({s['received']}/{s['expected']} cơ quan đã gửi) và số liệu do {ident.name} theo dõi, "
                f"{ident.name} tổng hợp kết quả thực hiện năm {year} như sau:"
            ),
            st.body,
        ),
        Paragraph("I. KẾT QUẢ THỰC HIỆN", st.section),
        Paragraph("1. Kết quả chung", st.heading),
        *[Paragraph(esc(t), st.body) for t in _narratives(c, "results") or ["Không có."]],
        *keep_heading_with_table(
            Paragraph("2. Tình hình gửi báo cáo", st.table_heading),
            # Widths that keep a verification code and a date on one line each.
            _grid(reporting_rows(c), [5, 27, 6, 26, 16, 10, 12, 17], st),
        ),
        Spacer(1, 4),
    ]
    if c.under_correction:
        story.append(Paragraph(esc(c.under_correction_note()), st.body))
    if c.awaiting_signature:
        names = "; ".join(r.name for r in c.awaiting_signature)
        story.append(
            Paragraph(
                esc(
                    f"Đã nhận nhưng chưa có chữ ký số hợp lệ theo yêu cầu của Sở (chưa tính là đã nộp, "
                    f"chưa tổng hợp số liệu): {names}."
                ),
                st.body,
            )
        )
    if c.conflicted:
        story.append(Paragraph(esc(c.conflict_note()), st.body))
    if c.missing:
        story.append(Paragraph(esc("Chưa gửi báo cáo: " + "; ".join(c.missing) + "."), st.body))
    if c.missing or c.awaiting_signature:
        story.append(
            Paragraph(
                esc(
                    "Vì vậy con số toàn tỉnh của các chỉ tiêu cần số liệu của các cơ quan này là tạm tính "
                    "(ghi “Tạm tính (n/N cơ quan)”: n cơ quan đã gửi trên N cơ quan phải gửi) và chưa được "
                    "đánh giá Đạt/Chưa đạt."
                ),
                st.body,
            )
        )
    else:
        story.append(Paragraph(esc(f"Tất cả {s['expected']} cơ quan đã gửi báo cáo năm {year}."), st.body))
    wide = len(c.agencies) <= MAX_AGENCY_COLUMNS
    n_ag = len(c.agencies) if wide else 0
    widths = [8, 34, *([17] * n_ag), 17, 13, 11]
    for heading, table in (
        (
            "3. Kết quả thực hiện các chỉ tiêu (Phụ lục 1 của Kế hoạch)",
            _grid(indicator_table_rows(c, goals=False, per_agency=wide), widths, st, size=9),
        ),
        (
            "4. Kết quả thực hiện các mục tiêu (Mục II của Kế hoạch)",
            _grid(indicator_table_rows(c, goals=True, per_agency=wide), widths, st, size=9),
        ),
        (
            "5. Tiến độ thực hiện nhiệm vụ theo đơn vị chủ trì (Phụ lục 2 của Kế hoạch)",
            _grid(task_rows(c), [38, 22, 14, 40], st, size=9.5, group=True),
        ),
    ):
        story += [*keep_heading_with_table(Paragraph(heading, st.table_heading), table), Spacer(1, 6)]
    story.append(Paragraph("II. KHÓ KHĂN, VƯỚNG MẮC", st.section))
    for key, sec in (("difficulties", None), ("proposals", "III. ĐỀ XUẤT, KIẾN NGHỊ")):
        if sec:
            story.append(Paragraph(sec, st.section))
        texts = _narratives(c, key) or ["Không có."]
        story += [Paragraph(esc(t), st.body) for t in texts]
    closing = Paragraph(
        esc(
            f"Trên đây là báo cáo tổng hợp kết quả thực hiện Kế hoạch chuyển đổi số và phát triển báo chí năm {year}."
        )
        + "/.",
        st.body,
    )
    sha, code = c.seal()
    story += signature_block(
        issuer,
        st,
        closing=[closing],
        qr_payload=f"KDX;TONGHOP;{year};{code};{sha}",
        qr_caption=f"Mã xác thực: {code}",
    )
    day = vn_date(issued, "").removeprefix(", ") if issued else f"ngày{GAP}tháng{GAP}năm 20…"
    attached = f"(Kèm theo Báo cáo số{GAP}/BC-{esc(issuer.abbreviation)} {day} của {esc(ident.name)})"
    if not wide:
        story += [
            PageBreak(),
            Paragraph("Phụ lục", st.para("pla", 14, bold=True)),
            Paragraph("KẾT QUẢ CÁC CHỈ TIÊU CỦA TỪNG CƠ QUAN", st.para("plat", 13, bold=True)),
            Paragraph(attached, st.para("plak", 12, italic=True, spaceAfter=6)),
        ]
        inds = list(c.catalog.indicators)
        for i in range(0, len(inds), 5):
            chunk = inds[i : i + 5]
            story += [
                _grid(agency_table_rows(c, chunk), [40, *([16] * len(chunk))], st, size=9),
                Spacer(1, 8),
            ]
    story += [
        PageBreak(),
        Paragraph("Phụ lục", st.para("pl", 14, bold=True)),
        Paragraph(esc("BIỂU ĐỒ CÁC CHỈ TIÊU SO VỚI KẾ HOẠCH QUA CÁC NĂM"), st.para("plt", 13, bold=True)),
        Paragraph(attached, st.para("plk", 12, italic=True, spaceAfter=6)),
        chart_grid(c, st),
    ]
    story += method_annex(c.catalog, list(c.catalog.indicators), st, attached=attached)
    return story


def render_consolidation_pdf(
    c: Consolidation, ident: Identity, *, issued: dt.date | None = None, invariant: bool = False
) -> bytes:
    from ..documents.fonts import register_fonts
    from ..documents.pdf_layout import Footer, build_pdf, make_styles

    st = make_styles(register_fonts())
    _, code = c.seal()
    footer = Footer(f"{ident.name} · Báo cáo tổng hợp năm {c.year} · Mã xác thực: {code}")
    return build_pdf(
        consolidation_story(c, ident, st, issued=issued),
        st,
        footer,
        title=f"Báo cáo {SUMMARY.format(year=c.year).lower()} - {ident.name}",
        author=ident.name,
        subject=SUMMARY.format(year=c.year),
        invariant=invariant,
    )


__all__ = ["indicator_table_rows", "render_consolidation_pdf", "reporting_rows", "task_rows"]
