"""Canonical JSON, hashes and the names derived from them (stdlib only).

``canonical_json`` gives the same bytes for the same data (so ``data.json``'s SHA-256 is
reproducible); ``verification_code`` is the short, readable form of that hash printed on
every page of the report. ``package_name`` (the ASCII file name of a package) lives with the
other file names in :mod:`kdx_desktop.core.file_names` and is re-exported here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from ..core.file_names import ascii_name, package_name

__all__ = [
    "ascii_name",
    "canonical_json",
    "now_iso",
    "package_name",
    "sha256_hex",
    "verification_code",
]

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _normalise(obj: Any, where: str = "$") -> Any:
    if isinstance(obj, str):
        return unicodedata.normalize("NFC", obj)
    if isinstance(obj, bool) or obj is None or isinstance(obj, int):
        return obj
    if isinstance(obj, float):
        if not math.isfinite(obj):
            raise ValueError(f"số không hữu hạn tại {where}")
        return obj
    if isinstance(obj, Mapping):
        out: dict[str, Any] = {}
        for k, v in obj.items():
            if not isinstance(k, str):
                raise TypeError(f"khóa không phải chuỗi tại {where}: {k!r}")
            nk = unicodedata.normalize("NFC", k)
            if nk in out:
                raise ValueError(f"khóa trùng sau chuẩn hóa NFC tại {where}: {nk}")
            out[nk] = _normalise(v, f"{where}.{nk}")
        return out
    if isinstance(obj, list | tuple):
        return [_normalise(v, f"{where}[{i}]") for i, v in enumerate(obj)]
    raise TypeError(f"kiểu không ghi được vào JSON tại {where}: {type(obj).__name__}")


def canonical_json(obj: Any) -> bytes:
    """UTF-8 JSON with NFC strings, sorted keys, no insignificant whitespace, no NaN/Infinity.

    The same data always gives the same bytes, hence the same SHA-256."""
    return json.dumps(
        _normalise(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def sha256_hex(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def verification_code(data_sha256: str) -> str:
    """``XXXX-XXXX-XXXX``: the first 60 bits of the data hash in Crockford base32 (no I, L, O, U,
    so it reads aloud and types back without ambiguity)."""
    if not re.fullmatch(r"[0-9a-f]{64}", data_sha256):
        raise ValueError("data_sha256 phải là 64 chữ số hex thường")
    n = int(data_sha256[:15], 16)  # 15 hex digits = 60 bits = 12 base32 digits
    digits = "".join(_CROCKFORD[(n >> (5 * i)) & 31] for i in reversed(range(12)))
    return f"{digits[0:4]}-{digits[4:8]}-{digits[8:12]}"


def now_iso() -> str:
    """Local time with its offset, e.g. ``2026-11-20T09:15:00+07:00``."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
