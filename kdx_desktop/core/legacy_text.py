"""Vietnamese text pasted from a document typed in the legacy TCVN3 (ABC) encoding.

Many administrative documents are still typed with the ``.VnTime`` fonts, which show TCVN3 bytes
as Vietnamese letters. Copied out of such a document, the text arrives as the Latin-1 characters
those bytes stand for: "Ph¸t triÓn b¸o chÝ" for "Phát triển báo chí". Stored like that it would be
printed like that. :func:`looks_like_tcvn3` recognises such text and :func:`from_tcvn3` turns it
back into Unicode (the table is TCVN 5712:1993 VN3, the ``.VnTime`` lower-case set with the seven
upper-case base letters Ă Â Đ Ê Ô Ơ Ư; ``.VnTimeH`` capitals come back in lower case, since the
bytes are the same).
"""

from __future__ import annotations

import re

# TCVN3 character (as pasted) -> Unicode letter.
_TCVN3 = {
    "µ": "à", "¸": "á", "¶": "ả", "·": "ã", "¹": "ạ",
    "¨": "ă", "»": "ằ", "¾": "ắ", "¼": "ẳ", "½": "ẵ", "Æ": "ặ",
    "©": "â", "Ç": "ầ", "Ê": "ấ", "È": "ẩ", "É": "ẫ", "Ë": "ậ",
    "®": "đ",
    "Ì": "è", "Ð": "é", "Î": "ẻ", "Ï": "ẽ", "Ñ": "ẹ",
    "ª": "ê", "Ò": "ề", "Õ": "ế", "Ó": "ể", "Ô": "ễ", "Ö": "ệ",
    "×": "ì", "Ý": "í", "Ø": "ỉ", "Ü": "ĩ", "Þ": "ị",
    "ß": "ò", "ã": "ó", "á": "ỏ", "â": "õ", "ä": "ọ",
    "«": "ô", "å": "ồ", "è": "ố", "æ": "ổ", "ç": "ỗ", "é": "ộ",
    "¬": "ơ", "ê": "ờ", "í": "ớ", "ë": "ở", "ì": "ỡ", "î": "ợ",
    "ï": "ù", "ó": "ú", "ñ": "ủ", "ò": "ũ", "ô": "ụ",
    "\u00ad": "ư", "õ": "ừ", "ø": "ứ", "ö": "ử", "÷": "ữ", "ù": "ự",
    "ú": "ỳ", "ý": "ý", "û": "ỷ", "ü": "ỹ", "þ": "ỵ",
    "¡": "Ă", "¢": "Â", "§": "Đ", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư",
}  # fmt: skip
_TABLE = str.maketrans(_TCVN3)

# The TCVN3 characters that are not Vietnamese letters in Unicode (Ó is a letter, ¸ is not):
# Unicode Vietnamese text has none of them inside a word. The soft hyphen (TCVN3's ư) is left out
# of the evidence: word processors put it inside words of any language.
_SIGNS = "".join(c for c in _TCVN3 if not c.isalpha() and c != "\u00ad")
_IN_WORD = re.compile(f"[A-Za-z][{re.escape(_SIGNS)}]|[{re.escape(_SIGNS)}][A-Za-z]")


def looks_like_tcvn3(text: str) -> bool:
    """True for TCVN3 text pasted as Latin-1. Strict, because such text is refused: none of the
    Vietnamese letters beyond Latin-1 (ă, đ, ơ, ư, ạ, ế…) that any Unicode Vietnamese sentence has;
    at least two of TCVN3's sign characters inside words; and read as TCVN3 it gives at least three
    such letters (so «Báo chí», Microsoft® Word© or a soft-hyphenated English word are text)."""
    if any(ord(c) > 0xFF and c.isalpha() for c in text):
        return False
    if len(_IN_WORD.findall(text)) < 2:
        return False
    meant = from_tcvn3(text.replace("\u00ad", ""))
    return sum(1 for c in meant if ord(c) > 0xFF) >= 3


def from_tcvn3(text: str) -> str:
    """``text`` read as TCVN3 and written in Unicode (NFC)."""
    return text.translate(_TABLE)


__all__ = ["from_tcvn3", "looks_like_tcvn3"]
