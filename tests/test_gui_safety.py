"""Data safety in the window: periodic and exit backups, restore from the menu, the user guide,
export on a worker thread, and a disk failure while saving a field."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QProgressDialog

from kdx_desktop.gui import backup_menu, export_flow, main_window
from kdx_desktop.gui.restore_dialog import RestoreDialog
from kdx_desktop.safekeeping import backups
from kdx_desktop.safekeeping.backups import list_backups, make_backup
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path)


def stored_in(backup: Path, key: str) -> str | None:
    conn = sqlite3.connect(backup)
    try:
        row = conn.execute(
            "SELECT e.value FROM entries e JOIN reports r ON r.id = e.report_id "
            "WHERE r.org_code = 'BKT' AND r.year = 2025 AND e.key = ?",
            [key],
        ).fetchone()
    finally:
        conn.close()
    return None if row is None else row[0]


def made(data: Path, reason: str) -> list[Path]:
    return [b.path for b in list_backups(data) if b.reason == reason]


def test_the_timer_backs_up_once_data_changed(qtbot, data: Path, monkeypatch) -> None:
    # Pretend the timer fires an hour later, so the newest backup is due for renewal.
    later = dt.datetime.now() + dt.timedelta(hours=1)
    real = backups.maybe_periodic_backup
    monkeypatch.setattr(backups, "maybe_periodic_backup", lambda app: real(app, now=later))
    w = Opened(qtbot, data, "BKT", 2025)
    timer = w.window.backups.timer
    assert timer.isActive() and timer.interval() == 5 * 60 * 1000
    w.type_into("revenue", "4.321,5")
    timer.setInterval(20)
    qtbot.waitUntil(lambda: len(made(data, "periodic")) == 1, timeout=3000)
    (periodic,) = made(data, "periodic")
    assert stored_in(periodic, "revenue") == "4321.5"
    assert "Đã sao lưu định kỳ" in w.window.statusBar().currentMessage()
    qtbot.wait(100)  # more ticks: nothing changed since, so no more backups
    assert len(made(data, "periodic")) == 1
    w.close()


def test_closing_the_window_backs_up_what_changed(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    w.type_into("revenue", "777")
    assert made(data, "exit") == []
    w.window.close()
    (at_exit,) = made(data, "exit")
    assert stored_in(at_exit, "revenue") == "777"
    w.app.close()


def test_restore_from_the_menu_brings_back_the_backup(qtbot, data: Path, monkeypatch) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    w.type_into("revenue", "111")
    good = make_backup(data, "manual")
    w.type_into("revenue", "999")  # a mistake, after the backup
    asked: list[str] = []
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(backup_menu, "ask_yes_no", lambda parent, title, text: asked.append(text) or True)
    monkeypatch.setattr(backup_menu, "show_info", lambda parent, title, text: shown.append((title, text)))
    listed: list[str] = []

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RestoreDialog):
            QTimer.singleShot(30, choose)
            return
        listed.extend(dialog.list.item(i).text() for i in range(dialog.list.count()))
        dialog.list.setCurrentRow(next(i for i, t in enumerate(listed) if t.startswith(good.label)))
        dialog.ok.click()

    QTimer.singleShot(30, choose)
    old_store = w.app.store
    w.window.ui.actionRestore.trigger()
    assert any(t.startswith(f"{good.label}  (") and t.endswith("KB)") for t in listed)
    assert good.label in asked[0]
    assert shown[0][0] == "Đã khôi phục" and "kdx-truoc-khoi-phuc-" in shown[0][1]
    assert w.app.store is not old_store  # the window's connection was closed and reopened
    assert w.editor("revenue").text() == "111"  # the window shows the restored data
    assert w.stored("revenue") == ("111", False)
    assert made(data, "restore")  # the replaced data was backed up first
    w.close()


def test_a_refused_restore_changes_nothing(qtbot, data: Path, tmp_path: Path, monkeypatch) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    w.type_into("revenue", "555")
    bogus = tmp_path / "khong-phai.sqlite3"
    bogus.write_bytes(b"not a database at all" * 100)
    said: list[str] = []
    monkeypatch.setattr(backup_menu, "ask_yes_no", lambda parent, title, text: True)
    monkeypatch.setattr(backup_menu, "show_error", lambda parent, title, text, details="": said.append(text))
    w.window.backups.choose = lambda: bogus
    assert not w.window.backups.restore_from_menu()
    assert "không phải là bản sao lưu KDX" in said[0] and "Dữ liệu hiện tại không thay đổi" in said[0]
    assert w.stored("revenue") == ("555", False) and w.editor("revenue").text() == "555"
    w.type_into("revenue", "556")  # the window keeps working on the reopened database
    assert w.stored("revenue") == ("556", False)
    w.close()


def test_backup_now_and_the_help_menu(qtbot, data: Path, monkeypatch) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(backup_menu, "show_info", lambda parent, title, text: shown.append((title, text)))
    w.window.ui.actionBackupNow.trigger()
    (manual,) = made(data, "manual")
    assert shown[0][0] == "Đã sao lưu" and manual.name in shown[0][1]
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    menu = w.window.ui.menuHelp
    assert [a.text() for a in menu.actions() if a.text()] == ["&Hướng dẫn sử dụng", "&Giới thiệu KDX"]
    w.window.ui.actionUserGuide.trigger()
    # Read inside the program, without a browser: the guide's own text, its pictures found.
    viewer = w.window.guide
    assert viewer is not None and viewer.isVisible() and opened == []
    text = viewer.browser.toPlainText()
    assert "Hướng dẫn sử dụng" in text and "Cách nhập" in text
    assert viewer.guide.suffix == ".html"
    image = viewer.browser.document().resource(3, QUrl("images/nhap-so-lieu.png"))  # ImageResource
    assert image is not None and not image.isNull()
    viewer.find_box.setText("hạn gửi Sở")
    assert viewer.find_next() and viewer.browser.textCursor().hasSelection()
    viewer.find_box.setText("không có từ này xyz")
    assert not viewer.find_next() and viewer.not_found.text() == "không thấy"
    assert viewer.open_in_browser() and Path(opened[0].toLocalFile()) == viewer.guide
    viewer.close()
    monkeypatch.setattr(main_window, "show_info", lambda parent, title, text: shown.append((title, text)))
    w.window.ui.actionAbout.trigger()
    from kdx_desktop import __version__

    assert shown[-1][0] == "Giới thiệu chương trình" and f"KDX phiên bản {__version__}" in shown[-1][1]
    w.close()


def test_export_runs_on_a_worker_while_the_window_stays_responsive(
    qtbot, data: Path, tmp_path: Path, monkeypatch
) -> None:
    from kdx_desktop.services import exporting

    w = Opened(qtbot, data, "BKT", 2025)
    seen: dict[str, object] = {}
    ticks: list[float] = []
    dialogs: list[str] = []

    def slow_export(app, org, year, out_dir, **kwargs):
        seen["thread"] = threading.current_thread()
        seen["own_connection"] = app is not w.app and app.store is not w.app.store
        kwargs["progress"](40, "Đang ghi tệp PDF")
        time.sleep(0.4)  # a slow disk: the GUI thread must keep running meanwhile
        return exporting.export_report(app, org, year, out_dir, **kwargs)

    def watch() -> None:
        ticks.append(time.perf_counter())
        box = next((d for d in QApplication.topLevelWidgets() if isinstance(d, QProgressDialog)), None)
        if box is not None and box.isVisible():
            dialogs.append(f"{box.windowTitle()}|{box.labelText()}")

    timer = QTimer()
    timer.timeout.connect(watch)
    timer.start(20)
    results: list[tuple] = []
    monkeypatch.setattr(export_flow, "finished", lambda *args: results.append(args))
    out = tmp_path / "xuat"
    module = type("Engine", (), {"export_report": staticmethod(slow_export)})
    assert export_flow.export_to(w.window, w.session, out, module)
    timer.stop()
    assert seen["thread"] is not threading.main_thread() and seen["own_connection"]
    assert len(ticks) >= 10  # the event loop ran during the export
    assert "Xuất báo cáo|Đang ghi tệp PDF" in dialogs
    _parent, revision, code, folder, files, _due = results[0]
    assert revision == 1 and folder == out and {p.suffix for p in files} == {".zip", ".pdf", ".xlsx", ".eml"}
    assert all(p.exists() for p in files)
    assert w.session.locked and code in w.window.ui.lockLabel.text()  # reloaded on the GUI's connection
    w.close()


def test_a_full_disk_while_saving_keeps_the_text_and_says_so(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    key = "narrative.difficulties"
    before = w.stored(key)
    conn = w.app.store.db.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full: no page can be added
    text = "Thiếu kinh phí đầu tư hạ tầng số, máy chủ và phần mềm quản lý tòa soạn. " * 120
    w.type_into(key, text)
    row = w.row(key)
    assert not row.error.isHidden() and "Ổ đĩa đã đầy" in row.error.text()
    assert row.saved.text() == "✗ Chưa lưu"
    editor = w.editor(key)
    assert isinstance(editor, QPlainTextEdit) and editor.toPlainText() == text  # nothing typed is lost
    assert w.stored(key) == before
    assert w.window.ui.saveStateLabel.text() == "✗ Chưa lưu"
    assert "Ổ đĩa đã đầy" in w.window.statusBar().currentMessage()
    # Room again: leaving the box once more saves what was typed.
    conn.execute("PRAGMA max_page_count = 1073741823")
    w.row(key)._commit_text()
    assert w.stored(key) == (text.strip(), False)
    assert row.saved.text() == "✓ Đã lưu" and row.error.isHidden()
    w.close()


def test_intake_imports_on_a_worker_with_its_own_connection(
    qtbot, data: Path, tmp_path: Path, monkeypatch
) -> None:
    from kdx_desktop.gui import intake_page

    w = Opened(qtbot, data, "STTTT", 2025)
    page = w.window.intake
    assert isinstance(page, intake_page.IntakePage)
    real = intake_page.import_paths
    seen: list[object] = []

    def watched(app, paths, **kwargs):
        seen.append((threading.current_thread() is threading.main_thread(), app.store is w.app.store))
        return real(app, paths, **kwargs)

    monkeypatch.setattr(intake_page, "import_paths", watched)
    monkeypatch.setattr(intake_page, "show_error", lambda parent, title, text: seen.append(text))
    bogus = tmp_path / "goi.zip"
    bogus.write_bytes(b"xx")
    (outcome,) = page.import_files([bogus])
    assert seen == [(False, False)] and outcome.refused
    assert page.results.topLevelItem(0).text(0).startswith("✘ goi.zip: từ chối")
    assert page.isEnabled()
    w.close()
