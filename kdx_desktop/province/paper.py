"""The paper check at the Sở: does the signed, stamped paper carry the code of the report received?

Every page of the printed report carries the verification code (``R618-W8YZ-Z8PX``) and the last
page a QR code with ``KDX;<organisation>;<year>;r<revision>;<code>;<SHA-256 of data.json>``. The
officer types the code, or scans the QR code with a scanner that types what it reads; this module
reads either and says which received revision, if any, the paper is. Typing is forgiven the way
Crockford's base 32 intends (lower case, spaces, O for 0, I or L for 1); a QR code must agree with
itself (its code is the one its hash gives) and with the organisation and year being checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from ..core.text import nfc
from ..errors import KdxError
from .ledger import Received

_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})  # what people type for 0 and 1
_CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{12}")  # Crockford's base 32: no I, L, O, U
_SEPARATORS = re.compile(r"[\s\-‐‑–—.]")  # spaces and the dashes a word processor may put in


class PaperMismatch(KdxError, ValueError):
    """What was read off the paper is not the report received; the message says why (Vietnamese)."""


class PaperReading(NamedTuple):
    """What the paper says: always the code; the rest only when it came from the QR code."""

    code: str  # XXXX-XXXX-XXXX
    org_code: str | None = None
    year: int | None = None
    revision: int | None = None
    data_sha256: str | None = None


def _shown(raw: str) -> str:
    """What the officer typed, as the message quotes it: a scanner can send thousands of characters."""
    return raw if len(raw) <= 40 else raw[:39] + "…"


def read_paper(text: str) -> PaperReading:
    """The code typed or scanned off the paper, or :class:`PaperMismatch` saying what is wrong."""
    raw = nfc(text).strip()
    if not raw:
        raise PaperMismatch("Chưa nhập mã xác thực in trên bản giấy.")
    if not _SEPARATORS.sub("", raw).isascii():
        # The code and the QR code are plain ASCII: letters with marks (Ư for W, Á for "AS"…) are
        # what a Vietnamese input method in Telex or VNI mode makes of them, scanner input included.
        raise PaperMismatch(
            f"“{_shown(raw)}” có chữ có dấu, nên có lẽ bộ gõ tiếng Việt (Unikey…) đang bật: hãy chuyển bộ gõ "
            "sang chế độ gõ tiếng Anh (E) rồi gõ hoặc quét lại mã."
        )
    if raw.upper().startswith("KDX;"):
        return _read_qr(raw)
    compact = _SEPARATORS.sub("", raw).upper().translate(_TYPED)
    if not _CODE.fullmatch(compact):
        raise PaperMismatch(
            f"“{_shown(raw)}” không phải mã xác thực của KDX (12 chữ và số, dạng XXXX-XXXX-XXXX, in ở cuối mỗi trang)."
        )
    return PaperReading(f"{compact[:4]}-{compact[4:8]}-{compact[8:]}")


def _read_qr(raw: str) -> PaperReading:
    from ..package.canonical import verification_code  # hashlib: only when a QR code is read

    parts = raw.split(";")
    bad = PaperMismatch(
        "Nội dung mã QR không đúng dạng của KDX; hãy quét lại hoặc nhập mã xác thực bằng tay."
    )
    if len(parts) != 6:
        raise bad
    _kdx, org, year, revision, code, sha = parts
    sha = sha.strip().lower()
    # Bounded digits: int() of a 5000-digit "year" raises ValueError (Python's int-string limit).
    if not (
        re.fullmatch(r"\d{4}", year.strip())
        and re.fullmatch(r"[rR]\d{1,4}", revision.strip())
        and re.fullmatch(r"[0-9a-f]{64}", sha)
    ):
        raise bad
    if verification_code(sha) != code.strip().upper():
        raise PaperMismatch(
            "Mã QR không nhất quán (mã xác thực không khớp với dấu vân tay đi kèm): bản giấy có thể đã bị sửa."
        )
    return PaperReading(verification_code(sha), org.strip(), int(year), int(revision.strip()[1:]), sha)


def match_paper(
    reading: PaperReading,
    org_code: str,
    year: int,
    received: Sequence[Received],
    *,
    name: str = "",
    name_of: Callable[[str, int], str] | None = None,
) -> Received:
    """The current revision of ``received`` (every revision of ``org_code``/``year``) when the paper
    is that revision; otherwise :class:`PaperMismatch` saying what the paper is. ``name`` is the
    organisation as the messages call it (its code by default); ``name_of`` names the organisation
    a QR code is about (by its code and year) the same way."""
    who = name or org_code
    if reading.org_code is not None and (reading.org_code.upper(), reading.year) != (org_code.upper(), year):
        other = reading.org_code.upper()
        other = name_of(other, reading.year or year) if name_of is not None else f"đơn vị mã {other}"
        raise PaperMismatch(
            f"Mã QR này thuộc báo cáo của {other} năm {reading.year}, không phải của {who} năm {year}."
        )
    current = next((r for r in received if r.current), None)
    if current is None:
        raise PaperMismatch(f"Sở chưa nhận gói báo cáo của {who} năm {year} để đối chiếu.")

    def same(r: Received) -> bool:
        if reading.data_sha256 is not None:
            return r.data_sha256 == reading.data_sha256
        return r.verification_code == reading.code

    if same(current):
        return current
    voided = next((r for r in received if r.voided and same(r)), None)
    if voided is not None:
        raise PaperMismatch(
            f"Bản giấy là bản in của lần gửi {voided.revision} (mã {voided.verification_code}) mà Sở đã hủy "
            f"(lý do: {voided.void_reason}). Sở đang dùng lần gửi {current.revision} "
            f"(mã {current.verification_code})."
        )
    older = next((r for r in reversed(received) if not r.current and not r.voided and same(r)), None)
    if older is not None:
        raise PaperMismatch(
            f"Bản giấy là bản in của lần gửi {older.revision} (mã {older.verification_code}), nhưng Sở đã "
            f"nhận lần gửi {current.revision} (mã {current.verification_code}) thay thế nó. Đề nghị đơn vị "
            f"gửi bản giấy của lần gửi {current.revision}."
        )
    raise PaperMismatch(
        f"Mã trên bản giấy ({reading.code}) không khớp với báo cáo đã nhận của {who} năm {year} "
        f"(lần gửi {current.revision}, mã {current.verification_code}). Bản giấy không phải bản in của "
        "báo cáo đã gửi qua thư điện tử: đề nghị đơn vị kiểm tra lại."
    )


__all__ = ["PaperMismatch", "PaperReading", "match_paper", "read_paper"]
