"""The agency's printed report (Mẫu 1.4, Decree 30) built from a computed, validated report.

Layout per REPORT-FORMAT.md: header, ``BÁO CÁO`` and its summary, ``Kính gửi``, I. results
(general results, the Phụ lục 1 indicators, the Mục II goals, the Phụ lục 2 tasks), II.
difficulties, III. proposals, the closing ``./.``, the signature block with ``Nơi nhận`` and
the QR code. Indicators and tasks come from the catalogue, so a catalogue change changes the
document without touching this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..core.compute import IndicatorResult, format_indicator_value
from ..core.goals import target_and_verdict
from ..core.rules import na_reasons
from ..core.values import NA, field_for_key
from ..core.values import display as display_value
from ..documents.fonts import register_fonts
from ..documents.method_annex import method_section
from ..documents.pdf_layout import (
    Footer,
    Issuer,
    Styles,
    build_pdf,
    esc,
    grid,
    header,
    keep_heading_with_table,
    make_styles,
    signature_block,
    title_block,
)
from ..package.data import Seal, indicator_headings, indicator_justification

if TYPE_CHECKING:
    from ..core.report import Identity, ReportState

SUMMARY = "Kết quả thực hiện Kế hoạch chuyển đổi số và phát triển báo chí năm {year}"


def qr_payload(org_code: str, year: int, seal: Seal) -> str:
    """The QR code's text: organisation, year, revision and the full SHA-256 of ``data.json``."""
    return f"KDX;{org_code};{year};r{seal.revision};{seal.verification_code};{seal.data_sha256}"


def footer_text(name: str, year: int, seal: Seal | None) -> str:
    if seal is None:
        return (
            f"{name} · Báo cáo năm {year} · BẢN NHÁP: chưa xuất, không có mã xác thực, không dùng để gửi Sở"
        )
    return f"{name} · Báo cáo năm {year} · Lần gửi {seal.revision} · Mã xác thực: {seal.verification_code}"


def _paragraphs(text: str, st: Styles, *, empty: str = "Không có.") -> list[Any]:
    from reportlab.platypus import Paragraph

    parts = [p.strip() for p in text.split("\n") if p.strip()] if text.strip() else [empty]
    return [Paragraph(esc(p), st.body) for p in parts]


def indicator_rows(state: ReportState, results: Sequence[IndicatorResult]) -> list[list[str]]:
    """Plain text rows of an indicator table, exactly as printed (also used by the tests)."""
    rows = []
    agency = not state.org.consolidates
    for n, r in enumerate(results, 1):
        ind = state.catalog.indicator(r.code)
        # Past the yearly targets: the plan's next goal and the distance to it (core/goals.py).
        target, verdict = target_and_verdict(ind, r, state.year, agency=agency)
        rows.append(
            [
                str(n),
                ind.label,
                ind.unit,
                format_indicator_value(ind, r.prev_value) if r.prev_value is not None else "—",
                format_indicator_value(ind, r.value, r.na, count=r.count, of=r.of, year=state.year),
                target,
                verdict,
                indicator_justification(state, r.code),
            ]
        )
    return rows


def _indicator_table(state: ReportState, results: Sequence[IndicatorResult], st: Styles) -> Any:
    from reportlab.platypus import Paragraph

    rows: list[list[Any]] = [[Paragraph(h, st.cell_head) for h in indicator_headings(state.year)]]
    for r in indicator_rows(state, results):
        cells = [Paragraph(esc(c), st.cell if i in (1, 7) else st.cell_c) for i, c in enumerate(r)]
        # A split value (61,2%/38,8%) breaks after the slash rather than inside a number.
        cells[3:6] = [Paragraph(esc(c).replace("%/", "%/<br/>"), st.cell_c) for c in r[3:6]]
        rows.append(cells)
    # The target and verdict columns hold the plan's next goal and the gap in a year without a
    # target of its own ("Còn cách mục tiêu 2030: 33,3 điểm %"): wide enough not to stack words.
    return grid(rows, [11, 40, 11, 16, 16, 21, 18, 32], st, middle_cols=(0, 2, 3, 4, 5, 6))


TASK_HEADINGS = ["STT", "Nhiệm vụ", "Kết quả thực hiện", "Sản phẩm", "Tình trạng"]


def task_rows(state: ReportState) -> list[list[str]]:
    """Plain text rows of the Phụ lục 2 task table (number, task, result, product, status)."""
    cat, out = state.catalog, []
    for task in cat.tasks_led_by(state.org.kind, state.year):

        def val(fld: str, code: str = task.code) -> str:
            key = f"task.{code}.{fld}"
            v = state.entries.get(key)
            return "" if v is None else display_value(field_for_key(cat, key), v)

        result = "\n".join(x for x in (val("done"), val("notes")) if x)
        product = ", ".join(
            x for x in (val("product_number"), val("product_date") and f"ngày {val('product_date')}") if x
        )
        out.append([task.no, task.title, result, product, val("status")])
    return out


def _task_table(state: ReportState, st: Styles) -> Any:
    from reportlab.platypus import Paragraph

    rows: list[list[Any]] = [[Paragraph(h, st.cell_head) for h in TASK_HEADINGS]]
    for r in task_rows(state):
        rows.append([Paragraph(esc(c), st.cell_c if i in (0, 4) else st.cell) for i, c in enumerate(r)])
    return grid(rows, [11, 46, 54, 29, 21], st, middle_cols=(0, 4))


def not_applicable_lines(state: ReportState) -> list[str]:
    """Each input of the report marked "Không áp dụng", with the reason the agency gave."""
    cat = state.catalog
    codes = [e.code for e in cat.elements_for(state.org.kind)]
    return [
        f"{cat.elements[c].label}: {(reason or 'chưa ghi lý do').rstrip('.')}."
        for c, reason in na_reasons(cat, state.entries, codes)
    ]


def _not_applicable(state: ReportState, st: Styles) -> list[Any]:
    from reportlab.platypus import Paragraph

    lines = not_applicable_lines(state)
    if not lines:
        return []
    out: list[Any] = [Paragraph(esc("Số liệu ghi “Không áp dụng” và lý do:"), st.body)]
    out += [Paragraph(esc(f"- {line}"), st.body) for line in lines]
    return out


def _narrative(state: ReportState, code: str) -> str:
    v = state.entries.get(f"narrative.{code}")
    return "" if v is None or v is NA else str(v)


def report_story(
    state: ReportState, ident: Identity, st: Styles, *, issued: dt.date | None, seal: Seal | None
) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    year, name = state.year, ident.name
    issuer = Issuer.from_identity(ident)
    story: list[Any] = [
        *header(issuer, st, issued=issued),
        *title_block(st, "BÁO CÁO", SUMMARY.format(year=year), recipient=ident.recipient),
        Paragraph(
            esc(
                f"Thực hiện {state.catalog.title} (sau đây gọi là Kế hoạch), {name} báo cáo kết quả thực hiện năm {year} như sau:"
            ),
            st.body,
        ),
        Paragraph("I. KẾT QUẢ THỰC HIỆN", st.section),
        Paragraph("1. Kết quả chung", st.heading),
        *_paragraphs(_narrative(state, "results"), st),
    ]
    table_heading = st.table_heading
    pl1 = [r for r in state.indicators if not state.catalog.indicator(r.code).is_goal]
    goals = [r for r in state.indicators if state.catalog.indicator(r.code).is_goal]
    n = 2
    for results, title in (
        (pl1, "Kết quả thực hiện các chỉ tiêu (Phụ lục 1 của Kế hoạch)"),
        (goals, "Kết quả thực hiện các mục tiêu (Mục II của Kế hoạch)"),
    ):
        if results:
            heading = Paragraph(f"{n}. {title}", table_heading)
            story += [*keep_heading_with_table(heading, _indicator_table(state, results, st)), Spacer(1, 8)]
            n += 1
    story += _not_applicable(state, st)
    tasks_title = f"{n}. Kết quả thực hiện nhiệm vụ (Phụ lục 2 của Kế hoạch)"
    if state.catalog.tasks_led_by(state.org.kind, year):
        heading = Paragraph(tasks_title, table_heading)
        story += [*keep_heading_with_table(heading, _task_table(state, st)), Spacer(1, 8)]
    else:
        story.append(Paragraph(tasks_title, st.heading))
        story.append(Paragraph(esc(f"Năm {year}, {name} không chủ trì nhiệm vụ nào tại Phụ lục 2."), st.body))
    story += [
        Paragraph("II. KHÓ KHĂN, VƯỚNG MẮC", st.section),
        *_paragraphs(_narrative(state, "difficulties"), st),
        Paragraph("III. ĐỀ XUẤT, KIẾN NGHỊ", st.section),
        *_paragraphs(_narrative(state, "proposals"), st),
    ]
    # How each number above is computed (the same text as the guide and the window's help).
    indicators = [state.catalog.indicator(r.code) for r in state.indicators]
    story += method_section(state.catalog, indicators, st, "IV. PHƯƠNG PHÁP TÍNH")
    closing = Paragraph(
        esc(
            f"Trên đây là báo cáo kết quả thực hiện Kế hoạch chuyển đổi số và phát triển báo chí năm {year} của {name}."
        )
        + "/.",
        st.body,
    )
    qr = qr_payload(state.org.code, year, seal) if seal else None
    caption = f"Mã xác thực: {seal.verification_code}" if seal else ""
    story += signature_block(
        issuer, st, closing=[closing], qr_payload=qr, qr_caption=caption, signable=seal is not None
    )
    return story


def render_report(
    state: ReportState,
    ident: Identity,
    *,
    issued: dt.date | None,
    seal: Seal | None,
    moment: dt.datetime | None = None,
) -> bytes:
    """The report as PDF bytes. ``seal`` None prints a draft (``BẢN NHÁP`` on every page).
    ``moment`` is an exported report's recorded export time: the PDF is then dated with it and
    is the same file byte for byte each time it is made again (see :func:`build_pdf`)."""
    st = make_styles(register_fonts())
    story = report_story(state, ident, st, issued=issued, seal=seal)
    return build_pdf(
        story,
        st,
        Footer(footer_text(ident.name, state.year, seal)),
        draft=seal is None,
        title=f"Báo cáo {SUMMARY.format(year=state.year).lower()} - {ident.name}",
        author=ident.name,
        subject=SUMMARY.format(year=state.year),
        moment=moment,
    )
