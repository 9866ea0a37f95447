"""The Sở's desk in the windows: read a received report from the board, compare revisions, comment
and issue the review; the agency's window imports it, shows the comments at the fields and
answers; the Sở imports the next revision and sees the answers."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kdx_desktop.gui import intake_page, received_view, review_panel
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.reporting import open_app
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def quiet(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Message boxes collected instead of shown."""
    said: dict[str, list[str]] = {"info": [], "error": []}
    for mod in (intake_page, review_panel, received_view):
        if hasattr(mod, "show_info"):
            monkeypatch.setattr(mod, "show_info", lambda _p, _t, text: said["info"].append(text))
        monkeypatch.setattr(mod, "show_error", lambda _p, _t, text: said["error"].append(text))
    return said


def _agency(demo_dir: Path, tmp_path: Path) -> Path:
    data = copy_demo(demo_dir, tmp_path / "bkt")
    app = open_app(data)
    try:
        app.store.set_setting("this_org", "BKT")
    finally:
        app.close()
    return data


def _so(tmp_path: Path) -> Path:
    data = tmp_path / "so" / "data"
    data.mkdir(parents=True)
    app = open_app(data)
    try:
        app.store.set_setting("this_org", app.catalog.consolidator().code)
    finally:
        app.close()
    return data


def _export(data: Path, out: Path) -> Path:
    app = open_app(data)
    try:
        return export_report(app, "BKT", 2025, out).package
    finally:
        app.close()


def test_round_trip_in_the_windows(
    qtbot: Any, demo_dir: Path, tmp_path: Path, quiet: dict[str, list[str]]
) -> None:
    agency_dir, so_dir = _agency(demo_dir, tmp_path), _so(tmp_path)
    r1 = _export(agency_dir, tmp_path / "out1")

    # -- the Sở: the board, then the report as received ------------------------------------
    so = Opened(qtbot, so_dir, None, 2025)
    page = so.window.intake
    assert page is not None
    page.year.setValue(2025)
    # Before anything arrives, choosing the agency shows no editable draft of the Sở's own.
    so.window.load("BKT", 2025)
    assert so.session.not_received and so.session.locked
    assert not so.session.commit("staff_total", 1)
    assert so.window.ui.lockBanner.isVisible() and "chưa nhận" in so.window.ui.lockLabel.text()
    page.import_files([r1])
    assert page.select_org("BKT") and page.open_button.isEnabled()
    row = next(i for i in range(page.table.rowCount()) if page.table.item(i, 0).text() == "Báo Quảng Ngãi")
    page.table.cellDoubleClicked.emit(row, 0)  # double-click: the window shows the report received
    st = so.session.require_state()
    assert so.session.received is not None and st.org.code == "BKT" and st.entries["staff_total"] == 58
    assert so.window.ui.pageStack.currentWidget() is not None and so.window.ui.sideSplitter.isVisibleTo(
        so.window
    )
    code = so.session.received.row.verification_code
    assert code in so.window.ui.lockLabel.text() and "Chỉ để xem" in so.window.ui.lockLabel.text()
    assert so.window.received_banner.files_button.isVisible()
    # Read-only: a typed value is refused and nothing is stored.
    assert not so.session.commit("staff_total", 60)
    assert so.app.store.find_report("BKT", 2025) is None
    assert so.window.side.problems.rowCount() == len(st.issues)
    # The PDF it sent and its evidence files open from the package kept at import.
    opened: list[Path] = []
    so.window.received_banner.opener = lambda p: opened.append(p) or True
    files = so.window.received_banner.show_files()
    assert isinstance(files, received_view.FilesDialog)
    pdf = files.open_selected()
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF") and opened == [pdf]
    files.close()
    # A comment on a field and one on the whole report; then the review file is issued.
    panel = so.window.review_panel
    assert panel.isVisibleTo(so.window) and panel.add_button.isEnabled()
    panel.ask_comment = lambda pre: ("staff_total", "Tổng số người chưa khớp với báo cáo nhân sự")
    assert panel.add_from_dialog()
    assert panel.add_comment("report", "Đề nghị rà soát lại toàn bộ số liệu")
    assert not panel.add_comment("report", "   ") and "không được để trống" in quiet["error"][-1]
    assert panel.tree.topLevelItemCount() == 2 and not panel.accept_button.isEnabled()
    review_file = panel.issue_to(tmp_path / "gopy")
    assert review_file is not None and review_file.name == "GopY_BQN_2025_lan1.json"
    assert not panel.add_button.isEnabled()
    page.refresh()
    bkt = next(r for r in page.board.rows if r.org_code == "BKT")
    assert bkt.under_correction and page.select_org("BKT")
    cells = [page.table.item(row, c).text() for c in range(page.table.columnCount())]
    assert any(c.startswith("Cần sửa: 2 ý kiến") for c in cells)
    so.close()

    # -- the agency: import the review, see the comments at the fields, answer ------------------
    ag = Opened(qtbot, agency_dir, "BKT", 2025)
    assert ag.session.locked
    apanel = ag.window.review_panel
    assert not apanel.isVisibleTo(ag.window) and apanel.import_action.isVisible()
    apanel.pick_file = lambda: review_file
    assert apanel.choose_and_import()
    assert not ag.session.locked and ag.session.require_state().report.revision == 2
    assert apanel.isVisibleTo(ag.window) and apanel.tree.topLevelItemCount() == 2
    assert "2 ý kiến chưa trả lời" in apanel.summary.text()
    # A click on the comment goes to its field, where the comment shows.
    assert apanel.select(1)
    apanel._jump()
    help_text = ag.row("staff_total").help.text()
    assert "Góp ý của Sở" in help_text and "chưa khớp với báo cáo nhân sự" in help_text
    ag.type_into("staff_total", "60")
    ag.type_into("staff_trained", "60")
    assert apanel.tree.topLevelItem(0).text(3) == "Đã trả lời"
    assert apanel.select(2)
    apanel.reply_edit.setPlainText("Đã rà soát, số liệu đúng")
    assert apanel.save_reply()
    assert "đã trả lời đủ" in apanel.summary.text()
    ag.close()
    r2 = _export(agency_dir, tmp_path / "out2")

    # -- the Sở: the next revision, the answers and the differences ---------------------------
    so = Opened(qtbot, so_dir, None, 2025)
    page = so.window.intake
    page.year.setValue(2025)
    page.import_files([r2])
    page.results.itemDoubleClicked.emit(page.results.topLevelItem(0), 0)  # from the import results
    rec = so.session.received
    assert rec is not None and rec.row.revision == 2 and rec.reopen_reason
    assert "Lý do gửi lại: Theo góp ý của Sở" in so.window.ui.lockLabel.text()
    panel = so.window.review_panel
    states = [panel.tree.topLevelItem(i).text(3) for i in range(panel.tree.topLevelItemCount())]
    assert states == ["Đã trả lời", "Đã trả lời"]
    assert panel.select(1, 1)
    assert "Đã sửa</b> Tổng số lãnh đạo" in panel.detail.text() and "58 → 60" in panel.detail.text()
    assert panel.select(2, 1)
    assert "Đã rà soát, số liệu đúng" in panel.detail.text()
    history = so.window.received_banner.show_history()
    assert isinstance(history, received_view.HistoryDialog)
    text = history.diff.toPlainText()
    assert text.startswith("Lần 2 so với lần 1: 2 giá trị khác nhau.") and "58 → 60" in text
    assert "Lý do gửi lại" in history.list.item(1).text()
    history.list.setCurrentRow(0)
    history.view_selected()  # the older revision, read again
    assert so.session.received.row.revision == 1 and not so.session.received.row.current
    assert (
        "lần cũ" in so.window.ui.lockLabel.text() and so.session.require_state().entries["staff_total"] == 58
    )
    so.close()


def test_board_sorts_filters_prints_and_reminds(
    qtbot: Any, demo_dir: Path, tmp_path: Path, quiet: dict[str, list[str]]
) -> None:
    import openpyxl
    from PySide6.QtCore import Qt

    agency_dir, so_dir = _agency(demo_dir, tmp_path), _so(tmp_path)
    r1 = _export(agency_dir, tmp_path / "out1")
    so = Opened(qtbot, so_dir, None, 2025)
    page = so.window.intake
    page.year.setValue(2025)
    page.import_files([r1])
    names = lambda: [page.table.item(i, 0).text() for i in range(page.table.rowCount())]  # noqa: E731
    # Sorting on "Thời hạn": received (late) before the overdue ones, then the other way round.
    page.table.sortItems(5, Qt.SortOrder.AscendingOrder)
    assert names()[0] == "Báo Quảng Ngãi"
    page.table.sortItems(5, Qt.SortOrder.DescendingOrder)
    assert names()[-1] == "Báo Quảng Ngãi"
    # Filtering on one column or on all of them.
    page.filter_column.setCurrentIndex(page.filter_column.findData(5))
    page.filter_text.setText("quá hạn")
    visible = [n for i, n in enumerate(names()) if not page.table.isRowHidden(i)]
    assert sorted(visible) == ["Tạp chí Văn nghệ Kon Tum", "Đài Phát thanh - Truyền hình tỉnh Kon Tum"]
    page.filter_column.setCurrentIndex(0)
    page.filter_text.setText("quảng ngãi")
    assert page.apply_filter() == 1
    page.filter_text.setText("")
    assert page.apply_filter() == 3
    # Print and workbook.
    pdf = page.write_board(tmp_path / "bang.pdf", "pdf")
    xlsx = page.write_board(tmp_path / "bang.xlsx", "xlsx")
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    assert xlsx is not None and openpyxl.load_workbook(xlsx).active.max_row >= 6
    # Reminders for everyone to chase, or only the selected agency.
    files = page.write_reminders(tmp_path / "nhac")
    assert sorted(f.name for f in files) == [
        "DonDoc_PTTH_2025.eml",
        "DonDoc_PTTH_2025.pdf",
        "DonDoc_TCVN_2025.eml",
        "DonDoc_TCVN_2025.pdf",
    ]
    shutil.rmtree(tmp_path / "nhac")
    assert page.select_org("TCVN")
    assert [f.name for f in page.write_reminders(tmp_path / "nhac")] == [
        "DonDoc_TCVN_2025.eml",
        "DonDoc_TCVN_2025.pdf",
    ]
    so.close()
