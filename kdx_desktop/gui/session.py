"""The open report of the window: one place that loads it, saves each committed field through
``services.reporting.set_value`` (one transaction with its audit row) and keeps the undo history.

Undo and redo go through the very same save path as typing, so an undone value is saved,
audited and re-checked exactly like a typed one.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core.catalog import Catalog
from ..core.values import NA, Field, Value, field_for_key
from ..core.vntime import VIETNAM
from ..services import reporting
from ..services.received import ReceivedReport, load_received, shows_received
from ..services.reporting import App, ReportState, UsageError
from ..store.repo import EXPORTED, Report, StoreError

log = logging.getLogger(__name__)

THIS_ORG = "this_org"  # setting: the organisation this PC reports for
_MERGE_ID = 0x4B4458  # consecutive saves of one text field while typing make one undo step


def same_value(a: Value | None, b: Value | None) -> bool:
    if a is NA or b is NA or a is None or b is None:
        return a is b
    return type(a) is type(b) and a == b


class EditCommand(QUndoCommand):
    def __init__(
        self, session: ReportSession, key: str, old: Value | None, new: Value | None, typing: bool
    ) -> None:
        super().__init__(f"sửa “{session.field(key).label}”")
        self.session = session
        self.key = key
        self.old = old
        self.new = new
        self.typing = typing
        self.ok = True
        self.done_once = False

    def id(self) -> int:
        return _MERGE_ID if self.typing else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or other.key != self.key or not other.typing:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.ok = self.session._save(self.key, self.new)
        if not self.ok:
            self.setObsolete(True)
        elif self.done_once:  # a redo, not the edit itself: show the field it changed
            self.session.stepped.emit(self.key)
        self.done_once = True

    def undo(self) -> None:
        if self.session._save(self.key, self.old):
            self.session.stepped.emit(self.key)


class ReportSession(QObject):
    """The report shown in the window and its undo history."""

    leaving = Signal()  # another report is about to be shown: finish the edits in progress first
    loaded = Signal()  # another report (organisation, year) or the same one after reopen/export
    recomputed = Signal()  # indicators and problems changed
    value_saved = Signal(str)  # key
    save_failed = Signal(str, str)  # key, Vietnamese message
    stepped = Signal(str)  # key changed by undo or redo (perhaps on a page not on screen)

    def __init__(self, app: App, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.state: ReportState | None = None
        self.undo_stack = QUndoStack(self)
        self.last_saved: dt.datetime | None = None
        self._loading = False
        # On the Sở's PC: the agency's report as received (read-only), or None for a report of
        # this PC's own. ``not_received``: an agency the Sở has nothing from (read-only, empty).
        self.received: ReceivedReport | None = None
        self.not_received = False

    # -- reading --------------------------------------------------------------------
    @property
    def catalog(self) -> Catalog:
        """The report's own catalogue edition (an exported report keeps the one it was exported under)."""
        return self.state.catalog if self.state is not None else self.app.catalog

    def require_state(self) -> ReportState:
        if self.state is None:
            raise RuntimeError("no report loaded")
        return self.state

    def load(self, org_code: str, year: int, *, revision: int | None = None) -> None:
        """Show ``org_code``'s report for ``year``: on the Sở's PC an agency's report is the one
        received (``revision``: an older received one), read-only."""
        if self.state is not None:
            self.leaving.emit()  # text still being typed is saved to the report it was typed in
        received, missing = None, False
        if revision is not None or shows_received(self.app, org_code, year):
            received = load_received(self.app, org_code, year, revision)
            state = received.state
        else:
            state = reporting.load_state(self.app, org_code, year)
            missing = self._sees_received_only(org_code) and not state.report.id
            if missing:  # nothing typed here and nothing received: an empty page to look at, not to fill
                state.report = Report(0, org_code, year, EXPORTED, 1)
        self.received, self.not_received = received, missing
        # While the pages are rebuilt, an editor of the old report losing the focus must not
        # save its text into the new one.
        self._loading = True
        try:
            self.state = state
            self.undo_stack.clear()
            self.last_saved = None
            self.loaded.emit()
        finally:
            self._loading = False
        self.recomputed.emit()

    def _sees_received_only(self, org_code: str) -> bool:
        """This PC is set up as the Sở's, and ``org_code`` is an agency expected to report: its report
        comes in packages (a unit that is not, like the coordinating departments, may be typed here)."""
        cat = self.app.catalog
        dept = cat.consolidator().code
        if self.app.store.setting(THIS_ORG) != dept or org_code == dept or not cat.has_org(org_code):
            return False
        return cat.org(org_code).expected_to_report

    @property
    def read_only_reason(self) -> str | None:
        """Why nothing can be typed into the report shown (None when it can, once unlocked)."""
        st = self.state
        if st is None:
            return None
        name = st.org.name(st.year)
        if self.received is not None:
            return f"Đây là báo cáo {name} năm {st.year} đã gửi đến Sở: chỉ để xem, không sửa được."
        if self.not_received:
            return f"Sở chưa nhận báo cáo năm {st.year} của {name}: số liệu do đơn vị nhập và gửi bằng gói báo cáo."
        return None

    def reload(self) -> None:
        st = self.require_state()
        self.load(st.org.code, st.year)

    def field(self, key: str) -> Field:
        return field_for_key(self.catalog, key)

    def value(self, key: str) -> Value | None:
        return self.require_state().entries.get(key)

    def prev_value(self, key: str) -> Value | None:
        prev = self.require_state().prev
        return None if prev is None else prev.get(key)

    @property
    def locked(self) -> bool:
        return self.state is not None and self.state.report.locked

    def current_revision(self) -> dict[str, Any]:
        """The revision row of the report as it stands (verification code once exported)."""
        st = self.require_state()
        rows = self.app.store.revisions(st.report.id)
        return next((r for r in rows if r["revision"] == st.report.revision), {})

    # -- writing --------------------------------------------------------------------
    def commit(self, key: str, value: Value | None, *, typing: bool = False) -> bool:
        """Save ``value`` for ``key`` now (an undoable step). False, with ``save_failed``, if refused."""
        if self._loading:
            log.info("edit of %s while another report is being shown: ignored", key)
            return False
        if self.read_only_reason is not None:
            self.save_failed.emit(key, self.read_only_reason)
            return False
        if self.locked:
            st = self.require_state()
            self.save_failed.emit(
                key,
                f"Báo cáo năm {st.year} đã xuất và đang bị khóa: chọn “Mở lại để sửa” (kèm lý do) trước khi sửa.",
            )
            return False
        old = self.value(key)
        if same_value(old, value):
            return True
        cmd = EditCommand(self, key, old, value, typing)
        self.undo_stack.push(cmd)
        return cmd.ok

    def _save(self, key: str, value: Value | None) -> bool:
        try:
            reporting.set_value(self.app, self.require_state(), key, value)
        except (StoreError, UsageError) as exc:
            log.info("save of %s refused: %s", key, exc)
            self.save_failed.emit(key, str(exc))
            return False
        self.last_saved = dt.datetime.now(VIETNAM)  # shown to the officer: Vietnam time
        self.value_saved.emit(key)
        self.recomputed.emit()
        return True

    def reopen(self, reason: str) -> None:
        """Unlock the exported report (reason required, audited); raises ``StoreError``/``UsageError``."""
        st = self.require_state()
        reporting.reopen(self.app, st.org.code, st.year, reason)
        self.reload()
