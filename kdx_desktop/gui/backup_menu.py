"""Backups in the window: the periodic timer, the backup at exit, and the Tệp menu's "Sao lưu
ngay" and "Khôi phục từ bản sao lưu...".

``services.backups`` decides when a backup is due and makes it verified; here only the timing, the
dialogs and the swap of the window's database connection around a restore live.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.numbers import format_number, format_size
from ..services import backups
from ..services.backups import BackupError, BackupInfo
from ..services.instance_lock import AlreadyRunning
from ..services.reporting import App, open_app
from . import background
from .editors import finish_editing
from .messages import ask_yes_no, localize_buttons, show_error, show_info

log = logging.getLogger(__name__)

PERIODIC_CHECK_MS = 5 * 60 * 1000  # how often to ask whether a periodic backup is due


class RestoreDialog(QDialog):
    """Choose the backup to restore: the folder's backups, newest first, or any file."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Khôi phục từ bản sao lưu")
        self.chosen: Path | None = None
        intro = QLabel(
            "Chọn bản sao lưu để khôi phục. Dữ liệu hiện tại được sao lưu và giữ lại bên cạnh trước khi "
            "bị thay thế, nên có thể quay lại nếu chọn nhầm.",
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        for b in backups.list_backups(data_dir):
            item = QListWidgetItem(f"{b.label}  ({format_size(b.size)})")
            item.setData(Qt.ItemDataRole.UserRole, str(b.path))
            item.setToolTip(str(b.path))
            self.list.addItem(item)
        self.empty = QLabel("Thư mục dữ liệu chưa có bản sao lưu nào.", self)
        self.empty.setVisible(self.list.count() == 0)
        self.file_button = QPushButton("Chọn &tệp khác...", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        localize_buttons(self.buttons)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Khôi phục...")
        self.buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        self.resize(560, 380)
        self.list.currentRowChanged.connect(lambda _row: self._update())
        self.list.itemDoubleClicked.connect(lambda _item: self.accept_selected())
        self.buttons.accepted.connect(self.accept_selected)
        self.buttons.rejected.connect(self.reject)
        self.file_button.clicked.connect(self.choose_file)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(self.list.currentItem() is not None)

    def accept_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen = Path(str(item.data(Qt.ItemDataRole.UserRole)))
            self.accept()

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Chọn tệp sao lưu", "", "Bản sao lưu KDX (*.sqlite3 *.db);;Tất cả các tệp (*)"
        )
        if name:
            self.chosen = Path(name)
            self.accept()


class BackupController(QObject):
    """Owns the backup timer and actions of one window. ``data_replaced`` is called after a
    restore so the window reloads everything from the restored database."""

    def __init__(self, window: QMainWindow, app: App, data_replaced: Callable[[], None]) -> None:
        super().__init__(window)
        self.window = window
        self.app = app
        self.data_replaced = data_replaced
        self.choose: Callable[[], Path | None] = self._choose_with_dialog  # a seam for tests
        self.timer = QTimer(self)
        self.timer.setInterval(PERIODIC_CHECK_MS)
        self.timer.timeout.connect(self.periodic)
        self.enabled = app.data_dir is not None and app.store.path is not None
        if self.enabled:
            self.timer.start()

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 15000)

    def periodic(self) -> BackupInfo | None:
        """The timer's tick: a backup when one is due (the service decides)."""
        if not self.enabled:
            return None
        try:
            made = backups.maybe_periodic_backup(self.app)
        except BackupError as exc:  # shown without a box: the next tick tries again
            log.warning("periodic backup failed: %s", exc)
            self._status(f"Chưa sao lưu định kỳ được: {exc}")
            return None
        if made is not None:
            self._status(f"Đã sao lưu định kỳ lúc {made.created:%H:%M}.")
        return made

    def at_exit(self) -> BackupInfo | None:
        """When the window closes: a backup if the data changed since the newest one."""
        self.timer.stop()
        if not self.enabled:
            return None
        self.enabled = False  # once: closing twice must not back up a closed database
        try:
            return backups.backup_at_exit(self.app)
        except sqlite3.ProgrammingError:  # the connection was already closed by its owner
            log.info("no backup at exit: the database is already closed")
            return None
        except BackupError as exc:
            log.warning("backup at exit failed: %s", exc)
            show_error(
                self.window, "Chưa sao lưu được khi thoát", f"{exc}\nDữ liệu đã nhập vẫn được lưu an toàn."
            )
            return None

    def backup_now(self) -> BackupInfo | None:
        if not self.enabled or self.app.data_dir is None:
            return None
        try:
            made = backups.make_backup(self.app.data_dir, "manual")
        except BackupError as exc:
            show_error(self.window, "Chưa sao lưu được", str(exc))
            return None
        show_info(
            self.window,
            "Đã sao lưu",
            f"Đã tạo và kiểm tra bản sao lưu “{made.path.name}” ({format_size(made.size)}) trong thư mục\n"
            f"{made.path.parent}",
        )
        return made

    def _choose_with_dialog(self) -> Path | None:
        assert self.app.data_dir is not None
        dialog = RestoreDialog(self.app.data_dir, self.window)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None

    def restore_from_menu(self) -> bool:
        """Choose, confirm, then restore. True when the window now shows the restored data."""
        if not self.enabled or self.app.data_dir is None:
            return False
        if background.busy():
            show_info(
                self.window,
                "Khôi phục",
                "Đang có một thao tác chạy (xuất hoặc nhập báo cáo); hãy đợi nó xong.",
            )
            return False
        file = self.choose()
        if file is None:
            return False
        known = next((b for b in backups.list_backups(self.app.data_dir) if b.path == file), None)
        what = f"bản sao lưu {known.label}" if known else f"tệp “{file}”"
        if not ask_yes_no(
            self.window,
            "Xác nhận khôi phục",
            f"Khôi phục dữ liệu từ {what}?\n\nDữ liệu hiện tại được sao lưu và giữ lại bên cạnh; những gì đã "
            "nhập sau thời điểm của bản sao lưu sẽ không còn trong cửa sổ.",
        ):
            return False
        return self.restore(file)

    def restore(self, file: Path) -> bool:
        """Close the window's connection, restore ``file``, reopen and reload the window."""
        data_dir = self.app.data_dir
        assert data_dir is not None
        # Whatever was being typed is saved before the database is swapped.
        finish_editing(self.window)
        self.timer.stop()
        self.app.close()
        error: Exception | None = None
        done = None
        try:
            done = backups.restore(data_dir, file)
        except (BackupError, AlreadyRunning) as exc:  # refused or failed: the database is untouched
            error = exc
        try:
            # Every part of the window holds this App: swapping its store moves them all at once.
            self.app.store = open_app(data_dir, self.app.catalog).store
        except Exception as exc:
            log.exception("cannot reopen the data folder after a restore")
            self.enabled = False
            show_error(
                self.window,
                "Không mở lại được dữ liệu",
                f"{exc}\nKDX sẽ đóng; hãy mở lại KDX (có thể chọn một bản sao lưu khác).",
            )
            self.window.close()
            return False
        self.timer.start()
        self.data_replaced()
        if error is not None:
            show_error(self.window, "Chưa khôi phục được", f"{error}\nDữ liệu hiện tại không thay đổi.")
            return False
        assert done is not None
        aside = f"\nDữ liệu trước khi khôi phục được giữ lại tại: {done.aside}" if done.aside else ""
        show_info(
            self.window,
            "Đã khôi phục",
            f"Đã khôi phục dữ liệu từ “{done.restored_from.name}” "
            f"({format_number(done.counts.get('entries', 0), 0)} giá trị).{aside}",
        )
        return True
