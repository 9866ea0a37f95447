"""The submission package: canonical data, codes, names, and a verifier that trusts nothing."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest

from kdx_desktop.package.canonical import canonical_json, package_name, sha256_hex, verification_code
from kdx_desktop.package.format import DATA, MANIFEST
from kdx_desktop.package.writer import PackageError, build_package, verify_package

CAT = {"id": "kdx-test", "version": "1", "sha256": "0" * 64}


def sample_data(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "catalog": CAT,
        "organisation": {"code": "BKT", "name": "Báo Kon Tum", "kind": "newspaper"},
        "year": 2025,
        "revision": 1,
        "supersedes": None,
        "created_at": "2026-01-05T09:15:00+07:00",
        "app_version": "0.1.0",
        "values": {"staff_total": 58, "revenue": 15600.5, "paid_content": {"na": True}},
        "narrative": {"results": "Tiếng Việt có dấu"},
    }
    data.update(over)
    return data


def make(
    data: dict[str, Any] | None = None, files: dict[str, bytes] | None = None
) -> tuple[bytes, dict[str, Any]]:
    d = data or sample_data()
    return build_package(
        d,
        files
        if files is not None
        else {"report.pdf": b"%PDF-1.4 test", "report.xlsx": b"PK xlsx", "attachments/T1/a.txt": b"x"},
        org_code=d["organisation"]["code"],
        org_name=d["organisation"]["name"],
        year=d["year"],
        revision=d["revision"],
        supersedes=d["supersedes"],
        catalog=CAT,
    )


def members(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def comment(raw: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return zf.comment


def rezip(content: dict[str, bytes], note: bytes = b"") -> bytes:
    """The members zipped again, as someone editing a package would (``note``: the zip comment)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.comment = note
        for name, raw in content.items():
            zf.writestr(name, raw)
    return buf.getvalue()


def test_canonical_json_is_stable_nfc_and_compact() -> None:
    a = canonical_json({"b": 1, "a": "Vie\u0302\u0323t", "c": [1.5, None, True]})
    b = canonical_json({"c": [1.5, None, True], "a": "Việt", "b": 1})
    assert a == b == '{"a":"Việt","b":1,"c":[1.5,null,true]}'.encode()
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})
    with pytest.raises(TypeError):
        canonical_json({"x": object()})


def test_verification_code_shape() -> None:
    h = sha256_hex(b"abc")
    code = verification_code(h)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    assert verification_code(h) == code
    assert verification_code(sha256_hex(b"abd")) != code
    with pytest.raises(ValueError):
        verification_code("XYZ")


def test_package_name_is_ascii() -> None:
    assert package_name("BQN", 2025, 3) == "BaoCao_BQN_2025_lan3.zip"
    assert package_name("SKHĐT", 2023, 1) == "BaoCao_SKHDT_2023_lan1.zip"  # Đ is written D


def test_manifest_matches_the_contract() -> None:
    raw, m = make()
    assert set(m) == {
        "format", "format_version", "app_version", "catalog", "organisation", "year", "revision",
        "supersedes", "created_at", "data_sha256", "verification_code", "files",
    }  # fmt: skip
    got = members(raw)
    assert next(iter(got)) == MANIFEST
    assert json.loads(got[MANIFEST]) == m
    assert m["data_sha256"] == sha256_hex(got[DATA])
    assert m["verification_code"] == verification_code(m["data_sha256"])
    listed = {f["path"]: f for f in m["files"]}
    assert set(listed) == set(got) - {MANIFEST}
    for path, f in listed.items():
        assert f["sha256"] == sha256_hex(got[path]) and f["size"] == len(got[path])
    assert m["created_at"].endswith("+07:00")
    pkg = verify_package(raw)
    assert pkg.data["values"]["paid_content"] == {"na": True}
    assert (pkg.org_code, pkg.year, pkg.revision, pkg.supersedes) == ("BKT", 2025, 1, None)


def test_same_data_same_hash() -> None:
    _, m1 = make()
    _, m2 = make(files={"report.pdf": b"other bytes"})
    assert m1["data_sha256"] == m2["data_sha256"]


@pytest.mark.parametrize("member", [MANIFEST, DATA, "report.pdf", "report.xlsx", "attachments/T1/a.txt"])
def test_any_changed_byte_in_any_member_is_named(member: str) -> None:
    raw, _ = make()
    content = members(raw)
    body = content[member]
    # every position of small members; a spread of positions in larger ones
    positions = range(len(body)) if len(body) <= 400 else range(0, len(body), max(1, len(body) // 300))
    for pos in positions:
        changed = bytearray(body)
        changed[pos] ^= 0x01
        tampered = rezip({**content, member: bytes(changed)}, comment(raw))
        with pytest.raises(PackageError) as err:
            verify_package(tampered)
        assert err.value.member == member, (pos, err.value.message)


def test_a_flipped_byte_in_the_zip_itself_is_rejected() -> None:
    raw, _ = make()
    for pos in range(0, len(raw), 7):
        changed = bytearray(raw)
        changed[pos] ^= 0x20
        try:
            verify_package(bytes(changed))
        except PackageError:
            continue
        # a byte outside every member's content (e.g. a zip timestamp) may be harmless;
        # the content must then be exactly the original
        assert members(bytes(changed)) == members(raw), pos


def test_a_package_zipped_again_without_the_comment_still_verifies() -> None:
    raw, _ = make()
    assert comment(raw).startswith(b"KDX manifest sha256=")
    assert verify_package(rezip(members(raw))).revision == 1


def test_unlisted_missing_and_unsafe_members_are_refused() -> None:
    raw, _ = make()
    content = members(raw)
    with pytest.raises(PackageError) as err:
        verify_package(rezip({**content, "extra.exe": b"MZ"}))
    assert err.value.member == "extra.exe"
    without = dict(content)
    del without["report.xlsx"]
    with pytest.raises(PackageError) as err:
        verify_package(rezip(without))
    assert err.value.member == "report.xlsx"
    for bad in ("../evil.txt", "/etc/passwd", "C:/x.txt", "a\\b.txt", "attachments/../x"):
        with pytest.raises(PackageError, match="không an toàn"):
            verify_package(rezip({**content, bad: b"x"}))
    with pytest.raises(ValueError):
        make(files={"../x": b"1"})


@pytest.mark.parametrize(
    ("mib", "declared", "why"),
    [
        (40, None, "có tỉ lệ nén bất thường (nghi “bom nén”)"),
        (256, 1024, "quá lớn (hơn 40,0 MB)"),
    ],
    ids=["as-large-as-a-member-may-be", "huge-and-lying-in-the-manifest"],
)
def test_a_zip_bomb_is_refused_before_reading(mib: int, declared: int | None, why: str) -> None:
    """Small compressed, huge expanded: zeros, packed a thousand to one, far larger than any file
    an agency may attach. Listed with its true hash and its true size (the most a member may be),
    it is stopped by its ratio; listed with a small false size, by the bytes it makes, at the
    most a member may make. Never unpacked further; the refusal names it, in Vietnamese."""
    raw, m = make()
    content = members(raw)
    bomb = b"\0" * (mib * 1024 * 1024)
    m["files"].append(
        {"path": "attachments/T1/bomb.bin", "sha256": sha256_hex(bomb), "size": declared or len(bomb)}
    )
    content[MANIFEST] = canonical_json(m)
    content["attachments/T1/bomb.bin"] = bomb
    packed = rezip(content)
    assert len(packed) * 900 < len(bomb)
    with pytest.raises(PackageError) as err:
        verify_package(packed)
    assert err.value.member == "attachments/T1/bomb.bin"
    assert err.value.message == f"Thành phần “attachments/T1/bomb.bin” {why}."


def test_a_bomb_of_many_members_is_refused_by_the_total_it_makes() -> None:
    """Many members, each under the size where the ratio counts (as a blank-page scan is): what
    they make together is counted while decompressing and stopped at the Sở's total."""
    zeros = b"\0" * (8 * 1024 * 1024)
    files = {f"attachments/T1/trang-{i:02d}.bmp": zeros for i in range(20)}  # 160 MiB in about 160 KB
    raw, _ = make(files={"report.pdf": b"%PDF-1.4 test", **files})
    assert len(raw) < 1024 * 1024
    with pytest.raises(PackageError) as err:
        verify_package(raw)
    assert err.value.message == "Tổng dung lượng giải nén của gói vượt giới hạn (hơn 120,0 MB)."


def test_a_package_of_too_many_members_is_refused_before_any_is_unpacked() -> None:
    files = {f"attachments/T1/{i:03d}.txt": b"x" for i in range(250)}
    raw, _ = make(files={"report.pdf": b"%PDF-1.4 test", **files})
    with pytest.raises(PackageError) as err:
        verify_package(raw)
    assert err.value.message == "Gói có quá nhiều thành phần (253, tối đa 200)."


def test_not_a_zip_and_newer_format() -> None:
    with pytest.raises(PackageError, match="ZIP"):
        verify_package(b"not a zip at all")
    raw, m = make()
    content = members(raw)
    content[MANIFEST] = canonical_json({**m, "format_version": 99})
    with pytest.raises(PackageError, match="mới hơn"):
        verify_package(rezip(content))


def test_manifest_must_agree_with_data() -> None:
    raw, m = make()
    content = members(raw)
    content[MANIFEST] = canonical_json({**m, "revision": 2})
    with pytest.raises(PackageError, match="revision") as err:
        verify_package(rezip(content))
    assert err.value.member == MANIFEST
