"""The window's parts: models, forms, set-up, errors, attachments, export, screenshot, start-up."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtGui import QImage

from kdx_desktop.core.catalog_loader import parse_catalog
from kdx_desktop.gui.models import AttachmentModel, IndicatorModel, ProblemModel
from kdx_desktop.services.attachments import add_attachment, list_attachments
from kdx_desktop.services.reporting import load_state, open_app
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path)


def test_models_pass_the_model_tester(qtmodeltester, data: Path, tmp_path: Path) -> None:
    app = open_app(data)
    state = load_state(app, "BKT", 2025)
    state.entries["items_essential"] = 5380  # a warning to list
    state.recompute()
    indicators = IndicatorModel(app.catalog)
    indicators.set_rows(state.indicators, 2025)
    qtmodeltester.check(indicators)
    assert indicators.rowCount() == len(app.catalog.indicators_for("newspaper"))
    problems = ProblemModel(app.catalog)
    problems.set_rows(state.issues)
    qtmodeltester.check(problems)
    assert problems.rowCount() == len(state.issues) > 0
    evidence = tmp_path / "Quyết định.pdf"
    evidence.write_bytes(b"%PDF-1.4 test\n")
    add_attachment(app, state.report, "T1", evidence)
    files = AttachmentModel()
    files.set_rows(list_attachments(app, state.report.id))
    qtmodeltester.check(files)
    assert files.data(files.index(0, 1)) == "14 byte"
    for empty in (IndicatorModel(app.catalog), ProblemModel(app.catalog), AttachmentModel()):
        qtmodeltester.check(empty)
    app.close()


def test_generated_forms_are_current() -> None:
    from kdx_desktop.gui.build_forms import build

    assert build(check=True) == [], "run: python -m kdx_desktop.gui.build_forms"


def test_first_start_asks_for_the_organisation_and_its_profile(qtbot, data_dir: Path) -> None:
    from kdx_desktop.gui.dialogs import ProfileDialog
    from kdx_desktop.services.identity import identity

    app = open_app(data_dir)
    dialog = ProfileDialog(app, 2026, first_run=True)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Thiết lập lần đầu"
    dialog.ui.orgCombo.setCurrentIndex(dialog.ui.orgCombo.findData("PTTH"))
    assert "Phát thanh" in dialog.editors["name"].text()  # filled from the catalogue
    dialog.editors["name"].setText("")
    dialog.save()
    assert "không được để trống" in dialog.ui.errorLabel.text()
    assert app.store.setting("this_org") is None
    dialog.fill()
    dialog.editors["signer_name"].setText("Nguyễn Văn A")
    dialog.save()
    assert app.store.setting("this_org") == "PTTH"
    assert identity(app.catalog, app.store, "PTTH", 2026).signer_name == "Nguyễn Văn A"
    buttons = {b.text() for b in dialog.ui.buttonBox.buttons()}
    assert buttons == {"Lưu", "Thoát"}
    app.close()


def test_a_new_catalogue_element_appears_without_code_change(qtbot, data: Path) -> None:
    raw = json.loads((ROOT / "resources" / "catalog" / "kdx-catalog.json").read_text(encoding="utf-8"))
    raw["data_elements"].append(
        {
            "code": "podcast_episodes",
            "label": "Số tập podcast phát hành",
            "type": "integer",
            "unit": "tập",
            "applies_to": ["newspaper"],
            "min": 0,
            "help": "Số tập podcast đã phát hành trong năm.",
        }
    )
    raw["sections"][0]["elements"].append("podcast_episodes")
    catalog = parse_catalog(json.dumps(raw, ensure_ascii=False).encode("utf-8"))
    w = Opened(qtbot, data, "BKT", 2025, app=open_app(data, catalog=catalog))
    row = w.row("podcast_episodes")
    assert row.label.text() == "Số tập podcast phát hành" and row.unit.text() == "tập"
    w.type_into("podcast_episodes", "1.200")
    assert w.stored("podcast_episodes") == ("1200", False)
    w.close()


def test_an_unexpected_error_is_logged_and_shown(qtbot, tmp_path: Path) -> None:
    from kdx_desktop.gui.app import make_excepthook, setup_logging

    log_file = setup_logging(tmp_path)
    shown = []
    hook = make_excepthook(
        log_file, show=lambda parent, title, text, details: shown.append((title, text, details))
    )
    try:
        raise ZeroDivisionError("chia cho 0")
    except ZeroDivisionError as exc:
        hook(type(exc), exc, exc.__traceback__)
    for h in logging.getLogger().handlers:
        h.flush()
    assert "ZeroDivisionError: chia cho 0" in log_file.read_text(encoding="utf-8")
    title, text, details = shown[0]
    assert title == "Lỗi không mong muốn"
    assert "vẫn được lưu" in text and str(log_file) in text
    assert "ZeroDivisionError" in details
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "baseFilename", None) == str(log_file):
            root.removeHandler(h)
            h.close()


def test_evidence_files_are_copied_hashed_and_listed(qtbot, data: Path, tmp_path: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2025)
    page = w.window.pages.key_page["task.T1.status"]
    source = tmp_path / "Kế hoạch số 12.pdf"
    source.write_bytes(b"%PDF-1.4\n" + b"x" * 2048)
    assert page.attach(source)
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 0)) == "Kế hoạch số 12.pdf"
    assert page.model.data(page.model.index(0, 1)) == "2,0 KB"
    att = list_attachments(w.app, w.session.require_state().report.id, "T1")[0]
    copied = att.path(data)
    assert copied.read_bytes() == source.read_bytes()
    assert copied.name.isascii() and copied.parent == data / "attachments"
    import hashlib

    assert att.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    w.close()


def test_attachment_refusals_change_nothing(data: Path, tmp_path: Path) -> None:
    from kdx_desktop.services.reporting import UsageError
    from kdx_desktop.store.repo import ReportLocked

    app = open_app(data)
    report = app.store.report("BKT", 2025)
    empty = tmp_path / "rong.pdf"
    empty.write_bytes(b"")
    with pytest.raises(UsageError, match="rỗng"):
        add_attachment(app, report, "T1", empty)
    with pytest.raises(UsageError, match="Không tìm thấy"):
        add_attachment(app, report, "T1", tmp_path / "khong-co.pdf")
    good = tmp_path / "a.pdf"
    good.write_bytes(b"abc")
    add_attachment(app, report, "T1", good)
    with pytest.raises(UsageError, match="đã được đính kèm"):
        add_attachment(app, report, "T1", good)
    locked = app.store.mark_exported(
        report, data_sha256="0" * 64, verification_code="X", package_name="p.zip"
    )
    with pytest.raises(ReportLocked):
        add_attachment(app, locked, "T1", tmp_path / "a.pdf")
    assert len(list_attachments(app, report.id)) == 1
    app.close()


def test_export_runs_the_engine_then_locks_the_report(qtbot, data: Path, tmp_path: Path, monkeypatch) -> None:
    from kdx_desktop.gui import export_flow

    w = Opened(qtbot, data, "BKT", 2025)
    calls = []

    def export_report(app, org, year, out_dir, progress, eml=False):
        progress(50, "Đang ghi tệp PDF")
        report = app.store.report(org, year)
        app.store.mark_exported(
            report, data_sha256="cd" * 32, verification_code="KDX-TEST-0001", package_name="p.zip"
        )
        calls.append((org, year, out_dir))
        return SimpleNamespace(
            paths=[out_dir / "BaoCao_BQN_2025_lan1.zip", out_dir / "BaoCao_BQN_2025_lan1.eml"]
        )

    shown = []
    monkeypatch.setattr(export_flow, "finished", lambda *args: shown.append(args))
    assert export_flow.export_to(w.window, w.session, tmp_path, SimpleNamespace(export_report=export_report))
    assert calls == [("BKT", 2025, tmp_path)]
    assert w.session.locked
    assert not w.window.ui.lockBanner.isHidden() and "KDX-TEST-0001" in w.window.ui.lockLabel.text()
    assert shown[0][1:3] == (1, "KDX-TEST-0001")
    w.close()


def test_export_with_the_real_engine(qtbot, data: Path, tmp_path: Path, monkeypatch) -> None:
    from kdx_desktop.gui import export_flow
    from kdx_desktop.services import exporting

    w = Opened(qtbot, data, "BKT", 2025)
    shown = []
    monkeypatch.setattr(export_flow, "finished", lambda *args: shown.append(args))
    out = tmp_path / "xuat"
    assert export_flow.export_to(w.window, w.session, out, exporting)
    _parent, revision, code, folder, files, due = shown[0]
    assert due.startswith("Hạn gửi Sở: trước ngày 25/11/2025")  # the export step says the deadline
    assert revision == 1 and folder == out and code == w.session.current_revision()["verification_code"]
    assert {p.suffix for p in files} == {".zip", ".pdf", ".xlsx", ".eml"}
    assert all(p.exists() for p in files)
    assert w.session.locked and code in w.window.ui.lockLabel.text()
    w.close()


def test_export_is_blocked_by_errors(qtbot, data: Path, monkeypatch) -> None:
    from kdx_desktop.gui import export_flow

    w = Opened(qtbot, data, "BKT", 2025)
    w.type_into("staff_trained", "500")
    said = []
    monkeypatch.setattr(export_flow, "show_error", lambda parent, title, text, details="": said.append(text))
    assert not export_flow.run_export(w.window, w.session)
    assert "1 lỗi chặn xuất" in said[0]
    assert not w.session.locked
    w.close()


def test_screenshot_of_the_main_window(qapp, data: Path, tmp_path: Path) -> None:
    from kdx_desktop.gui.screenshot import SIZE, grab_main_window

    png = tmp_path / "shot.png"
    grab_main_window(data, png, org="BKT", year=2025)
    image = QImage(str(png))
    assert (image.width(), image.height()) == SIZE


def test_start_up_does_not_import_the_export_libraries(data: Path) -> None:
    code = textwrap.dedent(
        f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from kdx_desktop.gui.app import qt_application
        from kdx_desktop.gui.settings_file import use_ini_settings
        from kdx_desktop.gui.main_window import MainWindow
        from kdx_desktop.services.reporting import open_app
        from pathlib import Path
        qapp = qt_application()
        use_ini_settings(Path({str(data)!r}))
        window = MainWindow(open_app(Path({str(data)!r})), org="BKT", year=2025)
        window.show()
        qapp.processEvents()
        heavy = sorted(m for m in ("reportlab", "openpyxl") if m in sys.modules)
        print("heavy:", heavy)
        # Nor what the first window does not show: the set-up dialogs, the rotating-log module.
        unused = ("kdx_desktop.gui.dialogs", "kdx_desktop.gui.forms.ui_profile_dialog", "logging.handlers")
        print("unused:", sorted(m for m in unused if m in sys.modules))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "heavy: []" in out.stdout
    assert "unused: []" in out.stdout


def test_the_log_file_rotates_at_its_size_limit(tmp_path: Path) -> None:
    from kdx_desktop.gui.app import RotatingLog

    handler = RotatingLog(tmp_path / "kdx.log", max_bytes=1000, backups=3)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("kdx-rotation-test")
    log.propagate = False
    log.addHandler(handler)
    try:
        for n in range(100):
            log.warning("dòng %03d %s", n, "x" * 40)
    finally:
        log.removeHandler(handler)
        handler.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["kdx.log", "kdx.log.1", "kdx.log.2", "kdx.log.3"]  # three old files kept
    assert all(p.stat().st_size <= 1000 for p in tmp_path.iterdir())
    assert "dòng 099" in (tmp_path / "kdx.log").read_text(encoding="utf-8")  # the newest line
    older = (tmp_path / "kdx.log.1").read_text(encoding="utf-8").splitlines()
    newest = (tmp_path / "kdx.log").read_text(encoding="utf-8").splitlines()
    assert int(older[-1].split()[1]) + 1 == int(newest[0].split()[1])  # nothing lost in between


def test_a_reworded_problem_is_updated_in_place(data: Path) -> None:
    app = open_app(data)
    state = load_state(app, "BKT", 2025)
    state.entries["items_essential"] = 5380
    state.recompute()
    problems = ProblemModel(app.catalog)
    assert problems.set_rows(state.issues) is True  # the first rows: a reset
    assert problems.set_rows(state.issues) is False  # nothing new
    row = problems.row_of("W02", "pl1_3")  # the growth of news items, with its value in the text
    before = problems.data(problems.index(row, ProblemModel.MESSAGE))
    state.entries["items_essential"] = 5300
    state.recompute()
    changed = problems.set_rows(state.issues)  # same problems, one reworded: only its row
    after = problems.data(problems.index(row, ProblemModel.MESSAGE))
    app.close()
    assert after != before and "Chưa đạt chỉ tiêu năm 2025" in after
    assert changed == [row]
    assert problems.row_of("W02", "pl1_3") == row


def test_a_killed_window_loses_nothing_committed(data: Path) -> None:
    code = textwrap.dedent(
        f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from pathlib import Path
        from kdx_desktop.gui.app import qt_application
        from kdx_desktop.gui.settings_file import use_ini_settings
        from kdx_desktop.gui.main_window import MainWindow
        from kdx_desktop.services.reporting import open_app
        qapp = qt_application()
        data = Path({str(data)!r})
        use_ini_settings(data)
        window = MainWindow(open_app(data), org="BKT", year=2025)
        window.show()
        window.pages.show_key("revenue")
        editor = window.pages.key_page["revenue"].rows["revenue"].editor
        editor.setText("98.765,4")
        editor.editingFinished.emit()  # what Tab or Enter does
        qapp.processEvents()
        os._exit(9)  # no clean-up of any kind, as when the process is killed
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0  # killed
    app = open_app(data)
    assert app.store.entries(app.store.report("BKT", 2025).id)["revenue"] == ("98765.4", False)
    app.close()


def test_an_export_refused_by_the_engine_is_explained(qtbot, data: Path, tmp_path: Path, monkeypatch) -> None:
    from kdx_desktop.gui import export_flow
    from kdx_desktop.services.exporting import ExportRefused

    def export_report(*args, **kwargs):
        raise ExportRefused("Không ghi được vào thư mục đã chọn.", ["Thư mục chỉ đọc"])

    w = Opened(qtbot, data, "BKT", 2025)
    said = []
    monkeypatch.setattr(
        export_flow, "show_error", lambda parent, title, text, details="": said.append((text, details))
    )
    assert not export_flow.export_to(
        w.window, w.session, tmp_path, SimpleNamespace(export_report=export_report)
    )
    assert said == [("Không ghi được vào thư mục đã chọn.", "• Thư mục chỉ đọc")]
    assert not w.session.locked
    w.close()


def test_message_boxes_show_text_as_text(qapp) -> None:
    """Messages quote typed, scanned and imported text: never rendered as HTML."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from kdx_desktop.gui.messages import _box

    box = _box(None, QMessageBox.Icon.Critical, "Bản giấy không khớp", "<b>x</b>")
    assert box.textFormat() == Qt.TextFormat.PlainText and box.text() == "<b>x</b>"
