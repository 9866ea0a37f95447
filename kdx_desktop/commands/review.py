"""``review …``: the Sở's review of a received report, and the agency's side of it.

At the Sở: ``review add --org --year --on CODE --text TEXT`` (a comment on a field, an indicator,
a task or ``report``), ``review remove … --number N``, ``review accept --org --year``,
``review export --org --year --out DIR`` (writes the review file). At the agency:
``review import FILE`` (reopens the report for a "needs correction" review) and
``review reply --org --year --number N --text TEXT``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..services import review
from . import EXIT_OK, add, org_year, with_app


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "review",
        "góp ý của Sở về báo cáo đã nhận (thêm ý kiến, chấp nhận, xuất tệp góp ý) và trả lời tại đơn vị",
        lambda _args: EXIT_OK,
    )
    actions = p.add_subparsers(dest="action", metavar="VIỆC", required=True)

    a = add(actions, common, "add", "(Sở) thêm một ý kiến vào góp ý cho lần gửi đang dùng", _add)
    org_year(a)
    a.add_argument(
        "--on",
        required=True,
        metavar="CODE",
        help=f"mã trường, mã chỉ tiêu, mã nhiệm vụ, hoặc “{review.TARGET_REPORT}” cho cả báo cáo",
    )
    a.add_argument("--text", required=True, help="nội dung ý kiến")

    r = add(actions, common, "remove", "(Sở) bỏ một ý kiến chưa phát hành", _remove)
    org_year(r)
    r.add_argument("--number", required=True, type=int, help="số thứ tự của ý kiến")

    c = add(actions, common, "accept", "(Sở) chấp nhận lần gửi đang dùng", _accept)
    org_year(c)

    e = add(actions, common, "export", "(Sở) phát hành góp ý: ghi tệp góp ý để gửi cho đơn vị", _export)
    org_year(e)
    e.add_argument("--out", required=True, type=Path, help="thư mục ghi tệp góp ý")

    i = add(actions, common, "import", "(đơn vị) nhập tệp góp ý của Sở", _import)
    i.add_argument(
        "file", type=Path, metavar="FILE", help="tệp góp ý GopY_….json (hoặc KDX_GOPY_….json của bản cũ)"
    )

    y = add(actions, common, "reply", "(đơn vị) trả lời một ý kiến của Sở bằng lời", _reply)
    org_year(y)
    y.add_argument("--number", required=True, type=int, help="số thứ tự của ý kiến")
    y.add_argument("--text", required=True, help="câu trả lời (để trống để bỏ câu trả lời)")


def _add(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        r = review.add_comment(app, args.org, args.year, args.on, args.text)
    c = r.comments[-1]
    print(
        f"Đã thêm ý kiến số {c.number} ({c.target_label}) vào góp ý cho {app.catalog.org_label(r.org_code, r.year)} năm {r.year} "
        f"lần {r.revision}; chưa phát hành ({len(r.comments)} ý kiến)."
    )
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        r = review.remove_comment(app, args.org, args.year, args.number)
    left = len(r.comments) if r else 0
    print(f"Đã bỏ ý kiến số {args.number}; còn {left} ý kiến chưa phát hành.")
    return EXIT_OK


def _accept(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        r = review.accept(app, args.org, args.year)
    print(
        f"Đã chấp nhận báo cáo của {app.catalog.org_label(r.org_code, r.year)} năm {r.year} lần {r.revision}; "
        "phát hành bằng “review export” để báo cho đơn vị."
    )
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        path = review.issue(app, args.org, args.year, args.out)
        r = review.issued_reviews(app, args.org, args.year)[-1]
    print(f"Đã phát hành góp ý ({r.verdict_label.lower()}, {len(r.comments)} ý kiến): {path}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        done = review.import_review(app, args.file)
    print(done.message)
    for c in done.review.comments:
        print(f"  Ý kiến số {c.number} - {c.target_label}: {c.text}")
    return EXIT_OK


def _reply(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        r = review.reply(app, args.org, args.year, args.number, args.text)
    left = len(r.open_comments)
    print(f"Đã ghi câu trả lời cho ý kiến số {args.number}; còn {left} ý kiến chưa trả lời.")
    return EXIT_OK
