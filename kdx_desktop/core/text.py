"""Text normalisation shared by every input path (form, command line, import)."""

from __future__ import annotations

import re
import unicodedata

from ..errors import KdxError
from .legacy_text import from_tcvn3, looks_like_tcvn3

# Control characters break the workbook writer and have no meaning in a report; tab and
# newline are the only ones a multi-line text field legitimately carries. The classes below are
# exactly Unicode categories Cc (minus tab and newline) and Cs (surrogates), plus the 66
# non-characters (U+FDD0-U+FDEF and the last two code points of every plane): U+FFFE and U+FFFF
# are not XML, so a workbook holding them cannot be reopened (LibreOffice drops the rest of the
# sheet), and none of them is text. One regular-expression scan instead of a Python loop over
# every character, which was the costliest step of checking an imported package's values.
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17)
)
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
_FORBIDDEN_OR_NEWLINE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
# Marks that reorder or break a line when it is shown: behind U+202E "fdp.exe" reads "exe.pdf".
_REORDERING = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_DISGUISING = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}{_REORDERING}]")


class TextError(KdxError, ValueError):
    """A text value that cannot be stored; the message is Vietnamese and says why."""

    usage = True


class LegacyEncodingError(TextError):
    """Text pasted from a TCVN3 (``.VnTime``) document; ``converted`` is what it says in Unicode,
    None when that cannot be worked out (TCVN3 mixed with Unicode in one paragraph)."""

    def __init__(self, message: str, converted: str | None) -> None:
        super().__init__(message)
        self.converted = converted


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (composed) form: decomposed Vietnamese becomes composed."""
    return unicodedata.normalize("NFC", text)


def clean_text(text: str, *, max_length: int | None = None, multiline: bool = True) -> str:
    """Normalise user text: NFC, Windows line ends to ``\\n``, no control characters.

    Raises :class:`TextError` for control characters or a text longer than ``max_length``, and
    :class:`LegacyEncodingError` for text pasted from a TCVN3 document, which would be stored and
    printed as "Ph¸t triÓn" (every path checks text here: form, command line, import, validation).
    """
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    bad = (_FORBIDDEN if multiline else _FORBIDDEN_OR_NEWLINE).search(text)
    if bad is not None:
        if bad.group() == "\n":
            raise TextError("không được xuống dòng trong ô này")
        code = ord(bad.group())
        if code < 0xA0 or 0xD800 <= code <= 0xDFFF:
            raise TextError(f"chứa ký tự điều khiển không hợp lệ (mã U+{code:04X})")
        raise TextError(f"chứa ký tự không phải chữ, không dùng được trong văn bản (mã U+{code:04X})")
    if max_length is not None and len(text) > max_length:
        raise TextError(f"dài {len(text)} ký tự, vượt quá giới hạn {max_length} ký tự")
    if looks_like_tcvn3(text):
        meant = from_tcvn3(text)
        if meant is None:
            raise LegacyEncodingError(
                f"có đoạn được gõ bằng bảng mã TCVN3 (phông .VnTime) lẫn với chữ Unicode: “{_start(text)}”. "
                "Hãy chuyển đoạn đó sang Unicode (hoặc dán lại từ một bản Unicode) rồi nhập lại",
                None,
            )
        converted = nfc(meant)
        raise LegacyEncodingError(
            f"có vẻ được gõ bằng bảng mã TCVN3 (phông .VnTime), không phải Unicode: “{_start(text)}” "
            f"nghĩa là “{_start(converted)}”. Hãy chuyển văn bản sang Unicode rồi nhập lại",
            converted,
        )
    return text


def printable(text: str) -> str:
    """``text`` with every character :func:`clean_text` refuses replaced by U+FFFD: for names KDX
    only records and shows (a received file's name), never for data."""
    return _FORBIDDEN_OR_NEWLINE.sub("\ufffd", text)


def disguises(name: str) -> bool:
    """Whether a name someone else chose (a received file's original name) carries a character
    that hides what it is when shown: a control, a tab or line break, a non-character, or a mark
    that reorders the line."""
    return _DISGUISING.search(name) is not None


def _start(text: str, n: int = 40) -> str:
    first = " ".join(text.split())
    return first if len(first) <= n else first[: n - 1] + "…"
