"""``remind --year Y --out DIR [--org CODE]``: a mail draft (.eml) and a letter (PDF) for each
agency that has not reported or must correct its report."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..services.chasing import write_reminders
from . import EXIT_OK, add, with_app


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "remind",
        "(Sở) thư nhắc (.eml) và công văn đôn đốc (PDF) cho các cơ quan chưa gửi hoặc phải sửa báo cáo",
        run,
    )
    p.add_argument("--year", required=True, type=int, help="năm báo cáo")
    p.add_argument("--out", required=True, type=Path, help="thư mục ghi thư nhắc")
    p.add_argument("--org", help="chỉ nhắc một cơ quan (mã tổ chức)")


def run(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        files = write_reminders(app, args.year, args.out, org=args.org)
    for f in files:
        print(f"Đã ghi: {f}")
    return EXIT_OK
