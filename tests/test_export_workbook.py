"""The workbook: same values as data.json, read back by openpyxl and by LibreOffice; text typed
by people stays text (no formula injection)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kdx_desktop.core.catalog_loader import load_catalog
from kdx_desktop.documents.xlsx_layout import CELL_MAX, CUT_NOTE, safe_text
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.reporting import open_app, set_values
from tests.tools import need

TRICKY = {
    "narrative.results": "=1+2",
    "narrative.difficulties": "@SUM(A1:A2)",
    "narrative.proposals": "+84 912 345 678",
    "task.T1.done": "-5+3 tin bài",
}
HEADER_ROW = 5


@pytest.fixture(scope="module")
def exported(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    data = tmp_path_factory.mktemp("xlsdata") / "data"
    shutil.copytree(demo_dir, data)
    out = tmp_path_factory.mktemp("xlsout")
    app = open_app(data)
    set_values(app, "BKT", 2025, TRICKY)
    result = export_report(app, "BKT", 2025, out)
    app.close()
    doc = json.loads(zipfile.ZipFile(result.package).read("data.json"))
    return {"result": result, "data": doc}


def table(ws) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    rows = list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))
    head = rows[0]
    return [dict(zip(head, r, strict=True)) for r in rows[1:]]


def expected_cell(ind_json: dict, key: str, percent: bool) -> float | None:  # type: ignore[type-arg]
    v = ind_json[key]
    return None if v is None else (v / 100 if percent else v)


def test_sheets_layout_and_print_setup(exported: dict) -> None:  # type: ignore[type-arg]
    wb = load_workbook(exported["result"].xlsx)
    assert wb.sheetnames == [
        "Chỉ tiêu (PL1)",
        "Mục tiêu (II)",
        "Nhiệm vụ (PL2)",
        "Thuyết minh",
        "Số liệu",
        "Giải thích",
    ]
    for ws in wb:
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert "A1:" in str(ws.merged_cells)
        assert ws["A1"].value == "BÁO QUẢNG NGÃI"
        assert ws["A1"].font.name == "Times New Roman"
        assert exported["result"].verification_code in ws["A3"].value


def test_indicator_numbers_equal_data_json(exported: dict) -> None:  # type: ignore[type-arg]
    data, wb = exported["data"], load_workbook(exported["result"].xlsx)
    by_code = {i["code"]: i for i in data["indicators"]}
    rows = table(wb["Chỉ tiêu (PL1)"]) + table(wb["Mục tiêu (II)"])
    assert len(rows) == len(by_code)
    from kdx_desktop.core.catalog_loader import load_catalog

    cat = load_catalog()
    for row in rows:
        ind = next(i for i in cat.indicators if i.source == row["Mã"])
        j = by_code[ind.code]
        pct = ind.display in ("percent", "split")
        for col, key in (("Năm 2025", "value"), ("Năm 2024", "prev_value")):
            want = expected_cell(j, key, pct)
            got = row[col]
            if want is None:
                assert got in (None, "Không áp dụng")
            elif ind.compute.type in ("share", "count"):
                # One agency's part in a share or count of agencies (100/0, 1/0 in data.json) reads
                # as the PDF prints it, never 100 %/0 %.
                assert got == ("Có" if j[key] > 0 else "Không"), (ind.code, col, got)
            else:
                assert isinstance(got, int | float), (ind.code, col, got)
                assert got == pytest.approx(want, abs=1e-8)
    cell = wb["Chỉ tiêu (PL1)"].cell(HEADER_ROW + 1, 6)
    assert cell.number_format == "[$-42A]0.0%"  # shown 58,8% (Vietnamese), stored 0.588


def test_entered_values_equal_data_json(exported: dict) -> None:  # type: ignore[type-arg]
    data, wb = exported["data"], load_workbook(exported["result"].xlsx)
    # Rows are named as people name them; the figure behind each label is found in the catalogue.
    by_label = {el.label: code for code, el in load_catalog().elements.items()}
    values = {by_label[r["Nội dung"]]: r["Giá trị"] for r in table(wb["Số liệu"])}
    numbers = {
        k: v for k, v in data["values"].items() if isinstance(v, int | float) and not isinstance(v, bool)
    }
    assert numbers
    for code, v in numbers.items():
        assert values[code] == pytest.approx(v), code
    assert values["converged_year"] == 2024
    assert wb["Số liệu"].cell(HEADER_ROW + 1, 4).number_format == "[$-42A]#,##0"


def test_user_text_stays_text(exported: dict) -> None:  # type: ignore[type-arg]
    wb = load_workbook(exported["result"].xlsx)
    narrative = {r["Nội dung"]: r for r in table(wb["Thuyết minh"])}
    ws = wb["Thuyết minh"]
    texts = [ws.cell(r, 2) for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert [c.value for c in texts] == ["=1+2", "@SUM(A1:A2)", "+84 912 345 678"]
    assert all(c.data_type == "s" for c in texts)
    assert narrative
    task = table(wb["Nhiệm vụ (PL2)"])[0]
    assert task["Kết quả thực hiện"] == "-5+3 tin bài"
    assert task["Ngày ban hành"] == dt.datetime(2025, 3, 10)
    # the raw file holds no formula at all
    with zipfile.ZipFile(exported["result"].xlsx) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert all(b"<f>" not in z.read(n) for n in sheets)


def test_libreoffice_reads_the_same_values(exported: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    soffice = need("soffice", "libreoffice")
    xlsx = exported["result"].xlsx
    profile = (tmp_path / "profile").as_uri()
    filt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            filt,
            "--outdir",
            str(tmp_path),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    stem = xlsx.stem

    def sheet(name: str) -> list[list[str]]:
        with open(tmp_path / f"{stem}-{name}.csv", encoding="utf-8", newline="") as fh:
            return list(csv.reader(fh))[HEADER_ROW - 1 :]

    data = exported["data"]
    by_code = {i["code"]: i for i in data["indicators"]}
    from kdx_desktop.core.catalog_loader import load_catalog

    cat = load_catalog()
    seen = 0
    for name in ("Chỉ tiêu (PL1)", "Mục tiêu (II)"):
        rows = sheet(name)
        head = rows[0]
        for r in rows[1:]:
            row = dict(zip(head, r, strict=True))
            ind = next(i for i in cat.indicators if i.source == row["Mã"])
            v = by_code[ind.code]["value"]
            seen += 1
            if ind.compute.type in ("share", "count"):  # the agency's part, as the PDF says it
                assert row["Năm 2025"] == ("Có" if v > 0 else "Không"), (ind.code, row["Năm 2025"])
                continue
            # The cells' formats are tagged Vietnamese: LibreOffice writes 61,157025% on any PC.
            text = row["Năm 2025"].replace(".", "").replace(",", ".")
            got = float(text.rstrip("%")) if text.endswith("%") else float(text)
            assert got == pytest.approx(v, abs=1e-6), (ind.code, text)
    assert seen == len(by_code)
    narrative = [r[1] for r in sheet("Thuyết minh")[1:]]
    assert narrative == ["=1+2", "@SUM(A1:A2)", "+84 912 345 678"]


def test_safe_text_removes_controls_and_caps_length() -> None:
    assert safe_text("a\x00b\x07c\td\ne") == "abc\td\ne"
    assert safe_text("e\u0301") == "é"
    long = safe_text("x" * 40000)
    assert len(long) == CELL_MAX
    assert long.endswith(CUT_NOTE)
    assert "data.json" in CUT_NOTE
