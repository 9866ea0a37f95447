"""Opening the data folder at start, with the dialogs ``services.startup`` leaves to the window.

- a network path (or a place where SQLite cannot be trusted) is refused with its message;
- a removable drive: the officer is asked once whether to move the data to the PC; the answer is
  remembered in the folder's INI settings (a folder already moved is followed to its new place,
  so two diverging copies are never both in use);
- a second KDX on the same folder: the message, then the app ends;
- a damaged database (or one written by a newer KDX, or a missing one while backups exist): the
  newest valid backup is offered, or the officer quits; nothing is written to the damaged file
  either way, and no empty database takes a missing one's place;
- a full disk or a read-only folder: its message (not "damaged"), then the app ends.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication

from ..paths import db_path
from ..safekeeping.instance_lock import AlreadyRunning
from ..safekeeping.locations import Location
from ..services import startup as startup_service
from ..services.startup import Startup
from .messages import ask_yes_no, show_error, show_info
from .settings_file import use_ini_settings

if TYPE_CHECKING:  # services.backups is imported only on the rare paths that use it
    from ..safekeeping.backups import BackupInfo

log = logging.getLogger(__name__)

REMOVABLE_CHOICE = "data/removable"  # "keep" (work on the drive) or "moved"
MOVED_TO = "data/moved_to"


def _use_folder(folder: Path) -> None:
    use_ini_settings(folder)


def ask_restore(title: str, message: str, question: str, backup: BackupInfo | None) -> bool:
    """The damaged-start dialog: True when the officer chose to restore ``backup``."""
    from PySide6.QtWidgets import QMessageBox  # only when something went wrong

    box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.NoButton)
    box.setInformativeText(question)
    restore = None
    if backup is not None:
        restore = box.addButton("&Khôi phục bản sao lưu", QMessageBox.ButtonRole.AcceptRole)
    quit_button = box.addButton("&Thoát", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(quit_button if restore is None else restore)
    box.setEscapeButton(quit_button)
    box.exec()
    return restore is not None and box.clickedButton() is restore


def _restore(startup: Startup, backup: BackupInfo) -> Startup | None:
    from ..safekeeping.backups import BackupError

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        done, reopened = startup_service.restore_and_open(startup, backup.path)
    except (BackupError, AlreadyRunning) as exc:
        QGuiApplication.restoreOverrideCursor()
        startup.close()
        show_error(None, "Chưa khôi phục được", f"{exc}\nKDX sẽ đóng; tệp dữ liệu hỏng được giữ nguyên.")
        return None
    QGuiApplication.restoreOverrideCursor()
    aside = f"\nTệp cũ được giữ lại tại: {done.aside}" if done.aside else ""
    show_info(None, "Đã khôi phục", f"Đã khôi phục dữ liệu từ bản sao lưu {backup.label}.{aside}")
    return reopened


def _damaged(startup: Startup) -> Startup | None:
    problem = startup.problem
    assert problem is not None
    if problem.kind == startup_service.DAMAGED:
        title, backup = "Dữ liệu bị hỏng", problem.backup
        question = problem.offer or ""
    elif problem.kind == startup_service.MISSING:
        title, backup = "Không thấy dữ liệu", problem.backup
        question = (
            f"{problem.offer} Chọn “Thoát” nếu muốn tìm lại tệp dữ liệu trước; để bắt đầu với dữ liệu trống, "
            "hãy chuyển thư mục backups ra chỗ khác rồi mở lại KDX."
        )
    else:  # written by a newer KDX: a backup of this version is the only way without upgrading
        from ..safekeeping.backups import newest_valid_backup

        title, backup = "Dữ liệu của phiên bản KDX mới hơn", newest_valid_backup(startup.data_dir)
        question = (
            f"Nên cài phiên bản KDX mới hơn. Hoặc khôi phục bản sao lưu gần nhất của phiên bản này "
            f"({backup.label}); những gì nhập bằng phiên bản mới sẽ không có trong đó."
            if backup is not None
            else "Không có bản sao lưu nào của phiên bản này. Hãy cài phiên bản KDX mới hơn."
        )
    log.warning("data folder not opened (%s): %s", problem.kind, problem.message)
    if not ask_restore(title, problem.message, question, backup) or backup is None:
        startup.close()
        return None
    return _restore(startup, backup)


def _removable(folder: Path, message: str) -> tuple[Path, bool]:
    """The removable-drive question. Returns the folder to open and whether to accept it on the
    removable drive."""
    settings = QSettings()
    moved = str(settings.value(MOVED_TO, "") or "")
    if moved and db_path(Path(moved)).is_file():
        log.info("data folder %s was moved to %s: using it", folder, moved)
        return Path(moved), False
    if settings.value(REMOVABLE_CHOICE) == "keep":
        return folder, True
    target = startup_service.suggested_pc_folder()
    text = (
        f"{message}\n\nChuyển dữ liệu về máy tính (thư mục “{target}”) ngay bây giờ?\n"
        "Chọn “Không” để tiếp tục làm việc trên ổ đĩa rời; KDX sẽ không hỏi lại."
    )
    if not ask_yes_no(None, "Dữ liệu nằm trên ổ đĩa rời", text):
        settings.setValue(REMOVABLE_CHOICE, "keep")
        settings.sync()
        return folder, True
    from ..safekeeping.backups import BackupError

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        startup_service.move_data_folder(folder, target)
    except (BackupError, AlreadyRunning) as exc:
        QGuiApplication.restoreOverrideCursor()
        show_error(None, "Chưa chuyển được dữ liệu", f"{exc}\nLần này KDX làm việc trên ổ đĩa rời.")
        return folder, True
    QGuiApplication.restoreOverrideCursor()
    settings.setValue(REMOVABLE_CHOICE, "moved")
    settings.setValue(MOVED_TO, str(target))
    settings.sync()
    show_info(
        None,
        "Đã chuyển dữ liệu",
        f"Đã chuyển dữ liệu về “{target}”. Từ nay KDX dùng dữ liệu trên máy tính; thư mục trên ổ đĩa rời "
        "được giữ nguyên, có thể xóa khi đã kiểm tra xong.",
    )
    return target, False


def open_for_window(folder: Path, *, location: Location | None = None) -> Startup | None:
    """Open ``folder`` for the window, asking what ``services.startup`` leaves to the officer.

    Returns the opened :class:`Startup` (keep its lock for the life of the process), or None when
    the app should end (the reason was shown). ``location`` replaces the drive detection of the
    first folder (tests)."""
    accept_removable = False
    _use_folder(folder)
    for _attempt in range(6):  # each answer changes the situation; never loop forever
        opened = startup_service.open_data_folder(
            folder, accept_removable=accept_removable, location=location
        )
        problem = opened.problem
        if problem is None:
            return opened
        kind = problem.kind
        if kind in (startup_service.NETWORK_PATH, startup_service.UNUSABLE_PLACE):
            show_error(None, "Không dùng được thư mục dữ liệu", problem.message)
            return None
        if kind == startup_service.ALREADY_RUNNING:
            show_error(None, "Chương trình đang chạy", problem.message)
            return None
        if kind == startup_service.REMOVABLE_DRIVE:
            new_folder, accept_removable = _removable(folder, problem.message)
            if new_folder != folder:
                folder, location = new_folder, None  # the PC folder is detected on its own
                _use_folder(folder)
            continue
        restored = _damaged(opened)
        if restored is None or restored.ok:
            return restored
        # Restored, yet still not openable (another problem appeared): say why and end.
        show_error(None, "Không mở được dữ liệu", restored.problem.message if restored.problem else "")
        restored.close()
        return None
    return None
