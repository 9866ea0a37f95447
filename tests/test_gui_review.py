"""Edits in progress when the report on screen changes: they go to the report they were typed
in, never to the one shown next; a warning's justification is saved when the focus leaves it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path)


def stored_for(w: Opened, org: str, year: int, key: str):
    report = w.app.store.find_report(org, year)
    return None if report is None else w.app.store.entries(report.id).get(key)


def test_text_being_typed_goes_to_its_own_report_when_another_is_chosen(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "STTTT", 2025)
    key = "narrative.results"
    assert w.window.pages.show_key(key)
    box = w.editor(key)
    assert isinstance(box, QPlainTextEdit)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    before_other = stored_for(w, "BKT", 2025, key)
    box.selectAll()
    box.insertPlainText("Kết quả của Sở, chưa rời khỏi ô.")
    w.window.load("BKT", 2025)  # chosen from the menu or a shortcut: the box still has the focus
    print("BKT", stored_for(w, "BKT", 2025, key), before_other)
    assert stored_for(w, "BKT", 2025, key) == before_other
    assert stored_for(w, "STTTT", 2025, key) == ("Kết quả của Sở, chưa rời khỏi ô.", False)
    assert w.session.require_state().org.code == "BKT"
    w.close()


def test_a_justification_is_saved_when_the_focus_leaves_it(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    w.type_into("items_essential", "5.380")
    side = w.window.side
    assert side.select_problem("W02", "pl1_3")
    edit = w.window.ui.justificationEdit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.setPlainText("Tập trung vào tin, bài chuyên sâu.")
    w.editor("items_essential").setFocus()  # the user clicks elsewhere: no "Lưu" pressed
    qtbot.waitUntil(lambda: not edit.hasFocus())
    assert w.stored("justification.W02.pl1_3") == ("Tập trung vào tin, bài chuyên sâu.", False)
    w.close()


def test_a_justification_being_typed_stays_with_its_report(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "TCVN", 2025)
    key = "justification.W02.pl1_3"
    assert w.window.side.select_problem("W02", "pl1_3")  # the 2024 report has this warning too
    edit = w.window.ui.justificationEdit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.setPlainText("Giải trình của năm 2025.")
    before_2024 = stored_for(w, "TCVN", 2024, key)
    w.window.load("TCVN", 2024)
    assert stored_for(w, "TCVN", 2025, key) == ("Giải trình của năm 2025.", False)
    assert stored_for(w, "TCVN", 2024, key) == before_2024
    # The box shows the 2024 report's own justification, not the text typed for 2025.
    assert w.window.side.current == ("W02", "pl1_3")
    assert edit.toPlainText() == (before_2024[0] if before_2024 else "")
    w.close()


def test_the_intake_page_after_a_restore_shows_the_restored_data(
    qtbot, data: Path, tmp_path: Path, monkeypatch
) -> None:
    from hostile.packages import export_demo

    from kdx_desktop.gui import backup_menu
    from kdx_desktop.gui.intake_page import IntakePage
    from kdx_desktop.safekeeping.backups import make_backup

    package = export_demo(data, tmp_path / "goi", years=(2025,))[("BKT", 2025)]
    monkeypatch.setattr(backup_menu, "show_info", lambda *args: None)
    w = Opened(qtbot, data, "STTTT", 2025)
    page = w.window.intake
    assert isinstance(page, IntakePage)
    page.year.setValue(2025)
    before = make_backup(data, "manual")
    assert [o.kind for o in page.import_files([package])] == ["imported"]
    assert page.results.topLevelItemCount() == 1 and page.table.item(0, 1).text().startswith("Đã nhận ")
    assert w.window.backups.restore(before.path)
    assert page.results.topLevelItemCount() == 0  # that import is undone by the restore
    assert page.table.item(0, 1).text() == "Chưa nhận"
    w.close()


def test_undo_shows_the_field_it_changes(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    w.type_into("staff_total", "61")
    pages = w.window.pages
    assert pages.show_key("narrative.results")  # the user has moved on to another page
    w.window.undo_action.trigger()
    assert w.stored("staff_total") == ("58", False)
    assert pages.stack.currentWidget() is pages.key_page["staff_total"]  # not changed out of sight
    assert w.editor("staff_total").text() == "58"
    assert pages.show_key("narrative.results")
    w.window.redo_action.trigger()
    assert pages.stack.currentWidget() is pages.key_page["staff_total"]
    assert w.editor("staff_total").text() == "61"
    w.close()


def test_undo_of_a_justification_selects_its_warning(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "TCVN", 2025)
    side = w.window.side
    key = "justification.W02.pl1_3"
    old = w.stored(key)
    assert side.select_problem("W02", "pl1_3")
    w.window.ui.justificationEdit.setPlainText("Lý do khác.")
    assert side.save_justification()
    side._show_justification(None)  # the user looks elsewhere
    w.window.undo_action.trigger()
    assert w.stored(key) == old
    assert side.current == ("W02", "pl1_3")
    assert w.window.ui.justificationEdit.toPlainText() == (old[0] if old else "")
    w.close()


def test_a_refused_export_lists_each_problem_once(qtbot, data: Path, tmp_path: Path, monkeypatch) -> None:
    from types import SimpleNamespace

    from kdx_desktop.gui import export_flow
    from kdx_desktop.services.exporting import ExportRefused

    def export_report(*args, **kwargs):
        raise ExportRefused("Báo cáo năm 2025 chưa thể xuất.", ["Lỗi (Doanh thu): Chưa nhập."])

    said: list[tuple[str, str]] = []
    monkeypatch.setattr(
        export_flow, "show_error", lambda parent, title, text, details="": said.append((text, details))
    )
    w = Opened(qtbot, data, "BKT", 2025)
    engine = SimpleNamespace(export_report=export_report)
    assert not export_flow.export_to(w.window, w.session, tmp_path, engine)
    assert said == [("Báo cáo năm 2025 chưa thể xuất.", "• Lỗi (Doanh thu): Chưa nhập.")]
    w.close()


def test_choosing_the_profile_year_keeps_what_was_typed(qtbot, data: Path) -> None:
    from kdx_desktop.gui.dialogs import ProfileDialog
    from kdx_desktop.services.identity import identity

    w = Opened(qtbot, data, "BKT", 2025)
    dialog = ProfileDialog(w.app, 2025)
    qtbot.addWidget(dialog)
    dialog.ui.orgCombo.setCurrentIndex(dialog.ui.orgCombo.findData("BKT"))
    signer = dialog.editors["signer_name"]
    signer.selectAll()
    signer.insert("Lê Văn C")  # typing
    cc = dialog.editors["recipients_cc"]
    cc.insertPlainText("Văn phòng")
    cc_typed = cc.toPlainText()
    name_before = dialog.editors["name"].text()
    dialog.ui.yearCombo.setCurrentIndex(dialog.ui.yearCombo.findData(2026))  # "from 2026 on"
    assert signer.text() == "Lê Văn C" and cc.toPlainText() == cc_typed
    assert dialog.editors["name"].text() == name_before
    dialog.save()
    assert identity(w.app.catalog, w.app.store, "BKT", 2026).signer_name == "Lê Văn C"
    assert identity(w.app.catalog, w.app.store, "BKT", 2025).signer_name != "Lê Văn C"
    # Another organisation: its own profile, nothing typed for the first one carried over.
    dialog.ui.orgCombo.setCurrentIndex(dialog.ui.orgCombo.findData("PTTH"))
    assert signer.text() == identity(w.app.catalog, w.app.store, "PTTH", 2026).signer_name
    w.close()


def test_the_selector_follows_a_new_organisation_of_this_pc(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "STTTT", 2025)
    combo = w.window.ui.orgCombo
    assert combo.count() > 1 and w.window.intake is not None
    w.app.store.set_setting("this_org", "BKT")  # saved in "Cài đặt cơ quan"
    w.window.profile_saved()
    assert combo.count() == 1 and combo.currentData() == "BKT"
    assert w.session.require_state().org.code == "BKT"  # the report shown is the one selected
    assert "Báo Quảng Ngãi" in w.window.windowTitle()
    # An agency's PC has no intake page: it goes at once, not at the next start.
    assert w.window.intake is None
    titles = [
        w.window.ui.sectionTree.topLevelItem(i).text(0)
        for i in range(w.window.ui.sectionTree.topLevelItemCount())
    ]
    assert "Tiếp nhận báo cáo của các đơn vị" not in titles and "Số liệu" in titles
    assert w.window.ui.sideSplitter.isVisible()  # the report's panel is back
    w.close()


def test_the_intake_page_appears_when_this_pc_becomes_the_departments(qtbot, data: Path) -> None:
    from kdx_desktop.gui.intake_page import IntakePage

    w = Opened(qtbot, data, "STTTT", 2025)
    w.app.store.set_setting("this_org", "BKT")
    w.window.close()
    w = Opened(qtbot, data, None, 2025, app=w.app)
    assert w.window.intake is None and w.window.ui.orgCombo.count() == 1
    w.app.store.set_setting("this_org", "STTTT")
    w.window.profile_saved()
    assert isinstance(w.window.intake, IntakePage)
    titles = [
        w.window.ui.sectionTree.topLevelItem(i).text(0)
        for i in range(w.window.ui.sectionTree.topLevelItemCount())
    ]
    assert "Tiếp nhận báo cáo của các đơn vị" in titles
    assert w.window.ui.orgCombo.count() > 1
    w.close()
