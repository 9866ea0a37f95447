"""The restore dialog of the Tệp menu: the data folder's backups, newest first, or any file.

Imported when the officer asks for it, so its widgets and ``services.backups`` stay off the start.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.numbers import format_size
from ..safekeeping import backups
from .messages import localize_buttons


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
