"""On the Sở's PC, a report received from an agency, read in the main window's own form.

The session shows the received revision (read-only); this module adds what belongs to a received
report: the banner saying which revision it is (received when, verification code, why it was
sent again), the revision history with the differences between any two revisions, and the files
the package carried (the PDF the agency sent; its evidence files, also on each task's page).

A file from a package is opened with the PC's program only when it is a document or a picture;
anything Windows would run (a program, a script, a shortcut) or that holds other files (an
archive) is only saved as a copy. Every file written from a package is marked, on Windows, as come
from another computer, so that Office opens it in Protected View.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.numbers import format_size
from ..core.vntime import vn_datetime
from ..fsutil import OutputError, atomic_write_bytes
from ..services.received import PDF_MEMBER, HistoryEntry, compare, extract_member, history, member_bytes
from ..services.reporting import UsageError
from .messages import show_error, show_info
from .session import ReportSession

if TYPE_CHECKING:
    from ..province.ledger import Received

log = logging.getLogger(__name__)

# The kinds of file opened with the PC's program: documents, pictures, sound and video.
OPENABLE = frozenset(
    ".pdf .doc .docx .xls .xlsx .ppt .pptx .odt .ods .odp .rtf .txt .csv "
    ".jpg .jpeg .png .gif .bmp .tif .tiff .webp .mp3 .wav .mp4".split()
)


def member_name(member: str) -> str:
    """The file name shown for a member of a package: the member's own last part, whose
    characters the Sở's reader checked (``data.json``'s ``file_name`` is the agency's word only)."""
    return member.rsplit("/", 1)[-1]


def may_open(name: str) -> bool:
    return Path(name).suffix.lower() in OPENABLE


def mark_from_elsewhere(path: Path) -> None:
    """Windows: the file came from another computer (the "Mark of the Web", the
    ``Zone.Identifier`` stream a browser writes): Office opens it in Protected View and Windows
    asks before running anything in it. Elsewhere, and on a drive without streams (FAT32), nothing."""
    if sys.platform != "win32":
        return
    try:
        with open(f"{path}:Zone.Identifier", "w", encoding="ascii") as fh:
            fh.write("[ZoneTransfer]\r\nZoneId=3\r\n")
    except OSError as exc:
        log.info("no Zone.Identifier on %s: %s", path, exc)


def open_member(
    parent: QWidget, session: ReportSession, row: Received, member: str, opener: Callable[[Path], bool]
) -> Path | None:
    """Write a member of the received package (checked against the package first) to a temporary
    folder and open it with the PC's program; a kind of file that could run is refused."""
    name = member_name(member)
    if not may_open(name):
        show_error(
            parent,
            "Không mở tệp này",
            f"“{name}” là loại tệp KDX không mở (có thể là chương trình, lệnh hoặc tệp nén chứa tệp khác). "
            "Chọn “Lưu bản sao...”, kiểm tra virus, rồi mới mở nếu tin tưởng.",
        )
        return None
    try:
        path = extract_member(session.app, row, member)
    except (UsageError, OSError) as exc:
        show_error(parent, "Không mở được tệp", str(exc))
        return None
    mark_from_elsewhere(path)
    if not opener(path):
        show_error(
            parent, "Không mở được tệp", f"Máy chưa có chương trình mở được tệp này. Tệp nằm tại:\n{path}"
        )
    return path


def choose_copy_target(parent: QWidget, name: str) -> Path | None:
    """Where to save a copy (the last folder used, the file's own name)."""
    settings = QSettings()
    folder = Path(str(settings.value("received/copy_dir", "") or Path.home()))
    chosen, _ = QFileDialog.getSaveFileName(parent, "Lưu bản sao tệp", str(folder / name))
    if not chosen:
        return None
    settings.setValue("received/copy_dir", str(Path(chosen).parent))
    return Path(chosen)


def save_member_copy(
    parent: QWidget,
    session: ReportSession,
    row: Received,
    member: str,
    choose: Callable[[QWidget, str], Path | None],
) -> Path | None:
    """Save a copy of a member of the received package (checked against the package) where the
    officer chooses; nothing is opened."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", member_name(member)).strip(". ") or "tep"
    target = choose(parent, safe)
    if target is None:
        return None
    try:
        atomic_write_bytes(target, member_bytes(session.app, row, member))
    except (UsageError, OutputError, OSError) as exc:
        show_error(parent, "Không lưu được bản sao", str(exc))
        return None
    mark_from_elsewhere(target)
    show_info(parent, "Đã lưu bản sao", f"Đã lưu “{target.name}” vào thư mục:\n{target.parent}")
    return target


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
            item = QListWidgetItem(f"Minh chứng ({where}): {member_name(str(a.get('path')))}")
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
        return open_member(
            self, self.session, self.rec.row, str(item.data(Qt.ItemDataRole.UserRole)), self.opener
        )


class ReceivedEvidence(QGroupBox):
    """On a task's page of a received report: the evidence files the agency sent for the task,
    each opened (a document or a picture) or saved as a copy. ``opener`` and ``choose`` are seams
    for tests."""

    def __init__(self, session: ReportSession, task_code: str, parent: QWidget | None = None) -> None:
        super().__init__("Tệp minh chứng đơn vị đã gửi", parent)
        rec = session.received
        assert rec is not None
        self.session, self.row = session, rec.row
        self.opener: Callable[[Path], bool] = open_with_system
        self.choose: Callable[[QWidget, str], Path | None] = choose_copy_target
        self.members = [
            (str(a["path"]), a.get("size"))
            for a in rec.attachments
            if a.get("task_code") == task_code and isinstance(a.get("path"), str)
        ]
        self.table = QTableWidget(len(self.members), 2, self)
        self.table.setHorizontalHeaderLabels(["Tệp", "Dung lượng"])
        for i, (member, size) in enumerate(self.members):
            name = QTableWidgetItem(member_name(member))
            name.setToolTip(
                member_name(member)
                + ("" if may_open(member) else "\nLoại tệp này không mở trong KDX: chỉ lưu bản sao.")
            )
            self.table.setItem(i, 0, name)
            shown = QTableWidgetItem(format_size(size) if isinstance(size, int) else "")
            shown.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(i, 1, shown)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.table.setVisible(bool(self.members))
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty_label = QLabel("Đơn vị không gửi tệp minh chứng nào cho nhiệm vụ này.", self)
        self.empty_label.setWordWrap(True)  # beside the buttons on a narrow page
        self.empty_label.setVisible(not self.members)
        self.open_button = QPushButton("&Mở tệp", self)
        self.open_button.clicked.connect(self.open_selected)
        self.save_button = QPushButton("&Lưu bản sao...", self)
        self.save_button.setToolTip("Lưu một bản sao của tệp vào thư mục chọn (không mở tệp)")
        self.save_button.clicked.connect(self.save_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.empty_label, 1)
        if self.members:
            buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        if self.members:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.members[rows[0].row()][0] if rows else None

    def _update_buttons(self) -> None:
        member = self.selected()
        self.save_button.setEnabled(member is not None)
        self.open_button.setEnabled(member is not None and may_open(member))
        self.open_button.setToolTip(
            "Mở tệp bằng chương trình của máy"
            if member is None or may_open(member)
            else "Loại tệp này có thể chạy chương trình: KDX không mở, chỉ lưu bản sao"
        )

    def open_selected(self) -> Path | None:
        member = self.selected()
        return None if member is None else open_member(self, self.session, self.row, member, self.opener)

    def save_selected(self) -> Path | None:
        member = self.selected()
        return None if member is None else save_member_copy(self, self.session, self.row, member, self.choose)


__all__ = [
    "FilesDialog",
    "HistoryDialog",
    "ReceivedBanner",
    "ReceivedEvidence",
    "open_member",
    "open_with_system",
    "save_member_copy",
]
