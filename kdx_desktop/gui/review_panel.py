"""The Sở's comments in the window, on both sides (services/review.py does the work).

At the Sở, on a received report: write comments on a field, an indicator, a task or the whole
report, accept the report, issue the review file; each comment then shows its state, and once
the next revision arrives, the agency's answer and the values it changed. At the agency: import
the review file (File menu), see each comment in the problem panel and at its field, answer it
by changing the values it is about or in words; the next export carries the answers.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.file_names import REVIEW_PATTERNS
from ..core.values import field_for_key
from ..services.reporting import UsageError, report_keys
from ..store.repo import StoreError
from .messages import show_error, show_info
from .session import ReportSession
from .side_panel import indicator_input

if TYPE_CHECKING:
    from ..services import review as rv

COMMENT_STYLE = "color: #8a4b00;"


class _Lazy:
    """services.review, imported when first used: it brings the Sở's side (kdx_desktop.province),
    which an agency's window must not load at start (tests/test_start_path.py)."""

    def __getattr__(self, name: str) -> Any:
        import importlib

        return getattr(importlib.import_module("kdx_desktop.services.review"), name)


_review: Any = _Lazy()


def target_keys(session: ReportSession, target: str) -> list[str]:
    """The fields a comment on ``target`` is shown at (and the first is where a click leads)."""
    st = session.require_state()
    cat = session.catalog
    if target == _review.TARGET_REPORT:
        return []
    if any(i.code == target for i in cat.indicators):
        first = indicator_input(cat, target)
        keys = _review.related_keys(cat, target, report_keys(cat, st.org.kind, st.year))
        return [first] + [k for k in keys if k != first] if first else keys
    if any(t.code == target for t in cat.tasks):
        return [f"task.{target}.{f.code}" for f in cat.task_fields][:1]
    return [target]


class CommentDialog(QDialog):
    """What the comment is about (preselected: the field the cursor was in) and what it says."""

    def __init__(self, session: ReportSession, preselect: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        st = session.require_state()
        cat = session.catalog
        self.setWindowTitle("Thêm ý kiến góp ý")
        self.target = QComboBox(self)
        self.target.addItem("Cả báo cáo", _review.TARGET_REPORT)
        for ind in cat.indicators_for(st.org.kind):
            self.target.addItem(_review.target_label(cat, ind.code), ind.code)
        for task in cat.tasks_led_by(st.org.kind, st.year):
            self.target.addItem(_review.target_label(cat, task.code), task.code)
        for key in report_keys(cat, st.org.kind, st.year):
            if not key.startswith("task."):
                self.target.addItem(field_for_key(cat, key).label, key)
        if preselect:
            self.target.setCurrentIndex(max(self.target.findData(preselect), 0))
        self.target.setMaxVisibleItems(20)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText("Nêu điều cần sửa hoặc cần làm rõ...")
        self.text.setTabChangesFocus(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText("Thêm ý kiến")
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Góp ý về:", self))
        layout.addWidget(self.target)
        layout.addWidget(QLabel("Ý kiến:", self))
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(560, 300)

    def value(self) -> tuple[str, str]:
        return str(self.target.currentData()), self.text.toPlainText()


class ReviewPanel(QGroupBox):
    """The comments of the report shown, in the problem panel; hidden when there are none to show."""

    jump_requested = Signal(str)
    shown = Signal()  # became visible (the window gives it its share of the panel)

    NUMBER, TARGET, TEXT, STATE = range(4)

    def __init__(self, session: ReportSession, pages: object, window: QWidget) -> None:
        super().__init__("Góp ý của Sở", window)
        self.setObjectName("reviewBox")
        self.session = session
        self.pages = pages
        self.window_ = window
        self.review: rv.Review | None = None
        self.reviews: list[rv.Review] = []
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Số", "Về", "Ý kiến", "Tình trạng"])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The comment gets the room; what it is about is cut to a short column (in full in the
        # tooltip and in the detail under the list).
        header.setSectionResizeMode(self.TARGET, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.TEXT, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(self.TARGET, self.fontMetrics().horizontalAdvance("Tổng số lãnh đạo"))
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The agency's answer in words.
        self.reply_edit = QPlainTextEdit(self)
        self.reply_edit.setPlaceholderText("Trả lời ý kiến này (nếu không sửa số liệu)...")
        self.reply_edit.setTabChangesFocus(True)
        self.reply_edit.setMaximumHeight(self.reply_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.reply_button = QPushButton("Lưu trả lời", self)
        # The Sở's actions.
        self.add_button = QPushButton("Thêm ý kiến...", self)
        self.remove_button = QPushButton("Bỏ ý kiến", self)
        self.accept_button = QPushButton("Chấp nhận báo cáo", self)
        self.issue_button = QPushButton("Phát hành góp ý...", self)
        self.issue_button.setToolTip("Ghi tệp góp ý (GopY_….json) để gửi cho đơn vị")
        so_row = QGridLayout()  # two by two: the pane may be a third of a 1024-pixel window
        for i, b in enumerate((self.add_button, self.remove_button, self.accept_button, self.issue_button)):
            so_row.addWidget(b, i // 2, i % 2)
        reply_row = QHBoxLayout()
        reply_row.addWidget(self.reply_edit, 1)
        reply_row.addWidget(self.reply_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addLayout(reply_row)
        layout.addLayout(so_row)
        self.so_widgets: list[QWidget] = [
            self.add_button,
            self.remove_button,
            self.accept_button,
            self.issue_button,
        ]
        self.agency_widgets: list[QWidget] = [self.reply_edit, self.reply_button]
        # Seams for tests (dialogs by default).
        self.ask_comment: Callable[[str | None], tuple[str, str] | None] = self._comment_dialog
        self.pick_folder: Callable[[], Path | None] = self._folder_dialog
        self.pick_file: Callable[[], Path | None] = self._file_dialog
        self.import_action = QAction("Nhập góp ý của Sở...", window)
        self.import_action.setToolTip(
            "Mở tệp góp ý (GopY_….json, hoặc KDX_GOPY_….json của bản cũ) Sở gửi về báo cáo đã xuất"
        )
        self.import_action.triggered.connect(self.choose_and_import)
        self.tree.currentItemChanged.connect(lambda _c, _p: self._show_detail())
        self.tree.itemActivated.connect(lambda _item, _col: self._jump())
        self.tree.itemClicked.connect(lambda _item, _col: self._jump())
        self.reply_button.clicked.connect(self.save_reply)
        self.add_button.clicked.connect(self.add_from_dialog)
        self.remove_button.clicked.connect(self.remove_selected)
        self.accept_button.clicked.connect(self.accept_report)
        self.issue_button.clicked.connect(self.issue_from_dialog)
        session.loaded.connect(self.refresh)
        session.value_saved.connect(lambda _key: self.refresh())
        stack = getattr(pages, "stack", None)
        if stack is not None:
            stack.currentChanged.connect(lambda _i: self.decorate())
        self.setVisible(False)
        self.refresh()

    # -- what is shown ------------------------------------------------------------------
    @property
    def at_so(self) -> bool:
        return self.session.received is not None

    def comments(self) -> list[tuple[rv.Review, rv.Comment]]:
        return [(r, c) for r in self.reviews for c in r.comments]

    def refresh(self) -> None:
        s = self.session
        st = s.state
        self.reviews = []
        if st is not None and s.received is not None:
            self.reviews = _review.issued_reviews(s.app, st.org.code, st.year)
        elif st is not None and not s.not_received and self._has_imported_review(st.org.code, st.year):
            mine = _review.agency_review(s.app, st.org.code, st.year)
            self.reviews = [mine] if mine is not None else []
        self.import_action.setVisible(st is not None and s.received is None and not s.not_received)
        visible = st is not None and (self.at_so or bool(self.reviews))
        was = not self.isHidden()
        self.setVisible(visible)
        if visible and not was:
            self.shown.emit()
        if not visible or st is None:
            return
        current = self.tree.currentItem()
        keep = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        self.tree.clear()
        for r, c in self.comments():
            item = QTreeWidgetItem([str(c.number), c.target_label, c.text, c.state_label])
            item.setData(0, Qt.ItemDataRole.UserRole, (r.revision, c.number))
            item.setToolTip(self.TEXT, c.text)
            item.setToolTip(self.TARGET, c.target_label)
            if c.state in (_review.OPEN, _review.UNANSWERED):
                item.setForeground(self.STATE, Qt.GlobalColor.darkRed)
            self.tree.addTopLevelItem(item)
            if (r.revision, c.number) == keep:
                self.tree.setCurrentItem(item)
        for w in self.so_widgets:
            w.setVisible(self.at_so)
        for w in self.agency_widgets:
            w.setVisible(not self.at_so)
        self._update_summary()
        self._update_buttons()
        self._show_detail()
        self.decorate()

    def _has_imported_review(self, org: str, year: int) -> bool:
        """One plain query, so that a report without any review loads nothing more."""
        row = self.session.app.store.db.execute(
            "SELECT 1 FROM reviews WHERE side = 'received' AND org_code = ? AND year = ? LIMIT 1", [org, year]
        ).fetchone()
        return row is not None

    def _so_review(self) -> rv.Review | None:
        """The Sở's review of the revision shown (a draft, or issued)."""
        rec = self.session.received
        if rec is None:
            return None
        return next((r for r in self.reviews if r.revision == rec.row.revision), None)

    def _update_summary(self) -> None:
        st = self.session.require_state()
        if self.at_so:
            rec = self.session.received
            assert rec is not None
            mine = self._so_review()
            if mine is None:
                text = (
                    f"Lần {rec.row.revision}: chưa có ý kiến. Thêm ý kiến (cần sửa) hoặc chấp nhận báo cáo."
                )
            elif not mine.issued:
                text = f"Lần {rec.row.revision}: {len(mine.comments)} ý kiến chưa phát hành" + (
                    " (đã đánh dấu chấp nhận)." if mine.verdict == _review.ACCEPTED else "."
                )
            else:
                text = f"Lần {rec.row.revision}: {mine.verdict_label.lower()}, đã phát hành góp ý."
            earlier = [r for r in self.reviews if r.revision != rec.row.revision]
            if earlier:
                text += f" Các lần trước: {len(earlier)} lần góp ý."
        else:
            r = self.reviews[0]
            open_ = len(r.open_comments)
            head = f"Góp ý của Sở cho lần gửi {r.revision} ({r.verdict_label.lower()})"
            if r.verdict == _review.ACCEPTED:
                text = f"{head}."
            elif _review.pending_review(self.session.app, st.org.code, st.year) is None:
                text = f"{head}: đã trả lời trong lần gửi sau."
            else:
                text = (
                    f"{head}: {open_} ý kiến chưa trả lời (chặn xuất)."
                    if open_
                    else f"{head}: đã trả lời đủ."
                )
        self.summary.setText(text)
        self.setTitle(f"Góp ý của Sở ({len(self.comments())})" if self.comments() else "Góp ý của Sở")

    def _update_buttons(self) -> None:
        s = self.session
        if self.at_so:
            rec = s.received
            mine = self._so_review()
            open_ = rec is not None and rec.row.current and (mine is None or not mine.issued)
            self.add_button.setEnabled(bool(open_))
            self.accept_button.setEnabled(bool(open_) and (mine is None or not mine.comments))
            self.issue_button.setEnabled(
                mine is not None and (mine.issued or bool(mine.comments) or mine.verdict == _review.ACCEPTED)
            )
            sel = self.selected()
            self.remove_button.setEnabled(
                bool(open_) and sel is not None and mine is not None and sel[0] is mine
            )
        else:
            st = s.require_state()
            can = _review.pending_review(s.app, st.org.code, st.year) is not None and not s.locked
            self.reply_edit.setEnabled(can and self.selected() is not None)
            self.reply_button.setEnabled(can and self.selected() is not None)

    def selected(self) -> tuple[rv.Review, rv.Comment] | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        rev, number = item.data(0, Qt.ItemDataRole.UserRole)
        return next(((r, c) for r, c in self.comments() if r.revision == rev and c.number == number), None)

    def select(self, number: int, revision: int | None = None) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is None:
                continue
            rev, n = item.data(0, Qt.ItemDataRole.UserRole)
            if n == number and (revision is None or rev == revision):
                self.tree.setCurrentItem(item)
                return True
        return False

    def _show_detail(self) -> None:
        sel = self.selected()
        self._update_buttons() if self.session.state is not None else None
        if sel is None:
            self.detail.setText("")
            self.detail.hide()
            return
        r, c = sel
        parts = [
            f"<b>Ý kiến số {c.number}</b> (lần gửi {r.revision}) - {escape(c.target_label)}: {escape(c.text)}"
        ]
        if c.reply:
            parts.append(f"<b>Trả lời:</b> {escape(c.reply)}")
        for ch in c.changes:
            parts.append(f"<b>Đã sửa</b> {escape(ch.label)}: {escape(ch.old)} → {escape(ch.new)}")
        if c.answered_in:
            parts.append(f"(trả lời trong lần gửi {c.answered_in})")
        self.detail.setText("<br>".join(parts))
        self.detail.show()
        if not self.at_so:
            self.reply_edit.setPlainText(c.reply or "")

    def _jump(self) -> None:
        sel = self.selected()
        if sel is None:
            return
        keys = target_keys(self.session, sel[1].target)
        if keys:
            self.jump_requested.emit(keys[0])

    def decorate(self) -> None:
        """Each comment shown at its field (on the pages built so far), above the field's help."""
        key_page = getattr(self.pages, "key_page", None)
        if key_page is None or self.session.state is None:
            return
        notes: dict[str, list[str]] = {}
        for r, c in self.comments():
            for key in target_keys(self.session, c.target)[:3]:
                notes.setdefault(key, []).append(
                    f"Góp ý của Sở (lần {r.revision}, số {c.number}): {escape(c.text)} - {escape(c.state_label.lower())}"
                )
        for key in list(key_page.slot_of):
            page = key_page.built(key)
            row = getattr(page, "rows", {}).get(key) if page is not None else None
            if row is None:
                continue
            help_label = row.help
            base = help_label.property("kdxHelp")
            if base is None:
                base = help_label.text()
                help_label.setProperty("kdxHelp", base)
            if key in notes:
                text = "<br>".join(f"<span style='{COMMENT_STYLE}'><b>▶</b> {n}</span>" for n in notes[key])
                help_label.setTextFormat(Qt.TextFormat.RichText)
                help_label.setText(text + (f"<br>{escape(str(base))}" if base else ""))
                help_label.setVisible(True)
            elif help_label.property("kdxNoted"):
                help_label.setTextFormat(Qt.TextFormat.PlainText)
                help_label.setText(str(base))
                help_label.setVisible(bool(base))
            help_label.setProperty("kdxNoted", key in notes)

    # -- at the Sở ----------------------------------------------------------------------
    def _focused_key(self) -> str | None:
        key_page = getattr(self.pages, "key_page", None)
        focus = QApplication.focusWidget()
        if key_page is None or focus is None:
            return None
        for key in list(key_page.slot_of):
            page = key_page.built(key)
            row = getattr(page, "rows", {}).get(key) if page is not None else None
            if row is not None and (row.editor is focus or row.editor.isAncestorOf(focus)):
                return str(key)
        return None

    def _comment_dialog(self, preselect: str | None) -> tuple[str, str] | None:
        dialog = CommentDialog(self.session, preselect, self.window_)
        value = dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        dialog.deleteLater()
        return value

    def add_from_dialog(self) -> bool:
        asked = self.ask_comment(self._focused_key())
        if asked is None:
            return False
        return self.add_comment(*asked)

    def add_comment(self, target: str, text: str) -> bool:
        st = self.session.require_state()
        try:
            r = _review.add_comment(self.session.app, st.org.code, st.year, target, text)
        except (UsageError, StoreError) as exc:
            show_error(self.window_, "Chưa thêm được ý kiến", str(exc))
            return False
        self.refresh()
        self.select(r.comments[-1].number, r.revision)
        return True

    def remove_selected(self) -> bool:
        sel = self.selected()
        if sel is None:
            return False
        st = self.session.require_state()
        try:
            _review.remove_comment(self.session.app, st.org.code, st.year, sel[1].number)
        except (UsageError, StoreError) as exc:
            show_error(self.window_, "Không bỏ được ý kiến", str(exc))
            return False
        self.refresh()
        return True

    def accept_report(self) -> bool:
        st = self.session.require_state()
        try:
            _review.accept(self.session.app, st.org.code, st.year)
        except (UsageError, StoreError) as exc:
            show_error(self.window_, "Chưa chấp nhận được", str(exc))
            return False
        self.refresh()
        return True

    def _folder_dialog(self) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self.window_, "Chọn thư mục lưu tệp góp ý")
        return Path(folder) if folder else None

    def issue_from_dialog(self) -> Path | None:
        folder = self.pick_folder()
        return self.issue_to(folder) if folder is not None else None

    def issue_to(self, folder: Path) -> Path | None:
        st = self.session.require_state()
        try:
            path = _review.issue(self.session.app, st.org.code, st.year, folder)
        except (UsageError, StoreError, OSError) as exc:
            show_error(self.window_, "Chưa phát hành được góp ý", str(exc))
            return None
        self.refresh()
        show_info(
            self.window_,
            "Đã phát hành góp ý",
            f"Đã ghi tệp góp ý:\n{path}\nGửi tệp này cho đơn vị (thư điện tử); đơn vị mở nó trong KDX "
            "(Tệp → Nhập góp ý của Sở).",
        )
        return Path(path)

    # -- at the agency ------------------------------------------------------------------
    def _file_dialog(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self.window_,
            "Chọn tệp góp ý của Sở",
            "",
            f"Tệp góp ý của Sở ({REVIEW_PATTERNS});;Mọi tệp JSON (*.json)",
        )
        return Path(name) if name else None

    def choose_and_import(self) -> bool:
        path = self.pick_file()
        return self.import_file(path) if path is not None else False

    def import_file(self, path: Path) -> bool:
        try:
            done = _review.import_review(self.session.app, path)
        except (UsageError, StoreError) as exc:
            show_error(self.window_, "Không nhập được tệp góp ý", str(exc))
            return False
        st = self.session.state
        if st is not None and (st.org.code, st.year) == (done.review.org_code, done.review.year):
            self.session.reload()  # reopened: the form becomes editable
        else:
            load = getattr(self.window_, "load", None)
            if callable(load):
                load(done.review.org_code, done.review.year)
        show_info(self.window_, "Đã nhập góp ý của Sở", done.message)
        return True

    def save_reply(self) -> bool:
        sel = self.selected()
        if sel is None:
            return False
        st = self.session.require_state()
        try:
            _review.reply(
                self.session.app, st.org.code, st.year, sel[1].number, self.reply_edit.toPlainText()
            )
        except (UsageError, StoreError) as exc:
            show_error(self.window_, "Chưa lưu được câu trả lời", str(exc))
            return False
        self.refresh()
        return True


__all__ = ["CommentDialog", "ReviewPanel", "target_keys"]
