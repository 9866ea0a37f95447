"""Checks on the files an export writes, with the standard library only.

The frozen Windows build has no poppler tools, so the self-test reads the PDF itself: it finds the
fonts (every one must be embedded) and extracts the text through each font's ``/ToUnicode`` map —
enough to prove a Vietnamese phrase really is in the PDF as text. ``pdftotext``/``pdffonts`` are used
as a second opinion where they are installed (Linux CI).
"""

from __future__ import annotations

import base64
import re
import shutil
import struct
import subprocess
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path


class CheckFailed(Exception):
    """A check on an exported file failed; the message is Vietnamese."""


# -- PDF -------------------------------------------------------------------------------------

_OBJ = re.compile(rb"(\d+)\s+0\s+obj\b(.*?)\bendobj", re.S)
_STREAM = re.compile(rb"^(.*?)stream\r?\n(.*)\r?\n?endstream\s*$", re.S)
_FONT_DICT = re.compile(rb"<<((?:(?!<<|>>).)*?/Type\s*/Font\b(?:(?!<<|>>).)*)>>", re.S)
_REF = re.compile(rb"/(\w+)\s+(\d+)\s+0\s+R")
# Content stream tokens: a font change, a literal string, a hex string, an array start/end, or an operator.
_TOKENS = re.compile(
    rb"/([^\s/\[\]()<>]+)\s+[\d.]+\s+Tf|\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|\[|\]|\b(?:Tj|TJ|'|\"|ET)\b",
    re.S,
)


@dataclass
class PdfFacts:
    pages: int
    fonts: list[str]
    unembedded: list[str]
    text: str
    objects: dict[int, bytes] = field(default_factory=dict, repr=False)


def _stream_data(body: bytes) -> bytes | None:
    """The decoded data of a stream object, or ``None`` when the object is not a stream."""
    m = _STREAM.match(body)
    if not m:
        return None
    head, data = m.group(1), m.group(2)
    filters = re.findall(rb"/(ASCII85Decode|FlateDecode|A85|Fl)\b", head)
    for f in filters:
        if f in (b"ASCII85Decode", b"A85"):
            cleaned = re.sub(rb"\s", b"", data)
            cleaned = cleaned.removeprefix(b"<~").removesuffix(b"~>")
            data = base64.a85decode(cleaned)
        else:
            data = zlib.decompress(data)
    return data


def _unescape(lit: bytes) -> bytes:
    """Bytes of a PDF literal string ``(…)`` with its escapes resolved."""
    out = bytearray()
    i, n = 1, len(lit) - 1
    while i < n:
        c = lit[i]
        if c != 0x5C:  # backslash
            out.append(c)
            i += 1
            continue
        i += 1
        e = lit[i : i + 1]
        table = {b"n": 10, b"r": 13, b"t": 9, b"b": 8, b"f": 12}
        if e in table:
            out.append(table[e])
            i += 1
        elif e.isdigit():
            digits = re.match(rb"[0-7]{1,3}", lit[i : i + 3])
            assert digits is not None
            out.append(int(digits.group(0), 8) & 0xFF)
            i += len(digits.group(0))
        elif e in (b"\r", b"\n"):
            i += 1
        else:
            out.append(lit[i])
            i += 1
    return bytes(out)


def _cmap(data: bytes) -> dict[int, str]:
    """Code → text of a ``/ToUnicode`` CMap (``bfchar`` and ``bfrange`` sections)."""
    table: dict[int, str] = {}

    def text(hexstr: bytes) -> str:
        return bytes.fromhex(hexstr.decode()).decode("utf-16-be", errors="replace")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(src, 16)] = text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[code] = chr(start + k)
    return table


def read_pdf(raw: bytes) -> PdfFacts:
    """Pages, fonts (and which are not embedded) and the text of a PDF such as reportlab writes
    (no object streams). Raises :class:`CheckFailed` when the file is not such a PDF."""
    if not raw.startswith(b"%PDF-") or b"%%EOF" not in raw[-1024:]:
        raise CheckFailed("tệp PDF không hoàn chỉnh (thiếu phần đầu %PDF hoặc phần cuối %%EOF)")
    objects = {int(num): body for num, body in _OBJ.findall(raw)}
    pages = sum(1 for body in objects.values() if re.search(rb"/Type\s*/Page\b(?!s)", body))
    fonts: list[str] = []
    unembedded: list[str] = []
    resources: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for fdict in _FONT_DICT.findall(body):
            base = re.search(rb"/BaseFont\s*/([^\s/<>\[\]]+)", fdict)
            name = base.group(1).decode("latin-1") if base else "?"
            fonts.append(name)
            refs = {k: int(v) for k, v in _REF.findall(fdict)}
            desc = objects.get(refs.get(b"FontDescriptor", -1), b"")
            if not re.search(rb"/FontFile[23]?\b", desc):
                unembedded.append(name)
            alias = re.search(rb"/Name\s*/([^\s/<>\[\]]+)", fdict)
            to_unicode = objects.get(refs.get(b"ToUnicode", -1))
            if alias and to_unicode is not None:
                data = _stream_data(to_unicode)
                if data is not None:
                    resources[alias.group(1)] = _cmap(data)
    pieces: list[str] = []
    for body in objects.values():
        head = body.split(b"stream", 1)[0]
        if b"/Length1" in head or b"/Subtype /Image" in head:
            continue  # an embedded font file or a picture, not page content
        try:
            data = _stream_data(body)
        except (ValueError, zlib.error):
            continue
        if data is None or b"BT" not in data:
            continue
        pieces.append(_content_text(data, resources))
    return PdfFacts(pages, fonts, unembedded, "\n".join(pieces), objects)


def _content_text(data: bytes, fonts: dict[bytes, dict[int, str]]) -> str:
    out: list[str] = []
    cmap: dict[int, str] = {}
    for m in _TOKENS.finditer(data):
        tok = m.group(0)
        if m.group(1) is not None:
            cmap = fonts.get(m.group(1), {})
        elif tok.startswith(b"("):
            out.append("".join(cmap.get(b, chr(b)) for b in _unescape(tok)))
        elif tok.startswith(b"<"):
            hexstr = re.sub(rb"\s", b"", tok[1:-1])
            out.append("".join(cmap.get(b, chr(b)) for b in bytes.fromhex(hexstr.decode())))
        elif tok == b"ET":
            out.append("\n")
    return "".join(out)


def squash(text: str) -> str:
    """NFC text without any white space: a phrase is found even when the PDF splits it into words."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def pdftotext(path: Path) -> str | None:
    """The text by poppler's ``pdftotext`` when it is installed, else ``None``."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    done = subprocess.run(
        [exe, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60, check=False
    )
    if done.returncode != 0:
        raise CheckFailed(f"pdftotext không đọc được tệp PDF: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout.decode("utf-8", errors="replace")


def pdffonts_unembedded(path: Path) -> list[str] | None:
    """Fonts that poppler's ``pdffonts`` reports as not embedded, or ``None`` without poppler."""
    exe = shutil.which("pdffonts")
    if exe is None:
        return None
    done = subprocess.run([exe, str(path)], capture_output=True, timeout=60, check=False)
    if done.returncode != 0:
        raise CheckFailed("pdffonts không đọc được tệp PDF")
    lines = done.stdout.decode("utf-8", errors="replace").splitlines()[2:]
    # Columns: name type encoding emb sub uni object ID; "emb" is the 4th from the right.
    return [ln.split()[0] for ln in lines if ln.split() and ln.split()[-5] != "yes"]


# -- PNG -------------------------------------------------------------------------------------


def png_size(raw: bytes) -> tuple[int, int]:
    """(width, height) of a PNG image; :class:`CheckFailed` if the bytes are not one."""
    if len(raw) < 24 or raw[:8] != b"\x89PNG\r\n\x1a\n" or raw[12:16] != b"IHDR":
        raise CheckFailed("tệp ảnh không phải PNG hợp lệ")
    width, height = struct.unpack(">II", raw[16:24])
    return int(width), int(height)
