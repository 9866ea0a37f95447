"""Thin table models over plain rows (Vorta style): indicators, problems, attachments.

Each model takes its rows with ``set_rows()`` (a model reset) and knows nothing of the window;
the tests run ``qtmodeltester.check()`` on each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ..core.catalog import Catalog, Indicator
from ..core.compute import MET, NOT_MET, IndicatorResult, format_indicator_value, format_target
from ..core.numbers import format_size
from ..core.rules import ERROR, Issue
from ..core.values import field_for_key
from ..services.attachments import Attachment

KeyRole = Qt.ItemDataRole.UserRole + 1  # the report key (or indicator code) a row is about

_GREEN = QColor(0, 110, 40)
_RED = QColor(176, 0, 32)
_AMBER = QColor(150, 90, 0)
_Index = QModelIndex | QPersistentModelIndex


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


class IndicatorModel(_Table):
    """One row per indicator: value, last year's value, the year's target, met / not met."""

    HEADERS = ("Chỉ tiêu", "Năm trước", "Năm nay", "Chỉ tiêu năm", "Đánh giá")
    LABEL, PREV, VALUE, TARGET, STATUS = range(5)

    def __init__(self, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.year = 0

    def set_rows(self, results: Sequence[IndicatorResult], year: int) -> bool:
        """Show ``results``; True when the rows themselves changed (the view must re-measure them).

        After a keystroke usually only values change: those cells are refreshed in place, which
        keeps the window responsive (re-measuring word-wrapped rows is the expensive part)."""
        rows = [(self.catalog.indicator(r.code), r) for r in results]
        same_rows = year == self.year and [i.code for i, _ in rows] == [i.code for i, _ in self._rows]
        self.year = year
        if not same_rows:
            self._set(rows)
            return True
        changed = [n for n, (old, new) in enumerate(zip(self._rows, rows, strict=True)) if old[1] != new[1]]
        self._rows = rows
        if changed:
            self.dataChanged.emit(
                self.index(min(changed), 0), self.index(max(changed), len(self.HEADERS) - 1)
            )
        return False

    def text(self, row: int, column: int) -> str:
        ind, res = self._rows[row]
        assert isinstance(ind, Indicator) and isinstance(res, IndicatorResult)
        if column == self.LABEL:
            return f"{ind.source}. {ind.short_label}"
        if column == self.PREV:
            return format_indicator_value(ind, res.prev_value) if res.prev_value is not None else "—"
        if column == self.VALUE:
            return format_indicator_value(ind, res.value, res.na, count=res.count, of=res.of)
        if column == self.TARGET:
            return format_target(ind, self.year)
        return res.status_label

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        ind, res = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{ind.label}\nCách tính: {ind.measure}"
        if role == Qt.ItemDataRole.ForegroundRole and col in (self.VALUE, self.STATUS):
            if res.status == MET:
                return QBrush(_GREEN)
            if res.status == NOT_MET:
                return QBrush(_RED)
        if role == Qt.ItemDataRole.TextAlignmentRole and col != self.LABEL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == KeyRole:
            return ind.code
        return None


class ProblemModel(_Table):
    """Every error and warning of the report, with the field it is about."""

    HEADERS = ("Mức", "Trường", "Nội dung", "Giải trình")
    SEVERITY, FIELD, MESSAGE, JUSTIFIED = range(4)

    def __init__(self, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self.catalog = catalog

    def set_rows(self, issues: Sequence[Issue]) -> bool:
        """Show ``issues`` (errors first: they block the export); True when anything changed."""
        ordered = sorted(issues, key=lambda i: (i.severity != ERROR,))
        if [r[0] for r in self._rows] == ordered:
            return False
        self._set([(i, field_label(self.catalog, i.field)) for i in ordered])
        return True

    def issue_at(self, row: int) -> Issue:
        issue = self._rows[row][0]
        assert isinstance(issue, Issue)
        return issue

    def row_of(self, rule: str, field: str) -> int:
        for n, (issue, _label) in enumerate(self._rows):
            if issue.rule == rule and issue.field == field:
                return n
        return -1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        issue, label = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.SEVERITY:
                return "Lỗi" if issue.severity == ERROR else "Cảnh báo"
            if col == self.FIELD:
                return label
            if col == self.MESSAGE:
                return issue.message
            if issue.severity == ERROR:
                return "—"
            if role == Qt.ItemDataRole.ToolTipRole and issue.justification:
                return issue.justification
            return "Đã giải trình" if issue.justification else "Cần giải trình"
        if role == Qt.ItemDataRole.ForegroundRole and col in (self.SEVERITY, self.JUSTIFIED):
            if issue.severity == ERROR:
                return QBrush(_RED)
            return QBrush(_GREEN if issue.justification else _AMBER)
        if role == KeyRole:
            return issue.field
        return None


class AttachmentModel(_Table):
    """The evidence files of one task."""

    HEADERS = ("Tệp", "Dung lượng", "Ngày đính kèm", "Người đính kèm")

    def set_rows(self, rows: Sequence[Attachment]) -> None:
        self._set(list(rows))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        att = self._rows[index.row()]
        assert isinstance(att, Attachment)
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
    """``2026-11-20T09:15:00+07:00`` → ``20/11/2026 09:15``."""
    date, _, time = iso.partition("T")
    parts = date.split("-")
    if len(parts) != 3:
        return iso
    return f"{parts[2]}/{parts[1]}/{parts[0]} {time[:5]}".strip()
