"""A page of fields generated from the catalogue (DHIS2's "default form"): a section's data
elements, a narrative part, or a task's fields. Nothing here names a particular indicator, so a
field added to the catalogue appears on its page without any change to this code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ..core.rules import Issue
from .editors import LONG_TEXT, FieldRow
from .session import ReportSession

COL_EDITOR, COL_UNIT, COL_PREV, COL_NA, COL_SAVED = range(5)


class FieldsPage(QScrollArea):
    """A scrollable page: a title, an optional introduction and one row per field."""

    def __init__(
        self,
        session: ReportSession,
        title: str,
        keys: Sequence[str],
        intro: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Labels and help lines wrap to the page's width rather than widening it.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.setWidget(body)
        self.outer = QVBoxLayout(body)
        heading = QLabel(title, body)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)
        self.outer.addWidget(heading)
        if intro:
            intro_label = QLabel(intro, body)
            intro_label.setWordWrap(True)
            intro_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.outer.addWidget(intro_label)
        self.rows: dict[str, FieldRow] = {}
        self.reason_rows: dict[str, FieldRow] = {}  # the key of a "Không áp dụng" reason → its row
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(4)
        self.outer.addLayout(self.grid)
        self._next_row = 0
        self.add_fields(keys, body)
        self.extra = QVBoxLayout()  # pages add more below the fields (attachments)
        self.outer.addLayout(self.extra)
        self.outer.addStretch(1)

    def add_fields(self, keys: Sequence[str], body: QWidget) -> None:
        """Each field is a block: its label on a line of its own (labels are long sentences from
        the plan), then the editor with unit, last year's value and the toggles, the reason for
        "Không áp dụng" (while it is on), then the help."""
        g = self.grid
        if any(not self._is_long(k) for k in keys):
            year = self.session.require_state().year
            heads = [(COL_EDITOR, f"Năm {year}")]
            if any(k in self.session.catalog.elements for k in keys):
                heads += [(COL_UNIT, "Đơn vị"), (COL_PREV, f"Năm {year - 1}")]
            for col, text in heads:
                g.addWidget(QLabel(f"<b>{text}</b>", body), self._next_row, col)
            self._next_row += 1
        for key in keys:
            row = FieldRow(self.session, key, body)
            self.rows[key] = row
            if row.reason_key is not None:
                self.reason_rows[row.reason_key] = row
            r = self._next_row
            g.addWidget(row.label, r, COL_EDITOR, 1, 5)
            if row.multiline:
                g.addWidget(row.editor, r + 1, COL_EDITOR, 1, 3)
                # A long text has no unit, and last year's would not fit beside it: left out (they
                # showed over the page's heading).
                row.unit.hide()
                row.prev.hide()
            else:
                g.addWidget(row.editor, r + 1, COL_EDITOR)
                g.addWidget(row.unit, r + 1, COL_UNIT)
                g.addWidget(row.prev, r + 1, COL_PREV)
            top = Qt.AlignmentFlag.AlignTop if row.multiline else Qt.AlignmentFlag.AlignVCenter
            if row.na is not None:
                g.addWidget(row.na, r + 1, COL_NA, top)
            g.addWidget(row.saved, r + 1, COL_SAVED, top)
            if row.reason_line is not None:
                g.addWidget(row.reason_line, r + 2, COL_EDITOR, 1, 5)
            g.addWidget(row.error, r + 3, COL_EDITOR, 1, 5)
            g.addWidget(row.problem, r + 4, COL_EDITOR, 1, 5)
            g.addWidget(row.help, r + 5, COL_EDITOR, 1, 5)
            g.setRowMinimumHeight(r + 6, 8)  # air between fields
            self._next_row += 7
        g.setColumnStretch(COL_EDITOR, 1)  # a wide window gives the editors room too
        g.setColumnStretch(COL_PREV, 1)
        # Wide enough for "1.234.567,5"; the page must fit beside the section list on a 1024-pixel
        # screen at 150 % (about 500 logical pixels), so nothing here asks for more.
        g.setColumnMinimumWidth(COL_EDITOR, self.fontMetrics().horizontalAdvance("0") * 12)

    def _is_long(self, key: str) -> bool:
        f = self.session.field(key)
        return f.type == "text" and (f.max_length is None or f.max_length > LONG_TEXT)

    # -- updates from the session -------------------------------------------------------
    def refresh(self) -> None:
        for row in self.rows.values():
            row.refresh()

    def refresh_key(self, key: str, saved_at: str | None = None) -> None:
        row = self.rows.get(key)
        if row is not None:
            row.refresh()
        elif (row := self.reason_rows.get(key)) is not None:
            row.reason_saved()
        else:
            return
        if saved_at:
            row.mark_saved(saved_at)

    def show_problems(self, by_key: Mapping[str, list[Issue]]) -> None:
        for key, row in self.rows.items():
            row.show_problems(by_key.get(key, []))

    def show_error(self, key: str, message: str) -> None:
        row = self.rows.get(key)
        if row is not None:
            row.show_error(message)
        elif (row := self.reason_rows.get(key)) is not None:
            row.show_reason_error(message)

    def unsaved(self) -> list[str]:
        """The keys whose editors (or reason boxes) hold refused text."""
        fields = [key for key, row in self.rows.items() if row.unsaved]
        return fields + [key for key, row in self.reason_rows.items() if row.reason_unsaved]

    def focus_key(self, key: str) -> bool:
        """Scroll to the field of ``key`` and put the cursor in its editor (in its reason box for a
        reason's key)."""
        row = self.rows.get(key)
        reason = self.reason_rows.get(key)
        if row is None and reason is None:
            return False
        target = row or reason
        assert target is not None
        self.ensureWidgetVisible(target.label, 20, 40)
        if row is not None:
            self.ensureWidgetVisible(row.editor, 20, 60)
            row.focus()
        elif target.reason is not None and target.reason_line is not None:
            target.reason_line.show()  # (a reason is asked for only while "Không áp dụng" is on)
            self.ensureWidgetVisible(target.reason, 20, 60)
            target.reason.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
