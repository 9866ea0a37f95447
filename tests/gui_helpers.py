"""Helpers for the window tests: open the main window on a data folder as the app does."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from kdx_desktop.gui.main_window import MainWindow
from kdx_desktop.gui.settings_file import use_ini_settings
from kdx_desktop.services.reporting import App, open_app

# The offscreen platform cannot resize a window to its contents' hints and says so once per window.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def copy_demo(demo_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(demo_dir, target)
    return target


class Opened:
    """A window and its open data folder; ``close()`` as the user would."""

    def __init__(
        self, qtbot: Any, data_dir: Path, org: str | None, year: int | None, app: App | None = None
    ) -> None:
        use_ini_settings(data_dir)
        self.app = app or open_app(data_dir)
        self.window = MainWindow(self.app, org=org, year=year)
        qtbot.addWidget(self.window)
        self.window.resize(1366, 768)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.qtbot = qtbot

    @property
    def session(self) -> Any:
        return self.window.session

    def row(self, key: str) -> Any:
        page = self.window.pages.key_page[key]
        return page.rows[key]

    def editor(self, key: str) -> QWidget:
        return self.row(key).editor

    def type_into(self, key: str, text: str) -> None:
        """Go to the field, select what is there, type ``text`` and press Enter (or leave a text box)."""
        assert self.window.pages.show_key(key)
        ed = self.editor(key)
        if isinstance(ed, QPlainTextEdit):
            ed.selectAll()
            ed.insertPlainText(text)  # typing (also decomposed text) into the box
            self.row(key)._commit_text()  # what leaving the box does
        else:
            assert isinstance(ed, QLineEdit)
            ed.selectAll()
            ed.insert(text)
            self.qtbot.keyClick(ed, Qt.Key.Key_Return)

    def stored(self, key: str) -> tuple[str | None, bool] | None:
        st = self.session.require_state()
        return self.app.store.entries(st.report.id).get(key)

    def close(self) -> None:
        self.window.close()
        self.app.close()
