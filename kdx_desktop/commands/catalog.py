"""``catalog [--json]``: the catalogue in force (the newest edition of the data folder), and
``catalog install FILE``: install a new edition sent by the Sở."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..core.catalog import Catalog
from ..core.compute import format_target
from . import EXIT_OK, add, with_app


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub, common, "catalog", "in danh mục đang dùng (tổ chức, chỉ số, chỉ tiêu, quy tắc, nhiệm vụ)", run
    )
    p.add_argument("--json", action="store_true", help="xuất JSON cho chương trình khác")
    actions = p.add_subparsers(dest="action", metavar="{export,build,install}")
    exp = actions.add_parser(
        "export",
        parents=[common],
        help="ghi danh mục đang dùng ra bảng tính để Sở sửa",
        description="Ghi danh mục đang dùng ra bảng tính (tổ chức, chỉ số, chỉ tiêu, quy tắc, nhiệm vụ).",
    )
    exp.add_argument("--xlsx", type=Path, required=True, metavar="FILE", help="tệp bảng tính sẽ ghi (.xlsx)")
    bld = actions.add_parser(
        "build",
        parents=[common],
        help="kiểm tra bảng tính đã sửa và lập tệp danh mục lần ban hành mới",
        description="Kiểm tra bảng tính, in những thay đổi so với lần ban hành hiện tại rồi ghi tệp danh mục.",
    )
    bld.add_argument("workbook", type=Path, help="bảng tính đã sửa (.xlsx)")
    bld.add_argument("--out", type=Path, required=True, metavar="FILE", help="tệp danh mục sẽ ghi (.kdxdm)")
    bld.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và in thay đổi, không ghi tệp")
    inst = actions.add_parser(
        "install",
        parents=[common],
        help="cài đặt một lần ban hành danh mục mới do Sở gửi (tệp .kdxdm)",
        description="Kiểm tra tệp danh mục (mã băm, đúng tỉnh, mới hơn), in những gì thay đổi rồi cài đặt.",
    )
    inst.add_argument("file", type=Path, help="tệp danh mục (.kdxdm)")
    inst.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và in thay đổi, không cài đặt")


def catalog_json(cat: Catalog) -> dict[str, Any]:
    return {
        "id": cat.id,
        "version": cat.version,
        "edition": cat.edition.as_json(),
        "sha256": cat.sha256,
        "reporting_years": {"from": cat.year_from, "to": cat.year_to},
        "organisations": [
            {
                "code": o.code,
                "name": o.periods[-1].name,
                "kind": o.kind,
                "expected_to_report": o.expected_to_report,
                **({"successor": o.successor} if o.successor else {}),
                "periods": [
                    {
                        "from": p.start.isoformat(),
                        "to": None if p.end is None else p.end.isoformat(),
                        "name": p.name,
                        "governing_body": p.governing_body,
                        "abbreviation": p.abbreviation,
                        "place": p.place,
                        "signer_title": p.signer_title,
                    }
                    for p in o.periods
                ],
            }
            for o in cat.organisations
        ],
        "data_elements": [
            {
                "code": e.code,
                "label": e.label,
                "type": e.type,
                "unit": e.unit,
                "applies_to": list(e.applies_to),
                "required": e.required,
                **({"choices": [{"code": c.code, "label": c.label} for c in e.choices]} if e.choices else {}),
                **({"min": e.min} if e.min is not None else {}),
                **({"max": e.max} if e.max is not None else {}),
            }
            for e in cat.elements.values()
        ],
        "indicators": [
            {
                "code": i.code,
                "label": i.label,
                "unit": i.unit,
                "source": i.source,
                "measure": i.measure,
                "targets": {str(y): v for y, v in sorted(i.targets.items())},
                "target_labels": {str(y): format_target(i, y) for y in sorted(i.targets)},
                "applies_to": list(i.applies_to),
            }
            for i in cat.indicators
        ],
        "rules": [{"code": r.code, "severity": r.severity, "message": r.message} for r in cat.rules],
        "tasks": [
            {
                "code": t.code,
                "no": t.no,
                "title": t.title,
                "lead": t.lead,
                "coordinating": t.coordinating,
                "product": t.product,
                "timeframe": t.timeframe,
                **({"part_of": t.part_of} if t.part_of else {}),
            }
            for t in cat.tasks
        ],
    }


def run(args: argparse.Namespace) -> int:
    if args.action == "install":
        return run_install(args)
    if args.action == "export":
        return run_export(args)
    if args.action == "build":
        return run_build(args)
    with with_app(args) as app:
        cat = app.catalog
    if args.json:
        print(json.dumps(catalog_json(cat), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Danh mục {cat.id} phiên bản {cat.version} (năm {cat.year_from}-{cat.year_to})")
    print(f"{cat.edition.label}; nơi ban hành: {cat.edition.issuer}")
    print("\nTổ chức:")
    for o in cat.organisations:
        print(f"  {o.code:8} {o.periods[-1].name} [{cat.kinds[o.kind]['label']}]")
    print("\nChỉ tiêu:")
    for i in cat.indicators:
        targets = ", ".join(f"{y}: {format_target(i, y)}" for y in sorted(i.targets))
        print(f"  {i.source:6} {i.code:6} {i.short_label} ({targets})")
    print("\nNhiệm vụ (Phụ lục 2):")
    for t in cat.tasks:
        print(f"  {t.code:4} {t.title[:90]}")
    return EXIT_OK


def run_install(args: argparse.Namespace) -> int:
    from ..services.editions import install, preview_install, read_edition_path

    raw = read_edition_path(args.file)
    with with_app(args) as app:
        if args.dry_run:
            preview = preview_install(app, raw, f"Tệp “{args.file.name}”")
        else:
            preview = install(app, raw, f"Tệp “{args.file.name}”")
    print("\n".join(preview.lines()))
    if args.dry_run:
        print("Chưa cài đặt (--dry-run).")
    else:
        print(f"Đã cài đặt {preview.catalog.edition.label}.")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from ..fsutil import OutputError, atomic_write_bytes, describe_os_error
    from ..services.catalog_workbook import export_workbook

    with with_app(args) as app:
        body = export_workbook(app.catalog)
        label = app.catalog.edition.label
    try:
        atomic_write_bytes(args.xlsx, body)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, args.xlsx)) from None
    print(f"Đã ghi {label} ra bảng tính {args.xlsx}.")
    return EXIT_OK


def run_build(args: argparse.Namespace) -> int:
    from ..fsutil import OutputError, atomic_write_bytes, describe_os_error, read_file_at_most
    from ..package.canonical import verification_code
    from ..services.catalog_workbook import build_from_workbook, read_workbook_path
    from ..services.editions import edition_file

    raw = read_workbook_path(args.workbook, read_file_at_most)
    with with_app(args) as app:
        built = build_from_workbook(raw, app.catalog)
        current = app.catalog.edition.label
    new = built.catalog
    print(f"{new.edition.label}; nơi ban hành: {new.edition.issuer}. So với {current}:")
    print("\n".join(f"  • {c}" for c in built.changes) or "  (không có thay đổi)")
    if args.dry_run:
        print("Chưa ghi tệp (--dry-run).")
        return EXIT_OK
    try:
        atomic_write_bytes(args.out, edition_file(new))
    except OSError as exc:
        raise OutputError(describe_os_error(exc, args.out)) from None
    print(f"Đã ghi tệp danh mục {args.out}. Mã xác thực: {verification_code(new.sha256)}")
    print("In mã xác thực kèm công văn gửi các đơn vị để họ đối chiếu trước khi cài đặt.")
    return EXIT_OK
