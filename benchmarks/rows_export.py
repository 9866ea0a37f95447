"""Export row: the demo report's PDF + workbook + package against the libraries' own floor.

The judged baseline is the one the stack notes (shared/design/TOOLING.md) measure: a one-page
reportlab report with a title, a 20×8 table and a QR code, in the same bundled TrueType font KDX
embeds, plus a formatted 20×8 openpyxl sheet (header font, borders, wrapping, column widths), both
written to files. Every report KDX prints carries a QR code and a formatted table, so that is the
floor for the same kind of content. The bare floor (no QR code, no formatting) is measured in the
same rounds and shown in the note. Both sides are warmed up first, so neither pays for importing
reportlab/openpyxl or parsing the font inside the figure.
"""

from __future__ import annotations

import time
from pathlib import Path

from common import ROOT, Result, alternate, compare, make_demo, median, scratch

WHAT = "export of the demo report (PDF + workbook + package), in process"
BASE = "one-page reportlab PDF (title, 20×8 table, QR code) + formatted 20×8 openpyxl sheet"
QR_PAYLOAD = "KDX;BKT;2025;r1;9PC1-YT1N-H6A0;" + "0" * 64  # as long as a report's verification payload
BUDGET = 4.0
ORG, YEAR = "BKT", 2025
FONT = ROOT / "resources" / "fonts" / "LiberationSerif-Regular.ttf"
ROWS, COLS = 20, 8


def baseline_export(out: Path, *, formatted: bool = True) -> None:
    """The least a PDF + workbook export of this kind costs with these libraries (``formatted``:
    with the QR code and the sheet's formatting; without: the bare floor)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    font = "Helvetica"
    if FONT.is_file():
        font = "BenchSerif"
        if font not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(font, str(FONT)))
    cells = [[f"Ô {r + 1}.{c + 1}" for c in range(COLS)] for r in range(ROWS)]
    style = getSampleStyleSheet()["Title"]
    style.fontName = font
    doc = SimpleDocTemplate(str(out / "baseline.pdf"), pagesize=A4, initialFontName=font)
    table = Table(cells)
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, "black")])
    story = [Paragraph("Báo cáo kết quả chuyển đổi số", style), table]
    if formatted:
        qr = Drawing(80, 80)
        qr.add(QrCodeWidget(QR_PAYLOAD, barLevel="M"))
        story.append(qr)
    doc.build(story)
    wb = Workbook()
    ws = wb.active
    for row in cells:
        ws.append(row)
    if formatted:
        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        body, head = Font(name="Times New Roman", size=12), Font(name="Times New Roman", size=12, bold=True)
        wrap = Alignment(wrap_text=True, vertical="top")
        for r, row_cells in enumerate(ws.iter_rows(), start=1):
            for cell in row_cells:
                cell.font = head if r == 1 else body
                cell.border = border
                cell.alignment = wrap
        for c in range(1, COLS + 1):
            ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = 14
    wb.save(out / "baseline.xlsx")


def measure(n: int) -> Result:
    from kdx_desktop.services import exporting
    from kdx_desktop.services.reporting import open_app, reopen

    with scratch("export") as tmp:
        data = tmp / "data"
        data.mkdir()
        make_demo(data)
        app = open_app(data)
        runs = [0]
        sizes: dict[str, int] = {}

        def fresh_out() -> Path:
            runs[0] += 1
            out = tmp / f"out{runs[0]}"
            out.mkdir()
            return out

        def kdx() -> float:
            out = fresh_out()
            report = app.store.find_report(ORG, YEAR)
            if report is not None and report.locked:  # the previous run locked it: reopen, untimed
                reopen(app, ORG, YEAR, "Đo hiệu năng xuất báo cáo")
            t0 = time.perf_counter()
            exporting.export_report(app, ORG, YEAR, out)
            elapsed = time.perf_counter() - t0
            sizes.update({p.suffix: p.stat().st_size for p in out.iterdir()})
            return elapsed

        bare: list[float] = []

        def base() -> float:
            out = fresh_out()
            t0 = time.perf_counter()
            baseline_export(out)
            elapsed = time.perf_counter() - t0
            out = fresh_out()
            t0 = time.perf_counter()
            baseline_export(out, formatted=False)
            bare.append(time.perf_counter() - t0)
            return elapsed

        try:
            xs, bs = alternate(kdx, base, n, warmup=1)
        finally:
            app.close()
    files = ", ".join(f"{ext or '?'} {size / 1024:.0f} KiB" for ext, size in sorted(sizes.items()))
    bare = bare[1:]  # the warm-up round's
    note = (
        f"{ORG} {YEAR}, reopened (untimed) before each run; files: {files}; the bare floor (no QR code, "
        f"unformatted sheet): median {median(bare) * 1000:.1f} ms, ratio {median(xs) / median(bare):.1f}×"
    )
    res = compare("export", WHAT, "ms", BUDGET, xs, bs, baseline=BASE, scale=1000.0, note=note)
    res.extra = {
        "bare_floor_median_ms": median(bare) * 1000,
        "ratio_to_bare_floor": median(xs) / median(bare),
    }
    return res
