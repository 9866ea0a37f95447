"""What the frozen build relies on, checked from source: resources found through sys._MEIPASS, portable
mode beside the exe, the user guide path, the console entry without Qt, and the bundle checker that
fails the build when a file is missing. (The real build runs in scripts/ci_build_bundle.sh.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kdx_desktop import paths

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import check_bundle  # noqa: E402


def _frozen(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Path:
    """Pretend to be the frozen program in ``folder`` (exe beside ``_internal``)."""
    internal = folder / "_internal"
    internal.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(internal), raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "KDX.exe"))
    monkeypatch.delenv("KDX_DATA_DIR", raising=False)
    return internal


def test_frozen_resources_come_from_the_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    internal = _frozen(monkeypatch, tmp_path / "KDX")
    assert (
        paths.resource_path("catalog", "kdx-catalog.json")
        == internal / "resources" / "catalog" / "kdx-catalog.json"
    )
    assert paths.program_dir() == tmp_path / "KDX"
    (internal / "docs").mkdir()
    assert paths.user_guide_path() == internal / "docs" / "huong-dan-su-dung.md"
    (internal / "docs" / "huong-dan-su-dung.html").write_text("<html></html>", "utf-8")
    assert paths.user_guide_path() == internal / "docs" / "huong-dan-su-dung.html"


def test_portable_mode_is_off_by_default_and_on_with_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "USB" / "KDX"
    _frozen(monkeypatch, folder)
    assert not paths.is_portable()
    assert paths.default_data_dir() != folder / "KDX-data"
    (folder / "portable.txt").write_text("", "utf-8")
    assert paths.is_portable()
    assert paths.default_data_dir() == folder / "KDX-data"
    assert paths.resolve_data_dir() == (folder / "KDX-data").resolve()
    # An explicit folder still wins, as on the command line.
    monkeypatch.setenv("KDX_DATA_DIR", str(tmp_path / "khac"))
    assert paths.default_data_dir() == tmp_path / "khac"


def test_user_guide_from_source_exists() -> None:
    guide = paths.user_guide_path()
    assert guide.parent == ROOT / "docs"
    assert guide.is_file(), guide
    text = guide.read_text(encoding="utf-8")
    assert "Hướng dẫn sử dụng" in text


def test_console_entry_prints_help_without_qt(tmp_path: Path) -> None:
    code = (
        "import runpy, sys; sys.argv = ['kdx-cli']\n"
        "try:\n    runpy.run_path(sys.argv_path, run_name='__main__')\n"
        "except SystemExit as e:\n    status = e.code\n"
        "assert 'PySide6' not in sys.modules, 'Qt imported'\n"
        "print('STATUS', status)\n"
    ).replace("sys.argv_path", repr(str(ROOT / "kdx_desktop" / "entry_cli.py")))
    env = {k: v for k, v in os.environ.items() if k != "KDX_DATA_DIR"} | {"PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env=env, cwd=tmp_path, timeout=60, check=False
    )
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "STATUS 2" in out and "selftest" in out and "Không có lệnh" in out


def _fake_bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "KDX"
    inner = bundle / "_internal"
    for rel in check_bundle.expected_data():
        (inner / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, inner / rel)
    plugins = inner / "PySide6" / "Qt" / "plugins" / "platforms"
    plugins.mkdir(parents=True)
    for name in ("libqxcb.so", "libqoffscreen.so", "qwindows.dll"):
        (plugins / name).write_bytes(b"\0")
    for name in ("KDX", "kdx-cli"):
        (bundle / f"{name}{check_bundle.EXE}").write_bytes(b"\0")
    return bundle


def test_bundle_checker_accepts_a_complete_bundle_and_names_what_is_missing(tmp_path: Path) -> None:
    bundle = _fake_bundle(tmp_path)
    assert check_bundle.check_files(bundle) == []
    inner = bundle / "_internal"
    (inner / "resources" / "catalog" / "kdx-catalog.json").unlink()
    (inner / "pytest").mkdir()
    for plugin in (inner / "PySide6" / "Qt" / "plugins" / "platforms").iterdir():
        plugin.unlink()
    (bundle / f"kdx-cli{check_bundle.EXE}").unlink()
    problems = check_bundle.check_files(bundle)
    assert "thiếu tệp dữ liệu resources/catalog/kdx-catalog.json" in problems
    assert "gói có thứ không được phát hành: pytest" in problems
    assert any(p.startswith("thiếu plugin nền tảng Qt") for p in problems)
    assert f"thiếu chương trình kdx-cli{check_bundle.EXE}" in problems
    assert check_bundle.main([str(bundle)]) == 1


def test_expected_data_lists_resources_and_guide() -> None:
    names = {p.as_posix() for p in check_bundle.expected_data()}
    assert "resources/catalog/kdx-catalog.json" in names
    assert "resources/icons/kdx.ico" in names
    assert "docs/huong-dan-su-dung.md" in names
