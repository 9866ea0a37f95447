"""``consolidate --year Y --out DIR``: the province's consolidated report (.xlsx and .pdf)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..fsutil import OutputError
from ..services.intake import consolidate, status_board
from . import EXIT_OK, EXIT_USAGE, add, fail, with_app


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
    app = with_app(args)
    try:
        try:
            paths = consolidate(app, args.year, args.out)
        except OutputError as exc:
            fail(str(exc))
            return EXIT_USAGE
        board = status_board(app, args.year)
    finally:
        app.close()
    for p in paths:
        print(p)
    if board.missing:
        print("Lưu ý: chưa nhận báo cáo của " + "; ".join(r.name for r in board.missing) + ".")
    return EXIT_OK
