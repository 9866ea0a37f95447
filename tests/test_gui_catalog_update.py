"""Tệp → "Cập nhật danh mục" in the window; the About box and the status bar name the edition."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import OFFSCREEN_NOISE, Opened
from test_catalog_editions import as_catalog, edition2_doc

from kdx_desktop.gui import catalog_update, main_window
from kdx_desktop.services.editions import edition_file


@pytest.fixture
def agency_dir(demo_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "agency"
    shutil.copytree(demo_dir, d)
    return d


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_update_catalog_from_the_file_menu(
    qtbot: Any, agency_dir: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(catalog_update, "show_info", lambda _p, title, text: said.append((title, text)))
    monkeypatch.setattr(
        catalog_update, "show_error", lambda _p, title, text, details="": said.append((title, text))
    )
    monkeypatch.setattr(main_window, "show_info", lambda _p, title, text: said.append((title, text)))
    w = Opened(qtbot, agency_dir, "BKT", 2026)
    w.app.store.set_setting("this_org", "BKT", user="test")
    w.window.session.reload()
    assert not w.window.catalog_build_action.isVisible()  # only the Sở issues editions
    assert not w.window.catalog_sign_action.isVisible()
    assert w.window._edition.text() == "Danh mục lần 1" and w.window._edition.isVisible()
    w.window._about()
    assert "Danh mục lần ban hành 1 (ngày 01/01/2026)" in said[-1][1]
    menu = [a.text() for a in w.window.ui.menuFile.actions()]
    assert "Cập nhật danh mục..." in menu

    # A tampered file: refused with its message, nothing changes.
    env = json.loads(edition_file(as_catalog(edition2_doc())))
    env["catalog"] = env["catalog"].replace('"2026": 25', '"2026": 5')
    bad = tmp_path / "sua.kdxdm"
    bad.write_text(json.dumps(env, ensure_ascii=False), "utf-8")
    assert not catalog_update.update_catalog(w.window, w.app, bad, confirm=lambda *_: True)
    assert "đã bị sửa đổi hoặc hỏng" in said[-1][1] and w.app.catalog.edition.number == 1

    good = tmp_path / "lan2.kdxdm"
    good.write_bytes(edition_file(as_catalog(edition2_doc())))
    previews: list[Any] = []
    assert not catalog_update.update_catalog(
        w.window, w.app, good, confirm=lambda _p, pv: previews.append(pv) or False
    )
    assert w.app.catalog.edition.number == 1  # declined: nothing installed
    assert any("PL1-3 năm 2026" in c for c in previews[0].changes)
    assert catalog_update.update_catalog(w.window, w.app, good, confirm=lambda *_: True)
    w.window.data_replaced()
    assert "Đã cài đặt Danh mục lần ban hành 2" in said[-1][1]
    assert w.window._edition.text() == "Danh mục lần 2"
    assert "Danh mục lần ban hành 2 (ngày 02/02/2026)" in w.window._edition.toolTip()
    codes = {r.code for r in w.session.require_state().indicators}
    assert "x_ai" in codes  # the new indicator is in the 2026 form's indicator table
    w.window._about()
    assert "Danh mục lần ban hành 2 (ngày 02/02/2026)" in said[-1][1]
    w.close()


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_the_sở_writes_the_workbook_and_builds_an_edition_from_the_window(
    qtbot: Any, agency_dir: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    from openpyxl import load_workbook

    from kdx_desktop.services.editions import read_edition_file

    said: list[tuple[str, str]] = []
    monkeypatch.setattr(catalog_update, "show_info", lambda _p, title, text: said.append((title, text)))
    monkeypatch.setattr(
        catalog_update, "show_error", lambda _p, title, text, details="": said.append((title, text))
    )
    w = Opened(qtbot, agency_dir, "STTTT", 2026)  # the demo folder is the Sở's PC
    menu = [a.text() for a in w.window.ui.menuFile.actions() if a.isVisible()]
    assert "Ghi danh mục ra bảng tính..." in menu and "Lập lần ban hành danh mục..." in menu
    xlsx = tmp_path / "dm.xlsx"
    assert catalog_update.export_catalog_workbook(w.window, w.app, xlsx)
    wb = load_workbook(xlsx)
    ind = wb["Chỉ tiêu"]
    col = [c.value for c in ind[1]].index("2026") + 1
    ind.cell(4, col, "hai lăm")
    wb.save(xlsx)
    out = tmp_path / "lan2.kdxdm"
    assert not catalog_update.build_catalog_edition(
        w.window, w.app, xlsx, out, confirm=lambda *_: catalog_update.PLAIN
    )
    assert "Trang “Chỉ tiêu”, dòng 4, cột M (2026): phải là số" in said[-1][1] and not out.exists()
    ind.cell(4, col, 25)
    wb["Lần ban hành"]["B2"] = 2
    wb.save(xlsx)
    shown: list[list[str]] = []
    assert catalog_update.build_catalog_edition(
        w.window,
        w.app,
        xlsx,
        out,
        confirm=lambda _p, _s, changes: shown.append(changes) or catalog_update.PLAIN,
    )
    assert "Chỉ tiêu PL1-3 năm 2026: — → 25%." in shown[0]
    assert read_edition_file(out.read_bytes()).edition.number == 2 and "Mã xác thực" in said[-1][1]
    assert "(chưa ký số)" in said[-1][1]
    w.close()


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_the_sở_signs_the_edition_it_builds_and_an_agency_window_checks_it(
    qtbot: Any, agency_dir: Path, demo_dir: Path, tmp_path: Path, monkeypatch: Any, pki: Any
) -> None:
    """The build dialog's "Ký số và ghi tệp..." runs the real Ký số dialog (.p12 and password);
    an agency's window refuses the file until the Sở's root is trusted, then installs it and says
    "đã ký số" in the status bar and the About box."""
    from openpyxl import load_workbook
    from test_catalog_edition_signing import SO_NAME

    from kdx_desktop.gui.signing_dialog import SigningDialog
    from kdx_desktop.province.signatures import add_to_trust
    from kdx_desktop.services.editions import read_edition
    from tests.signing_pki import P12_PASSWORD, make_officer, write_p12

    said: list[tuple[str, str]] = []
    monkeypatch.setattr(catalog_update, "show_info", lambda _p, title, text: said.append((title, text)))
    monkeypatch.setattr(
        catalog_update, "show_error", lambda _p, title, text, details="": said.append((title, text))
    )
    monkeypatch.setattr(main_window, "show_info", lambda _p, title, text: said.append((title, text)))
    p12 = write_p12(tmp_path / "so.p12", make_officer(pki.ca, "Trần Thị Bình", SO_NAME), pki.ca)

    def sign_with(parent: Any, out: Path, action: Any) -> Any:
        dialog = SigningDialog(out, parent, action=action, intro="Ký số tệp danh mục")
        dialog.use_p12.setChecked(True)
        dialog.p12.setText(str(p12))
        dialog.pin.setText(P12_PASSWORD)
        assert dialog.sign() and dialog.pin.text() == ""  # the password is not kept
        dialog.deleteLater()
        return dialog.result_

    w = Opened(qtbot, agency_dir, "STTTT", 2026)
    xlsx = tmp_path / "dm.xlsx"
    assert catalog_update.export_catalog_workbook(w.window, w.app, xlsx)
    wb = load_workbook(xlsx)
    wb["Lần ban hành"]["B2"] = 2
    wb.save(xlsx)
    out = tmp_path / "lan2.kdxdm"
    # The issuer is still the bundled edition's: refused before the PIN is asked for.
    assert not catalog_update.build_catalog_edition(
        w.window, w.app, xlsx, out, confirm=lambda *_: catalog_update.SIGN, sign_with=sign_with
    )
    assert "không phải tên Sở" in said[-1][1] and not out.exists()
    wb["Lần ban hành"]["B3"] = SO_NAME
    wb.save(xlsx)
    assert catalog_update.build_catalog_edition(
        w.window, w.app, xlsx, out, confirm=lambda *_: catalog_update.SIGN, sign_with=sign_with
    )
    assert f"ký số bởi Trần Thị Bình ({SO_NAME}), lúc" in said[-1][1] and "Mã xác thực" in said[-1][1]
    assert read_edition(out.read_bytes()).signature is not None
    # A file built unsigned is signed afterwards from Tệp → Ký số tệp danh mục.
    assert "Ký số tệp danh mục..." in [a.text() for a in w.window.ui.menuFile.actions() if a.isVisible()]
    plain = tmp_path / "lan2-chua-ky.kdxdm"
    assert catalog_update.build_catalog_edition(
        w.window, w.app, xlsx, plain, confirm=lambda *_: catalog_update.PLAIN
    )
    assert read_edition(plain.read_bytes()).signature is None
    assert catalog_update.sign_catalog_edition(w.window, w.app, plain, sign_with=sign_with)
    assert f"ký số bởi Trần Thị Bình ({SO_NAME})" in said[-1][1] and "Mã xác thực: " in said[-1][1]
    assert read_edition(plain.read_bytes()).signature is not None
    assert not catalog_update.sign_catalog_edition(w.window, w.app, plain, sign_with=sign_with)
    assert said[-1] == ("Ký số tệp danh mục", "Tệp danh mục này đã được ký số rồi.")
    # Once the Sở's own PC has a signed edition in force, an unsigned one is not written.
    add_to_trust(w.app.store, pki.ca.cert_pem, user="test")
    assert catalog_update.update_catalog(w.window, w.app, out, confirm=lambda *_: True)
    wb = load_workbook(xlsx)
    wb["Lần ban hành"]["B2"] = 3
    wb.save(xlsx)
    out3 = tmp_path / "lan3.kdxdm"
    assert not catalog_update.build_catalog_edition(
        w.window, w.app, xlsx, out3, confirm=lambda *_: catalog_update.PLAIN
    )
    assert "Không ghi tệp chưa ký số: lần ban hành 2 đang dùng đã được Sở ký số" in said[-1][1]
    assert not out3.exists()
    w.close()

    agency = tmp_path / "dv"
    shutil.copytree(demo_dir, agency)
    w = Opened(qtbot, agency, "BKT", 2026)
    w.app.store.set_setting("this_org", "BKT", user="test")
    w.window.session.reload()
    assert "Chứng thư số tin cậy..." in [a.text() for a in w.window.ui.menuFile.actions()]
    assert not catalog_update.update_catalog(w.window, w.app, out, confirm=lambda *_: True)
    assert "không dẫn tới chứng thư gốc nào máy này tin cậy" in said[-1][1]
    add_to_trust(w.app.store, pki.ca.cert_pem, user="test")
    previews: list[Any] = []
    assert catalog_update.update_catalog(
        w.window, w.app, out, confirm=lambda _p, pv: previews.append(pv) or True
    )
    assert "Chữ ký số của Sở: hợp lệ, đã ký số bởi Trần Thị Bình" in "\n".join(previews[0].head())
    assert "đã kiểm tra chữ ký số của Sở" in said[-1][1]
    w.window.data_replaced()
    assert w.window._edition.text() == "Danh mục lần 2 · đã ký số"
    assert "Chữ ký số của Sở: đã ký số bởi Trần Thị Bình" in w.window._edition.toolTip()
    w.window._about()
    assert "\nChữ ký số của Sở: đã ký số bởi Trần Thị Bình" in said[-1][1]
    w.close()
