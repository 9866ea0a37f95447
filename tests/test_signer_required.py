"""A report is not issued with an empty signature block: export (command and window) refuses
without the signer's name and title and says so at the fields of "Cài đặt cơ quan"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kdx_desktop.services.exporting import ExportRefused, export_report
from kdx_desktop.services.identity import identity, missing_for_signature
from kdx_desktop.services.reporting import App, load_state, open_app
from tests.cli_helpers import run
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo
from tests.printed import page_bodies, squash


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    shutil.copytree(demo_dir, tmp_path / "data")
    return tmp_path / "data"


def cli(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    return run(capsys, *args, "--data-dir", str(data))


def test_export_without_a_signer_is_refused_and_says_where(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, data, "profile", "--org", "BKT", "--from", "2025", "signer_name=")
    assert code == 0, err
    assert "Họ và tên người ký (signer_name): —" in out
    out_dir = tmp_path / "xuat"
    code, _, err = cli(capsys, data, "export", "--org", "BKT", "--year", "2025", "--out", str(out_dir))
    assert code == 1
    assert "Họ và tên người ký: chưa nhập" in err and "Cài đặt cơ quan" in err
    assert not out_dir.exists() or list(out_dir.iterdir()) == []
    app = open_app(data)
    try:
        assert not load_state(app, "BKT", 2025).report.locked
        with pytest.raises(ExportRefused) as refused:
            export_report(app, "BKT", 2025, out_dir)
        assert refused.value.fields == ["signer_name"]
    finally:
        app.close()
    # Filled in: the export goes through and the name is printed under the signature.
    code, _, err = cli(capsys, data, "profile", "--org", "BKT", "--from", "2025", "signer_name=Lê Văn Cường")
    assert code == 0, err
    code, _, err = cli(capsys, data, "export", "--org", "BKT", "--year", "2025", "--out", str(out_dir))
    assert code == 0, err
    pdf = next(out_dir.glob("*.pdf"))
    last = page_bodies(pdf)[-1]
    assert last.index(squash("TỔNG BIÊN TẬP")) < last.index(squash("Lê Văn Cường"))


def test_the_profile_command_refuses_what_the_dialog_refuses(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(capsys, data, "profile", "--org", "BKT", "--from", "2025", "chuc_vu=x")
    assert code == 2 and "“chuc_vu”" in err
    code, _, err = cli(capsys, data, "profile", "--org", "BKT", "--from", "2025", "name=")
    assert code == 2 and "Tên cơ quan" in err
    code, _, err = cli(capsys, data, "profile", "--org", "BKT", "--from", "2025", "signer_name=Lê\x07Văn")
    assert code == 2 and "Họ và tên người ký" in err
    app = open_app(data)
    try:
        assert identity(app.catalog, app.store, "BKT", 2025).signer_name == "Nguyễn Văn Hùng"  # unchanged
    finally:
        app.close()


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_the_window_asks_for_the_signer_at_its_fields(
    qtbot, demo_dir: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from kdx_desktop.gui import dialogs, export_flow

    w = Opened(qtbot, copy_demo(demo_dir, tmp_path), "STTTT", 2025)
    app: App = w.app
    fields = {
        k: v
        for k, v in identity(app.catalog, app.store, "STTTT", 2025).as_json().items()
        if isinstance(v, str)
    }
    app.store.save_profile("STTTT", 2025, {**fields, "signer_name": ""})
    seen = []

    def fill_in(dialog: dialogs.ProfileDialog) -> int:
        editor = dialog.editors["signer_name"]
        label = dialog.ui.profileForm.labelForField(editor)
        seen.append((editor.styleSheet(), label.styleSheet(), dialog.ui.errorLabel.text(), editor.hasFocus()))
        dialog.save()  # still empty: refused, at the field
        seen.append(dialog.ui.errorLabel.text())
        editor.setText("Phạm Minh Đức")
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(dialogs.ProfileDialog, "exec", fill_in)
    assert export_flow.signer_ready(w.window, w.session, "trước khi xuất báo cáo")
    style, label_style, said, _focus = seen[0]
    assert "#b00020" in style and "#b00020" in label_style
    assert "Họ và tên người ký" in said and "trước khi xuất báo cáo" in said
    assert "Họ và tên người ký: không được để trống" in seen[1]
    assert missing_for_signature(identity(app.catalog, app.store, "STTTT", 2025)) == []
    w.close()
