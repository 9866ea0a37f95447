"""Start the window: Qt application, logging, the global error dialog, the data folder's checks
(``startup_flow``: place, one instance, damage), the first-start set-up, then the main window.

Start-up imports only Qt and the Qt-free core: the export engine (reportlab, openpyxl) is
imported when an export is asked for.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from .. import paths
from ..system import files

log = logging.getLogger(__name__)

LOG_FILE = "kdx.log"
_ExcHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


class RotatingLog(logging.FileHandler):
    """The log file, renamed ``kdx.log.1`` … ``.N`` once it would pass ``max_bytes`` (what
    ``logging.handlers.RotatingFileHandler`` does; that module pulls socket, pickle and queue into
    every start for nothing, about 10 ms on an old PC)."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if (
                self.stream is not None
                and self.stream.tell() + len(self.format(record)) + 1 >= self.max_bytes
            ):
                self._rollover()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _rollover(self) -> None:
        # Called under the handler's lock (``Handler.handle``); the file is closed before renaming
        # because Windows cannot rename an open file. Another KDX holding the log open (a second
        # start, refused by the instance lock a moment later) makes the rename fail on Windows:
        # then this record and the next go on into the same file and the rotation waits for a
        # later record, rather than a record being lost.
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        try:
            for n in range(self.backups - 1, 0, -1):
                if os.path.exists(f"{base}.{n}"):
                    files.replace(f"{base}.{n}", f"{base}.{n + 1}")
            if os.path.exists(base):
                files.replace(base, f"{base}.1")
        except OSError:
            pass
        self.stream = self._open()


def setup_logging(data_dir: Path) -> Path:
    """Log to ``logs/kdx.log`` in the data folder (windowed builds have no console)."""
    folder = paths.logs_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / LOG_FILE
    root = logging.getLogger()
    for h in root.handlers:
        if isinstance(h, logging.FileHandler) and Path(h.baseFilename) == target:
            return target
    handler = RotatingLog(target, max_bytes=1_000_000, backups=3)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return target


def move_logging(old_dir: Path, new_dir: Path) -> Path:
    """Log to ``new_dir`` from now on, no longer to ``old_dir`` (the data folder moved to the PC:
    the USB stick it came from may be pulled out at any moment)."""
    old_target = paths.logs_dir(old_dir) / LOG_FILE
    root = logging.getLogger()
    for h in list(root.handlers):
        if isinstance(h, logging.FileHandler) and Path(h.baseFilename) == old_target:
            root.removeHandler(h)
            h.close()
    target = setup_logging(new_dir)
    log.info("data folder moved from %s: logging to %s", old_dir, target)
    return target


def make_excepthook(
    log_file: Path | None, show: Callable[[QWidget | None, str, str, str], None] | None = None
) -> _ExcHook:
    """A hook that logs an unexpected error and explains it in a dialog; the app keeps running."""
    busy = False

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal busy
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("unexpected error", exc_info=(exc_type, exc, tb))
        if busy or QApplication.instance() is None:
            return  # an error while showing the error: the log has it
        busy = True
        try:
            details = "".join(traceback.format_exception(exc_type, exc, tb))
            where = f"\nChi tiết đã được ghi vào nhật ký: {log_file}" if log_file else ""
            text = (
                "Đã xảy ra lỗi không mong muốn. Các số liệu đã nhập trước đó vẫn được lưu an toàn; "
                f"bạn có thể tiếp tục làm việc.{where}"
            )
            if show is not None:
                show(QApplication.activeWindow(), "Lỗi không mong muốn", text, details)
            else:
                from .messages import show_error

                show_error(QApplication.activeWindow(), "Lỗi không mong muốn", text, details)
        finally:
            busy = False

    return hook


def use_light_scheme(qapp: QApplication) -> None:
    """Keep the light palette when Windows is in dark mode.

    From Qt 6.7 a window follows Windows 11's dark mode, but the form's status texts (green,
    red, amber) and the lock banner are chosen for a light background: on a dark one the banner
    fell to a contrast of 1.1:1 and the status texts to 2.2-2.5:1. The printed report and the
    guide's pictures are light too, so the window stays light (tests/test_gui_contrast.py checks
    every colour against the palette, WCAG AA). Where the platform ignores the request, the
    Fusion style's light palette is used instead."""
    qapp.styleHints().setColorScheme(Qt.ColorScheme.Light)
    if qapp.palette().color(QPalette.ColorRole.Window).lightness() < 128:
        from PySide6.QtWidgets import QStyleFactory

        fusion = QStyleFactory.create("Fusion")
        if fusion is not None:
            qapp.setStyle(fusion)
            qapp.setPalette(fusion.standardPalette())


def qt_application() -> QApplication:
    """The one QApplication, created high-DPI friendly with the app's names."""
    from . import translations

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        use_light_scheme(existing)
        translations.install()
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    qapp = QApplication(sys.argv[:1])
    use_light_scheme(qapp)
    QCoreApplication.setOrganizationName("KDX")
    QCoreApplication.setApplicationName("KDX")
    qapp.setApplicationDisplayName("KDX")
    translations.install()
    return qapp


def explain_console_only(argv: list[str]) -> int:
    """The windowed program was given a command: it has no console to print the result into."""
    from .messages import show_error

    qt_application()
    shown = " ".join(argv[:4]) + (" …" if len(argv) > 4 else "")
    show_error(
        None,
        "Cần dùng kdx-cli.exe",  # Qt adds " — KDX" to every title
        "KDX.exe là chương trình cửa sổ nên không hiện được kết quả của lệnh "
        f"“{shown}”. Hãy chạy lệnh trong cửa sổ dòng lệnh (Command Prompt) bằng kdx-cli.exe "
        f"đặt cùng thư mục, ví dụ: kdx-cli {shown}",
    )
    return 2


def run_gui(data_dir: str | None, *, location: Any = None, open_files: Sequence[Path] = ()) -> int:
    """The whole start: folder, logging, the data folder's checks and questions, the window.
    ``location`` replaces the drive detection (tests); ``open_files`` are packages given to the
    program (dragged onto KDX.exe), offered to the intake once the window is up."""
    started = time.perf_counter()
    from .messages import show_error

    qapp = qt_application()
    try:
        folder = paths.resolve_data_dir(data_dir)
    except paths.DataDirError as exc:
        show_error(None, "Không dùng được thư mục dữ liệu", str(exc))
        return 1
    log_file = setup_logging(folder)
    sys.excepthook = make_excepthook(log_file)
    from .startup_flow import open_for_window

    try:
        opened = open_for_window(folder, location=location)
    except Exception as exc:  # never a crash at start: explain, change nothing
        log.exception("cannot open the data folder")
        show_error(None, "Không mở được dữ liệu", str(exc), traceback.format_exc())
        return 1
    if opened is None or opened.app is None:
        return 1  # the reason was shown
    if opened.data_dir != folder:  # moved from a removable drive to this PC: the log follows it
        log_file = move_logging(folder, opened.data_dir)
        sys.excepthook = make_excepthook(log_file)
    app = opened.app
    try:
        from .main_window import MainWindow, default_year
        from .session import THIS_ORG

        if app.store.setting(THIS_ORG) is None:
            from .dialogs import ProfileDialog  # the first start only

            setup = ProfileDialog(app, default_year(app), first_run=True)
            if setup.exec() != QDialog.DialogCode.Accepted:
                return 0
        window = MainWindow(app)
        window.show()
        if open_files:
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, lambda: window.open_files(list(open_files)))
        log.info("window ready in %.2f s (data: %s)", time.perf_counter() - started, opened.data_dir)
        return int(qapp.exec())
    finally:
        opened.close()  # the database, then the instance lock
