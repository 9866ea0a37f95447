"""A throw-away certificate authority and officer, made in memory: the self-test proves that the
installed program can sign and verify without touching any real certificate or token."""

from __future__ import annotations

import datetime as dt
from typing import Any


def throwaway_signer(
    name: str = "Cán bộ thử nghiệm", organisation: str = "Cơ quan thử nghiệm"
) -> tuple[Any, bytes]:
    """(a pyHanko signer, the DER certificate of the CA that issued it); the keys never leave memory."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    from .keys import quiet_import

    quiet_import()
    from pyhanko.sign.signers import SimpleSigner

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA thử nghiệm (tự kiểm tra KDX)")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(b"kdx", key, cert, [ca], serialization.NoEncryption())
    signer = SimpleSigner.load_pkcs12_data(p12, other_certs=set(), passphrase=None)
    return signer, ca.public_bytes(serialization.Encoding.DER)


__all__ = ["throwaway_signer"]
