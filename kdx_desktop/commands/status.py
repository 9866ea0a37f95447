"""``status --year Y [--json]``: who was expected to report, who did, on time or late, which revision."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..services.intake import status_board
from ..signing.labels import signature_phrase
from . import EXIT_OK, add, with_app


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "status",
        "tình hình nhận báo cáo của một năm: đã gửi, đúng hạn hay trễ hạn, lần gửi",
        run,
    )
    p.add_argument("--year", required=True, type=int, help="năm báo cáo")
    p.add_argument("--json", action="store_true", help="xuất JSON")
    p.add_argument("--pdf", type=Path, metavar="FILE", help="ghi bảng tình hình ra tệp PDF để in")
    p.add_argument("--xlsx", type=Path, metavar="FILE", help="ghi bảng tình hình ra bảng tính Excel")


def run(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        b = status_board(app, args.year)
        if args.pdf or args.xlsx:
            from ..services.chasing import write_board

            for f in write_board(app, args.year, pdf=args.pdf, xlsx=args.xlsx):
                print(f"Đã ghi: {f}")
            return EXIT_OK
    if args.json:
        print(json.dumps(b.as_json(), ensure_ascii=False, indent=2, sort_keys=True))
        return EXIT_OK
    s = b.summary()
    print(
        f"Năm {b.year} - hạn gửi {b.deadline_text}: đã nhận {s['received']}/{s['expected']} báo cáo, "
        f"{s['on_time']} đúng hạn, {s['late']} trễ hạn, {s['missing']} chưa gửi"
        + (f" ({s['overdue']} quá hạn)" if s["overdue"] else "")
        + (f", {s['under_correction']} đang sửa theo góp ý" if s["under_correction"] else "")
        + (
            f", {s['awaiting_signature']} đã nhận nhưng chưa ký số (chưa tính)"
            if s["awaiting_signature"]
            else ""
        )
        + "."
    )
    for r in b.rows:
        if not r.received:
            print(
                f"  {r.abbreviation:<8} {r.name}: chưa gửi"
                + (f" - {r.lateness.lower()}" if r.overdue else "")
            )
            continue
        paper = (
            f"đã đối chiếu bản giấy ({r.paper_checked_by})" if r.paper_checked else "chưa đối chiếu bản giấy"
        )
        extra = "" if r.expected else " (không thuộc diện phải báo cáo)"
        conflict = f"; XUNG ĐỘT: {r.conflict_note}" if r.conflict else ""
        paper += f", {signature_phrase(r.signature, r.signature_policy)}"
        print(
            f"  {r.abbreviation:<8} {r.name}{extra}: lần {r.revision}, mã xác thực {r.verification_code}, "
            f"{r.lateness.lower()}, {r.warnings} cảnh báo đã giải trình, {paper}{conflict}"
            + (f"; góp ý: {r.review}" if r.review else "")
            + (f"; lý do gửi lại: {r.reopen_reason}" if r.reopen_reason else "")
        )
    if b.own_missing:
        print("Số liệu cấp tỉnh Sở chưa nhập: " + "; ".join(b.own_missing) + ".")
    return EXIT_OK
