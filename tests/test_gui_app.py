"""Starting the window: the whole ``run_gui`` path, a second instance, Qt's own texts in Vietnamese."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit

from kdx_desktop.gui import app as gui_app
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path)


@pytest.fixture
def clean_logging(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    before = list(logging.getLogger().handlers)
    yield
    root = logging.getLogger()
    for h in list(root.handlers):
        if h not in before:
            root.removeHandler(h)
            h.close()


def test_run_gui_opens_the_window_on_the_data_folder(qapp, data: Path, clean_logging) -> None:
    seen = []

    def close_all() -> None:
        for w in QApplication.topLevelWidgets():
            if w.isVisible():
                seen.append(w.windowTitle())
                w.close()

    QTimer.singleShot(300, close_all)
    QTimer.singleShot(8000, qapp.quit)  # a guard: the test never hangs
    assert gui_app.run_gui(str(data)) == 0
    # The report's own title; Qt adds the application's name ("— KDX") once.
    assert any(t.endswith(" - năm 2026") and "KDX" not in t for t in seen), seen
    log = (data / "logs" / "kdx.log").read_text(encoding="utf-8")
    assert "window ready in" in log
    assert sys.excepthook is not sys.__excepthook__


def test_after_moving_the_data_off_a_usb_drive_the_log_is_written_on_the_pc(
    qapp, data: Path, tmp_path: Path, clean_logging, monkeypatch
) -> None:
    from kdx_desktop.gui import startup_flow
    from kdx_desktop.gui.session import THIS_ORG
    from kdx_desktop.safekeeping.locations import Location
    from kdx_desktop.services.reporting import open_app

    app = open_app(data)
    app.store.set_setting(THIS_ORG, "BKT")
    app.close()
    pc = tmp_path / "pc" / "KDX"
    monkeypatch.setattr(startup_flow.startup_service, "suggested_pc_folder", lambda: pc)
    monkeypatch.setattr(startup_flow, "ask_yes_no", lambda parent, title, text: True)  # "move it"
    monkeypatch.setattr(startup_flow, "show_info", lambda parent, title, text: None)

    def close_all() -> None:
        for w in QApplication.topLevelWidgets():
            if w.isVisible():
                w.close()

    QTimer.singleShot(300, close_all)
    QTimer.singleShot(8000, qapp.quit)
    assert gui_app.run_gui(str(data), location=Location(data, "removable", "E:")) == 0
    on_pc = (pc / "logs" / "kdx.log").read_text(encoding="utf-8")
    assert "window ready in" in on_pc and str(pc) in on_pc
    on_usb = (data / "logs" / "kdx.log").read_text(encoding="utf-8")
    assert "window ready in" not in on_usb  # the stick may be pulled out: nothing more is written there


def test_qt_texts_are_vietnamese(qapp) -> None:
    gui_app.qt_application()
    edit = QLineEdit()
    menu = edit.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
    assert texts == ["&Hoàn tác", "&Làm lại", "&Cắt", "Sao &chép", "&Dán", "Xóa", "Chọn tất cả"]
    assert menu.actions()[0].text().endswith("Ctrl+Z")  # key names untouched
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert sorted(b.text() for b in box.buttons()) == ["Hủy", "Đồng ý"]


def test_the_intake_page_is_shown_on_the_department_pc(qtbot, data: Path) -> None:
    from kdx_desktop.gui.intake_page import IntakePage

    w = Opened(qtbot, data, "BKT", 2025)  # the demo PC reports for the Sở
    tree = w.window.ui.sectionTree
    titles = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert titles[-1] == "Tiếp nhận báo cáo của các đơn vị"
    tree.setCurrentItem(tree.topLevelItem(tree.topLevelItemCount() - 1))
    shown = w.window.ui.pageStack.currentWidget()
    assert isinstance(shown.widget(), IntakePage) and shown.widget().app is w.app
    assert w.window.ui.sideSplitter.isHidden()  # the report's panel makes room for it
    tree.setCurrentItem(tree.topLevelItem(0).child(0))
    assert not w.window.ui.sideSplitter.isHidden()
    w.window.load("PTTH", 2024)  # the page survives a change of report
    assert isinstance(shown.widget(), IntakePage) and w.window.ui.pageStack.indexOf(shown) >= 0
    w.close()


def test_no_intake_page_on_an_agency_pc(qtbot, data: Path, monkeypatch) -> None:
    from kdx_desktop.services.reporting import open_app

    app = open_app(data)
    app.store.set_setting("this_org", "BKT")
    w = Opened(qtbot, data, None, 2025, app=app)
    tree = w.window.ui.sectionTree
    titles = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert "Tiếp nhận báo cáo của các đơn vị" not in titles
    w.close()


def test_the_intake_page_opens_on_the_department_s_own_pc(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "STTTT", 2025)
    tree = w.window.ui.sectionTree
    assert tree.topLevelItem(tree.topLevelItemCount() - 1).text(0) == "Tiếp nhận báo cáo của các đơn vị"
    w.close()


HOLDER = """
import sys, time
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from kdx_desktop.safekeeping.instance_lock import acquire
lock = acquire(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_copy_on_a_held_folder_is_refused(qapp, data: Path, clean_logging, monkeypatch) -> None:
    import subprocess

    root = str(Path(__file__).resolve().parent.parent)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data), root], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        said = []
        monkeypatch.setattr(
            "kdx_desktop.gui.startup_flow.show_error",
            lambda parent, title, text, details="": said.append((title, text)),
        )
        assert gui_app.run_gui(str(data)) == 1
        assert said[0][0] == "Chương trình đang chạy"
        assert "KDX đang mở thư mục dữ liệu" in said[0][1]
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


def test_first_start_sets_up_the_organisation_then_opens_its_report(
    qapp, data_dir: Path, clean_logging
) -> None:
    from kdx_desktop.gui.dialogs import ProfileDialog
    from kdx_desktop.gui.main_window import MainWindow
    from kdx_desktop.services.reporting import open_app

    seen: list[str] = []

    def set_up() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ProfileDialog):
            QTimer.singleShot(50, set_up)
            return
        seen.append(dialog.windowTitle())
        dialog.ui.orgCombo.setCurrentIndex(dialog.ui.orgCombo.findData("TCVN"))
        dialog.editors["signer_name"].setText("Trần Thị B")
        dialog.save()
        QTimer.singleShot(300, close_window)

    def close_window() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                seen.append(w.ui.orgCombo.currentData())
                w.close()

    QTimer.singleShot(100, set_up)
    QTimer.singleShot(8000, qapp.quit)
    assert gui_app.run_gui(str(data_dir)) == 0
    assert seen == ["Thiết lập lần đầu", "TCVN"]
    app = open_app(data_dir)
    assert app.store.setting("this_org") == "TCVN"
    app.close()
