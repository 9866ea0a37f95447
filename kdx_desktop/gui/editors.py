"""One editor row per report field, chosen by the field's type from the catalogue.

A row is the label with its help line, the editor (numbers and dates as Vietnamese text, yes/no
and choices as lists, long text as a multi-line box), the unit, last year's value, the
"Không áp dụng" toggle with the reason it needs (shown while the toggle is on) and the saved mark. What is typed is parsed by ``core.values.parse_input``
(the same parser as the command line); a bad value is shown in red under the editor and nothing
is saved.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from ..core.rules import ERROR, Issue, na_reason_key
from ..core.values import NA, Field, InvalidValue, Value, display, display_input, field_for_key, parse_input
from .messages import show_refusal
from .session import ReportSession, same_value

LONG_TEXT = 1000  # text fields allowing more characters than this get a multi-line box
TYPING_PAUSE_MS = 1200  # a multi-line text is saved after this pause in typing, and on leaving it
_ERROR_STYLE = "color: #b00020;"
_SAVED_STYLE = "color: #006e28;"
_WARNING_STYLE = "color: #8a4b00;"
_HELP_STYLE = "color: palette(placeholder-text);"
_LOCKED_STYLE = "background: palette(window);"


EDITOR_PROPERTY = "kdxFieldEditor"


def focus_next_editor(widget: QWidget) -> None:
    """Enter: on to the next field's editor (skipping the toggles Tab would stop at)."""
    w = widget.nextInFocusChain()
    while w is not None and w is not widget:
        if (
            w.property(EDITOR_PROPERTY)
            and w.isVisible()
            and w.isEnabled()
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            w.setFocus(Qt.FocusReason.TabFocusReason)
            return
        w = w.nextInFocusChain()


def finish_editing(window: QWidget) -> None:
    """Save what is being typed in ``window``: the editors (and the justification box) save when
    they lose the focus, so the focus is taken away."""
    focused = window.focusWidget()
    if focused is not None:
        focused.clearFocus()


def _leave_undo_to_window(event: QEvent, can_undo: bool, can_redo: bool) -> bool:
    """True when Ctrl+Z / Ctrl+Y should reach the window's undo history: the box itself has
    nothing to undo (its text was already saved), so the last saved edit is undone instead."""
    if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
        return False
    if event.matches(QKeySequence.StandardKey.Undo):
        return not can_undo
    if event.matches(QKeySequence.StandardKey.Redo):
        return not can_redo
    return False


class _LineEdit(QLineEdit):
    """Enter commits and moves to the next field, as Tab does."""

    def event(self, event: QEvent) -> bool:
        if _leave_undo_to_window(event, self.isUndoAvailable(), self.isRedoAvailable()):
            event.ignore()
            return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.editingFinished.emit()
            focus_next_editor(self)
            return
        super().keyPressEvent(event)


class _Combo(QComboBox):
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus_next_editor(self)
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Scrolling the page must not change a value under the mouse.
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class _TextBox(QPlainTextEdit):
    """Multi-line text: Tab leaves the box; leaving it saves."""

    def __init__(self, on_leave: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_leave = on_leave
        self.setTabChangesFocus(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._on_leave()

    def event(self, event: QEvent) -> bool:
        doc = self.document()
        if _leave_undo_to_window(event, doc.isUndoAvailable(), doc.isRedoAvailable()):
            event.ignore()
            return False
        return super().event(event)


def short_label(session: ReportSession, key: str, f: Field) -> str:
    """On a task's own page the task is the heading: its fields need only their own names."""
    parts = key.split(".")
    if parts[0] == "task" and len(parts) == 3:
        spec = next((s for s in session.catalog.task_fields if s.code == parts[2]), None)
        if spec is not None:
            return str(spec.label)
    return f.label


class FieldRow:
    """The widgets of one field; the page lays them out in a grid row."""

    def __init__(self, session: ReportSession, key: str, parent: QWidget) -> None:
        self.session = session
        self.key = key
        self.field: Field = session.field(key)
        self._refreshing = False
        self.unsaved = False  # the editor holds typed text that was refused (not in the report)
        f = self.field
        self.supplied = self._supplied_by_last_year()
        star = " *" if f.required and self.supplied is None else ""
        self.label = QLabel(short_label(session, key, f) + star, parent)
        self.label.setWordWrap(True)
        self.label.setToolTip(f.help or f.label)
        self.help = QLabel(f.help, parent)
        self.help.setWordWrap(True)
        self.help.setStyleSheet(_HELP_STYLE)
        self.help.setVisible(bool(f.help))
        self.unit = QLabel(f.unit, parent)
        self.unit.setWordWrap(True)  # "triệu đồng" on two lines rather than a page too wide
        self.prev = QLabel(parent)
        self.prev.setVisible(key in session.catalog.elements)  # last year's values exist for data elements
        self.prev.setWordWrap(True)
        self.prev.setToolTip("Giá trị năm trước")
        self.error = QLabel(parent)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.hide()
        self.error.linkActivated.connect(lambda _link: self.use_suggestion())
        # The report's problems about this field (an error involving it and another field shows
        # at both), under the editor; the saved mark says when a saved value is in error.
        self.problem = QLabel(parent)
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.problems: list[Issue] = []
        self._saved_at: str | None = None
        self.saved = QLabel(parent)
        self.saved.setWordWrap(True)
        self.saved.setMinimumWidth(self.saved.fontMetrics().horizontalAdvance("✓ Đã lưu"))
        # The editor first, then its toggle: Tab goes editor → "Không áp dụng" → next editor.
        self.editor = self._make_editor(parent)
        self.editor.setProperty(EDITOR_PROPERTY, True)
        self.na: QCheckBox | None = None
        if f.na_allowed:
            self.na = QCheckBox("Không áp dụng", parent)
            self.na.setToolTip("Chỉ số này không áp dụng cho cơ quan (khác với bỏ trống hay bằng 0)")
            self.na.clicked.connect(self._na_clicked)
        # The reason for "Không áp dụng" beside the toggle, saved as the warning W04's
        # justification (the one place the rule, the PDF and the workbook read it from).
        self.reason_key = na_reason_key(session.catalog, key) if self.na is not None else None
        self.reason: QLineEdit | None = None
        self.reason_line: QWidget | None = None
        self.reason_unsaved = False  # the reason box holds refused text
        if self.reason_key is not None:
            self.reason_line = QWidget(parent)
            line = QHBoxLayout(self.reason_line)
            line.setContentsMargins(0, 0, 0, 0)
            caption = QLabel("Lý do không áp dụng:", self.reason_line)
            self.reason = _LineEdit(self.reason_line)
            self.reason.setProperty(EDITOR_PROPERTY, True)
            self.reason.setPlaceholderText("vì sao số liệu này không áp dụng cho cơ quan")
            self.reason.setToolTip(
                "Bắt buộc với số liệu bắt buộc ghi “Không áp dụng”: in trong báo cáo PDF và bảng tính; "
                "báo cáo chưa xuất được khi chưa có lý do."
            )
            caption.setBuddy(self.reason)
            line.addWidget(caption)
            line.addWidget(self.reason, 1)
            self.reason.editingFinished.connect(self._commit_reason)
        if not self.editor.toolTip():
            self.editor.setToolTip(f.help or f.label)
        self.label.setBuddy(self.editor)
        self.multiline = isinstance(self.editor, QPlainTextEdit)
        self.refresh()

    # -- construction -----------------------------------------------------------------
    def _make_editor(self, parent: QWidget) -> QWidget:
        f = self.field
        if f.type in ("boolean", "choice"):
            combo = _Combo(parent)
            # Long choices must not widen the page past a small screen: the box keeps a modest
            # width and its list opens as wide as the choices need.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            combo.addItem("", None)
            if f.type == "boolean":
                combo.addItem("Có", True)
                combo.addItem("Không", False)
            else:
                for c in f.choices:
                    combo.addItem(c.label, c.code)
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
            combo.currentIndexChanged.connect(self._combo_changed)
            return combo
        if f.type == "text" and (f.max_length is None or f.max_length > LONG_TEXT):
            box = _TextBox(self._commit_text, parent)
            spacing = box.fontMetrics().lineSpacing()
            box.setMinimumHeight(spacing * 4 + 12)
            if self.key.startswith("narrative."):
                box.setMinimumHeight(spacing * 12 + 12)  # the page is this one text
            else:
                box.setMaximumHeight(spacing * 8 + 12)
            box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            self._timer = QTimer(box)
            self._timer.setSingleShot(True)
            self._timer.setInterval(TYPING_PAUSE_MS)
            self._timer.timeout.connect(lambda: self._commit_text(typing=True))
            box.textChanged.connect(self._text_changed)
            return box
        line = _LineEdit(parent)
        if f.type in ("integer", "decimal", "percent"):
            line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            line.setPlaceholderText("1.234,5" if f.type != "integer" else "")
        elif f.type == "date":
            line.setPlaceholderText("dd/mm/yyyy")
        if self.supplied is not None:
            line.setPlaceholderText(f"đã có: {self.supplied}")
            line.setToolTip(f"Báo cáo năm trước đã có số liệu này ({self.supplied}); không cần nhập.")
        line.editingFinished.connect(self._commit_line)
        return line

    def _supplied_by_last_year(self) -> str | None:
        """For a "last year's count" element: the value last year's report already gives."""
        el = self.session.catalog.elements.get(self.key)
        if el is None or not el.prev_of:
            return None
        value = self.session.prev_value(el.prev_of)
        return None if value is None else display(self.session.field(el.prev_of), value)

    # -- showing ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the saved value (after loading, saving, undo or redo)."""
        value = self.session.value(self.key)
        self._refreshing = True
        try:
            is_na = value is NA
            if self.na is not None:
                self.na.setChecked(is_na)
            shown = None if is_na else value
            ed = self.editor
            if isinstance(ed, QComboBox):
                idx = next((i for i in range(ed.count()) if same_value(ed.itemData(i), shown)), 0)
                ed.setCurrentIndex(idx)
            elif isinstance(ed, QPlainTextEdit):
                text = "" if shown is None else str(shown)
                if ed.toPlainText() != text:
                    ed.setPlainText(text)
            elif isinstance(ed, QLineEdit):
                ed.setText("" if shown is None else display_input(self.field, shown))
        finally:
            self._refreshing = False
        self.unsaved = False
        self.refresh_reason()
        prev = self.session.prev_value(self.key)
        self.prev.setText("—" if prev is None else display(self.field, prev))
        self.error.hide()
        self.apply_lock()

    def refresh_reason(self) -> None:
        """The reason box: shown while the field is marked "Không áp dụng", with the saved reason."""
        if self.reason is None or self.reason_line is None or self.reason_key is None:
            return
        self.reason_line.setVisible(self.session.value(self.key) is NA)
        if self.reason_unsaved:
            return  # refused text stays in the box until it is saved or knowingly discarded
        saved = self.session.value(self.reason_key)
        text = saved if isinstance(saved, str) else ""
        if self.reason.text() != text:
            self._refreshing = True
            try:
                self.reason.setText(text)
                self.reason.setCursorPosition(0)  # a long reason is read from its start
            finally:
                self._refreshing = False

    def apply_lock(self) -> None:
        locked = self.session.locked
        is_na = self.session.value(self.key) is NA
        ed = self.editor
        if isinstance(ed, QLineEdit | QPlainTextEdit):
            ed.setReadOnly(locked)
            ed.setEnabled(not is_na)
            # Read-only boxes look like the window behind them, so a locked report looks locked.
            style = _LOCKED_STYLE if locked else ""
            if ed.styleSheet() != style:  # re-polishing on every save is what made typing lag
                ed.setStyleSheet(style)
        else:
            ed.setEnabled(not locked and not is_na)
        if self.na is not None:
            self.na.setEnabled(not locked)
        if self.reason is not None:
            self.reason.setReadOnly(locked)
            style = _LOCKED_STYLE if locked else ""
            if self.reason.styleSheet() != style:
                self.reason.setStyleSheet(style)

    def mark_saved(self, at: str) -> None:
        self._saved_at = at
        self.error.hide()
        self.unsaved = False
        self._show_saved_mark()

    def _show_saved_mark(self) -> None:
        """ "✓ Đã lưu" only for a value saved without a problem: a value saved but in error (or
        needing a justification) says so, so that nobody takes it for accepted."""
        if self._saved_at is None or self.unsaved:
            return
        at = self._saved_at
        open_ = [i for i in self.problems if i.severity == ERROR or not i.justification.strip()]
        if any(i.severity == ERROR for i in self.problems):
            text, tip, style = (
                "⚠ Đã lưu, còn lỗi",
                f"Đã lưu lúc {at} nhưng còn lỗi (xem dưới ô)",
                _ERROR_STYLE,
            )
        elif open_:
            text, tip, style = "⚠ Đã lưu, cần giải trình", f"Đã lưu lúc {at}; có cảnh báo", _WARNING_STYLE
        else:
            text, tip, style = "✓ Đã lưu", f"Đã lưu lúc {at}", _SAVED_STYLE
        if self.saved.text() != text:
            self.saved.setText(text)
        self.saved.setToolTip(tip)
        self._saved_style(style)

    def show_problems(self, issues: list[Issue]) -> None:
        """The report's errors and warnings that involve this field (shown under the editor)."""
        if issues == self.problems:
            return
        self.problems = issues
        if issues:
            lines = [
                "Lỗi: " + i.message
                if i.severity == ERROR
                else ("Cảnh báo: " if not i.justification.strip() else "Cảnh báo (đã giải trình): ")
                + i.message
                for i in issues
            ]
            self.problem.setText("\n".join(lines))
            unjustified = any(not i.justification.strip() for i in issues)
            style = (
                _ERROR_STYLE
                if any(i.severity == ERROR for i in issues)
                else _WARNING_STYLE
                if unjustified
                else _HELP_STYLE
            )
            if self.problem.styleSheet() != style:
                self.problem.setStyleSheet(style)
        self.problem.setVisible(bool(issues))
        self._show_saved_mark()

    def show_error(self, message: str, suggestion: str | None = None) -> None:
        """Show why the value was not saved; with ``suggestion`` (the Unicode text of a TCVN3
        paste), a link that puts it in the editor and saves it."""
        show_refusal(self.error, message, offer_unicode=suggestion is not None)
        self.error.show()
        self.unsaved = True
        self.saved.setText("✗ Chưa lưu")
        self.saved.setToolTip(message)
        self._saved_style(_ERROR_STYLE)

    def _saved_style(self, style: str) -> None:
        # Setting a style sheet re-polishes the label: only when the mark changes colour.
        if self.saved.styleSheet() != style:
            self.saved.setStyleSheet(style)

    def focus(self) -> None:
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(self.editor, QLineEdit):
            self.editor.selectAll()

    # -- committing -------------------------------------------------------------------
    def _commit(self, value: Value | None, typing: bool = False) -> None:
        self.session.commit(self.key, value, typing=typing)

    def _commit_raw(self, raw: str, typing: bool = False) -> None:
        if self._refreshing or self.session.locked:
            return
        try:
            value = parse_input(self.field, raw, vietnamese=True)
        except InvalidValue as exc:
            self.show_error(f"Chưa lưu: {exc.reason}.", exc.suggestion)
            return
        if value is NA and self.na is None:
            self.show_error("Chưa lưu: trường này không thể đánh dấu “không áp dụng”.")
            return
        self._commit(value, typing)
        ed = self.editor
        if isinstance(ed, QLineEdit) and same_value(self.session.value(self.key), value):
            # The box shows the number as it was understood (9800 typed: "9.800"), also when it
            # was the value already saved.
            shown = "" if value is None or value is NA else display_input(self.field, value)
            if ed.text() != shown and value is not NA:
                self._refreshing = True
                try:
                    ed.setText(shown)
                finally:
                    self._refreshing = False

    def use_suggestion(self) -> None:
        """ "Chuyển sang Unicode": the editor's text as it is now (the officer may have typed since
        the refusal), turned from TCVN3 into Unicode, put in the editor and saved."""
        if self.reason_unsaved and self.reason is not None and self.reason_key is not None:
            self._reason_to_unicode(self.reason, self.reason_key)
            return
        ed = self.editor
        current = (
            ed.toPlainText()
            if isinstance(ed, QPlainTextEdit)
            else ed.text()
            if isinstance(ed, QLineEdit)
            else None
        )
        if current is None:
            return
        try:
            parse_input(self.field, current, vietnamese=True)
        except InvalidValue as exc:
            text = exc.suggestion
        else:
            text = None
        if text is None:  # no longer TCVN3: save it as typed (or say what else is wrong)
            self._commit_raw(current)
            return
        self._refreshing = True  # the editor's own change signals must not save the old text
        try:
            if isinstance(ed, QPlainTextEdit):
                ed.setPlainText(text)
            elif isinstance(ed, QLineEdit):
                ed.setText(text)
        finally:
            self._refreshing = False
        self._commit_raw(text)

    def _commit_line(self) -> None:
        assert isinstance(self.editor, QLineEdit)
        if self.editor.isEnabled():
            self._commit_raw(self.editor.text())

    def _text_changed(self) -> None:
        if not self._refreshing and not self.session.locked:
            self._timer.start()

    def _commit_text(self, typing: bool = False) -> None:
        assert isinstance(self.editor, QPlainTextEdit)
        self._timer.stop()
        if self.editor.isEnabled():
            self._commit_raw(self.editor.toPlainText(), typing)

    def _combo_changed(self, _index: int) -> None:
        if self._refreshing or self.session.locked:
            return
        assert isinstance(self.editor, QComboBox)
        self._commit(self.editor.currentData())

    def _na_clicked(self, checked: bool) -> None:
        if self._refreshing:
            return
        if self.session.locked:
            self.refresh()
            self._commit(NA if checked else None)  # refused: shows why
            return
        self._commit(NA if checked else None)
        if checked and self.reason is not None and self.session.value(self.key) is NA:
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)  # the reason is asked for next

    # -- the reason for "Không áp dụng" -----------------------------------------------
    def _commit_reason(self) -> None:
        if self._refreshing or self.session.locked or self.reason is None or self.reason_key is None:
            return
        if not self.reason.isVisible() and self.session.value(self.key) is not NA:
            return
        try:
            value = parse_input(
                field_for_key(self.session.catalog, self.reason_key), self.reason.text(), vietnamese=True
            )
        except InvalidValue as exc:
            self.show_reason_error(f"Chưa lưu lý do: {exc.reason}.", exc.suggestion)
            return
        self.session.commit(self.reason_key, value)

    def show_reason_error(self, message: str, suggestion: str | None = None) -> None:
        """Why the reason was not saved, under the field (the value's own mark is untouched);
        with ``suggestion`` (a TCVN3 paste), the link that turns it into Unicode."""
        show_refusal(self.error, message, offer_unicode=suggestion is not None)
        self.error.show()
        self.reason_unsaved = True

    def _reason_to_unicode(self, box: QLineEdit, key: str) -> None:
        try:
            parse_input(field_for_key(self.session.catalog, key), box.text(), vietnamese=True)
        except InvalidValue as exc:
            if exc.suggestion is not None:
                self._refreshing = True
                try:
                    box.setText(exc.suggestion)
                finally:
                    self._refreshing = False
        self._commit_reason()

    def reason_saved(self) -> None:
        self.reason_unsaved = False
        self.error.hide()
        self.refresh_reason()
