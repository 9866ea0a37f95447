"""The consolidated report as PDF, issued by the Sở in the same Decree 30 format as an agency's.

Reuses the page furniture of ``documents/pdf_layout.py`` (header, title, signature block, footer,
page numbers); the tables' rows come from :mod:`.consolidated_tables`, shared with the workbook. Sections: who reported; each indicator per agency and for the province against
the year's target; the section II goals; task progress by lead unit; difficulties and
proposals; then an appendix of charts (each indicator against its targets across the years).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..documents.method_annex import method_annex
from .consolidate import Consolidation, chart_series
from .consolidated_tables import (
    SUMMARY,
    agency_table_rows,
    indicator_table_rows,
    narratives,
    reporting_rows,
    task_rows,
)

if TYPE_CHECKING:
    from ..core.report import Identity
    from ..documents.pdf_layout import Styles

GAP = "&nbsp;" * 8
MAX_AGENCY_COLUMNS = 4  # more agencies than this: their figures go to an appendix table


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
        *[Paragraph(esc(t), st.body) for t in narratives(c, "results") or ["Không có."]],
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
    if c.merger_note():
        story.append(Paragraph(esc(c.merger_note()), st.body))
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
    # The verdict column holds the gap to the plan's 2030 goal in 2026-2029 ("Còn cách mục tiêu
    # 2030: 33,3 điểm % (cần thêm 1 cơ quan)"): wide enough not to stack it a word a line.
    widths = [8, 29, *([16] * n_ag), 17, 14, 18]
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
        texts = narratives(c, key) or ["Không có."]
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


__all__ = ["MAX_AGENCY_COLUMNS", "render_consolidation_pdf"]
