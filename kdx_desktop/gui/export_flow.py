"""The "Xuất báo cáo..." action: check, choose a folder, export with progress, then offer to open
the folder and the e-mail draft. The export engine (``services.exporting``, which imports
reportlab and openpyxl) is imported here, on demand, never at start-up.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from . import background
from .messages import show_error, show_info
from .session import ReportSession
from .side_panel import summary_text

log = logging.getLogger(__name__)


def _paths_in(result: Any) -> list[Path]:
    """Every file path in what the export engine returned (a dataclass, a mapping or a list)."""
    if result is None:
        return []
    if isinstance(result, str | Path):
        return [Path(result)]
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return _paths_in([getattr(result, f.name) for f in dataclasses.fields(result)])
    if isinstance(result, dict):
        return _paths_in(list(result.values()))
    if isinstance(result, Iterable):
        out: list[Path] = []
        for item in result:
            if isinstance(item, Path) or (
                isinstance(item, str) and "." in Path(item).name and ("/" in item or "\\" in item)
            ):
                out.append(Path(item))
            elif isinstance(item, list | tuple | dict) or dataclasses.is_dataclass(item):
                out.extend(_paths_in(item))
        return out
    return []


class _Progress:
    """Adapts the engine's progress calls (a fraction, done/total, or a message) to whole
    percents and a text, handed on to ``emit`` (on the worker thread: a signal to the dialog)."""

    def __init__(self, emit: Callable[[int, str], None]) -> None:
        self.emit = emit
        self.percent = 0
        self.text = ""

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        values = list(args) + list(kwargs.values())
        numbers = [a for a in values if isinstance(a, int | float) and not isinstance(a, bool)]
        texts = [a for a in values if isinstance(a, str)]
        if texts:
            self.text = texts[0]
        if len(numbers) >= 2 and numbers[1]:
            self.percent = int(100 * numbers[0] / numbers[1])
        elif numbers:
            n = numbers[0]
            # The engine reports whole percents; a float up to 1 is read as a fraction.
            self.percent = int(n * 100) if isinstance(n, float) and n <= 1 else int(n)
        self.emit(self.percent, self.text)


def run_export(parent: QWidget, session: ReportSession) -> bool:
    """Export the open report. True when files were written (the report is then locked)."""
    st = session.require_state()
    if st.report.locked:
        show_info(parent, "Xuất báo cáo", "Báo cáo này đã xuất. Muốn xuất lại, hãy “Mở lại để sửa” trước.")
        return False
    text, ok = summary_text(st.issues)
    if not ok:
        show_error(
            parent,
            "Chưa thể xuất báo cáo",
            f"Báo cáo còn {text[0].lower() + text[1:]}\nXem danh sách “Vấn đề cần xử lý” bên phải: bấm vào từng dòng để đến trường cần sửa.",
        )
        return False
    try:
        from ..services import exporting
    except ImportError:
        log.warning("export engine not installed")
        show_error(
            parent, "Xuất báo cáo", "Bản cài đặt này chưa có chức năng xuất báo cáo (thiếu mô-đun xuất)."
        )
        return False
    settings = QSettings()
    start = str(settings.value("export/last_dir", "") or Path.home())
    folder = QFileDialog.getExistingDirectory(parent, "Chọn thư mục lưu báo cáo", start)
    if not folder:
        return False
    settings.setValue("export/last_dir", folder)
    return export_to(parent, session, Path(folder), exporting)


def export_to(parent: QWidget, session: ReportSession, folder: Path, exporting: Any) -> bool:
    """Export on a worker thread (its own database connection) behind a progress dialog; the
    window keeps repainting meanwhile. Then reload the report from the window's connection."""
    st = session.require_state()
    org, year = st.org.code, st.year
    dialog = QProgressDialog("Đang kiểm tra và xuất báo cáo...", "", 0, 100, parent)
    dialog.setWindowTitle("Xuất báo cáo")
    dialog.setCancelButton(None)  # an export is all or nothing and takes a few seconds
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setValue(0)

    def show_progress(percent: int, text: str) -> None:
        if text:
            dialog.setLabelText(text)
        dialog.setValue(max(0, min(percent, 99)))

    def work(app: Any, progress: Callable[[int, str], None]) -> Any:
        return exporting.export_report(app, org, year, folder, progress=_Progress(progress), eml=True)

    try:
        result = background.run(session.app, work, on_progress=show_progress)
    except Exception as exc:  # any refusal of the engine is shown, nothing was written
        log.warning("export failed: %s", exc, exc_info=True)
        dialog.close()
        problems = getattr(exc, "problems", None) or []
        details = "\n".join(f"• {p}" for p in problems)
        show_error(parent, "Không xuất được báo cáo", str(exc) or exc.__class__.__name__, details)
        session.reload()
        return False
    dialog.setValue(100)
    dialog.close()
    session.reload()
    paths = getattr(result, "paths", None)
    files = [Path(p) for p in paths] if isinstance(paths, list) else _paths_in(result)
    rev = session.current_revision()
    finished(
        parent,
        session.require_state().report.revision,
        str(rev.get("verification_code") or "—"),
        folder,
        files,
    )
    return True


def finished(parent: QWidget, revision: int, code: str, folder: Path, files: list[Path]) -> None:
    """Say what was written and offer to open the folder or the e-mail draft."""
    eml = next((p for p in files if p.suffix.lower() == ".eml"), None)
    listing = "\n".join(f"• {p.name}" for p in files) or str(folder)
    box = QMessageBox(
        QMessageBox.Icon.Information, "Đã xuất báo cáo", "", QMessageBox.StandardButton.NoButton, parent
    )
    box.setText(
        f"Đã xuất báo cáo lần {revision}, mã xác thực {code}.\n\nCác tệp trong thư mục {folder}:\n{listing}\n\n"
        "Báo cáo đã được khóa ở lần xuất này."
    )
    open_folder = box.addButton("Mở &thư mục", QMessageBox.ButtonRole.ActionRole)
    open_mail = box.addButton("Mở thư &nháp (.eml)", QMessageBox.ButtonRole.ActionRole) if eml else None
    box.addButton("Đóng", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
    elif open_mail is not None and clicked is open_mail and eml is not None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(eml)))
