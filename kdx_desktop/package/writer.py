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
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .. import __version__
from ..core.vntime import VIETNAM
from ..errors import KdxError
from .canonical import canonical_json, now_iso, sha256_hex, verification_code
from .format import COMMENT_PREFIX, DATA, FORMAT, FORMAT_VERSION, MANIFEST
from .safe_zip import IntakeRejected, name_problem, read_package


class PackageError(KdxError, ValueError):
    """A package that is not intact or not acceptable. ``member`` names the member at fault
    (``None`` when the zip as a whole is at fault); the message is Vietnamese."""

    def __init__(self, message: str, member: str | None = None) -> None:
        super().__init__(message)
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
    signatures: dict[str, bytes] = field(default_factory=dict)  # signature/… (kdx_desktop/signing)

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
    """Every member's date: the package's creation time in Vietnam time (a zip date has no zone),
    so the same report always makes the same zip."""
    try:
        t = dt.datetime.fromisoformat(created_at).astimezone(VIETNAM)
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
    catalog: CatalogRef | Mapping[str, Any],
    created_at: str | None = None,
    app_version: str | None = None,
) -> tuple[bytes, dict[str, Any]]:
    """The package zip and its manifest.

    ``data`` becomes the canonical ``data.json``; ``files`` maps the other member paths
    (``report.pdf``, ``report.xlsx``, ``attachments/…``) to their bytes. ``created_at`` and
    ``app_version`` default to the values inside ``data`` (see :func:`report_data`), which
    :func:`verify_package` requires to match."""
    cat: dict[str, Any] = (
        {"id": catalog["id"], "version": catalog["version"], "sha256": catalog["sha256"]}
        if isinstance(catalog, Mapping)
        else {"id": catalog.id, "version": catalog.version, "sha256": catalog.sha256}
    )
    if isinstance(catalog, Mapping) and "edition" in catalog:  # packages before editions have none
        cat["edition"] = catalog["edition"]
    data_bytes = canonical_json(data)
    data_sha = sha256_hex(data_bytes)
    created = created_at or str(data.get("created_at") or now_iso())

    members: dict[str, bytes] = {DATA: data_bytes}
    for path, raw in files.items():
        problem = name_problem(path)
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
        zf.comment = COMMENT_PREFIX + sha256_hex(manifest_bytes).encode("ascii")
        for path, raw in [(MANIFEST, manifest_bytes), *members.items()]:
            info = zipfile.ZipInfo(path, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, raw, compresslevel=9)
    return buf.getvalue(), manifest


# -- verifying ----------------------------------------------------------------------------


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
    ("catalog.edition", ("catalog", "edition")),
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
    fault, or return its content. Never writes anything.

    The archive is read by the same hostile-input reader as the Sở's import
    (``package/safe_zip.py``: names, caps measured while decompressing, every hash before any JSON
    is parsed, strict canonical JSON); this adds the manifest's full shape and its agreement with
    ``data.json``."""

    try:
        pkg = read_package(raw)
    except IntakeRejected as exc:
        raise PackageError(exc.message, exc.member) from None
    manifest, data = pkg.manifest, pkg.data
    _check_manifest_shape(manifest)
    for label, path_ in _BOUND:
        if _get(manifest, path_) != _get(data, path_):
            raise PackageError(f"Tệp kê khai và data.json không khớp ở “{label}”.", MANIFEST)
    return VerifiedPackage(
        manifest=manifest,
        data=data,
        data_bytes=pkg.data_bytes,
        members=pkg.members,
        signatures=pkg.signatures,
    )


__all__ = ["PackageError", "VerifiedPackage", "build_package", "verify_package"]
