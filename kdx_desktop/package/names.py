"""The one set of rules for an attachment's name in a package, shared by attaching (the agency),
export (the member path written) and import (the Sở's reader, ``safe_zip.name_problem``).

An attachment travels as ``attachments/<task>/<name>``. The Sở refuses a member name with a
control or invisible character (a zero-width space, a soft hyphen, an emoji joiner: Unicode
categories Cc, Cf, Cs, Co, Cn), longer than 200 characters, or equal to another when case is
ignored (Windows cannot hold ``Scan.pdf`` and ``scan.pdf`` side by side). So the same rules are
applied when a file is attached, with a message, and export can never build a package the Sở
refuses, nor crash on a name attached by an older KDX.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from .limits import DEFAULT_LIMITS

_HIDDEN = ("Cc", "Cf", "Cs", "Co", "Cn")
_PREFIX = "attachments/"
# attachments/<task code>/<n>-<name>: task codes are short (T5b), and a few characters are kept
# for the number that separates names equal but for case.
MAX_NAME = DEFAULT_LIMITS.max_name_length - len(_PREFIX) - 12 - 5


def name_refusal(file_name: str, taken: Collection[str] = ()) -> str | None:
    """Why ``file_name`` cannot be attached (Vietnamese), or None. ``taken``: the names already
    attached to the same task (compared ignoring case)."""
    hidden = next((c for c in file_name if unicodedata.category(c) in _HIDDEN), None)
    if hidden is not None:
        return (
            f"tên tệp có ký tự ẩn hoặc ký tự điều khiển (mã U+{ord(hidden):04X}); hãy đổi tên tệp "
            "(gõ lại tên) rồi đính kèm lại"
        )
    if len(file_name) > MAX_NAME:
        return f"tên tệp dài {len(file_name)} ký tự, tối đa {MAX_NAME}; hãy đặt tên ngắn hơn rồi đính kèm lại"
    name = unicodedata.normalize("NFC", file_name)
    if any(unicodedata.normalize("NFC", t) == name for t in taken):
        return "một tệp cùng tên đã được đính kèm cho nhiệm vụ này; nếu đây là tệp khác, hãy đổi tên rồi đính kèm lại"
    folded = name.casefold()
    if any(unicodedata.normalize("NFC", t).casefold() == folded for t in taken):
        return (
            "nhiệm vụ này đã có một tệp cùng tên (chỉ khác chữ hoa, chữ thường); hãy đổi tên một trong hai "
            "tệp rồi đính kèm lại"
        )
    return None


def member_path(task_code: str, file_name: str, used: set[str]) -> str:
    """The member path of an attachment, never refused by the Sở: hidden characters dropped,
    path separators replaced, the name shortened (extension kept), and made distinct from every
    path in ``used`` ignoring case (``used`` holds case-folded paths and is updated)."""
    name = unicodedata.normalize("NFC", file_name)
    name = "".join(c for c in name if unicodedata.category(c) not in _HIDDEN)
    name = re.sub(r"[\\/:]", "_", name).strip(". ") or "tep"
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        ext = f".{ext}" if dot and 0 < len(ext) <= 10 else ""
        name = (stem if ext else name)[: MAX_NAME - len(ext)].rstrip(". ") + ext
    path, n = f"{_PREFIX}{task_code}/{name}", 1
    while path.casefold() in used:
        n += 1
        path = f"{_PREFIX}{task_code}/{n}-{name}"
    used.add(path.casefold())
    return path


__all__ = ["MAX_NAME", "member_path", "name_refusal"]
