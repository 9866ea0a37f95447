"""``reopen --org CODE --year Y --reason TEXT``: unlock an exported report; next export = next revision."""

from __future__ import annotations

import argparse

from ..services.reporting import reopen
from . import EXIT_OK, add, org_year, with_app


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "reopen",
        "mở lại báo cáo đã xuất để sửa (bắt buộc nêu lý do); lần xuất sau là lần gửi mới",
        run,
    )
    org_year(p)
    p.add_argument("--reason", required=True, help="lý do mở lại (ghi vào nhật ký)")


def run(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        rep = reopen(app, args.org, args.year, args.reason)
        name = app.catalog.org(rep.org_code).label(rep.year)
    print(f"Đã mở lại báo cáo {name} năm {rep.year}; lần xuất tiếp theo là lần {rep.revision}.")
    return EXIT_OK
