"""Refusals about size read the way an officer at the Sở reads a size in Windows (“4,0 MB”),
never as a raw byte count, while the machine codes stay the same."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hostile.make_corpus import Base
from hostile.packages import export_demo

from kdx_desktop.package.limits import DEFAULT_LIMITS, package_too_large
from kdx_desktop.package.safe_zip import IntakeRejected, Limits, read_package, strict_json
from tests.cli_helpers import run

RAW_BYTES = re.compile(r"\d{4,}|\bbyte\b")  # a long bare number or the word “byte”


@pytest.fixture(scope="module")
def honest(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    pkgs = export_demo(demo_dir, tmp_path_factory.mktemp("sizes"), years=(2025,))
    return pkgs[("BKT", 2025)].read_bytes()


@pytest.fixture(scope="module")
def oversized_data(honest: bytes) -> bytes:
    """An otherwise well-formed package whose data.json is 5 MiB (the cap is 4 MiB); random
    bytes so that it is refused for its size, not as a zip bomb."""
    return Base(honest).pack(random.Random(7).randbytes(5 * 1024 * 1024))


def _refusal(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> IntakeRejected:
    with pytest.raises(IntakeRejected) as err:
        read_package(raw, limits)
    return err.value


def test_oversized_member_says_megabytes(oversized_data: bytes) -> None:
    exc = _refusal(oversized_data)
    assert exc.code == "zip.member_too_large"  # stable interface, unchanged
    assert exc.member == "data.json"
    assert exc.message == "Thành phần “data.json” quá lớn (hơn 4,0 MB)."


def test_verify_shows_the_readable_size(
    oversized_data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = tmp_path / "BaoCao_BQN_2025_lan1.zip"
    pkg.write_bytes(oversized_data)
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "d"), "verify", str(pkg))
    assert code == 1 and out == ""
    assert err == (
        "Lỗi: Gói “BaoCao_BQN_2025_lan1.zip” không nguyên vẹn: "
        "Thành phần “data.json” quá lớn (hơn 4,0 MB). [thành phần: data.json]\n"
    )


def test_import_shows_the_readable_size_and_keeps_the_code(
    oversized_data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = tmp_path / "BaoCao_BQN_2025_lan1.zip"
    pkg.write_bytes(oversized_data)
    d = str(tmp_path / "so")
    code, _out, err = run(capsys, "--data-dir", d, "import", "--dry-run", str(pkg))
    assert code == 1
    assert err == f"Lỗi: {pkg}: từ chối: Thành phần “data.json” quá lớn (hơn 4,0 MB).\n"
    code, out, _err = run(capsys, "--data-dir", d, "import", "--dry-run", "--json", str(pkg))
    (doc,) = json.loads(out)
    assert code == 1 and doc["result"] == "rejected"
    assert doc["code"] == "zip.member_too_large"
    assert doc["message"] == "từ chối: Thành phần “data.json” quá lớn (hơn 4,0 MB)."


def test_oversized_manifest_says_kilobytes(honest: bytes) -> None:
    exc = _refusal(Base(honest).pack(manifest_raw=b'{"a":"' + b"x" * 300_000 + b'"}'))
    assert exc.code == "zip.member_too_large"
    assert exc.message == "Thành phần “manifest.json” quá lớn (hơn 256,0 KB)."


def test_package_too_large_gives_size_and_limit(honest: bytes) -> None:
    raw = b"x" * (3 * 1024 * 1024 // 2)  # refused on its size before anything is read
    exc = _refusal(raw, Limits(max_package_bytes=1024 * 1024))
    assert exc.code == "zip.too_large"
    assert exc.message == "Tệp quá lớn để là gói báo cáo KDX (1,5 MB, tối đa 1,0 MB)."
    # A few bytes over the cap would print as “1,0 MB, tối đa 1,0 MB”: say “hơn” instead.
    exc = _refusal(b"x" * (1024 * 1024 + 1), Limits(max_package_bytes=1024 * 1024))
    assert exc.message == "Tệp quá lớn để là gói báo cáo KDX (hơn 1,0 MB)."
    # A real package over a (small) cap: size and cap in KB, no byte count.
    exc = _refusal(honest, Limits(max_package_bytes=10 * 1024))
    assert exc.code == "zip.too_large"
    assert re.fullmatch(
        r"Tệp quá lớn để là gói báo cáo KDX \(\d+(\.\d{3})*,\d KB, tối đa 10,0 KB\)\.", exc.message
    )


def test_package_too_large_with_the_default_cap() -> None:
    # The same wording for a file measured on disk before reading (123.456.789 bytes).
    exc = package_too_large(123_456_789)
    assert exc.code == "zip.too_large"
    assert exc.message == "Tệp quá lớn để là gói báo cáo KDX (117,7 MB, tối đa 64,0 MB)."


def test_total_too_large_names_the_cap(honest: bytes) -> None:
    exc = _refusal(honest, Limits(max_total_bytes=8 * 1024))
    assert exc.code == "zip.total_too_large"
    assert exc.message == "Tổng dung lượng giải nén của gói vượt giới hạn (hơn 8,0 KB)."


def test_strict_json_too_large_is_readable() -> None:
    raw = b'{"a":"' + b"x" * 3000 + b'"}'  # 3.008 bytes
    with pytest.raises(IntakeRejected) as err:
        strict_json(raw, "manifest.json", max_bytes=2048)
    assert err.value.code == "json.too_large"
    assert err.value.message == "manifest.json quá lớn (2,9 KB, tối đa 2,0 KB)."


def test_no_size_refusal_shows_raw_bytes(honest: bytes, oversized_data: bytes) -> None:
    messages = [
        _refusal(oversized_data).message,
        _refusal(honest, Limits(max_package_bytes=10 * 1024)).message,
        _refusal(honest, Limits(max_total_bytes=8 * 1024)).message,
        _refusal(honest, Limits(max_data_bytes=2000)).message,
        package_too_large(DEFAULT_LIMITS.max_package_bytes + 12_345).message,
    ]
    for m in messages:
        assert not RAW_BYTES.search(m), m
