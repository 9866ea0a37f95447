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
