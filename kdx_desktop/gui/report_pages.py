"""The list of sections on the left and their pages, generated from the catalogue for the
organisation's kind and year: data sections, the indicator and goal overviews, the Phụ lục 2
tasks it leads, and the narrative parts."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial

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

from ..core.catalog import Task
from ..core.compute import IndicatorResult
from ..core.rules import REQUIRED_RULE, Issue, involved_fields, na_reason_key
from ..core.vntime import VIETNAM
from .form_page import FieldsPage
from .models import IndicatorModel, KeyRole
from .session import ReportSession
from .side_panel import indicator_input, readable_columns

log = logging.getLogger(__name__)

PageRole = Qt.ItemDataRole.UserRole + 2


def _task_page(session: ReportSession, task: Task) -> QWidget:
    """A task's page, built when first shown; its module (evidence files and their dialogs) is
    imported then too, not at start."""
    from .tasks_page import TaskPage

    return TaskPage(session, task)


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
        readable_columns(self.view)
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
        self.model.use(self.session.catalog)
        st = self.session.require_state()
        if self.model.set_rows(self.rows(), st.year, agency=not st.org.consolidates):
            self.view.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.update_rows()


class _KeyPages(Mapping[str, FieldsPage]):
    """Report key → the page holding its editor. Every key of the report is listed from the start;
    looking one up builds its page if it has not been shown yet (pages are built on first use)."""

    def __init__(self, pages: ReportPages) -> None:
        self._pages = pages
        self.slot_of: dict[str, int] = {}

    def __getitem__(self, key: str) -> FieldsPage:
        page = self._pages.page(self.slot_of[key])
        assert isinstance(page, FieldsPage)
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self.slot_of)

    def __len__(self) -> int:
        return len(self.slot_of)

    def __contains__(self, key: object) -> bool:
        return key in self.slot_of

    def built(self, key: str) -> FieldsPage | None:
        """The page of ``key`` if it exists already (nothing is built)."""
        slot = self.slot_of.get(key)
        page = self._pages.slots[slot].page if slot is not None else None
        return page if isinstance(page, FieldsPage) else None

    def clear(self) -> None:
        self.slot_of.clear()


class _Slot:
    """A page of the section list: how to build it, and the page once built."""

    def __init__(self, factory: Callable[[], QWidget] | None, page: QWidget | None = None) -> None:
        self.factory = factory
        self.page = page
        self.item: QTreeWidgetItem | None = None


class ReportPages(QObject):
    """Builds, shows and refreshes the pages of the open report.

    A report has some twenty pages of which the officer sees one at a time, so each page is
    built the first time it is shown (or one of its fields is asked for); the section list
    itself is complete from the start."""

    report_page_shown = Signal(bool)  # False while a pinned page (the Sở's intake) is shown

    def __init__(self, tree: QTreeWidget, stack: QStackedWidget, session: ReportSession) -> None:
        super().__init__(tree)
        self.tree = tree
        self.stack = stack
        self.session = session
        self.slots: list[_Slot] = []
        self.key_page = _KeyPages(self)
        self.pinned: list[tuple[str, QWidget]] = []
        tree.currentItemChanged.connect(self._item_changed)
        session.loaded.connect(self.rebuild)
        session.value_saved.connect(self._saved)
        session.save_failed.connect(self._failed)
        session.recomputed.connect(self._show_problems)

    @property
    def pages(self) -> list[QWidget]:
        """The report's pages built so far."""
        pinned = {id(p) for _t, p in self.pinned}
        return [s.page for s in self.slots if s.page is not None and id(s.page) not in pinned]

    def pin(self, title: str, page: QWidget) -> None:
        """A page that is not part of a report (the Sở's intake) and survives report changes.

        It sits in a scroll area so that its own minimum width cannot squeeze the other pages."""
        holder = QScrollArea()
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidget(page)
        self.pinned.append((title, holder))
        self.stack.addWidget(holder)

    def show_pinned(self, page: QWidget) -> bool:
        """Bring a pinned page to the front (files given to the program go to the intake page)."""
        for title, holder in self.pinned:
            if isinstance(holder, QScrollArea) and holder.widget() is page:
                item = self._find_item(title)
                if item is not None:
                    self.tree.setCurrentItem(item)
                self.stack.setCurrentWidget(holder)
                return True
        return False

    def unpin(self, page: QWidget) -> bool:
        """Take a pinned page away (this PC is no longer the Sở's); the caller rebuilds the list."""
        for entry in self.pinned:
            holder = entry[1]
            if isinstance(holder, QScrollArea) and holder.widget() is page:
                self.pinned.remove(entry)
                self.stack.removeWidget(holder)
                holder.deleteLater()
                return True
        return False

    # -- building ---------------------------------------------------------------------
    def page(self, slot: int) -> QWidget:
        """The page of ``slot``, built now if it has not been yet."""
        s = self.slots[slot]
        if s.page is None:
            assert s.factory is not None
            page = s.factory()
            s.page = page
            self.stack.addWidget(page)
            if isinstance(page, FieldsPage):
                page.show_problems(self._problems_by_key())
        return s.page

    def rebuild(self) -> None:
        current = self.tree.currentItem()
        current_title = current.text(0) if current is not None else None
        for page in self.pages:
            if isinstance(page, IndicatorsPage):
                self.session.recomputed.disconnect(page.update_rows)
            self.stack.removeWidget(page)
            page.deleteLater()
        self.slots.clear()
        self.key_page.clear()
        self.tree.blockSignals(True)
        self.tree.clear()
        st = self.session.require_state()
        cat = self.session.catalog
        kind = st.org.kind
        session = self.session
        sections = [
            (s.label, [c for c in s.elements if kind in cat.elements[c].applies_to]) for s in cat.sections
        ]
        sections = [(label, keys) for label, keys in sections if keys]
        if sections:  # the coordinating units report tasks and narrative only
            data = self._group("Số liệu")
            for label, keys in sections:
                self._add(data, label, partial(FieldsPage, session, label, keys), keys)
        if cat.indicators_for(kind):
            overview = self._group("Kết quả chỉ tiêu")
            for goals, title in (
                (False, "Phụ lục 1: chỉ tiêu hằng năm"),
                (True, "Mục II: mục tiêu của Kế hoạch"),
            ):
                if any(i.is_goal == goals for i in cat.indicators_for(kind)):
                    self._add(overview, title, partial(IndicatorsPage, session, title, goals, self), [])
        tasks = cat.tasks_led_by(kind, st.year)
        if tasks:
            group = self._group("Nhiệm vụ (Phụ lục 2)")
            fields = cat.task_fields
            for task in tasks:
                keys = [f"task.{task.code}.{f.code}" for f in fields]
                self._add(group, f"{task.no}. {_short(task.title)}", partial(_task_page, session, task), keys)
        group = self._group("Thuyết minh")
        for n in cat.narrative:
            keys = [f"narrative.{n.code}"]
            self._add(group, n.label, partial(FieldsPage, session, n.label, keys), keys)
        for title, page in self.pinned:
            item = QTreeWidgetItem(self.tree, [title])
            item.setData(0, PageRole, len(self.slots))
            self.slots.append(_Slot(None, page))
            _bold(item)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        first = self._find_item(current_title) or self._first_page_item()
        if first is not None:
            self.tree.setCurrentItem(first)
            self._item_changed(first, None)

    def show_first_page(self) -> None:
        """Show the report's first page (leaving a pinned page such as the Sở's intake)."""
        first = self._first_page_item()
        if first is not None:
            self.tree.setCurrentItem(first)

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

    def _add(
        self, group: QTreeWidgetItem, title: str, factory: Callable[[], QWidget], keys: Sequence[str]
    ) -> None:
        slot = _Slot(factory)
        n = len(self.slots)
        self.slots.append(slot)
        item = QTreeWidgetItem(group, [title])
        item.setToolTip(0, title)
        item.setData(0, PageRole, n)
        slot.item = item
        for key in keys:
            self.key_page.slot_of[key] = n
            reason = na_reason_key(self.session.catalog, key)
            if reason is not None and self.session.field(key).na_allowed:
                self.key_page.slot_of[reason] = n  # the reason for "Không áp dụng", beside its field

    def _find_item(self, title: str | None) -> QTreeWidgetItem | None:
        if not title:
            return None
        found = self.tree.findItems(title, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        return next((i for i in found if i.data(0, PageRole) is not None), None)

    def _item_changed(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if item is None or item.data(0, PageRole) is None:
            return
        page = self.page(int(item.data(0, PageRole)))
        self.stack.setCurrentWidget(page)
        self.report_page_shown.emit(not any(page is p for _t, p in self.pinned))

    # -- navigation and updates -------------------------------------------------------
    def show_key(self, key: str) -> bool:
        """Show the page holding ``key`` (building it if need be) and put the cursor in its editor."""
        slot = self.key_page.slot_of.get(key)
        if slot is None:
            log.info("no field on screen for %s", key)
            return False
        page = self.key_page[key]
        item = self.slots[slot].item
        if item is not None:
            self.tree.setCurrentItem(item)
        self.stack.setCurrentWidget(page)
        return page.focus_key(key)

    def _problems_by_key(self) -> dict[str, list[Issue]]:
        """The report's problems at each field they involve. "Chưa nhập" is left to the list and
        the field's star: an empty field in red on every page would hide the real errors."""
        st = self.session.state
        by_key: dict[str, list[Issue]] = {}
        for issue in st.issues if st is not None else []:
            if issue.rule == REQUIRED_RULE:
                continue
            for key in involved_fields(self.session.catalog, issue):
                by_key.setdefault(key, []).append(issue)
        return by_key

    def _show_problems(self) -> None:
        by_key = self._problems_by_key()
        for page in self.pages:
            if isinstance(page, FieldsPage):
                page.show_problems(by_key)

    def unsaved(self) -> list[str]:
        """The keys of the open report whose editors hold typed text that was refused."""
        return [key for page in self.pages if isinstance(page, FieldsPage) for key in page.unsaved()]

    def refresh(self) -> None:
        for page in self.pages:
            if isinstance(page, FieldsPage):
                page.refresh()

    def _saved(self, key: str) -> None:
        # A page not built yet shows the saved value when it is built: nothing to mark.
        page = self.key_page.built(key)
        if page is not None:
            page.refresh_key(key, dt.datetime.now(VIETNAM).strftime("%H:%M:%S"))

    def _failed(self, key: str, message: str) -> None:
        page = self.key_page.get(key)  # the message must be seen: build the page if need be
        if page is not None:
            page.show_error(key, message)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _bold(item: QTreeWidgetItem) -> None:
    font = item.font(0)
    font.setBold(True)
    item.setFont(0, font)
