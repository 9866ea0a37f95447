"""``selftest``: passes on this installation from source, and says clearly what is missing when a
piece of the program is not there (a Vietnamese ✗ line, exit 1), never crashing."""

from __future__ import annotations

import argparse
import json
import os
import struct
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from kdx_desktop.cli import main as cli_main
from kdx_desktop.commands import selftest as selftest_command
from kdx_desktop.selftest.runner import STEPS, run_selftest

ROOT = Path(__file__).resolve().parent.parent


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "KDX_DATA_DIR"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_selftest_passes_from_source_and_saves_the_window(tmp_path: Path) -> None:
    shot = tmp_path / "shots" / "cua-so.png"
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "selftest", "--screenshot", str(shot)],
        capture_output=True,
        env=_env(),
        cwd=tmp_path,
        timeout=180,
        check=False,
    )
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, out + done.stderr.decode("utf-8", "replace")
    lines = [ln for ln in out.splitlines() if ln[:1] in "✓✗–"]
    assert len(lines) == len(STEPS)
    assert all(ln.startswith("✓") for ln in lines), out
    assert "ĐẠT: 10 bước đều thành công." in out
    assert unicodedata.is_normalized("NFC", out)
    # The PDF line proves Vietnamese text was read back and the fonts are embedded.
    pdf_line = next(ln for ln in lines if "PDF" in ln and "phông" in ln)
    assert "chữ tiếng Việt đọc lại được" in pdf_line
    raw = shot.read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", raw[16:24])
    assert width >= 800 and height >= 500


def test_a_missing_export_piece_is_a_clear_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As if the installation lacked the export module (and Qt, to keep this test windowless).
    monkeypatch.setitem(sys.modules, "kdx_desktop.services.exporting", None)
    monkeypatch.setitem(sys.modules, "PySide6.QtWidgets", None)
    # The command itself, not the whole parser: the parser also loads the export command's module.
    status = selftest_command.run(argparse.Namespace(screenshot=None, json=False))
    out, err = capsys.readouterr()
    assert status == 1
    assert "✓ Nạp danh mục" in out and "✓ Kiểm tra hợp lệ" in out
    export_line = next(ln for ln in out.splitlines() if "Xuất báo cáo mẫu" in ln)
    assert export_line.startswith("✗")
    assert (
        "thiếu thành phần xuất báo cáo: không nạp được mô-đun kdx_desktop.services.exporting" in export_line
    )
    assert "chưa thành công" in next(ln for ln in out.splitlines() if "Đọc lại PDF" in ln)
    window = next(ln for ln in out.splitlines() if "cửa sổ chính" in ln)
    assert window.startswith("–") and "không có PySide6" in window  # skipped, not failed
    assert "KHÔNG ĐẠT: 5/10 bước lỗi." in err
    assert "Traceback" not in out + err


def test_json_report_and_screenshot_needs_qt(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtWidgets", None)
    status = cli_main(["selftest", "--json", "--screenshot", "x.png"])
    doc = json.loads(capsys.readouterr().out)
    assert status == 1 and doc["ok"] is False
    assert [s["label"] for s in doc["steps"]] == [label for label, _f in STEPS]
    assert all(s["ok"] for s in doc["steps"][:-1]), doc["steps"]
    window = doc["steps"][-1]
    assert window["ok"] is False and "cần PySide6 để chụp cửa sổ" in window["detail"]
    env = doc["environment"]
    assert env["frozen"] is False and env["portable"] is False


def test_screenshot_must_be_png(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["selftest", "--screenshot", "anh.jpg"]) == 2
    assert "phải là tệp .png" in capsys.readouterr().err


def test_real_data_folder_is_not_touched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "du-lieu-that"
    monkeypatch.setenv("KDX_DATA_DIR", str(data))
    monkeypatch.setitem(sys.modules, "PySide6.QtWidgets", None)
    work = tmp_path / "tam"
    work.mkdir()
    result = run_selftest(work_dir=work)
    assert result.ok, [s for s in result.steps if not s.ok]
    assert not data.exists()
    assert list(work.iterdir()) == []  # the temporary folder is removed


def test_a_screenshot_place_that_cannot_be_written_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a.txt"
    blocker.write_text("x", encoding="utf-8")
    status = selftest_command.run(argparse.Namespace(screenshot=str(blocker / "x.png"), json=False))
    out, err = capsys.readouterr()
    assert status == 1 and "KHÔNG ĐẠT: 1/10 bước lỗi." in err
    window = next(ln for ln in out.splitlines() if "cửa sổ chính" in ln)
    assert window.startswith("✗") and str(blocker) in window and "trùng tên" in window
    assert "Traceback" not in out + err + caplog.text
    assert blocker.read_text(encoding="utf-8") == "x"


def test_a_missing_signing_library_is_a_clear_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As if the installation lacked python-pkcs11 (the USB token's library).
    monkeypatch.setitem(sys.modules, "pkcs11", None)
    monkeypatch.setitem(sys.modules, "PySide6.QtWidgets", None)
    status = selftest_command.run(argparse.Namespace(screenshot=None, json=False))
    out, err = capsys.readouterr()
    assert status == 1 and "KHÔNG ĐẠT: 1/10 bước lỗi." in err
    line = next(ln for ln in out.splitlines() if "Ký số" in ln)
    assert line.startswith("✗") and "không nạp được mô-đun pkcs11" in line
