"""The list of sections on the left and their pages, generated from the catalogue for the
organisation's kind and year: data sections, the indicator and goal overviews, the Phụ lục 2
tasks it leads, and the narrative parts."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.compute import IndicatorResult
from .form_page import FieldsPage
from .models import IndicatorModel, KeyRole
from .session import ReportSession
from .side_panel import indicator_input
from .tasks_page import TaskPage

log = logging.getLogger(__name__)

PageRole = Qt.ItemDataRole.UserRole + 2


class IndicatorsPage(QWidget):
    """A full-width table of the indicators from one part of the plan (Phụ lục 1 or section II)."""

    def __init__(self, session: ReportSession, title: str, goals: bool, pages: ReportPages) -> None:
        super().__init__()
        self.session = session
        self.goals = goals
        lay = QVBoxLayout(self)
        heading = QLabel(f"<b>{title}</b>", self)
        heading.setWordWrap(True)
        lay.addWidget(heading)
        note = QLabel(
            "Các giá trị được tính tự động từ số liệu đã nhập; bấm vào một dòng để đến số liệu tương ứng.",
            self,
        )
        note.setWordWrap(True)
        lay.addWidget(note)
        self.model = IndicatorModel(session.catalog, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(IndicatorModel.LABEL, QHeaderView.ResizeMode.Stretch)
        self.view.clicked.connect(
            lambda index: pages.show_key(
                indicator_input(session.catalog, self.model.data(index, KeyRole)) or ""
            )
        )
        lay.addWidget(self.view)
        session.recomputed.connect(self.update_rows)
        self.update_rows()

    def rows(self) -> list[IndicatorResult]:
        st = self.session.require_state()
        cat = self.session.catalog
        return [r for r in st.indicators if cat.indicator(r.code).is_goal == self.goals]

    def update_rows(self) -> None:
        # A hidden overview is brought up to date when it is shown, not on every keystroke.
        if self.session.state is None or not self.isVisible():
            return
        if self.model.set_rows(self.rows(), self.session.require_state().year):
            self.view.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.update_rows()


class ReportPages(QObject):
    """Builds, shows and refreshes the pages of the open report."""

    report_page_shown = Signal(bool)  # False while a pinned page (the Sở's intake) is shown

    def __init__(self, tree: QTreeWidget, stack: QStackedWidget, session: ReportSession) -> None:
        super().__init__(tree)
        self.tree = tree
        self.stack = stack
        self.session = session
        self.pages: list[QWidget] = []
        self.key_page: dict[str, FieldsPage] = {}
        self.items: dict[int, QTreeWidgetItem] = {}
        self.pinned: list[tuple[str, QWidget]] = []
        tree.currentItemChanged.connect(self._item_changed)
        session.loaded.connect(self.rebuild)
        session.value_saved.connect(self._saved)
        session.save_failed.connect(self._failed)

    def pin(self, title: str, page: QWidget) -> None:
        """A page that is not part of a report (the Sở's intake) and survives report changes.

        It sits in a scroll area so that its own minimum width cannot squeeze the other pages."""
        holder = QScrollArea()
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidget(page)
        self.pinned.append((title, holder))
        self.stack.addWidget(holder)

    # -- building ---------------------------------------------------------------------
    def rebuild(self) -> None:
        current = self.tree.currentItem()
        current_title = current.text(0) if current is not None else None
        for page in self.pages:
            if isinstance(page, IndicatorsPage):
                self.session.recomputed.disconnect(page.update_rows)
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self.key_page.clear()
        self.items.clear()
        self.tree.blockSignals(True)
        self.tree.clear()
        st = self.session.require_state()
        cat = self.session.catalog
        kind = st.org.kind
        sections = [
            (s.label, [c for c in s.elements if kind in cat.elements[c].applies_to]) for s in cat.sections
        ]
        sections = [(label, keys) for label, keys in sections if keys]
        if sections:  # the coordinating units report tasks and narrative only
            data = self._group("Số liệu")
            for label, keys in sections:
                self._add(data, label, FieldsPage(self.session, label, keys))
        if cat.indicators_for(kind):
            overview = self._group("Kết quả chỉ tiêu")
            for goals, title in (
                (False, "Phụ lục 1: chỉ tiêu hằng năm"),
                (True, "Mục II: mục tiêu của Kế hoạch"),
            ):
                if any(i.is_goal == goals for i in cat.indicators_for(kind)):
                    self._add(overview, title, IndicatorsPage(self.session, title, goals, self))
        tasks = cat.tasks_led_by(kind, st.year)
        if tasks:
            group = self._group("Nhiệm vụ (Phụ lục 2)")
            for task in tasks:
                self._add(group, f"{task.no}. {_short(task.title)}", TaskPage(self.session, task))
        group = self._group("Thuyết minh")
        for n in cat.narrative:
            self._add(group, n.label, FieldsPage(self.session, n.label, [f"narrative.{n.code}"]))
        for title, page in self.pinned:
            item = QTreeWidgetItem(self.tree, [title])
            item.setData(0, PageRole, self.stack.indexOf(page))
            _bold(item)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        first = self._find_item(current_title) or self._first_page_item()
        if first is not None:
            self.tree.setCurrentItem(first)
            self._item_changed(first, None)

    def _first_page_item(self) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is None:
                continue
            if top.data(0, PageRole) is not None:
                return top
            if top.childCount():
                return top.child(0)
        return None

    def _group(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        _bold(item)
        return item

    def _add(self, group: QTreeWidgetItem, title: str, page: QWidget) -> None:
        self.pages.append(page)
        index = self.stack.addWidget(page)
        item = QTreeWidgetItem(group, [title])
        item.setToolTip(0, title)
        item.setData(0, PageRole, index)
        self.items[index] = item
        if isinstance(page, FieldsPage):
            for key in page.rows:
                self.key_page[key] = page

    def _find_item(self, title: str | None) -> QTreeWidgetItem | None:
        if not title:
            return None
        found = self.tree.findItems(title, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        return next((i for i in found if i.data(0, PageRole) is not None), None)

    def _item_changed(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if item is None or item.data(0, PageRole) is None:
            return
        self.stack.setCurrentIndex(int(item.data(0, PageRole)))
        page = self.stack.currentWidget()
        self.report_page_shown.emit(not any(page is p for _t, p in self.pinned))

    # -- navigation and updates -------------------------------------------------------
    def show_key(self, key: str) -> bool:
        """Show the page holding ``key`` and put the cursor in its editor."""
        page = self.key_page.get(key)
        if page is None:
            log.info("no field on screen for %s", key)
            return False
        item = self.items.get(self.stack.indexOf(page))
        if item is not None:
            self.tree.setCurrentItem(item)
        self.stack.setCurrentWidget(page)
        return page.focus_key(key)

    def refresh(self) -> None:
        for page in self.pages:
            if isinstance(page, FieldsPage):
                page.refresh()

    def _saved(self, key: str) -> None:
        page = self.key_page.get(key)
        if page is not None:
            page.refresh_key(key, dt.datetime.now().strftime("%H:%M:%S"))

    def _failed(self, key: str, message: str) -> None:
        page = self.key_page.get(key)
        if page is not None:
            page.show_error(key, message)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _bold(item: QTreeWidgetItem) -> None:
    font = item.font(0)
    font.setBold(True)
    item.setFont(0, font)
