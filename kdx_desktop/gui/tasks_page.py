"""A Phụ lục 2 task the unit leads: its fields (status, what was done, the product, notes) and its
evidence files, copied into the data folder by ``services.attachments``."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.catalog import Task
from ..services.attachments import add_attachment, list_attachments
from ..services.reporting import UsageError
from ..store.repo import StoreError
from .form_page import FieldsPage
from .messages import show_error
from .models import AttachmentModel
from .session import ReportSession

log = logging.getLogger(__name__)


def task_intro(task: Task) -> str:
    return (
        f"{task.title}\n\nĐơn vị phối hợp: {task.coordinating}\n"
        f"Sản phẩm: {task.product}\nThời gian thực hiện: {task.timeframe}"
    )


class TaskPage(FieldsPage):
    def __init__(self, session: ReportSession, task: Task, parent: QWidget | None = None) -> None:
        keys = [f"task.{task.code}.{f.code}" for f in session.catalog.task_fields]
        super().__init__(session, f"Nhiệm vụ {task.no} ({task.code})", keys, task_intro(task), parent)
        self.task = task
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
        lay.addWidget(self.view)
        buttons = QHBoxLayout()
        self.empty_label = QLabel("Chưa có tệp nào.", box)
        buttons.addWidget(self.empty_label)
        buttons.addStretch(1)
        self.attach_button = QPushButton("Đính &kèm tệp...", box)
        self.attach_button.clicked.connect(self.choose_and_attach)
        self.open_button = QPushButton("&Mở tệp", box)
        self.open_button.clicked.connect(self.open_selected)
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.open_button)
        lay.addLayout(buttons)
        self.extra.addWidget(box)
        self.refresh_attachments()

    def refresh(self) -> None:
        super().refresh()
        self.refresh_attachments()

    def refresh_attachments(self) -> None:
        st = self.session.require_state()
        rows = list_attachments(self.session.app, st.report.id, self.task.code)
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.empty_label.setVisible(not rows)
        self.attach_button.setEnabled(not self.session.locked)
        self.open_button.setEnabled(bool(rows))

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

    def open_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        row = rows[0].row() if rows else 0
        if self.model.rowCount() == 0 or self.session.app.data_dir is None:
            return
        att = self.model.row_at(row)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(att.path(self.session.app.data_dir))))
