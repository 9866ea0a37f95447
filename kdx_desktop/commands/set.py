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
        help="ví dụ staff_total=58; MÃ= để xóa; MÃ=NA: không áp dụng; mỗi mã chỉ một lần",
    )


def parse_command_line(assignments: list[str]) -> dict[str, str]:
    """``MÃ=GIÁ_TRỊ`` words as ``{key: typed text}``, or :class:`UsageError`.

    A key given twice is refused rather than letting the last one win silently: the officer
    (or the script) meant one of the two values and we cannot tell which."""
    raw: dict[str, str] = {}
    repeated: list[str] = []
    for item in assignments:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"“{item}” không đúng dạng MÃ=GIÁ_TRỊ.")
        if key in raw and key not in repeated:
            repeated.append(key)
        raw[key] = value
    if repeated:
        names = ", ".join(f"“{k}”" for k in repeated)
        raise UsageError(
            f"Mã trường {names} được nhập nhiều lần trong cùng một lệnh; mỗi mã chỉ được nhập một lần. "
            "Chưa lưu giá trị nào."
        )
    return raw


def run(args: argparse.Namespace) -> int:
    raw = parse_command_line(args.assignments)
    with with_app(args) as app:
        n = set_values(app, args.org, args.year, raw, reason=args.reason)
    print(f"Đã lưu {n} giá trị thay đổi.")
    return EXIT_OK
