"""The consolidated report is complete and typed as a Sở officer would: the Sở's own results and
every narrative section, its tasks, a signer, a full date, one recipient per line, header names
broken only between words that belong apart; before consolidating, what of the Sở's own report is
missing is said (command and window)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kdx_desktop.core.catalog_loader import load_catalog
from kdx_desktop.documents.fonts import register_fonts
from kdx_desktop.documents.pdf_layout import TEXT_W, _break_levels, header_lines, recipients_of
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.identity import identity
from kdx_desktop.services.intake import consolidate, import_paths, own_data_gaps
from kdx_desktop.services.reporting import App, load_state, open_app
from tests.gui_helpers import OFFSCREEN_NOISE
from tests.printed import page_bodies, pdf_text, squash

ISSUED = dt.date(2026, 1, 5)


@pytest.fixture(scope="module")
def so(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The demo folder (the Sở's PC: its own report filled in) with the agencies' 2025 reports
    exported and received, consolidated on ``ISSUED``."""
    work = tmp_path_factory.mktemp("cons")
    shutil.copytree(demo_dir, work / "data")
    app = open_app(work / "data")
    pkgs = [export_report(app, o, 2025, work / "out").package for o in ("BKT", "PTTH", "TCVN")]
    assert not [o.line for o in import_paths(app, pkgs) if o.refused]
    paths = consolidate(app, 2025, work / "cons", issued=ISSUED)
    yield {"app": app, "pdf": paths[1], "work": work}
    app.close()


def test_the_sos_own_report_is_all_in_it(so: dict) -> None:  # type: ignore[type-arg]
    app: App = so["app"]  # type: ignore[assignment]
    dept = app.catalog.consolidator()
    own = load_state(app, dept.code, 2025).entries
    body = squash("".join(page_bodies(so["pdf"])))  # type: ignore[arg-type]
    for spec in app.catalog.narrative:  # results, difficulties, proposals
        text = str(own[f"narrative.{spec.code}"])
        assert squash(text) in body, spec.code
    first = body.index(squash("1. Kết quả chung"))
    assert first < body.index(squash(str(own["narrative.results"]))) < body.index(squash("II. KHÓ KHĂN"))
    # Its tasks, with its own status and results, never "Chưa báo cáo".
    from kdx_desktop.province import consolidated_tables as tables
    from kdx_desktop.province.consolidate import consolidation

    rows = tables.task_rows(consolidation(app.catalog, app.store, 2025))
    mine = [r for r in rows[1:] if r[1] == dept.name(2025)]
    assert len(mine) == len(app.catalog.tasks_led_by(dept.kind, 2025)) > 0
    assert all(r[2] != tables.TASK_STATUS_EMPTY for r in mine)
    for r in mine:
        assert squash("".join(r)) in body


def test_signed_dated_and_addressed_as_decree_30_asks(so: dict) -> None:  # type: ignore[type-arg]
    app: App = so["app"]  # type: ignore[assignment]
    ident = identity(app.catalog, app.store, app.catalog.consolidator().code, 2025)
    text = pdf_text(so["pdf"], "-raw")  # type: ignore[arg-type]
    assert "Quảng Ngãi, ngày 05 tháng 01 năm 2026" in text and "năm 20…" not in text
    assert squash("ngày 05 tháng 01 năm 2026 của Sở Văn hóa, Thể thao và Du lịch)") in squash(
        text
    )  # appendices
    assert ident.signer_name and ident.signer_name in text.split("Nơi nhận:")[1]
    # Kính gửi: one recipient per line, a dash before each, ";" between and "." at the end.
    names = recipients_of(ident.recipient)
    assert len(names) == 2
    assert f"Kính gửi: - {names[0]};\n- {names[1]}.\n" in text
    # The header: the Sở's name broken after the comma, never inside a compound.
    assert "\nSỞ VĂN HÓA,\nTHỂ THAO VÀ DU LỊCH\n" in text


def test_header_names_break_only_between_words_that_belong_apart() -> None:
    fonts = register_fonts()
    width = TEXT_W * 0.42 - 4
    assert header_lines("TẠP CHÍ VĂN NGHỆ KON TUM", fonts.bold, (13,), width)[0] == [
        "TẠP CHÍ VĂN NGHỆ",
        "KON TUM",
    ]
    assert header_lines("ĐÀI PHÁT THANH - TRUYỀN HÌNH TỈNH KON TUM", fonts.bold, (13, 12.5, 12), width)[
        0
    ] == [
        "ĐÀI PHÁT THANH -",
        "TRUYỀN HÌNH TỈNH KON TUM",
    ]
    assert header_lines("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", fonts.regular, (13,), width)[0] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH QUẢNG NGÃI",
    ]
    # Every name the plan prints in a header, every year: no break of last resort is needed.
    cat = load_catalog()
    for org in cat.organisations:
        for year in cat.years():
            p = org.period(year)
            for name, font in ((p.governing_body, fonts.regular), (p.name, fonts.bold)):
                lines, _ = header_lines(name.upper(), font, (13, 12.5, 12), width)
                words = name.upper().split()
                cuts = [len(" ".join(lines[: i + 1]).split()) for i in range(len(lines) - 1)]
                assert all(_break_levels(words)[c] <= 2 for c in cuts), (name, lines)


def test_the_sos_missing_data_is_said_before_consolidating(tmp_path: Path) -> None:
    (tmp_path / "so").mkdir()
    app = open_app(tmp_path / "so")
    try:
        gaps = own_data_gaps(app, 2025)
        cat = app.catalog
        dept = cat.consolidator()
        for task in cat.tasks_led_by(dept.kind, 2025):
            assert any(g.startswith(f"Nhiệm vụ {task.no}.") and "Chưa báo cáo" in g for g in gaps)
        for spec in cat.narrative:
            assert f"Thuyết minh “{spec.label}”: chưa viết" in gaps
        assert any(g.startswith("Họ và tên người ký: chưa nhập") for g in gaps)
        assert any(g.startswith("Số liệu của Sở:") for g in gaps)
    finally:
        app.close()


def test_nothing_is_said_missing_when_the_so_reported_everything(so: dict) -> None:  # type: ignore[type-arg]
    assert own_data_gaps(so["app"], 2025) == []  # type: ignore[arg-type]


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_the_window_asks_before_consolidating_with_gaps(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kdx_desktop.gui import dialogs, intake_page

    (tmp_path / "so").mkdir()
    app = open_app(tmp_path / "so")
    app.store.set_setting("this_org", app.catalog.consolidator().code)  # the Sở's PC
    try:
        page = intake_page.IntakePage(app)
        qtbot.addWidget(page)
        page.year.setValue(2025)
        asked: list[str] = []
        required: list[tuple[str, ...]] = []

        def sign(dialog: dialogs.ProfileDialog) -> int:
            required.append(dialog.required)
            dialog.editors["signer_name"].setText("Phạm Minh Đức")
            dialog.save()
            return int(dialog.result())

        monkeypatch.setattr(dialogs.ProfileDialog, "exec", sign)
        monkeypatch.setattr(
            intake_page, "ask_yes_no", lambda parent, title, text: asked.append(text) or False
        )
        assert not page.ready_to_consolidate()  # declined: nothing is written
        assert required == [("signer_name",)]
        assert "chính Sở còn thiếu" in asked[0] and "Thuyết minh “Kết quả đạt được”: chưa viết" in asked[0]
        assert "Họ và tên người ký" not in asked[0]  # filled in just before
    finally:
        app.close()
