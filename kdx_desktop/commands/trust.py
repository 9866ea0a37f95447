"""``trust add FILE…`` / ``trust list [--json]``: what the Sở trusts for electronic signatures.

``add`` installs the root certificates of the certificate providers (``.cer``/``.crt``/``.pem``,
DER or PEM) and their revocation lists (``.crl``), then checks every signature already received
again. Exit 0 done; 1 a file is not a certificate or CRL (nothing installed); 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..core.vntime import vn_date
from ..fsutil import describe_os_error, read_file_at_most
from . import EXIT_NOT_ACCEPTABLE, EXIT_OK, EXIT_USAGE, add, fail, with_app

MAX_FILE = 5 * 1024 * 1024  # a CRL of a large provider is a few MB at most


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "trust",
        "chứng thư gốc và danh sách thu hồi (CRL) Sở tin cậy để kiểm tra chữ ký số",
        run,
    )
    what = p.add_subparsers(dest="action", metavar="VIỆC", required=True)
    a = what.add_parser(
        "add", help="cài chứng thư gốc (.cer/.crt/.pem) hoặc danh sách thu hồi (.crl)", parents=[common]
    )
    a.add_argument("files", type=Path, nargs="+", metavar="CERT", help="tệp chứng thư gốc hoặc CRL")
    lst = what.add_parser("list", help="liệt kê chứng thư gốc và CRL đã cài", parents=[common])
    lst.add_argument("--json", action="store_true", help="xuất JSON")


def run(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _list(args)
    return _add(args)


def _list(args: argparse.Namespace) -> int:
    from ..province.signatures import trust_entries

    with with_app(args) as app:
        entries = trust_entries(app.store)
    if getattr(args, "json", False):
        print(json.dumps([e.as_json() for e in entries], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not entries:
        print("Chưa cài chứng thư gốc nào: mọi chữ ký số sẽ là “chưa tin cậy”.")
        return EXIT_OK
    for e in entries:
        until = f"{e.valid_to[8:10]}/{e.valid_to[5:7]}/{e.valid_to[:4]}" if e.valid_to else "?"
        print(
            f"  {e.kind_label}: {e.name} (hiệu lực đến {until}; SHA-256 {e.sha256[:16]}…; cài ngày {vn_date(e.added_at)} bởi {e.added_by})"
        )
    return EXIT_OK


def _add(args: argparse.Namespace) -> int:
    from ..province.signatures import TrustFileError, add_to_trust, recheck_all

    raws = []
    for path in args.files:
        try:
            raws.append((path, read_file_at_most(path, MAX_FILE)))
        except OSError as exc:
            fail(describe_os_error(exc, path, reading=True))
            return EXIT_USAGE
    with with_app(args) as app:
        for path, raw in raws:
            try:
                added = add_to_trust(app.store, raw)
            except TrustFileError as exc:
                fail(f"“{path.name}”: {exc}")
                return EXIT_NOT_ACCEPTABLE
            for entry, new in added:
                verb = "Đã cài" if new else "Đã có từ trước"
                print(f"{verb} {entry.kind_label}: {entry.name} (SHA-256 {entry.sha256[:16]}…)")
        names = {
            o.code: [o.name(y) for y in app.catalog.years() if o.exists_in(y)]
            for o in app.catalog.organisations
        }
        changed = recheck_all(app.store, names)
    print(f"Đã kiểm tra lại chữ ký số của các gói đã nhận: {changed} kết quả thay đổi.")
    return EXIT_OK
