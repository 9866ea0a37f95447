"""The Sở's record of electronic signatures: its trust store and each received package's verdict.

Tables ``trust_store`` and ``package_signatures`` (migration 0003_signatures). Reading a verdict
needs no cryptography (the board stays fast); checking one (``kdx_desktop/signing/verify.py``)
loads pyHanko, only when a signed package arrives or the trust store changes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import KdxError
from ..store.repo import Store, current_user, now_iso

if TYPE_CHECKING:
    from ..signing.verify import SignatureResult, Trust


class TrustFileError(KdxError, ValueError):
    """A file that is not a certificate or CRL; the message is Vietnamese."""


@dataclass(frozen=True)
class TrustEntry:
    sha256: str
    kind: str  # "root" or "crl"
    name: str
    valid_to: str
    added_at: str
    added_by: str

    @property
    def kind_label(self) -> str:
        return "chứng thư gốc" if self.kind == "root" else "danh sách thu hồi (CRL)"

    def as_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "kind": self.kind,
            "name": self.name,
            "valid_to": self.valid_to,
            "added_at": self.added_at,
            "added_by": self.added_by,
        }


_PEM = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.S)


def to_der(raw: bytes) -> list[bytes]:
    """The DER objects in a certificate or CRL file (PEM with one or more blocks, or DER)."""
    blocks = _PEM.findall(raw)
    if not blocks:
        return [raw]
    out = []
    for label, body in blocks:
        if label not in (b"CERTIFICATE", b"X509 CRL", b"TRUSTED CERTIFICATE"):
            continue
        try:
            out.append(base64.b64decode(b"".join(body.split()), validate=True))
        except (binascii.Error, ValueError):
            raise TrustFileError("Tệp PEM bị hỏng (phần mã base64 không đọc được).") from None
    if not out:
        raise TrustFileError("Tệp PEM không chứa chứng thư (CERTIFICATE) hay danh sách thu hồi (X509 CRL).")
    return out


def add_to_trust(store: Store, raw: bytes, *, user: str | None = None) -> list[tuple[TrustEntry, bool]]:
    """Install every certificate (as a trust root) and CRL in ``raw``; (entry, newly added) each.
    Nothing is installed when any part is unreadable."""
    from ..signing.verify import describe_certificate

    parsed = []
    for der in to_der(raw):
        try:
            kind, name, valid_to = describe_certificate(der)
        except Exception:
            raise TrustFileError(
                "Tệp không phải chứng thư số hay danh sách thu hồi (CRL) dạng PEM/DER (.cer, .crt, .pem, .crl)."
            ) from None
        parsed.append((der, kind, name, valid_to))
    who, ts = user or current_user(), now_iso()
    out = []
    with store.transaction():
        for der, kind, name, valid_to in parsed:
            sha = hashlib.sha256(der).hexdigest()
            old = store.db.execute("SELECT 1 FROM trust_store WHERE sha256 = ?", [sha]).fetchone()
            if old is None:
                store.db.execute(
                    "INSERT INTO trust_store(sha256, kind, der, name, valid_to, added_at, added_by) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [sha, kind, der, name, valid_to, ts, who],
                )
                store._audit("trust_add", None, f"trust.{kind}", None, f"{name} {sha[:16]}", None, who, ts)
            out.append((TrustEntry(sha, kind, name, valid_to, ts, who), old is None))
    return out


def trust_entries(store: Store) -> list[TrustEntry]:
    rows = store.db.execute(
        "SELECT sha256, kind, name, valid_to, added_at, added_by FROM trust_store ORDER BY kind DESC, name, sha256"
    ).fetchall()
    return [TrustEntry(*r) for r in rows]


def load_trust(store: Store) -> Trust:
    from ..signing.verify import Trust

    rows = store.db.execute("SELECT kind, der FROM trust_store ORDER BY sha256").fetchall()
    return Trust(
        roots=tuple(bytes(d) for k, d in rows if k == "root"),
        crls=tuple(bytes(d) for k, d in rows if k == "crl"),
    )


def record(
    store: Store, received_id: int, result: SignatureResult, *, report_size: int, manifest: bytes
) -> None:
    """Keep ``result`` (and its evidence) for a received package; inside the caller's transaction."""
    store.db.execute(
        "INSERT OR REPLACE INTO package_signatures(received_id, source, signed_pdf, report_size, manifest, "
        "manifest_p7s, state, signer, organisation, signed_at, bound, revocation, notes, checked_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            received_id,
            result.source,
            result.signed_pdf,
            report_size,
            manifest,
            result.manifest_p7s,
            result.state,
            result.signer,
            result.organisation,
            result.signed_at,
            int(result.bound),
            result.revocation,
            "\n".join(result.notes),
            now_iso(),
        ],
    )


_COLS = "received_id, state, signer, organisation, signed_at, bound, revocation, source, notes"


def _result(r: tuple[Any, ...]) -> SignatureResult:
    from ..signing.verify import SignatureResult  # a dataclass module: no pyHanko until used

    return SignatureResult(
        state=r[1],
        signer=r[2],
        organisation=r[3],
        signed_at=r[4],
        bound=bool(r[5]),
        revocation=r[6],
        source=r[7],
        notes=tuple(n for n in str(r[8]).split("\n") if n),
    )


def verdicts(store: Store, received_ids: Iterable[int]) -> dict[int, SignatureResult]:
    """The stored verdict of each of ``received_ids`` that was signed."""
    ids = list(received_ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = store.db.execute(
        f"SELECT {_COLS} FROM package_signatures WHERE received_id IN ({marks})", ids
    ).fetchall()
    return {int(r[0]): _result(r) for r in rows}


def has_package_signature(store: Store, received_id: int) -> bool:
    """Whether a received package already has a signature with its manifest signed."""
    r = store.db.execute(
        "SELECT manifest_p7s IS NOT NULL FROM package_signatures WHERE received_id = ?", [received_id]
    ).fetchone()
    return bool(r and r[0])


def recheck_all(store: Store, org_names: dict[str, list[str]]) -> int:
    """Check every stored signature again with the current trust store (after ``trust add``);
    the number of verdicts that changed. Evidence that no longer verifies keeps its old verdict
    and gets a note (it was accepted when it arrived)."""
    from ..package.format import MANIFEST_SIGNATURE, SIGNED_PDF
    from ..signing.verify import SignatureRefused, verify_signatures

    trust = load_trust(store)
    rows = store.db.execute(
        "SELECT s.received_id, s.signed_pdf, s.report_size, s.manifest, s.manifest_p7s, s.source, s.state, "
        "s.revocation, r.org_code FROM package_signatures s JOIN received_packages r ON r.id = s.received_id"
    ).fetchall()
    changed = 0
    with store.transaction():
        for rid, pdf, size, manifest, p7s, source, state, revocation, org in rows:
            pdf, manifest = bytes(pdf), bytes(manifest)
            sigs = {SIGNED_PDF: pdf, MANIFEST_SIGNATURE: bytes(p7s)} if p7s is not None else {}
            beside = [] if p7s is not None else [(source, pdf)]
            try:
                res = verify_signatures(
                    pdf[:size], manifest, sigs, trust, org_names=org_names.get(org, []), beside=beside
                )
            except SignatureRefused:
                continue
            if (res.state, res.revocation) != (state, revocation):
                changed += 1
            record(store, rid, res, report_size=size, manifest=manifest)
    return changed


__all__ = [
    "TrustEntry",
    "TrustFileError",
    "add_to_trust",
    "has_package_signature",
    "load_trust",
    "recheck_all",
    "record",
    "to_der",
    "trust_entries",
    "verdicts",
]
