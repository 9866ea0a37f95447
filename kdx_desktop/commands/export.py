"""``export --org CODE --year Y --out DIR [--eml]``: validate, write the package, PDF and workbook, lock."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..services.exporting import ExportRefused, export_report
from . import EXIT_NOT_ACCEPTABLE, EXIT_OK, add, fail, org_year, with_app


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "export",
        "kiểm tra rồi xuất gói dữ liệu (.zip), báo cáo (.pdf) và bảng tính (.xlsx) vào thư mục; khóa báo cáo",
        run,
    )
    org_year(p)
    p.add_argument("--out", required=True, type=Path, help="thư mục ghi các tệp xuất")
    p.add_argument("--eml", action="store_true", help="soạn sẵn thư (.eml) gửi Sở, đính kèm gói dữ liệu")


def run(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        try:
            result = export_report(app, args.org, args.year, args.out, eml=args.eml)
        except ExportRefused as exc:
            fail(exc.message)
            for problem in exc.problems:
                print(f"  - {problem}", file=sys.stderr)
            return EXIT_NOT_ACCEPTABLE
    print(f"Đã xuất báo cáo {args.org} năm {args.year}, lần gửi {result.revision}:")
    for path in result.paths:
        print(f"  {path}")
    print(f"Mã xác thực: {result.verification_code}")
    return EXIT_OK
