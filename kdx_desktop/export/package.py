"""The submission package (``KDX_<ORG>_<YEAR>_r<REV>.zip``): build it and verify it.

The package is the interface that outlives the code (see CONTRACTS.md): a zip holding
``manifest.json``, the canonical ``data.json``, ``report.pdf``, ``report.xlsx`` and any
``attachments/…``. The manifest lists the SHA-256 and size of every other member; the
verification code printed on the paper report is derived from ``data_sha256``.

Integrity without keys: every member is hashed in the manifest, and every manifest field is
either recomputed (hashes, verification code) or repeated inside ``data.json`` (organisation,
year, revision, supersedes, catalogue, creation time, app version) and must match, and the
manifest must be in canonical form. So any single changed byte in any member is detected and
the member is named. Reading is in memory, members are read only when listed, sizes and
compression ratios are bounded and unsafe paths are refused before anything is decompressed.

Stdlib only, so the Sở's import side and ``verify`` use it without reportlab or openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .. import __version__
from .canonical import canonical_json, now_iso, package_name, sha256_hex, verification_code
from .data import Attachment, report_data

FORMAT = "kdx-package"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
PDF = "report.pdf"
XLSX = "report.xlsx"
ATTACHMENTS_DIR = "attachments/"

# Sane limits for a yearly report of one agency (evidence files included).
MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, checked for members above 1 MB
MAX_PACKAGE_BYTES = 320 * 1024 * 1024

# The zip comment carries the manifest's own SHA-256. Not part of the contract (a package
# re-zipped without it still verifies); when present it tells a changed manifest entry from a
# changed member, so the right one is named.
_COMMENT_PREFIX = b"KDX manifest sha256="


class PackageError(ValueError):
    """A package that is not intact or not acceptable. ``member`` names the member at fault
    (``None`` when the zip as a whole is at fault); the message is Vietnamese."""

    def __init__(self, message: str, member: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.member = member


class CatalogRef(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def sha256(self) -> str: ...


@dataclass(frozen=True)
class VerifiedPackage:
    """An intact package: its manifest, its parsed data and the raw bytes of every member."""

    manifest: dict[str, Any]
    data: dict[str, Any]
    data_bytes: bytes
    members: dict[str, bytes]

    @property
    def org_code(self) -> str:
        return str(self.manifest["organisation"]["code"])

    @property
    def org_name(self) -> str:
        return str(self.manifest["organisation"]["name"])

    @property
    def year(self) -> int:
        return int(self.manifest["year"])

    @property
    def revision(self) -> int:
        return int(self.manifest["revision"])

    @property
    def data_sha256(self) -> str:
        return str(self.manifest["data_sha256"])

    @property
    def verification_code(self) -> str:
        return str(self.manifest["verification_code"])

    @property
    def supersedes(self) -> str | None:
        s = self.manifest.get("supersedes")
        return None if s is None else str(s)


# -- building -----------------------------------------------------------------------------


def _zip_time(created_at: str) -> tuple[int, int, int, int, int, int]:
    try:
        t = dt.datetime.fromisoformat(created_at)
    except ValueError:
        return (1980, 1, 1, 0, 0, 0)
    return (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second - t.second % 2)


def build_package(
    data: Mapping[str, Any],
    files: Mapping[str, bytes],
    *,
    org_code: str,
    org_name: str,
    year: int,
    revision: int,
    supersedes: str | None,
    catalog: CatalogRef | Mapping[str, str],
    created_at: str | None = None,
    app_version: str | None = None,
) -> tuple[bytes, dict[str, Any]]:
    """The package zip and its manifest.

    ``data`` becomes the canonical ``data.json``; ``files`` maps the other member paths
    (``report.pdf``, ``report.xlsx``, ``attachments/…``) to their bytes. ``created_at`` and
    ``app_version`` default to the values inside ``data`` (see :func:`report_data`), which
    :func:`verify_package` requires to match."""
    cat = (
        {"id": catalog["id"], "version": catalog["version"], "sha256": catalog["sha256"]}
        if isinstance(catalog, Mapping)
        else {"id": catalog.id, "version": catalog.version, "sha256": catalog.sha256}
    )
    data_bytes = canonical_json(data)
    data_sha = sha256_hex(data_bytes)
    created = created_at or str(data.get("created_at") or now_iso())
    members: dict[str, bytes] = {DATA: data_bytes}
    for path, raw in files.items():
        problem = unsafe_member_path(path)
        if problem or path in (MANIFEST, DATA):
            raise ValueError(f"tên thành phần không hợp lệ: {path!r} ({problem or 'trùng tên dành riêng'})")
        members[path] = bytes(raw)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": app_version or str(data.get("app_version") or __version__),
        "catalog": cat,
        "organisation": {"code": org_code, "name": org_name},
        "year": int(year),
        "revision": int(revision),
        "supersedes": supersedes,
        "created_at": created,
        "data_sha256": data_sha,
        "verification_code": verification_code(data_sha),
        "files": [{"path": p, "sha256": sha256_hex(b), "size": len(b)} for p, b in members.items()],
    }
    when = _zip_time(created)
    manifest_bytes = canonical_json(manifest)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.comment = _COMMENT_PREFIX + sha256_hex(manifest_bytes).encode("ascii")
        for path, raw in [(MANIFEST, manifest_bytes), *members.items()]:
            info = zipfile.ZipInfo(path, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, raw, compresslevel=9)
    return buf.getvalue(), manifest


# -- verifying ----------------------------------------------------------------------------


def unsafe_member_path(name: str) -> str | None:
    """Why ``name`` may not be a member path (absolute, ``..``, drive, control characters), or None."""
    if not name or len(name) > 240:
        return "tên rỗng hoặc quá dài"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "đường dẫn tuyệt đối"
    if "\\" in name:
        return "có dấu gạch chéo ngược"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in name):
        return "có ký tự điều khiển"
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return "có thành phần rỗng, “.” hoặc “..”"
    if name != unicodedata.normalize("NFC", name):
        return "tên không ở dạng NFC"
    return None


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    name = info.filename
    if info.file_size > MAX_MEMBER_BYTES:
        raise PackageError(f"Thành phần “{name}” quá lớn ({info.file_size} byte).", name)
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise PackageError(f"Thành phần “{name}” có tỉ lệ nén bất thường (nghi tệp nén độc hại).", name)
    try:
        with zf.open(info) as fh:
            raw = fh.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise PackageError(f"Thành phần “{name}” bị hỏng, không đọc được ({exc}).", name) from None
    except Exception as exc:  # zlib.error and friends from damaged streams
        raise PackageError(f"Thành phần “{name}” bị hỏng, không đọc được ({exc}).", name) from None
    if len(raw) != info.file_size:
        raise PackageError(f"Thành phần “{name}” có kích thước sai.", name)
    return raw


def _json_member(raw: bytes, name: str) -> dict[str, Any]:
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"Thành phần “{name}” không phải JSON hợp lệ ({exc}).", name) from None
    if not isinstance(obj, dict):
        raise PackageError(f"Thành phần “{name}” phải là một đối tượng JSON.", name)
    try:
        canonical = canonical_json(obj)
    except (TypeError, ValueError) as exc:
        raise PackageError(f"Thành phần “{name}” có giá trị không hợp lệ ({exc}).", name) from None
    if canonical != raw:
        raise PackageError(f"Thành phần “{name}” đã bị sửa (không ở dạng chuẩn).", name)
    return obj


def _check_manifest_shape(m: Mapping[str, Any]) -> None:
    def bad(what: str) -> PackageError:
        return PackageError(f"Tệp kê khai (manifest.json) không hợp lệ: {what}.", MANIFEST)

    if m.get("format") != FORMAT:
        raise bad("không phải gói KDX")
    fv = m.get("format_version")
    if not isinstance(fv, int) or isinstance(fv, bool) or fv < 1:
        raise bad("thiếu phiên bản định dạng")
    if fv > FORMAT_VERSION:
        raise PackageError(
            f"Gói được tạo bởi phiên bản KDX mới hơn (định dạng {fv}); hãy cập nhật KDX để đọc.", MANIFEST
        )
    for key, typ in (
        ("app_version", str),
        ("catalog", dict),
        ("organisation", dict),
        ("year", int),
        ("revision", int),
        ("created_at", str),
        ("data_sha256", str),
        ("verification_code", str),
        ("files", list),
    ):
        if not isinstance(m.get(key), typ) or isinstance(m.get(key), bool):
            raise bad(f"trường “{key}” thiếu hoặc sai kiểu")
    if "supersedes" not in m or not (m["supersedes"] is None or isinstance(m["supersedes"], str)):
        raise bad("trường “supersedes” thiếu hoặc sai kiểu")
    if m["revision"] < 1:
        raise bad("lần gửi phải từ 1")
    for key in ("id", "version", "sha256"):
        if not isinstance(m["catalog"].get(key), str):
            raise bad(f"thiếu catalog.{key}")
    for key in ("code", "name"):
        if not isinstance(m["organisation"].get(key), str):
            raise bad(f"thiếu organisation.{key}")
    try:
        t = dt.datetime.fromisoformat(m["created_at"])
    except ValueError:
        raise bad("thời điểm tạo không đúng ISO 8601") from None
    if t.tzinfo is None:
        raise bad("thời điểm tạo thiếu múi giờ")
    for f in m["files"]:
        if not (
            isinstance(f, dict)
            and isinstance(f.get("path"), str)
            and isinstance(f.get("sha256"), str)
            and isinstance(f.get("size"), int)
        ):
            raise bad("danh sách tệp sai cấu trúc")


# Manifest fields that data.json repeats and that must agree (the manifest is not hashed itself).
_BOUND = (
    ("organisation.code", ("organisation", "code")),
    ("organisation.name", ("organisation", "name")),
    ("year", ("year",)),
    ("revision", ("revision",)),
    ("supersedes", ("supersedes",)),
    ("catalog.id", ("catalog", "id")),
    ("catalog.version", ("catalog", "version")),
    ("catalog.sha256", ("catalog", "sha256")),
    ("created_at", ("created_at",)),
    ("app_version", ("app_version",)),
)


def _get(obj: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    cur: Any = obj
    for p in path:
        if not isinstance(cur, Mapping) or p not in cur:
            return None
        cur = cur[p]
    return cur


def verify_package(raw: bytes) -> VerifiedPackage:
    """Check a package completely, in memory; raise :class:`PackageError` naming the member at
    fault, or return its content. Never writes anything."""
    if len(raw) > MAX_PACKAGE_BYTES:
        raise PackageError("Tệp quá lớn để là một gói báo cáo KDX.")
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PackageError(f"Tệp không phải gói nén ZIP hợp lệ ({exc}).") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise PackageError(f"Gói có quá nhiều thành phần ({len(infos)}).")
        by_name: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            problem = unsafe_member_path(info.filename)
            if problem:
                raise PackageError(
                    f"Thành phần “{info.filename}” có tên không an toàn: {problem}.", info.filename
                )
            if info.filename in by_name:
                raise PackageError(f"Thành phần “{info.filename}” xuất hiện hai lần.", info.filename)
            if info.flag_bits & 0x1:
                raise PackageError(f"Thành phần “{info.filename}” bị mã hóa.", info.filename)
            by_name[info.filename] = info
        if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
            raise PackageError("Tổng dung lượng giải nén của gói vượt giới hạn.")
        if MANIFEST not in by_name:
            raise PackageError("Gói thiếu tệp kê khai manifest.json.", MANIFEST)
        manifest_raw = _read_member(zf, by_name[MANIFEST])
        comment = zf.comment
        if comment.startswith(_COMMENT_PREFIX) and comment[len(_COMMENT_PREFIX) :] != sha256_hex(
            manifest_raw
        ).encode("ascii"):
            raise PackageError("Tệp kê khai manifest.json đã bị thay đổi (mã băm không khớp).", MANIFEST)
        manifest = _json_member(manifest_raw, MANIFEST)
        _check_manifest_shape(manifest)

        listed: dict[str, Mapping[str, Any]] = {}
        for f in manifest["files"]:
            path = f["path"]
            if unsafe_member_path(path) or path == MANIFEST or path in listed:
                raise PackageError(f"Tệp kê khai liệt kê tên không hợp lệ “{path}”.", MANIFEST)
            listed[path] = f
        if DATA not in listed:
            raise PackageError("Tệp kê khai không liệt kê data.json.", MANIFEST)
        for name in by_name:
            if name != MANIFEST and name not in listed:
                raise PackageError(f"Thành phần “{name}” không có trong tệp kê khai.", name)

        members: dict[str, bytes] = {}
        for path, f in listed.items():
            if path not in by_name:
                raise PackageError(f"Gói thiếu thành phần “{path}” có trong tệp kê khai.", path)
            body = _read_member(zf, by_name[path])
            if len(body) != f["size"] or sha256_hex(body) != f["sha256"]:
                raise PackageError(f"Thành phần “{path}” đã bị thay đổi (mã băm SHA-256 không khớp).", path)
            members[path] = body

    data_bytes = members[DATA]
    if sha256_hex(data_bytes) != manifest["data_sha256"]:
        raise PackageError("Mã băm data.json không khớp với data_sha256 của tệp kê khai.", MANIFEST)
    if verification_code(manifest["data_sha256"]) != manifest["verification_code"]:
        raise PackageError("Mã xác thực trong tệp kê khai không khớp với dữ liệu.", MANIFEST)
    data = _json_member(data_bytes, DATA)
    for label, path_ in _BOUND:
        if _get(manifest, path_) != _get(data, path_):
            raise PackageError(f"Tệp kê khai và data.json không khớp ở “{label}”.", MANIFEST)
    return VerifiedPackage(manifest=manifest, data=data, data_bytes=data_bytes, members=members)


__all__ = [
    "DATA",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "PDF",
    "XLSX",
    "Attachment",
    "PackageError",
    "VerifiedPackage",
    "build_package",
    "canonical_json",
    "now_iso",
    "package_name",
    "report_data",
    "sha256_hex",
    "unsafe_member_path",
    "verification_code",
    "verify_package",
]
