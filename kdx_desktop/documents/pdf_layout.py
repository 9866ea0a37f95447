"""Decree 30 page furniture, reusable by every KDX document (agency report, Sở consolidation).

API (reportlab is imported inside the functions, so importing this module is cheap)::

    issuer = Issuer.from_identity(ident)          # or Issuer(...) for the Sở as issuer
    st = make_styles(register_fonts())
    story = [
        *header(issuer, st, issued=date, doc_code="BC"),       # two-column header
        *title_block(st, "BÁO CÁO", summary, recipient=issuer.recipient),
        ...body flowables (st.body, st.section, st.heading, st.cell ...)...,
        CondPageBreak(45 * MM), Paragraph("2. …", st.table_heading), table,   # heading + table
        *signature_block(issuer, st, qr_payload="…"),        # Nơi nhận + signer, QR
    ]
    pdf = build_pdf(story, st, Footer("Cơ quan · năm · lần gửi · mã"), draft=False, title=…)

``HEADER_TEMPLATES`` maps an organisation's ``header_template`` (``state``; ``party`` for
Hướng dẫn 36-HD/VPTW) to a :class:`HeaderTemplate` (right-hand heading, motto, number line), so
another header format is added there without touching the documents.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from ..core.text import nfc
from ..core.vntime import VIETNAM
from .fonts import FontSet

if TYPE_CHECKING:
    from ..core.report import Identity

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 30 * MM, 20 * MM, 20 * MM, 20 * MM
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT


def esc(text: object) -> str:
    """User text made safe for a reportlab Paragraph: NFC, markup escaped, line breaks kept."""
    return escape(nfc(str(text))).replace("\n", "<br/>")


def upper(text: str) -> str:
    return nfc(text).upper()


def vn_date(d: dt.date, place: str) -> str:
    """``Quảng Ngãi, ngày 05 tháng 01 năm 2026``: a leading zero for days 1-9 and months 1-2."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


@dataclass(frozen=True)
class HeaderTemplate:
    heading: str  # right column, first line
    motto: str  # right column, second line (empty for the Party format)
    number: str  # format of the number line; {abbr} and {code} are filled in


HEADER_TEMPLATES = {
    "state": HeaderTemplate(
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số:{gap}/{code}-{abbr}"
    ),
    "party": HeaderTemplate("ĐẢNG CỘNG SẢN VIỆT NAM", "", "Số{gap}-{code}/{abbr}"),
}


@dataclass(frozen=True)
class Issuer:
    """Who issues the document (the names printed in the header and the signature block)."""

    governing_body: str
    name: str
    abbreviation: str
    place: str
    signer_prefix: str
    signer_title: str
    signer_name: str
    recipient: str
    recipients_cc: str = ""
    header_template: str = "state"

    @classmethod
    def from_identity(cls, ident: Identity) -> Issuer:
        return cls(
            governing_body=ident.governing_body,
            name=ident.name,
            abbreviation=ident.abbreviation,
            place=ident.place,
            signer_prefix=ident.signer_prefix,
            signer_title=ident.signer_title,
            signer_name=ident.signer_name,
            recipient=ident.recipient,
            recipients_cc=ident.recipients_cc,
            header_template=ident.header_template,
        )


@dataclass(frozen=True)
class Styles:
    fonts: FontSet
    para: Callable[..., Any]  # ParagraphStyle factory bound to the family
    body: Any
    section: Any
    heading: Any
    table_heading: Any  # a heading followed by a table: put CondPageBreak(45 * MM) before it
    cell: Any
    cell_c: Any
    cell_r: Any
    cell_head: Any


def make_styles(fonts: FontSet) -> Styles:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    def para(name: str, size: float = 13, *, bold: bool = False, italic: bool = False, **kw: Any) -> Any:
        face = {
            (False, False): fonts.regular,
            (True, False): fonts.bold,
            (False, True): fonts.italic,
            (True, True): fonts.bold_italic,
        }[(bold, italic)]
        kw.setdefault("leading", round(size * 1.2, 1))
        kw.setdefault("alignment", TA_CENTER)
        return ParagraphStyle(name, fontName=face, fontSize=size, **kw)

    body_kw = {"alignment": TA_JUSTIFY, "firstLineIndent": 1.27 / 2.54 * 72, "spaceAfter": 6, "leading": 18}
    return Styles(
        fonts=fonts,
        para=para,
        body=para("body", 14, **body_kw),
        section=para(
            "section",
            14,
            bold=True,
            alignment=TA_LEFT,
            spaceBefore=6,
            spaceAfter=6,
            leading=18,
            keepWithNext=1,
        ),
        heading=para("heading", 14, bold=True, keepWithNext=1, **{**body_kw, "alignment": TA_LEFT}),
        # Not kept with its table (the whole table would jump to the next page, leaving half a
        # page blank): precede it with CondPageBreak so it never ends a page alone.
        table_heading=para("table_heading", 14, bold=True, **{**body_kw, "alignment": TA_LEFT}),
        cell=para("cell", 11, alignment=TA_LEFT, leading=13),
        cell_c=para("cell_c", 11, leading=13),
        cell_r=para("cell_r", 11, alignment=TA_RIGHT, leading=13),
        cell_head=para("cell_head", 11, bold=True, leading=13),
    )


_RULE_CLASS: Any = None


def _rule(st: Styles, width: float, *, before: float = 1, after: float = 4) -> Any:
    """A centred horizontal rule ``width`` points long. (HRFlowable ignores its alignment and
    spacing inside table cells, which is where the header's rules live.)"""
    global _RULE_CLASS
    if _RULE_CLASS is None:
        from reportlab.platypus.flowables import Flowable

        class CentredRule(Flowable):  # type: ignore[misc]
            def __init__(self, length: float, before: float, after: float) -> None:
                super().__init__()
                self.length, self.before, self.after = length, before, after

            def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
                self.avail = avail_w
                return avail_w, self.before + self.after + 0.6

            def draw(self) -> None:
                x = (self.avail - self.length) / 2
                y = self.after
                self.canv.setLineWidth(0.6)
                self.canv.line(x, y, x + self.length, y)

        _RULE_CLASS = CentredRule
    return _RULE_CLASS(width, before, after)


# Where a name in the header may go to the next line: after a comma or a dash, before "VÀ" or
# "CÁC" and before the level of a place ("TỈNH", "THÀNH PHỐ", ...; not right after "CÁC"). Next best: before the last two words
# (a place name: "KON TUM", "QUẢNG NGÃI"). Anywhere else only when nothing else fits.
_PLACE_LEVELS = ("TỈNH", "THÀNH", "HUYỆN", "QUẬN")


def _break_levels(words: Sequence[str]) -> list[int]:
    """Level of a break before ``words[i]`` (i >= 1): 1 good, 2 acceptable, 3 last resort."""
    out = [0]
    bare = [w.strip(",.;") for w in words]
    for i in range(1, len(words)):
        prev, word = words[i - 1], bare[i]
        if (
            prev.endswith(",")
            or prev in ("-", "–")
            or word in ("VÀ", "CÁC")
            or (word in _PLACE_LEVELS and bare[i - 1] != "CÁC")
        ):
            out.append(1)
        elif i == len(words) - 2 and len(words) > 3:
            out.append(2)
        else:
            out.append(3)
    return out


def header_lines(text: str, font: str, sizes: Sequence[float], width: float) -> tuple[list[str], float]:
    """``text`` in as few lines as fit ``width`` at the largest of ``sizes`` that allows it, broken
    only between words that belong apart (see :func:`_break_levels`): "TẠP CHÍ VĂN NGHỆ / KON
    TUM", never "TẠP CHÍ VĂN NGHỆ KON / TUM"."""
    from itertools import combinations, pairwise

    from reportlab.pdfbase.pdfmetrics import stringWidth

    words = text.split()
    levels = _break_levels(words)
    kept: tuple[list[str], float] | None = None
    for allowed in (1, 2, 3):
        if allowed == 3 and kept is not None:
            return kept  # good breaks in three lines rather than a torn name in two
        spots = [i for i in range(1, len(words)) if levels[i] <= allowed]
        found: tuple[tuple[float, ...], list[str], float] | None = None
        for size in sizes:  # largest first: on equal scores the larger size stays
            for n in range(min(len(spots), 3) + 1):
                for cut in combinations(spots, n):
                    bounds = [0, *cut, len(words)]
                    lines = [" ".join(words[a:b]) for a, b in pairwise(bounds)]
                    widths = [stringWidth(ln, font, size) for ln in lines]
                    if max(widths) > width:
                        continue
                    score = (len(lines), -size, max(widths) - min(widths))  # fewest, largest, even
                    if found is None or score < found[0]:
                        found = (score, lines, size)
        if found is not None and (found[0][0] <= 2 or kept is not None):
            return (found[1], found[2]) if kept is None or len(found[1]) < len(kept[0]) else kept
        if found is not None:
            kept = (found[1], found[2])
    return kept or ([text], sizes[-1])


def _name_paragraph(text: str, st: Styles, width: float, *, bold: bool) -> Any:
    from reportlab.platypus import Paragraph

    font = st.fonts.bold if bold else st.fonts.regular
    lines, size = header_lines(upper(text), font, (13, 12.5, 12), width)
    return Paragraph("<br/>".join(esc(ln) for ln in lines), st.para(f"hdr{int(bold)}", size, bold=bold))


def header(
    issuer: Issuer, st: Styles, *, issued: dt.date | None, doc_code: str = "BC", subject: str | None = None
) -> list[Any]:
    """The two-column header (about 40/60). ``issued`` None leaves the day for the clerk.
    ``subject`` makes it an official letter (công văn): the number has no document-type code and
    the subject line ("V/v …") follows it in the left column."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table

    tpl = HEADER_TEMPLATES.get(issuer.header_template, HEADER_TEMPLATES["state"])
    left_w, right_w = TEXT_W * 0.42, TEXT_W * 0.58
    gov = _name_paragraph(issuer.governing_body, st, left_w - 4, bold=False)
    agency = _name_paragraph(issuer.name, st, left_w - 4, bold=True)
    agency_rule = _rule(st, left_w * 0.4, before=3)  # clear of the descenders
    gap = "&nbsp;" * 14
    number_text = tpl.number.format(gap=gap, code=doc_code, abbr=esc(issuer.abbreviation))
    if subject is not None:
        number_text = f"Số:{gap}/{esc(issuer.abbreviation)}"
    number: Any = Paragraph(number_text, st.para("number", 13))
    if subject is not None:
        number = [number, Paragraph("V/v " + esc(subject), st.para("vv", 12, leading=14.5, spaceBefore=3))]
    right: list[Any] = [Paragraph(tpl.heading, st.para("qh", 12.5, bold=True))]
    if tpl.motto:
        right.append(Paragraph(tpl.motto, st.para("tn", 13.5, bold=True)))
        right.append(_rule(st, stringWidth(tpl.motto, st.fonts.bold, 13.5), before=3))
    if issued is not None:
        when = esc(vn_date(issued, issuer.place))
    else:
        when = esc(issuer.place) + ", ngày" + "&nbsp;" * 4 + "tháng" + "&nbsp;" * 4 + "năm 20…"
    date_p = Paragraph(when, st.para("date", 13.5, italic=True))
    table = Table(
        [[[gov, agency, agency_rule], right], [number, date_p]],
        colWidths=[left_w, right_w],
        hAlign="CENTER",
    )
    table.setStyle(layout_style(st.fonts.regular, 12, bottom=2))
    return [table]


def title_block(st: Styles, kind: str, summary: str, *, recipient: str | None) -> list[Any]:
    """``BÁO CÁO``, the summary (trích yếu) with a short rule, and ``Kính gửi``."""
    from reportlab.platypus import Paragraph, Spacer

    out: list[Any] = [
        Spacer(1, 16),
        Paragraph(esc(kind), st.para("kind", 14, bold=True)),
        Paragraph(esc(summary), st.para("summary", 14, bold=True, leading=18)),
        _rule(st, TEXT_W * 0.3, before=3, after=10),
    ]
    if recipient:
        out += recipient_block(st, recipient)
    return out


def recipients_of(text: str) -> list[str]:
    """The recipients in a ``Kính gửi`` text, one per ``;`` or line, without dashes or end marks."""
    parts = [p.strip().lstrip("-–").strip().rstrip(";.").strip() for p in text.replace("\n", ";").split(";")]
    return [p for p in parts if p]


def recipient_block(st: Styles, recipient: str) -> list[Any]:
    """``Kính gửi: X.`` on one line for one recipient; for several, Decree 30's list: one per
    line, each after a dash and ending with ``;``, the last with ``.``, under one another."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table

    names = recipients_of(recipient)
    style = st.para("kg", 14, spaceAfter=12)
    if len(names) <= 1:
        return [Paragraph("Kính gửi: " + esc(names[0] if names else recipient), style)]
    item = st.para("kg_item", 14, alignment=0, leading=18)
    lines = [f"- {n};" for n in names[:-1]] + [f"- {names[-1]}."]
    label_w = stringWidth("Kính gửi: ", st.fonts.regular, 14) + 2
    list_w = min(max(stringWidth(ln, st.fonts.regular, 14) for ln in lines) + 4, TEXT_W - label_w)
    table = Table(
        [
            [
                Paragraph("Kính gửi:", st.para("kg_label", 14, alignment=0, leading=18)),
                [Paragraph(esc(ln), item) for ln in lines],
            ]
        ],
        colWidths=[label_w, list_w],
        hAlign="CENTER",
    )
    table.setStyle(layout_style(st.fonts.regular, 14, bottom=12))
    return [table]


def layout_style(font: str, size: float, *, bottom: float | None = None) -> Any:
    """The style of a table used only to place blocks side by side (the header, "Kính gửi", the
    signature block): no side padding, top-aligned; with ``bottom``, no top padding either."""
    from reportlab.platypus import TableStyle

    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font, size),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]
    if bottom is not None:
        commands += [("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), bottom)]
    return TableStyle(commands)


FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
CELL_TOP_PAD, CELL_BOTTOM_PAD = 2, 3
CONTINUED = "(tiếp theo)"


def grid(
    rows: list[list[Any]],
    widths: Sequence[float],
    st: Styles,
    *,
    middle_cols: Sequence[int] | None = None,
    pad: float = 3,
    groups: Sequence[tuple[int, int]] = (),
) -> Any:
    """A ruled table of Paragraph cells scaled to the text width that paginates as a typist's
    does: it breaks only between rows, and its header row repeats at the top of each continuation
    page. A row taller than a page (a task result at its 6,000-character limit) is the one
    exception: it is cut at line boundaries into page-high pieces, each piece after the first
    marked "(tiếp theo)". Body cells sit at the top except ``middle_cols`` (all when None).
    ``groups`` (first, last body row, from 0) share one first-column cell, merged as a typist
    merges a task's cell over its units' rows; a group then stays on one page, unless it is taller
    than half a page (it is left unmerged, to break between its rows)."""
    from reportlab.platypus import Table, TableStyle

    scale = TEXT_W / sum(widths)
    col_w = [w * scale for w in widths]
    head_h = _row_height(rows[0], col_w, pad)
    body: list[list[Any]] = []
    starts, counts, heights = [], [], []
    for row in rows[1:]:
        pieces = _page_high_pieces(row, col_w, pad, FRAME_H - head_h - 2, st)
        starts.append(len(body) + 1)
        counts.append(len(pieces))
        heights.append(_row_height(row, col_w, pad))
        body += pieces
    merged = [
        ("SPAN", (0, starts[a]), (0, starts[b]))
        for a, b in groups
        if b > a and all(n == 1 for n in counts[a : b + 1]) and sum(heights[a : b + 1]) <= FRAME_H / 2
    ]
    # splitInRow stays 0: reportlab's in-row split repeats the header in mid-page and tears rows.
    table = Table([rows[0], *body], colWidths=col_w, repeatRows=1, hAlign="CENTER", splitInRow=0)
    style: list[tuple[Any, ...]] = [
        # Even around Paragraph cells the table sets its cell font: without this, Helvetica (not
        # embedded) gets into the PDF.
        ("FONT", (0, 0), (-1, -1), st.fonts.regular, 11),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "MIDDLE" if middle_cols is None else "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_TOP_PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_BOTTOM_PAD),
    ]
    style += [("VALIGN", (c, 1), (c, -1), "MIDDLE") for c in middle_cols or ()]
    table.setStyle(TableStyle(style + merged))
    return table


def _cell_height(cell: Any, width: float) -> float:
    if isinstance(cell, (list, tuple)):
        return sum(_cell_height(c, width) for c in cell)
    if hasattr(cell, "wrap"):
        _, h = cell.wrap(width, FRAME_H * 10)
        return float(h) + float(getattr(cell, "getSpaceBefore", lambda: 0)())
    return 14.0 * (str(cell).count("\n") + 1) if str(cell) else 0.0


def _row_height(row: Sequence[Any], col_w: Sequence[float], pad: float) -> float:
    return max(_cell_height(c, w - 2 * pad) for c, w in zip(row, col_w, strict=True)) + (
        CELL_TOP_PAD + CELL_BOTTOM_PAD
    )


def _page_high_pieces(
    row: list[Any], col_w: Sequence[float], pad: float, limit: float, st: Styles
) -> list[list[Any]]:
    """``row`` as it is when it fits on a page; else cut at line boundaries into rows that each
    fit under the repeated header, the continuation rows opening with "(tiếp theo)"."""
    from reportlab.platypus import Paragraph

    if _row_height(row, col_w, pad) <= limit:
        return [row]
    mark_style = st.para("continued", 10, italic=True, alignment=0, leading=12)
    narrowest = min(w for c, w in zip(row, col_w, strict=True) if isinstance(c, Paragraph))
    mark_h = Paragraph(CONTINUED, mark_style).wrap(narrowest - 2 * pad, FRAME_H)[1]
    room = limit - CELL_TOP_PAD - CELL_BOTTOM_PAD - mark_h - 1
    rests: list[Any] = list(row)
    pieces: list[list[Any]] = []
    while any(r is not None for r in rests):
        piece: list[Any] = []
        carried = [r is not None and bool(pieces) for r in rests]
        for i, (cell, w) in enumerate(zip(rests, col_w, strict=True)):
            inner = w - 2 * pad
            if cell is None:
                piece.append("")
            elif isinstance(cell, Paragraph) and _cell_height(cell, inner) > room:
                parts = cell.split(inner, room) or [cell]
                piece.append(parts[0])
                rests[i] = parts[1] if len(parts) > 1 else None
                continue
            else:
                piece.append(cell)
            rests[i] = None
        if any(carried):
            i = carried.index(True)
            piece[i] = [Paragraph(CONTINUED, mark_style), piece[i]]
        pieces.append(piece)
    return pieces


def keep_heading_with_table(heading: Any, table: Any) -> list[Any]:
    """``heading`` then ``table``, the heading moved to the next page with the table when the
    header row and the first body row would not fit under it (a heading never ends a page, and
    the table is not pushed whole to the next page either)."""
    from reportlab.platypus import CondPageBreak

    _, h_head = heading.wrap(TEXT_W, FRAME_H)
    h_head += heading.getSpaceBefore() + heading.getSpaceAfter()
    table.wrap(TEXT_W, FRAME_H)
    need = h_head + sum(table._rowHeights[:2]) + 2
    return [CondPageBreak(need), heading, table]


def signature_block(
    issuer: Issuer,
    st: Styles,
    *,
    closing: Sequence[Any] = (),
    qr_payload: str | None = None,
    qr_caption: str = "",
    signable: bool = True,
) -> list[Any]:
    """``Nơi nhận`` (left) level with the signer's authority (right); an optional QR code under the
    list of recipients. ``closing`` is the last paragraph of the body (``Trên đây là …/.``): it
    is kept on the same page as the block, so the signature never stands alone on a page."""
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

    left: list[Any] = [Paragraph("Nơi nhận:", st.para("nn", 12, bold=True, italic=True, alignment=0))]
    item = st.para("nn_item", 11, alignment=0, leading=13)
    lines = ["Như trên"] + [
        ln.strip().lstrip("-").strip().rstrip(";.") for ln in issuer.recipients_cc.splitlines()
    ]
    for ln in lines:
        if ln:
            left.append(Paragraph("- " + esc(ln) + ";", item))
    left.append(Paragraph(f"- Lưu: VT, {esc(issuer.abbreviation)}.", item))
    if qr_payload:
        left += [Spacer(1, 8), qr_flowable(qr_payload, 27 * MM, st.fonts.regular)]
        if qr_caption:
            left.append(Paragraph(esc(qr_caption), st.para("qrc", 8, alignment=0, leading=9.5)))
    auth = st.para("auth", 13.5, bold=True, leading=17)
    right: list[Any] = []
    if issuer.signer_prefix.strip():
        right.append(Paragraph(esc(upper(issuer.signer_prefix)), auth))
    right.append(Paragraph(esc(upper(issuer.signer_title)), auth))
    # A draft is never signed: its space holds no signature field.
    right.append(signature_space(TEXT_W * 0.55, 30 * MM) if signable else Spacer(1, 30 * MM))
    right.append(Paragraph(esc(issuer.signer_name) or "&nbsp;", st.para("signer", 14, bold=True)))
    table = Table([[left, right]], colWidths=[TEXT_W * 0.45, TEXT_W * 0.55])
    table.setStyle(layout_style(st.fonts.regular, 12))
    return [KeepTogether([*closing, Spacer(1, 6), table])]


# Where the officer signs (the space between the authority and the name) is an empty signature
# field of this name. Digital signing (kdx_desktop/signing) fills it, so the visible signature box
# lands exactly there whatever the layout; a certificate provider's own signing tool shows the
# same field to click and sign. An empty field prints nothing.
SIGNATURE_FIELD = "KDX-ChuKySo"


def signature_space(width: float, height: float) -> Any:
    """Blank space for the handwritten signature and seal, holding the empty signature field
    :data:`SIGNATURE_FIELD` (one per document: only the first drawn gets the field)."""
    from reportlab.platypus import Flowable

    class _SignatureSpace(Flowable):  # type: ignore[misc]
        def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
            self.box_w = min(width, avail_w)
            return self.box_w, height

        def draw(self) -> None:
            from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString

            c = self.canv
            form = c.acroForm
            if form.fields:
                return
            x1, y1 = c.absolutePosition(0, 0)
            x2, y2 = c.absolutePosition(self.box_w, height)
            widget = PDFDictionary(
                {
                    "Type": PDFName("Annot"),
                    "Subtype": PDFName("Widget"),
                    "FT": PDFName("Sig"),
                    "T": PDFString(SIGNATURE_FIELD),
                    "F": 4,  # print the signature's appearance once it has one
                    "Rect": PDFArray([round(v, 2) for v in (x1, y1, x2, y2)]),
                }
            )
            c._addAnnotation(widget)
            form.fields.append(form.getRef(widget))

    return _SignatureSpace()


def qr_flowable(payload: str, size: float, font: str) -> Any:
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    # The widget encodes the payload each time it is drawn, and getBounds() draws it: draw it
    # once and keep the shapes (measured: one encode is ~20 % of the report's PDF).
    group = QrCodeWidget(payload, barLevel="M").draw()
    x0, y0, x1, y1 = group.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    # Without this the drawing selects the base-14 Times-Roman, an unembedded font reference.
    drawing.initialFontName = font
    drawing.add(group)
    drawing.hAlign = "LEFT"
    return drawing


def pdf_date(moment: dt.datetime) -> str:
    """``D:20251120143005+07'00'``: a PDF date (ISO 32000 7.9.4) of ``moment`` in Vietnam time,
    as a reader's "Document properties" shows it (a naive moment is the PC's local time)."""
    t = moment.astimezone(VIETNAM)
    return f"D:{t:%Y%m%d%H%M%S}+07'00'"


@dataclass(frozen=True)
class Footer:
    """The KDX line in every page's bottom margin (agency, year, revision, verification code)."""

    text: str


def build_pdf(
    story: Sequence[Any],
    st: Styles,
    footer: Footer,
    *,
    draft: bool = False,
    title: str = "",
    author: str = "",
    subject: str = "",
    invariant: bool = False,
    moment: dt.datetime | None = None,
) -> bytes:
    """Lay ``story`` out on A4 with Decree 30 margins, page numbers from page 2 (top centre),
    ``footer`` on every page and, for a draft, the ``BẢN NHÁP`` watermark on every page.

    ``moment`` (an issued document's own time, e.g. the export's recorded time) makes the bytes a
    function of the story and that time alone: the PDF's creation and modification dates are that
    moment in Vietnam time and its document id is derived from it and the title, never from the
    PC's clock, so building the same document again gives the same file. ``invariant`` does the
    same with reportlab's fixed date (1 January 2000), for documents that have no time of their own."""
    from reportlab.lib.colors import Color
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    fonts = st.fonts
    dated = pdf_date(moment) if moment is not None else None

    def decorate(canvas: Any, doc: Any) -> None:
        if dated is not None and canvas.getPageNumber() == 1:
            # The Info dictionary's dates are formatted when the file is written, after this.
            canvas.setDateFormatter(lambda *_clock: dated)
            # reportlab seeds the document id with its fixed time under ``invariant``; the moment
            # is added so that two revisions of one report never share an id.
            canvas._doc.updateSignature(dated)
        canvas.saveState()
        page = canvas.getPageNumber()
        if draft:
            canvas.setFillColor(Color(0.55, 0.55, 0.55, alpha=0.28))
            canvas.setFont(fonts.bold, 96)
            canvas.translate(PAGE_W / 2, PAGE_H / 2)
            canvas.rotate(52)
            canvas.drawCentredString(0, -30, "BẢN NHÁP")
            canvas.rotate(-52)
            canvas.translate(-PAGE_W / 2, -PAGE_H / 2)
        canvas.setFillColor(Color(0, 0, 0))
        if page > 1:
            canvas.setFont(fonts.regular, 13)
            canvas.drawCentredString(MARGIN_LEFT + TEXT_W / 2, PAGE_H - 13 * MM, str(page))
        canvas.setFont(fonts.regular, 8)
        canvas.setFillColor(Color(0.25, 0.25, 0.25))
        canvas.setStrokeColor(Color(0.6, 0.6, 0.6))
        canvas.setLineWidth(0.3)
        canvas.line(MARGIN_LEFT, 13.5 * MM, PAGE_W - MARGIN_RIGHT, 13.5 * MM)
        canvas.drawString(MARGIN_LEFT, 10 * MM, nfc(footer.text))
        canvas.restoreState()

    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=(PAGE_W, PAGE_H),
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=nfc(title),
        author=nfc(author),
        subject=nfc(subject),
        creator="KDX",
        initialFontName=fonts.regular,
        invariant=1 if invariant or moment is not None else 0,
        lang="vi-VN",
    )
    # No frame padding: the text block is exactly the page minus the Decree 30 margins.
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        TEXT_W,
        PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    doc.build(list(story))
    return buf.getvalue()
