"""``show --org CODE --year Y [--json] [--revision N]``: values, indicators against targets,
status, revision, and the Sở's comments with their state.

On the Sở's PC a report received from an agency is shown as received (read-only: revision,
received date, verification code); ``--revision N`` shows an older received revision."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..core.compute import format_indicator_value, format_target
from ..core.goals import towards
from ..core.values import display, field_for_key
from ..core.vntime import vn_datetime
from ..services.received import load_received, shows_received
from ..services.reporting import ReportState, load_state
from ..services.review import comments_json
from . import EXIT_OK, add, org_year, summary_line, with_app

STATUS = {"draft": "Bản nháp", "exported": "Đã xuất (khóa)"}
COMMENT_STATE = {
    "draft": "chưa gửi",
    "sent": "đã gửi, chờ trả lời",
    "open": "chưa trả lời",
    "answered": "đã trả lời",
    "unanswered": "lần gửi sau không trả lời",
}
VERDICT = {"accepted": "chấp nhận", "needs_correction": "cần sửa", None: "đang soạn"}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(sub, common, "show", "xem báo cáo: giá trị, chỉ tiêu so với kế hoạch, trạng thái, lần gửi", run)
    org_year(p)
    p.add_argument("--json", action="store_true", help="xuất JSON")
    p.add_argument(
        "--revision", type=int, help="(máy của Sở) xem một lần gửi đã nhận trước đây thay vì lần đang dùng"
    )


def _when(iso: str) -> str:
    return vn_datetime(iso)  # in Vietnam time, whatever zone the PC that stored it was in


def run(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        received = args.revision is not None or shows_received(app, args.org, args.year)
        rec = load_received(app, args.org, args.year, args.revision) if received else None
        state = rec.state if rec is not None else load_state(app, args.org, args.year)
        comments = comments_json(app, args.org, args.year, received_view=received)
    if args.json:
        doc = rec.as_json() if rec is not None else state.as_json()
        print(json.dumps({**doc, "comments": comments}, ensure_ascii=False, indent=2, sort_keys=True))
        return EXIT_OK
    if rec is not None:
        r = rec.row
        print(
            f"{state.org.name(state.year)} - năm {state.year} - Đã nhận (chỉ xem), lần {r.revision}"
            f"{'' if r.current else ' (không phải lần đang dùng)'}, nhận lúc {_when(r.received_at)}, "
            f"mã xác thực {r.verification_code}"
        )
        if rec.reopen_reason:
            print(f"Lý do gửi lại: {rec.reopen_reason}")
        others = ", ".join(str(x.revision) for x in rec.revisions)
        print(f"Các lần đã nhận: {others}.")
    else:
        print(
            f"{state.org.name(state.year)} - năm {state.year} - {STATUS[state.report.status]}, "
            f"lần {state.report.revision}"
        )
    _body(state)
    if comments:
        print("\nGóp ý của Sở:")
        for c in comments:
            print(_comment_line(c))
    return EXIT_OK


def _body(state: ReportState) -> None:
    cat = state.catalog
    print("\nGiá trị đã nhập:")
    for key, value in state.entries.items():
        fld = field_for_key(cat, key)
        unit = f" {fld.unit}" if fld.unit and value is not None and not fld.is_year else ""
        print(f"  {fld.label}: {display(fld, value)}{unit}")
    print("\nChỉ tiêu:")
    for r in state.indicators:
        ind = cat.indicator(r.code)
        # A year without its own target: the plan's next goal and the gap, as the PDF prints them.
        goal = towards(ind, r, state.year, agency=not state.org.consolidates)
        against = (
            f"({goal.aim}) - {goal.verdict}"
            if goal
            else f"(chỉ tiêu {format_target(ind, state.year)}) - {r.status_label}"
        )
        print(
            f"  [{ind.source}] {ind.short_label}: {format_indicator_value(ind, r.value, r.na, count=r.count)} {against}"
        )
    print("\n" + summary_line(state.summary()))


def _comment_line(c: dict[str, Any]) -> str:
    head = (
        f"  Lần {c['review_revision']} ({VERDICT.get(c['verdict'], c['verdict'])}), ý kiến số {c['number']} - "
        f"{c['target_label']}: {c['text']} [{COMMENT_STATE.get(c['state'], c['state'])}]"
    )
    lines = [head]
    if c.get("reply"):
        lines.append(f"      Trả lời: {c['reply']}")
    for ch in c.get("changes", []):
        lines.append(f"      Đã sửa {ch['label']}: {ch['old']} → {ch['new']}")
    return "\n".join(lines)
