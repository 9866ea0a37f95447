"""Message boxes and button boxes in Vietnamese.

Qt ships no Vietnamese translation of its own dialogs (no ``qtbase_vi.qm``), so the texts of the
standard buttons are set here, in one place, for every box the window shows.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget

BUTTON_TEXTS = {
    QDialogButtonBox.StandardButton.Ok: "Đồng ý",
    QDialogButtonBox.StandardButton.Save: "Lưu",
    QDialogButtonBox.StandardButton.Cancel: "Hủy",
    QDialogButtonBox.StandardButton.Close: "Đóng",
    QDialogButtonBox.StandardButton.Yes: "Có",
    QDialogButtonBox.StandardButton.No: "Không",
    QDialogButtonBox.StandardButton.Open: "Mở",
    QDialogButtonBox.StandardButton.Apply: "Áp dụng",
    QDialogButtonBox.StandardButton.Discard: "Bỏ qua",
    QDialogButtonBox.StandardButton.Help: "Trợ giúp",
    QDialogButtonBox.StandardButton.Reset: "Đặt lại",
    QDialogButtonBox.StandardButton.Retry: "Thử lại",
    QDialogButtonBox.StandardButton.Abort: "Hủy bỏ",
    QDialogButtonBox.StandardButton.Ignore: "Bỏ qua",
}

_MB_TEXTS = {
    QMessageBox.StandardButton.Ok: "Đồng ý",
    QMessageBox.StandardButton.Save: "Lưu",
    QMessageBox.StandardButton.Cancel: "Hủy",
    QMessageBox.StandardButton.Close: "Đóng",
    QMessageBox.StandardButton.Yes: "Có",
    QMessageBox.StandardButton.No: "Không",
    QMessageBox.StandardButton.Open: "Mở",
    QMessageBox.StandardButton.Discard: "Bỏ qua",
}


def localize_buttons(box: QDialogButtonBox) -> None:
    """Give the standard buttons of ``box`` their Vietnamese texts."""
    for which, text in BUTTON_TEXTS.items():
        button = box.button(which)
        if button is not None:
            button.setText(text)


def _box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, details: str = ""
) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    if details:
        box.setDetailedText(details)
    return box


def _localize(box: QMessageBox) -> None:
    for which, text in _MB_TEXTS.items():
        button = box.button(which)
        if button is not None:
            button.setText(text)
    # The "Show details..." button of a box with details is not a standard button.
    for button in box.buttons():
        if box.buttonRole(button) == QMessageBox.ButtonRole.ActionRole:
            button.setText("Chi tiết...")


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    box = _box(parent, QMessageBox.Icon.Information, title, text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    _localize(box)
    box.exec()


def show_error(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    box = _box(parent, QMessageBox.Icon.Critical, title, text, details)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    _localize(box)
    box.exec()


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    box = _box(parent, QMessageBox.Icon.Question, title, text)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    _localize(box)
    return box.exec() == QMessageBox.StandardButton.Yes
