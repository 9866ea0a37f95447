"""A throw-away public-key infrastructure for the signing tests, made during the test run.

A test CA (and a second, foreign one), officers' certificates with Vietnamese names, a PKCS#12
file, and a SoftHSM2 software token holding a key and certificate (written with OpenSC's
``pkcs11-tool``). Nothing here is committed; every key lives in the test's temporary folder.
SoftHSM2 reads its configuration once per process, so the token folder is one per test session.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from tests.tools import need

SOFTHSM_MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
)
TOKEN_LABEL = "KDX-THU"
TOKEN_PIN = "246810"
P12_PASSWORD = "mật-khẩu-thử"  # non-ASCII on purpose


@dataclass(frozen=True)
class Identity:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def cert_der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


def _name(cn: str, org: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_ca(cn: str = "CA Thử nghiệm KDX", *, days_from: int = -30, days: int = 3650) -> Identity:
    key = _key()
    now = dt.datetime.now(dt.UTC)
    name = _name(cn, "Tổ chức chứng thực thử")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=days_from))
        .not_valid_after(now + dt.timedelta(days=days_from + days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Identity(key, cert)


def make_officer(
    ca: Identity,
    cn: str = "Nguyễn Văn An",
    org: str = "Báo Quảng Ngãi",
    *,
    days_from: int = -1,
    days: int = 365,
) -> Identity:
    key = _key()
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, org))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=days_from))
        .not_valid_after(now + dt.timedelta(days=days_from + days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return Identity(key, cert)


def make_crl(ca: Identity, revoked: list[x509.Certificate]) -> bytes:
    now = dt.datetime.now(dt.UTC)
    b = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now - dt.timedelta(hours=1))
        .next_update(now + dt.timedelta(days=30))
    )
    for cert in revoked:
        b = b.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(cert.serial_number)
            .revocation_date(now - dt.timedelta(minutes=30))
            .build()
        )
    return b.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def write_p12(path: Path, who: Identity, ca: Identity, password: str = P12_PASSWORD) -> Path:
    # OpenSSL 3's defaults (AES-256, PBES2), as certificate providers issue them today.
    enc = serialization.BestAvailableEncryption(password.encode("utf-8"))
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"officer", who.key, who.cert, [ca.cert], enc))
    return path


def softhsm_module() -> Path:
    for m in SOFTHSM_MODULES:
        if Path(m).is_file():
            return Path(m)
    raise AssertionError("libsofthsm2.so not found: install the Debian package softhsm2 (.ci/run does)")


def init_softhsm(folder: Path) -> None:
    """Point SoftHSM2 at a token folder of this test session (never the system's)."""
    tokens = folder / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)


def make_token(
    folder: Path, who: Identity, label: str = TOKEN_LABEL, pin: str = TOKEN_PIN, ca: Identity | None = None
) -> Path:
    """A SoftHSM2 token ``label`` holding ``who``'s key and certificate (id 01) and, as providers'
    tokens do, the CA's certificate (id 02); the module path."""
    module = softhsm_module()
    util = need("softhsm2-util")
    tool = need("pkcs11-tool")
    run = {"check": True, "capture_output": True, "env": os.environ.copy()}
    subprocess.run(
        [util, "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "13579"], **run
    )  # type: ignore[call-overload]
    key_der = folder / f"{label}-key.der"
    key_der.write_bytes(
        who.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    cert_der = folder / f"{label}-cert.der"
    cert_der.write_bytes(who.cert_der)
    base = [tool, "--module", str(module), "--token-label", label, "--login", "--pin", pin]
    subprocess.run(
        [*base, "--write-object", str(key_der), "--type", "privkey", "--id", "01", "--label", "officer"],
        **run,
    )  # type: ignore[call-overload]
    subprocess.run(
        [*base, "--write-object", str(cert_der), "--type", "cert", "--id", "01", "--label", "officer"], **run
    )  # type: ignore[call-overload]
    key_der.unlink()
    if ca is not None:
        ca_der = folder / f"{label}-ca.der"
        ca_der.write_bytes(ca.cert_der)
        subprocess.run(
            [*base, "--write-object", str(ca_der), "--type", "cert", "--id", "02", "--label", "ca"], **run
        )  # type: ignore[call-overload]
    return module
