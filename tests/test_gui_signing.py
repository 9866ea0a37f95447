"""The window's Ký số step (token through its driver, remembered; or a .p12) and the Sở's trust
store dialog, driven as an officer would; the PIN is never kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kdx_desktop.gui.settings_file import use_ini_settings
from tests.signing_fixtures import Exported, Pki, fresh_copy
from tests.signing_pki import P12_PASSWORD, TOKEN_PIN


@pytest.fixture
def settings_dir(tmp_path: Path) -> Path:
    d = tmp_path / "settings-home"
    d.mkdir()
    use_ini_settings(d)
    return d


def _settings_text(d: Path) -> str:
    return "".join(p.read_text("utf-8", "replace") for p in d.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("means", "wrong", "refusal"),
    [("token", "000000", "Mã PIN không đúng"), ("p12", "sai", "sai mật khẩu")],
)
def test_sign_refuses_a_wrong_secret_then_signs_remembering_the_source_never_the_secret(
    means: str,
    wrong: str,
    refusal: str,
    qtbot: Any,
    pki: Pki,
    exported: Exported,
    tmp_path: Path,
    settings_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a token (through its driver) or a .p12 file: a wrong PIN or password is refused, said,
    nothing written and the field cleared; the right one signs; the driver or file is remembered
    for the next time, the PIN or password never."""
    from PySide6.QtCore import QSettings

    from kdx_desktop.gui import signing_dialog
    from kdx_desktop.gui.signing_dialog import DRIVER_KEY, P12_KEY, SigningDialog

    errors: list[str] = []
    monkeypatch.setattr(
        signing_dialog, "show_error", lambda parent, title, text, details="": errors.append(text)
    )
    package = fresh_copy(exported.package, tmp_path / "out")
    dialog = SigningDialog(package)
    qtbot.addWidget(dialog)
    if means == "token":
        source, key, secret = pki.module, DRIVER_KEY, TOKEN_PIN
        dialog.resize(1024 * 6 // 10, dialog.sizeHint().height())
        dialog.use_token.setChecked(True)
        dialog.driver.setText(str(source))
        assert dialog.list_certificates()
        assert dialog.certs.count() == 1 and "Nguyễn Văn An" in dialog.certs.item(0).text()
        dialog.grab().save(str(tmp_path / "ky-so.png"))
    else:
        source, key, secret = pki.p12, P12_KEY, P12_PASSWORD
        dialog.use_p12.setChecked(True)
        assert dialog.pin_label.text() == "Mật khẩu tệp:" and not dialog.token_box.isEnabled()
        dialog.p12.setText(str(source))
        assert not dialog.sign() and "nhập mã PIN" in errors[-1]  # nothing typed
    dialog.pin.setText(wrong)
    assert not dialog.sign() and refusal in errors[-1]
    assert dialog.pin.text() == "" and sorted(p.name for p in package.parent.iterdir()) == [package.name]
    dialog.pin.setText(secret)
    assert dialog.sign()
    assert dialog.result_ is not None and dialog.result_.signer == "Nguyễn Văn An"
    assert sorted(p.name for p in package.parent.iterdir()) == [
        "BaoCao_BQN_2025_lan1.zip",
        "BaoCao_BQN_2025_lan1_ky-so.pdf",
        "BaoCao_BQN_2025_lan1_ky-so.zip",
    ]
    QSettings().sync()
    assert QSettings().value(key) == str(source)
    assert secret not in _settings_text(settings_dir) and dialog.pin.text() == ""
    # The next time the dialog opens, the driver or the file is already there, and chosen.
    again = SigningDialog(package)
    qtbot.addWidget(again)
    field, chosen = (again.driver, again.use_token) if means == "token" else (again.p12, again.use_p12)
    assert field.text() == str(source) and chosen.isChecked()


def test_trust_dialog_installs_a_root_and_rechecks(
    qtbot: Any, pki: Pki, exported: Exported, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kdx_desktop.gui import trust_dialog
    from kdx_desktop.gui.intake_page import IntakePage
    from kdx_desktop.gui.trust_dialog import TrustDialog
    from kdx_desktop.services.intake import import_paths
    from kdx_desktop.services.reporting import open_app
    from kdx_desktop.signing.keys import load_p12
    from kdx_desktop.signing.sign import sign_file

    shown: list[str] = []
    monkeypatch.setattr(trust_dialog, "show_info", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(trust_dialog, "show_error", lambda parent, title, text: shown.append(text))
    (tmp_path / "so").mkdir()
    app = open_app(tmp_path / "so")
    try:
        src = fresh_copy(exported.package, tmp_path / "in")
        signed, _pdf, _r = sign_file(src, load_p12(pki.p12, P12_PASSWORD))
        import_paths(app, [signed])
        page = IntakePage(app)
        qtbot.addWidget(page)
        page.year.setValue(2025)
        # Created and placed: the officer can reach both from the page.
        assert page.trust_button.isVisibleTo(page) and page.sign_button.isVisibleTo(page)
        assert "0 có chữ ký số tin cậy" in page.summary.text()
        col = [page.table.horizontalHeaderItem(j).text() for j in range(page.table.columnCount())].index(
            "Chữ ký số"
        )
        assert page.table.item(0, col).text() == "Chưa tin cậy: Nguyễn Văn An"
        assert page.table.item(0, col).toolTip().startswith("đã ký số (chưa tin cậy) bởi Nguyễn Văn An, ")
        dialog = TrustDialog(app)
        qtbot.addWidget(dialog)
        bad = tmp_path / "rac.cer"
        bad.write_bytes(b"khong phai")
        assert not dialog.add_files([bad]) and "không phải chứng thư số" in shown[-1]
        ca = tmp_path / "ca.cer"
        ca.write_bytes(pki.ca.cert_der)
        assert dialog.add_files([ca])
        assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "CA Thử nghiệm KDX"
        assert "1 kết quả thay đổi" in shown[-1]
        page.refresh()
        assert page.table.item(0, col).text() == "Tin cậy: Nguyễn Văn An"
        assert "1 có chữ ký số tin cậy" in page.summary.text()
        lines = page.history_lines("BKT")
        assert lines[1].startswith("• Lần 1 (đang dùng): mã xác thực") and "đã ký số (tin cậy)" in lines[1]
    finally:
        app.close()


def test_the_file_menu_offers_the_signing_step(qtbot: Any, app: Any, settings_dir: Path) -> None:
    from kdx_desktop.gui.main_window import MainWindow

    win = MainWindow(app)
    qtbot.addWidget(win)
    assert win.sign_action in win.ui.menuFile.actions()
    assert win.sign_action.text() == "&Ký số gói báo cáo..."


def test_the_sign_step_offers_the_packages_by_their_names() -> None:
    """Tệp → Ký số gói báo cáo lists the packages as export names them (and an older KDX's)."""
    import fnmatch

    from kdx_desktop.gui.export_flow import SIGN_FILTER
    from kdx_desktop.package.canonical import package_name

    packages = SIGN_FILTER.split(";;")[0].split("(")[1].rstrip(")").split()
    for name in (package_name("BQN", 2025, 1), "KDX_BKT_2025_r1.zip"):
        assert any(fnmatch.fnmatch(name, p) for p in packages), name
