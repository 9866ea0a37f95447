"""``show --org CODE --year Y [--json]``: values, indicators against targets, status, revision."""

from __future__ import annotations

import argparse
import json

from ..core.compute import format_indicator_value, format_target
from ..core.values import display, field_for_key
from ..services.reporting import load_state
from . import EXIT_OK, add, org_year, summary_line, with_app

STATUS = {"draft": "Bản nháp", "exported": "Đã xuất (khóa)"}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(sub, common, "show", "xem báo cáo: giá trị, chỉ tiêu so với kế hoạch, trạng thái, lần gửi", run)
    org_year(p)
    p.add_argument("--json", action="store_true", help="xuất JSON")


def run(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        state = load_state(app, args.org, args.year)
    if args.json:
        print(json.dumps(state.as_json(), ensure_ascii=False, indent=2, sort_keys=True))
        return EXIT_OK
    cat = state.catalog
    print(
        f"{state.org.name(state.year)} - năm {state.year} - {STATUS[state.report.status]}, lần {state.report.revision}"
    )
    print("\nGiá trị đã nhập:")
    for key, value in state.entries.items():
        fld = field_for_key(cat, key)
        unit = f" {fld.unit}" if fld.unit and value is not None else ""
        print(f"  {fld.label}: {display(fld, value)}{unit}")
    print("\nChỉ tiêu:")
    for r in state.indicators:
        ind = cat.indicator(r.code)
        print(
            f"  [{ind.source}] {ind.short_label}: {format_indicator_value(ind, r.value, r.na, count=r.count)}"
            f" (chỉ tiêu {format_target(ind, state.year)}) - {r.status_label}"
        )
    print("\n" + summary_line(state.summary()))
    return EXIT_OK
