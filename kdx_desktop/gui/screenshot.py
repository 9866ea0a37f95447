"""A screenshot of the main window on a data folder, built offscreen (for ``selftest --screenshot``
and the documentation)."""

from __future__ import annotations

import os
from pathlib import Path

SIZE = (1366, 768)  # a common office laptop screen


def grab_main_window(
    data_dir: Path | str, png_path: Path | str, org: str | None = None, year: int | None = None
) -> None:
    """Open the main window on ``data_dir`` (offscreen unless Qt already runs), show the report of
    ``org`` for ``year`` and save it as ``png_path``. Raises ``OSError`` if the PNG cannot be written."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ..paths import resolve_data_dir
    from ..safekeeping import instance_lock
    from ..services.reporting import open_app
    from .app import qt_application
    from .main_window import MainWindow
    from .settings_file import use_ini_settings

    qapp = qt_application()
    folder = resolve_data_dir(data_dir)
    use_ini_settings(folder)
    lock = instance_lock.acquire(folder)
    app = open_app(folder)
    try:
        window = MainWindow(app, org=org, year=year)
        window.setWindowState(Qt.WindowState.WindowNoState)  # a fixed size, whatever the screen
        window.show()
        # After showing: the window keeps itself inside the screen it opens on, and the offscreen
        # screen is smaller than the picture.
        window.resize(*SIZE)
        for _ in range(5):
            qapp.processEvents()
        target = Path(png_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(target), "PNG"):
            raise OSError(f"Không ghi được ảnh chụp {target}")
        window.backups.enabled = False  # a picture changes nothing: no backup at exit
        window.close()
        window.deleteLater()
        qapp.processEvents()
    finally:
        app.close()
        lock.release()
