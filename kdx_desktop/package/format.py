"""The names that make a file a KDX package, shared by the writer and the reader (see CONTRACTS.md).

Changing any of them breaks every package already sent: they are the contract, not settings.
"""

from __future__ import annotations

FORMAT = "kdx-package"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
PDF = "report.pdf"
XLSX = "report.xlsx"
ATTACHMENTS_DIR = "attachments/"
# A signed package (kdx_desktop/signing) adds these two members, not listed in the manifest (they
# sign it): the report PDF signed as an incremental update of report.pdf, and a detached CMS
# signature (DER) of manifest.json. An unsigned package has neither; both stay format version 1.
SIGNED_PDF = "signature/report.pdf"
MANIFEST_SIGNATURE = "signature/manifest.p7s"
SIGNATURE_MEMBERS = (SIGNED_PDF, MANIFEST_SIGNATURE)

# The zip comment carries the manifest's own SHA-256. Not part of the contract (a package
# re-zipped without it still verifies); when present it tells a changed manifest entry from a
# changed member, so the right one is named.
COMMENT_PREFIX = b"KDX manifest sha256="
