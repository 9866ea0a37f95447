"""``export --org CODE --year Y --out DIR [--eml]``: validate, write the package, PDF and workbook, lock.
``export --draft``: the PDF and workbook marked ``BẢN NHÁP``, as the report stands; nothing locked."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..services.exporting import ExportRefused, export_draft, export_report
from . import EXIT_NOT_ACCEPTABLE, EXIT_OK, EXIT_USAGE, add, fail, org_year, with_app


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
    p.add_argument(
        "--draft",
        action="store_true",
        help="chỉ in bản nháp (PDF và bảng tính ghi “BẢN NHÁP”) để xem và sửa: không kiểm tra, không khóa, "
        "không tạo gói, không tốn lần gửi",
    )


def run(args: argparse.Namespace) -> int:
    if args.draft:
        if args.eml:
            fail("--eml không dùng cùng --draft: bản nháp không gửi Sở.")
            return EXIT_USAGE
        with with_app(args) as app:
            draft = export_draft(app, args.org, args.year, args.out)
            name = app.catalog.org(args.org).label(args.year)
        print(f"Đã in bản nháp báo cáo {name} năm {args.year} (chưa xuất, không khóa, không có mã xác thực):")
        for path in draft.paths:
            print(f"  {path}")
        return EXIT_OK
    with with_app(args) as app:
        try:
            result = export_report(app, args.org, args.year, args.out, eml=args.eml)
            name = app.catalog.org(args.org).label(args.year)
        except ExportRefused as exc:
            fail(exc.message)
            for problem in exc.problems:
                print(f"  - {problem}", file=sys.stderr)
            return EXIT_NOT_ACCEPTABLE
    print(f"Đã xuất báo cáo {name} năm {args.year}, lần gửi {result.revision}:")
    for path in result.paths:
        print(f"  {path}")
    print(f"Mã xác thực: {result.verification_code}")
    return EXIT_OK
