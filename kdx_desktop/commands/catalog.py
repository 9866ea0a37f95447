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
    actions = p.add_subparsers(dest="action", metavar="{install}")
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
