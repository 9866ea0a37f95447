"""``import FILE… [--received YYYY-MM-DD] [--dry-run] [--json]``: the Sở's intake, one line per
file, all or nothing per file. ``--received``: the day the packages reached the Sở (Vietnam time),
for mail read after the day it came; today when not given. On time or late is judged on it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from ..services.intake import BackupFailed, import_paths
from . import EXIT_NOT_ACCEPTABLE, EXIT_OK, add, fail, with_app

MAX_CHANGES_SHOWN = 40


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "import",
        "Sở nhập gói báo cáo của các cơ quan (tệp .zip hoặc thư mục); mỗi tệp nhập trọn vẹn hoặc không nhập",
        run,
    )
    p.add_argument(
        "files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="gói BaoCao_….zip (hoặc KDX_….zip của bản cũ), hoặc thư mục chứa các gói",
    )
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và cho biết kết quả, không ghi gì")
    p.add_argument(
        "--accept-jump",
        action="store_true",
        help="nhập cả lần gửi vượt xa lần Sở đã nhận (chỉ sau khi đã xác minh với đơn vị)",
    )
    p.add_argument(
        "--received",
        type=_date,
        metavar="YYYY-MM-DD",
        help="ngày gói đến Sở (giờ Việt Nam), nếu trước hôm nay; đúng hạn/trễ hạn xét theo ngày này",
    )
    p.add_argument("--json", action="store_true", help="xuất JSON")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{text}” không phải ngày dạng YYYY-MM-DD (ví dụ 2025-11-20)"
        ) from None


def run(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        try:
            outcomes = import_paths(
                app,
                list(args.files),
                dry_run=args.dry_run,
                accept_jump=args.accept_jump,
                received=args.received,
            )
        except BackupFailed as exc:
            fail(str(exc))
            return EXIT_NOT_ACCEPTABLE
    if args.json:
        print(json.dumps([o.as_json() for o in outcomes], ensure_ascii=False, indent=2))
    else:
        for o in outcomes:
            if o.refused:
                fail(o.line)
                continue
            print(o.line)
            for ch in o.changes[:MAX_CHANGES_SHOWN]:
                print(f"    {ch.label}: {ch.old} → {ch.new}")
            if len(o.changes) > MAX_CHANGES_SHOWN:
                print(f"    … và {len(o.changes) - MAX_CHANGES_SHOWN} thay đổi khác")
        if args.dry_run:
            print("(Chạy thử: chưa ghi gì vào cơ sở dữ liệu.)")
    return EXIT_NOT_ACCEPTABLE if any(o.refused for o in outcomes) else EXIT_OK
