"""The "Phương pháp tính" annex printed at the end of the agency's and the Sở's reports.

Its text is :mod:`kdx_desktop.core.method` (catalogue data), the same the guide and the window show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.catalog import Catalog, Indicator
from ..core.method import TITLE, general_notes, indicator_method
from .pdf_layout import Styles, esc, grid


def method_rows(indicators: Sequence[Indicator]) -> list[list[str]]:
    """Plain text rows of the annex table (also used by the tests): indicator, how it is computed."""
    return [[f"{i.source}. {i.short_label}", "\n".join(indicator_method(i))] for i in indicators]


def method_section(catalog: Catalog, indicators: Sequence[Indicator], st: Styles, heading: str) -> list[Any]:
    """The same text as a numbered section of the report's body: the agency's report, whose last
    page must stay the one with the signature block and the QR code (paper check, signing)."""
    from reportlab.platypus import Paragraph

    return [Paragraph(esc(heading), st.section), *_body(catalog, indicators, st)]


def method_annex(
    catalog: Catalog, indicators: Sequence[Indicator], st: Styles, *, attached: str = ""
) -> list[Any]:
    """A new page: the conventions that hold for every indicator, then one row per indicator.
    ``attached``: the "(Kèm theo Báo cáo số …)" line, already escaped, when the report has one."""
    from reportlab.platypus import PageBreak, Paragraph

    story: list[Any] = [
        PageBreak(),
        Paragraph("Phụ lục", st.para("pm", 14, bold=True)),
        Paragraph(esc(TITLE.upper()), st.para("pmt", 13, bold=True)),
    ]
    if attached:
        story.append(Paragraph(attached, st.para("pmk", 12, italic=True, spaceAfter=6)))
    return story + _body(catalog, indicators, st)


def _body(catalog: Catalog, indicators: Sequence[Indicator], st: Styles) -> list[Any]:
    from reportlab.platypus import Paragraph

    story: list[Any] = [
        Paragraph(esc(f"- {note}"), st.para("pmn", 12, alignment=4, spaceAfter=3))
        for note in general_notes(catalog)
    ]
    rows: list[list[Any]] = [
        [Paragraph(h, st.cell_head) for h in ("Chỉ tiêu", "Cách tính và cách hiểu Kế hoạch")]
    ]
    for name, text in method_rows(indicators):
        rows.append([Paragraph(esc(name), st.cell), Paragraph(esc(text).replace("\n", "<br/>"), st.cell)])
    story.append(grid(rows, [40, 130], st))
    return story
