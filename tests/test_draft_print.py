"""The draft print (``export --draft`` and the window's "In bản nháp"): the PDF and the workbook
marked BẢN NHÁP on every page, nothing locked, no revision spent, no package, a name that is
never an issued report's, no verification code, no QR code, no signature field."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kdx_desktop.services.exporting import VIETNAM, draft_stem, export_draft, export_report
from kdx_desktop.services.reporting import App, load_state, open_app
from tests.cli_helpers import run
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo
from tests.printed import page_bodies, pdf_pages
from tests.tools import need


@pytest.fixture
def app(demo_dir: Path, tmp_path: Path) -> App:
    shutil.copytree(demo_dir, tmp_path / "data")
    a = open_app(tmp_path / "data")
    yield a
    a.close()


def assert_is_a_draft(pdf: Path, xlsx: Path, tmp_path: Path) -> None:
    assert "BAN-NHAP" in pdf.name and "BAN-NHAP" in xlsx.name
    pages = pdf_pages(pdf)
    assert pages and all("BẢN NHÁP" in p for p in pages)
    text = "\n".join(pages)
    assert "Mã xác thực:" not in text and "Lần gửi" not in text
    assert b"/FT /Sig" not in pdf.read_bytes()  # no field to sign a draft in
    subprocess.run([need("pdftoppm"), "-png", "-r", "150", str(pdf), str(tmp_path / "d")], check=True)
    zbar = need("zbarimg")
    for png in sorted(tmp_path.glob("d-*.png")):
        found = subprocess.run([zbar, "--raw", "-q", str(png)], capture_output=True, text=True).stdout
        assert found == "", png.name
    wb = load_workbook(xlsx)
    for ws in wb:
        assert "BẢN NHÁP" in ws.oddHeader.center.text, ws.title
        assert "Mã xác thực" not in (ws.oddFooter.left.text or ""), ws.title
        assert any("BẢN NHÁP" in str(c.value or "") for row in ws.iter_rows(max_row=4) for c in row)
        for row in ws.iter_rows():
            for c in row:
                assert "Mã xác thực" not in str(c.value or ""), (ws.title, c.coordinate)


def test_a_draft_of_a_valid_report_locks_nothing_and_spends_no_revision(
    app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nhap"
    before = load_state(app, "BKT", 2025).report
    revisions = app.store.revisions(before.id)
    assert not before.locked
    code, stdout, err = run(
        capsys,
        "export",
        "--draft",
        "--org",
        "BKT",
        "--year",
        "2025",
        "--out",
        str(out),
        "--data-dir",
        str(app.data_dir),
    )
    assert code == 0, err
    assert "bản nháp" in stdout
    files = sorted(out.iterdir())
    assert [f.suffix for f in files] == [".pdf", ".xlsx"]  # no package
    assert_is_a_draft(files[0], files[1], tmp_path)
    after = load_state(app, "BKT", 2025).report
    assert (after.locked, after.revision) == (False, before.revision)
    assert app.store.revisions(after.id) == revisions
    assert all(r["exported_at"] is None for r in revisions)
    # The issued report that follows is still the first revision, under its own name.
    issued = export_report(app, "BKT", 2025, tmp_path / "gui")
    assert issued.revision == 1 and "BAN-NHAP" not in issued.pdf.name


def test_a_report_with_errors_prints_a_draft_and_the_pages_say_so(app: App, tmp_path: Path) -> None:
    state = load_state(app, "BKT", 2026)
    assert not state.can_export  # the half-filled current year
    result = export_draft(app, "BKT", 2026, tmp_path / "nhap")
    assert_is_a_draft(result.pdf, result.xlsx, tmp_path)
    assert "năm20…" in page_bodies(result.pdf)[0]  # the date is left for the clerk
    assert not load_state(app, "BKT", 2026).report.locked


def test_a_draft_is_never_named_as_an_issued_report() -> None:
    when = dt.datetime(2026, 12, 7, 7, 5, 9, tzinfo=dt.UTC)
    assert draft_stem("BQN", 2025, when) == "BaoCao_BQN_2025_BAN-NHAP_20261207-140509"  # Vietnam time
    assert dt.datetime(2026, 1, 1, tzinfo=VIETNAM).utcoffset() == dt.timedelta(hours=7)


def test_draft_and_eml_do_not_go_together(
    app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "export",
        "--draft",
        "--eml",
        "--org",
        "BKT",
        "--year",
        "2025",
        "--out",
        str(tmp_path),
        "--data-dir",
        str(app.data_dir),
    )
    assert code == 2 and "--eml" in err
    assert list(tmp_path.glob("*.pdf")) == []


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_the_window_prints_a_draft_and_the_report_stays_open(
    qtbot, demo_dir: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from kdx_desktop.gui import export_flow
    from kdx_desktop.services import exporting

    w = Opened(qtbot, copy_demo(demo_dir, tmp_path), "BKT", 2026)  # with errors: drafts all the same
    ui = w.window.ui
    assert ui.actionDraft in ui.menuFile.actions() and ui.actionDraft in ui.toolBar.actions()
    assert ui.actionDraft.isEnabled()
    shown = []
    monkeypatch.setattr(export_flow, "draft_done", lambda *args: shown.append(args))
    out = tmp_path / "nhap"
    assert export_flow.draft_to(w.window, w.session, out, exporting)
    _parent, folder, result = shown[0]
    assert folder == out and all(p.exists() for p in result.paths)
    assert_is_a_draft(result.pdf, result.xlsx, tmp_path)
    assert not w.session.locked and ui.lockBanner.isHidden()
    w.close()
