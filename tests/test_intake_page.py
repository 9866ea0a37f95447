"""The Sở's intake page: import, results per file, board, paper check, diff, consolidation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hostile.packages import AGENCIES, export_demo

from kdx_desktop.services.reporting import open_app


@pytest.fixture(scope="module")
def packages(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], Path]:
    return export_demo(demo_dir, tmp_path_factory.mktemp("export"), years=(2025,))


def test_intake_page(
    qtbot: Any, tmp_path: Path, packages: dict[tuple[str, int], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QDate

    from kdx_desktop.core.vntime import today_in_vietnam
    from kdx_desktop.gui import intake_page
    from kdx_desktop.gui.intake_page import IntakePage

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(intake_page, "show_info", lambda parent, title, text: shown.append((title, text)))
    (tmp_path / "so").mkdir()
    app = open_app(tmp_path / "so")
    try:
        page = IntakePage(app)
        qtbot.addWidget(page)
        page.year.setValue(2025)
        assert page.table.rowCount() == 3
        assert page.table.item(0, 1).text() == "Chưa nhận"
        bogus = tmp_path / "thu.zip"
        bogus.write_bytes(b"xx")
        # A package cannot have reached the Sở before it was made (these were made today).
        assert page.received_day() == today_in_vietnam()
        page.received.setDate(QDate(2025, 11, 24))
        out = page.import_files([packages[("BKT", 2025)]])
        assert out[0].kind == "rejected" and "sớm hơn ngày cơ quan lập gói" in out[0].message
        today = today_in_vietnam()
        page.received.setDate(QDate(today.year, today.month, today.day))
        out = page.import_files([packages[(o, 2025)] for o in AGENCIES] + [bogus])
        assert [o.kind for o in out] == ["imported"] * 3 + ["rejected"]
        lines = [page.results.topLevelItem(i).text(0) for i in range(page.results.topLevelItemCount())]
        assert lines[0].startswith("✔ BaoCao_BQN_2025_lan1.zip: đã nhập: Báo Quảng Ngãi (BQN) năm 2025 lần 1")
        assert lines[3] == "✘ thu.zip: từ chối: Tệp không phải gói nén ZIP của KDX."
        assert page.table.item(0, 1).text() == f"Đã nhận {today.strftime('%d/%m/%Y')}"
        assert page.table.item(0, 5).text().startswith("Trễ hạn ")
        assert "đã nhận 3/3" in page.summary.text()
        # Paper check of the first agency: a code that is not on the report received is refused…
        errors: list[str] = []
        monkeypatch.setattr(intake_page, "show_error", lambda parent, title, text: errors.append(text))
        page.table.selectRow(0)
        assert page.paper_button.isEnabled() and not page.diff_button.isEnabled()
        code = page.board.rows[0].verification_code
        asked: list[str] = []
        page.read_code = lambda title, text: asked.append(text) or "AAAA-BBBB-CCCC"
        assert not page.mark_selected_paper_checked()
        assert "mã xác thực" in asked[0] and "không khớp" in errors[0]
        assert page.table.item(0, 7).text() == "Chưa"
        # …the code typed off the paper (lower case, without dashes) is accepted.
        page.read_code = lambda title, text: code.replace("-", "").lower()
        assert page.mark_selected_paper_checked()
        assert page.table.item(0, 7).text().startswith("Đã đối chiếu (")
        assert page.diff_text("BKT") == "Chưa có lần gửi trước để so sánh."
        out_dir = tmp_path / "tonghop"
        out_dir.mkdir()
        app.store.save_profile("STTTT", 2025, {"signer_name": "Phạm Minh Đức"})  # Cài đặt cơ quan
        paths = page.consolidate_into(out_dir)
        assert [p.suffix for p in paths] == [".xlsx", ".pdf"] and all(p.exists() for p in paths)
        assert shown and shown[-1][0] == "Đã lập báo cáo tổng hợp"
    finally:
        app.close()


def test_intake_page_holds_a_jump_and_voids_a_revision(
    qtbot: Any, tmp_path: Path, packages: dict[tuple[str, int], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's side of the void: a revision far ahead is imported only when the officer
    confirms, and "Hủy lần gửi..." voids the current revision with a reason."""
    import copy

    from hostile.make_corpus import Base

    from kdx_desktop.gui import intake_page
    from kdx_desktop.gui.intake_page import IntakePage
    from kdx_desktop.province import ledger

    shown: list[str] = []
    monkeypatch.setattr(intake_page, "show_info", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(intake_page, "show_error", lambda parent, title, text: shown.append(text))
    base = Base(packages[("BKT", 2025)].read_bytes())
    d = copy.deepcopy(base.data)
    d["revision"] = 999
    forged = tmp_path / "BaoCao_BQN_2025_lan999.zip"
    forged.write_bytes(base.pack(d))
    (tmp_path / "so").mkdir()
    app = open_app(tmp_path / "so")
    try:
        page = IntakePage(app)
        qtbot.addWidget(page)
        page.year.setValue(2025)
        page.import_files([packages[("BKT", 2025)]])
        asked: list[str] = []
        page.confirm = lambda title, text: asked.append(text) is not None and False
        out = page.import_files([forged])
        assert out[0].code == "revision.jump" and "lần 999" in asked[0]
        assert page.results.topLevelItem(0).text(0).startswith("✘ BaoCao_BQN_2025_lan999.zip: chờ xác nhận")
        page.confirm = lambda title, text: True
        out = page.import_files([forged])
        assert out[0].kind == "replaced" and page.board.rows[0].revision == 999
        page.table.selectRow(0)
        assert page.void_button.isEnabled()
        page.read_reason = lambda title, text: None  # the officer cancels: nothing happens
        assert not page.void_selected()
        page.read_reason = lambda title, text: "Gói giả mạo, đơn vị xác nhận không gửi"
        assert page.void_selected()
        assert page.board.rows[0].revision == 1 and "Sở đang dùng lần gửi 1" in shown[-1]
        voided = ledger.revisions_of(app.store, "BKT", 2025, voided=True)[-1]
        assert voided.revision == 999 and voided.void_reason == "Gói giả mạo, đơn vị xác nhận không gửi"
    finally:
        app.close()
