"""Every page of the demo reports, read as a reader does: no table row torn between pages, the
header row repeated only at the top of a continuation page, the signature block never alone.

Checked on the agencies' reports (each agency, each demo year) and on the Sở's consolidated
reports, exported and consolidated by the real code paths."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kdx_desktop.agency.report_pdf import TASK_HEADINGS, indicator_rows, task_rows
from kdx_desktop.package.data import indicator_headings
from kdx_desktop.province import consolidated_pdf as cpdf
from kdx_desktop.province import consolidated_tables as ctables
from kdx_desktop.province.consolidate import consolidation
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.identity import identity
from kdx_desktop.services.intake import consolidate, import_paths
from kdx_desktop.services.reporting import App, load_state, open_app
from tests.printed import (
    Table,
    check_signature,
    check_table,
    check_tables,
    long_task_report,
    page_bodies,
    squash,
)

AGENCIES = ("BKT", "PTTH", "TCVN")
YEARS = (2023, 2024, 2025)


@pytest.fixture(scope="module")
def printed(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The demo agencies' reports exported, then received and consolidated by the Sở."""
    work = tmp_path_factory.mktemp("printed")
    shutil.copytree(demo_dir, work / "data")
    app = open_app(work / "data")
    out, cons = work / "out", work / "cons"
    out.mkdir()
    pdfs = {(o, y): export_report(app, o, y, out) for y in YEARS for o in AGENCIES}
    outcomes = import_paths(app, [r.package for r in pdfs.values()])
    assert not [o.line for o in outcomes if o.refused]
    for y in YEARS:
        consolidate(app, y, cons)
    yield {"app": app, "exports": pdfs, "cons": cons}
    app.close()


def agency_faults(app: App, org: str, year: int, pdf: Path) -> list[str]:
    state = load_state(app, org, year)
    ident = identity(app.catalog, app.store, org, year)
    pages = page_bodies(pdf)
    heads = indicator_headings(year)
    pl1 = [r for r in state.indicators if not state.catalog.indicator(r.code).is_goal]
    goals = [r for r in state.indicators if state.catalog.indicator(r.code).is_goal]
    faults = check_tables(
        pages,
        [
            Table("Phụ lục 1", heads, indicator_rows(state, pl1)),
            Table("Mục II", heads, indicator_rows(state, goals)),
            Table("Phụ lục 2", TASK_HEADINGS, task_rows(state)),
        ],
    )
    faults += check_signature(pages, "Trên đây là báo cáo", ident.signer_title.upper(), ident.signer_name)
    return [f"{org} {year}: {f}" for f in faults]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("org", AGENCIES)
def test_agency_report_pages_read_as_typed(printed: dict, org: str, year: int) -> None:  # type: ignore[type-arg]
    result = printed["exports"][(org, year)]  # type: ignore[index]
    assert agency_faults(printed["app"], org, year, result.pdf) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("year", YEARS)
def test_consolidated_report_pages_read_as_typed(printed: dict, year: int) -> None:  # type: ignore[type-arg]
    app: App = printed["app"]  # type: ignore[assignment]
    c = consolidation(app.catalog, app.store, year)
    dept = app.catalog.consolidator().code
    ident = identity(app.catalog, app.store, dept, year)
    stem = f"BaoCaoTongHop_{app.catalog.consolidator().abbreviation(year)}_{year}"  # STTTT until 2025
    pages = page_bodies(printed["cons"] / f"{stem}.pdf")  # type: ignore[operator]
    wide = len(c.agencies) <= cpdf.MAX_AGENCY_COLUMNS
    tables = [
        Table(name, rows[0], rows[1:])
        for name, rows in (
            ("gửi báo cáo", ctables.reporting_rows(c)),
            ("chỉ tiêu", ctables.indicator_table_rows(c, goals=False, per_agency=wide)),
            ("mục tiêu", ctables.indicator_table_rows(c, goals=True, per_agency=wide)),
            ("nhiệm vụ", ctables.task_rows(c)),
        )
    ]
    faults = check_tables(pages, tables)
    # A task and its lead units share one merged cell, so they stay on one page together.
    task_table = tables[-1]
    group: list[int] = []
    label = ""
    for row in [*task_table.rows, ["end"]]:
        if row[0] and group:
            assert len(set(group)) == 1, f"the rows of task “{label[:40]}” are on pages {group}"
            group = []
        label = row[0] or label
        text = squash("".join(row))
        group += [p for p, body in enumerate(pages) if text in body][:1]
    faults += check_signature(
        pages, "Trên đây là báo cáo tổng hợp", ident.signer_title.upper(), ident.signer_name
    )
    assert faults == []


def test_the_checks_see_a_torn_row_a_lone_signature_and_a_bare_header(printed: dict) -> None:  # type: ignore[type-arg]
    """The page checks themselves fail on the faults they are there to catch."""
    head, rows = ["STT", "Chỉ tiêu"], [["1", "Một hai ba"], ["2", "Bốn năm sáu"]]
    torn = ["STTChỉtiêu1Mộthai", "ba2Bốnnămsáu"]
    assert any("split" in f for f in check_table(torn, Table("t", head, rows)))
    mid = ["STTChỉtiêu1MộthaibaSTTChỉtiêu2Bốnnămsáu"]
    assert any("middle" in f for f in check_table(mid, Table("t", head, rows)))
    bare = ["STTChỉtiêu1Mộthaiba2Bốnnămsáu", "STTChỉtiêu"]
    assert any("only a repeated header" in f for f in check_tables(bare, [Table("t", head, rows)]))
    no_head = ["STTChỉtiêu1Mộthaiba", "2Bốnnămsáu"]
    assert any("does not open" in f for f in check_table(no_head, Table("t", head, rows)))
    alone = ["…Trênđâylàbáocáo", "Nơinhận:-Nhưtrên;GIÁMĐỐCTrầnThịMai"]
    assert check_signature(alone, "Trên đây là báo cáo", "GIÁM ĐỐC", "Trần Thị Mai")
    together = ["…", "Trênđâylàbáocáo./.Nơinhận:-Nhưtrên;GIÁMĐỐCTrầnThịMai"]
    assert check_signature(together, "Trên đây là báo cáo", "GIÁM ĐỐC", "Trần Thị Mai") == []


def test_a_row_taller_than_a_page_continues_under_the_header(demo_dir: Path, tmp_path: Path) -> None:
    """A task's result and notes at their limits (4.000 + 2.000 characters): the row is cut at
    line boundaries, each page after the first opens with the header row and "(tiếp theo)", and
    every other row stays whole."""
    state, pdf = long_task_report(demo_dir, tmp_path, task=1, text="Số hóa tòa soạn và kho lưu trữ ")
    pages = page_bodies(pdf)
    head = "".join(TASK_HEADINGS).replace(" ", "")
    on = [i for i, p in enumerate(pages) if "kholưutrữ" in p]
    assert len(on) >= 3 and on == list(range(on[0], on[-1] + 1))
    for i in on[1:]:
        assert pages[i].startswith(head + "(tiếptheo)"), pages[i][:80]
    rows = task_rows(state)
    whole = [r for r in rows if "kho lưu trữ" not in r[2]]
    faults = check_table(pages, Table("Phụ lục 2", TASK_HEADINGS, whole))
    assert [f for f in faults if "split" in f or "middle" in f] == []
