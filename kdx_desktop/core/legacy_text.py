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

# Evidence: the TCVN3 characters that never occur in Unicode Vietnamese words (all but the Latin-1
# letters Vietnamese shares, à á â ã è é ê ì í ò ó ô õ ù ú ý and their capitals). Each counts when it
# sits in a word the way TCVN3 puts it, so that signs used for themselves do not: ® (đ) and § (Đ)
# begin a syllable, so a letter must follow (not "Zalo®,"); « (ô) and µ (à) end or sit inside one
# after a letter (not «Radio» or 5 µm); » (ằ) and © (â) sit between letters. The soft hyphen (ư)
# is not evidence: word processors put it inside words of any language.
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_EVIDENCE = "".join(c for c in _TCVN3 if c not in _VIETNAMESE_LATIN1 and c != "\u00ad")
_L = r"[^\W\d_]"  # a letter (any script)
_ANYWHERE = re.escape("".join(c for c in _EVIDENCE if c not in "®§«µ»©"))
_HIT = re.compile(
    rf"[®§](?={_L})|(?<={_L})[«µ]|(?<={_L})[»©](?={_L})|(?<={_L})[{_ANYWHERE}]|[{_ANYWHERE}](?={_L})"
)
_WORD = re.compile(rf"(?:{_L}|[{re.escape(_EVIDENCE)}\u00ad])+")
# Every stored text is checked at each recomputation: most hold no evidence character at all, and
# this plain character class says so ~30 times faster than _HIT's look-arounds.
_ANY_EVIDENCE = re.compile(f"[{re.escape(_EVIDENCE)}]")


def _is_vietnamese_unicode(word: str) -> bool:
    return any(ord(c) > 0xFF and c.isalpha() for c in word)


def looks_like_tcvn3(text: str) -> bool:
    """True when ``text`` holds TCVN3 pasted as Latin-1, alone or after text typed in Unicode.

    Strict, because such text is refused: at least two evidence characters in TCVN3's places, of
    two different kinds when the text also has Unicode Vietnamese (which may contain, say, "µg")."""
    if _ANY_EVIDENCE.search(text) is None:
        return False
    hits = _HIT.findall(text)
    if len(hits) < 2:
        return False
    if any(_is_vietnamese_unicode(w) for w in _WORD.findall(text)):
        return len(set(hits)) >= 2
    return True


def from_tcvn3(text: str) -> str | None:
    """``text`` read as TCVN3 and written in Unicode, paragraph by paragraph: a paragraph with
    Unicode Vietnamese in it (a word with a letter beyond Latin-1, like "Kết quả") is kept as it
    is. None when such a paragraph also holds TCVN3 (typed text and a paste on one line): "câu"
    and "c©u" cannot be told apart word by word, so that is left to the officer."""
    out = []
    for para in text.split("\n"):
        if any(_is_vietnamese_unicode(w) for w in _WORD.findall(para)):
            if len(_HIT.findall(para)) >= 2:
                return None
            out.append(para)
        else:
            out.append(para.translate(_TABLE))
    return "\n".join(out)


__all__ = ["from_tcvn3", "looks_like_tcvn3"]
