"""The "Xuất báo cáo..." action: check, choose a folder, export with progress, then offer to open
the folder and the e-mail draft. The export engine (``services.exporting``, which imports
reportlab and openpyxl) is imported here, on demand, never at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog, QWidget

from ..core.deadlines import deadline_note, today_in_vietnam
from ..core.file_names import PACKAGE_PATTERNS
from . import background
from .messages import show_error, show_info, shown
from .session import ReportSession
from .side_panel import summary_text

log = logging.getLogger(__name__)


def run_export(parent: QWidget, session: ReportSession) -> bool:
    """Export the open report. True when files were written (the report is then locked)."""
    st = session.require_state()
    if st.report.locked:
        show_info(parent, "Xuất báo cáo", "Báo cáo này đã xuất. Muốn xuất lại, hãy “Mở lại để sửa” trước.")
        return False
    text, ok = summary_text(st.issues)
    due = deadline_note(session.catalog, st.year, today_in_vietnam())
    if not ok:
        show_error(
            parent,
            "Chưa thể xuất báo cáo",
            f"Báo cáo còn {text[0].lower() + text[1:]}\nXem danh sách “Vấn đề cần xử lý”: bấm vào từng dòng để "
            f"đến trường cần sửa.\n\n{due}.",
        )
        return False
    from ..services import exporting  # reportlab and openpyxl: loaded with the first export

    if not signer_ready(parent, session, "trước khi xuất báo cáo"):
        return False
    folder = _choose_folder(parent, f"Chọn thư mục lưu báo cáo ({due[0].lower()}{due[1:]})")
    return folder is not None and export_to(parent, session, folder, exporting)


def signer_ready(parent: QWidget, session: ReportSession, why: str) -> bool:
    """True when the report's signer (title and name) is known. Otherwise open "Cài đặt cơ quan"
    with the missing fields marked; True if they were filled in there."""
    from ..services.identity import PROFILE_FIELDS, identity, missing_for_signature
    from .dialogs import ProfileDialog
    from .session import THIS_ORG

    st = session.require_state()
    app = session.app
    missing = missing_for_signature(identity(app.catalog, app.store, st.org.code, st.year))
    if not missing:
        return True
    if app.store.setting(THIS_ORG) != st.org.code:  # the dialog edits this PC's organisation only
        names = ", ".join(dict(PROFILE_FIELDS)[k] for k in missing)
        show_error(
            parent, "Chưa có người ký", f"Báo cáo của {st.org.label(st.year)} năm {st.year} chưa có {names}."
        )
        return False
    dialog = ProfileDialog(app, st.year, parent=parent, required=missing, why=why)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    session.reload()
    st = session.require_state()
    return not missing_for_signature(identity(app.catalog, app.store, st.org.code, st.year))


def _choose_folder(parent: QWidget, title: str) -> Path | None:
    settings = QSettings()
    start = str(settings.value("export/last_dir", "") or Path.home())
    folder = QFileDialog.getExistingDirectory(parent, title, start)
    if not folder:
        return None
    settings.setValue("export/last_dir", folder)
    return Path(folder)


# Packages are named BaoCao_<VIẾT TẮT>_<NĂM>_lan<LẦN>.zip; those of an older KDX KDX_….zip.
SIGN_FILTER = f"Gói báo cáo ({PACKAGE_PATTERNS});;Báo cáo PDF (*.pdf)"


def run_sign_file(parent: QWidget) -> bool:
    """Choose an exported package (or a report PDF) and sign it: the Ký số step on its own."""
    settings = QSettings()
    start = str(settings.value("export/last_dir", "") or Path.home())
    path, _ = QFileDialog.getOpenFileName(parent, "Chọn gói báo cáo để ký số", start, SIGN_FILTER)
    if not path:
        return False
    from .signing_dialog import run_signing

    return run_signing(parent, Path(path)) is not None


def run_draft(parent: QWidget, session: ReportSession) -> bool:
    """Print the open report as a draft (PDF and workbook marked BẢN NHÁP) into a chosen folder.
    Valid or not, locked or not: nothing is checked, locked or spent."""
    session.require_state()
    from ..services import exporting  # reportlab and openpyxl: loaded with the first export

    folder = _choose_folder(parent, "Chọn thư mục lưu bản nháp")
    return folder is not None and draft_to(parent, session, folder, exporting)


def draft_to(parent: QWidget, session: ReportSession, folder: Path, exporting: Any) -> bool:
    """Write the draft on a worker thread, then offer to open the PDF or its folder."""
    st = session.require_state()
    org, year = st.org.code, st.year
    try:
        result = background.run(
            session.app, lambda app, _progress: exporting.export_draft(app, org, year, folder)
        )
    except Exception as exc:  # nothing was written
        log.warning("draft failed: %s", exc, exc_info=True)
        show_error(parent, "Không in được bản nháp", *shown(exc))
        return False
    draft_done(parent, folder, result)
    return True


def draft_done(parent: QWidget, folder: Path, result: Any) -> None:
    """Say where the draft is and what it is; offer to open the PDF or the folder."""
    box = QMessageBox(
        QMessageBox.Icon.Information, "Đã in bản nháp", "", QMessageBox.StandardButton.NoButton, parent
    )
    listing = "\n".join(f"• {p.name}" for p in result.paths)
    box.setText(
        f"Đã lưu bản nháp vào thư mục {folder}:\n{listing}\n\n"
        "Mỗi trang ghi “BẢN NHÁP”, không có mã xác thực: dùng để lãnh đạo xem và sửa, không gửi Sở. "
        "Báo cáo không bị khóa và chưa tốn lần gửi nào."
    )
    open_pdf = box.addButton("Mở bản &PDF", QMessageBox.ButtonRole.ActionRole)
    open_folder = box.addButton("Mở &thư mục", QMessageBox.ButtonRole.ActionRole)
    box.addButton("Đóng", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_pdf:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.pdf)))
    elif clicked is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


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
        return exporting.export_report(app, org, year, folder, progress=progress, eml=True)

    try:
        result = background.run(session.app, work, on_progress=show_progress)
    except Exception as exc:  # any refusal of the engine is shown, nothing was written
        log.warning("export failed: %s", exc, exc_info=True)
        dialog.close()
        show_error(parent, "Không xuất được báo cáo", *shown(exc))
        session.reload()
        return False
    dialog.setValue(100)
    dialog.close()
    session.reload()
    files = [Path(p) for p in result.paths]
    rev = session.current_revision()
    finished(
        parent,
        session.require_state().report.revision,
        str(rev.get("verification_code") or "—"),
        folder,
        files,
        deadline_note(session.catalog, year, today_in_vietnam()),
    )
    return True


def finished(
    parent: QWidget, revision: int, code: str, folder: Path, files: list[Path], due: str = ""
) -> None:
    """Say what was written and offer to open the folder or the e-mail draft."""
    eml = next((p for p in files if p.suffix.lower() == ".eml"), None)
    listing = "\n".join(f"• {p.name}" for p in files) or str(folder)
    box = QMessageBox(
        QMessageBox.Icon.Information, "Đã xuất báo cáo", "", QMessageBox.StandardButton.NoButton, parent
    )
    box.setText(
        f"Đã xuất báo cáo lần {revision}, mã xác thực {code}.\n\nCác tệp trong thư mục {folder}:\n{listing}\n\n"
        "Báo cáo đã được khóa ở lần xuất này." + (f"\n\n{due}: gửi gói .zip cho Sở ngay." if due else "")
    )
    package = next((p for p in files if p.suffix.lower() == ".zip"), None)
    sign = box.addButton("&Ký số...", QMessageBox.ButtonRole.ActionRole) if package else None
    open_folder = box.addButton("Mở &thư mục", QMessageBox.ButtonRole.ActionRole)
    open_mail = box.addButton("Mở thư &nháp (.eml)", QMessageBox.ButtonRole.ActionRole) if eml else None
    box.addButton("Đóng", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if sign is not None and clicked is sign and package is not None:
        from .signing_dialog import run_signing

        run_signing(parent, package)
    elif clicked is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
    elif open_mail is not None and clicked is open_mail and eml is not None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(eml)))
