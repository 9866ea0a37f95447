"""``verify FILE``: check a submission package completely; never changes anything."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.numbers import format_size
from ..fsutil import describe_os_error, read_file_at_most
from ..package.limits import DEFAULT_LIMITS
from ..package.writer import PackageError, verify_package
from . import EXIT_NOT_ACCEPTABLE, EXIT_OK, EXIT_USAGE, add, fail


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(sub, common, "verify", "kiểm tra một gói báo cáo (.zip) còn nguyên vẹn; không thay đổi gì", run)
    p.add_argument(
        "file", type=Path, metavar="FILE", help="gói báo cáo BaoCao_….zip (hoặc KDX_….zip của bản cũ)"
    )


def run(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        raw = read_file_at_most(path, DEFAULT_LIMITS.max_package_bytes)
    except OSError as exc:
        fail(describe_os_error(exc, path, reading=True))
        return EXIT_USAGE
    if len(raw) > DEFAULT_LIMITS.max_package_bytes:  # the Sở's import would refuse it too
        limit = format_size(DEFAULT_LIMITS.max_package_bytes)
        fail(f"Gói “{path.name}” không nguyên vẹn: tệp lớn hơn {limit}, không thể là gói báo cáo KDX.")
        return EXIT_NOT_ACCEPTABLE
    try:
        pkg = verify_package(raw)
    except PackageError as exc:
        where = f" [thành phần: {exc.member}]" if exc.member else ""
        fail(f"Gói “{path.name}” không nguyên vẹn: {exc.message}{where}")
        return EXIT_NOT_ACCEPTABLE
    supersedes = f"; thay thế bản có mã băm {pkg.supersedes[:12]}…" if pkg.supersedes else ""
    print(f"Gói “{path.name}” nguyên vẹn.")
    print(f"  Cơ quan: {pkg.org_name}")
    print(f"  Năm báo cáo: {pkg.year}")
    print(f"  Lần gửi: {pkg.revision}{supersedes}")
    print(f"  Mã xác thực: {pkg.verification_code}")
    print(f"  Tạo lúc: {pkg.manifest['created_at']}; {len(pkg.members)} thành phần đã kiểm tra mã băm.")
    for line in PROVES:
        print(line)
    return EXIT_OK


# What "intact" means, said every time: a hash proves the file was not changed or damaged after
# the package was closed, not who closed it nor when. Anyone can edit data.json, recompute the
# hashes and get an "intact" package with a backdated time; the proof of origin is the signed,
# stamped paper whose verification code matches (``paper``), or the agency's digital signature.
PROVES = (
    "  Điều này chứng minh: các tệp trong gói không bị sửa hay hỏng sau khi gói được đóng (mọi mã băm khớp).",
    "  Điều này KHÔNG chứng minh ai đã lập gói, cũng không chứng minh thời điểm lập là thật: ai cũng có thể "
    "sửa số liệu rồi tính lại mã băm.",
    "  Bằng chứng nguồn gốc là bản giấy có chữ ký, đóng dấu mang cùng mã xác thực (lệnh paper, hoặc "
    "“Đánh dấu đã đối chiếu với bản giấy” trong cửa sổ), hoặc chữ ký số của cơ quan khi gói được ký số.",
)
