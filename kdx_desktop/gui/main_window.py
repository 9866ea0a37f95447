"""The main window: a shell that puts the pieces together (organisation and year selectors, the
section pages, the indicator and problem panel, the lock banner, menus and status bar)."""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow

from .. import paths
from ..core.catalog import Organisation
from ..core.deadlines import days_left, deadline_note, today_in_vietnam
from ..core.rules import ERROR, REQUIRED_RULE, involved_fields
from ..core.values import justification_key
from ..core.vntime import VIETNAM, vn_datetime
from ..services.reporting import App
from . import messages
from .backup_menu import BackupController
from .editors import finish_editing
from .forms.ui_main_window import Ui_MainWindow
from .messages import show_error, show_info
from .models import field_label
from .report_pages import ReportPages
from .session import THIS_ORG, ReportSession
from .side_panel import SidePanel
from .window_layout import PanelLayout, fit_into

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent

    from ..store.repo import EditionSignature
    from .guide_viewer import GuideViewer
    from .intake_page import IntakePage

log = logging.getLogger(__name__)


def icon(name: str) -> QIcon:
    return QIcon(str(paths.resource_path("icons", f"{name}.svg")))


def _vn_time(iso: str) -> str:
    """``2026-11-26T03:21:05+00:00`` → ``10:21 ngày 26/11/2026`` (Vietnam time)."""
    return vn_datetime(iso)


def _copy_tooltip(source: QAction, target: QAction) -> None:
    try:
        target.setToolTip(source.text())
    except RuntimeError:  # the window is being torn down
        pass


def default_year(app: App) -> int:
    """This year while it is in the plan, else the plan's nearest year."""
    years = app.catalog.years()
    return min(max(today_in_vietnam().year, years.start), years.stop - 1)


class MainWindow(QMainWindow):
    def __init__(self, app: App, org: str | None = None, year: int | None = None) -> None:
        super().__init__()
        self.app = app
        self.ui = ui = Ui_MainWindow()
        ui.setupUi(self)
        self.setWindowIcon(icon("kdx"))
        self.session = ReportSession(app, self)
        self.pages = ReportPages(ui.sectionTree, ui.pageStack, self.session)
        self.side = SidePanel(ui, self.session)
        self.side.jump_requested.connect(self.pages.show_key)
        self.session.stepped.connect(self._show_stepped)
        self._setup_actions()
        # The indicator and problem panel: beside the form, under it or folded away, as the window's
        # size allows; it is about the open report, so the intake page gets its room.
        self.panel_toggle = QAction("Chỉ tiêu và vấn đề", self)
        self.panel_toggle.setToolTip("Hiện hoặc ẩn bảng chỉ tiêu và danh sách vấn đề cần xử lý")
        ui.toolBar.addSeparator()
        ui.toolBar.addAction(self.panel_toggle)
        self.panel = PanelLayout(ui, self.panel_toggle, self)
        self.pages.report_page_shown.connect(self.panel.set_report_shown)
        ui.centralwidget.installEventFilter(self)
        self._lock_icon = lock_icon = QLabel(self)
        lock_icon.setPixmap(icon("lock").pixmap(24, 24))
        ui.lockLayout.insertWidget(0, lock_icon)
        self._deadline = QLabel(self)
        ui.statusbar.addPermanentWidget(self._deadline)
        self._status = QLabel(self)
        ui.statusbar.addPermanentWidget(self._status)
        # The catalogue edition of the report shown; on a screen too narrow for the whole status
        # it gives way (the About box names it too) rather than hold the window wider or cut text.
        self._edition = QLabel(self)
        self._edition.setMinimumWidth(1)  # never what holds the window wide: it hides instead
        ui.statusbar.addPermanentWidget(self._edition)
        ui.centralLayout.setStretch(2, 1)  # extra height goes to the pages, not the selectors
        # Every pane has a stretch factor, so a window narrower or wider than the first sizes
        # changes the panes in proportion, instead of taking the whole difference out of the form.
        ui.mainSplitter.setStretchFactor(0, 1)
        self.session.leaving.connect(lambda: finish_editing(self))
        self.session.loaded.connect(self._show_lock_state)
        self.session.value_saved.connect(self._saved)
        self.session.save_failed.connect(self._refused)
        self._add_review_parts()
        self.backups = BackupController(self, app, self.data_replaced)
        ui.actionBackupNow.triggered.connect(self.backups.backup_now)
        ui.actionRestore.triggered.connect(self.backups.restore_from_menu)
        self.intake: IntakePage | None = None
        self.guide: GuideViewer | None = None  # the user guide's window, once opened
        self._add_intake_page()
        self.setAcceptDrops(True)  # packages dropped anywhere on the window go to the intake page
        self._fill_selectors(org, year)
        ui.orgCombo.currentIndexChanged.connect(self._selection_changed)
        ui.yearCombo.currentIndexChanged.connect(self._selection_changed)
        self._restore_geometry()
        self._selection_changed()

    # -- set-up -------------------------------------------------------------------------
    def _setup_actions(self) -> None:
        ui = self.ui
        stack = self.session.undo_stack
        self.undo_action = stack.createUndoAction(self, "Hoàn tác")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setIcon(icon("undo"))
        self.redo_action = stack.createRedoAction(self, "Làm lại")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.setIcon(icon("redo"))
        ui.menuEdit.addAction(self.undo_action)
        ui.menuEdit.addAction(self.redo_action)
        # The toolbar keeps short labels; the menu items (and tooltips) say which edit is undone.
        for text, name, step, can, changed, source in (
            ("Hoàn tác", "undo", stack.undo, stack.canUndo, stack.canUndoChanged, self.undo_action),
            ("Làm lại", "redo", stack.redo, stack.canRedo, stack.canRedoChanged, self.redo_action),
        ):
            action = QAction(icon(name), text, self)
            action.triggered.connect(step)
            action.setEnabled(can())
            changed.connect(action.setEnabled)
            source.changed.connect(lambda a=action, src=source: _copy_tooltip(src, a))
            ui.toolBar.addAction(action)
        ui.actionExport.setIcon(icon("export"))
        ui.actionExport.triggered.connect(self.export)
        ui.actionDraft.setIcon(icon("draft"))
        self._tips = {"draft": ui.actionDraft.toolTip(), "export": ui.actionExport.toolTip()}
        # A disabled menu item says why in its tooltip.
        ui.menuFile.setToolTipsVisible(True)
        ui.actionDraft.triggered.connect(self.print_draft)
        # After "Xuất báo cáo": the Ký số step (also offered in the export's closing message).
        self.sign_action = QAction("&Ký số gói báo cáo...", self)
        self.sign_action.setToolTip("Ký số gói báo cáo đã xuất bằng USB ký số hoặc tệp chứng thư số (.p12)")
        self.sign_action.triggered.connect(self.sign_package)
        ui.menuFile.insertAction(ui.actionBackupNow, self.sign_action)
        ui.actionSettings.triggered.connect(self.edit_profile)
        self.catalog_action = QAction("Cập nhật danh mục...", self)
        self.catalog_action.setToolTip("Cài đặt lần ban hành danh mục mới do Sở gửi (tệp .kdxdm)")
        self.catalog_action.triggered.connect(self.update_catalog)
        ui.menuFile.insertAction(ui.actionSettings, self.catalog_action)
        # Every PC: an agency trusts the Sở's certificate provider to check signed editions.
        self.trust_action = QAction("Chứng thư số tin cậy...", self)
        self.trust_action.setToolTip("Chứng thư gốc và danh sách thu hồi dùng để kiểm tra chữ ký số")
        self.trust_action.triggered.connect(self.show_trust)
        ui.menuFile.insertAction(ui.actionSettings, self.trust_action)
        # At the Sở: the catalogue as a workbook to edit, and a new edition built from it.
        self.catalog_export_action = QAction("Ghi danh mục ra bảng tính...", self)
        self.catalog_export_action.triggered.connect(self.export_catalog_workbook)
        self.catalog_build_action = QAction("Lập lần ban hành danh mục...", self)
        self.catalog_build_action.setToolTip(
            "Kiểm tra bảng tính danh mục đã sửa và ghi tệp danh mục (.kdxdm)"
        )
        self.catalog_build_action.triggered.connect(self.build_catalog_edition)
        self.catalog_sign_action = QAction("Ký số tệp danh mục...", self)
        self.catalog_sign_action.setToolTip("Ký số tệp danh mục (.kdxdm) đã lập mà chưa ký")
        self.catalog_sign_action.triggered.connect(self.sign_catalog_edition)
        for action in (self.catalog_export_action, self.catalog_build_action, self.catalog_sign_action):
            ui.menuFile.insertAction(ui.actionSettings, action)
        ui.actionQuit.triggered.connect(self.close)
        ui.actionAbout.triggered.connect(self._about)
        ui.actionUserGuide.triggered.connect(self.open_user_guide)
        ui.reopenButton.clicked.connect(self.reopen)

    def _add_review_parts(self) -> None:
        """A received report's banner (after the lock banner's own update, which it refines) and
        the Sở's comments in the problem panel (gui/received_view.py, gui/review_panel.py)."""
        from .received_view import ReceivedBanner
        from .review_panel import ReviewPanel

        ui = self.ui
        self.received_banner = ReceivedBanner(ui, self.session, self)
        self.review_panel = ReviewPanel(self.session, self.pages, self)
        # A third pane of the indicator and problem panel (beside or under the form, as it goes).
        ui.sideSplitter.addWidget(self.review_panel)
        ui.sideSplitter.setStretchFactor(2, 1)
        self.review_panel.shown.connect(self._share_side_panel)
        self.review_panel.jump_requested.connect(self.pages.show_key)
        ui.menuFile.insertAction(ui.actionBackupNow, self.review_panel.import_action)

    def _share_side_panel(self) -> None:
        """The panel's panes share its room equally once the comments pane shows."""
        from PySide6.QtCore import QTimer

        self._share_pending = True
        QTimer.singleShot(0, self._share_now)

    def _share_now(self) -> None:
        """Done once the panel has a size (a pane shown before the window is has none yet)."""
        side = self.ui.sideSplitter
        total = sum(side.sizes())
        if getattr(self, "_share_pending", False) and total > 0 and side.isVisible():
            side.setSizes([total // side.count()] * side.count())
            self._share_pending = False

    def open_report(self, org: str, year: int) -> None:
        """Show ``org``'s report for ``year`` on its first page (the status board's "Xem báo cáo")."""
        self.load(org, year)
        self.pages.show_first_page()

    def _add_intake_page(self) -> None:
        """The Sở's intake page, on the Sở's PC only (imported there only: an agency's start
        does not pay for it)."""
        if not self.is_department_pc():
            return
        from .intake_page import IntakePage

        try:
            page = IntakePage(self.app, self)
        except Exception:  # a fault while building the page must not keep the report form from opening
            log.exception("intake page failed to open")
            return
        page.open_requested.connect(self.open_report)  # a row of its board opens that report
        page.follow_session(self.session)  # its year box follows the year at the top
        self.pages.pin("Tiếp nhận báo cáo của các đơn vị", page)
        self.intake = page

    def this_org(self) -> str | None:
        return self.app.store.setting(THIS_ORG)

    def is_department_pc(self) -> bool:
        this = self.this_org()
        return this is None or this == self.app.catalog.consolidator().code

    def reachable_orgs(self) -> list[Organisation]:
        """Every organisation for the Sở's PC, its own for an agency's PC."""
        cat = self.app.catalog
        this = self.this_org()
        if self.is_department_pc() or this is None or not cat.has_org(this):
            return list(cat.organisations)
        return [cat.org(this)]

    def _fill_selectors(self, org: str | None, year: int | None) -> None:
        ui = self.ui
        year = year or default_year(self.app)
        for y in self.app.catalog.years():
            ui.yearCombo.addItem(str(y), y)
        ui.yearCombo.setCurrentIndex(max(ui.yearCombo.findData(year), 0))
        self._fill_orgs(org or self.this_org())

    def _fill_orgs(self, wanted: str | None) -> None:
        combo = self.ui.orgCombo
        year = int(self.ui.yearCombo.currentData())
        combo.blockSignals(True)
        combo.clear()
        for o in self.reachable_orgs():
            combo.addItem(o.label(year), o.code)
        combo.setCurrentIndex(max(combo.findData(wanted), 0) if wanted else 0)
        combo.setEnabled(combo.count() > 1)
        combo.blockSignals(False)

    # -- loading ------------------------------------------------------------------------
    def _selection_changed(self) -> None:
        org = str(self.ui.orgCombo.currentData())
        year = int(self.ui.yearCombo.currentData())
        st = self.session.state
        if st is not None and not self.may_leave("chuyển sang báo cáo khác"):
            self._show_selection(st.org.code, st.year)  # stay on the report with the typed text
            return
        self.load(org, year)

    def unsaved_fields(self) -> list[tuple[str, str]]:
        """(key, name) of every box holding typed text that was refused, after the box being
        typed in has been committed."""
        finish_editing(self)
        found = [(key, field_label(self.app.catalog, key)) for key in self.pages.unsaved()]
        if self.side.unsaved and self.side.current is not None:
            rule, field = self.side.current
            name = f"Giải trình cảnh báo về “{field_label(self.app.catalog, field)}”"
            found.append((justification_key(rule, field), name))
        return found

    def may_leave(self, what: str) -> bool:
        """True unless refused typed text would be lost and the officer chooses to go back to it."""
        unsaved = self.unsaved_fields()
        if not unsaved or messages.ask_discard_unsaved(self, what, [name for _key, name in unsaved]):
            return True
        key = unsaved[0][0]
        if not self.pages.show_key(key):
            self.ui.justificationEdit.setFocus()
        return False

    def load(self, org: str, year: int) -> None:
        """Show the report of ``org`` for ``year`` (as choosing them at the top does)."""
        self._show_selection(org, year)
        # Names change over the years (2025): relabel the organisations for the chosen year.
        self._fill_orgs(org)
        self.session.load(org, year)

    def _show_selection(self, org: str, year: int) -> None:
        """The selectors at the top show ``org`` and ``year`` (without loading anything)."""
        ui = self.ui
        for combo, value in ((ui.yearCombo, year), (ui.orgCombo, org)):
            idx = combo.findData(value)
            if idx >= 0 and idx != combo.currentIndex():
                combo.blockSignals(True)
                combo.setCurrentIndex(idx)
                combo.blockSignals(False)

    def _show_lock_state(self) -> None:
        st = self.session.require_state()
        # One title: the application's display name ("KDX") is added by Qt after " — ".
        self.setWindowTitle(f"{st.org.label(st.year)} - năm {st.year}")
        locked = st.report.locked
        ui = self.ui
        ui.lockBanner.setVisible(locked)
        if locked:
            rev = self.session.current_revision()
            when = _vn_time(str(rev.get("exported_at") or ""))
            ui.lockLabel.setText(
                f"Báo cáo đã xuất lần {st.report.revision} lúc {when}, mã xác thực "
                f"<b>{rev.get('verification_code') or '—'}</b>. Báo cáo chỉ để xem; muốn sửa, chọn “Mở lại để sửa”."
            )
            ui.lockBanner.setStyleSheet("QFrame#lockBanner { background: #fff4d6; }")
        elif st.edition_notice:
            # A reopened report moved to a newer catalogue edition: the banner says so (no lock).
            ui.lockBanner.setVisible(True)
            ui.lockLabel.setText(html.escape(st.edition_notice))
            ui.lockBanner.setStyleSheet("QFrame#lockBanner { background: #e3f0fb; }")
        ui.reopenButton.setVisible(locked)
        self._report_actions()
        at_department = self.is_department_pc()  # only the Sở edits and issues the catalogue
        self.catalog_export_action.setVisible(at_department)
        self.catalog_build_action.setVisible(at_department)
        self.catalog_sign_action.setVisible(at_department)
        self._lock_icon.setVisible(locked)
        ui.saveStateLabel.setText("")
        self._update_status()

    def _report_actions(self) -> None:
        """The actions that act on the report shown make no sense on an agency's report at the Sở
        (received, or not yet): disabled there, their tooltip saying why."""
        ui = self.ui
        if self.session.received is not None:
            why = "Đây là báo cáo đơn vị đã gửi đến Sở: chỉ để xem."
            draft = f"{why} Bản in của đơn vị: nút “Tệp đã gửi (PDF, minh chứng)...” trên dải màu xanh."
        elif self.session.not_received:
            why = draft = "Sở chưa nhận báo cáo của đơn vị này: không có gì để in hay xuất."
        else:
            why = draft = ""
        locked = self.session.require_state().report.locked
        ui.actionDraft.setEnabled(not why)
        ui.actionDraft.setToolTip(draft or self._tips["draft"])
        ui.actionExport.setEnabled(not why and not locked)
        export_tip = "Báo cáo đã xuất và đang khóa: chọn “Mở lại để sửa” để sửa rồi xuất lần sau."
        ui.actionExport.setToolTip(
            f"{why} Chỉ đơn vị xuất được báo cáo của mình."
            if why
            else export_tip
            if locked
            else self._tips["export"]
        )

    def _update_status(self) -> None:
        st = self.session.require_state()
        state = "Đã xuất, đang khóa" if st.report.locked else "Bản nháp"
        if self.session.received is not None:
            state = "Báo cáo đã nhận, chỉ xem"
        elif self.session.not_received:
            state = "Sở chưa nhận báo cáo"
        text = f"{st.org.abbreviation(st.year)} · năm {st.year} · {state} lần {st.report.revision}"
        if self.session.last_saved is not None:
            text += f" · lưu lúc {self.session.last_saved:%H:%M:%S}"
        self._status.setText(text)
        ed = st.catalog.edition
        signed = self.app.store.edition_signatures().get(ed.number)
        self._edition.setText(f"Danh mục lần {ed.number}" + (" · đã ký số" if signed else ""))
        tip = f"{ed.label}; nơi ban hành: {ed.issuer}"
        self._edition.setToolTip(
            tip + (f"\nChữ ký số của Sở: {self._signed_phrase(signed)}" if signed else "")
        )
        self._show_deadline()
        self._fit_status()

    def _show_deadline(self) -> None:
        """The deadline of the report being edited and the days left (red once passed); an
        exported report has been sent, so it says nothing."""
        st = self.session.require_state()
        label = self._deadline
        if st.report.locked:
            label.hide()
            return
        left = days_left(st.catalog, st.year, today_in_vietnam())
        label.setText(deadline_note(st.catalog, st.year, today_in_vietnam()))
        style = "color: #b00020; font-weight: bold;" if left < 0 else "color: #8a4b00;" if left <= 7 else ""
        if label.styleSheet() != style:
            label.setStyleSheet(style)
        label.show()

    def _saved(self, key: str) -> None:
        at = self.session.last_saved or dt.datetime.now(VIETNAM)
        st = self.session.require_state()
        cat = self.app.catalog
        about = [i for i in st.issues if i.rule != REQUIRED_RULE and key in involved_fields(cat, i)]
        if any(i.severity == ERROR for i in about):
            text, style = f"⚠ Đã lưu lúc {at:%H:%M:%S}, còn lỗi (xem dưới ô)", "color: #b00020;"
        elif about:
            text, style = f"⚠ Đã lưu lúc {at:%H:%M:%S}, cần giải trình", "color: #8a4b00;"
        else:
            text, style = f"✓ Đã lưu lúc {at:%H:%M:%S}", "color: #006e28;"
        self.ui.saveStateLabel.setText(text)
        self._save_state_style(style)
        self._update_status()

    def _refused(self, _key: str, message: str) -> None:
        self.ui.saveStateLabel.setText("✗ Chưa lưu")
        self._save_state_style("color: #b00020;")
        self.ui.statusbar.showMessage(message, 15000)

    def _save_state_style(self, style: str) -> None:
        label = self.ui.saveStateLabel
        if label.styleSheet() != style:  # a style sheet re-polishes: not on every save
            label.setStyleSheet(style)

    def _show_stepped(self, key: str) -> None:
        """Undo and redo show what they changed, which may be on another page or a justification."""
        if self.pages.show_key(key):
            return
        parts = key.split(".", 2)
        if parts[0] == "justification" and len(parts) == 3:
            self.side.select_problem(parts[1], parts[2])

    def data_replaced(self) -> None:
        """After a restore: everything shown comes again from the (new) database."""
        st = self.session.state
        org = st.org.code if st is not None else self.this_org()
        self._fill_orgs(org)
        self._selection_changed()
        if self.intake is not None:
            self.intake.data_replaced()

    # -- actions ------------------------------------------------------------------------
    def update_catalog(self) -> bool:
        """Tệp → "Cập nhật danh mục": install a new edition, then show everything under it."""
        from .catalog_update import update_catalog

        if not update_catalog(self, self.app):
            return False
        self.data_replaced()
        return True

    def show_trust(self) -> None:
        """Tệp → "Chứng thư số tin cậy": the trust store (at the Sở, through its intake page,
        which shows the received signatures checked again)."""
        if self.intake is not None:
            self.intake.show_trust()
            return
        from .trust_dialog import TrustDialog

        dialog = TrustDialog(self.app, self)
        dialog.exec()
        dialog.deleteLater()

    def export_catalog_workbook(self) -> bool:
        from .catalog_update import export_catalog_workbook

        return export_catalog_workbook(self, self.app)

    def build_catalog_edition(self) -> bool:
        from .catalog_update import build_catalog_edition

        return build_catalog_edition(self, self.app)

    def sign_catalog_edition(self) -> bool:
        from .catalog_update import sign_catalog_edition

        return sign_catalog_edition(self, self.app)

    def print_draft(self) -> bool:
        """Print the report on screen as a draft (PDF and workbook), valid or not; nothing locked."""
        from .export_flow import run_draft

        return run_draft(self, self.session)

    def export(self) -> bool:
        # Imported when asked for: its file and progress dialogs are not needed to start.
        from .export_flow import run_export

        return run_export(self, self.session)

    def sign_package(self) -> bool:
        from .export_flow import run_sign_file

        return run_sign_file(self)

    def reopen(self) -> bool:
        from .dialogs import ReopenDialog  # the dialogs are imported when first asked for

        dialog = ReopenDialog(self.session, self)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def edit_profile(self) -> None:
        from .dialogs import ProfileDialog

        dialog = ProfileDialog(self.app, self.session.require_state().year, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.profile_saved()

    def profile_saved(self) -> None:
        """The organisation of this PC may have changed: the selector offers what it may now
        report for, and shows the report on screen only if that is still one of them."""
        shown = self.session.require_state()
        added = self.is_department_pc() and self.intake is None
        if added:
            self._add_intake_page()
        removed = not self.is_department_pc() and self.intake is not None and self._remove_intake_page()
        self._fill_orgs(shown.org.code)
        if added or removed or self.ui.orgCombo.currentData() != shown.org.code:
            self._selection_changed()

    def _remove_intake_page(self) -> bool:
        """This PC became an agency's: the Sở's intake page goes (not while it imports)."""
        from . import background

        if self.intake is None or background.busy():
            return False
        self.pages.unpin(self.intake)
        self.intake = None
        return True

    def open_user_guide(self) -> bool:
        """Show the Vietnamese user guide inside the program (no browser needed)."""
        guide = paths.user_guide_path()
        if not guide.is_file():
            show_error(
                self, "Hướng dẫn sử dụng", f"Không tìm thấy tệp hướng dẫn “{guide}”. Hãy cài đặt lại KDX."
            )
            return False
        from .guide_viewer import GuideViewer  # imported when first asked for

        if self.guide is None:
            self.guide = GuideViewer(guide, self)
        if self.guide.isVisible():  # already open behind the window: bring it forward
            self.guide.raise_()
            self.guide.activateWindow()
        self.guide.show()
        return True

    @staticmethod
    def _signed_phrase(signed: EditionSignature) -> str:
        """``đã ký số bởi …, lúc …`` for an edition installed with the Sở's signature."""
        from ..services.editions import signature_phrase

        return signature_phrase(signed)

    def _about(self) -> None:
        from .. import __version__

        cat = self.app.catalog
        signed = self.app.store.edition_signatures().get(cat.edition.number)
        show_info(
            self,
            "Giới thiệu chương trình",  # Qt adds " — KDX"
            f"KDX phiên bản {__version__}: báo cáo kết quả thực hiện Kế hoạch chuyển đổi số báo chí.\n"
            f"Danh mục phiên bản {cat.version}.\n"
            f"{cat.edition.label}; nơi ban hành: {cat.edition.issuer}; áp dụng các năm "
            f"{cat.edition.year_from}-{cat.edition.year_to}.\n"
            + (f"Chữ ký số của Sở: {self._signed_phrase(signed)}.\n" if signed else "")
            + f"Thư mục dữ liệu: {self.app.data_dir}",
        )

    # -- geometry (QSettings, INI: only the window's own state) ------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.ui.centralwidget and event.type() == QEvent.Type.Resize:
            size = self.ui.centralwidget.size()
            self.panel.arrange(size.width(), size.height())
            self._fit_status()
            self._share_now()
        return False

    def _fit_status(self) -> None:
        """Show the edition in the status bar when the other permanent labels leave it room."""
        others = sum(w.sizeHint().width() for w in (self._status, self._deadline) if not w.isHidden())
        room = self.width() - others - 60  # the message area keeps a little
        self._edition.setVisible(self._edition.sizeHint().width() <= room)

    def _restore_geometry(self) -> None:
        s = QSettings()
        geometry = s.value("window/geometry")
        screen = self.screen().availableGeometry()
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            self._keep_on_screen()
        elif screen.width() <= 1440 or screen.height() <= 820:
            # First start: fill a laptop screen, stay a comfortable size on a large one. Sized to
            # the screen first: without a window manager to honour "maximised" (or before it does),
            # the form's designed size (1280×760) would overhang a 1024×768 screen.
            self.setGeometry(fit_into(self.geometry(), screen))
            self.setWindowState(Qt.WindowState.WindowMaximized)
        else:
            self.resize(1320, 820)
        self._arrange_for_own_size()

    def _arrange_for_own_size(self) -> None:
        """The side panel laid out for the window's size before the window is shown: laid out only
        once shown, a tall panel (a received report at the Sở, with its comments) first stretched
        the window past a small screen, to the height it asks for beside or under the form."""
        ui = self.ui
        bars = sum(bar.sizeHint().height() for bar in (ui.menubar, ui.toolBar, ui.statusbar))
        self.panel.arrange(self.width(), max(self.height() - bars, 0))

    def _keep_on_screen(self) -> None:
        """Saved on a bigger screen (or a second one since unplugged): never larger than this one."""
        screen = self.screen().availableGeometry()
        if self.isMaximized() or self.isFullScreen() or screen.contains(self.frameGeometry()):
            return
        frame = fit_into(self.frameGeometry(), screen)
        margins = self.frameGeometry().size() - self.geometry().size()
        self.resize(frame.size() - margins)
        self.move(frame.topLeft())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The title bar's size is known once the window is shown: check again with it.
        self._keep_on_screen()
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self._share_now)  # the panel has its size once the window is shown

    # -- files given to the program (dragged onto KDX.exe, "Open with") or dropped on it ----
    def open_files(self, paths: Sequence[Path]) -> bool:
        """Import report packages given to the program, on the Sở's PC; say why not elsewhere.
        True when they went to the intake page."""
        packages = [p for p in paths if p.is_dir() or p.suffix.lower() == ".zip"]
        others = [p.name for p in paths if p not in packages]
        if others:
            show_error(
                self,
                "Không mở được tệp",
                "KDX chỉ mở gói báo cáo (tệp .zip) hoặc thư mục chứa các gói; không mở: "
                + ", ".join(others)
                + ".",
            )
        if not packages:
            return False
        if self.intake is None or not hasattr(self.intake, "import_files"):
            show_error(
                self,
                "Không nhập được gói báo cáo",
                "Máy này đang dùng cho một cơ quan báo chí: chỉ máy của Sở nhập gói báo cáo của các đơn vị. "
                "Nếu đây là máy của Sở, hãy chọn Sở trong Tệp → Cài đặt cơ quan rồi mở lại gói.",
            )
            return False
        self.pages.show_pinned(self.intake)
        self.intake.import_files(packages)
        return True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_files(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_leave("thoát KDX"):
            event.ignore()
            return
        s = QSettings()
        s.setValue("window/geometry", self.saveGeometry())
        self.backups.at_exit()
        super().closeEvent(event)
