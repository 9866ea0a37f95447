"""Reading a package that arrived by email: hostile until proven otherwise.

Everything happens in memory and nothing is extracted. The zip headers are not trusted: the
byte layout is checked (members tile the file exactly: no gap, no overlap, no foreign comment), only
members listed in the manifest are decompressed, in bounded chunks, while counting the bytes
actually produced (so a zip bomb is stopped by what it produces, not by what it claims). Every
listed member's size and SHA-256 is checked before ``data.json`` is parsed, and JSON is parsed
strictly: UTF-8 without BOM, no NaN/Infinity, no duplicate keys, bounded depth, length and
number size, and it must be in the canonical form the agency's KDX writes.

Each refusal is an :class:`IntakeRejected` with a one-line Vietnamese reason and a short
machine code (for ``--json`` output and tests).
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..core.numbers import format_number, format_size
from .canonical import verification_code
from .format import DATA, FORMAT, FORMAT_VERSION, MANIFEST, SIGNATURE_MEMBERS
from .limits import DEFAULT_LIMITS, IntakeRejected, Limits, package_too_large
from .strict_json import strict_json

_LOCAL_SIG = b"PK\x03\x04"
# The one archive comment KDX writes (package/writer.py): the manifest's own SHA-256.
_COMMENT = re.compile(rb"KDX manifest sha256=([0-9a-f]{64})")
_STORED, _DEFLATED = 0, 8


@dataclass(frozen=True)
class SafePackage:
    """The content of a package that passed every structural and integrity check."""

    manifest: dict[str, Any]
    data: dict[str, Any]
    data_bytes: bytes
    members: dict[str, bytes]
    package_sha256: str
    # ``signature/…`` members of a signed package (kdx_desktop/signing): not in the manifest (they
    # sign it), read with the same bounds; checked by the signature verification, not here.
    signatures: dict[str, bytes] = field(default_factory=dict)


# -- names --------------------------------------------------------------------------------


def name_problem(name: str, limits: Limits = DEFAULT_LIMITS) -> str | None:
    """Why ``name`` may not be a member path, or None."""
    if not name:
        return "tên rỗng"
    if len(name) > limits.max_name_length:
        return "tên quá dài"
    if name.startswith(("/", "\\")):
        return "đường dẫn tuyệt đối"
    if re.match(r"^[A-Za-z]:", name) or name.startswith("//"):
        return "đường dẫn ổ đĩa Windows"
    if "\\" in name:
        return "có dấu gạch chéo ngược (đường dẫn Windows)"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in name):
        return "có ký tự điều khiển hoặc ký tự ẩn"
    if name.endswith("/"):
        return "là một thư mục"
    parts = name.split("/")
    if ".." in parts:
        return "có “..” (thoát ra ngoài thư mục)"
    if any(p in ("", ".") for p in parts):
        return "có thành phần rỗng hoặc “.”"
    if ":" in name:
        return "có dấu hai chấm (luồng dữ liệu ẩn trên Windows)"
    if name != unicodedata.normalize("NFC", name):
        return "tên không ở dạng Unicode NFC"
    return None


# -- strict JSON --------------------------------------------------------------------------


def _check_layout(raw: bytes, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Members must tile the file from byte 0 to the central directory: no overlap, no gap
    (hidden data), no prefix, no archive comment. This is what a plain zip writer produces."""
    if zf.comment and not _COMMENT.fullmatch(zf.comment):
        raise IntakeRejected("zip.comment", "Tệp nén có phần chú thích lạ, không phải do KDX ghi.")
    spans = []
    for info in infos:
        off = info.header_offset
        head = raw[off : off + 30]
        if len(head) < 30 or head[:4] != _LOCAL_SIG:
            raise IntakeRejected(
                "zip.header", f"Thành phần “{info.filename}” có tiêu đề hỏng.", info.filename
            )
        name_len, extra_len = struct.unpack("<HH", head[26:30])
        end = off + 30 + name_len + extra_len + info.compress_size
        if info.flag_bits & 0x08:
            # Data descriptor after the data: 12 or 16 bytes (with or without its signature).
            end += 16 if raw[end : end + 4] == b"PK\x07\x08" else 12
        spans.append((off, end, info.filename))
    spans.sort()
    pos = 0
    for start, end, name in spans:
        if start < pos:
            raise IntakeRejected(
                "zip.overlap", f"Thành phần “{name}” chồng lên thành phần khác trong tệp nén.", name
            )
        if start > pos:
            raise IntakeRejected("zip.gap", "Tệp nén có dữ liệu ẩn giữa các thành phần.", name)
        pos = end
    if pos != zf.start_dir:
        raise IntakeRejected("zip.gap", "Tệp nén có dữ liệu ẩn hoặc chồng lấn trước mục lục.")


def _read_bounded(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, budget: list[int], limits: Limits
) -> bytes:
    """Decompress one member in chunks, counting what is produced, never more than ``cap``."""
    name = info.filename
    out = bytearray()
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(limits.chunk)
                if not chunk:
                    break
                out += chunk
                budget[0] += len(chunk)
                if len(out) > cap:
                    raise IntakeRejected(
                        "zip.member_too_large",
                        f"Thành phần “{name}” quá lớn (hơn {format_size(cap)}).",
                        name,
                    )
                if budget[0] > limits.max_total_bytes:
                    raise IntakeRejected(
                        "zip.total_too_large",
                        "Tổng dung lượng giải nén của gói vượt giới hạn "
                        f"(hơn {format_size(limits.max_total_bytes)}).",
                        name,
                    )
                if len(out) > limits.ratio_floor and len(out) > limits.max_ratio * max(info.compress_size, 1):
                    raise IntakeRejected(
                        "zip.bomb", f"Thành phần “{name}” có tỉ lệ nén bất thường (nghi “bom nén”).", name
                    )
    except IntakeRejected:
        raise
    except zipfile.BadZipFile as exc:
        if "CRC" in str(exc):
            raise IntakeRejected(
                "zip.crc", f"Thành phần “{name}” bị hỏng (sai mã kiểm tra CRC).", name
            ) from None
        raise IntakeRejected(
            "zip.corrupt", f"Thành phần “{name}” bị hỏng (tiêu đề không khớp mục lục).", name
        ) from None
    except Exception:
        raise IntakeRejected(
            "zip.corrupt", f"Thành phần “{name}” bị hỏng, không giải nén được.", name
        ) from None
    if len(out) != info.file_size:
        raise IntakeRejected(
            "zip.size_mismatch", f"Thành phần “{name}” có kích thước khác với khai báo.", name
        )
    return bytes(out)


def _open(raw: bytes, limits: Limits) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    if len(raw) > limits.max_package_bytes:
        raise package_too_large(len(raw), limits)
    if not raw.startswith(_LOCAL_SIG):
        raise IntakeRejected("zip.not_zip", "Tệp không phải gói nén ZIP của KDX.")
    eocd = raw.rfind(b"PK\x05\x06")
    if (
        eocd < 0
        or len(raw) < eocd + 22
        or eocd + 22 + struct.unpack("<H", raw[eocd + 20 : eocd + 22])[0] != len(raw)
    ):
        # zipfile tolerates a cut comment or bytes after the end record; a package has neither.
        raise IntakeRejected("zip.corrupt", "Tệp nén bị cắt cụt hoặc có dữ liệu thừa ở cuối.")
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        raise IntakeRejected(
            "zip.corrupt", "Tệp nén bị hỏng hoặc bị cắt cụt (không đọc được mục lục)."
        ) from None
    if len(infos) > limits.max_members:
        raise IntakeRejected(
            "zip.too_many",
            f"Gói có quá nhiều thành phần ({format_number(len(infos))}, "
            f"tối đa {format_number(limits.max_members)}).",
        )
    by_name: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    for info in infos:
        name = info.orig_filename
        problem = name_problem(name, limits)
        if problem:
            raise IntakeRejected(
                "zip.unsafe_name", f"Thành phần “{name[:80]!s}” có tên không an toàn: {problem}.", name
            )
        if name in by_name or name.casefold() in folded:
            raise IntakeRejected(
                "zip.duplicate", f"Thành phần “{name}” xuất hiện hai lần trong tệp nén.", name
            )
        if info.flag_bits & 0x41:
            raise IntakeRejected("zip.encrypted", f"Thành phần “{name}” bị mã hóa.", name)
        if info.compress_type not in (_STORED, _DEFLATED):
            raise IntakeRejected("zip.method", f"Thành phần “{name}” dùng kiểu nén không hỗ trợ.", name)
        by_name[name] = info
        folded.add(name.casefold())
    _check_layout(raw, zf, infos)
    return zf, by_name


def _listed_files(manifest: dict[str, Any], limits: Limits) -> dict[str, tuple[str, int]]:
    files = manifest.get("files")
    if not isinstance(files, list) or not files:
        raise IntakeRejected("manifest.files", "Tệp kê khai không có danh sách tệp.", MANIFEST)
    out: dict[str, tuple[str, int]] = {}
    for f in files:
        if not isinstance(f, dict) or set(f) != {"path", "sha256", "size"}:
            raise IntakeRejected("manifest.files", "Danh sách tệp trong tệp kê khai sai cấu trúc.", MANIFEST)
        path, sha, size = f["path"], f["sha256"], f["size"]
        if not isinstance(path, str) or name_problem(path, limits) or path == MANIFEST or path in out:
            raise IntakeRejected(
                "manifest.files", f"Tệp kê khai liệt kê tên không hợp lệ “{str(path)[:80]}”.", MANIFEST
            )
        if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise IntakeRejected(
                "manifest.files", f"Mã băm của “{path}” trong tệp kê khai không hợp lệ.", MANIFEST
            )
        if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= limits.max_member_bytes:
            raise IntakeRejected(
                "manifest.files", f"Kích thước của “{path}” trong tệp kê khai không hợp lệ.", MANIFEST
            )
        out[path] = (sha, size)
    if DATA not in out:
        raise IntakeRejected("manifest.no_data", "Tệp kê khai không liệt kê data.json.", MANIFEST)
    return out


def read_package(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> SafePackage:
    """Check ``raw`` completely, in memory; return its content or raise :class:`IntakeRejected`.

    Order matters: layout and names, then the manifest (the one member without a hash: it is
    the list of hashes), then every listed member's size and hash, and only then ``data.json``
    is parsed."""
    zf, by_name = _open(raw, limits)
    budget = [0]
    with zf:
        if MANIFEST not in by_name:
            raise IntakeRejected("zip.no_manifest", "Gói thiếu tệp kê khai manifest.json.", MANIFEST)
        manifest_raw = _read_bounded(zf, by_name[MANIFEST], limits.max_manifest_bytes, budget, limits)
        seal = _COMMENT.fullmatch(zf.comment)
        if seal and seal.group(1).decode("ascii") != hashlib.sha256(manifest_raw).hexdigest():
            raise IntakeRejected(
                "hash.manifest", "Tệp kê khai manifest.json đã bị thay đổi (mã băm không khớp).", MANIFEST
            )
        manifest = strict_json(manifest_raw, MANIFEST, max_bytes=limits.max_manifest_bytes, limits=limits)
        if manifest.get("format") != FORMAT:
            raise IntakeRejected("manifest.format", "Tệp kê khai không phải của gói KDX.", MANIFEST)
        fv = manifest.get("format_version")
        if not isinstance(fv, int) or isinstance(fv, bool) or not 1 <= fv <= FORMAT_VERSION:
            newer = isinstance(fv, int) and not isinstance(fv, bool) and fv > FORMAT_VERSION
            raise IntakeRejected(
                "manifest.format_version",
                f"Gói được tạo bởi phiên bản KDX mới hơn (định dạng {fv}); hãy cập nhật KDX để đọc."
                if newer
                else f"Gói dùng định dạng phiên bản {fv!r} mà KDX này không đọc được.",
                MANIFEST,
            )
        listed = _listed_files(manifest, limits)
        for name in by_name:
            if name != MANIFEST and name not in listed and name not in SIGNATURE_MEMBERS:
                raise IntakeRejected("zip.unlisted", f"Thành phần “{name}” không có trong tệp kê khai.", name)
        signatures = {
            name: _read_bounded(zf, by_name[name], limits.max_member_bytes, budget, limits)
            for name in SIGNATURE_MEMBERS
            if name in by_name and name not in listed
        }
        for path in listed:
            if path not in by_name:
                raise IntakeRejected(
                    "zip.missing", f"Gói thiếu thành phần “{path}” có trong tệp kê khai.", path
                )
        members: dict[str, bytes] = {}
        for path, (sha, size) in listed.items():
            cap = limits.max_data_bytes if path == DATA else limits.max_member_bytes
            body = _read_bounded(zf, by_name[path], cap, budget, limits)
            if len(body) != size or hashlib.sha256(body).hexdigest() != sha:
                raise IntakeRejected(
                    "hash.member", f"Thành phần “{path}” đã bị thay đổi (mã băm SHA-256 không khớp).", path
                )
            members[path] = body
    data_bytes = members[DATA]
    data_sha = hashlib.sha256(data_bytes).hexdigest()
    if manifest.get("data_sha256") != data_sha:
        raise IntakeRejected(
            "hash.data", "Mã băm data.json không khớp với data_sha256 của tệp kê khai.", MANIFEST
        )
    if manifest.get("verification_code") != verification_code(data_sha):
        raise IntakeRejected("hash.code", "Mã xác thực trong tệp kê khai không khớp với dữ liệu.", MANIFEST)
    data = strict_json(data_bytes, DATA, max_bytes=limits.max_data_bytes, limits=limits)
    return SafePackage(
        manifest=manifest,
        data=data,
        data_bytes=data_bytes,
        members=members,
        package_sha256=hashlib.sha256(raw).hexdigest(),
        signatures=signatures,
    )


__all__ = [
    "DEFAULT_LIMITS",
    "IntakeRejected",
    "Limits",
    "SafePackage",
    "name_problem",
    "read_package",
    "strict_json",
]
