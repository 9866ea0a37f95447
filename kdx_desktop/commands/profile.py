"""``profile --org CODE --from Y [TRƯỜNG=GIÁ_TRỊ…]``: the names printed on the organisation's
reports from year Y on (the window's "Cài đặt cơ quan"); without assignments, show them."""

from __future__ import annotations

import argparse

from ..core.text import TextError, clean_text
from ..services.identity import PROFILE_FIELDS, identity
from ..services.reporting import UsageError
from . import EXIT_OK, add, with_app
from .set import parse_command_line

_MULTILINE = {"recipients_cc"}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub, common, "profile", "xem hoặc sửa thông tin in trên báo cáo (Cài đặt cơ quan) từ một năm", run
    )
    p.add_argument("--org", required=True, help="mã tổ chức (xem lệnh catalog)")
    p.add_argument("--from", dest="year", required=True, type=int, help="áp dụng từ năm này trở đi")
    p.add_argument(
        "assignments",
        nargs="*",
        metavar="TRƯỜNG=GIÁ_TRỊ",
        help="trường: " + ", ".join(k for k, _ in PROFILE_FIELDS) + '; ví dụ signer_name="Nguyễn Văn A"',
    )


def run(args: argparse.Namespace) -> int:
    raw = parse_command_line(args.assignments)
    labels = dict(PROFILE_FIELDS)
    unknown = [k for k in raw if k not in labels]
    if unknown:
        raise UsageError(
            "Không có trường "
            + ", ".join(f"“{k}”" for k in unknown)
            + ". Các trường: "
            + ", ".join(labels)
            + "."
        )
    with with_app(args) as app:
        app.catalog.org(args.org)  # an unknown organisation is refused here
        current = identity(app.catalog, app.store, args.org, args.year).as_json()
        if raw:
            fields = {k: str(current.get(k) or "") for k in labels}
            for key, value in raw.items():
                try:
                    fields[key] = clean_text(value.strip(), max_length=2000, multiline=key in _MULTILINE)
                except TextError as exc:
                    raise UsageError(f"{labels[key]}: {exc}") from None
            if not fields["name"]:
                raise UsageError(f"{labels['name']}: không được để trống.")
            app.store.save_profile(args.org, args.year, fields)
            current = identity(app.catalog, app.store, args.org, args.year).as_json()
            print(f"Đã lưu thông tin của {app.catalog.org_label(args.org, args.year)} từ năm {args.year}:")
        for key, label in PROFILE_FIELDS:
            print(f"  {label} ({key}): {current.get(key) or '—'}")
    return EXIT_OK
