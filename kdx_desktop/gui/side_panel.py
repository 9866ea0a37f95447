"""The right-hand panel: computed indicators against the year's targets, the problems of the report
(a click jumps to the field) and the justification of the selected warning, written in place. The
reason for "Không áp dụng" (warning W04) is written beside its field instead: a click on that
warning goes to the reason's box."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTableView

from ..core.catalog import Catalog
from ..core.rules import ERROR, WARNING, Issue, na_reason_key
from ..core.values import InvalidValue, field_for_key, justification_key, parse_input
from .messages import show_refusal
from .models import IndicatorModel, KeyRole, ProblemModel, field_label
from .session import ReportSession


def indicator_input(catalog: Catalog, code: str | None) -> str | None:
    """The first data element an indicator is computed from (where a click on it leads)."""
    if code is None:
        return None
    try:
        inputs = catalog.indicator(code).compute.inputs
    except KeyError:
        return None
    return inputs[0] if inputs else None


def summary_text(issues: list[Issue], *, exportable: bool = True) -> tuple[str, bool]:
    """The summary line and whether the report can be exported. ``exportable`` False: a report
    this PC does not export (an agency's, received at the Sở): the line says nothing of exporting."""
    errors = sum(1 for i in issues if i.severity == ERROR)
    unjustified = sum(1 for i in issues if i.severity == WARNING and not i.justification.strip())
    warnings = sum(1 for i in issues if i.severity == WARNING)
    if errors == 0 and unjustified == 0:
        extra = f" ({warnings} cảnh báo đã giải trình)" if warnings else ""
        return (
            f"✓ Không có lỗi: có thể xuất báo cáo{extra}." if exportable else f"✓ Không có lỗi{extra}."
        ), True
    if not exportable:
        parts = [f"{errors} lỗi"] + ([f"{unjustified} cảnh báo chưa giải trình"] if unjustified else [])
        return ", ".join(parts) + ".", False
    parts = [f"{errors} lỗi chặn xuất"]
    if unjustified:
        parts.append(f"{unjustified} cảnh báo chưa giải trình (cũng chặn xuất)")
    return ", ".join(parts) + ".", False


def readable_columns(view: QTableView) -> None:
    """No column narrower than about ten letters: a narrow panel scrolls its table sideways
    rather than wrapping a sentence to a word per line."""
    view.horizontalHeader().setMinimumSectionSize(view.fontMetrics().averageCharWidth() * 10)


def _setup_view(view: QTableView) -> None:
    readable_columns(view)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)


class SidePanel(QObject):
    jump_requested = Signal(str)  # a report key to show and focus

    def __init__(self, ui: Any, session: ReportSession) -> None:
        super().__init__(ui.problemsBox)
        self.ui = ui
        self.session = session
        self.indicators = IndicatorModel(session.catalog, ui.indicatorView)
        self.problems = ProblemModel(session.catalog, ui.problemView)
        ui.indicatorView.setModel(self.indicators)
        ui.problemView.setModel(self.problems)
        for view in (ui.indicatorView, ui.problemView):
            _setup_view(view)
        hi = ui.indicatorView.horizontalHeader()
        hi.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hi.setSectionResizeMode(IndicatorModel.LABEL, QHeaderView.ResizeMode.Stretch)
        # The target and verdict can be long ("Mục tiêu 2030: 100%", "Còn cách mục tiêu …"):
        # they wrap in a column of their own width rather than squeezing the indicator's name.
        letter = ui.indicatorView.fontMetrics().averageCharWidth()
        for column, letters in ((IndicatorModel.TARGET, 13), (IndicatorModel.STATUS, 16)):
            hi.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            hi.resizeSection(column, letter * letters)
        # The full tables (with last year's value) are on the overview pages; the panel stays narrow.
        ui.indicatorView.setColumnHidden(IndicatorModel.PREV, True)
        ui.justificationEdit.setMaximumHeight(ui.justificationEdit.fontMetrics().lineSpacing() * 5 + 12)
        hp = ui.problemView.horizontalHeader()
        hp.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hp.setSectionResizeMode(ProblemModel.MESSAGE, QHeaderView.ResizeMode.Stretch)
        hp.setSectionResizeMode(ProblemModel.FIELD, QHeaderView.ResizeMode.Interactive)
        ui.problemView.clicked.connect(self._problem_clicked)
        ui.problemView.activated.connect(self._problem_clicked)
        ui.indicatorView.clicked.connect(self._indicator_clicked)
        ui.saveJustificationButton.clicked.connect(self.save_justification)
        ui.justificationTarget.linkActivated.connect(lambda _link: self.use_suggestion())
        self.current: tuple[str, str] | None = None  # (rule, field) of the warning being justified
        self.unsaved = False  # the box holds a justification that was refused
        self._summary_ok: bool | None = None
        self._new_report = False  # the next update shows another report: no text carried over
        session.loaded.connect(self._report_loaded)
        session.recomputed.connect(self.update)
        # Like the fields' text boxes, the justification is saved when the focus leaves it.
        ui.justificationEdit.installEventFilter(self)
        self._show_justification(None)

    def update(self) -> None:
        st = self.session.state
        if st is None:
            return
        self.indicators.use(self.session.catalog)  # the report's own edition
        self.problems.catalog = self.session.catalog
        if self.indicators.set_rows(st.indicators, st.year, agency=not st.org.consolidates):
            self.ui.indicatorView.resizeRowsToContents()
        changed = self.problems.set_rows(st.issues)
        view = self.ui.problemView
        if changed is True:  # other problems: measure every row again
            view.setColumnWidth(ProblemModel.FIELD, 150)
            view.resizeRowsToContents()
        elif changed:  # the same problems, some reworded: only those rows
            for row in changed:
                view.resizeRowToContents(row)
        received = self.session.received is not None or self.session.not_received
        text, ok = summary_text(st.issues, exportable=not received)
        label = self.ui.summaryLabel
        if label.text() != text:
            label.setText(text)
        # A style sheet re-polishes the label: set it only when the verdict changes.
        if self._summary_ok is not ok:
            self._summary_ok = ok
            label.setStyleSheet("color: #006e28;" if ok else "color: #b00020; font-weight: bold;")
        n = len(st.issues)
        title = f"Vấn đề cần xử lý ({n})" if n else "Vấn đề cần xử lý"
        if self.ui.problemsBox.title() != title:
            self.ui.problemsBox.setTitle(title)
        # Keep the warning being justified selected across the refresh.
        row = self.problems.row_of(*self.current) if self.current else -1
        if row >= 0:
            self.ui.problemView.selectionModel().select(
                self.problems.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            # The box keeps what is being typed in it; otherwise it shows the saved text (which may
            # have been written elsewhere meanwhile).
            typing = self.ui.justificationEdit.hasFocus() or self.unsaved
            self._show_justification(self.problems.issue_at(row), keep_text=typing and not self._new_report)
        else:
            self._show_justification(None)
        self._new_report = False

    def _report_loaded(self) -> None:
        self._new_report = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.FocusOut
            and watched is self.ui.justificationEdit
            and self.current is not None
            and not self.session.locked
        ):
            self.save_justification()
        return False

    # -- problems -------------------------------------------------------------------
    def _problem_clicked(self, index: QModelIndex) -> None:
        issue = self.problems.issue_at(index.row())
        reason = self._reason_key(issue)
        self._show_justification(issue if issue.severity == WARNING and reason is None else None)
        self.jump_requested.emit(reason or self._jump_key(issue.field))

    def _reason_key(self, issue: Issue) -> str | None:
        """For the warning "marked Không áp dụng without a reason": the reason's key (typed beside
        the field)."""
        key = na_reason_key(self.session.catalog, issue.field)
        return key if key is not None and key == issue.key else None

    def _jump_key(self, field: str) -> str:
        if field in self.session.catalog.elements or "." in field:
            return field
        return indicator_input(self.session.catalog, field) or field

    def _indicator_clicked(self, index: QModelIndex) -> None:
        key = indicator_input(self.session.catalog, self.indicators.data(index, KeyRole))
        if key:
            self.jump_requested.emit(key)

    def select_problem(self, rule: str, field: str) -> bool:
        """Select a problem as a click would (used by the keyboard and the tests)."""
        row = self.problems.row_of(rule, field)
        if row < 0:
            return False
        index = self.problems.index(row, ProblemModel.MESSAGE)
        self.ui.problemView.setCurrentIndex(index)
        self._problem_clicked(index)
        return True

    # -- justification ----------------------------------------------------------------
    def _show_justification(self, issue: Issue | None, keep_text: bool = False) -> None:
        box, edit = self.ui.justificationBox, self.ui.justificationEdit
        self.ui.justificationTarget.setTextFormat(Qt.TextFormat.PlainText)  # after a refusal's link
        if issue is None:
            if self.current is None and box.isHidden() and not edit.toPlainText():
                return  # already cleared (the common case after each save)
            self.current = None
            box.setEnabled(False)
            box.hide()  # the list gets the room until a warning is chosen
            self.ui.justificationTarget.setText("Chọn một cảnh báo trong danh sách để viết giải trình.")
            edit.setPlainText("")
            self.unsaved = False
            return
        changed = self.current != (issue.rule, issue.field)
        self.current = (issue.rule, issue.field)
        if changed or not keep_text:
            self.unsaved = False  # the box is given another warning's text
        box.setEnabled(not self.session.locked)
        box.show()
        label = field_label(self.session.catalog, issue.field)
        self.ui.justificationTarget.setText(f"Cảnh báo về “{label}”:\n{issue.message}")
        if changed or not keep_text:
            edit.setPlainText(issue.justification)

    def save_justification(self) -> bool:
        if self.current is None:
            return False
        key = justification_key(*self.current)
        try:
            value = parse_input(
                field_for_key(self.session.catalog, key), self.ui.justificationEdit.toPlainText()
            )
        except InvalidValue as exc:
            show_refusal(
                self.ui.justificationTarget,
                f"Chưa lưu giải trình: {exc.reason}.",
                offer_unicode=exc.suggestion is not None,
            )
            self.unsaved = True
            return False
        saved = self.session.commit(key, value)
        self.unsaved = not saved
        return saved

    def use_suggestion(self) -> bool:
        """ "Chuyển sang Unicode": the justification as it is now (the officer may have typed since
        the refusal), turned from TCVN3 into Unicode, put in the box and saved."""
        if self.current is None:
            return False
        key = justification_key(*self.current)
        try:
            parse_input(field_for_key(self.session.catalog, key), self.ui.justificationEdit.toPlainText())
        except InvalidValue as exc:
            if exc.suggestion is not None:
                self.ui.justificationEdit.setPlainText(exc.suggestion)
        return self.save_justification()
