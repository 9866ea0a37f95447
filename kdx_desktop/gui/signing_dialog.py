"""The "Ký số" step: sign an exported package (or, at the Sở, the consolidated report's PDF) with
a USB token through its PKCS#11 driver or with a .p12 file.

The driver file is picked once and remembered (QSettings ``signing/pkcs11_driver``), as is the
last .p12 path; the PIN or password never is: it lives in the password field until the signing
is done and is cleared then. pyHanko is imported only when the officer reads the token or signs.

Windows: the driver is the certificate provider's DLL (e.g. ``C:\\Windows\\System32\\…p11.dll``),
of the same bitness as KDX (64-bit); to be checked on a real PC with each provider's token.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from .messages import localize_buttons, show_error, shown

log = logging.getLogger(__name__)

DRIVER_KEY = "signing/pkcs11_driver"
P12_KEY = "signing/p12_path"


@dataclass(frozen=True)
class Signed:
    """What was written: the signed files, who signed and when (text for the message)."""

    files: list[Path]
    signer: str
    when: str


class SigningDialog(QDialog):
    """Choose how to sign, enter the PIN, sign ``target`` (a package ``.zip`` or a ``.pdf``), or
    run ``action(signer)`` instead (the Sở's catalogue edition), with ``intro`` saying what is
    signed."""

    def __init__(
        self,
        target: Path,
        parent: QWidget | None = None,
        *,
        action: Callable[[Any], Signed] | None = None,
        intro: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.target = target
        self.action = action
        self.result_: Signed | None = None
        self.setWindowTitle("Ký số")
        self.setMinimumWidth(640)
        settings = QSettings()

        intro_label = QLabel(
            intro
            or f"Ký số “{target.name}” bằng chứng thư số của cơ quan. Bản ký số được lưu cạnh tệp gốc "
            "(tên kết thúc bằng “_ky-so”); tệp gốc giữ nguyên."
        )
        intro_label.setWordWrap(True)
        self.use_token = QRadioButton("USB ký số (token)")
        self.use_p12 = QRadioButton("Tệp chứng thư số (.p12 / .pfx)")
        group = QButtonGroup(self)
        group.addButton(self.use_token)
        group.addButton(self.use_p12)

        token_box = QGroupBox()
        tl = QGridLayout(token_box)
        tl.addWidget(QLabel("Trình điều khiển (của nhà cung cấp):"), 0, 0)
        self.driver = QLineEdit(str(settings.value(DRIVER_KEY, "") or ""))
        self.driver.setPlaceholderText("Tệp .dll do nhà cung cấp chữ ký số cài (chọn một lần, KDX nhớ)")
        pick_driver = QPushButton("Chọn...")
        tl.addWidget(self.driver, 0, 1)
        tl.addWidget(pick_driver, 0, 2)
        self.read_token = QPushButton("Đọc chứng thư trên USB")
        tl.addWidget(self.read_token, 1, 0)
        self.certs = QListWidget()
        self.certs.setMaximumHeight(90)
        tl.addWidget(self.certs, 2, 0, 1, 3)

        p12_box = QGroupBox()
        pl = QHBoxLayout(p12_box)
        self.p12 = QLineEdit(str(settings.value(P12_KEY, "") or ""))
        pick_p12 = QPushButton("Chọn...")
        pl.addWidget(self.p12, 1)
        pl.addWidget(pick_p12)

        pin_row = QHBoxLayout()
        self.pin_label = QLabel("Mã PIN:")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        pin_row.addWidget(self.pin_label)
        pin_row.addWidget(self.pin, 1)
        note = QLabel("Mã PIN/mật khẩu chỉ dùng cho lần ký này: KDX không lưu, không ghi vào nhật ký.")
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid)")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        localize_buttons(buttons)
        self.sign_button = buttons.addButton("Ký số", QDialogButtonBox.ButtonRole.AcceptRole)

        layout = QVBoxLayout(self)
        layout.addWidget(intro_label)
        layout.addWidget(self.use_token)
        layout.addWidget(token_box)
        layout.addWidget(self.use_p12)
        layout.addWidget(p12_box)
        layout.addLayout(pin_row)
        layout.addWidget(note)
        layout.addWidget(buttons)

        self.token_box, self.p12_box = token_box, p12_box
        (self.use_p12 if self.p12.text() and not self.driver.text() else self.use_token).setChecked(True)
        self.use_token.toggled.connect(self._mode_changed)
        pick_driver.clicked.connect(self._pick_driver)
        pick_p12.clicked.connect(self._pick_p12)
        self.read_token.clicked.connect(self.list_certificates)
        self.sign_button.clicked.connect(self._sign_clicked)
        buttons.rejected.connect(self.reject)
        self._mode_changed()

    # -- choices --------------------------------------------------------------------------
    def _mode_changed(self) -> None:
        token = self.use_token.isChecked()
        self.token_box.setEnabled(token)
        self.p12_box.setEnabled(not token)
        self.pin_label.setText("Mã PIN của USB:" if token else "Mật khẩu tệp:")

    def _pick_driver(self) -> None:
        pattern = (
            "Trình điều khiển PKCS#11 (*.dll)" if sys.platform == "win32" else "Thư viện (*.so *.dylib *.dll)"
        )
        path, _ = QFileDialog.getOpenFileName(
            self, "Chọn trình điều khiển USB ký số", self.driver.text(), pattern
        )
        if path:
            self.driver.setText(path)
            self.list_certificates()

    def _pick_p12(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Chọn tệp chứng thư số", self.p12.text(), "Chứng thư số (*.p12 *.pfx)"
        )
        if path:
            self.p12.setText(path)

    def list_certificates(self) -> bool:
        """Read the certificates on the token (no PIN needed); remember the driver when it works."""
        from ..signing import SigningError
        from ..signing.keys import list_token_certificates

        self.certs.clear()
        driver = Path(self.driver.text().strip())
        try:
            found = list_token_certificates(driver)
        except SigningError as exc:
            show_error(self, "Không đọc được USB ký số", exc.message)
            return False
        QSettings().setValue(DRIVER_KEY, str(driver))
        for c in found:
            item = QListWidgetItem(f"{c.display} - cấp bởi {c.issuer}")
            item.setData(Qt.ItemDataRole.UserRole, (c.token_label, c.cert_id))
            self.certs.addItem(item)
        if found:
            self.certs.setCurrentRow(0)
        else:
            show_error(self, "Không có chứng thư", "USB ký số không có chứng thư số nào.")
        return bool(found)

    # -- signing --------------------------------------------------------------------------
    def _sign_clicked(self) -> None:
        if self.sign():
            self.accept()

    def sign(self) -> bool:
        """Sign with what is filled in; show the reason and return False when it cannot."""
        from ..fsutil import OutputError
        from ..signing import SigningError

        secret = self.pin.text()
        if not secret:
            show_error(self, "Ký số", "Hãy nhập mã PIN (hoặc mật khẩu tệp chứng thư).")
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result_ = self._sign_with(secret)
        except (SigningError, OutputError) as exc:
            show_error(self, "Không ký số được", *shown(exc))
            return False
        finally:
            self.pin.clear()  # used once, never kept
            secret = ""
            QGuiApplication.restoreOverrideCursor()
        return True

    def _sign_with(self, secret: str) -> Signed:
        from ..signing.keys import load_p12, token_signer
        from ..signing.sign import sign_file, sign_pdf_file, vn_time

        def do(signer: Any) -> Signed:
            if self.action is not None:
                return self.action(signer)
            if self.target.suffix.lower() == ".pdf":
                out, holder, when = sign_pdf_file(self.target, signer)
                return Signed([out], holder.name, vn_time(when))
            zip_path, pdf_path, res = sign_file(self.target, signer)
            return Signed([zip_path, pdf_path], res.signer.name, vn_time(res.signed_at))

        if self.use_token.isChecked():
            item = self.certs.currentItem()
            label, cert_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else (None, None)
            with token_signer(
                Path(self.driver.text().strip()), secret, token_label=label, cert_id=cert_id
            ) as signer:
                done = do(signer)
            QSettings().setValue(DRIVER_KEY, self.driver.text().strip())
            return done
        path = Path(self.p12.text().strip())
        done = do(load_p12(path, secret))
        QSettings().setValue(P12_KEY, str(path))
        return done


def run_signing(parent: QWidget, target: Path) -> Signed | None:
    """Show the dialog; after signing, say what was written and offer to open the folder."""
    dialog = SigningDialog(target, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_ is None:
            return None
        done = dialog.result_
    finally:
        dialog.deleteLater()
    signed_done(parent, done)
    return done


def signed_done(parent: QWidget, done: Signed) -> None:
    listing = "\n".join(f"• {p.name}" for p in done.files)
    box = QMessageBox(
        QMessageBox.Icon.Information, "Đã ký số", "", QMessageBox.StandardButton.NoButton, parent
    )
    box.setText(
        f"Đã ký số bởi {done.signer}, lúc {done.when} (giờ Việt Nam).\n\nCác tệp đã ký:\n{listing}\n\n"
        "Gửi Sở tệp gói đã ký (…_ky-so.zip); tệp PDF đã ký dùng để lưu và gửi kèm văn bản điện tử."
    )
    open_folder = box.addButton("Mở &thư mục", QMessageBox.ButtonRole.ActionRole)
    box.addButton("Đóng", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(done.files[0].parent)))


__all__ = ["DRIVER_KEY", "P12_KEY", "Signed", "SigningDialog", "run_signing", "signed_done"]
