"""The province's consolidated figures, checked against hand computation, and the documents."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from hostile.packages import AGENCIES, enter_province_facts, export_demo

from kdx_desktop.core.compute import format_indicator_value
from kdx_desktop.province.consolidate import Consolidation, chart_series, consolidation
from kdx_desktop.province.consolidated_tables import indicator_table_rows
from kdx_desktop.services.intake import consolidate, import_paths
from kdx_desktop.services.reporting import App, open_app
from tests.printed import pdf_text
from tests.tools import need


@pytest.fixture(scope="module")
def packages(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], Path]:
    return export_demo(demo_dir, tmp_path_factory.mktemp("export"))


@pytest.fixture
def so(tmp_path: Path, packages: dict[tuple[str, int], Path]) -> App:
    (tmp_path / "so").mkdir()
    a = open_app(tmp_path / "so")
    enter_province_facts(a)
    yield a
    a.close()


def _import(app: App, packages: dict[tuple[str, int], Path], orgs: tuple[str, ...] = AGENCIES) -> None:
    out = import_paths(app, [packages[(o, y)] for y in (2024, 2025) for o in orgs])
    assert all(not o.refused for o in out), [o.line for o in out]


def test_province_figures_match_hand_computation(so: App, packages: dict[tuple[str, int], Path]) -> None:
    _import(so, packages)
    c = consolidation(so.catalog, so.store, 2025)
    p = c.province
    cat = so.catalog

    def shown(code: str) -> str:
        r = p[code]
        return format_indicator_value(cat.indicator(code), r.value, r.na, count=r.count, of=r.of)

    # PL1-1 city share of (print copies + e-press IPs), 2025 demo figures:
    #   city  = BKT 350.000 + 1.500.000 + PTTH (no print: NA) 1.300.000 + TCVN 7.800 + 80.000 = 3.237.800
    #   rural = BKT 225.000 +   950.000 + PTTH                1.050.000 + TCVN 4.200 + 38.000 = 2.267.200
    #   share = 3.237.800 / 5.505.000 = 58,815…% city; target 60% at most -> met.
    assert p["pl1_1"].value == Fraction(3_237_800 * 100, 5_505_000)
    assert shown("pl1_1") == "58,8%/41,2%" and p["pl1_1"].status == "met"
    # PL1-2 the Sở's own facts: 187.000 reached / 187.000 people = 100% (target 100%).
    assert p["pl1_2"].value == 100 and p["pl1_2"].status == "met"
    # PL1-3 growth of essential items, summed: 2025 6.500 + 11.900 + 420 = 18.820;
    #   2024 (each package's previous-year values) 5.380 + 9.900 + 365 = 15.645;
    #   18.820 / 15.645 - 1 = 20,29…% (target 20%) -> met.
    assert p["pl1_3"].value == (Fraction(18_820, 15_645) - 1) * 100
    assert shown("pl1_3") == "20,3%" and p["pl1_3"].status == "met"
    # Last year's province value: 2024 15.645 over 2023 4.650 + 8.500 + 330 = 13.480 -> 16,06…%.
    assert p["pl1_3"].prev_value == (Fraction(15_645, 13_480) - 1) * 100
    # PL1-4 positive items: (4.150 + 8.150 + 560) / (2.760 + 5.400 + 420) - 1 = 12.860 / 8.580 - 1 = 49,88…%;
    #   the target (50%) is whole percent, 49,88 rounds to 50 -> met.
    assert p["pl1_4"].value == (Fraction(12_860, 8_580) - 1) * 100
    # 49,9% against 50%: not met (compared exactly, never on the rounded figure).
    assert shown("pl1_4") == "49,9%" and p["pl1_4"].status == "not_met"
    # PL1-5 self-financed (autonomy group 1-2): BKT 2, PTTH 2, TCVN 3 -> 2 of 3 = 66,7% (target 100%): not met.
    assert (p["pl1_5"].value, p["pl1_5"].count, p["pl1_5"].of) == (Fraction(200, 3), 2, 3)
    assert p["pl1_5"].status == "not_met"
    # PL1-6 converged newsroom completed: BKT, PTTH yes, TCVN converting -> 2 of 3 = 66,7%; target 67% -> met.
    assert p["pl1_6"].value == Fraction(200, 3) and p["pl1_6"].status == "met"
    # PL1-7 the Sở's fact: merged model built (có) -> 1 (target 1).
    assert p["pl1_7"].value == 1 and p["pl1_7"].status == "met"
    # PL1-8 paid content: BKT only -> 1 of 3 agencies.
    assert shown("pl1_8") == "1 (33,3%)" and p["pl1_8"].status == "met"
    # PL1-9 the magazine re-licensed -> 100%.
    assert p["pl1_9"].value == 100
    # II.2 AI platform: BKT, PTTH yes, TCVN no -> 66,7% (target 50%) met.
    assert p["ii_2"].value == Fraction(200, 3) and p["ii_2"].status == "met"
    # II.5 revenue growth >= 20%: BKT 15.600,5/12.800 = +21,9%, PTTH 30.100/24.800 = +21,4%,
    #   TCVN 1.100/1.020 = +7,8% -> 2 of 3 = 66,7% (target 30%).
    assert (p["ii_5"].count, p["ii_5"].of) == (2, 3) and p["ii_5"].status == "met"
    # II.6 staff trained: (58 + 140 + 11) / (58 + 140 + 11) = 100%.
    assert p["ii_6"].value == 100
    # Per agency, the same core as at the agency: BKT's own PL1-1 is 1.850.000 / 3.025.000 city.
    bkt = next(a for a in c.agencies if a.org.code == "BKT")
    assert bkt.indicators["pl1_1"].value == Fraction(1_850_000 * 100, 3_025_000)
    assert c.missing == []


def test_charts_cover_the_years_and_the_2030_goals(so: App, packages: dict[tuple[str, int], Path]) -> None:
    _import(so, packages)
    c = consolidation(so.catalog, so.store, 2025)
    years, values, targets = chart_series(c, so.catalog.indicator("pl1_3"))
    assert years == [2023, 2024, 2025]
    assert values[0] is None  # no 2023 packages were imported
    assert values[1] == pytest.approx(100 * (15_645 / 13_480 - 1))
    assert targets == [10, 15, 20]
    years, _, targets = chart_series(c, so.catalog.indicator("ii_1"))
    assert years[-1] == 2030 and targets[-1] == 100


def test_documents_written_atomically_with_the_figures(
    so: App, packages: dict[tuple[str, int], Path], tmp_path: Path
) -> None:
    need("pdftoppm")
    from openpyxl import load_workbook
    from PIL import Image

    _import(so, packages, orgs=("BKT", "PTTH"))  # the magazine has not reported
    out = tmp_path / "tonghop"
    out.mkdir()
    paths = consolidate(so, 2025, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "BaoCaoTongHop_SVHTTDL_2025.pdf",
        "BaoCaoTongHop_SVHTTDL_2025.xlsx",
    ]
    text = pdf_text(paths[1], "-layout")
    assert "BÁO CÁO" in text and "Tổng hợp kết quả thực hiện Kế hoạch" in text
    # Issued by the Sở (its 2025 name), broken between words that belong apart.
    raw = pdf_text(paths[1], "-raw", "-l", "1")
    assert "\nSỞ VĂN HÓA,\nTHỂ THAO VÀ DU LỊCH\n" in raw
    assert "Chưa gửi báo cáo: Tạp chí Văn nghệ Kon Tum." in text
    # Without the magazine the province's figures are provisional and not judged.
    assert "con số toàn tỉnh" in text and "Tạm tính" in text and "(2/3 cơ" in text
    c = consolidation(so.catalog, so.store, 2025)
    verdicts = {row[0]: row[-1] for row in indicator_table_rows(c, goals=False)[1:]}
    assert verdicts["PL1-5"] == "Tạm tính (2/3 cơ quan)" and verdicts["PL1-9"] == "Tạm tính (0/1 cơ quan)"
    # the Sở's own facts (PL1-2, PL1-7) do not wait for the agencies; everything else does
    assert {verdicts["PL1-2"], verdicts["PL1-7"]} <= {"Đạt", "Chưa đạt"}
    assert not {v for k, v in verdicts.items() if k not in ("PL1-2", "PL1-7")} & {"Đạt", "Chưa đạt"}
    assert "BIỂU ĐỒ CÁC CHỈ TIÊU" in text and "Kết quả của tỉnh" in text
    assert "Mã xác thực:" in text
    # Every font embedded: a table left on reportlab's default font used to pull in Helvetica.
    fonts = subprocess.run(["pdffonts", str(paths[1])], capture_output=True, text=True, check=True).stdout
    rows = [ln.split() for ln in fonts.splitlines()[2:] if ln.strip()]
    assert rows and all(r[-5] == "yes" for r in rows), fonts
    wb = load_workbook(paths[0])
    ws = wb["Toàn tỉnh"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    # Without the magazine: BKT + PTTH city 3.150.000 of 5.375.000 -> 58,6% (a number: 0,586…).
    assert rows["PL1-1"][4] == pytest.approx(3_150_000 / 5_375_000, abs=1e-8)
    assert "Gửi báo cáo" in wb.sheetnames and "Qua các năm" in wb.sheetnames
    # The chart pages print in black and white: no pixel carries colour.
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(paths[1]), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 3
    for png in pages[-2:]:
        r, g, b = Image.open(png).convert("RGB").split()
        assert r.tobytes() == g.tobytes() == b.tobytes(), png.name


def test_consolidation_of_nothing_still_says_who_is_missing(so: App) -> None:
    c: Consolidation = consolidation(so.catalog, so.store, 2025)
    assert c.agencies == [] and len(c.missing) == 3
    assert c.province["pl1_2"].value == 100  # the Sở's own facts count regardless


def test_many_agencies_move_to_an_appendix_table(
    so: App, packages: dict[tuple[str, int], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kdx_desktop.province import consolidated_pdf

    _import(so, packages)
    monkeypatch.setattr(consolidated_pdf, "MAX_AGENCY_COLUMNS", 2)  # as if the province had many agencies
    out = tmp_path / "tonghop"
    out.mkdir()
    text = pdf_text(consolidate(so, 2025, out)[1], "-layout")
    assert "KẾT QUẢ CÁC CHỈ TIÊU CỦA TỪNG CƠ QUAN" in text
    appendix = text.split("KẾT QUẢ CÁC CHỈ TIÊU CỦA TỪNG CƠ QUAN", 1)[1]
    assert "Tạp chí Văn nghệ Kon Tum" in appendix and "58,8%/41,2%" not in appendix.split("BIỂU ĐỒ")[0]


def test_hostile_agency_text_stays_text_in_the_consolidated_workbook(
    so: App, packages: dict[tuple[str, int], Path]
) -> None:
    """Names, narratives and task results come from packages: never a formula, no control
    character reaching openpyxl, and a too-long text cut with a visible note."""
    import dataclasses
    import io

    from openpyxl import load_workbook

    from kdx_desktop.province.consolidated_xlsx import render_consolidation_xlsx
    from kdx_desktop.services.identity import identity

    _import(so, packages)
    c = consolidation(so.catalog, so.store, 2025)
    first = c.agencies[0]
    task = next(k for k in first.entries if k.endswith(".done"))
    entries = {**first.entries, task: '=HYPERLINK("http://x","a")\x07' + "x" * 40_000}
    bad = dataclasses.replace(first, name="@SUM(1+1)\x1b Báo", entries=entries)
    c = dataclasses.replace(c, agencies=[bad, *c.agencies[1:]])
    ident = identity(so.catalog, so.store, so.catalog.consolidator().code, 2025)
    wb = load_workbook(io.BytesIO(render_consolidation_xlsx(c, ident)))
    cells = [cell for ws in wb for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert not [x.coordinate for x in cells if x.data_type == "f"]
    names = [x.value for x in cells if x.value.startswith("@SUM")]
    assert names and all(v == "@SUM(1+1) Báo" for v in names)
    long = next(x.value for x in cells if x.value.startswith("=HYPERLINK"))
    assert "\x07" not in long and len(long) == 32_767 and long.endswith("xem đầy đủ trong data.json)")
