"""Where the signing key is: a USB token through its PKCS#11 driver, or a PKCS#12 file.

The PIN or password is passed in by the caller, used once and never stored, logged or put in a
message. Tokens come with their certificate provider's driver (a DLL on Windows, e.g. in
``C:\\Windows\\System32``); KDX cannot know every driver's name, so the officer picks the file
once and the window remembers the path (never the PIN).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import SigningError


def quiet_import() -> None:
    """Import pyHanko with exactly its one known import-time warning silenced (cryptography's
    "DSA is deprecated", raised by pyHanko's CMS module even when no DSA key is used)."""
    from cryptography.utils import CryptographyDeprecationWarning

    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning
        )
        import pyhanko.sign
        import pyhanko.sign.validation  # noqa: F401


@dataclass(frozen=True)
class Holder:
    """Who a certificate names: the person (CN) and the organisation (O), NFC as written."""

    name: str
    organisation: str


def holder_of(cert: Any) -> Holder:
    """The person and organisation an ``asn1crypto`` certificate is issued to."""
    import unicodedata

    subject = cert.subject.native
    name = str(subject.get("common_name") or "")
    org = subject.get("organization_name") or ""
    if isinstance(org, list):
        org = ", ".join(str(o) for o in org)
    return Holder(unicodedata.normalize("NFC", name), unicodedata.normalize("NFC", str(org)))


def load_p12(path: Path, password: str) -> Any:
    """A pyHanko signer from a PKCS#12 (``.p12``/``.pfx``) file, or :class:`SigningError`."""
    quiet_import()
    from pyhanko.sign.signers import SimpleSigner

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp chứng thư số “{path.name}”: {exc.strerror or exc}.") from None
    try:
        return SimpleSigner.load_pkcs12_data(raw, other_certs=set(), passphrase=password.encode("utf-8"))
    except Exception:
        # Never the exception text: it may quote what was typed.
        raise SigningError(
            f"Không mở được tệp chứng thư số “{path.name}”: sai mật khẩu hoặc tệp không phải PKCS#12 (.p12/.pfx)."
        ) from None


@dataclass(frozen=True)
class TokenCertificate:
    """A certificate found on a token (listed for the officer to pick)."""

    token_label: str
    label: str
    cert_id: bytes
    holder: Holder
    not_after: str  # ISO date
    issuer: str

    @property
    def display(self) -> str:
        org = f" - {self.holder.organisation}" if self.holder.organisation else ""
        return f"{self.holder.name}{org} (hết hạn {self.not_after[8:10]}/{self.not_after[5:7]}/{self.not_after[:4]})"


def _lib(driver: Path) -> Any:
    import pkcs11

    if not driver.is_file():
        raise SigningError(f"Không thấy trình điều khiển thiết bị ký số (PKCS#11) “{driver}”.")
    try:
        return pkcs11.lib(str(driver))
    except Exception:
        raise SigningError(
            f"Không nạp được trình điều khiển “{driver.name}”: tệp không phải trình điều khiển PKCS#11 "
            "hoặc không hợp với máy này (32/64 bit)."
        ) from None


def _tokens(driver: Path, token_label: str | None) -> list[Any]:
    from pkcs11 import TokenFlag

    lib = _lib(driver)
    try:
        tokens = [slot.get_token() for slot in lib.get_slots(token_present=True)]
        # A reader slot with a blank (never initialised) token is not a signing token.
        tokens = [t for t in tokens if t.flags & TokenFlag.TOKEN_INITIALIZED]
    except Exception:
        raise SigningError("Không đọc được thiết bị ký số: hãy cắm lại USB ký số rồi thử lại.") from None
    if token_label is not None:
        tokens = [t for t in tokens if str(t.label).strip() == token_label.strip()]
    if not tokens:
        which = f" có nhãn “{token_label}”" if token_label else ""
        raise SigningError(f"Không thấy thiết bị ký số{which}: hãy cắm USB ký số vào máy rồi thử lại.")
    return tokens


def list_token_certificates(driver: Path, token_label: str | None = None) -> list[TokenCertificate]:
    """Every certificate on the tokens the driver sees (certificates are public: no PIN needed)."""
    quiet_import()
    from asn1crypto import x509
    from pkcs11 import Attribute, ObjectClass

    out = []
    for token in _tokens(driver, token_label):
        try:
            with token.open() as session:
                for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
                    cert = x509.Certificate.load(obj[Attribute.VALUE])
                    if cert.ca:
                        continue  # tokens also carry their provider's CA chain: not for signing
                    out.append(
                        TokenCertificate(
                            token_label=str(token.label).strip(),
                            label=str(obj[Attribute.LABEL]),
                            cert_id=bytes(obj[Attribute.ID]),
                            holder=holder_of(cert),
                            not_after=cert.not_valid_after.date().isoformat(),
                            issuer=str(cert.issuer.native.get("common_name") or ""),
                        )
                    )
        except SigningError:
            raise
        except Exception:
            raise SigningError("Không đọc được danh sách chứng thư số trên thiết bị ký số.") from None
    return out


@contextlib.contextmanager
def token_signer(
    driver: Path, pin: str, *, token_label: str | None = None, cert_id: bytes | None = None
) -> Iterator[Any]:
    """A pyHanko signer on a token, its session open for the ``with`` block and closed after.

    The key is the one with the certificate's id (tokens pair them that way); with no ``cert_id``
    the token must hold exactly one certificate."""
    quiet_import()
    import pkcs11
    from pyhanko.sign.pkcs11 import PKCS11Signer

    certs = list_token_certificates(driver, token_label)
    if cert_id is not None:
        certs = [c for c in certs if c.cert_id == cert_id]
    if not certs:
        raise SigningError("Không thấy chứng thư số nào trên thiết bị ký số.")
    if len(certs) > 1:
        names = "; ".join(c.display for c in certs)
        raise SigningError(f"Thiết bị ký số có nhiều chứng thư số ({names}): hãy chọn một.")
    chosen = certs[0]
    token = _tokens(driver, chosen.token_label)[0]
    try:
        session = token.open(user_pin=pin)
    except pkcs11.exceptions.PinIncorrect:
        raise SigningError("Mã PIN không đúng (thiết bị sẽ khóa nếu nhập sai nhiều lần).") from None
    except pkcs11.exceptions.PinLocked:
        raise SigningError(
            "Thiết bị ký số đã bị khóa mã PIN: hãy liên hệ nhà cung cấp chứng thư số."
        ) from None
    except Exception:
        raise SigningError("Không đăng nhập được thiết bị ký số (mã PIN hoặc thiết bị có vấn đề).") from None
    try:
        yield PKCS11Signer(session, cert_id=chosen.cert_id, key_id=chosen.cert_id)
    finally:
        with contextlib.suppress(Exception):
            session.close()


__all__ = [
    "Holder",
    "TokenCertificate",
    "holder_of",
    "list_token_certificates",
    "load_p12",
    "quiet_import",
    "token_signer",
]
