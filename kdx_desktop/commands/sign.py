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
import contextlib
import getpass
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..fsutil import OutputError
from ..services.reporting import UsageError
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
    add_signer_options(p, required=True)


def add_signer_options(p: argparse.ArgumentParser, *, required: bool) -> None:
    """``--pkcs11 DRIVER [--token LABEL] | --p12 FILE`` and ``--pin-env VAR`` (also ``catalog build``
    and ``catalog sign``)."""
    how = p.add_mutually_exclusive_group(required=required)
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


def _secret(args: argparse.Namespace, prompt: str) -> str:
    if args.pin_env:
        value = os.environ.get(args.pin_env)
        if value is None:
            raise UsageError(f"Biến môi trường “{args.pin_env}” (mã PIN/mật khẩu) chưa được đặt.")
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError("Không hỏi được mã PIN/mật khẩu (không có bàn phím): hãy dùng --pin-env TÊN_BIẾN.")
    return getpass.getpass(prompt)


def signer_options_given(args: argparse.Namespace) -> bool:
    """Whether the command line asks to sign (``--token`` alone is a usage error)."""
    if args.token and not args.pkcs11:
        raise UsageError("--token chỉ dùng cùng --pkcs11.")
    return bool(args.pkcs11 or args.p12)


def ask_secret(args: argparse.Namespace) -> str:
    """The PIN (token) or password (.p12): from ``--pin-env`` or typed without echo, never shown."""
    return _secret(args, "Mã PIN của USB ký số: " if args.pkcs11 else "Mật khẩu tệp chứng thư số: ")


@contextlib.contextmanager
def open_signer(args: argparse.Namespace, secret: str) -> Iterator[Any]:
    """The signer the options name, open for the ``with`` block (a token's session is closed
    after it); :class:`SigningError` when the key cannot be opened."""
    from ..signing.keys import load_p12, token_signer

    if args.pkcs11:
        with token_signer(args.pkcs11, secret, token_label=args.token) as signer:
            yield signer
    else:
        yield load_p12(args.p12, secret)


def run(args: argparse.Namespace) -> int:
    from ..signing import SigningError
    from ..signing.sign import read_package_file, sign_file, vn_time

    signer_options_given(args)
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
    secret = ask_secret(args)
    try:
        if is_pdf:
            return _sign_pdf(args, secret)
        with open_signer(args, secret) as signer:
            out_zip, out_pdf, res = sign_file(args.package, signer)
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
    from ..signing.sign import sign_pdf_file, vn_time

    try:
        with open_signer(args, secret) as signer:
            out, holder, when = sign_pdf_file(args.package, signer)
    except (SigningError, OutputError) as exc:
        fail(exc.message if isinstance(exc, SigningError) else str(exc))
        return EXIT_NOT_ACCEPTABLE
    print(f"Đã ký số “{args.package.name}”: người ký {holder.name}, lúc {vn_time(when)} (giờ Việt Nam).")
    print(f"  Tệp PDF đã ký: {out}")
    return EXIT_OK
