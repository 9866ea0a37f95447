"""``selftest [--screenshot PNG] [--json]``: prove this installation works, end to end.

Runs in a temporary folder (the user's data folder is not touched): catalogue, database and
migrations, sample data, validation, an exported report (PDF with Vietnamese text and embedded fonts,
workbook, package that verifies) and, where Qt is present, the main window built offscreen.
Exit 0 only if every step worked; 1 otherwise. The frozen build runs it after every build.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..selftest.runner import Step, environment, run_selftest
from . import EXIT_NOT_ACCEPTABLE, EXIT_OK, EXIT_USAGE, add, fail


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "selftest",
        "tự kiểm tra bản cài đặt trong một thư mục tạm (danh mục, cơ sở dữ liệu, xuất PDF/Excel/gói, "
        "cửa sổ); mã thoát 0 chỉ khi mọi bước đều đạt",
        run,
    )
    p.add_argument(
        "--screenshot", metavar="PNG", help="lưu ảnh chụp cửa sổ chính (dựng offscreen) vào tệp PNG này"
    )
    p.add_argument("--json", action="store_true", help="xuất kết quả dạng JSON")


def _line(step: Step) -> str:
    mark = "–" if step.skipped else ("✓" if step.ok else "✗")
    tail = " (bỏ qua)" if step.skipped else ""
    return f"{mark} {step.label}{tail}: {step.detail} [{step.seconds * 1000:.0f} ms]"


def run(args: argparse.Namespace) -> int:
    screenshot = Path(args.screenshot) if args.screenshot else None
    if screenshot is not None and screenshot.suffix.lower() != ".png":
        fail(f"ảnh chụp phải là tệp .png (đã cho: {screenshot.name}).")
        return EXIT_USAGE
    if args.json:
        result = run_selftest(screenshot=screenshot)
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return EXIT_OK if result.ok else EXIT_NOT_ACCEPTABLE
    env = environment()
    kind = "bản đóng gói" if env["frozen"] else "chạy từ mã nguồn"
    portable = "bật" if env["portable"] else "tắt"
    print(f"KDX {env['version']} ({kind}), Python {env['python']}, {env['system']}")
    print(f"Chế độ di động: {portable}; thư mục dữ liệu mặc định: {env['default_data_dir']}")
    print("Tự kiểm tra trong thư mục tạm (không động tới dữ liệu thật):", flush=True)
    result = run_selftest(screenshot=screenshot, on_step=lambda s: print(_line(s), flush=True))
    failed = [s for s in result.steps if not s.ok]
    if failed:
        print(f"KHÔNG ĐẠT: {len(failed)}/{len(result.steps)} bước lỗi.", file=sys.stderr)
        return EXIT_NOT_ACCEPTABLE
    print(f"ĐẠT: {len(result.steps)} bước đều thành công.")
    return EXIT_OK
