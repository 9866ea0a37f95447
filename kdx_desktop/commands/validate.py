"""``validate --org CODE --year Y [--json]``: every issue; exit 1 if any error."""

from __future__ import annotations

import argparse
import json

from ..core.rules import ERROR
from ..core.values import field_for_key
from ..services.reporting import load_state
from . import EXIT_NOT_ACCEPTABLE, EXIT_OK, add, org_year, summary_line, with_app


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(sub, common, "validate", "kiểm tra báo cáo theo các quy tắc; mã thoát 1 nếu có lỗi", run)
    org_year(p)
    p.add_argument("--json", action="store_true", help="xuất JSON")


def run(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        state = load_state(app, args.org, args.year)
    s = state.summary()
    if args.json:
        print(
            json.dumps(
                {"issues": [i.as_json() for i in state.issues], "summary": s}, ensure_ascii=False, indent=2
            )
        )
    else:
        for i in state.issues:
            sev = "LỖI" if i.severity == ERROR else "CẢNH BÁO"
            try:
                where = field_for_key(state.catalog, i.field).label
            except KeyError:
                where = state.catalog.indicator(i.field).short_label
            note = ""
            if i.severity != ERROR:
                note = f" — giải trình: {i.justification}" if i.justification else " — CHƯA GIẢI TRÌNH"
            print(f"{sev} - {where}: {i.message}{note}")  # the ids are in --json
        print(summary_line(s))
    return EXIT_NOT_ACCEPTABLE if s["errors"] else EXIT_OK
