"""Text normalisation shared by every input path (form, command line, import)."""

from __future__ import annotations

import unicodedata

# Control characters break the workbook writer and have no meaning in a report; tab and
# newline are the only ones a multi-line text field legitimately carries.
_ALLOWED_CONTROLS = {"\n", "\t"}


class TextError(ValueError):
    """A text value that cannot be stored; the message is Vietnamese and says why."""


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (composed) form: decomposed Vietnamese becomes composed."""
    return unicodedata.normalize("NFC", text)


def clean_text(text: str, *, max_length: int | None = None, multiline: bool = True) -> str:
    """Normalise user text: NFC, Windows line ends to ``\\n``, no control characters.

    Raises :class:`TextError` for control characters or a text longer than ``max_length``.
    """
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    for ch in text:
        if ch in _ALLOWED_CONTROLS:
            if ch == "\n" and not multiline:
                raise TextError("không được xuống dòng trong ô này")
            continue
        cat = unicodedata.category(ch)
        if cat == "Cc" or cat == "Cs":
            raise TextError(f"chứa ký tự điều khiển không hợp lệ (mã U+{ord(ch):04X})")
    if max_length is not None and len(text) > max_length:
        raise TextError(f"dài {len(text)} ký tự, vượt quá giới hạn {max_length} ký tự")
    return text
