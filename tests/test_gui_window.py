"""The data-entry window driven as an officer would: type, see the results, fix problems."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from kdx_desktop.core.values import NA
from kdx_desktop.gui.models import IndicatorModel, ProblemModel
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path)


def indicator_text(w: Opened, code: str, column: int) -> str:
    model = w.window.side.indicators
    for row in range(model.rowCount()):
        if model.row_at(row)[0].code == code:
            return model.text(row, column)
    raise AssertionError(f"{code} not in the panel")


def problem_rules(w: Opened) -> set[tuple[str, str]]:
    model = w.window.side.problems
    return {(model.issue_at(r).rule, model.issue_at(r).field) for r in range(model.rowCount())}


def test_sections_come_from_the_catalogue(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    tree = w.window.ui.sectionTree
    titles = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert titles[:4] == ["Số liệu", "Kết quả chỉ tiêu", "Nhiệm vụ (Phụ lục 2)", "Thuyết minh"]
    cat = w.app.catalog
    on_screen = set(w.window.pages.key_page)
    for el in cat.elements_for("newspaper"):
        assert el.code in on_screen
    assert "relicensed" not in on_screen  # magazines only
    for task in cat.tasks_led_by("newspaper", 2025):
        assert f"task.{task.code}.status" in on_screen
    assert {"narrative.results", "narrative.difficulties", "narrative.proposals"} <= on_screen
    # Unit, help line, last year's value beside this year's.
    row = w.row("staff_total")
    assert row.unit.text() == "người"
    assert row.help.text() == cat.elements["staff_total"].help
    assert row.prev.text() == "60"
    assert row.editor.text() == "58"
    w.close()


def test_typing_saves_at_once_in_vietnamese_format(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    w.type_into("revenue", "1.234,5")
    assert w.session.value("revenue") == Decimal("1234.5")
    assert w.stored("revenue") == ("1234.5", False)
    assert w.editor("revenue").text() == "1.234,5"
    # Saved, and said to be far from last year's 15.600,5: a warning, not a plain "✓ Đã lưu".
    assert w.row("revenue").saved.text() == "⚠ Đã lưu, cần giải trình"
    assert w.window.ui.saveStateLabel.text().startswith("⚠ Đã lưu lúc")
    w.type_into("revenue", "15.000")
    assert w.row("revenue").saved.text() == "✓ Đã lưu"
    assert w.window.ui.saveStateLabel.text().startswith("✓ Đã lưu lúc")
    w.type_into("revenue", "1.234,5")
    # Enter moved on to the next field.
    assert w.window.focusWidget() is not w.editor("revenue")
    # The audit trail has the edit.
    audit = [a for a in w.app.store.audit_rows(w.session.state.report.id) if a["key"] == "revenue"]
    assert audit[-1]["new_value"] == "1234.5" and audit[-1]["old_value"] == "15000"
    assert audit[-3]["old_value"] == "15600.5"
    w.close()


def test_decomposed_vietnamese_is_stored_composed(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    text = "Quyết định số 9/QĐ-UBND về an toàn thông tin"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    w.type_into("security_decision", nfd)  # a one-line field
    assert w.stored("security_decision") == (text, False)
    lines = "Nền tảng Zalo\nBáo điện tử trên ứng dụng di động"
    w.type_into("digital_platforms_list", unicodedata.normalize("NFD", lines))  # a multi-line box
    assert w.stored("digital_platforms_list") == (lines, False)
    w.close()


def test_multiline_text_is_saved_after_a_pause_in_typing(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    assert w.window.pages.show_key("narrative.proposals")
    box = w.editor("narrative.proposals")
    box.setPlainText("Đề nghị hỗ trợ kinh phí chuyển đổi số")
    qtbot.waitUntil(
        lambda: w.stored("narrative.proposals") == ("Đề nghị hỗ trợ kinh phí chuyển đổi số", False),
        timeout=4000,
    )
    w.close()


def test_bad_value_is_explained_and_changes_nothing(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    before = w.stored("staff_total")
    w.type_into("staff_total", "58 người nữa")
    row = w.row("staff_total")
    assert not row.error.isHidden()
    assert row.error.text().startswith("Chưa lưu:")
    assert w.stored("staff_total") == before
    w.type_into("staff_total", "-3")
    assert "âm" in row.error.text()
    assert w.stored("staff_total") == before
    w.close()


def test_indicators_targets_and_problems_follow_the_typing(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    assert indicator_text(w, "pl1_3", IndicatorModel.TARGET) == "20%"
    assert indicator_text(w, "pl1_3", IndicatorModel.VALUE) == "20,8%"  # 6.500 vs 5.380
    assert indicator_text(w, "pl1_3", IndicatorModel.STATUS) == "Đạt"
    w.type_into("items_essential", "5.380")
    assert indicator_text(w, "pl1_3", IndicatorModel.VALUE) == "0,0%"
    assert indicator_text(w, "pl1_3", IndicatorModel.STATUS) == "Chưa đạt"
    assert ("W02", "pl1_3") in problem_rules(w)
    assert "cảnh báo chưa giải trình" in w.window.ui.summaryLabel.text()
    # An error: more trained staff than staff.
    w.type_into("staff_trained", "80")
    assert ("R01", "staff_trained") in problem_rules(w)
    assert w.window.ui.summaryLabel.text().startswith("1 lỗi chặn xuất")
    w.type_into("staff_trained", "58")
    assert ("R01", "staff_trained") not in problem_rules(w)
    w.type_into("items_essential", "6.500")
    assert indicator_text(w, "pl1_3", IndicatorModel.STATUS) == "Đạt"
    assert ("W02", "pl1_3") not in problem_rules(w)
    w.close()


def test_click_on_a_problem_goes_to_its_field(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    w.type_into("staff_trained", "80")
    w.window.pages.show_key("narrative.results")  # somewhere else
    view = w.window.ui.problemView
    model = w.window.side.problems
    row = model.row_of("R01", "staff_trained")
    rect = view.visualRect(model.index(row, ProblemModel.MESSAGE))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = w.window.pages.key_page["staff_trained"]
    assert w.window.ui.pageStack.currentWidget() is page
    assert w.window.focusWidget() is w.editor("staff_trained")
    assert w.window.ui.sectionTree.currentItem().text(0) == "Thông tin chung"
    w.close()


def test_a_warning_is_justified_in_place(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    w.type_into("items_essential", "5.380")
    side = w.window.side
    assert side.select_problem("W02", "pl1_3")
    # The click leads to the input the indicator is computed from.
    assert w.window.focusWidget() is w.editor("items_essential")
    ui = w.window.ui
    assert ui.justificationBox.isEnabled()
    assert ui.justificationTarget.text().startswith("Cảnh báo về “PL1-3: ")
    ui.justificationEdit.setPlainText("Năm 2025 tòa soạn tập trung vào tin, bài chuyên sâu.")
    qtbot.mouseClick(ui.saveJustificationButton, Qt.MouseButton.LeftButton)
    assert w.stored("justification.W02.pl1_3") == (
        "Năm 2025 tòa soạn tập trung vào tin, bài chuyên sâu.",
        False,
    )
    row = side.problems.row_of("W02", "pl1_3")
    assert side.problems.data(side.problems.index(row, ProblemModel.JUSTIFIED)) == "Đã giải trình"
    assert ui.summaryLabel.text().startswith("✓ Không có lỗi")
    w.close()


def test_undo_and_redo_go_through_the_save_path(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    w.type_into("staff_total", "61")
    assert w.stored("staff_total") == ("61", False)
    w.window.undo_action.trigger()
    assert w.stored("staff_total") == ("58", False)
    assert w.editor("staff_total").text() == "58"
    w.window.redo_action.trigger()
    assert w.stored("staff_total") == ("61", False)
    assert w.editor("staff_total").text() == "61"
    w.close()


def test_yes_no_choices_and_not_applicable(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    combo = w.editor("paid_content")
    assert isinstance(combo, QComboBox) and combo.currentText() == "Có"
    combo.setCurrentIndex(combo.findText("Không"))
    assert w.stored("paid_content") == ("false", False)
    choice = w.editor("converged_status")
    assert [choice.itemText(i) for i in range(choice.count())][1:] == [
        "Chưa triển khai",
        "Đang chuyển đổi",
        "Đã hoàn thành",
    ]
    na = w.row("print_copies_city").na
    qtbot.mouseClick(na, Qt.MouseButton.LeftButton)
    assert w.stored("print_copies_city") == (None, True)
    assert w.session.value("print_copies_city") is NA
    assert not w.editor("print_copies_city").isEnabled()
    qtbot.mouseClick(na, Qt.MouseButton.LeftButton)
    assert w.stored("print_copies_city") is None
    assert w.editor("print_copies_city").isEnabled()
    w.close()


def test_everything_is_there_after_a_restart(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    w.type_into("revenue", "20.000,25")
    w.type_into("items_essential", "5.380")
    w.window.side.select_problem("W02", "pl1_3")
    w.window.ui.justificationEdit.setPlainText("Giải trình đã lưu")
    w.window.side.save_justification()
    w.close()
    again = Opened(qtbot, data, "BKT", 2025)
    assert again.editor("revenue").text() == "20.000,25"
    assert again.editor("items_essential").text() == "5.380"
    model = again.window.side.problems
    issue = model.issue_at(model.row_of("W02", "pl1_3"))
    assert issue.justification == "Giải trình đã lưu"
    again.close()


def test_a_locked_report_cannot_be_edited_and_reopens_with_a_reason(qtbot, data: Path) -> None:
    from kdx_desktop.gui.dialogs import ReopenDialog

    w = Opened(qtbot, data, "BKT", 2025)
    st = w.session.require_state()
    w.app.store.mark_exported(
        st.report,
        data_sha256="ab" * 32,
        verification_code="KDX-7Q4M-2025",
        package_name="BaoCao_BQN_2025_lan1.zip",
    )
    w.window.load("BKT", 2025)
    ui = w.window.ui
    assert not ui.lockBanner.isHidden()
    assert "KDX-7Q4M-2025" in ui.lockLabel.text() and "lần 1" in ui.lockLabel.text()
    assert not ui.actionExport.isEnabled()
    editor = w.editor("staff_total")
    assert isinstance(editor, QLineEdit) and editor.isReadOnly()
    qtbot.keyClicks(editor, "9")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert w.stored("staff_total") == ("58", False)
    assert not w.editor("paid_content").isEnabled()
    assert not w.session.commit("staff_total", 70)
    assert "Mở lại để sửa" in ui.statusbar.currentMessage()
    assert "Đã xuất" in w.window._status.text()
    # Reopen: a reason is required.
    dialog = ReopenDialog(w.session, w.window)
    assert "KDX-7Q4M-2025" in dialog.ui.infoLabel.text()
    dialog.submit()
    assert dialog.ui.errorLabel.text() == "Phải nêu lý do mở lại báo cáo."
    assert w.session.locked
    dialog.ui.reasonEdit.setPlainText("Sửa số liệu doanh thu theo báo cáo tài chính")
    dialog.submit()
    assert not w.session.locked
    assert w.session.require_state().report.revision == 2
    assert ui.lockBanner.isHidden()
    audit = w.app.store.audit_rows(st.report.id)
    assert (
        audit[-1]["action"] == "reopen"
        and audit[-1]["reason"] == "Sửa số liệu doanh thu theo báo cáo tài chính"
    )
    w.type_into("staff_total", "59")
    assert w.stored("staff_total") == ("59", False)
    w.close()


def test_agency_pc_sees_only_its_own_organisation(qtbot, data: Path) -> None:
    from kdx_desktop.services.reporting import open_app

    app = open_app(data)
    app.store.set_setting("this_org", "TCVN")
    w = Opened(qtbot, data, None, 2025, app=app)
    combo = w.window.ui.orgCombo
    assert combo.count() == 1 and combo.currentData() == "TCVN" and not combo.isEnabled()
    assert "relicensed" in w.window.pages.key_page
    w.close()


def test_enter_moves_to_the_next_field_and_ctrl_z_undoes_the_last_save(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    w.window.activateWindow()
    qtbot.waitUntil(w.window.isActiveWindow)
    w.window.pages.show_key("staff_total")
    first = w.editor("staff_total")
    qtbot.waitUntil(first.hasFocus)
    first.selectAll()
    qtbot.keyClicks(first, "60")
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert w.stored("staff_total") == ("60", False)
    second = w.editor("staff_trained")
    assert second.hasFocus()  # Enter skipped the "Không áp dụng" toggle
    qtbot.keyClick(second, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.stored("staff_total") == ("58", False)
    assert first.text() == "58"
    w.close()


def test_a_coordinating_unit_gets_only_its_own_parts(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "STC", 2025)  # Sở Tài chính: no data elements, no indicators
    tree = w.window.ui.sectionTree
    titles = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert "Số liệu" not in titles and "Kết quả chỉ tiêu" not in titles
    assert "Thuyết minh" in titles
    assert tree.currentItem() is not None and tree.currentItem().parent() is not None  # a page is shown
    w.type_into("narrative.results", "Đã bố trí kinh phí cho các cơ quan báo chí.")
    assert w.stored("narrative.results") == ("Đã bố trí kinh phí cho các cơ quan báo chí.", False)
    w.close()


def test_pages_are_built_when_first_shown(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    pages = w.window.pages
    shown = w.window.ui.pageStack.currentWidget()
    assert pages.pages == [shown]  # only the page on screen exists at start
    assert "items_essential" in pages.key_page  # yet every field of the report is listed
    assert pages.key_page.built("items_essential") is None
    # A click on a problem whose field is on a page not built yet builds that page and goes there.
    assert w.session.commit("items_essential", 5380)  # a warning on indicator 3, from this field
    assert pages.key_page.built("items_essential") is None
    assert w.window.side.select_problem("W02", "pl1_3")
    page = pages.key_page.built("items_essential")
    assert page is not None and w.window.ui.pageStack.currentWidget() is page
    assert w.window.focusWidget() is w.editor("items_essential")
    assert w.editor("items_essential").text() == "5.380"  # built with the value saved meanwhile
    assert w.window.ui.sectionTree.currentItem().text(0).startswith("Tin, bài")
    assert len(pages.pages) == 2
    # A page is built once: showing it again reuses it.
    w.window.pages.show_key("staff_total")
    w.window.pages.show_key("items_essential")
    assert w.window.ui.pageStack.currentWidget() is page and len(pages.pages) == 2
    w.close()


def _painted_colours(view, row: int, column: int) -> set[tuple[int, int, int]]:
    rect = view.visualRect(view.model().index(row, column))
    image = view.viewport().grab(rect).toImage()
    return {
        (c.red(), c.green(), c.blue())
        for x in range(image.width())
        for y in range(image.height())
        for c in [image.pixelColor(x, y)]
    }


def test_target_status_is_painted_green_when_met_and_red_when_not(qtbot, data: Path) -> None:
    """The officer reads "Đạt" in green and "Chưa đạt" in red in the indicator panel."""
    w = Opened(qtbot, data, "TCVN", 2025)
    model, view = w.window.side.indicators, w.window.ui.indicatorView
    status_col = model.columnCount() - 1
    labels = {model.text(r, status_col): r for r in range(model.rowCount())}
    assert "Đạt" in labels and "Chưa đạt" in labels, labels
    view.scrollTo(model.index(labels["Đạt"], status_col))
    assert (0, 110, 40) in _painted_colours(view, labels["Đạt"], status_col)
    view.scrollTo(model.index(labels["Chưa đạt"], status_col))
    assert (176, 0, 32) in _painted_colours(view, labels["Chưa đạt"], status_col)
    # the figures are right-aligned and each cell explains how its indicator is computed
    value = model.index(labels["Đạt"], IndicatorModel.VALUE)
    assert value.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert "Cách tính:" in value.data(Qt.ItemDataRole.ToolTipRole)
    assert not model.flags(value) & Qt.ItemFlag.ItemIsEditable
    w.close()
