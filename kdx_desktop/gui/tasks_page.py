"""A Phụ lục 2 task the unit leads: its fields (status, what was done, the product, notes) and its
evidence files, copied into the data folder by ``services.attachments``; a file attached by
mistake is removed (button, context menu or the Delete key, after a confirmation). On the Sở's
PC, a received report's task shows the evidence files the agency sent with it instead."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.catalog import Task
from ..services.attachments import Attachment, add_attachment, list_attachments, remove_attachment
from ..services.reporting import UsageError
from ..store.repo import StoreError
from .form_page import FieldsPage
from .messages import ask_yes_no, show_error
from .models import AttachmentModel
from .received_view import ReceivedEvidence
from .session import ReportSession

log = logging.getLogger(__name__)


def task_intro(task: Task) -> str:
    return (
        f"{task.title}\n\nĐơn vị phối hợp: {task.coordinating}\n"
        f"Sản phẩm: {task.product}\nThời gian thực hiện: {task.timeframe}"
    )


def locked_text(year: int) -> str:
    return f"Báo cáo năm {year} đã xuất và đang bị khóa: chọn “Mở lại để sửa” (kèm lý do) trước khi gỡ tệp."


class _DeleteKey(QObject):
    """Delete (or Backspace) on the list of files removes the selected one (after confirmation)."""

    def __init__(self, action: Callable[[], object], parent: QObject) -> None:
        super().__init__(parent)
        self.action = action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        ):
            self.action()
            return True
        return super().eventFilter(watched, event)


class TaskPage(FieldsPage):
    """``ask`` is the seam for tests of the removal's confirmation (a dialog by default)."""

    def __init__(self, session: ReportSession, task: Task, parent: QWidget | None = None) -> None:
        keys = [f"task.{task.code}.{f.code}" for f in session.catalog.task_fields]
        super().__init__(session, task.label, keys, task_intro(task), parent)
        self.task = task
        self.ask: Callable[[str, str], bool] = lambda title, text: ask_yes_no(self, title, text)
        self.received: ReceivedEvidence | None = None
        if session.received is not None:
            self.received = ReceivedEvidence(session, task.code, self.widget())
            self.extra.addWidget(self.received)
            return
        box = QGroupBox("Tệp minh chứng (được sao chép vào thư mục dữ liệu)", self.widget())
        lay = QVBoxLayout(box)
        self.model = AttachmentModel(box)
        self.view = QTableView(box)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self._delete_key = _DeleteKey(self.remove_selected, self.view)
        self.view.installEventFilter(self._delete_key)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        lay.addWidget(self.view)
        buttons = QHBoxLayout()
        self.empty_label = QLabel("Chưa có tệp nào.", box)
        buttons.addWidget(self.empty_label)
        buttons.addStretch(1)
        self.attach_button = QPushButton("Đính &kèm tệp...", box)
        self.attach_button.clicked.connect(self.choose_and_attach)
        self.open_button = QPushButton("&Mở tệp", box)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton("Gỡ tệ&p...", box)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        lay.addLayout(buttons)
        self.extra.addWidget(box)
        self.refresh_attachments()

    def refresh(self) -> None:
        super().refresh()
        self.refresh_attachments()

    def refresh_attachments(self) -> None:
        if self.received is not None:
            return  # the files the package carried do not change
        st = self.session.require_state()
        rows = list_attachments(self.session.app, st.report.id, self.task.code)
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.empty_label.setVisible(not rows)
        self.attach_button.setEnabled(not self.session.locked)
        self.open_button.setEnabled(bool(rows))
        self._update_buttons()

    def _update_buttons(self) -> None:
        locked = self.session.locked
        self.remove_button.setEnabled(self.selected() is not None and not locked)
        self.remove_button.setToolTip(
            locked_text(self.session.require_state().year)
            if locked
            else "Gỡ tệp đang chọn khỏi nhiệm vụ (phím Delete)"
        )

    def selected(self) -> Attachment | None:
        """The file selected in the list (None when none is)."""
        rows = self.view.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < self.model.rowCount():
            return None
        att = self.model.row_at(rows[0].row())
        assert isinstance(att, Attachment)
        return att

    def attach(self, path: Path) -> bool:
        """Copy ``path`` in as evidence of this task; a refusal is explained in a dialog."""
        st = self.session.require_state()
        try:
            add_attachment(self.session.app, st.report, self.task.code, path)
        except (UsageError, StoreError, OSError) as exc:
            log.info("attachment refused: %s", exc)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            show_error(self, "Không đính kèm được tệp", f"{path.name}: {reason}")
            return False
        self.refresh_attachments()
        return True

    def choose_and_attach(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self,
            "Chọn tệp minh chứng",
            "",
            "Tài liệu (*.pdf *.doc *.docx *.xls *.xlsx *.jpg *.jpeg *.png);;Mọi tệp (*)",
        )
        for name in names:
            self.attach(Path(name))

    def remove_selected(self) -> bool:
        """Remove the selected file from this task once the officer confirms; True if removed.

        A locked report is refused before asking anything; a refusal by the store is explained."""
        att = self.selected()
        if att is None:
            return False
        st = self.session.require_state()
        if self.session.locked:
            show_error(self, "Không gỡ được tệp", locked_text(st.year))
            return False
        question = (
            f"Gỡ tệp “{att.file_name}” khỏi {self.task.in_sentence}?\n\n"
            "Tệp sẽ không còn trong báo cáo và không được gửi kèm gói; "
            "bản sao trong thư mục dữ liệu vẫn được giữ lại."
        )
        if not self.ask("Gỡ tệp minh chứng", question):
            return False
        row = self.view.selectionModel().selectedRows()[0].row()
        try:
            remove_attachment(self.session.app, st.report, att.id)
        except (UsageError, StoreError) as exc:
            log.info("attachment removal refused: %s", exc)
            show_error(self, "Không gỡ được tệp", f"{att.file_name}: {exc}")
            self.refresh_attachments()
            return False
        self.refresh_attachments()
        if self.model.rowCount():  # the next file is selected, ready for another removal
            self.view.selectRow(min(row, self.model.rowCount() - 1))
        return True

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        self.view.selectRow(index.row())
        menu = self.context_menu()
        menu.exec(self.view.viewport().mapToGlobal(pos))
        menu.deleteLater()  # one menu per right-click: not kept for the life of the page

    def context_menu(self) -> QMenu:
        """The menu of the selected file: open it, remove it."""
        menu = QMenu(self.view)
        menu.addAction("Mở tệp", self.open_selected)
        remove = menu.addAction("Gỡ tệp khỏi nhiệm vụ...", self.remove_selected)
        remove.setEnabled(not self.session.locked)
        return menu

    def open_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        row = rows[0].row() if rows else 0
        if self.model.rowCount() == 0 or self.session.app.data_dir is None:
            return
        att = self.model.row_at(row)
        from PySide6.QtCore import QUrl  # when a file is opened, not at start
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(att.path(self.session.app.data_dir))))
