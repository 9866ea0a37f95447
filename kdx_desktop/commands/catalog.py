"""``catalog [--json]``: the active catalogue."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..core.catalog import Catalog
from ..core.catalog_loader import load_catalog
from ..core.compute import format_target
from . import EXIT_OK, add


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub, common, "catalog", "in danh mục đang dùng (tổ chức, chỉ số, chỉ tiêu, quy tắc, nhiệm vụ)", run
    )
    p.add_argument("--json", action="store_true", help="xuất JSON cho chương trình khác")


def catalog_json(cat: Catalog) -> dict[str, Any]:
    return {
        "id": cat.id,
        "version": cat.version,
        "sha256": cat.sha256,
        "reporting_years": {"from": cat.year_from, "to": cat.year_to},
        "organisations": [
            {
                "code": o.code,
                "name": o.periods[-1].name,
                "kind": o.kind,
                "expected_to_report": o.expected_to_report,
                "periods": [
                    {
                        "from": p.year_from,
                        "to": p.year_to,
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
    cat = load_catalog()
    if args.json:
        print(json.dumps(catalog_json(cat), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Danh mục {cat.id} phiên bản {cat.version} (năm {cat.year_from}-{cat.year_to})")
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
