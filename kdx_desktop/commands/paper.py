"""``paper --org CODE --year Y --code CODE``: the Sở's paper check from the command line.

``--code`` is what is printed on the signed paper: the verification code, or the QR code's text
as a scanner reads it. Exit 0 when it is the report received (marked as checked, or already
checked before); 1 when it is not, when nothing was received, or when the code cannot be read
(the reason on stderr, nothing changed); 2 for bad usage (an unknown organisation or year)."""

from __future__ import annotations

import argparse

from ..core.vntime import vn_datetime
from ..province import ledger
from ..province.paper import PaperMismatch
from ..services.intake import check_paper
from . import EXIT_NOT_ACCEPTABLE, EXIT_OK, add, fail, org_year, with_app


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "paper",
        "đối chiếu bản giấy có chữ ký với báo cáo đã nhận, bằng mã xác thực (hoặc mã QR) in trên bản giấy",
        run,
    )
    org_year(p)
    p.add_argument(
        "--code",
        required=True,
        help="mã xác thực in trên bản giấy (XXXX-XXXX-XXXX) hoặc nội dung mã QR quét được",
    )


def run(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        before = ledger.current(app.store, args.org, args.year)
        try:
            row = check_paper(app, args.org, args.year, args.code)
        except PaperMismatch as exc:
            fail(str(exc))
            return EXIT_NOT_ACCEPTABLE
    name = (
        app.catalog.org(row.org_code).label(row.year) if app.catalog.has_org(row.org_code) else row.org_code
    )
    match = f"bản giấy khớp với lần gửi {row.revision} của {name} năm {row.year} (mã {row.verification_code})"
    if before is not None and before.id == row.id and before.paper_checked:
        when = vn_datetime(row.paper_checked_at)
        print(f"Đã đối chiếu từ trước ({row.paper_checked_by}, lúc {when}, giờ Việt Nam): {match}.")
    else:
        print(f"Đã đối chiếu: {match}.")
    return EXIT_OK
