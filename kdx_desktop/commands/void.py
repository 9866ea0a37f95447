"""``void --org ORG --year Y --revision N --reason TEXT``: the Sở voids a received revision.

For a forged or mistaken package (say, one claiming revision 999, which would make every genuine
revision "older" and be refused): the revision is kept with who voided it, when and why (audited),
is no longer current, and the next genuine revision imports as usual. Exit 0 when voided; 2 when
there is no such revision, it was already voided, or the reason is missing (nothing changed)."""

from __future__ import annotations

import argparse

from ..province import ledger
from ..services.intake import void_revision
from . import EXIT_OK, add, org_year, with_app


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "void",
        "Sở hủy một lần gửi đã nhận (gói giả mạo hoặc gửi nhầm): lần gửi được giữ lại kèm lý do, không còn được dùng",
        run,
    )
    org_year(p)
    p.add_argument("--revision", required=True, type=int, help="lần gửi cần hủy")
    p.add_argument("--reason", required=True, help="lý do hủy (được ghi vào nhật ký)")


def run(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        row = void_revision(app, args.org, args.year, args.revision, args.reason)
        now = ledger.current(app.store, args.org, args.year)
        who = app.catalog.org_label(row.org_code, row.year)
    print(
        f"Đã hủy lần gửi {row.revision} của {who} năm {row.year} "
        f"(mã xác thực {row.verification_code}); lý do: {row.void_reason}."
    )
    if now is None:
        print(f"Sở không còn lần gửi nào đang dùng của {who} năm {row.year}.")
    else:
        print(f"Sở đang dùng lần gửi {now.revision} (mã xác thực {now.verification_code}).")
    return EXIT_OK
