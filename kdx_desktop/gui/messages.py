"""Message boxes and button boxes in Vietnamese.

Qt ships no Vietnamese translation of its own dialogs (no ``qtbase_vi.qm``), so the texts of the
standard buttons are set here, in one place, for every box the window shows.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..errors import KdxError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox, QWidget

# Standard buttons by their Qt names (``QDialogButtonBox.StandardButton.Ok`` …), not as enum
# members: PySide6 builds a class's enums when the class is first touched, and the message and
# button box classes are needed when a box is first shown, not while the window starts.
BUTTON_TEXTS = {
    "Ok": "Đồng ý",
    "Save": "Lưu",
    "Cancel": "Hủy",
    "Close": "Đóng",
    "Yes": "Có",
    "No": "Không",
    "Open": "Mở",
    "Apply": "Áp dụng",
    "Discard": "Bỏ qua",
    "Help": "Trợ giúp",
    "Reset": "Đặt lại",
    "Retry": "Thử lại",
    "Abort": "Hủy bỏ",
    "Ignore": "Bỏ qua",
}
_MESSAGE_BOX_BUTTONS = ("Ok", "Save", "Cancel", "Close", "Yes", "No", "Open", "Discard")


def localize_buttons(box: QDialogButtonBox) -> None:
    """Give the standard buttons of ``box`` their Vietnamese texts."""
    from PySide6.QtWidgets import QDialogButtonBox

    for name, text in BUTTON_TEXTS.items():
        button = box.button(getattr(QDialogButtonBox.StandardButton, name))
        if button is not None:
            button.setText(text)


def _box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, details: str = ""
) -> QMessageBox:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    # Plain text always: messages quote file names, typed and scanned text, package contents; Qt's
    # automatic format would render any of them that looks like HTML.
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        box.setDetailedText(details)
    return box


def _localize(box: QMessageBox) -> None:
    from PySide6.QtWidgets import QMessageBox

    for name in _MESSAGE_BOX_BUTTONS:
        button = box.button(getattr(QMessageBox.StandardButton, name))
        if button is not None:
            button.setText(BUTTON_TEXTS[name])
    # The "Show details..." button of a box with details is not a standard button.
    for button in box.buttons():
        if box.buttonRole(button) == QMessageBox.ButtonRole.ActionRole:
            button.setText("Chi tiết...")


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = _box(parent, QMessageBox.Icon.Information, title, text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    _localize(box)
    box.exec()


def shown(exc: BaseException) -> tuple[str, str]:
    """``(text, details)`` of an error for :func:`show_error`, read one way everywhere: a
    :class:`~kdx_desktop.errors.KdxError`'s Vietnamese message, its problems as the details;
    anything else (a fault in KDX itself) by its text."""
    if isinstance(exc, KdxError):
        return exc.message, "\n".join(f"• {p}" for p in exc.problems)
    return str(exc) or exc.__class__.__name__, ""


def show_error(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    from PySide6.QtWidgets import QMessageBox

    box = _box(parent, QMessageBox.Icon.Critical, title, text, details)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    _localize(box)
    box.exec()


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    from PySide6.QtWidgets import QMessageBox

    box = _box(parent, QMessageBox.Icon.Question, title, text)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    _localize(box)
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_discard_unsaved(parent: QWidget | None, what: str, fields: list[str]) -> bool:
    """Typed text that was refused would be lost by ``what`` (quitting, another report): ask.
    True: discard it; False (the default, also Esc and closing the box): go back to the field."""
    from PySide6.QtWidgets import QMessageBox

    listed = "\n".join(f"• {name}" for name in fields)
    box = _box(
        parent,
        QMessageBox.Icon.Warning,
        "Còn nội dung chưa lưu",
        f"Nội dung đã gõ ở các ô sau chưa được lưu vì không hợp lệ:\n{listed}\n\n"
        f"Nếu {what}, nội dung này sẽ mất. Quay lại ô để sửa, hay bỏ nội dung đó?",
    )
    back = box.addButton("Quay lại ô để sửa", QMessageBox.ButtonRole.RejectRole)
    box.addButton("Bỏ nội dung chưa lưu", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    return box.clickedButton() is not back and box.clickedButton() is not None


def show_refusal(label: QLabel, message: str, *, offer_unicode: bool = False) -> None:
    """Why a value was not saved, in ``label`` under the box it came from. With ``offer_unicode``
    (text pasted in TCVN3) the message ends with a "Chuyển sang Unicode" link; the caller handles
    the label's ``linkActivated``. The message itself is always shown as text, never as HTML."""
    from PySide6.QtCore import Qt

    if offer_unicode:
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setText(f'{html.escape(message)} <a href="unicode">Chuyển sang Unicode</a>')
    else:
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setText(message)
