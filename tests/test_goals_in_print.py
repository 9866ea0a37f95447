"""A year without targets of its own (2026), read as the Sở and an agency read it: the PDF's text
and the workbook's cells show the plan's 2030 goal, its year and figure, and the exact distance
still to go, in Vietnamese numbers; a goal the plan states in words is printed as its sentence,
with no gap and no verdict; an indicator the plan sets nothing for after 2025 shows its last
target, never an invented one.

The figures of ``tests/year2026.py`` make every gap known by hand: II.1, II.4 and PL1-6 are 2/3
(66,7 %) against 100 % (33,3 points, one more agency); II.5 is 1/3 against 50 % (16,7 points:
two agencies of three are needed, one more); II.2 is 3/3 against 90 % (met).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kdx_desktop.agency.report_pdf import render_report
from kdx_desktop.agency.report_xlsx import render_workbook
from kdx_desktop.core.catalog import Catalog
from kdx_desktop.core.catalog_loader import load_catalog, parse_catalog
from kdx_desktop.core.catalog_specs import CatalogError
from kdx_desktop.core.compute import IndicatorResult
from kdx_desktop.core.goals import GAP_NOTE, WORDED, towards
from kdx_desktop.province.consolidate import consolidation
from kdx_desktop.province.consolidated_pdf import render_consolidation_pdf
from kdx_desktop.province.consolidated_xlsx import render_consolidation_xlsx
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.identity import identity
from kdx_desktop.services.intake import consolidate, import_paths
from kdx_desktop.services.reporting import load_state, open_app
from tests.printed import page_bodies, squash
from tests.year2026 import fill_agency, fill_year

HEADER_ROW = 5  # title rows, a blank row, then the column headings
ISSUED = dt.date(2026, 12, 5)
# A sentence for a goal stated in words. The plan has none for an indicator (each of its 2030
# goals has a figure), so this one stands for what a later edition of the Sở might state.
WORDS = "Tiếp tục tăng thông tin tích cực, thông tin chuyên sâu được đăng tải, lan tỏa"


def later_edition() -> Catalog:
    """Edition 2 as the Sở might issue it: PL1-3 (binding each agency) gets a 2030 figure of 20 %
    and PL1-4 a goal in words only."""
    doc = json.loads(load_catalog().source)
    doc["edition"] = {
        **doc["edition"],
        "number": 2,
        "issued": "2026-06-01",
        "years": {"from": 2026, "to": 2030},
    }
    for ind in doc["indicators"]:
        if ind["code"] == "pl1_3":
            ind["targets"]["2030"] = 20
        if ind["code"] == "pl1_4":
            ind["goal_texts"] = {"2030": WORDS}
    return parse_catalog(json.dumps(doc, ensure_ascii=False).encode())


def rows_by_code(ws: Any) -> dict[str, dict[str, Any]]:
    rows = list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))
    head = rows[0]
    return {r[head.index("Mã")]: dict(zip(head, r, strict=True)) for r in rows[1:]}


def in_pdf(pdf: Path) -> str:
    return "".join(page_bodies(pdf))


@pytest.fixture(scope="module")
def year(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The Sở's folder with the three agencies' 2026 reports exported, received and consolidated."""
    work = tmp_path_factory.mktemp("y2026")
    shutil.copytree(demo_dir, work / "data")
    app = open_app(work / "data")
    fill_year(app)
    results = [export_report(app, o, 2026, work / "out") for o in ("BKT", "PTTH", "TCVN")]
    assert not [o.line for o in import_paths(app, [r.package for r in results]) if o.refused]
    xlsx, pdf = consolidate(app, 2026, work / "cons", issued=ISSUED)
    yield {"app": app, "bkt": results[0], "xlsx": xlsx, "pdf": pdf, "work": work}
    app.close()


# -- the computation -------------------------------------------------------------------------


def result(
    code: str, value: Fraction | None, count: int | None = None, of: int | None = None
) -> IndicatorResult:
    return IndicatorResult(code, value, False, None, "no_target", count=count, of=of, reported=3, expected=3)


def test_the_gap_is_exact_and_counts_the_agencies_still_needed() -> None:
    cat = load_catalog()
    ii_5 = towards(cat.indicator("ii_5"), result("ii_5", Fraction(100, 3), 1, 3), 2026, agency=False)
    assert ii_5 is not None and ii_5.goal_year == 2030 and ii_5.target == 50
    assert ii_5.gap == Fraction(50, 3) and ii_5.agencies_short == 1  # ceil(1,5) = 2 agencies, 1 has
    assert ii_5.verdict == "Còn cách mục tiêu 2030: 16,7 điểm % (cần thêm 1 cơ quan)"
    # PL1-6 has the plan's 2030 goal (Mục II.2: 100 % run a converged newsroom) since 2026.4.
    pl1_6 = towards(cat.indicator("pl1_6"), result("pl1_6", Fraction(200, 3), 2, 3), 2029, agency=False)
    assert pl1_6 is not None and (pl1_6.aim, pl1_6.gap) == ("Mục tiêu 2030: 100%", Fraction(100, 3))
    # 90 % of 3 agencies needs all 3: 2/3 is 23,3 points and one agency short.
    ii_2 = towards(cat.indicator("ii_2"), result("ii_2", Fraction(200, 3), 2, 3), 2026, agency=False)
    assert ii_2 is not None and ii_2.verdict == "Còn cách mục tiêu 2030: 23,3 điểm % (cần thêm 1 cơ quan)"
    met = towards(cat.indicator("ii_2"), result("ii_2", Fraction(100), 3, 3), 2026, agency=False)
    assert met is not None and met.met and met.verdict == "Đã đạt mục tiêu 2030" and met.gap == 0
    # A tiny gap is printed with the decimals it needs, never as 0.
    near = towards(cat.indicator("ii_1"), result("ii_1", Fraction(99996, 1000)), 2026, agency=False)
    assert near is not None and near.verdict == "Còn cách mục tiêu 2030: 0,004 điểm %"
    # While agencies are missing the gap is provisional, and says so.
    partial = IndicatorResult(
        "ii_4", Fraction(100), False, None, "no_target", count=1, of=1, reported=1, expected=3
    )
    t = towards(cat.indicator("ii_4"), partial, 2026, agency=False)
    assert t is not None and t.verdict == "Tạm tính (1/3 cơ quan): đã đạt mục tiêu 2030"
    # The year 2030 has its own target: the usual verdict applies, nothing more.
    assert towards(cat.indicator("ii_4"), result("ii_4", Fraction(100)), 2030, agency=False) is None


def test_a_goal_in_words_is_its_sentence_without_gap_or_verdict() -> None:
    cat = later_edition()
    t = towards(cat.indicator("pl1_4"), result("pl1_4", Fraction(10)), 2026, agency=True)
    assert t is not None and t.worded and t.gap is None and t.target is None
    assert (t.aim, t.verdict) == (f"Mục tiêu đến 2030: {WORDS}", WORDED)


@pytest.mark.parametrize(
    ("goal_texts", "message"),
    [
        ({"2030": "Câu"}, "đã có chỉ tiêu bằng số"),  # ii_1 has 100 for 2030
        ({"hai nghìn": "Câu"}, "không hợp lệ"),
        ({"2029": "Cau\u0301"}, "NFC"),
        ({"2029": "  "}, "câu văn"),
    ],
)
def test_a_goal_in_words_that_cannot_be_read_is_refused_by_name(
    goal_texts: dict[str, str], message: str
) -> None:
    doc = json.loads(load_catalog().source)
    next(i for i in doc["indicators"] if i["code"] == "ii_1")["goal_texts"] = goal_texts
    with pytest.raises(CatalogError, match="ii_1") as err:
        parse_catalog(json.dumps(doc, ensure_ascii=False).encode())
    assert message in str(err.value)


# -- the agency's report ---------------------------------------------------------------------


def test_the_agencys_2026_pdf_and_workbook_show_the_2030_goals(year: dict[str, Any]) -> None:
    res = year["bkt"]
    body = in_pdf(res.pdf)
    # PL1-6, a goal of the whole province: the goal, its year and figure; the province judges it.
    assert squash("Mục tiêu 2030: 100% Tỉnh đánh giá") in body
    # PL1-3 has no goal after 2025: its last target, for reference, and no verdict.
    pl1_3 = "Tỷ lệ tăng hằng năm số lượng tin, bài mới phục vụ nhiệm vụ chính trị, bảo vệ Tổ quốc, thông tin thiết yếu"
    assert squash(f"{pl1_3} % 20,8% 9,2% Chỉ tiêu 2025: 20% Không có chỉ tiêu sau 2025") in body
    assert "Khôngcóchỉtiêu" + "Khôngcóchỉtiêu" not in body  # never the bare old pair
    # Phương pháp tính says how the distance is computed.
    assert squash(GAP_NOTE) in body
    wb = load_workbook(res.xlsx)
    cells = {**rows_by_code(wb["Chỉ tiêu (PL1)"]), **rows_by_code(wb["Mục tiêu (II)"])}
    assert (cells["PL1-6"]["Chỉ tiêu năm 2026"], cells["PL1-6"]["Đánh giá"]) == (
        "Mục tiêu 2030: 100%",
        "Tỉnh đánh giá",
    )
    assert (cells["II.5"]["Chỉ tiêu năm 2026"], cells["II.5"]["Đánh giá"]) == (
        "Mục tiêu 2030: 50%",
        "Tỉnh đánh giá",
    )
    assert (cells["PL1-3"]["Chỉ tiêu năm 2026"], cells["PL1-3"]["Đánh giá"]) == (
        "Chỉ tiêu 2025: 20%",
        "Không có chỉ tiêu sau 2025",
    )
    # The agency's part in a share of agencies reads as in the PDF: "Có"/"Không", not 100 %/0 %.
    assert (cells["II.1"]["Năm 2025"], cells["II.1"]["Năm 2026"]) == ("Có", "Có")
    assert (
        cells["II.5"]["Năm 2026"] == "Có"
        and squash(
            "Cơ quan báo chí tỉnh tăng doanh thu tối thiểu 20% % Có Có Mục tiêu 2030: 50% Tỉnh đánh giá"
        )
        in body
    )
    assert cells["PL1-8"]["Năm 2026"] == "Có"


def test_an_agency_goal_shows_its_gap_and_a_goal_in_words_its_sentence(
    demo_dir: Path, tmp_path: Path
) -> None:
    """Under an edition where PL1-3 (binding each agency) has a 2030 figure, the agency's own gap
    is printed; PL1-4's goal in words is printed as its sentence, with no gap and no verdict."""
    shutil.copytree(demo_dir, tmp_path / "data")
    app = open_app(tmp_path / "data", later_edition())
    fill_agency(app, "TCVN")  # a 2026 draft, under edition 2 (the newest governing 2026)
    state = load_state(app, "TCVN", 2026)
    ident = identity(app.catalog, app.store, "TCVN", 2026, on=ISSUED)
    app.close()
    assert state.catalog.edition.number == 2
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render_report(state, ident, issued=ISSUED, seal=None))
    body = in_pdf(pdf)
    # TCVN: 420 items in 2025, 450 in 2026: +50/7 % = 7,1 %; the goal 20 %: 90/7 = 12,857… points.
    assert squash("7,1% Mục tiêu 2030: 20% Còn cách mục tiêu 2030: 12,9 điểm %") in body
    assert squash(f"Mục tiêu đến 2030: {WORDS} {WORDED}") in body
    wb = load_workbook(io.BytesIO(render_workbook(state, ident, seal=None, created=dt.datetime.now(dt.UTC))))
    cells = rows_by_code(wb["Chỉ tiêu (PL1)"])
    assert (cells["PL1-3"]["Chỉ tiêu năm 2026"], cells["PL1-3"]["Đánh giá"]) == (
        "Mục tiêu 2030: 20%",
        "Còn cách mục tiêu 2030: 12,9 điểm %",
    )
    assert (cells["PL1-4"]["Chỉ tiêu năm 2026"], cells["PL1-4"]["Đánh giá"]) == (
        f"Mục tiêu đến 2030: {WORDS}",
        WORDED,
    )


# -- the consolidated report -----------------------------------------------------------------


def test_the_consolidated_2026_pdf_and_workbook_show_each_gap(year: dict[str, Any]) -> None:
    body = in_pdf(year["pdf"])
    gap_3 = "Còn cách mục tiêu 2030: 33,3 điểm % (cần thêm 1 cơ quan)"
    assert (
        squash(f"Hoàn thành tòa soạn hội tụ Có Có Không 66,7% (2/3 cơ quan) Mục tiêu 2030: 100% {gap_3}")
        in body
    )
    assert (
        squash(f"Đưa nội dung lên nền tảng số Có Không Có 66,7% (2/3 cơ quan) Mục tiêu 2030: 100% {gap_3}")
        in body
    )
    assert (
        squash(f"Vận hành tòa soạn hội tụ Có Có Không 66,7% (2/3 cơ quan) Mục tiêu 2030: 100% {gap_3}")
        in body
    )
    assert (
        squash(
            "Tăng doanh thu tối thiểu 20% Có Không Không 33,3% (1/3 cơ quan) Mục tiêu 2030: 50% "
            "Còn cách mục tiêu 2030: 16,7 điểm % (cần thêm 1 cơ quan)"
        )
        in body
    )
    assert squash("100,0% (3/3 cơ quan) Mục tiêu 2030: 90% Đã đạt mục tiêu 2030") in body
    assert (
        squash(
            "Tăng tin, bài phục vụ nhiệm vụ chính trị 9,2% 5,0% 7,1% 6,5% Chỉ tiêu 2025: 20% Không có chỉ tiêu sau 2025"
        )
        in body
    )
    assert squash(GAP_NOTE) in body
    cells = rows_by_code(load_workbook(year["xlsx"])["Toàn tỉnh"])
    for code in ("PL1-6", "II.1", "II.4"):
        assert (cells[code]["Chỉ tiêu năm 2026"], cells[code]["Đánh giá"]) == (
            "Mục tiêu 2030: 100%",
            gap_3,
        ), code
        assert (cells[code]["Năm 2026"], cells[code]["Số cơ quan"], cells[code]["Trên tổng số"]) == (
            pytest.approx(2 / 3),
            2,
            3,
        )
    assert cells["II.5"]["Đánh giá"] == "Còn cách mục tiêu 2030: 16,7 điểm % (cần thêm 1 cơ quan)"
    # The gap is also a number, exact to the cell's precision, shown in points as the text says.
    ws = load_workbook(year["xlsx"])["Toàn tỉnh"]
    head = [c.value for c in ws[HEADER_ROW]]
    gap_col = head.index("Còn cách mục tiêu") + 1
    ii_5 = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value == "II.5")
    assert ws.cell(ii_5, gap_col).value == pytest.approx(50 / 3, abs=1e-6)
    assert ws.cell(ii_5, gap_col).number_format == '[$-42A]#,##0.0" điểm %"'
    assert cells["PL1-6"]["Còn cách mục tiêu"] == pytest.approx(100 / 3, abs=1e-6)
    assert cells["II.2"]["Còn cách mục tiêu"] is None and cells["PL1-1"]["Còn cách mục tiêu"] is None
    assert (cells["II.2"]["Chỉ tiêu năm 2026"], cells["II.2"]["Đánh giá"]) == (
        "Mục tiêu 2030: 90%",
        "Đã đạt mục tiêu 2030",
    )
    assert (cells["PL1-1"]["Chỉ tiêu năm 2026"], cells["PL1-1"]["Đánh giá"]) == (
        "Chỉ tiêu 2025: 60%/40%",
        "Không có chỉ tiêu sau 2025",
    )


def test_the_consolidated_report_prints_a_goal_in_words_as_its_sentence(
    year: dict[str, Any], tmp_path: Path
) -> None:
    app = year["app"]
    cat = later_edition()
    c = consolidation(cat, app.store, 2026)
    ident = identity(cat, app.store, cat.consolidator().code, 2026, on=ISSUED)
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(render_consolidation_pdf(c, ident, issued=ISSUED))
    body = in_pdf(pdf)
    assert (
        squash(
            f"Tăng thông tin tích cực, chuyên sâu 18,1% 5,5% 7,1% 9,6% Mục tiêu đến 2030: {WORDS} {WORDED}"
        )
        in body
    )
    # The province's growth of items (6,5 %) against PL1-3's 20 %: 13,5 points, exactly 20 − 6,53….
    assert squash("6,5% Mục tiêu 2030: 20% Còn cách mục tiêu 2030: 13,5 điểm %") in body
    cells = rows_by_code(load_workbook(io.BytesIO(render_consolidation_xlsx(c, ident)))["Toàn tỉnh"])
    assert (cells["PL1-4"]["Chỉ tiêu năm 2026"], cells["PL1-4"]["Đánh giá"]) == (
        f"Mục tiêu đến 2030: {WORDS}",
        WORDED,
    )


def test_the_command_line_shows_the_same_goal_and_gap(
    capsys: pytest.CaptureFixture[str], year: dict[str, Any]
) -> None:
    from tests.cli_helpers import run

    data = str(year["work"] / "data")
    _code, out, _ = run(capsys, "show", "--data-dir", data, "--org", "BKT", "--year", "2026")
    assert "Hoàn thành tòa soạn hội tụ: Có (Mục tiêu 2030: 100%) - Tỉnh đánh giá" in out
    assert (
        "Tăng tin, bài phục vụ nhiệm vụ chính trị: 9,2% (Chỉ tiêu 2025: 20%) - Không có chỉ tiêu sau 2025"
        in out
    )


def test_a_goal_in_words_survives_the_sos_catalogue_workbook() -> None:
    """The Sở edits editions in a workbook: a goal in words is kept through export and build, and
    the list of changes names it."""
    from kdx_desktop.services.catalog_workbook import build_from_workbook, export_workbook

    built = build_from_workbook(export_workbook(later_edition()), load_catalog())
    assert built.catalog.indicator("pl1_4").goal_texts == {2030: WORDS}
    assert built.catalog.indicator("pl1_3").targets[2030] == 20
    assert f"Mục tiêu bằng lời của PL1-4 đến năm 2030: (không có) → {WORDS}." in built.changes
    assert "Chỉ tiêu PL1-3 năm 2030: — → 20%." in built.changes
