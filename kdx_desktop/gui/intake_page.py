"""The Sở's intake page: import packages (drop files or a folder, or "Nhập gói..."), see one
result per file with what changed between revisions, follow the status board of a year, mark
the paper check and produce the consolidated report.

Importing and consolidating run on a worker thread with their own database connection
(``background``); the page keeps repainting, shows a busy cursor and reloads from its own
connection afterwards.

The page's "Năm báo cáo" follows the year chosen at the top of the window (``follow_session``,
which the main window calls when it builds the page) and can still
be changed on the page itself, e.g. to look at last year's reports while the window shows this
year's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.file_names import board_stem
from ..core.vntime import today_in_vietnam, vietnam_date
from ..province import ledger
from ..province.chasing import BOARD_HEADERS, REVIEW_COLUMN, board_cells, summary_text, vn_day
from ..province.paper import PaperMismatch
from ..province.status import Board, StatusRow
from ..services.intake import (
    ImportOutcome,
    check_paper,
    import_paths,
    revision_diff,
    status_board,
    void_revision,
)
from ..services.reporting import App
from ..signing.labels import signature_phrase
from . import background
from .messages import ask_yes_no, show_error, show_info
from .session import ReportSession

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ALL_COLUMNS = "Mọi cột"


class _BoardItem(QTableWidgetItem):
    """A board cell that sorts by its key (numbers as numbers, days late in order), not its text."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is not None and theirs is not None:
            return bool(mine < theirs)
        return self.text().casefold() < other.text().casefold()


def _sort_keys(r: StatusRow) -> list[Any]:
    """Per column, a key that sorts as the officer expects (None: by text)."""
    lateness = (0 if r.received and r.on_time else 1 if r.received else 2, r.days_late)
    keys: list[Any] = [None] * len(BOARD_HEADERS)
    keys[2] = r.revision or 0
    keys[4] = vietnam_date(r.first_created_at).isoformat() if r.first_created_at else ""
    keys[5] = lateness
    keys[6] = r.warnings if r.received else -1
    return keys


class IntakePage(QWidget):
    """The Sở's page. ``read_code``, ``read_reason``, ``confirm`` and ``pick_*`` are seams for
    tests (dialogs by default)."""

    open_requested = Signal(str, int)  # show this agency's report for this year, as received

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.board: Board | None = None
        self.read_code: Callable[[str, str], str | None] = lambda title, text: self._ask_text(
            title, text, ok="Đối chiếu", cancel="Hủy"
        )
        self.read_reason: Callable[[str, str], str | None] = lambda title, text: self._ask_text(
            title, text, ok="Hủy lần gửi", cancel="Không hủy"
        )
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask_yes_no(self, title, text)
        self.setAcceptDrops(True)
        self.setObjectName("intakePage")

        top = QHBoxLayout()
        self.import_button = QPushButton("Nhập gói...")
        self.import_button.setToolTip(
            "Chọn các gói báo cáo (BaoCao_….zip, hoặc KDX_….zip của bản cũ) nhận qua thư điện tử"
        )
        self.folder_button = QPushButton("Nhập cả thư mục...")
        self.dry_run = QCheckBox("Chỉ kiểm tra (chưa ghi)")
        # The day the packages reached the Sở (mail read late): on time or late is judged on it.
        self.received = QDateEdit()
        self.received.setDisplayFormat("dd/MM/yyyy")
        self.received.setCalendarPopup(True)
        self.received.setObjectName("receivedDate")
        self.received.setToolTip(
            "Ngày gói đến Sở (giờ Việt Nam). Mặc định là hôm nay; chọn ngày trước đó nếu thư đến từ "
            "hôm trước. Đúng hạn hay trễ hạn xét theo ngày này, không theo giờ máy của cơ quan."
        )
        self._reset_received_date()
        self.trust_button = QPushButton("Chứng thư tin cậy...")
        self.trust_button.setToolTip("Chứng thư gốc và danh sách thu hồi dùng để kiểm tra chữ ký số")
        top.addWidget(self.import_button)
        top.addWidget(self.folder_button)
        top.addWidget(QLabel("Ngày gói đến Sở:"))
        top.addWidget(self.received)
        top.addWidget(self.dry_run)
        top.addStretch(1)
        top.addWidget(self.trust_button)
        hint = QLabel("Có thể kéo thả các tệp gói hoặc cả thư mục vào trang này.")
        hint.setStyleSheet("color: palette(mid)")

        self.results = QTreeWidget()
        self.results.setHeaderLabels(["Kết quả nhập từng tệp"])
        self.results.setRootIsDecorated(True)
        results_box = QGroupBox("Kết quả nhập")
        rl = QVBoxLayout(results_box)
        rl.addWidget(self.results)

        self.consolidate_button = QPushButton("Lập báo cáo tổng hợp...")
        self.sign_button = QPushButton("Ký số báo cáo tổng hợp...")
        board_box = QGroupBox("Tình hình nhận báo cáo")
        bl = QVBoxLayout(board_box)
        year_row = QHBoxLayout()
        year_row.addWidget(QLabel("Năm báo cáo:"))
        self.year = QSpinBox()
        years = self.app.catalog.years()
        self.year.setRange(years.start, years.stop - 1)
        today = today_in_vietnam()
        self.year.setValue(min(max(today.year - (today.month < 11), years.start), years.stop - 1))
        year_row.addWidget(self.year)
        self.summary = QLabel()
        self.summary.setWordWrap(True)  # long on a 1024-pixel screen
        year_row.addWidget(self.summary, 1)
        # Up here, not with the buttons on the selected agency: it is about the whole year, and the
        # row below must fit a 1024-pixel screen.
        year_row.addWidget(self.consolidate_button)
        year_row.addWidget(self.sign_button)
        bl.addLayout(year_row)
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel("Lọc:"))
        self.filter_column = QComboBox()
        self.filter_column.addItem(ALL_COLUMNS, -1)
        for i, h in enumerate(BOARD_HEADERS):
            self.filter_column.addItem(h, i)
        self.filter_text = QLineEdit()
        self.filter_text.setPlaceholderText("gõ chữ cần tìm, ví dụ “Quá hạn”, “Cần sửa”, tên cơ quan...")
        self.filter_text.setClearButtonEnabled(True)
        filter_row.addWidget(self.filter_column)
        filter_row.addWidget(self.filter_text, 1)
        bl.addLayout(filter_row)
        self.table = QTableWidget(0, len(BOARD_HEADERS))
        self.table.setHorizontalHeaderLabels(list(BOARD_HEADERS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setToolTip("Bấm vào tên cột để sắp xếp")
        self.table.horizontalHeader().setSortIndicatorShown(True)
        # No column chosen yet: the board's own order (expected agencies first) until a click.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        bl.addWidget(self.table)
        self.own_missing = QLabel()
        self.own_missing.setWordWrap(True)
        bl.addWidget(self.own_missing)
        actions = QHBoxLayout()
        self.open_button = QPushButton("Xem báo cáo")
        self.open_button.setToolTip("Mở báo cáo đơn vị đã gửi (hoặc nháy đúp vào dòng)")
        self.paper_button = QPushButton("Đánh dấu “đã đối chiếu với bản giấy”")
        self.diff_button = QPushButton("Xem thay đổi so với lần gửi trước")
        self.void_button = QPushButton("Hủy lần gửi...")
        self.void_button.setToolTip(
            "Cho gói giả mạo hoặc gửi nhầm: lần gửi được giữ lại kèm lý do, Sở dùng lại lần gửi trước đó"
        )
        self.remind_button = QPushButton("Thư nhắc...")
        self.remind_button.setToolTip(
            "Thư điện tử (.eml) và công văn đôn đốc (PDF) cho các đơn vị chưa gửi hoặc phải sửa báo cáo"
        )
        self.print_button = QPushButton("In bảng (PDF)...")
        self.xlsx_button = QPushButton("Xuất bảng tính...")
        for b in (self.open_button, self.paper_button, self.diff_button, self.void_button):
            actions.addWidget(b)
        actions.addStretch(1)
        bl.addLayout(actions)
        outputs = QHBoxLayout()
        for b in (self.remind_button, self.print_button, self.xlsx_button):
            outputs.addWidget(b)
        outputs.addStretch(1)
        bl.addLayout(outputs)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(results_box, 1)
        layout.addWidget(board_box, 3)

        self.import_button.clicked.connect(self._choose_files)
        self.folder_button.clicked.connect(self._choose_folder)
        self.year.valueChanged.connect(lambda _: self.refresh())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.open_selected())
        self.results.itemDoubleClicked.connect(self._result_activated)
        self.filter_text.textChanged.connect(lambda _t: self.apply_filter())
        self.filter_column.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.open_button.clicked.connect(self.open_selected)
        self.remind_button.clicked.connect(self._choose_reminder_folder)
        self.print_button.clicked.connect(lambda: self._choose_board_file("pdf"))
        self.xlsx_button.clicked.connect(lambda: self._choose_board_file("xlsx"))
        self.paper_button.clicked.connect(self.mark_selected_paper_checked)
        self.diff_button.clicked.connect(self.show_selected_diff)
        self.void_button.clicked.connect(self.void_selected)
        self.consolidate_button.clicked.connect(self._choose_consolidation_folder)
        self.trust_button.clicked.connect(self.show_trust)
        self.sign_button.clicked.connect(self.sign_consolidation)
        self._window_year: int | None = None
        self._session: ReportSession | None = None
        # Seams for tests (dialogs by default).
        self.pick_folder: Callable[[str], Path | None] = self._folder_dialog
        self.pick_save: Callable[[str, str, str], Path | None] = self._save_dialog
        self.refresh()

    # -- the window's year ----------------------------------------------------------------
    def follow_session(self, session: ReportSession) -> None:
        """Follow the year of the report the window shows (now, and each time it loads another)."""
        self._session = session
        # A bound method, so that Qt drops the connection when the page goes first.
        session.loaded.connect(self._session_loaded)
        self._session_loaded()

    def _session_loaded(self) -> None:
        session = self._session
        if session is not None and session.state is not None:
            self.follow_year(session.state.year)

    def follow_year(self, year: int) -> None:
        """The window's year is now ``year``: the board shows it, unless the window was already on
        that year (the same report reloaded after an export or a reopening), in which case a year
        the officer chose on the page stays."""
        if year == self._window_year:
            return
        self._window_year = year
        self.year.setValue(year)  # refreshes the board when the value changes

    def _in_background(self, work: background.Work) -> Any:
        """Run ``work`` on a worker thread; the page is disabled and the cursor busy meanwhile."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self.setEnabled(False)
        try:
            return background.run(self.app, work)
        finally:
            self.setEnabled(True)
            QGuiApplication.restoreOverrideCursor()

    # -- importing ------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Chọn gói báo cáo", "", "Gói báo cáo KDX (*.zip)")
        if files:
            self.import_files([Path(f) for f in files])

    def received_day(self) -> dt.date:
        """The day chosen in "Ngày gói đến Sở"."""
        q = self.received.date()
        return dt.date(q.year(), q.month(), q.day())

    def _reset_received_date(self) -> None:
        """Today in Vietnam, and no later day can be chosen."""
        today = today_in_vietnam()
        self.received.setMaximumDate(QDate(today.year, today.month, today.day))
        self.received.setDate(QDate(today.year, today.month, today.day))

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục chứa các gói báo cáo")
        if folder:
            self.import_files([Path(folder)])

    def import_files(self, paths: Sequence[Path]) -> list[ImportOutcome]:
        """Import ``paths`` (files or folders) and show one line per file; returns the outcomes."""
        files, dry_run = list(paths), self.dry_run.isChecked()
        received = self.received_day()
        try:
            outcomes: list[ImportOutcome] = self._in_background(
                lambda app, _progress: import_paths(app, files, dry_run=dry_run, received=received)
            )
        except Exception as exc:
            show_error(self, "Không nhập được", str(exc))
            self.refresh()
            return []
        outcomes = self._confirm_jumps(outcomes, dry_run)
        self.results.clear()
        for o in outcomes:
            item = QTreeWidgetItem([f"{'✘' if o.refused else '✔'} {Path(o.file).name}: {o.message}"])
            item.setToolTip(0, o.file + ("" if o.refused else "\nNháy đúp để xem báo cáo này."))
            if o.org_code and o.year and not o.refused and not self.dry_run.isChecked():
                item.setData(0, Qt.ItemDataRole.UserRole, (o.org_code, o.year))
            for ch in o.changes:
                item.addChild(QTreeWidgetItem([f"{ch.label}: {ch.old} → {ch.new}"]))
            self.results.addTopLevelItem(item)
            item.setExpanded(bool(o.changes) and len(o.changes) <= 30)
        years = {o.year for o in outcomes if o.year and not o.refused}
        if len(years) == 1:
            self.year.setValue(years.pop())
        self.refresh()
        return outcomes

    def _confirm_jumps(self, outcomes: list[ImportOutcome], dry_run: bool) -> list[ImportOutcome]:
        """Revisions far ahead of the last one received wait for the officer: asked once for the
        batch, and imported only on "Có" (each file's line replaced by its new outcome)."""
        held = [o for o in outcomes if o.code == "revision.jump"]
        if not held or dry_run:
            return outcomes
        names = "\n".join(
            f"• {Path(o.file).name}: {self.app.catalog.org_label(o.org_code or '', o.year or 0)} năm {o.year} "
            f"lần {o.revision}"
            for o in held
        )
        if not self.confirm(
            "Lần gửi vượt xa lần trước",
            f"Các gói sau mang số lần gửi cao bất thường so với lần Sở đã nhận:\n{names}\n\n"
            "Một gói giả mạo mang số lần rất cao sẽ làm mọi lần gửi thật sau đó bị từ chối. "
            "Chỉ nhập khi đã xác minh với đơn vị (đối chiếu bản giấy). Nhập các gói này?",
        ):
            return outcomes
        files = [Path(o.file) for o in held]
        received = self.received_day()
        try:
            again: list[ImportOutcome] = self._in_background(
                lambda app, _progress: import_paths(app, files, accept_jump=True, received=received)
            )
        except Exception as exc:
            show_error(self, "Không nhập được", str(exc))
            return outcomes
        by_file = {o.file: o for o in again}
        return [by_file.get(o.file, o) if o.code == "revision.jump" else o for o in outcomes]

    def void_selected(self) -> bool:
        """Void the current revision of the selected agency (a forged or mistaken package): the
        officer gives the reason; the revision is kept with it and the one before is used again.
        True when voided."""
        r = self.selected_row()
        if r is None or not r.received or r.revision is None:
            return False
        reason = self.read_reason(
            "Hủy lần gửi đang dùng",
            f"Hủy lần gửi {r.revision} (mã xác thực {r.verification_code}) của {r.name}? Lần gửi này được "
            "giữ lại kèm lý do nhưng không còn được dùng; Sở dùng lại lần gửi trước đó (nếu có) và lần gửi "
            "thật tiếp theo của đơn vị sẽ nhập được. Lý do hủy:",
        )
        if reason is None:
            return False
        try:
            void_revision(self.app, r.org_code, self.year.value(), r.revision, reason)
        except Exception as exc:
            show_error(self, "Không hủy được lần gửi", str(exc))
            return False
        self.refresh()
        now = ledger.current(self.app.store, r.org_code, self.year.value())
        after = f"Sở đang dùng lần gửi {now.revision}." if now else "Sở không còn lần gửi nào của đơn vị này."
        show_info(self, "Đã hủy lần gửi", f"Đã hủy lần gửi {r.revision} của {r.name}. {after}")
        return True

    # -- the board ------------------------------------------------------------------------
    def data_replaced(self) -> None:
        """After a restore: the import results listed may no longer be in the data, so they go."""
        self.results.clear()
        self.refresh()

    def refresh(self) -> None:
        keep = self.selected_row()
        self.board = status_board(self.app, self.year.value())
        b = self.board
        self.summary.setText(summary_text(b))
        self.summary.setWordWrap(True)
        self.table.setSortingEnabled(False)  # filled in the board's order, then sorted as chosen
        self.table.setRowCount(len(b.rows))
        for i, r in enumerate(b.rows):
            keys = _sort_keys(r)
            for j, text in enumerate(board_cells(r)):
                cell = _BoardItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, r.org_code)
                if BOARD_HEADERS[j] == "Chữ ký số" and r.received:
                    cell.setToolTip(signature_phrase(r.signature, r.signature_policy))
                if keys[j] is not None:
                    cell.setData(SORT_ROLE, keys[j])
                if j == 5 and (r.overdue or (r.received and not r.on_time)):
                    cell.setForeground(Qt.GlobalColor.darkRed)
                if j == REVIEW_COLUMN and r.under_correction:
                    cell.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(i, j, cell)
        self.table.setSortingEnabled(True)
        missing = "; ".join(b.own_missing)
        self.own_missing.setText(f"Số liệu cấp tỉnh của Sở chưa nhập: {missing}." if missing else "")
        self.own_missing.setVisible(bool(missing))
        self.apply_filter()
        if keep is not None:
            self.select_org(keep.org_code)
        self._update_buttons()

    def apply_filter(self) -> int:
        """Hide the rows whose chosen column (or any column) does not contain the typed text (case
        and accents as typed; Vietnamese text compared in NFC). Returns how many rows are shown."""
        from ..core.text import nfc

        wanted = nfc(self.filter_text.text()).strip().casefold()
        column = int(self.filter_column.currentData())
        shown = 0
        for i in range(self.table.rowCount()):
            cols = range(self.table.columnCount()) if column < 0 else [column]
            items = [self.table.item(i, c) for c in cols]
            texts = [it.text() for it in items if it is not None]
            hide = bool(wanted) and not any(wanted in nfc(t).casefold() for t in texts)
            self.table.setRowHidden(i, hide)
            shown += not hide
        return shown

    def selected_row(self) -> StatusRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or self.board is None:
            return None
        item = self.table.item(rows[0].row(), 0)
        code = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((r for r in self.board.rows if r.org_code == code), None)

    def select_org(self, org_code: str) -> bool:
        for i in range(self.table.rowCount()):
            item = self.table.item(i, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == org_code:
                self.table.selectRow(i)
                return True
        return False

    def _update_buttons(self) -> None:
        r = self.selected_row()
        self.paper_button.setEnabled(bool(r and r.received and not r.paper_checked))
        self.diff_button.setEnabled(bool(r and r.received and r.revisions > 1))
        self.void_button.setEnabled(bool(r and r.received))
        self.open_button.setEnabled(bool(r and r.received))

    # -- reading a received report ------------------------------------------------------------
    def open_selected(self) -> bool:
        """Show the selected agency's report as received (in the window's own form)."""
        r = self.selected_row()
        if r is None or not r.received:
            return False
        self.open_requested.emit(r.org_code, self.year.value())
        return True

    def _result_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        top = item
        while top.parent() is not None:
            parent = top.parent()
            assert parent is not None
            top = parent
        where = top.data(0, Qt.ItemDataRole.UserRole)
        if where:
            self.open_requested.emit(str(where[0]), int(where[1]))

    # -- chasing ------------------------------------------------------------------------------
    def _folder_dialog(self, title: str) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self, title)
        return Path(folder) if folder else None

    def _save_dialog(self, title: str, name: str, filter_: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, name, filter_)
        return Path(path) if path else None

    def _choose_board_file(self, kind: str) -> Path | None:
        year = self.year.value()
        stem = board_stem(self.app.catalog.consolidator().abbreviation(year), year)
        if kind == "pdf":
            path = self.pick_save("In bảng tình hình (PDF)", f"{stem}.pdf", "PDF (*.pdf)")
        else:
            path = self.pick_save("Xuất bảng tình hình", f"{stem}.xlsx", "Bảng tính Excel (*.xlsx)")
        if path is None:
            return None
        return self.write_board(path, kind)

    def write_board(self, path: Path, kind: str) -> Path | None:
        """Write the board of the year shown as a PDF to print or a workbook."""
        from ..services.chasing import write_board

        try:
            pdf, xlsx = (path, None) if kind == "pdf" else (None, path)
            (out,) = write_board(self.app, self.year.value(), pdf=pdf, xlsx=xlsx)
        except Exception as exc:
            show_error(self, "Không ghi được bảng tình hình", str(exc))
            return None
        show_info(self, "Đã ghi bảng tình hình", f"Đã ghi:\n{out}")
        return out

    def _choose_reminder_folder(self) -> list[Path]:
        folder = self.pick_folder("Chọn thư mục lưu thư nhắc")
        return self.write_reminders(folder) if folder is not None else []

    def write_reminders(self, folder: Path) -> list[Path]:
        """A mail draft and a letter for each agency that has not reported or must correct (only the
        selected one when a row that needs it is selected)."""
        from ..services.chasing import write_reminders

        r = self.selected_row()
        only = r.org_code if r is not None and r.needs_reminder else None
        try:
            files = write_reminders(self.app, self.year.value(), folder, org=only)
        except Exception as exc:
            show_error(self, "Không lập được thư nhắc", str(exc))
            return []
        show_info(
            self,
            "Đã lập thư nhắc",
            "Đã ghi (mở tệp .eml để gửi bằng chương trình thư điện tử; in tệp .pdf để trình ký):\n"
            + "\n".join(str(f) for f in files),
        )
        return files

    def mark_selected_paper_checked(self) -> bool:
        """The paper check of the selected agency: the officer types the verification code printed
        on the signed paper, or scans its QR code; it is marked checked only when it is the report
        received. True when marked."""
        r = self.selected_row()
        if r is None or not r.received:
            return False
        typed = self.read_code(
            "Đối chiếu với bản giấy",
            f"Nhập mã xác thực in ở cuối mỗi trang của bản giấy có chữ ký của {r.name} "
            "(dạng XXXX-XXXX-XXXX), hoặc quét mã QR ở trang cuối bằng máy quét. Tắt bộ gõ tiếng Việt trước khi "
            "gõ hoặc quét:",
        )
        if typed is None:
            return False
        try:
            check_paper(self.app, r.org_code, self.year.value(), typed)
        except PaperMismatch as exc:
            show_error(self, "Bản giấy không khớp", str(exc))
            return False
        self.refresh()
        return True

    def _ask_text(self, title: str, text: str, *, ok: str, cancel: str) -> str | None:
        """What the officer types in a one-line question (the paper's code, a reason), or None
        when cancelled; the buttons say what they do."""
        from PySide6.QtWidgets import QDialog, QInputDialog, QLabel

        dialog = QInputDialog(self)
        dialog.setWindowTitle(title)
        dialog.setLabelText(text)
        dialog.setOkButtonText(ok)
        dialog.setCancelButtonText(cancel)
        for label in dialog.findChildren(QLabel):
            label.setWordWrap(True)  # the agency's name can be long
            label.setMinimumWidth(460)
        typed = dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None
        dialog.deleteLater()
        return typed

    def diff_text(self, org_code: str) -> str:
        """The changes of the current revision against the one before (for the window)."""
        revs = ledger.revisions_of(self.app.store, org_code, self.year.value())
        cur = next((x for x in revs if x.current), None)
        before = [x for x in revs if cur and x.revision < cur.revision]
        if cur is None or not before:
            return "Chưa có lần gửi trước để so sánh."
        old = before[-1]
        changes = revision_diff(self.app, old.id, cur.id)
        head = f"Lần {cur.revision} so với lần {old.revision}: {len(changes)} giá trị thay đổi."
        return "\n".join(
            [head, *(f"• {c.label}: {c.old} → {c.new}" for c in changes), "", *self.history_lines(org_code)]
        )

    def history_lines(self, org_code: str) -> list[str]:
        """Every revision received from ``org_code`` this year, with its electronic signature."""
        from ..province.signatures import verdicts

        revs = ledger.revisions_of(self.app.store, org_code, self.year.value())
        signed = verdicts(self.app.store, [r.id for r in revs])
        out = ["Các lần gửi đã nhận:"]
        for r in revs:
            sig = signed[r.id].as_json() if r.id in signed else {"state": "none"}
            mark = " (đang dùng)" if r.current else ""
            out.append(
                f"• Lần {r.revision}{mark}: mã xác thực {r.verification_code}, nhận ngày {vn_day(r.received_at)}, "
                f"{signature_phrase(sig)}"
            )
        return out

    def show_selected_diff(self) -> None:
        r = self.selected_row()
        if r is not None:
            show_info(self, f"Thay đổi giữa các lần gửi - {r.name}", self.diff_text(r.org_code))

    # -- consolidation --------------------------------------------------------------------
    def show_trust(self) -> None:
        from .trust_dialog import TrustDialog

        dialog = TrustDialog(self.app, self)
        dialog.exec()
        dialog.deleteLater()
        self.refresh()

    def _choose_consolidation_folder(self) -> None:
        if not self.ready_to_consolidate():
            return
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục lưu báo cáo tổng hợp")
        if folder:
            self.consolidate_into(Path(folder))

    def ready_to_consolidate(self) -> bool:
        """Before consolidating: the Sở's signer, asked for at its fields in "Cài đặt cơ quan";
        then what of the Sở's own report is still missing, said before it is printed as such."""
        from PySide6.QtWidgets import QDialog

        from ..services.identity import identity, missing_for_signature
        from ..services.intake import own_data_gaps
        from .dialogs import ProfileDialog

        year = self.year.value()
        cat, store = self.app.catalog, self.app.store
        dept = cat.consolidator().code
        missing = missing_for_signature(identity(cat, store, dept, year))
        if missing:
            dialog = ProfileDialog(
                self.app, year, parent=self, required=missing, why="trước khi lập báo cáo tổng hợp"
            )
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            if missing_for_signature(identity(cat, store, dept, year)):
                return False
        gaps = own_data_gaps(self.app, year)
        if not gaps:
            return True
        listing = "\n".join(f"• {g}" for g in gaps)
        return ask_yes_no(
            self,
            "Báo cáo của Sở còn thiếu",
            f"Báo cáo năm {year} của chính Sở còn thiếu:\n{listing}\n\nBáo cáo tổng hợp sẽ in các mục này là "
            "“Chưa báo cáo” hoặc “Không có”. Vẫn lập báo cáo tổng hợp?",
        )

    def consolidate_into(self, folder: Path) -> list[Path]:
        from ..services.intake import consolidate

        year = self.year.value()
        try:
            paths: list[Path] = self._in_background(lambda app, _progress: consolidate(app, year, folder))
        except Exception as exc:
            show_error(self, "Không lập được báo cáo tổng hợp", str(exc))
            return []
        missing = self.board.missing if self.board else []
        note = ("\nChưa nhận báo cáo của: " + "; ".join(r.name for r in missing) + ".") if missing else ""
        show_info(
            self,
            "Đã lập báo cáo tổng hợp",
            "Đã ghi:\n" + "\n".join(str(p) for p in paths) + note + "\n\nĐể ký số báo cáo tổng hợp "
            "bằng chứng thư số của Sở, bấm “Ký số báo cáo tổng hợp...” và chọn tệp PDF này.",
        )
        return paths

    def sign_consolidation(self) -> None:
        """The Sở signs its consolidated report's PDF the way an agency signs its report."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Chọn báo cáo tổng hợp (PDF) để ký số", "", "Báo cáo tổng hợp (*.pdf)"
        )
        if path:
            from .signing_dialog import run_signing

            run_signing(self, Path(path))


__all__ = ["BOARD_HEADERS", "IntakePage", "board_cells"]  # the board's texts: province/chasing.py
