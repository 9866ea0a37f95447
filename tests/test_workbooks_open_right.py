"""The workbooks open right in Excel and LibreOffice: A4 set up to print fitted to the width with
the header row on every page, margins, the verification code in the footer; rows as tall as
their wrapped text; figures stored as numbers shown the Vietnamese way; frozen header rows; a
sheet that explains the columns. Checked by reopening with openpyxl and by LibreOffice printing
them."""

from __future__ import annotations

import datetime as dt
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kdx_desktop.core.catalog_loader import load_catalog
from kdx_desktop.documents.xlsx_layout import LINE_PT
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.intake import consolidate, import_paths
from kdx_desktop.services.reporting import open_app
from tests.printed import pdf_text
from tests.tools import need

AGENCIES = ("BKT", "PTTH", "TCVN")


@pytest.fixture(scope="module")
def books(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("books")
    shutil.copytree(demo_dir, work / "data")
    app = open_app(work / "data")
    try:
        results = {o: export_report(app, o, 2025, work / "out") for o in AGENCIES}
        assert not [x.line for x in import_paths(app, [r.package for r in results.values()]) if x.refused]
        xlsx, _pdf = consolidate(app, 2025, work / "cons", issued=dt.date(2026, 1, 5))
    finally:
        app.close()
    return {"agency": results, "consolidated": xlsx, "work": work}


def header_row(ws: Any) -> int:
    return int(str(ws.print_title_rows).split(":")[0].lstrip("$"))


def check_print_setup(ws: Any, code: str) -> None:
    assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
    assert ws.page_setup.orientation in ("portrait", "landscape")
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0  # as many pages down as it takes
    head = header_row(ws)
    assert ws.freeze_panes == f"A{head + 1}", ws.title
    assert ws.page_margins.left >= 0.5 and ws.page_margins.top >= 0.5
    assert code in ws.oddFooter.left.text and "&P" in ws.oddFooter.right.text, ws.title


def check_row_heights(ws: Any) -> None:
    """Every row at least as tall as a crude reading of its longest text needs (characters of
    12 pt Times New Roman average under 6 pt; a column is 7 px a character): never Excel's
    default one-line row under a paragraph."""
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    merged = {r.min_row for r in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=header_row(ws)):
        need_lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or cell.row in merged:
                continue
            col_pt = (widths.get(cell.column_letter, 8.43) * 7 + 5) * 0.75
            lines = sum(max(1, math.ceil(len(p) * 5.0 / col_pt)) for p in cell.value.split("\n"))
            need_lines = max(need_lines, lines)
        height = ws.row_dimensions[row[0].row].height
        assert height is not None and height >= need_lines * LINE_PT * 0.9, (
            ws.title,
            row[0].row,
            height,
            need_lines,
        )


def test_agency_workbooks_print_and_read_right(books: dict[str, Any]) -> None:
    for org, res in books["agency"].items():
        wb = load_workbook(res.xlsx)
        assert wb.sheetnames[-1] == "Giải thích"
        explained = {c.value for c in wb["Giải thích"]["A"]}
        assert set(wb.sheetnames[:-1]) <= explained | {"Giải thích"}, org
        for ws in wb:
            check_print_setup(ws, res.verification_code)
            check_row_heights(ws)
        ws = wb["Chỉ tiêu (PL1)"]
        head = [c.value for c in ws[header_row(ws)]]
        col = head.index("Năm 2025") + 1
        values = [ws.cell(r, col) for r in range(header_row(ws) + 1, ws.max_row + 1)]
        numbers = [c for c in values if isinstance(c.value, int | float)]
        assert numbers and all(c.number_format.startswith("[$-42A]") for c in numbers)
        # A figure is a number; the agency's part in a share or count of agencies is "Có"/"Không",
        # as its PDF prints it (it has no figure of its own).
        part = {i.source for i in load_catalog().indicators if i.compute.type in ("share", "count")}
        code_col = head.index("Mã") + 1
        for c in values:
            allowed = ("Có", "Không") if ws.cell(c.row, code_col).value in part else ()
            assert isinstance(c.value, int | float) or c.value in (None, "Không áp dụng", *allowed), c.value


def test_consolidated_workbook_one_sheet_per_view_every_figure_a_number(books: dict[str, Any]) -> None:
    wb = load_workbook(books["consolidated"])
    for name in ("Toàn tỉnh", "Từng cơ quan", "Nhiệm vụ", "Gửi báo cáo", "Giải thích"):
        assert name in wb.sheetnames
    code = str(wb["Toàn tỉnh"]["A3"].value).rsplit(": ", 1)[1]
    for ws in wb:
        check_print_setup(ws, code)
        check_row_heights(ws)
    whole = wb["Toàn tỉnh"]
    head = [c.value for c in whole[header_row(whole)]]
    for r in range(header_row(whole) + 1, whole.max_row + 1):
        for col in ("Năm 2024", "Năm 2025"):
            cell = whole.cell(r, head.index(col) + 1)
            assert isinstance(cell.value, int | float) or cell.value in (None, "Không áp dụng"), (
                r,
                col,
                cell.value,
            )
    per = wb["Từng cơ quan"]
    head = [c.value for c in per[header_row(per)]]
    assert head[3:] == ["BQN", "PTTH", "TCVN", "Toàn tỉnh"]
    figures = [
        per.cell(r, c).value
        for r in range(header_row(per) + 1, per.max_row + 1)
        for c in range(4, len(head) + 1)
    ]
    # A number; "Có"/"Không" for an agency's part in a count; nothing is a formatted string.
    assert all(isinstance(v, int | float) or v in (None, "Có", "Không", "Không áp dụng") for v in figures)
    province = [per.cell(r, len(head)).value for r in range(header_row(per) + 1, per.max_row + 1)]
    assert province and all(isinstance(v, int | float) for v in province)  # the demo's figures, all there
    sent = wb["Gửi báo cáo"]
    row = [c.value for c in sent[header_row(sent) + 1]]
    assert isinstance(row[0], int) and isinstance(row[2], int) and isinstance(row[4], dt.datetime)


def test_libreoffice_prints_them_in_vietnamese_without_hashes(books: dict[str, Any], tmp_path: Path) -> None:
    """LibreOffice (headless) prints each workbook: figures in the Vietnamese way (58,8%,
    1.500.000), no "###" of a number too wide for its column, the code in every page's footer,
    the consolidated workbook on a handful of pages (it printed on 16 before)."""
    soffice = need("soffice", "libreoffice")
    files = [books["consolidated"], books["agency"]["BKT"].xlsx]
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for xlsx in files:
        pdf = tmp_path / (xlsx.stem + ".pdf")
        text = pdf_text(pdf, "-layout")
        pages = [p for p in text.split("\f") if p.strip()]
        assert "###" not in text, xlsx.name
        assert all("Mã xác thực" in p for p in pages), xlsx.name
        assert "58,8%" in text or "61,2%" in text, xlsx.name  # decimal comma
        assert "1.500.000" in text or "187.000" in text, xlsx.name  # dot grouping
        if xlsx == books["consolidated"]:
            assert len(pages) <= 12
