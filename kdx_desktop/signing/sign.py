"""Sign a package: the report PDF in PAdES form and a detached CMS signature of its manifest.

The PDF is signed as an incremental update of exactly the package's ``report.pdf`` (its bytes
are the signed file's prefix, untouched), into the empty signature field KDX draws in the
signature block (``documents/pdf_layout.py``); a PDF without that field gets a box on its last page.
The visible box shows who signed, for which organisation and when (Vietnam time); there is no
time-stamping authority offline, so that time is what the signer's PC said, and the box says so
only by not claiming more.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.vntime import VIETNAM
from . import MANIFEST_SIGNATURE, SIGNATURE_MEMBERS, SIGNED_PDF, SigningError
from .keys import Holder, holder_of, quiet_import

MM = 72 / 25.4
# A PDF without KDX's field (an old export): the box goes at the right of the last page, above
# the bottom margin, about where the signer's name is.
_FALLBACK_BOX = (110 * MM, 40 * MM, 190 * MM, 70 * MM)


@dataclass(frozen=True)
class SignedPackage:
    package: bytes  # the signed package (the original members, unchanged, plus signature/…)
    pdf: bytes  # the signed report PDF (also inside the package)
    signer: Holder
    signed_at: dt.datetime


def vn_time(t: dt.datetime) -> str:
    """``07/12/2026 14:05:09`` in Vietnam time (UTC+7) whatever the PC's zone."""
    return t.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")


def stamp_pdf(width: float, height: float, holder: Holder, at: dt.datetime) -> bytes:
    """The visible signature's picture: a one-page PDF of exactly the box's size, drawn with the
    report's own font (every Vietnamese letter is there)."""
    from reportlab.lib.colors import Color
    from reportlab.pdfgen.canvas import Canvas

    from ..core.text import nfc
    from ..documents.fonts import register_fonts

    fonts = register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(width, height), invariant=1, initialFontName=fonts.regular)
    red = Color(0.72, 0.07, 0.07)
    c.setStrokeColor(red)
    c.setFillColor(red)
    c.setLineWidth(1.2)
    pad = 3
    c.roundRect(pad, pad, width - 2 * pad, height - 2 * pad, 4)
    lines = [
        (fonts.bold, "Đã ký số bởi:"),
        (fonts.bold, holder.name or "(không ghi tên)"),
        (fonts.regular, f"Cơ quan: {holder.organisation}" if holder.organisation else ""),
        (fonts.regular, f"Thời gian ký: {vn_time(at)}"),
    ]
    lines = [(f, nfc(t)) for f, t in lines if t]
    size = min(11.0, (height - 4 * pad) / (len(lines) * 1.25))
    y = height - 2 * pad - size
    for font, text in lines:
        fs = size
        while fs > 6 and c.stringWidth(text, font, fs) > width - 5 * pad:
            fs -= 0.5
        c.setFont(font, fs)
        c.drawString(2.5 * pad, y, text)
        y -= size * 1.25
    c.showPage()
    c.save()
    return buf.getvalue()


def _stamp_style(pdf: bytes) -> Any:
    from pyhanko.pdf_utils import content, layout
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.stamp import StaticStampStyle

    class _PdfBytesPage(content.PdfContent):
        """pyHanko's ImportedPdfPage reads a file by name; this reads the stamp from memory."""

        def render(self) -> bytes:
            w = self._ensure_writer
            xobj = w.import_page_as_xobject(PdfFileReader(io.BytesIO(pdf)), page_ix=0)
            self.resources.xobject["/KDXStamp"] = xobj
            x1, y1, x2, y2 = xobj.get_object()["/BBox"]
            self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
            return b"/KDXStamp Do"

    return StaticStampStyle(
        background=_PdfBytesPage(),
        border_width=0,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(0, 0, 0, 0),
        ),
    )


def _box(reader: Any) -> tuple[str, tuple[float, float, float, float] | None, int]:
    """(field name, box for a new field or None to fill the existing one, page index)."""
    from pyhanko.sign.fields import enumerate_sig_fields

    from ..documents.pdf_layout import SIGNATURE_FIELD

    for name, value, _ref in enumerate_sig_fields(reader):
        if name == SIGNATURE_FIELD:
            if value is not None:
                raise SigningError("Báo cáo này đã được ký số rồi.")
            return SIGNATURE_FIELD, None, -1
    return SIGNATURE_FIELD, _FALLBACK_BOX, -1


def sign_pdf(pdf: bytes, signer: Any, *, at: dt.datetime, location: str = "") -> bytes:
    """``pdf`` signed (PAdES baseline B, SHA-256) as an incremental update; its bytes are kept
    as the signed file's prefix."""
    quiet_import()
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign import fields, signers

    holder = holder_of(signer.signing_cert)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        name, box, page = _box(writer.prev)
    except PdfReadError:
        raise SigningError("Tệp báo cáo PDF trong gói bị hỏng, không ký được.") from None
    if box is None:
        field = next(f for n, _v, f in fields.enumerate_sig_fields(writer.prev) if n == name).get_object()
        x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    else:
        x1, y1, x2, y2 = box
    style = _stamp_style(stamp_pdf(abs(x2 - x1), abs(y2 - y1), holder, at))
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        location=location or None,
        name=holder.name or None,
    )
    spec = None
    if box is not None:
        bx = (int(box[0]), int(box[1]), int(box[2]), int(box[3]))
        spec = fields.SigFieldSpec(name, on_page=page, box=bx)

    class _AtTime(signers.PdfSigner):
        # The box shows the signing time: make the signature's own time the same instant.
        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = at
            return session

    pdf_signer = _AtTime(meta, signer=signer, stamp_style=style, new_field_spec=spec)
    try:
        out = pdf_signer.sign_pdf(writer)
    except SigningError:
        raise
    except Exception as exc:
        raise SigningError(f"Ký báo cáo PDF không thành công ({type(exc).__name__}).") from None
    signed = bytes(out.getvalue())
    if signed[: len(pdf)] != pdf:  # the binding the Sở checks; pyHanko guarantees it, KDX checks it
        raise SigningError("Bản ký số không giữ nguyên báo cáo gốc; không dùng được.")
    return signed


def sign_bytes(data: bytes, signer: Any, *, at: dt.datetime, what: str = "tệp kê khai") -> bytes:
    """A detached CMS signature (DER) of ``data``, SHA-256, with the signer's chain; ``what`` names
    the data in the message when signing fails."""
    quiet_import()
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    attrs = PdfCMSSignedAttributes(signing_time=at)
    try:
        cms = asyncio.run(
            signer.async_sign_general_data(data, "sha256", detached=True, signed_attr_settings=attrs)
        )
    except Exception as exc:
        raise SigningError(f"Ký {what} không thành công ({type(exc).__name__}).") from None
    return bytes(cms.dump())


def _rezip(raw: bytes, extra: dict[str, bytes]) -> bytes:
    """The package with ``extra`` members appended: every original member's bytes, name, date
    and order kept, and the archive comment (the manifest's hash) kept."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    buf = io.BytesIO()
    with src, zipfile.ZipFile(buf, "w") as out:
        out.comment = src.comment
        when = (1980, 1, 1, 0, 0, 0)
        for info in src.infolist():
            body = src.read(info)
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = zipfile.ZIP_DEFLATED
            copy.external_attr = info.external_attr
            out.writestr(copy, body, compresslevel=9)
            when = info.date_time
        for name, body in extra.items():
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, body, compresslevel=9)
    return buf.getvalue()


def signable(raw: bytes) -> Any:
    """The verified package if it can be signed (intact, unsigned, with its PDF), else
    :class:`SigningError` saying why: checked before the PIN is asked for."""
    from ..package.format import PDF
    from ..package.writer import PackageError, verify_package

    try:
        pkg = verify_package(raw)
    except PackageError as exc:
        raise SigningError(f"Gói không nguyên vẹn, không ký: {exc.message}") from None
    if any(m in pkg.signatures for m in SIGNATURE_MEMBERS):
        raise SigningError("Gói này đã được ký số rồi.")
    if PDF not in pkg.members:
        raise SigningError("Gói không có báo cáo PDF (report.pdf) để ký.")
    return pkg


def sign_package(raw: bytes, signer: Any, *, at: dt.datetime | None = None) -> SignedPackage:
    """Sign an intact, unsigned package with ``signer`` (see :mod:`.keys`)."""
    from ..package.format import MANIFEST, PDF

    pkg = signable(raw)
    when = (at or dt.datetime.now(dt.UTC)).astimezone(VIETNAM).replace(microsecond=0)
    place = str(pkg.data.get("identity", {}).get("place") or "")
    signed_pdf = sign_pdf(pkg.members[PDF], signer, at=when, location=place)
    manifest_bytes = _member(raw, MANIFEST)
    p7s = sign_bytes(manifest_bytes, signer, at=when)
    signed = _rezip(raw, {SIGNED_PDF: signed_pdf, MANIFEST_SIGNATURE: p7s})
    return SignedPackage(signed, signed_pdf, holder_of(signer.signing_cert), when)


def _member(raw: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return zf.read(name)


def signed_names(package_name: str) -> tuple[str, str]:
    """``BaoCao_BQN_2025_lan1.zip`` → (``BaoCao_BQN_2025_lan1_ky-so.zip``, ``BaoCao_BQN_2025_lan1_ky-so.pdf``)."""
    stem = package_name[:-4] if package_name.lower().endswith(".zip") else package_name
    return f"{stem}{SIGNED_SUFFIX}.zip", f"{stem}{SIGNED_SUFFIX}.pdf"


SIGNED_SUFFIX = "_ky-so"


def read_package_file(path: Path) -> bytes:
    """The bytes of the package file ``path``, checked signable (:func:`signable`)."""
    from ..fsutil import describe_os_error, read_file_at_most
    from ..package.limits import DEFAULT_LIMITS

    try:
        raw = read_file_at_most(path, DEFAULT_LIMITS.max_package_bytes)
    except OSError as exc:
        raise SigningError(describe_os_error(exc, path, reading=True)) from None
    if len(raw) > DEFAULT_LIMITS.max_package_bytes:
        raise SigningError(f"Tệp “{path.name}” quá lớn, không phải gói báo cáo KDX.")
    signable(raw)
    return raw


def sign_file(path: Path, signer: Any) -> tuple[Path, Path, SignedPackage]:
    """Sign the package file ``path``; write the signed package and the signed PDF next to it
    (atomically: never a half-written file). Returns (signed package, signed PDF, result)."""
    from ..fsutil import write_together

    result = sign_package(read_package_file(path), signer)
    zip_name, pdf_name = signed_names(path.name)
    # Both old or both new, also when the signed PDF is open in a reader (write_together).
    write_together(path.parent, {pdf_name: result.pdf, zip_name: result.package})
    return path.with_name(zip_name), path.with_name(pdf_name), result


MAX_PDF = 50 * 1024 * 1024  # a consolidated report with charts is a few MB


def sign_pdf_file(path: Path, signer: Any) -> tuple[Path, Holder, dt.datetime]:
    """Sign a PDF on its own (the Sở's consolidated report): ``…_ky-so.pdf`` next to it, the same
    PAdES signature in the same signature field as an agency's report."""
    from ..fsutil import OutputError, atomic_write_bytes, describe_os_error, read_file_at_most

    try:
        raw = read_file_at_most(path, MAX_PDF)
    except OSError as exc:
        raise SigningError(describe_os_error(exc, path, reading=True)) from None
    if len(raw) > MAX_PDF or not raw.startswith(b"%PDF-"):
        raise SigningError(f"Tệp “{path.name}” không phải tệp PDF để ký.")
    when = dt.datetime.now(dt.UTC).astimezone(VIETNAM).replace(microsecond=0)
    signed = sign_pdf(raw, signer, at=when)
    target = path.with_name(f"{path.stem}{SIGNED_SUFFIX}.pdf")
    try:
        atomic_write_bytes(target, signed)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, target)) from exc
    return target, holder_of(signer.signing_cert), when


__all__ = [
    "SIGNED_SUFFIX",
    "SignedPackage",
    "read_package_file",
    "sign_bytes",
    "sign_file",
    "sign_package",
    "sign_pdf",
    "sign_pdf_file",
    "signable",
    "signed_names",
    "stamp_pdf",
    "vn_time",
]
