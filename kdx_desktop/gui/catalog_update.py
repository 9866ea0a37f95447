"""Tệp → "Cập nhật danh mục": install a catalogue edition sent by the Sở, after showing what
changes for this agency and the verification code to compare by telephone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..services.editions import EditionRefused, InstallPreview, install, preview_install, read_edition_path
from ..services.reporting import App
from .messages import _box, _localize, show_error, show_info

TITLE = "Cập nhật danh mục"


def confirm_install(parent: QWidget | None, preview: InstallPreview) -> bool:
    """The preview (edition, verification code, changes) with "Cài đặt" / "Không"."""
    lines = preview.lines()
    box = _box(
        parent,
        QMessageBox.Icon.Question,
        TITLE,
        "\n".join(lines[:3]) + f"\n\n{len(preview.changes)} thay đổi liên quan đến đơn vị này "
        "(bấm “Chi tiết...” để xem). Cài đặt lần ban hành này?",
        "\n".join(lines[3:]),
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    _localize(box)
    box.button(QMessageBox.StandardButton.Yes).setText("Cài đặt")
    return box.exec() == QMessageBox.StandardButton.Yes


def update_catalog(
    parent: QWidget,
    app: App,
    path: Path | None = None,
    *,
    confirm: Callable[[QWidget | None, InstallPreview], bool] = confirm_install,
) -> bool:
    """Choose an edition file, verify it, show the changes, install it. True when installed."""
    if path is None:
        name, _ = QFileDialog.getOpenFileName(
            parent, "Chọn tệp danh mục do Sở gửi", "", "Tệp danh mục KDX (*.kdxdm)"
        )
        if not name:
            return False
        path = Path(name)
    label = f"Tệp “{path.name}”"
    try:
        preview = preview_install(app, read_edition_path(path), label)
        if not confirm(parent, preview):
            return False
        install(app, read_edition_path(path), label)
    except EditionRefused as exc:
        show_error(parent, TITLE, str(exc))
        return False
    show_info(parent, TITLE, f"Đã cài đặt {preview.catalog.edition.label}.")
    return True
