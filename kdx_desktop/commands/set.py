"""``set --org CODE --year Y CODE=VALUE…``: store values exactly as the form would."""

from __future__ import annotations

import argparse

from ..services.reporting import UsageError, set_values
from . import EXIT_OK, add, org_year, with_app


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub, common, "set", "nhập giá trị (cùng cách kiểm tra như biểu mẫu; tất cả hoặc không gì cả)", run
    )
    org_year(p)
    p.add_argument("--reason", help="lý do thay đổi (ghi vào nhật ký)")
    p.add_argument(
        "assignments",
        nargs="+",
        metavar="MÃ=GIÁ_TRỊ",
        help="ví dụ staff_total=58; MÃ= để xóa; MÃ=NA: không áp dụng",
    )


def run(args: argparse.Namespace) -> int:
    raw: dict[str, str] = {}
    for item in args.assignments:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"“{item}” không đúng dạng MÃ=GIÁ_TRỊ.")
        raw[key.strip()] = value
    with with_app(args) as app:
        n = set_values(app, args.org, args.year, raw, reason=args.reason)
    print(f"Đã lưu {n} giá trị thay đổi.")
    return EXIT_OK
