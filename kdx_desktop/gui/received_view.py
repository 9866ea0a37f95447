"""On the Sở's PC, a report received from an agency, read in the main window's own form.

The session shows the received revision (read-only); this module adds what belongs to a received
report: the banner saying which revision it is (received when, verification code, why it was
sent again), the revision history with the differences between any two revisions, and the files
the package carried (the PDF the agency sent, its evidence files), opened with the PC's programs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.vntime import vn_datetime
from ..services.received import PDF_MEMBER, HistoryEntry, compare, extract_member, history
from ..services.reporting import UsageError
from .messages import show_error
from .session import ReportSession


def open_with_system(path: Path) -> bool:
    """Open ``path`` with the PC's program for its type (Windows: the file association)."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


class ReceivedBanner(QObject):
    """The banner above the form while a received report (or an agency not yet heard from) is shown."""

    def __init__(self, ui: object, session: ReportSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.ui = ui
        self.session = session
        self.window = parent
        self.history_button = QPushButton("Các lần gửi, so sánh...", parent)
        self.history_button.setToolTip("Các lần đơn vị đã gửi, lý do gửi lại và thay đổi giữa hai lần bất kỳ")
        self.files_button = QPushButton("Tệp đã gửi (PDF, minh chứng)...", parent)
        self.files_button.setToolTip("Mở báo cáo PDF và các tệp minh chứng trong gói đơn vị đã gửi")
        layout = ui.lockLayout  # type: ignore[attr-defined]
        layout.addWidget(self.history_button)
        layout.addWidget(self.files_button)
        self.history_button.clicked.connect(self.show_history)
        self.files_button.clicked.connect(self.show_files)
        self.opener: Callable[[Path], bool] = open_with_system  # a seam for tests
        session.loaded.connect(self.update)
        self.update()

    def update(self) -> None:
        ui, s = self.ui, self.session
        rec = s.received
        shown = rec is not None
        self.history_button.setVisible(shown)
        self.files_button.setVisible(shown)
        ui.reopenButton.setVisible(not shown and not s.not_received)  # type: ignore[attr-defined]
        if s.state is None:
            return
        name = s.state.org.name(s.state.year)
        if rec is not None:
            r = rec.row
            which = "" if r.current else " (lần cũ, không phải lần Sở đang dùng)"
            if r.voided:
                which = f" (Sở đã hủy lần gửi này: {_html(r.void_reason or '')})"
            text = (
                f"Báo cáo do <b>{name}</b> gửi đến Sở: lần {r.revision}{which}, nhận lúc {vn_datetime(r.received_at)}, "
                f"mã xác thực <b>{r.verification_code}</b>. Chỉ để xem."
            )
            if rec.reopen_reason:
                text += f"<br>Lý do gửi lại: {_html(rec.reopen_reason)}"
            ui.lockLabel.setText(text)  # type: ignore[attr-defined]
            ui.lockBanner.setStyleSheet("QFrame#lockBanner { background: #e3effa; }")  # type: ignore[attr-defined]
            ui.lockBanner.setVisible(True)  # type: ignore[attr-defined]
        elif s.not_received:
            ui.lockLabel.setText(  # type: ignore[attr-defined]
                f"Sở chưa nhận báo cáo năm {s.state.year} của <b>{name}</b>. Báo cáo của đơn vị đến bằng gói "
                "báo cáo (trang “Tiếp nhận báo cáo của các đơn vị”); trang này chỉ để xem."
            )
            ui.lockBanner.setStyleSheet("QFrame#lockBanner { background: #f0f0f0; }")  # type: ignore[attr-defined]
            ui.lockBanner.setVisible(True)  # type: ignore[attr-defined]

    def show_history(self) -> QDialog | None:
        st = self.session.state
        if st is None or self.session.received is None:
            return None
        dialog = HistoryDialog(self.session, self.window)
        dialog.open()
        return dialog

    def show_files(self) -> QDialog | None:
        if self.session.received is None:
            return None
        dialog = FilesDialog(self.session, self.opener, self.window)
        dialog.open()
        return dialog


def _html(text: str) -> str:
    from html import escape

    return escape(text).replace("\n", "<br>")


class HistoryDialog(QDialog):
    """Every received revision (when, code, why sent again) and the differences between two of them."""

    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        st = session.require_state()
        self.session = session
        self.org, self.year = st.org.code, st.year
        self.setWindowTitle(f"Các lần gửi - {st.org.name(st.year)} - năm {st.year}")
        self.entries: list[HistoryEntry] = history(session.app, self.org, self.year)
        self.list = QListWidget(self)
        for e in self.entries:
            r = e.row
            line = f"Lần {r.revision}{' (đang dùng)' if r.current else ''} - nhận {vn_datetime(r.received_at)} - mã {r.verification_code}"
            if r.voided:
                line += f"\n    Sở đã hủy lần gửi này: {r.void_reason}"
            if e.reopen_reason:
                line += f"\n    Lý do gửi lại: {e.reopen_reason}"
            item = QListWidgetItem(line)
            item.setData(Qt.ItemDataRole.UserRole, r.revision)
            self.list.addItem(item)
        self.old = QComboBox(self)
        self.new = QComboBox(self)
        for e in self.entries:
            for combo in (self.old, self.new):
                combo.addItem(f"lần {e.row.revision}", e.row.revision)
        self.diff = QPlainTextEdit(self)
        self.diff.setReadOnly(True)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("So sánh từ", self))
        pick.addWidget(self.old)
        pick.addWidget(QLabel("đến", self))
        pick.addWidget(self.new)
        pick.addStretch(1)
        self.view_button = QPushButton("Xem lần gửi này", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.view_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Các lần đơn vị đã gửi (chọn một lần để xem lại báo cáo lần đó):", self))
        layout.addWidget(self.list, 1)
        layout.addLayout(pick)
        layout.addWidget(self.diff, 2)
        layout.addWidget(buttons)
        self.old.currentIndexChanged.connect(lambda _i: self.show_diff())
        self.new.currentIndexChanged.connect(lambda _i: self.show_diff())
        self.view_button.clicked.connect(self.view_selected)
        self.list.itemDoubleClicked.connect(lambda _item: self.view_selected())
        self.resize(720, 520)
        if len(self.entries) > 1:
            self.old.setCurrentIndex(len(self.entries) - 2)
        self.new.setCurrentIndex(len(self.entries) - 1)
        shown = session.received.row.revision if session.received else None
        for i in range(self.list.count()):
            it = self.list.item(i)
            if it is not None and it.data(Qt.ItemDataRole.UserRole) == shown:
                self.list.setCurrentRow(i)
        self.show_diff()

    def compare(self, old: int, new: int) -> str:
        """The differences from revision ``old`` to ``new`` as the dialog shows them."""
        if old == new:
            return "Chọn hai lần gửi khác nhau để so sánh."
        changes = compare(self.session.app, self.org, self.year, old, new)
        head = f"Lần {new} so với lần {old}: {len(changes)} giá trị khác nhau."
        return "\n".join([head, *(f"• {c.label}: {c.old} → {c.new}" for c in changes)])

    def show_diff(self) -> None:
        old, new = self.old.currentData(), self.new.currentData()
        if old is None or new is None:
            return
        self.diff.setPlainText(self.compare(int(old), int(new)))

    def view_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.session.load(self.org, self.year, revision=int(item.data(Qt.ItemDataRole.UserRole)))
        self.accept()


class FilesDialog(QDialog):
    """The PDF the agency sent and its evidence files, each opened with the PC's program."""

    def __init__(
        self, session: ReportSession, opener: Callable[[Path], bool], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        rec = session.received
        assert rec is not None
        self.session, self.rec, self.opener = session, rec, opener
        st = rec.state
        self.setWindowTitle(f"Tệp đã gửi - {st.org.name(st.year)} - năm {st.year}, lần {rec.row.revision}")
        self.list = QListWidget(self)
        first = QListWidgetItem(f"Báo cáo PDF đã gửi (lần {rec.row.revision})")
        first.setData(Qt.ItemDataRole.UserRole, PDF_MEMBER)
        self.list.addItem(first)
        tasks = {t.code: t for t in session.catalog.tasks}
        for a in rec.attachments:
            task = tasks.get(str(a.get("task_code")))
            where = f"nhiệm vụ {task.no}" if task else str(a.get("task_code"))
            item = QListWidgetItem(f"Minh chứng ({where}): {a.get('file_name')}")
            item.setData(Qt.ItemDataRole.UserRole, a.get("path"))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        open_button = QPushButton("Mở tệp", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        open_button.clicked.connect(self.open_selected)
        self.list.itemDoubleClicked.connect(lambda _item: self.open_selected())
        layout = QVBoxLayout(self)
        n = len(rec.attachments)
        layout.addWidget(QLabel(f"Gói báo cáo gồm báo cáo PDF và {n} tệp minh chứng:", self))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(620, 360)

    def open_selected(self) -> Path | None:
        """Write the chosen file to a temporary folder (checked against the package first) and open it."""
        item = self.list.currentItem()
        if item is None:
            return None
        try:
            path = extract_member(self.session.app, self.rec.row, str(item.data(Qt.ItemDataRole.UserRole)))
        except (UsageError, OSError) as exc:
            show_error(self, "Không mở được tệp", str(exc))
            return None
        if not self.opener(path):
            show_error(
                self, "Không mở được tệp", f"Máy chưa có chương trình mở được tệp này. Tệp nằm tại:\n{path}"
            )
        return path


__all__ = ["FilesDialog", "HistoryDialog", "ReceivedBanner", "open_with_system"]
