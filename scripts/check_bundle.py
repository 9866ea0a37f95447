"""Check a built KDX folder (dist/KDX) and run its frozen programs.

    python scripts/check_bundle.py dist/KDX            # files only
    python scripts/check_bundle.py dist/KDX --run      # + frozen selftest, portable mode, window start

Fails (exit 1, one line per problem) when the bundle misses a file the program needs: either
program, any file under resources/, the user guide and its pictures, a Qt platform plugin; or when it
contains what must never ship (test tools, unused libraries). With ``--run`` it also runs the frozen
``kdx-cli selftest`` (every step must pass), proves portable mode (a ``portable.txt`` next to the
program puts the data in ``KDX-data`` beside it) and starts the frozen window offscreen. Prints the
bundle's size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = sys.platform == "win32"
EXE = ".exe" if WINDOWS else ""
# Never in a release: development tools and libraries KDX does not use (see pyinstaller.spec).
FORBIDDEN = ("pytest", "_pytest", "pytestqt", "mypy", "ruff", "numpy", "yaml", "PyInstaller")
PLATFORM_PLUGINS = ("qwindows", "qoffscreen") if WINDOWS else ("libqxcb", "libqoffscreen")


def internal_dir(bundle: Path) -> Path:
    inner = bundle / "_internal"
    return inner if inner.is_dir() else bundle


def expected_data(root: Path = ROOT) -> list[Path]:
    """Source files (relative to the repository) that must be in the bundle as data."""
    out = [p.relative_to(root) for p in sorted((root / "resources").rglob("*")) if p.is_file()]
    docs = root / "docs"
    for p in sorted(docs.glob("huong-dan-su-dung*")):
        out.append(p.relative_to(root))
    if (docs / "images").is_dir():
        out += [p.relative_to(root) for p in sorted((docs / "images").rglob("*.png"))]
    return out


def check_files(bundle: Path) -> list[str]:
    problems: list[str] = []
    for name in ("KDX", "kdx-cli"):
        exe = bundle / f"{name}{EXE}"
        if not exe.is_file():
            problems.append(f"thiếu chương trình {exe.name}")
    inner = internal_dir(bundle)
    for rel in expected_data():
        target = inner / rel
        if not target.is_file():
            problems.append(f"thiếu tệp dữ liệu {rel.as_posix()}")
        elif target.stat().st_size != (ROOT / rel).stat().st_size:
            problems.append(f"tệp dữ liệu {rel.as_posix()} khác bản gốc")
    plugins = inner / "PySide6" / "Qt" / "plugins" / "platforms"
    if WINDOWS and not plugins.is_dir():
        plugins = inner / "PySide6" / "plugins" / "platforms"
    for plugin in PLATFORM_PLUGINS:
        if not any(p.name.startswith(plugin) for p in plugins.glob("*")):
            problems.append(f"thiếu plugin nền tảng Qt {plugin} (trong {plugins.relative_to(bundle)})")
    for name in FORBIDDEN:
        if (inner / name).exists():
            problems.append(f"gói có thứ không được phát hành: {name}")
    return problems


def real_files(folder: Path) -> list[Path]:
    """Files, not the symbolic links PyInstaller makes to them (they would count twice)."""
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in real_files(folder)) / 1_000_000


def clean_env() -> dict[str, str]:
    """The environment of a user's PC: no data-folder override, Qt offscreen (no screen here)."""
    env = {k: v for k, v in os.environ.items() if k not in ("KDX_DATA_DIR", "PYTHONPATH")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run_selftest(bundle: Path, screenshot: Path) -> list[str]:
    cli = bundle / f"kdx-cli{EXE}"
    done = subprocess.run(
        [str(cli), "selftest", "--screenshot", str(screenshot)], env=clean_env(), timeout=300, check=False
    )
    if done.returncode != 0:
        return [f"kdx-cli selftest (bản đóng gói) thất bại, mã thoát {done.returncode}"]
    if not screenshot.is_file():
        return [f"kdx-cli selftest không tạo ảnh chụp {screenshot}"]
    return []


def check_portable(bundle: Path) -> list[str]:
    """A ``portable.txt`` beside the program moves the data folder to ``KDX-data`` beside it."""
    marker, data = bundle / "portable.txt", bundle / "KDX-data"
    if marker.exists() or data.exists():
        return [f"{bundle} đã có portable.txt hoặc KDX-data: không kiểm tra chế độ di động được"]
    cli = str(bundle / f"kdx-cli{EXE}")
    problems: list[str] = []
    try:
        if not WINDOWS:
            # Off by default: without the marker the data goes to the per-user folder. Checked where that
            # folder can be redirected (XDG_DATA_HOME), so a real user's data is never touched.
            with tempfile.TemporaryDirectory(prefix="kdx-xdg-") as xdg:
                env = clean_env() | {"XDG_DATA_HOME": xdg}
                done = subprocess.run([cli, "demo"], env=env, capture_output=True, timeout=120, check=False)
                if done.returncode != 0 or not (Path(xdg) / "KDX" / "kdx.sqlite3").is_file() or data.exists():
                    problems.append("không có portable.txt mà dữ liệu không nằm trong thư mục của người dùng")
        marker.write_text(
            "Chế độ di động: dữ liệu nằm trong thư mục KDX-data bên cạnh chương trình.\n", "utf-8"
        )
        done = subprocess.run([cli, "demo"], env=clean_env(), capture_output=True, timeout=120, check=False)
        if done.returncode != 0:
            problems.append(f"kdx-cli demo ở chế độ di động thất bại: {done.stderr.decode(errors='replace')}")
        elif not (data / "kdx.sqlite3").is_file():
            problems.append("chế độ di động: không thấy KDX-data/kdx.sqlite3 cạnh chương trình")
    finally:
        marker.unlink(missing_ok=True)
        shutil.rmtree(data, ignore_errors=True)
    return problems


def check_window_starts(bundle: Path, seconds: float = 4.0) -> list[str]:
    """The frozen window program starts (offscreen) and is still running after a few seconds."""
    with tempfile.TemporaryDirectory(prefix="kdx-window-") as tmp:
        proc = subprocess.Popen(
            [str(bundle / f"KDX{EXE}"), "--data-dir", tmp],
            env=clean_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
            return []
        out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
        if proc.returncode == 0:
            return []
        return [f"cửa sổ KDX (bản đóng gói) dừng ngay, mã thoát {proc.returncode}: {out.strip()[-400:]}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the built folder, e.g. dist/KDX")
    parser.add_argument("--run", action="store_true", help="also run the frozen programs")
    parser.add_argument("--screenshot", type=Path, help="where the frozen selftest saves the window picture")
    parser.add_argument("--json", type=Path, help="write the figures (size, files, problems) to this file")
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    problems = check_files(bundle)
    if args.run and not problems:
        with tempfile.TemporaryDirectory(prefix="kdx-shot-") as tmp:
            problems += run_selftest(bundle, args.screenshot or Path(tmp) / "selftest.png")
        problems += check_portable(bundle)
        problems += check_window_starts(bundle)
    files = len(real_files(bundle))
    mb = size_mb(bundle)
    print(f"Bundle {bundle.name}: {mb:.1f} MB, {files} files")
    if args.json:
        args.json.write_text(
            json.dumps({"size_mb": round(mb, 1), "files": files, "problems": problems}, indent=2)
        )
    for p in problems:
        print(f"LỖI: {p}", file=sys.stderr)
    if problems:
        return 1
    print("Bundle OK" + (" (frozen selftest, portable mode, window start)" if args.run else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
