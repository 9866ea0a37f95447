"""Table models over plain rows: indicators, problems, attachments.

Each model takes its rows with ``set_rows()`` and knows nothing of the window; the tests run
``qtmodeltester.check()`` on each. The indicator and problem tables, repainted after every
keystroke, keep their cells in C++ items (``_CellTable``); the evidence-file list is a plain
Python model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel

from ..core.catalog import Catalog, Indicator
from ..core.compute import (
    MET,
    NOT_MET,
    IndicatorResult,
    format_indicator_value,
    format_target,
)
from ..core.goals import towards
from ..core.method import indicator_help
from ..core.numbers import format_size
from ..core.rules import ERROR, Issue
from ..core.values import field_for_key
from ..core.vntime import vn_datetime

if TYPE_CHECKING:  # the attachments service is loaded with the first task page
    from ..services.attachments import Attachment

KeyRole = Qt.ItemDataRole.UserRole + 1  # the report key (or indicator code) a row is about

_GREEN = QColor(0, 110, 40)
_RED = QColor(176, 0, 32)
_AMBER = QColor(150, 90, 0)
_Index = QModelIndex | QPersistentModelIndex
# The text colour of the status column of a met target, an error, a warning. A QColor serves as
# the ForegroundRole (the view turns it into a brush in C++); building a QBrush in Python would
# make PySide6 set up its gradient and image types at start-up for nothing (~3 ms).
_STATUS_COLOURS: dict[str, QColor] = {MET: _GREEN, NOT_MET: _RED}
_COLOURS: dict[str, QColor] = {ERROR: _RED, "justified": _GREEN, "unjustified": _AMBER}


class _Table(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.HEADERS):
                return self.HEADERS[section]
        return None

    def _set(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]


def field_label(catalog: Catalog, key: str) -> str:
    """What a problem's field is called on screen (a data element, a task field, an indicator)."""
    try:
        return field_for_key(catalog, key).label
    except KeyError:
        pass
    try:
        ind = catalog.indicator(key)
    except KeyError:
        return key
    return f"{ind.source}: {ind.short_label}"


_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# Roles as plain ints: the views pass ints, and comparing them with the enum members is slow.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_READ_ONLY = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled


class _Cells:
    """One row's texts, tooltips and colours, worked out once from a result or a problem."""

    __slots__ = ("display", "foreground", "key", "tooltip")

    def __init__(
        self,
        display: tuple[str, ...],
        tooltip: tuple[str | None, ...],
        foreground: tuple[QColor | None, ...],
        key: str,
    ) -> None:
        self.display = display
        self.tooltip = tooltip
        self.foreground = foreground
        self.key = key

    def same_text(self, other: _Cells) -> bool:
        return self.display == other.display and self.tooltip == other.tooltip


class _CellTable(QStandardItemModel):
    """A read-only table whose cells live in C++ (``QStandardItem``s).

    A view asks its model for every role of every visible cell on each repaint, and for all rows
    when it measures word-wrapped rows: some 4,000 questions for the side panel's first paint and
    ~240 for each repaint after a keystroke. Answered by a Python ``data()`` each question crossed
    into Python; stored in items, they are answered in C++ and Python only writes the cells that
    change."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self._rows: list[Any] = []
        self._cells: list[_Cells] = []

    def _alignment(self, column: int) -> int | None:
        return None

    def _item(self, cells: _Cells, column: int) -> QStandardItem:
        item = QStandardItem(cells.display[column])
        item.setFlags(_READ_ONLY)
        item.setData(cells.key, KeyRole)
        align = self._alignment(column)
        if align is not None:
            item.setData(align, _ALIGNMENT)
        self._write(item, cells, column)
        return item

    @staticmethod
    def _write(item: QStandardItem, cells: _Cells, column: int, old: _Cells | None = None) -> None:
        """Set what changed of the cell (each write repaints it)."""
        if old is None or old.display[column] != cells.display[column]:
            item.setData(cells.display[column], _DISPLAY)
        if old is None or old.tooltip[column] != cells.tooltip[column]:
            item.setData(cells.tooltip[column], _TOOLTIP)
        if old is None or old.foreground[column] is not cells.foreground[column]:
            # A QColor, not a QBrush: the view makes the brush in C++ (see _STATUS_COLOURS).
            item.setData(cells.foreground[column], _FOREGROUND)

    def _reset(self, rows: list[Any], cells: list[_Cells]) -> None:
        self.setRowCount(0)
        self._rows, self._cells = rows, cells
        for c in cells:
            self.appendRow([self._item(c, col) for col in range(len(self.HEADERS))])

    def _update(self, n: int, cells: _Cells) -> None:
        old = self._cells[n]
        self._cells[n] = cells
        for col in range(len(self.HEADERS)):
            item = self.item(n, col)
            if item is not None:
                self._write(item, cells, col, old)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def text(self, row: int, column: int) -> str:
        return self._cells[row].display[column]


class IndicatorModel(_CellTable):
    """One row per indicator: value, last year's value, the year's target, met / not met."""

    HEADERS = ("Chỉ tiêu", "Năm trước", "Năm nay", "Chỉ tiêu năm", "Đánh giá")
    LABEL, PREV, VALUE, TARGET, STATUS = range(5)

    def __init__(self, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.year = 0
        self.agency = True  # one agency's values (False: the Sở's own report, the province's)

    def use(self, catalog: Catalog) -> None:
        """Show the next rows under ``catalog`` (a report under another catalogue edition): the
        rows are rebuilt, since the same codes may carry other labels and targets."""
        if catalog is not self.catalog:
            self.catalog = catalog
            self.year = 0

    def set_rows(self, results: Sequence[IndicatorResult], year: int, agency: bool = True) -> bool:
        """Show ``results``; True when the rows themselves changed (the view must re-measure them).

        After a keystroke usually only values change: those cells are refreshed in place, which
        keeps the window responsive (re-measuring word-wrapped rows is the expensive part)."""
        rows = [(self.catalog.indicator(r.code), r) for r in results]
        same_rows = (
            year == self.year
            and agency == self.agency
            and [i.code for i, _ in rows] == [i.code for i, _ in self._rows]
        )
        self.year, self.agency = year, agency
        if not same_rows:
            self._reset(rows, [self._make_cells(ind, res) for ind, res in rows])
            return True
        changed = [n for n, (old, new) in enumerate(zip(self._rows, rows, strict=True)) if old[1] != new[1]]
        self._rows = rows
        for n in changed:
            self._update(n, self._make_cells(*rows[n]))
        return False

    def _make_cells(self, ind: Indicator, res: IndicatorResult) -> _Cells:
        target, status = format_target(ind, self.year), res.status_label
        brush = _STATUS_COLOURS.get(res.status)
        # A year past the yearly targets (2026 on): the plan's next goal and the way still to go.
        goal = towards(ind, res, self.year, agency=self.agency)
        if goal is not None:
            target, status = goal.aim, goal.verdict
            brush = _STATUS_COLOURS.get(MET) if goal.met else None
        texts = (
            f"{ind.source}. {ind.short_label}",
            format_indicator_value(ind, res.prev_value) if res.prev_value is not None else "—",
            format_indicator_value(ind, res.value, res.na, count=res.count, of=res.of, year=self.year),
            target,
            status,
        )
        fg = (None, None, brush, None, brush)
        tip = indicator_help(ind)  # the same text as the guide and the PDF's "Phương pháp tính"
        return _Cells(texts, (tip,) * len(texts), fg, ind.code)

    def _alignment(self, column: int) -> int | None:
        return None if column == self.LABEL else _RIGHT


class ProblemModel(_CellTable):
    """Every error and warning of the report, with the field it is about."""

    HEADERS = ("Mức", "Trường", "Nội dung", "Giải trình")
    SEVERITY, FIELD, MESSAGE, JUSTIFIED = range(4)

    def __init__(self, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self.catalog = catalog

    def set_rows(self, issues: Sequence[Issue]) -> bool | list[int]:
        """Show ``issues`` (errors first: they block the export).

        False when nothing changed; the list of rows whose text changed when the same problems
        are listed in the same order (only those rows need measuring again); True after a reset."""
        ordered = sorted(issues, key=lambda i: (i.severity != ERROR,))
        old = [r[0] for r in self._rows]
        if old == ordered:
            return False
        labels = {i.field: field_label(self.catalog, i.field) for i in ordered}
        rows = [(i, labels[i.field]) for i in ordered]
        cells = [self._make_cells(i, label) for i, label in rows]
        same = [(i.rule, i.field) for i in old] == [(i.rule, i.field) for i in ordered]
        if not same:
            self._reset(rows, cells)
            return True
        changed = [n for n, c in enumerate(cells) if not c.same_text(self._cells[n])]
        recoloured = [n for n, c in enumerate(cells) if c.foreground != self._cells[n].foreground]
        self._rows = rows
        for n in sorted(set(changed) | set(recoloured)):
            self._update(n, cells[n])
        return changed

    def _make_cells(self, issue: Issue, label: str) -> _Cells:
        error = issue.severity == ERROR
        if error:
            status = "—"
            brush = _COLOURS[ERROR]
        else:
            status = "Đã giải trình" if issue.justification else "Cần giải trình"
            brush = _COLOURS["justified" if issue.justification else "unjustified"]
        texts = ("Lỗi" if error else "Cảnh báo", label, issue.message, status)
        tips = (*texts[:3], issue.justification if not error and issue.justification else status)
        return _Cells(texts, tips, (brush, None, None, brush), issue.field)

    def issue_at(self, row: int) -> Issue:
        issue = self._rows[row][0]
        assert isinstance(issue, Issue)
        return issue

    def row_of(self, rule: str, field: str) -> int:
        for n, (issue, _label) in enumerate(self._rows):
            if issue.rule == rule and issue.field == field:
                return n
        return -1


class AttachmentModel(_Table):
    """The evidence files of one task."""

    HEADERS = ("Tệp", "Dung lượng", "Ngày đính kèm", "Người đính kèm")

    def set_rows(self, rows: Sequence[Attachment]) -> None:
        self._set(list(rows))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        att = cast("Attachment", self._rows[index.row()])
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return att.file_name
            if col == 1:
                return format_size(att.size)
            if col == 2:
                return _vn_datetime(att.added_at)
            return att.added_by
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{att.file_name}\nSHA-256: {att.sha256}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == KeyRole:
            return att.id
        return None


def _vn_datetime(iso: str) -> str:
    """``2026-11-20T02:15:00+00:00`` → ``09:15 ngày 20/11/2026`` (Vietnam time)."""
    return vn_datetime(iso)
