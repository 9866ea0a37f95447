"""``consolidate --year Y --out DIR``: the province's consolidated report (.xlsx and .pdf)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..services.intake import consolidate, own_data_gaps, status_board
from . import EXIT_OK, add, with_app


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "consolidate",
        "lập báo cáo tổng hợp của tỉnh (bảng tính .xlsx và .pdf) do Sở ban hành",
        run,
    )
    p.add_argument("--year", required=True, type=int, help="năm báo cáo")
    p.add_argument("--out", required=True, type=Path, help="thư mục ghi tệp")


def run(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        gaps = own_data_gaps(app, args.year)
        if gaps:
            print(f"Lưu ý: báo cáo năm {args.year} của chính Sở còn thiếu:", file=sys.stderr)
            for gap in gaps:
                print(f"  - {gap}", file=sys.stderr)
        paths = consolidate(app, args.year, args.out)
        board = status_board(app, args.year)
    for p in paths:
        print(p)
    if board.missing:
        print("Lưu ý: chưa nhận báo cáo của " + "; ".join(r.name for r in board.missing) + ".")
    fixing = [r for r in board.rows if r.under_correction]
    if fixing:
        print(
            "Lưu ý: số liệu của "
            + "; ".join(f"{r.name} (lần gửi {r.revision})" for r in fixing)
            + " đang được sửa theo góp ý của Sở."
        )
    return EXIT_OK
