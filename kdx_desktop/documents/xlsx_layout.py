"""The workbook furniture both workbooks are built with (the agency's and the Sở's consolidated
one): Times New Roman named styles, merged title rows, frozen header rows, A4 print set-up, and
cells written by type. Text typed by people is always stored as text, never as a formula, even
when it starts with ``=``, ``+``, ``-`` or ``@``; control characters are removed and a text longer
than a cell can hold is cut with a visible note. openpyxl is imported only when a sheet is built.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

from ..core.text import nfc
from ..core.vntime import VIETNAM

FONT = "Times New Roman"
CELL_MAX = 32767
CUT_NOTE = " […] (văn bản dài hơn 32.767 ký tự của một ô Excel; xem đầy đủ trong data.json)"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Number formats tagged Vietnamese ([$-42A]): LibreOffice then shows 1.234,5 on any PC (checked
# here). Windows assumption, to check on a real PC: Excel shows the separators of Windows' regional
# setting, 1.234,5 when it is Vietnamese (the offices' default), 1,234.5 under an English one.
VN = "[$-42A]"
PERCENT_FMT, COUNT_FMT, DECIMAL_FMT = f"{VN}0.0%", f"{VN}#,##0", f"{VN}#,##0.0##"
DATE_FMT, YEAR_FMT = "dd/mm/yyyy", "0"  # a year is not 2.025
FONT_SIZE = 12
LINE_PT = 15.75  # the height of one line of 12 pt Times New Roman in Excel and LibreOffice


def safe_text(text: object) -> str:
    """Text fit for a cell: NFC, no control characters, at most 32,767 characters (with a note)."""
    s = _CONTROL.sub("", nfc(str(text)).replace("\r\n", "\n").replace("\r", "\n"))
    if len(s) > CELL_MAX:
        s = s[: CELL_MAX - len(CUT_NOTE)] + CUT_NOTE
    return s


# Named cell styles, registered once per workbook: assigning font, border and alignment to each
# cell made openpyxl hash each style object into the workbook's tables on every assignment (about
# 70 % of building the workbook); one named style per cell is a look-up. The names show in Excel's
# cell-style list, hence Vietnamese.
TITLE, TITLE_BOLD, TITLE_ITALIC = "KDX tiêu đề", "KDX tiêu đề đậm", "KDX tiêu đề nghiêng"
HEADER, CELL_CENTRE, CELL_WRAP = "KDX đầu bảng", "KDX ô căn giữa", "KDX ô văn bản"


def register_styles(wb: Any) -> None:
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=FONT, size=FONT_SIZE)
    bold = Font(name=FONT, size=FONT_SIZE, bold=True)
    italic = Font(name=FONT, size=FONT_SIZE, italic=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for name, f, a, b in (
        (TITLE, font, centre, Border()),
        (TITLE_BOLD, bold, centre, Border()),
        (TITLE_ITALIC, italic, centre, Border()),
        (HEADER, bold, centre, border),
        (CELL_CENTRE, font, centre, border),
        (CELL_WRAP, font, wrap, border),
    ):
        wb.add_named_style(NamedStyle(name=name, font=f, alignment=a, border=b))


def _measure() -> Callable[[str, bool], float]:
    """Width in points of a text in the workbook's font (the PDF's Times New Roman metrics)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from .fonts import register_fonts

    fonts = register_fonts()
    return lambda text, bold: float(stringWidth(text, fonts.bold if bold else fonts.regular, FONT_SIZE))


def wrapped_lines(
    text: str, width_chars: float, measure: Callable[[str, bool], float], *, bold: bool = False
) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width_chars`` wide (Excel's column
    width unit). Neither format stores an automatic row height, so it is computed: the column is
    7 px a character plus 5 (Excel's rule at 96 dpi with its default Calibri 11), less the cell's
    padding and a margin for the spreadsheet's own rounding; the words are wrapped as Excel does,
    a word longer than a line is cut. Windows assumption, to check on a real PC: Excel at 100 %
    display scaling with Calibri as the workbook font (LibreOffice draws columns wider, so its
    rows come out a little taller than needed, never cut)."""
    room = ((width_chars * 7 + 5) - 8) * 0.75 * 0.93  # points
    lines = 0
    for para in text.split("\n"):
        line_w, n = 0.0, 1
        for word in para.split(" "):
            w = measure(word, bold)
            space = measure(" ", bold) if line_w else 0.0
            if line_w + space + w <= room:
                line_w += space + w
                continue
            if line_w:
                n += 1
            while w > room:  # a long word (a link, a code) is broken across lines
                n += 1
                w -= room
            line_w = w
        lines += n
    return lines


class Sheet:
    """A sheet being written: the typed ``text``/``number`` writers, with the named styles of
    :func:`register_styles` (registered on ``wb`` before the first sheet). Every row written
    gets the height its wrapped text needs."""

    def __init__(self, wb: Any, title: str, widths: Sequence[float]) -> None:
        from openpyxl.utils import get_column_letter

        self.ws = wb.create_sheet(title)
        self.widths = list(widths)
        self.measure = _measure()
        self.ncols = len(widths)
        for i, w in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        self.row = 0

    def title(self, lines: Sequence[tuple[str, str]], *, gap: bool = True) -> None:
        """Merged title rows across the table's width; style is "bold", "italic" or "plain".
        ``gap`` leaves an empty row between the title and the table."""
        for text, style in lines:
            self.row += 1
            cell = self.ws.cell(self.row, 1)
            # The style first: assigning a named style replaces the cell's whole format.
            cell.style = {"bold": TITLE_BOLD, "italic": TITLE_ITALIC}.get(style, TITLE)
            self._text(cell, text)
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.ncols)
            self._fit(self.row, [(str(cell.value), sum(self.widths), style == "bold")])
        self.row += 1 if gap else 0

    def header(self, labels: Sequence[str]) -> None:
        self.row += 1
        for c, label in enumerate(labels, 1):
            cell = self.ws.cell(self.row, c)
            cell.style = HEADER
            self._text(cell, label)
        self._fit(self.row, [(str(lab), w, True) for lab, w in zip(labels, self.widths, strict=False)])
        self.ws.freeze_panes = self.ws.cell(self.row + 1, 1)
        self.ws.print_title_rows = f"{self.row}:{self.row}"

    def add(self, values: Sequence[Any], formats: Sequence[str | None] = ()) -> None:
        """One table row: ``str`` as text, numbers as numbers (with ``formats[i]``), dates as dates."""
        self.row += 1
        for c, v in enumerate(values, 1):
            cell = self.ws.cell(self.row, c)
            cell.style = CELL_CENTRE if c == 1 or not isinstance(v, str) or len(v) < 14 else CELL_WRAP
            fmt = formats[c - 1] if c - 1 < len(formats) else None
            if v is None:
                pass
            elif isinstance(v, str):
                self._text(cell, v)
            elif isinstance(v, bool):
                self._text(cell, "Có" if v else "Không")
            elif isinstance(v, dt.date):
                cell.value = v
                cell.number_format = DATE_FMT
            else:
                cell.value = int(v) if isinstance(v, int) else float(v)
                if fmt == DECIMAL_FMT and float(cell.value).is_integer():
                    fmt = COUNT_FMT  # 15.600, not 15.600,0
                if fmt:
                    cell.number_format = fmt
        texts = [(str(v), w, False) for v, w in zip(values, self.widths, strict=False) if isinstance(v, str)]
        self._fit(self.row, texts)

    def _fit(self, row: int, texts: Sequence[tuple[str, float, bool]]) -> None:
        """Set ``row``'s height to its tallest wrapped text (one line at least)."""
        lines = max([wrapped_lines(safe_text(t), w, self.measure, bold=b) for t, w, b in texts] or [1])
        self.ws.row_dimensions[row].height = round(max(lines, 1) * LINE_PT + 4, 2)

    def _text(self, cell: Any, text: str) -> None:
        # Assigning a str that starts with "=" makes openpyxl write a formula: force the type.
        cell.value = safe_text(text)
        cell.data_type = "s"
        if cell.value[:1] in ("=", "+", "-", "@"):
            cell.quotePrefix = True

    def print_setup(self, *, landscape: bool, stamp: str = "", draft: bool = False) -> None:
        """A4, fitted to the page width, the header row on every page, Decree-30-like margins
        (inches), and on every printed page: ``stamp`` (organisation, year, verification code)
        in the footer with the page number, ``BẢN NHÁP`` in the header of a draft."""
        ws = self.ws
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left, ws.page_margins.right = 0.6, 0.4
        ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.6
        ws.print_options.horizontalCentered = True
        ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
        for hf in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
            if draft:
                hf.center.text = "BẢN NHÁP – không dùng để gửi Sở"
                hf.center.font = f"{FONT},Bold"
                hf.center.size = 14
                hf.center.color = "C00000"
        for hf in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
            hf.left.text = _hf_text(stamp)
            hf.left.font = FONT
            hf.left.size = 8
            hf.right.text = "Trang &P/&N"
            hf.right.font = FONT
            hf.right.size = 8


def _hf_text(text: str) -> str:
    """Text for a header/footer section: "&" starts a code there, so a literal one is doubled."""
    return nfc(text).replace("&", "&&")


NUMBERS_NOTE = (
    "Các ô số là số thật (cộng, lọc, vẽ biểu đồ được), hiển thị theo cách viết Việt Nam: 1.234,5 và 58,8%; "
    "tỷ lệ phần trăm lưu dưới dạng phân số (58,8% là 0,588). Ô chữ “Không áp dụng” là chỉ tiêu không áp dụng "
    "cho đơn vị; ô trống là chưa có số liệu."
)


def explain_sheet(
    wb: Any,
    titles: Sequence[tuple[str, str]],
    parts: Sequence[tuple[str, Sequence[tuple[str, str]]]],
    *,
    stamp: str,
    draft: bool,
) -> None:
    """A ``Giải thích`` sheet: what each column of each sheet holds, and how numbers are kept."""
    sh = Sheet(wb, "Giải thích", [24, 26, 80])
    sh.title(titles)
    sh.header(["Trang tính", "Cột", "Nội dung"])
    for sheet, columns in parts:
        for column, meaning in columns:
            sh.add([sheet, column, meaning])
    sh.add(["Tất cả", "Ô số", NUMBERS_NOTE])
    sh.print_setup(landscape=False, stamp=stamp, draft=draft)


def workbook_bytes(wb: Any, moment: dt.datetime) -> bytes:
    """``wb`` as ``.xlsx`` bytes that depend on its content and ``moment`` alone, so an issued
    workbook made again is the same file byte for byte: the document's created and modified
    properties are ``moment`` (stored in UTC, as the format wants), and every part of the zip is
    dated ``moment`` in Vietnam time, in the order openpyxl wrote them. (``Workbook.save`` would
    set "modified" to the PC's clock, and the zip dates each part with the clock too.)"""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = wb.properties.modified = moment.astimezone(dt.UTC).replace(tzinfo=None)
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    t = moment.astimezone(VIETNAM)
    stamp = (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second - t.second % 2)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = zipfile.ZipInfo(info.filename, date_time=stamp)
            part.compress_type = zipfile.ZIP_DEFLATED
            part.external_attr = 0o600 << 16
            dst.writestr(part, src.read(info))
    return out.getvalue()
