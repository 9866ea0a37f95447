"""Catalogue editions: the file the Sở sends, and installing it at an agency or at the Sở.

An edition file (``.kdxdm``) is a small JSON document::

    {"format": "kdx-catalog-edition", "format_version": 1,
     "catalog_sha256": <SHA-256 of the catalogue text>, "verification_code": "XXXX-XXXX-XXXX",
     "catalog": <the catalogue file, as text>}

The hash catches a damaged or edited file. It does not prove who made the file: until the Sở signs
editions digitally, the Sở prints the verification code with the edition and an agency compares
it by telephone before installing (the install preview shows it). Installing checks, in order:
the envelope, the hash, the catalogue itself (every entry, as the bundled one is checked), that it
is this plan's catalogue for this province, and that it is newer than every edition installed;
then it stores the edition in one transaction. Nothing changes when any check fails.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..core.catalog import Catalog
from ..core.catalog_diff import catalog_changes
from ..core.catalog_loader import parse_catalog
from ..core.catalog_specs import CatalogError
from ..fsutil import describe_os_error, read_file_at_most
from ..package.canonical import verification_code
from .reporting import App, UsageError

FORMAT = "kdx-catalog-edition"
FORMAT_VERSION = 1
SUFFIX = ".kdxdm"
MAX_BYTES = 8 * 1024 * 1024  # the bundled catalogue is ~60 KB; a file far larger is not one
THIS_ORG = "this_org"


class EditionRefused(UsageError):
    """An edition file that cannot be installed; the message says why. Nothing was changed."""


def edition_file(catalog: Catalog) -> bytes:
    """The edition file of ``catalog`` (the bytes the Sở sends to every agency)."""
    text = catalog.source.decode("utf-8")
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "edition": catalog.edition.number,
        "catalog_sha256": catalog.sha256,
        "verification_code": verification_code(catalog.sha256),
        "catalog": text,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def read_edition_file(raw: bytes, name: str = "tệp") -> Catalog:
    """The catalogue inside an edition file, verified; :class:`EditionRefused` otherwise."""
    if len(raw) > MAX_BYTES:
        raise EditionRefused(f"{name} quá lớn để là một tệp danh mục ({len(raw):,} byte).".replace(",", "."))
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise EditionRefused(f"{name} không phải tệp danh mục KDX (không đọc được JSON UTF-8).") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise EditionRefused(f"{name} không phải tệp danh mục KDX.")
    fv = doc.get("format_version")
    if not isinstance(fv, int) or isinstance(fv, bool) or fv < 1:
        raise EditionRefused(f"{name}: thiếu phiên bản định dạng tệp danh mục.")
    if fv > FORMAT_VERSION:
        raise EditionRefused(f"{name} được lập bởi phiên bản KDX mới hơn (định dạng {fv}); hãy cập nhật KDX.")
    text, sha = doc.get("catalog"), doc.get("catalog_sha256")
    if not isinstance(text, str) or not isinstance(sha, str):
        raise EditionRefused(f"{name}: thiếu nội dung danh mục hoặc mã băm.")
    content = text.encode("utf-8")
    if hashlib.sha256(content).hexdigest() != sha:
        raise EditionRefused(
            f"{name} đã bị sửa đổi hoặc hỏng: mã băm của danh mục không khớp. Không cài đặt; hãy xin Sở gửi lại tệp."
        )
    try:
        catalog = parse_catalog(content)
    except CatalogError as exc:
        raise EditionRefused(f"{name}: danh mục không hợp lệ: {exc}") from None
    if doc.get("edition") != catalog.edition.number:
        raise EditionRefused(f"{name}: số lần ban hành ghi ngoài tệp khác với số trong danh mục.")
    return catalog


@dataclass(frozen=True)
class InstallPreview:
    """What installing an edition would do, shown before it is done."""

    catalog: Catalog
    verification_code: str
    changes: list[str]  # for this agency (every change at the Sở)
    current: int  # the newest edition installed before

    def lines(self) -> list[str]:
        ed = self.catalog.edition
        head = [
            f"{ed.label}; nơi ban hành: {ed.issuer}; áp dụng các năm {ed.year_from}-{ed.year_to}.",
            f"Mã xác thực: {self.verification_code} (hãy gọi điện cho Sở để đối chiếu trước khi cài đặt).",
            f"Đang dùng: danh mục lần ban hành {self.current}.",
        ]
        body = [f"  • {c}" for c in self.changes] or ["  (không có thay đổi nào liên quan đến đơn vị này)"]
        return [*head, "Thay đổi:", *body]


def preview_install(app: App, raw: bytes, name: str = "tệp") -> InstallPreview:
    """Verify an edition file against this data folder; :class:`EditionRefused` when it cannot be
    installed here (foreign, not newer, malformed, tampered). Changes nothing."""
    new = read_edition_file(raw, name)
    cur = app.catalog
    if new.id != cur.id:
        raise EditionRefused(
            f"{name} là danh mục “{new.id}”, không phải danh mục của Kế hoạch này ({cur.id}). Không cài đặt."
        )
    if new.edition.province != cur.edition.province:
        raise EditionRefused(
            f"{name} là danh mục của tỉnh {new.edition.province}, không phải của tỉnh {cur.edition.province}. "
            "Không cài đặt."
        )
    if new.edition.number in app.editions and app.editions[new.edition.number].sha256 == new.sha256:
        raise EditionRefused(
            f"Danh mục lần ban hành {new.edition.number} đã được cài đặt; không có gì thay đổi."
        )
    newest = max(app.editions)
    if new.edition.number <= newest:
        raise EditionRefused(
            f"{name} là danh mục lần ban hành {new.edition.number}, không mới hơn lần {newest} đang dùng. "
            "Không cài đặt."
        )
    this = app.store.setting(THIS_ORG)
    kind = org = None
    if this and this != cur.consolidator().code and cur.has_org(this):
        org, kind = this, cur.org(this).kind
    changes = catalog_changes(cur, new, kind=kind, org=org)
    return InstallPreview(new, verification_code(new.sha256), changes, newest)


def install(app: App, raw: bytes, name: str = "tệp", *, user: str | None = None) -> InstallPreview:
    """Install the edition in ``raw`` (verified as :func:`preview_install` does) in one
    transaction, and make it the data folder's catalogue."""
    preview = preview_install(app, raw, name)
    new = preview.catalog
    app.store.add_catalog_edition(new.edition.number, new.id, new.sha256, new.source, user=user)
    app.editions[new.edition.number] = new
    app.catalog = new
    return preview


def read_edition_path(path: Path) -> bytes:
    try:
        return read_file_at_most(path, MAX_BYTES)
    except OSError as exc:
        raise EditionRefused(describe_os_error(exc, path, reading=True)) from None
