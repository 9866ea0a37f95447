"""Verify a package's signatures at the Sở: integrity, chain, time, revocation, binding.

Every signature found is checked with pyHanko, offline:

- **integrity**: the signed bytes are unchanged (``intact``, ``valid``), and nothing was added to
  the PDF after it was signed (the signature covers the entire file);
- **binding**: the signed PDF's revision before the signature is byte for byte the package's
  ``report.pdf`` (which prints the verification code of ``data.json``), and the detached CMS
  signature is over the package's exact ``manifest.json`` (which lists the SHA-256 of every member),
  made with the same certificate;
- **chain**: to the trust roots the Sở installed (``trust add``), at the signing time the
  signature states (no time-stamping authority is reachable offline: that time is the signer's
  claim, and the certificate must have been valid then);
- **revocation**: with a CRL the Sở installed for the signer's issuer (``revocation: checked``),
  otherwise ``not checked``, said plainly.

What breaks integrity or binding is a :class:`SignatureRefused` (the package is refused, with the
reason); a certificate that does not lead to a trusted root, or was issued to someone other than
the organisation, is accepted and flagged ``untrusted``; a revoked certificate, or one not valid
at the signing time, is flagged ``invalid``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.vntime import VIETNAM
from ..errors import KdxError
from ..package.format import MANIFEST_SIGNATURE, SIGNED_PDF
from .keys import holder_of, quiet_import
from .labels import STATE_LABELS

TRUSTED, UNTRUSTED, INVALID, NONE = "trusted", "untrusted", "invalid", "none"
CHECKED, NOT_CHECKED = "checked", "not checked"


class SignatureRefused(KdxError):
    """A signature that breaks integrity or binding: the package is refused. ``code`` is a short
    machine code (``signature.…``), ``message`` says which in Vietnamese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Trust:
    """What the Sở installed: trust roots and CRLs (DER)."""

    roots: tuple[bytes, ...] = ()
    crls: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class SignatureResult:
    """The verdict on a package's signature (``none`` when it has none)."""

    state: str
    signer: str | None = None
    organisation: str | None = None
    signed_at: str | None = None  # ISO 8601 in Vietnam time, as the signature states it
    bound: bool = False
    revocation: str = NOT_CHECKED
    source: str = ""  # "package", or the file name of a signed PDF found beside it
    notes: tuple[str, ...] = ()  # Vietnamese: what the officer should know (why not trusted …)
    signed_pdf: bytes = field(default=b"", repr=False)  # the evidence, kept to re-check later
    manifest_p7s: bytes | None = field(default=None, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "signer": self.signer,
            "organisation": self.organisation,
            "signed_at": self.signed_at,
            "bound": self.bound,
            "revocation": self.revocation,
        }

    @property
    def label(self) -> str:
        """One Vietnamese phrase for lists and the board."""
        return STATE_LABELS[self.state]


NO_SIGNATURE = SignatureResult(NONE)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _quiet_logs() -> None:
    # pyhanko-certvalidator logs a path-building failure (an untrusted root) with a traceback at
    # WARNING: that is a verdict KDX reports itself, not something for the user's console.
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _context(trust: Trust, issuer: Any, moment: dt.datetime | None) -> tuple[Any, str]:
    from asn1crypto import crl, x509
    from pyhanko_certvalidator import ValidationContext

    roots = [x509.Certificate.load(r) for r in trust.roots]
    crls = [crl.CertificateList.load(c) for c in trust.crls]
    mine = [c for c in crls if c["tbs_cert_list"]["issuer"] == issuer]
    kwargs: dict[str, Any] = {
        "trust_roots": roots,
        "allow_fetching": False,
        "moment": moment,
        "retroactive_revinfo": True,  # a CRL issued after the signing time still says "revoked before"
    }
    if mine:
        # "require": revocation information must be found for every certificate of the path (the
        # milder modes skip a certificate that names no distribution point).
        return ValidationContext(crls=mine, revocation_mode="require", **kwargs), CHECKED
    return ValidationContext(revocation_mode="soft-fail", **kwargs), NOT_CHECKED


def _revisions(pdf: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(pdf), strict=False).xrefs.total_revisions)


def signature_count(pdf: bytes) -> int:
    """How many signatures a PDF holds (0 for an unsigned or unreadable one)."""
    quiet_import()
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return len(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures)
    except Exception:
        return 0


def _check_pdf(report: bytes, signed: bytes, trust: Trust, where: str) -> tuple[Any, str, dt.datetime | None]:
    """(pyHanko status, revocation, signing time) of the signature that binds ``signed`` to
    ``report``; :class:`SignatureRefused` when it does not bind or is not intact."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    try:
        reader = PdfFileReader(io.BytesIO(signed), strict=False)
        sigs = reader.embedded_signatures
    except Exception:
        raise SignatureRefused("signature.pdf_unreadable", f"{where} bị hỏng, không đọc được.") from None
    if not sigs:
        raise SignatureRefused("signature.pdf_unsigned", f"{where} không có chữ ký số nào.")
    if not (len(signed) > len(report) and signed[: len(report)] == report):
        raise SignatureRefused(
            "signature.other_revision",
            f"{where} không phải bản ký của báo cáo trong gói này (phần đã ký khác report.pdf: "
            "ký cho lần gửi khác, hoặc báo cáo đã được tạo lại sau khi ký).",
        )
    first = _revisions(report)
    binding = [s for s in sigs if s.signed_revision == first]
    if not binding:
        raise SignatureRefused(
            "signature.other_revision", f"{where}: chữ ký số không nằm ngay sau báo cáo trong gói."
        )
    sig = binding[0]
    claimed = sig.self_reported_timestamp
    ctx, revocation = _context(trust, sig.signer_cert.issuer, claimed)
    try:
        status = validate_pdf_signature(sig, ctx)
    except Exception:
        raise SignatureRefused(
            "signature.pdf_broken", f"{where}: chữ ký số bị hỏng, không kiểm tra được."
        ) from None
    if not (status.intact and status.valid):
        raise SignatureRefused(
            "signature.pdf_modified", f"{where} đã bị sửa sau khi ký: chữ ký số không còn khớp với nội dung."
        )
    if status.coverage is None or status.coverage.name != "ENTIRE_FILE":
        raise SignatureRefused(
            "signature.pdf_modified",
            f"{where} đã bị thêm nội dung sau khi ký (chữ ký không phủ toàn bộ tệp).",
        )
    return status, revocation, claimed


def _check_manifest(manifest: bytes, p7s: bytes, trust: Trust, cert: Any, moment: dt.datetime | None) -> None:
    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

    bad = SignatureRefused(
        "signature.manifest",
        "Chữ ký số của tệp kê khai (signature/manifest.p7s) không khớp với manifest.json của gói: "
        "chữ ký không phủ đúng toàn bộ tệp kê khai này.",
    )
    try:
        info = cms.ContentInfo.load(p7s)
        if info["content_type"].native != "signed_data":
            raise bad
        signed_data = info["content"]
        ctx, _rev = _context(trust, cert.issuer, moment)
        status = asyncio.run(
            async_validate_detached_cms(manifest, signed_data, signer_validation_context=ctx)
        )
    except SignatureRefused:
        raise
    except Exception:
        raise bad from None
    if not (status.intact and status.valid):
        raise bad
    if status.signing_cert.dump() != cert.dump():
        raise SignatureRefused(
            "signature.two_certificates",
            "Tệp kê khai và báo cáo PDF được ký bằng hai chứng thư số khác nhau.",
        )


REVOKED, EXPIRED, NO_TRUSTED_ROOT = "revoked", "expired", "untrusted_root"


def trust_problem(status: Any) -> str | None:
    """Why a signature that is intact is not trusted: ``revoked``, ``expired`` (not valid at the
    signing time), ``untrusted_root`` (no path to a root installed with ``trust add``); None when
    the chain is trusted."""
    if status.trusted:
        return None
    indic = getattr(status.trust_problem_indic, "name", "") if status.trust_problem_indic else ""
    if "REVOKED" in indic:
        return REVOKED
    if indic in ("EXPIRED", "NOT_YET_VALID", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"):
        return EXPIRED
    return NO_TRUSTED_ROOT


def holder_matches(holder: Any, names: Sequence[str]) -> bool:
    """The binding rule: the certificate's person (CN) or organisation (O) is one of ``names``,
    compared after NFC, case folding and collapsing spaces. No names: nothing to bind to."""
    wanted = {_norm(n) for n in names if n}
    return not wanted or bool({_norm(holder.name), _norm(holder.organisation)} & wanted)


def _verdict(status: Any, org_names: Sequence[str]) -> tuple[str, list[str]]:
    notes: list[str] = []
    problem = trust_problem(status)
    holder = holder_of(status.signing_cert)
    if problem is None:
        state = TRUSTED
    elif problem == REVOKED:
        state = INVALID
        notes.append("Chứng thư số của người ký đã bị thu hồi (theo danh sách thu hồi Sở đã cài).")
    elif problem == EXPIRED:
        state = INVALID
        notes.append("Chứng thư số của người ký không còn hiệu lực vào thời điểm ký.")
    else:
        state = UNTRUSTED
        notes.append(
            "Chứng thư số không dẫn tới chứng thư gốc nào Sở đã cài là tin cậy "
            "(cài chứng thư gốc của nhà cung cấp bằng lệnh trust add hoặc trong cửa sổ)."
        )
    if not holder_matches(holder, org_names):
        if state == TRUSTED:
            state = UNTRUSTED
        whom = holder.organisation or holder.name
        notes.append(f"Chứng thư số cấp cho “{whom}”, không phải cho {' / '.join(org_names)}.")
    return state, notes


def verify_signatures(
    report_pdf: bytes,
    manifest: bytes,
    signatures: dict[str, bytes],
    trust: Trust,
    *,
    org_names: Sequence[str] = (),
    beside: Sequence[tuple[str, bytes]] = (),
) -> SignatureResult:
    """The verdict on a package: its own signatures (``signatures``, the ``signature/…`` members),
    or else the first signed PDF found ``beside`` it (file name, bytes). :class:`SignatureRefused`
    when a signature breaks integrity or binding."""
    quiet_import()
    _quiet_logs()
    if signatures:
        if SIGNED_PDF not in signatures or MANIFEST_SIGNATURE not in signatures:
            missing = SIGNED_PDF if SIGNED_PDF not in signatures else MANIFEST_SIGNATURE
            raise SignatureRefused("signature.incomplete", f"Gói đã ký số nhưng thiếu “{missing}”.")
        signed, p7s, source, where = (
            signatures[SIGNED_PDF],
            signatures[MANIFEST_SIGNATURE],
            "package",
            "Báo cáo PDF đã ký trong gói",
        )
    else:
        found = [(n, b) for n, b in beside if signature_count(b) > 0]
        if not found:
            return NO_SIGNATURE
        (source, signed), p7s = found[0], None
        where = f"Tệp PDF đã ký “{source}”"
    status, revocation, claimed = _check_pdf(report_pdf, signed, trust, where)
    if p7s is not None:
        _check_manifest(manifest, p7s, trust, status.signing_cert, claimed)
    state, notes = _verdict(status, org_names)
    if revocation == NOT_CHECKED:
        notes.append("Chưa kiểm tra thu hồi chứng thư (Sở chưa cài danh sách thu hồi CRL của nơi cấp).")
    notes.append("Thời điểm ký do máy của người ký ghi (không có dấu thời gian của bên thứ ba).")
    holder = holder_of(status.signing_cert)
    return SignatureResult(
        state=state,
        signer=holder.name or None,
        organisation=holder.organisation or None,
        signed_at=claimed.astimezone(VIETNAM).isoformat(timespec="seconds") if claimed else None,
        bound=True,
        revocation=revocation,
        source=source,
        notes=tuple(notes),
        signed_pdf=signed,
        manifest_p7s=p7s,
    )


@dataclass(frozen=True)
class DetachedSignature:
    """A detached CMS signature checked over exactly the bytes given: it is intact (else
    :class:`SignatureRefused`); whether it is trusted is ``problem`` (None: trusted)."""

    signer: str
    organisation: str
    signed_at: dt.datetime | None  # as the signer's PC stated it (no time-stamping authority)
    revocation: str
    problem: str | None  # see trust_problem()
    holder: Any = field(repr=False)

    @property
    def signed_at_vn(self) -> str | None:
        """ISO 8601 in Vietnam time."""
        return self.signed_at.astimezone(VIETNAM).isoformat(timespec="seconds") if self.signed_at else None


def verify_detached(data: bytes, p7s: bytes, trust: Trust, what: str) -> DetachedSignature:
    """Check a detached CMS signature (DER) over ``data``, offline: integrity, then the chain to
    ``trust``'s roots at the time the signature states, with revocation when a CRL of the signer's
    issuer is installed. :class:`SignatureRefused` when it is not a signature of exactly ``data``;
    ``what`` names the signed thing in that message."""
    quiet_import()  # before pyHanko is imported here: its one known import-time warning
    _quiet_logs()
    from asn1crypto import cms
    from pyhanko.sign.general import extract_certificate_info, extract_signer_info
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms, extract_self_reported_ts

    bad = SignatureRefused(
        "signature.data_modified",
        f"Chữ ký số không khớp với {what}: nội dung đã bị sửa sau khi ký, hoặc chữ ký là của tệp khác.",
    )
    try:
        info = cms.ContentInfo.load(p7s)
        if info["content_type"].native != "signed_data":
            raise bad
        signed_data = info["content"]
        cert = extract_certificate_info(signed_data).signer_cert
        claimed = extract_self_reported_ts(extract_signer_info(signed_data))
        ctx, revocation = _context(trust, cert.issuer, claimed)
        status = asyncio.run(async_validate_detached_cms(data, signed_data, signer_validation_context=ctx))
    except SignatureRefused:
        raise
    except Exception:
        raise SignatureRefused(
            "signature.unreadable", f"Chữ ký số của {what} bị hỏng, không đọc được."
        ) from None
    if not (status.intact and status.valid):
        raise bad
    holder = holder_of(status.signing_cert)
    return DetachedSignature(
        holder.name, holder.organisation, claimed, revocation, trust_problem(status), holder
    )


def describe_certificate(der: bytes) -> tuple[str, str, str]:
    """(kind "root"/"crl", subject or issuer name, valid-to ISO date) of a DER certificate or CRL."""
    from asn1crypto import crl, x509

    try:
        cert = x509.Certificate.load(der)
        cert.native  # noqa: B018  - parse it all now: a broken file fails here, not later
        return "root", _name(cert.subject), cert.not_valid_after.date().isoformat()
    except Exception:
        pass
    lst = crl.CertificateList.load(der)
    lst.native  # noqa: B018
    nxt = lst["tbs_cert_list"]["next_update"].native
    return "crl", _name(lst["tbs_cert_list"]["issuer"]), nxt.date().isoformat() if nxt else ""


def _name(name: Any) -> str:
    n = name.native
    return unicodedata.normalize(
        "NFC", str(n.get("common_name") or n.get("organization_name") or name.human_friendly)
    )


__all__ = [
    "CHECKED",
    "EXPIRED",
    "INVALID",
    "NONE",
    "NOT_CHECKED",
    "NO_SIGNATURE",
    "NO_TRUSTED_ROOT",
    "REVOKED",
    "STATE_LABELS",
    "TRUSTED",
    "UNTRUSTED",
    "DetachedSignature",
    "SignatureRefused",
    "SignatureResult",
    "Trust",
    "describe_certificate",
    "holder_matches",
    "signature_count",
    "trust_problem",
    "verify_detached",
    "verify_signatures",
]
