"""The organisation set-up (first start and "Cài đặt cơ quan") and the reopen dialog."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QPlainTextEdit, QWidget

from ..core.text import TextError, clean_text
from ..services.identity import PROFILE_FIELDS, identity
from ..services.reporting import App, UsageError
from ..store.repo import StoreError
from .forms.ui_profile_dialog import Ui_ProfileDialog
from .forms.ui_reopen_dialog import Ui_ReopenDialog
from .messages import localize_buttons
from .session import THIS_ORG, ReportSession

log = logging.getLogger(__name__)

__all__ = ["THIS_ORG", "ProfileDialog", "ReopenDialog"]

_MULTILINE = {"recipients_cc"}
_ERROR = "color: #b00020;"


class ProfileDialog(QDialog):
    """Which organisation this PC reports for, and the names printed on its reports."""

    def __init__(
        self,
        app: App,
        year: int,
        first_run: bool = False,
        parent: QWidget | None = None,
        *,
        required: Sequence[str] = (),
        why: str = "",
    ) -> None:
        super().__init__(parent)
        self.app = app
        self.required = tuple(required)
        self.ui = Ui_ProfileDialog()
        self.ui.setupUi(self)
        localize_buttons(self.ui.buttonBox)
        cat = app.catalog
        if first_run:
            self.setWindowTitle("Thiết lập lần đầu")
            self.ui.introLabel.setText(
                "Chào mừng đến với KDX. Hãy chọn cơ quan mà máy tính này lập báo cáo, rồi kiểm tra các thông tin "
                "in trên báo cáo (đã điền sẵn theo Kế hoạch; có thể sửa lại bất cứ lúc nào trong "
                "Tệp > Cài đặt cơ quan)."
            )
        else:
            self.ui.introLabel.setText(
                "Thông tin in trên báo cáo từ năm đã chọn trở đi (tên gọi các năm trước được giữ nguyên)."
            )
        for org in cat.organisations:
            self.ui.orgCombo.addItem(org.label(year), org.code)
        current = app.store.setting(THIS_ORG)
        idx = self.ui.orgCombo.findData(current) if current else 0
        self.ui.orgCombo.setCurrentIndex(max(idx, 0))
        for y in cat.years():
            self.ui.yearCombo.addItem(str(y), y)
        self.ui.yearCombo.setCurrentIndex(max(self.ui.yearCombo.findData(year), 0))
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        self._typed: set[str] = set()  # fields the user has typed in since they were filled
        self._filling = False
        for key, label in PROFILE_FIELDS:
            editor: QLineEdit | QPlainTextEdit
            if key in _MULTILINE:
                editor = QPlainTextEdit(self)
                editor.setTabChangesFocus(True)
                editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 3 + 12)
                editor.textChanged.connect(partial(self._typed_in, key))
            else:
                editor = QLineEdit(self)
                editor.textEdited.connect(partial(self._typed_in, key))
            self.editors[key] = editor
            self.ui.profileForm.addRow(label + ":", editor)
        self.ui.errorLabel.setStyleSheet(_ERROR)
        self.ui.orgCombo.currentIndexChanged.connect(lambda _i: self.fill())
        # Choosing the year the typed names apply from must not throw away what was typed.
        self.ui.yearCombo.currentIndexChanged.connect(lambda _i: self.fill(keep_typed=True))
        self.ui.buttonBox.accepted.connect(self.save)
        self.ui.buttonBox.rejected.connect(self.reject)
        if first_run:
            # Without an organisation the window cannot open: no way round the set-up.
            cancel = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel)
            if cancel is not None:
                cancel.setText("Thoát")
        self.fill()
        if self.required:
            self.mark_required(why)

    def mark_required(self, why: str) -> None:
        """Show, at each field of :attr:`required`, that it must be filled in (and why)."""
        labels = dict(PROFILE_FIELDS)
        for key in self.required:
            editor = self.editors[key]
            editor.setStyleSheet("border: 1px solid #b00020;")
            editor.setToolTip(f"Bắt buộc: {why}")
            if isinstance(editor, QLineEdit):
                editor.setPlaceholderText("Bắt buộc: in ở khối chữ ký của báo cáo")
            label = self.ui.profileForm.labelForField(editor)
            if label is not None:
                label.setStyleSheet(_ERROR)
        names = ", ".join(f"“{labels[k]}”" for k in self.required)
        self.ui.errorLabel.setText(f"Cần nhập {names} {why}.")
        self.editors[self.required[0]].setFocus()

    def org_code(self) -> str:
        return str(self.ui.orgCombo.currentData())

    def year(self) -> int:
        return int(self.ui.yearCombo.currentData())

    def _typed_in(self, key: str, *_args: object) -> None:
        if not self._filling:
            self._typed.add(key)

    def fill(self, keep_typed: bool = False) -> None:
        """Show the saved profile of the chosen organisation and year; with ``keep_typed`` the
        fields typed in since are left as typed."""
        if not keep_typed:
            self._typed.clear()
        ident = identity(self.app.catalog, self.app.store, self.org_code(), self.year()).as_json()
        self._filling = True
        try:
            for key, editor in self.editors.items():
                if key in self._typed:
                    continue
                text = str(ident.get(key) or "")
                if isinstance(editor, QPlainTextEdit):
                    editor.setPlainText(text)
                else:
                    editor.setText(text)
        finally:
            self._filling = False
        if not self.required:
            self.ui.errorLabel.setText("")

    def values(self) -> dict[str, str]:
        """The typed profile, NFC and checked; raises ``TextError`` naming the field."""
        out = {}
        labels = dict(PROFILE_FIELDS)
        for key, editor in self.editors.items():
            raw = editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
            try:
                out[key] = clean_text(raw.strip(), max_length=2000, multiline=key in _MULTILINE)
            except TextError as exc:
                raise TextError(f"{labels[key]}: {exc}") from None
        if not out.get("name"):
            raise TextError(f"{labels['name']}: không được để trống")
        for key in self.required:
            if not out.get(key):
                raise TextError(f"{labels[key]}: không được để trống (in ở khối chữ ký của báo cáo)")
        return out

    def save(self) -> None:
        try:
            fields = self.values()
        except TextError as exc:
            self.ui.errorLabel.setText(f"Chưa lưu. {exc}.")
            return
        store = self.app.store
        if store.setting(THIS_ORG) != self.org_code():
            store.set_setting(THIS_ORG, self.org_code())
        store.save_profile(self.org_code(), self.year(), fields)
        log.info("profile of %s from %s saved", self.org_code(), self.year())
        self.accept()


class ReopenDialog(QDialog):
    """Reopen an exported report for correction: the reason is required and audited."""

    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ui = Ui_ReopenDialog()
        self.ui.setupUi(self)
        localize_buttons(self.ui.buttonBox)
        ok = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText("Mở lại để sửa")
        st = session.require_state()
        rev = session.current_revision()
        self.ui.infoLabel.setText(
            f"Báo cáo của {st.org.name(st.year)} năm {st.year} đã xuất lần {st.report.revision} "
            f"(mã xác thực {rev.get('verification_code') or '—'}). Mở lại để sửa sẽ bắt đầu lần {st.report.revision + 1}; "
            "bản đã gửi vẫn giữ nguyên, lần xuất sau thay thế nó."
        )
        self.ui.errorLabel.setStyleSheet(_ERROR)
        self.ui.buttonBox.accepted.connect(self.submit)
        self.ui.buttonBox.rejected.connect(self.reject)

    def submit(self) -> None:
        reason = self.ui.reasonEdit.toPlainText().strip()
        if not reason:
            self.ui.errorLabel.setText("Phải nêu lý do mở lại báo cáo.")
            return
        try:
            self.session.reopen(reason)
        except (StoreError, UsageError, ValueError) as exc:
            self.ui.errorLabel.setText(f"Chưa mở lại được: {exc}")
            return
        self.accept()
