"""Start-up of the window on a data folder that is damaged, on a network path or on a USB drive."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from kdx_desktop.gui import app as gui_app
from kdx_desktop.gui import startup_flow
from kdx_desktop.safekeeping.backups import make_backup
from kdx_desktop.safekeeping.locations import Location
from kdx_desktop.services.reporting import open_app
from tests.gui_helpers import OFFSCREEN_NOISE, copy_demo

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path)


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    monkeypatch.setattr(
        startup_flow, "show_error", lambda parent, title, text, details="": out.append(("error", title, text))
    )
    monkeypatch.setattr(
        startup_flow, "show_info", lambda parent, title, text: out.append(("info", title, text))
    )
    return out


def entry_count(folder: Path) -> int:
    app = open_app(folder)
    try:
        return int(app.store.db.execute("SELECT count(*) FROM entries").fetchone()[0])
    finally:
        app.close()


def click_when_shown(button_text: str, seen: list[str]) -> None:
    """Answer the next message box by clicking the button labelled ``button_text``."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(30, answer)
            return
        seen.append(f"{box.windowTitle()}|{box.text()}|{box.informativeText()}")
        seen.extend(b.text() for b in box.buttons())
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(30, answer)


def test_a_damaged_database_offers_the_newest_backup_and_restores_it(qapp, data: Path, said) -> None:
    before = entry_count(data)
    backup = make_backup(data, "manual")
    db = data / "kdx.sqlite3"
    damaged = bytearray(db.read_bytes())
    damaged[4096 * 2 : 4096 * 4] = b"\xa5" * 8192  # header fine, b-tree pages destroyed
    db.write_bytes(bytes(damaged))

    seen: list[str] = []
    click_when_shown("&Khôi phục bản sao lưu", seen)
    opened = startup_flow.open_for_window(data)
    try:
        assert opened is not None and opened.ok
        title, text, question = seen[0].split("|")
        assert title == "Dữ liệu bị hỏng" and "bị hỏng" in text
        assert backup.label in question
        assert {"&Khôi phục bản sao lưu", "&Thoát"} <= set(seen[1:])
        assert said[0][:2] == ("info", "Đã khôi phục") and backup.label in said[0][2]
        assert opened.app is not None and opened.app.store.report("BKT", 2025).id
    finally:
        if opened is not None:
            opened.close()
    assert entry_count(data) == before
    kept = list(data.glob("kdx-truoc-khoi-phuc-*.sqlite3"))
    assert len(kept) == 1 and kept[0].read_bytes()[4096 * 2 : 4096 * 2 + 4] == b"\xa5" * 4  # kept aside


def test_a_damaged_database_can_be_left_alone_by_quitting(qapp, data: Path, said) -> None:
    make_backup(data, "manual")
    db = data / "kdx.sqlite3"
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    untouched = db.read_bytes()
    seen: list[str] = []
    click_when_shown("&Thoát", seen)
    assert startup_flow.open_for_window(data) is None
    assert db.read_bytes() == untouched
    from kdx_desktop.safekeeping import instance_lock

    assert instance_lock.held_here(data) is None  # quitting gave the folder up


def test_a_newer_database_offers_this_versions_backup(qapp, data: Path, said) -> None:
    import sqlite3

    backup = make_backup(data, "manual")
    conn = sqlite3.connect(str(data / "kdx.sqlite3"))
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('kdx', '9999_moi', 'x')"
    )
    conn.commit()
    conn.close()
    seen: list[str] = []
    click_when_shown("&Khôi phục bản sao lưu", seen)
    opened = startup_flow.open_for_window(data)
    try:
        title, text, question = seen[0].split("|")
        assert title == "Dữ liệu của phiên bản KDX mới hơn" and "phiên bản KDX mới hơn" in text
        assert backup.label in question and "phiên bản mới" in question
        assert opened is not None and opened.ok
    finally:
        if opened is not None:
            opened.close()


def test_run_gui_ends_cleanly_on_damage_without_backup(qapp, tmp_path: Path, said, monkeypatch) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "kdx.sqlite3").write_bytes(bytes(range(256)) * 400)
    seen: list[str] = []
    click_when_shown("&Thoát", seen)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    assert gui_app.run_gui(str(folder)) == 1
    assert "Không có bản sao lưu hợp lệ" in seen[0]
    assert seen[1:] == ["&Thoát"]


def test_a_network_folder_is_refused_with_the_reason(qapp, tmp_path: Path, said) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    where = Location(folder, "network", r"\\may-chu\kdx")
    assert startup_flow.open_for_window(folder, location=where) is None
    kind, title, text = said[0]
    assert (kind, title) == ("error", "Không dùng được thư mục dữ liệu")
    assert "ổ mạng" in text and r"\\may-chu\kdx" in text
    assert not (folder / "kdx.sqlite3").exists()  # nothing was created there


def test_data_on_a_usb_drive_is_moved_to_the_pc_and_followed_next_time(
    qapp, data: Path, tmp_path: Path, said, monkeypatch
) -> None:
    pc = tmp_path / "pc" / "KDX"
    monkeypatch.setattr(startup_flow.startup_service, "suggested_pc_folder", lambda: pc)
    asked: list[str] = []
    monkeypatch.setattr(startup_flow, "ask_yes_no", lambda parent, title, text: asked.append(text) or True)
    usb = Location(data, "removable", "E:")
    opened = startup_flow.open_for_window(data, location=usb)
    assert opened is not None and opened.ok and opened.data_dir == pc
    assert "ổ đĩa rời" in asked[0] and str(pc) in asked[0]
    assert said[-1][1] == "Đã chuyển dữ liệu"
    opened.close()
    assert entry_count(pc) == entry_count(data)
    # Next start from the USB drive: no question, the PC's copy is used.
    again = startup_flow.open_for_window(data, location=usb)
    assert again is not None and again.data_dir == pc and len(asked) == 1
    again.close()


def test_keeping_the_data_on_the_usb_drive_is_remembered(qapp, data: Path, said, monkeypatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(startup_flow, "ask_yes_no", lambda parent, title, text: asked.append(text) and False)
    usb = Location(data, "removable", "E:")
    for _ in range(2):
        opened = startup_flow.open_for_window(data, location=usb)
        assert opened is not None and opened.ok and opened.data_dir == data
        opened.close()
    assert len(asked) == 1
    (ini,) = (data / "settings").rglob("*.ini")  # the data folder's own INI settings
    assert "removable=keep" in ini.read_text(encoding="utf-8")


def test_a_missing_database_with_backups_offers_the_newest_one(qapp, data: Path, said) -> None:
    before = entry_count(data)
    backup = make_backup(data, "manual")
    for p in data.glob("kdx.sqlite3*"):
        p.unlink()
    seen: list[str] = []
    click_when_shown("&Khôi phục bản sao lưu", seen)
    opened = startup_flow.open_for_window(data)
    try:
        title, text, question = seen[0].split("|")
        assert title == "Không thấy dữ liệu" and "Không thấy cơ sở dữ liệu" in text
        assert backup.label in question
        assert opened is not None and opened.ok
    finally:
        if opened is not None:
            opened.close()
    assert entry_count(data) == before
