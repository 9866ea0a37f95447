"""``backup`` and ``restore`` on the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from crash.dbdump import dump

from kdx_desktop.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(demo_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "demo"
    shutil.copytree(demo_dir, d)
    return d


def test_backup_then_restore_round_trip(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snapshot = dump(folder / "kdx.sqlite3")
    assert main(["--data-dir", str(folder), "backup"]) == 0
    out = capsys.readouterr().out
    [made] = list((folder / "backups").glob("kdx-*-manual.sqlite3"))
    assert f"Đã sao lưu vào {made}" in out and "Đã kiểm tra: toàn vẹn" in out and "báo cáo" in out

    assert main(["--data-dir", str(folder), "set", "--org", "BKT", "--year", "2026", "staff_total=99"]) == 0
    assert dump(folder / "kdx.sqlite3") != snapshot
    capsys.readouterr()

    assert main(["restore", str(made), "--data-dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"Đã khôi phục từ {made}" in out and "Cơ sở dữ liệu cũ được giữ lại tại" in out
    assert dump(folder / "kdx.sqlite3") == snapshot


def test_backup_out_writes_exactly_there(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "usb" / "kdx-gui-so.sqlite3"
    assert main(["--data-dir", str(folder), "backup", "--out", str(target)]) == 0
    assert dump(target) == dump(folder / "kdx.sqlite3")
    assert not (folder / "backups").exists()
    assert str(target) in capsys.readouterr().out


def test_backup_refuses_a_folder_without_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path), "backup"]) == 1
    assert "Chưa có cơ sở dữ liệu" in capsys.readouterr().err


def test_backup_refuses_a_damaged_database(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "kdx.sqlite3").write_bytes(b"rac" * 5000)
    assert main(["--data-dir", str(folder), "backup"]) == 1
    assert "Không sao lưu tệp hỏng" in capsys.readouterr().err


def test_restore_refuses_a_bad_file_with_exit_1_and_changes_nothing(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "khong-phai.sqlite3"
    bad.write_text("đây không phải cơ sở dữ liệu", encoding="utf-8")
    before = (folder / "kdx.sqlite3").read_bytes()
    assert main(["--data-dir", str(folder), "restore", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: ") and "không phải là bản sao lưu KDX" in err
    assert (folder / "kdx.sqlite3").read_bytes() == before


def test_commands_have_vietnamese_help() -> None:
    for cmd in ("backup", "restore"):
        proc = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), cmd, "--help"], capture_output=True, text=True, check=True
        )
        assert "sao lưu" in proc.stdout


def test_backup_out_never_overwrites_another_document(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "bao-cao.docx"
    doc.write_bytes(b"PK\x03\x04 van ban quan trong")
    assert main(["--data-dir", str(folder), "backup", "--out", str(doc)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: ") and "không ghi đè" in err and str(doc) in err
    assert doc.read_bytes() == b"PK\x03\x04 van ban quan trong"
    # An earlier backup at that name is replaced, as before.
    earlier = tmp_path / "kdx-gui-so.sqlite3"
    assert main(["--data-dir", str(folder), "backup", "--out", str(earlier)]) == 0
    assert main(["--data-dir", str(folder), "backup", "--out", str(earlier)]) == 0


@pytest.mark.parametrize("name", ["kdx.sqlite3", "kdx.sqlite3-wal", "kdx.sqlite3-shm"])
def test_backup_out_refuses_the_database_files_themselves(
    folder: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = dump(folder / "kdx.sqlite3")
    assert main(["--data-dir", str(folder), "backup", "--out", str(folder / name)]) == 2
    assert "chính cơ sở dữ liệu đang dùng" in capsys.readouterr().err
    assert dump(folder / "kdx.sqlite3") == snapshot
    assert main(["--data-dir", str(folder), "show", "--org", "BKT", "--year", "2025"]) == 0


def test_backup_out_a_folder_is_bad_usage(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(folder), "backup", "--out", str(tmp_path)]) == 2
    assert "là một thư mục" in capsys.readouterr().err


def test_restore_a_folder_says_it_is_a_folder(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(folder), "restore", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "là một thư mục, không phải tệp" in err and "Không tìm thấy" not in err
