"""Province series across the years when agencies are renamed or merged: each year counts the
agencies that owed that year's report, under the names of that year, and the line of every chart
goes on through the change (a value each year, the same indicator, the same label)."""

from __future__ import annotations

import datetime as dt
import io
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hostile.packages import AGENCIES, enter_province_facts, export_demo

from kdx_desktop.core.catalog_loader import parse_catalog
from kdx_desktop.province.charts import indicator_chart
from kdx_desktop.province.consolidate import chart_series, consolidation
from kdx_desktop.services.catalog_workbook import (
    EDITION_SHEET,
    ORG_SHEET,
    WorkbookProblem,
    build_from_workbook,
    export_workbook,
)
from kdx_desktop.services.editions import edition_file, install
from kdx_desktop.services.intake import consolidate, import_paths, status_board
from kdx_desktop.services.reporting import App, open_app
from tests.printed import pdf_text, squash

ROOT = Path(__file__).resolve().parents[1]
YEARS = (2023, 2024, 2025)
# The demo's items_essential (PL1-3's element): (2023, 2024, 2025) per agency.
ESSENTIAL = {"BKT": (4_650, 5_380, 6_500), "PTTH": (8_500, 9_900, 11_900), "TCVN": (330, 365, 420)}


@pytest.fixture(scope="module")
def packages(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], Path]:
    return export_demo(demo_dir, tmp_path_factory.mktemp("export"), YEARS)


def _so(tmp_path: Path) -> App:
    (tmp_path / "so").mkdir()
    app = open_app(tmp_path / "so")
    app.store.set_setting("this_org", "STTTT", user="test")
    enter_province_facts(app, YEARS)
    return app


def _import(app: App, packages: dict[tuple[str, int], Path], keys: list[tuple[str, int]]) -> None:
    out = import_paths(app, [packages[k] for k in keys])
    assert all(not o.refused for o in out), [o.line for o in out]


def merger_edition(merged_on: str) -> bytes:
    """Edition 2 as the Sở makes it when the radio-TV station merges into the newspaper: the
    station's last period ends the day before ``merged_on`` and the newspaper is its successor."""
    doc: dict[str, Any] = json.loads((ROOT / "resources" / "catalog" / "kdx-catalog.json").read_text("utf-8"))
    doc["edition"] = {**doc["edition"], "number": 2, "issued": "2026-02-02"}
    ptth = next(o for o in doc["organisations"] if o["code"] == "PTTH")
    last_day = dt.date.fromisoformat(merged_on) - dt.timedelta(days=1)
    ptth["periods"] = [p for p in ptth["periods"] if str(p["from"]) <= last_day.isoformat()]
    ptth["periods"][-1]["to"] = last_day.isoformat()
    ptth["successor"] = "BKT"
    return edition_file(parse_catalog(json.dumps(doc, ensure_ascii=False).encode("utf-8")))


def test_a_renamed_agency_stays_one_line_under_the_name_of_each_year(
    packages: dict[tuple[str, int], Path], tmp_path: Path
) -> None:
    """Báo Kon Tum is Báo Quảng Ngãi from 1 July 2025 (same code, a new period): every year
    counts it once, its reports keep the name of their year, the series has no gap."""
    so = _so(tmp_path)
    try:
        _import(so, packages, [(o, y) for y in YEARS for o in AGENCIES])
        c = consolidation(so.catalog, so.store, 2025, so.editions)
        names = {
            y: {a.org.code: a.name for a in consolidation(so.catalog, so.store, y, so.editions).agencies}
            for y in YEARS
        }
        assert names[2023]["BKT"] == names[2024]["BKT"] == "Báo Kon Tum"
        assert names[2025]["BKT"] == "Báo Quảng Ngãi"
        for code in ("pl1_5", "pl1_6", "ii_2"):
            ind = so.catalog.indicator(code)
            years, values, _ = chart_series(c, ind)
            assert [v is not None for y, v in zip(years, values, strict=True) if y in YEARS] == [True] * 3
            assert [c.history[y][code].of for y in YEARS] == [3, 3, 3]
        # PL1-3 sums every agency in each year, the renamed one included.
        pl1_3 = {y: c.history[y]["pl1_3"].value for y in (2024, 2025)}
        for i, y in enumerate((2024, 2025), start=1):
            cur = sum(v[i] for v in ESSENTIAL.values())
            before = sum(v[i - 1] for v in ESSENTIAL.values())
            assert pl1_3[y] == (Fraction(cur, before) - 1) * 100
        # The chart's only labels are the indicator's and the two lines' (no agency name to go stale).
        ind = so.catalog.indicator("pl1_5")
        drawing = indicator_chart(ind, *chart_series(c, ind), font="Helvetica", bold_font="Helvetica-Bold")
        texts = {getattr(s, "text", "") for s in drawing.getContents()}
        assert "Kết quả của tỉnh" in texts and not any("Kon Tum" in t for t in texts)
    finally:
        so.close()


@pytest.mark.parametrize("merged_on", ["2026-01-01", "2025-07-01"])
def test_a_merged_agency_is_counted_until_its_successor_reports_for_it(
    packages: dict[tuple[str, int], Path], tmp_path: Path, merged_on: str
) -> None:
    """The radio-TV station merges into the newspaper (from 1/1/2026, or on 1/7/2025 during the
    year): years before count three agencies, years after count two; the station is no longer
    expected; the growth of the year of the merger is measured against the base of the same
    agencies (the newspaper's own last year plus the station's), so it neither jumps nor breaks."""
    so = _so(tmp_path)
    try:
        install(so, merger_edition(merged_on))
        last = 2025 if merged_on == "2026-01-01" else 2024  # the last year the station reports
        keys = [(o, y) for y in YEARS for o in AGENCIES if o != "PTTH" or y <= last]
        _import(so, packages, keys)
        c = consolidation(so.catalog, so.store, 2025, so.editions)
        for y in YEARS:
            expected = {r.org_code for r in status_board(so, y).rows if r.expected}
            assert ("PTTH" in expected) == (y <= last), y
            assert {"BKT", "TCVN"} <= expected
            assert c.history[y]["pl1_5"].of == (3 if y <= last else 2), y
            assert c.history[y]["pl1_5"].status != "provisional", y
        for code in ("pl1_3", "pl1_5", "pl1_6", "ii_2"):
            _, values, _ = chart_series(c, so.catalog.indicator(code))
            assert all(v is not None for v in values[: len(YEARS)]), code
        # PL1-3 each year: this year's items of the agencies reporting, against the same agencies'
        # items of the year before (the station's own figures while it reports, then in the base
        # of its successor for the year of the merger).
        for i, y in enumerate(YEARS[1:], start=1):
            reporting = [o for o in ESSENTIAL if o != "PTTH" or y <= last]
            cur = sum(ESSENTIAL[o][i] for o in reporting)
            before = sum(ESSENTIAL[o][i - 1] for o in ESSENTIAL if o != "PTTH" or y - 1 <= last)
            assert c.history[y]["pl1_3"].value == (Fraction(cur, before) - 1) * 100, y
    finally:
        so.close()


def test_a_report_of_a_merged_agency_for_a_year_it_no_longer_owes_is_not_counted_twice(
    packages: dict[tuple[str, int], Path], tmp_path: Path
) -> None:
    """Merged on 1/7/2025, the station owes no 2025 report (the newspaper reports for both); a 2025
    package it sends anyway must not add its figures a second time to the province's."""
    so = _so(tmp_path)
    try:
        install(so, merger_edition("2025-07-01"))
        _import(so, packages, [(o, y) for y in YEARS for o in AGENCIES if (o, y) != ("PTTH", 2025)])
        before = consolidation(so.catalog, so.store, 2025, so.editions)
        _import(so, packages, [("PTTH", 2025)])
        after = consolidation(so.catalog, so.store, 2025, so.editions)
        assert {k: (r.value, r.count, r.of) for k, r in after.province.items()} == {
            k: (r.value, r.count, r.of) for k, r in before.province.items()
        }
        # Not listed beside the province's figures either; the board says it was received.
        assert (
            [a.org.code for a in after.agencies] == [a.org.code for a in before.agencies] == ["BKT", "TCVN"]
        )
        row = next(r for r in status_board(so, 2025).rows if r.org_code == "PTTH")
        assert row.received and not row.expected
    finally:
        so.close()


MERGED_NAME = "Cơ quan báo chí của tỉnh (sau hợp nhất)"  # test data: the decision gives the real name


def test_the_so_enters_the_merger_of_newspaper_and_radio_tv_in_the_catalogue_workbook(
    packages: dict[tuple[str, int], Path], tmp_path: Path
) -> None:
    """Exactly what the guide (section 10) tells the Sở to enter when the decision merging the
    newspaper and the radio-TV station (PL1-7) comes: on every row of the station, the newspaper's
    code in “Tổ chức kế tục” and, on its last row, the day before the merger in “Đến”; on the
    newspaper, “Đến” on its last row and a new row from the merger day with the merged agency's
    name, abbreviation and signer. Then the board no longer expects the station, the successor is
    counted under its new name, with the station's last figures in its base."""
    from openpyxl import load_workbook

    so = _so(tmp_path)
    try:
        wb = load_workbook(io.BytesIO(export_workbook(so.catalog)))
        edition = wb[EDITION_SHEET]
        edition["B2"], edition["B3"], edition["B4"] = 2, "Sở Văn hóa, Thể thao và Du lịch", "02/02/2026"
        org = wb[ORG_SHEET]
        col = {c.value: c.column for c in org[1]}
        rows = {
            k: [r for r in range(2, org.max_row + 1) if org.cell(r, 1).value == k] for k in ("BKT", "PTTH")
        }
        for r in rows["PTTH"]:
            org.cell(r, col["Tổ chức kế tục"], "BKT")
        org.cell(rows["PTTH"][-1], col["Đến"], "30/09/2025")
        last = rows["BKT"][-1]
        org.cell(last, col["Đến"], "30/09/2025")
        org.insert_rows(last + 1)
        for c in range(1, org.max_column + 1):
            org.cell(last + 1, c, org.cell(last, c).value)
        for heading, value in (
            ("Từ", "01/10/2025"),
            ("Đến", None),
            ("Tên", MERGED_NAME),
            ("Chữ viết tắt", "CQBC"),
            ("Chức vụ người ký", "Tổng Biên tập"),
        ):
            org.cell(last + 1, col[heading]).value = value  # (ws.cell(r, c, None) would keep the old value)
        buf = io.BytesIO()
        wb.save(buf)
        # Forgetting to empty “Đến” on the new row leaves a period that ends before it starts.
        org.cell(last + 1, col["Đến"]).value = "30/09/2025"
        wrong = io.BytesIO()
        wb.save(wrong)
        with pytest.raises(WorkbookProblem, match="ngày kết thúc 30/09/2025 trước ngày bắt đầu 01/10/2025"):
            build_from_workbook(wrong.getvalue(), so.catalog)
        built = build_from_workbook(buf.getvalue(), so.catalog)
        assert (
            f"Tổ chức Đài Phát thanh - Truyền hình tỉnh Kon Tum (PTTH) được kế tục bởi {MERGED_NAME} (CQBC)."
            in (built.changes)
        )
        assert (
            "Tổ chức Báo Quảng Ngãi (BQN) từ 2025-07-01: ngày kết thúc “—” → “2025-09-30”." in built.changes
        )
        install(so, edition_file(built.catalog))

        assert so.catalog.org("PTTH").dissolved_on == dt.date(2025, 9, 30)
        board = {y: {r.org_code for r in status_board(so, y).rows if r.expected} for y in YEARS}
        assert "PTTH" in board[2024] and "PTTH" not in board[2025]
        _import(so, packages, [(o, y) for y in YEARS for o in AGENCIES if (o, y) != ("PTTH", 2025)])
        c = consolidation(so.catalog, so.store, 2025, so.editions)
        assert {a.org.code: a.name for a in c.agencies}["BKT"] == MERGED_NAME
        assert c.history[2024]["pl1_5"].of == 3 and c.province["pl1_5"].of == 2
        assert c.province["pl1_5"].status != "provisional" and not c.missing
        cur = ESSENTIAL["BKT"][2] + ESSENTIAL["TCVN"][2]
        before = ESSENTIAL["BKT"][1] + ESSENTIAL["TCVN"][1] + ESSENTIAL["PTTH"][1]
        assert c.province["pl1_3"].value == (Fraction(cur, before) - 1) * 100
        # The report says why the province's figures differ from the columns beside them.
        assert c.merger_note() == (
            "Đài Phát thanh - Truyền hình tỉnh Kon Tum (sáp nhập từ ngày 01/10/2025) vào "
            f"{MERGED_NAME}: {MERGED_NAME} báo cáo năm 2025 thay cho cơ quan đã sáp nhập; chỉ tiêu tăng "
            f"trưởng của tỉnh so với số năm 2024 của {MERGED_NAME} cộng số của cơ quan đã sáp nhập."
        )
        assert consolidation(so.catalog, so.store, 2024, so.editions).merger_note() == ""
        so.store.save_profile("STTTT", 2025, {"signer_name": "Phạm Minh Đức"})
        pdf = next(p for p in consolidate(so, 2025, tmp_path / "th") if p.suffix == ".pdf")
        assert squash("(sáp nhập từ ngày 01/10/2025) vào") in squash(pdf_text(pdf))
    finally:
        so.close()


def test_a_base_typed_by_a_new_merged_agency_is_not_added_to_twice() -> None:
    """A successor with its own last report gets the merged agencies' last figures added to its
    base; a new agency (no last report) types last year's figure for the merged whole, which
    already covers them."""
    from kdx_desktop.core.catalog_loader import load_catalog
    from kdx_desktop.core.compute import UnitData, compute_province

    cat = load_catalog()
    absorbed = {"items_essential": 9_900}

    def pl1_3(unit: UnitData) -> Fraction | None:
        got = {r.code: r for r in compute_province(cat, 2025, [unit], {})}["pl1_3"].value
        return got if isinstance(got, Fraction) else None

    own = UnitData("BKT", "newspaper", {"items_essential": 20_000}, {"items_essential": 6_000}, absorbed)
    assert pl1_3(own) == (Fraction(20_000, 6_000 + 9_900) - 1) * 100
    typed = UnitData(
        "CQBC", "newspaper", {"items_essential": 20_000, "items_essential_prev": 15_900}, None, absorbed
    )
    assert pl1_3(typed) == (Fraction(20_000, 15_900) - 1) * 100
