"""``sign PACKAGE.zip (--pkcs11 DRIVER [--token LABEL] | --p12 FILE) [--pin-env VAR]``: the agency
signs its exported package with its official certificate.

Writes ``…_ky-so.zip`` (the package with its signatures) and ``…_ky-so.pdf`` (the signed report)
next to the package. Given a ``.pdf`` instead (the Sở's consolidated report), signs that PDF the
same way into ``…_ky-so.pdf``. The PIN (token) or password (.p12) comes from the environment variable named
by ``--pin-env``, or is asked for at the terminal without echo; it is never stored, logged or
printed. Exit 0 signed; 1 not signed (the reason on stderr); 2 bad usage.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from ..fsutil import OutputError
from . import EXIT_NOT_ACCEPTABLE, EXIT_OK, EXIT_USAGE, add, fail


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "sign",
        "ký số gói báo cáo đã xuất bằng chứng thư số của cơ quan (USB ký số hoặc tệp .p12)",
        run,
    )
    p.add_argument(
        "package",
        type=Path,
        metavar="PACKAGE.zip",
        help="gói báo cáo BaoCao_….zip đã xuất (hoặc tệp .pdf báo cáo tổng hợp của Sở)",
    )
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument(
        "--pkcs11",
        type=Path,
        metavar="DRIVER",
        help="tệp trình điều khiển PKCS#11 của USB ký số (trên Windows là tệp .dll của nhà cung cấp)",
    )
    how.add_argument("--p12", type=Path, metavar="FILE", help="tệp chứng thư số .p12/.pfx")
    p.add_argument("--token", metavar="LABEL", help="nhãn của USB ký số (khi cắm nhiều thiết bị)")
    p.add_argument(
        "--pin-env",
        metavar="VAR",
        help="tên biến môi trường chứa mã PIN/mật khẩu (không có: hỏi khi chạy, không hiện chữ gõ)",
    )


def _secret(args: argparse.Namespace, prompt: str) -> str | None:
    if args.pin_env:
        value = os.environ.get(args.pin_env)
        if value is None:
            fail(f"Biến môi trường “{args.pin_env}” (mã PIN/mật khẩu) chưa được đặt.")
        return value
    if not sys.stdin or not sys.stdin.isatty():
        fail("Không hỏi được mã PIN/mật khẩu (không có bàn phím): hãy dùng --pin-env TÊN_BIẾN.")
        return None
    return getpass.getpass(prompt)


def run(args: argparse.Namespace) -> int:
    from ..signing import SigningError
    from ..signing.keys import load_p12, token_signer
    from ..signing.sign import read_package_file, sign_file, vn_time

    if args.token and not args.pkcs11:
        fail("--token chỉ dùng cùng --pkcs11.")
        return EXIT_USAGE
    if not args.package.is_file():
        fail(f"Không thấy gói “{args.package}”.")
        return EXIT_USAGE
    is_pdf = args.package.suffix.lower() == ".pdf"
    try:
        if not is_pdf:
            read_package_file(args.package)  # before the PIN is asked for: is there anything to sign?
    except SigningError as exc:
        fail(exc.message)
        return EXIT_NOT_ACCEPTABLE
    secret = _secret(args, "Mã PIN của USB ký số: " if args.pkcs11 else "Mật khẩu tệp chứng thư số: ")
    if secret is None:
        return EXIT_USAGE
    try:
        if is_pdf:
            return _sign_pdf(args, secret)
        if args.pkcs11:
            with token_signer(args.pkcs11, secret, token_label=args.token) as signer:
                out_zip, out_pdf, res = sign_file(args.package, signer)
        else:
            out_zip, out_pdf, res = sign_file(args.package, load_p12(args.p12, secret))
    except SigningError as exc:
        fail(exc.message)
        return EXIT_NOT_ACCEPTABLE
    except OutputError as exc:
        fail(str(exc))
        return EXIT_NOT_ACCEPTABLE
    finally:
        secret = ""
    org = f" ({res.signer.organisation})" if res.signer.organisation else ""
    print(
        f"Đã ký số “{args.package.name}”: người ký {res.signer.name}{org}, lúc {vn_time(res.signed_at)} (giờ Việt Nam)."
    )
    print(f"  Gói đã ký: {out_zip}")
    print(f"  Báo cáo PDF đã ký: {out_pdf}")
    return EXIT_OK


def _sign_pdf(args: argparse.Namespace, secret: str) -> int:
    from ..signing import SigningError
    from ..signing.keys import load_p12, token_signer
    from ..signing.sign import sign_pdf_file, vn_time

    try:
        if args.pkcs11:
            with token_signer(args.pkcs11, secret, token_label=args.token) as signer:
                out, holder, when = sign_pdf_file(args.package, signer)
        else:
            out, holder, when = sign_pdf_file(args.package, load_p12(args.p12, secret))
    except (SigningError, OutputError) as exc:
        fail(exc.message if isinstance(exc, SigningError) else str(exc))
        return EXIT_NOT_ACCEPTABLE
    print(f"Đã ký số “{args.package.name}”: người ký {holder.name}, lúc {vn_time(when)} (giờ Việt Nam).")
    print(f"  Tệp PDF đã ký: {out}")
    return EXIT_OK
