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


# -- at the Sở: the catalogue as a workbook, and a new edition built from it -------------------


def export_catalog_workbook(parent: QWidget, app: App, path: Path | None = None) -> bool:
    """Tệp → "Ghi danh mục ra bảng tính...": the catalogue in force as a workbook to edit."""
    from ..fsutil import atomic_write_bytes, describe_os_error
    from ..services.catalog_workbook import export_workbook

    if path is None:
        name, _ = QFileDialog.getSaveFileName(
            parent, "Ghi danh mục ra bảng tính", "danh-muc.xlsx", "Bảng tính (*.xlsx)"
        )
        if not name:
            return False
        path = Path(name)
    try:
        atomic_write_bytes(path, export_workbook(app.catalog))
    except OSError as exc:
        show_error(parent, "Ghi danh mục ra bảng tính", describe_os_error(exc, path))
        return False
    show_info(parent, "Ghi danh mục ra bảng tính", f"Đã ghi {app.catalog.edition.label} ra “{path.name}”.")
    return True


def confirm_build(parent: QWidget | None, title: str, summary: str, changes: list[str]) -> bool:
    box = _box(parent, QMessageBox.Icon.Question, title, summary, "\n".join(f"• {c}" for c in changes))
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    _localize(box)
    box.button(QMessageBox.StandardButton.Yes).setText("Ghi tệp danh mục")
    return box.exec() == QMessageBox.StandardButton.Yes


def build_catalog_edition(
    parent: QWidget,
    app: App,
    workbook: Path | None = None,
    out: Path | None = None,
    *,
    confirm: Callable[[QWidget | None, str, str, list[str]], bool] = confirm_build,
) -> bool:
    """Tệp → "Lập lần ban hành danh mục...": check the edited workbook (a wrong cell is named by
    sheet, row and column), show the differences from the edition in force, then write the file."""
    from ..fsutil import atomic_write_bytes, describe_os_error, read_file_at_most
    from ..package.canonical import verification_code
    from ..services.catalog_workbook import WorkbookProblem, build_from_workbook, read_workbook_path
    from ..services.editions import edition_file

    title = "Lập lần ban hành danh mục"
    if workbook is None:
        name, _ = QFileDialog.getOpenFileName(
            parent, "Chọn bảng tính danh mục đã sửa", "", "Bảng tính (*.xlsx)"
        )
        if not name:
            return False
        workbook = Path(name)
    try:
        built = build_from_workbook(read_workbook_path(workbook, read_file_at_most), app.catalog)
    except WorkbookProblem as exc:
        show_error(parent, title, str(exc))
        return False
    new = built.catalog
    summary = (
        f"{new.edition.label}; nơi ban hành: {new.edition.issuer}.\n"
        f"{len(built.changes)} thay đổi so với {app.catalog.edition.label} (bấm “Chi tiết...” để xem)."
    )
    if not confirm(parent, title, summary, built.changes):
        return False
    if out is None:
        name, _ = QFileDialog.getSaveFileName(
            parent,
            "Ghi tệp danh mục",
            f"danh-muc-lan-{new.edition.number}.kdxdm",
            "Tệp danh mục KDX (*.kdxdm)",
        )
        if not name:
            return False
        out = Path(name)
    try:
        atomic_write_bytes(out, edition_file(new))
    except OSError as exc:
        show_error(parent, title, describe_os_error(exc, out))
        return False
    show_info(
        parent,
        title,
        f"Đã ghi “{out.name}”. Mã xác thực: {verification_code(new.sha256)}. In mã này trong công văn gửi các "
        "đơn vị; cài lần ban hành này trên máy của Sở bằng Tệp → Cập nhật danh mục.",
    )
    return True
