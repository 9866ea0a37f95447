"""The Sở reads a received report: each task's page lists the evidence files the agency sent for
it (opened when a document or a picture, saved as a copy in every case, never run), and the
actions that make no sense on an agency's report (print a draft, export) are disabled, saying why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kdx_desktop.gui import received_view
from kdx_desktop.services.attachments import add_attachment
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.intake import import_paths
from kdx_desktop.services.reporting import load_state, open_app
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
FILES = {
    "Quyết định 123-QĐ.pdf": b"%PDF-1.4\n%%EOF\n",
    "caidat.exe": b"MZ\x90\x00",
    "Ảnh.png": b"\x89PNG\r\n",
}


@pytest.fixture
def so(demo_dir: Path, tmp_path: Path) -> tuple[Path, str]:
    """The Sở's data folder with BKT's 2025 report received, three files attached to its first task."""
    agency = copy_demo(demo_dir, tmp_path / "bkt")
    app = open_app(agency)
    app.store.set_setting("this_org", "BKT")
    task = app.catalog.tasks_led_by("newspaper", 2025)[0].code
    report = load_state(app, "BKT", 2025).report
    for name, body in FILES.items():
        (tmp_path / name).write_bytes(body)
        add_attachment(app, report, task, tmp_path / name)
    package = export_report(app, "BKT", 2025, tmp_path / "out").package
    app.close()
    data = tmp_path / "so" / "data"
    data.mkdir(parents=True)
    app = open_app(data)
    app.store.set_setting("this_org", app.catalog.consolidator().code)
    import_paths(app, [package])
    app.close()
    return data, task


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    got: dict[str, list[str]] = {"error": [], "info": []}
    monkeypatch.setattr(received_view, "show_error", lambda _p, _t, text: got["error"].append(text))
    monkeypatch.setattr(received_view, "show_info", lambda _p, _t, text: got["info"].append(text))
    return got


def task_page(w: Opened, task: str) -> Any:
    assert w.window.pages.show_key(f"task.{task}.status")
    return w.window.pages.key_page[f"task.{task}.status"]


def test_each_task_shows_its_evidence_to_open_or_save(
    qtbot, so: tuple[Path, str], tmp_path: Path, said: dict[str, list[str]]
) -> None:
    data, task = so
    w = Opened(qtbot, data, "BKT", 2025)
    assert w.session.received is not None
    box = task_page(w, task).received
    assert box is not None and box.isVisible()
    names = [box.table.item(i, 0).text() for i in range(box.table.rowCount())]
    assert sorted(names) == sorted(FILES)
    opened: list[Path] = []
    box.opener = lambda path: opened.append(path) or True
    # A document opens (written from the package, checked against it first).
    box.table.selectRow(names.index("Quyết định 123-QĐ.pdf"))
    assert box.open_button.isEnabled()
    path = box.open_selected()
    assert path is not None and opened == [path] and path.read_bytes() == FILES["Quyết định 123-QĐ.pdf"]
    # A program is never opened: the button is off, and asking anyway is refused with the reason.
    box.table.selectRow(names.index("caidat.exe"))
    assert not box.open_button.isEnabled() and box.save_button.isEnabled()
    assert box.open_selected() is None and opened == [path]
    assert "caidat.exe" in said["error"][-1] and "Lưu bản sao" in said["error"][-1]
    # It can be saved as a copy, where the officer chooses; nothing is opened.
    target = tmp_path / "luu" / "caidat.exe"
    target.parent.mkdir()
    box.choose = lambda _parent, name: target if name == "caidat.exe" else None
    assert box.save_selected() == target
    assert target.read_bytes() == FILES["caidat.exe"] and opened == [path]
    assert str(target.parent) in said["info"][-1]
    # Other tasks: none sent.
    other = next(t.code for t in w.app.catalog.tasks_led_by("newspaper", 2025) if t.code != task)
    other_box = task_page(w, other).received
    assert other_box is not None and other_box.table.rowCount() == 0 and other_box.empty_label.isVisible()
    w.close()


def test_the_files_dialog_never_runs_a_program_either(qtbot, so: tuple[Path, str], said) -> None:
    data, _task = so
    w = Opened(qtbot, data, "BKT", 2025)
    banner = w.window.received_banner
    dialog = banner.show_files()
    assert dialog is not None
    opened: list[Path] = []
    dialog.opener = lambda path: opened.append(path) or True
    labels = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    dialog.list.setCurrentRow(next(i for i, t in enumerate(labels) if t.endswith("caidat.exe")))
    assert dialog.open_selected() is None and opened == []
    dialog.list.setCurrentRow(0)  # the PDF the agency sent
    assert dialog.open_selected() is not None and len(opened) == 1
    dialog.close()
    w.close()


def test_draft_and_export_are_off_on_an_agencys_report_at_the_department(qtbot, so: tuple[Path, str]) -> None:
    data, _task = so
    w = Opened(qtbot, data, "BKT", 2025)
    ui = w.window.ui
    assert not ui.actionDraft.isEnabled() and "đơn vị đã gửi đến Sở" in ui.actionDraft.toolTip()
    assert not ui.actionExport.isEnabled() and "Chỉ đơn vị xuất được" in ui.actionExport.toolTip()
    assert ui.summaryLabel.text().startswith("✓ Không có lỗi") and "xuất" not in ui.summaryLabel.text()
    # Not received (another agency): nothing to print either.
    w.window.load("PTTH", 2025)
    assert w.session.not_received and not ui.actionDraft.isEnabled()
    assert "chưa nhận" in ui.actionDraft.toolTip()
    # The department's own report: its draft and export are there.
    w.window.load(w.app.catalog.consolidator().code, 2025)
    assert ui.actionDraft.isEnabled() and ui.actionExport.isEnabled()
    assert "BẢN NHÁP" in ui.actionDraft.toolTip()
    w.close()


def test_a_received_report_opens_inside_a_small_screen(qtbot, so: tuple[Path, str], monkeypatch) -> None:
    """On a 1024×768 screen at 150 % (about 682×485 left for windows), the window reopened at
    its saved size on a received report stays inside the screen: while showing, it took the
    height its side panel asked for before the panel folded away."""
    from PySide6.QtCore import QRect

    from kdx_desktop.gui.main_window import MainWindow
    from kdx_desktop.gui.settings_file import use_ini_settings

    data, _task = so
    small = QRect(0, 0, 682, 485)

    class SmallScreen:
        def availableGeometry(self) -> QRect:
            return small

    monkeypatch.setattr(MainWindow, "screen", lambda _self: SmallScreen())
    use_ini_settings(data)
    app = open_app(data)
    try:
        before = MainWindow(app, org="BKT", year=2025)
        qtbot.addWidget(before)
        before.show()
        before.resize(666, 433)  # the size it was closed at
        assert before.close()
        window = MainWindow(app, org="BKT", year=2025)
        qtbot.addWidget(window)
        assert window.session.received is not None
        window.show()
        qtbot.waitUntil(lambda: small.contains(window.frameGeometry()))
        assert window.close()
    finally:
        app.close()
