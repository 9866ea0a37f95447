"""Backups in the window: the periodic timer, the backup at exit, and the Tệp menu's "Sao lưu
ngay" and "Khôi phục từ bản sao lưu...".

``services.backups`` and the restore dialog are imported when first used (the first periodic
check comes minutes after the start), which keeps them off the start-up path.

``services.backups`` decides when a backup is due and makes it verified; here only the timing, the
dialogs and the swap of the window's database connection around a restore live.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow

from ..core.numbers import format_number, format_size
from ..core.vntime import VIETNAM
from ..safekeeping.instance_lock import AlreadyRunning
from ..services.reporting import App, open_app
from .editors import finish_editing
from .messages import ask_yes_no, show_error, show_info

if TYPE_CHECKING:
    from ..safekeeping.backups import BackupInfo

log = logging.getLogger(__name__)

PERIODIC_CHECK_MS = 5 * 60 * 1000  # how often to ask whether a periodic backup is due


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
        from ..safekeeping import backups
        from ..safekeeping.backups import BackupError

        try:
            made = backups.maybe_periodic_backup(self.app.store)
        except BackupError as exc:  # shown without a box: the next tick tries again
            log.warning("periodic backup failed: %s", exc)
            self._status(f"Chưa sao lưu định kỳ được: {exc}")
            return None
        if made is not None:
            self._status(f"Đã sao lưu định kỳ lúc {made.created.astimezone(VIETNAM):%H:%M}.")
        return made

    def at_exit(self) -> BackupInfo | None:
        """When the window closes: a backup if the data changed since the newest one."""
        self.timer.stop()
        if not self.enabled:
            return None
        self.enabled = False  # once: closing twice must not back up a closed database
        from ..safekeeping import backups
        from ..safekeeping.backups import BackupError

        try:
            return backups.backup_at_exit(self.app.store)
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
        from ..safekeeping import backups
        from ..safekeeping.backups import BackupError

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
        from PySide6.QtWidgets import QDialog

        from .restore_dialog import RestoreDialog

        assert self.app.data_dir is not None
        dialog = RestoreDialog(self.app.data_dir, self.window)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None

    def restore_from_menu(self) -> bool:
        """Choose, confirm, then restore. True when the window now shows the restored data."""
        if not self.enabled or self.app.data_dir is None:
            return False
        from . import background  # the worker-thread runner, loaded with its first use

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
        from ..safekeeping import backups

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
        from ..safekeeping.backups import BackupError
        from ..safekeeping.restoring import restore

        error: Exception | None = None
        done = None
        try:
            done = restore(data_dir, file)
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
