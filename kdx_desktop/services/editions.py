"""Catalogue editions: the file the Sở sends, and installing it at an agency or at the Sở.

An edition file (``.kdxdm``) is a small JSON document::

    {"format": "kdx-catalog-edition", "format_version": 1,
     "catalog_sha256": <SHA-256 of the catalogue text>, "verification_code": "XXXX-XXXX-XXXX",
     "catalog_signature": <optional: the Sở's detached CMS signature, DER in base64>,
     "catalog": <the catalogue file, as text>}

The hash catches a damaged or edited file; it does not prove who made the file. The Sở's
electronic signature does: a detached CMS signature (``kdx_desktop/signing``) over exactly the
catalogue bytes that are installed (the UTF-8 of ``catalog``, whose hash and verification code the
envelope states; the other envelope fields are checked against those bytes). The key is optional,
so older KDX versions still install a signed file (they ignore the signature), and an unsigned
file installs as before: the Sở prints the verification code with the edition and an agency
compares it by telephone before installing (the install preview shows it).

Installing checks, in order: the envelope, the hash, the catalogue itself (every entry, as the
bundled one is checked), that it is this plan's catalogue for this province, that it is newer than
every edition installed, then the signature: intact over the catalogue, its certificate valid at
the signing time and leading to a root installed with ``trust add``, not revoked by an installed
CRL, and issued to the Sở as the catalogue in force names it, with the edition naming that Sở as
its issuer (:func:`department_names`). A signed file that fails any of these is refused; it is
never installed as if unsigned. An unsigned file is refused when the edition in force was itself
installed signed, or the catalogue in force sets the Sở's ``signatures`` policy to ``required``: a
downgrade to an unsigned file would defeat the signature. Then it stores the edition (and its
signature, as evidence) in one transaction. Nothing changes when any check fails.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.catalog import Catalog
from ..core.catalog_diff import catalog_changes
from ..core.catalog_loader import parse_catalog
from ..core.catalog_specs import CatalogError
from ..core.text import nfc
from ..core.vntime import vn_datetime
from ..fsutil import describe_os_error, read_file_at_most
from ..package.canonical import verification_code
from ..store.repo import EditionSignature
from .reporting import App, UsageError

FORMAT = "kdx-catalog-edition"
FORMAT_VERSION = 1
SUFFIX = ".kdxdm"
MAX_BYTES = 8 * 1024 * 1024  # the bundled catalogue is ~60 KB; a file far larger is not one
THIS_ORG = "this_org"
SIGNATURE_KEY = "catalog_signature"
MAX_SIGNATURE = 64 * 1024  # a CMS signature with a chain of three certificates is ~5 KB


class EditionRefused(UsageError):
    """An edition file that cannot be installed; the message says why. Nothing was changed."""


def edition_file(catalog: Catalog, signature: bytes | None = None) -> bytes:
    """The edition file of ``catalog`` (the bytes the Sở sends to every agency), with the Sở's
    detached CMS ``signature`` over ``catalog.source`` when it was signed."""
    text = catalog.source.decode("utf-8")
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "edition": catalog.edition.number,
        "catalog_sha256": catalog.sha256,
        "verification_code": verification_code(catalog.sha256),
    }
    if signature is not None:
        doc[SIGNATURE_KEY] = base64.b64encode(signature).decode("ascii")
    doc["catalog"] = text
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@dataclass(frozen=True)
class EditionFile:
    """An edition file read and checked (envelope, hash, catalogue); its signature not yet."""

    catalog: Catalog
    signature: bytes | None  # the detached CMS signature (DER), None when unsigned


def read_edition_file(raw: bytes, name: str = "tệp") -> Catalog:
    """The catalogue inside an edition file, verified; :class:`EditionRefused` otherwise."""
    return read_edition(raw, name).catalog


def read_edition(raw: bytes, name: str = "tệp") -> EditionFile:
    """The edition file ``raw`` checked up to its signature (see :func:`check_signature`);
    :class:`EditionRefused` otherwise."""
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
    return EditionFile(catalog, _signature_of(doc, name))


def _signature_of(doc: dict[str, Any], name: str) -> bytes | None:
    value = doc.get(SIGNATURE_KEY)
    if value is None:
        return None
    broken = EditionRefused(f"{name}: chữ ký số trong tệp bị hỏng (không đọc được). Không cài đặt.")
    if not isinstance(value, str) or not value or len(value) > MAX_SIGNATURE * 4 // 3 + 4:
        raise broken
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise broken from None


# -- the Sở's signature ----------------------------------------------------------------------


def department_names(cat: Catalog) -> list[str]:
    """The names the Sở's certificate may carry (as its person, CN, or organisation, O), from the
    catalogue in force, never from the file being checked (a file cannot vouch for itself): every
    name the consolidating organisation has had, alone and followed by "tỉnh <province>" as
    certificates name a provincial department ("Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi").
    Compared as the package signatures are (NFC, case and spaces ignored). When the Sở is renamed,
    the edition that adds the new name is signed under a name already known."""
    sở = cat.consolidator()
    out: list[str] = []
    for period in sở.periods:
        out += [period.name, f"{period.name} tỉnh {cat.edition.province}"]
    return list(dict.fromkeys(nfc(n) for n in out if n))


def _names_phrase(cat: Catalog) -> str:
    return " / ".join(dict.fromkeys(p.name for p in cat.consolidator().periods))


def _holder_phrase(name: str, organisation: str) -> str:
    return (
        f"{name} ({organisation})" if name and organisation else (organisation or name or "(không ghi tên)")
    )


def check_signature(app: App, edition: EditionFile, name: str = "tệp") -> EditionSignature | None:
    """The Sở's signature on ``edition`` verified against this data folder's trust store and the
    catalogue in force; None for an unsigned file that may be installed (its verification code is
    compared by telephone). :class:`EditionRefused` with the reason otherwise."""
    cur = app.catalog
    if edition.signature is None:
        reason = signature_expected(app)
        if reason:
            raise EditionRefused(
                f"{name} chưa được ký số, nhưng {reason}. Tệp chưa ký số có thể là tệp giả: không cài đặt. "
                "Hãy xin Sở gửi tệp danh mục đã ký số."
            )
        return None
    from ..province.signatures import load_trust
    from ..signing.verify import (
        EXPIRED,
        NO_TRUSTED_ROOT,
        REVOKED,
        SignatureRefused,
        holder_matches,
        verify_detached,
    )

    try:
        res = verify_detached(
            edition.catalog.source, edition.signature, load_trust(app.store), "danh mục trong tệp"
        )
    except SignatureRefused as exc:
        raise EditionRefused(f"{name}: {exc.message} Không cài đặt; hãy xin Sở gửi lại tệp.") from None
    who = _holder_phrase(res.signer, res.organisation)
    when = vn_datetime(res.signed_at_vn) if res.signed_at_vn else "không ghi thời điểm"
    if res.problem == EXPIRED:
        raise EditionRefused(
            f"{name} được ký bằng chứng thư số của {who} không còn hiệu lực vào thời điểm ký ({when}, giờ Việt Nam): "
            "chữ ký số không hợp lệ. Không cài đặt."
        )
    if res.problem == REVOKED:
        raise EditionRefused(
            f"{name} được ký bằng chứng thư số của {who} đã bị thu hồi (theo danh sách thu hồi đã cài). Không cài đặt."
        )
    if res.problem == NO_TRUSTED_ROOT:
        raise EditionRefused(
            f"{name} được ký bằng chứng thư số của {who}, nhưng chứng thư này không dẫn tới chứng thư gốc nào "
            "máy này tin cậy. Không cài đặt. Nếu đúng là chữ ký của Sở, hãy cài chứng thư gốc của nhà cung cấp "
            "chữ ký số của Sở (Tệp → Chứng thư số tin cậy, hoặc lệnh trust add) rồi cài lại tệp này."
        )
    names = department_names(cur)
    if not holder_matches(res.holder, names):
        raise EditionRefused(
            f"{name} được ký bằng chứng thư số cấp cho “{res.organisation or res.signer}”, không phải cho Sở "
            f"({_names_phrase(cur)}). Chỉ Sở được ban hành danh mục: không cài đặt."
        )
    issuer = edition.catalog.edition.issuer
    if not holder_matches(_Named(issuer), names):
        raise EditionRefused(
            f"{name} ghi nơi ban hành “{issuer}”, không phải Sở ({_names_phrase(cur)}) đã ký số tệp. Không cài đặt."
        )
    return EditionSignature(edition.signature, res.signer, res.organisation, res.signed_at_vn, res.revocation)


@dataclass(frozen=True)
class _Named:
    """A plain name in the shape of a certificate holder, to check the edition's issuer by the
    same rule as the certificate."""

    name: str
    organisation: str = ""


def signature_expected(app: App) -> str | None:
    """Why this data folder accepts only signed editions from now on (None: unsigned ones install
    after the verification code is compared): the edition in force was installed signed by the
    Sở, or the catalogue in force sets the Sở's ``signatures`` policy to ``required``."""
    newest = max(app.editions)
    if newest in app.store.edition_signatures():
        return f"lần ban hành {newest} đang dùng đã được Sở ký số"
    if app.catalog.signature_policy(app.catalog.consolidator().code) == "required":
        return "danh mục đang dùng quy định Sở ký số danh mục (signatures: required)"
    return None


def signature_json(app: App, number: int) -> dict[str, Any]:
    """The signature state of edition ``number`` in the shape of a package's ``signature``
    object (``status --json``): ``trusted`` when it was installed with the Sở's signature (a
    signature that is not trusted is never installed), ``none`` otherwise (the bundled edition, or
    one installed by its verification code)."""
    sig = app.store.edition_signatures().get(number)
    if sig is None:
        return {"state": "none"}
    return {
        "state": "trusted",
        "signer": sig.signer,
        "organisation": sig.organisation,
        "signed_at": sig.signed_at,
        "bound": True,
        "revocation": sig.revocation,
    }


def signature_phrase(sig: EditionSignature, *, revocation: bool = True) -> str:
    """``đã ký số bởi Nguyễn Văn An (Sở …), lúc 20:49 ngày 07/12/2026 (giờ Việt Nam)``, and
    whether revocation was checked when ``revocation`` (a verified signature, not one just made)."""
    when = f", lúc {vn_datetime(sig.signed_at)} (giờ Việt Nam)" if sig.signed_at else ""
    checked = "" if sig.revocation == "checked" or not revocation else "; chưa kiểm tra thu hồi chứng thư"
    return f"đã ký số bởi {_holder_phrase(sig.signer, sig.organisation)}{when}{checked}"


@dataclass(frozen=True)
class SignedEdition:
    file: bytes  # the signed edition file
    catalog: Catalog
    signature: EditionSignature


def signable_edition(raw: bytes, in_force: Catalog) -> EditionFile:
    """The edition file ``raw`` if the Sở can sign it: readable, not signed yet, naming the Sở of
    ``in_force`` as its issuer; :class:`SigningError` saying why not (before the PIN is asked for)."""
    from ..signing import SigningError
    from ..signing.verify import holder_matches

    try:
        edition = read_edition(raw, "Tệp danh mục")
    except EditionRefused as exc:
        raise SigningError(exc.message) from None
    if edition.signature is not None:
        raise SigningError("Tệp danh mục này đã được ký số rồi.")
    names = department_names(in_force)
    issuer = edition.catalog.edition.issuer
    if not holder_matches(_Named(issuer), names):
        raise SigningError(
            f"Lần ban hành ghi nơi ban hành “{issuer}”, không phải tên Sở ({_names_phrase(in_force)}): các đơn "
            "vị sẽ từ chối tệp đã ký. Sửa ô “Nơi ban hành” trong bảng tính (ví dụ "
            f"“{names[-1]}”) rồi lập lại tệp."
        )
    return edition


def sign_edition(
    raw: bytes, signer: Any, in_force: Catalog, *, at: dt.datetime | None = None
) -> SignedEdition:
    """Sign the edition file ``raw`` with ``signer`` (see ``signing/keys.py``): the same file with
    the Sở's detached CMS signature over its catalogue. :class:`SigningError` before anything is
    signed when :func:`signable_edition` refuses it, or when the certificate is not the Sở's of
    ``in_force`` (every agency would refuse the file)."""
    from ..core.vntime import VIETNAM
    from ..signing import SigningError
    from ..signing.keys import holder_of
    from ..signing.sign import sign_bytes
    from ..signing.verify import holder_matches

    edition = signable_edition(raw, in_force)
    holder = holder_of(signer.signing_cert)
    if not holder_matches(holder, department_names(in_force)):
        raise SigningError(
            f"Chứng thư số này cấp cho “{holder.organisation or holder.name}”, không phải cho Sở "
            f"({_names_phrase(in_force)}): các đơn vị sẽ từ chối tệp danh mục. Hãy ký bằng chứng thư số của Sở."
        )
    when = (at or dt.datetime.now(dt.UTC)).astimezone(VIETNAM).replace(microsecond=0)
    p7s = sign_bytes(edition.catalog.source, signer, at=when, what="tệp danh mục")
    sig = EditionSignature(p7s, holder.name, holder.organisation, when.isoformat(), "not checked")
    return SignedEdition(edition_file(edition.catalog, p7s), edition.catalog, sig)


@dataclass(frozen=True)
class InstallPreview:
    """What installing an edition would do, shown before it is done."""

    catalog: Catalog
    verification_code: str
    changes: list[str]  # for this agency (every change at the Sở)
    current: int  # the newest edition installed before
    signature: EditionSignature | None = None  # verified; None: unsigned (compare the code by phone)

    def head(self) -> list[str]:
        """Which edition, who signed it (or the code to compare), what is in force now."""
        ed = self.catalog.edition
        if self.signature is not None:
            proof = [
                f"Chữ ký số của Sở: hợp lệ, {signature_phrase(self.signature)}.",
                f"Mã xác thực: {self.verification_code}.",
            ]
        else:
            proof = [
                f"Tệp chưa được ký số. Mã xác thực: {self.verification_code} "
                "(hãy gọi điện cho Sở để đối chiếu trước khi cài đặt)."
            ]
        return [
            f"{ed.label}; nơi ban hành: {ed.issuer}; áp dụng các năm {ed.year_from}-{ed.year_to}.",
            *proof,
            f"Đang dùng: danh mục lần ban hành {self.current}.",
        ]

    def lines(self) -> list[str]:
        body = [f"  • {c}" for c in self.changes] or ["  (không có thay đổi nào liên quan đến đơn vị này)"]
        return [*self.head(), "Thay đổi:", *body]


def preview_install(app: App, raw: bytes, name: str = "tệp") -> InstallPreview:
    """Verify an edition file against this data folder; :class:`EditionRefused` when it cannot be
    installed here (foreign, not newer, malformed, tampered, a signature that is not the Sở's or
    not valid, unsigned where a signature is expected). Changes nothing."""
    edition = read_edition(raw, name)
    new = edition.catalog
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
    signature = check_signature(app, edition, name)
    changes = catalog_changes(cur, new, kind=kind, org=org)
    return InstallPreview(new, verification_code(new.sha256), changes, newest, signature)


def install(app: App, raw: bytes, name: str = "tệp", *, user: str | None = None) -> InstallPreview:
    """Install the edition in ``raw`` (verified as :func:`preview_install` does) in one
    transaction, and make it the data folder's catalogue."""
    preview = preview_install(app, raw, name)
    new = preview.catalog
    app.store.add_catalog_edition(
        new.edition.number, new.id, new.sha256, new.source, signed=preview.signature, user=user
    )
    app.editions[new.edition.number] = new
    app.catalog = new
    return preview


def read_edition_path(path: Path) -> bytes:
    try:
        return read_file_at_most(path, MAX_BYTES)
    except OSError as exc:
        raise EditionRefused(describe_os_error(exc, path, reading=True)) from None
