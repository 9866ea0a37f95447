"""Official electronic signatures: sign a package at the agency, verify it at the Sở.

What a signed package carries, beside the unchanged members of the package (see
``package/writer.py``; the manifest is byte for byte the unsigned one):

- ``signature/report.pdf``: the package's ``report.pdf`` signed in PAdES form as an incremental
  update, so its signed revision is exactly ``report.pdf`` (the binding the Sở checks);
- ``signature/manifest.p7s``: a detached CMS signature (DER) of ``manifest.json``, made with the
  same certificate; the manifest lists the SHA-256 of every member, so it covers the package.

pyHanko (with python-pkcs11 for USB tokens) does the PDF and CMS work; it and ``cryptography`` are
imported only when something is signed or verified, never at start-up.
"""

from __future__ import annotations

from ..errors import KdxError
from ..package.format import MANIFEST_SIGNATURE, SIGNATURE_MEMBERS, SIGNED_PDF


class SigningError(KdxError):
    """Signing could not be done; the message is Vietnamese and names what to do."""


__all__ = ["MANIFEST_SIGNATURE", "SIGNATURE_MEMBERS", "SIGNED_PDF", "SigningError"]
