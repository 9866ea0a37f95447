"""Strict JSON for received files: UTF-8 without BOM, no NaN/Infinity, no duplicate keys,
bounded depth, length and number size, no lone surrogates, and the canonical form KDX writes."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from .canonical import canonical_json
from .limits import DEFAULT_LIMITS, IntakeRejected, Limits, size_over

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


def _depth_ok(text: str, max_depth: int) -> bool:
    """Nesting depth of ``text`` (outside strings) never exceeds ``max_depth``.

    Checked before parsing so a deeply nested document cannot exhaust the parser's stack.
    (An unterminated string is left for the parser to refuse.)"""
    depth = 0
    for m in _BRACKETS.finditer(_STRING.sub("", text)):
        if m.group() in "[{":
            depth += 1
            if depth > max_depth:
                return False
        else:
            depth -= 1
    return True


def strict_json(raw: bytes, what: str, *, max_bytes: int, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Parse ``raw`` as a JSON object, refusing anything a careful writer would not produce."""

    def bad(code: str, why: str) -> IntakeRejected:
        return IntakeRejected(code, f"{what} {why}.", what)

    if len(raw) > max_bytes:
        raise bad("json.too_large", f"quá lớn ({size_over(len(raw), max_bytes)})")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise bad("json.bom", "có ký tự BOM ở đầu")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise bad("json.encoding", "không phải văn bản UTF-8 hợp lệ") from None
    if not _depth_ok(text, limits.max_json_depth):
        raise bad("json.depth", f"lồng nhau quá sâu (tối đa {limits.max_json_depth} cấp)")

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise bad("json.duplicate_key", f"có khóa trùng “{k[:40]}”")
            out[k] = v
        return out

    def constant(name: str) -> Any:
        raise bad("json.nan", f"có giá trị không hợp lệ “{name}” (NaN/Infinity)")

    def integer(s: str) -> int:
        if len(s.lstrip("-")) > limits.max_int_digits:
            raise bad("json.huge_number", f"có số nguyên quá lớn ({s[:24]}…)")
        return int(s)

    def real(s: str) -> float:
        if len(s) > 40:
            raise bad("json.huge_number", f"có số quá dài ({s[:24]}…)")
        f = float(s)
        if not math.isfinite(f):
            raise bad("json.huge_number", f"có số vượt giới hạn ({s[:24]})")
        return f

    try:
        obj = json.loads(
            text, object_pairs_hook=pairs, parse_constant=constant, parse_int=integer, parse_float=real
        )
    except IntakeRejected:
        raise
    except json.JSONDecodeError as exc:
        raise bad("json.syntax", f"không phải JSON hợp lệ (lỗi cú pháp ở ký tự thứ {exc.pos + 1})") from None
    except (RecursionError, ValueError):
        raise bad("json.syntax", "không phải JSON hợp lệ") from None
    if not isinstance(obj, dict):
        raise bad("json.not_object", "phải là một đối tượng JSON")
    _check_strings(obj, bad)
    try:
        canonical = canonical_json(obj)
    except (TypeError, ValueError) as exc:
        raise bad("json.value", f"có giá trị không hợp lệ ({exc})") from None
    if canonical != raw:
        raise bad("json.not_canonical", "không ở dạng chuẩn do KDX ghi (đã bị sửa tay?)")
    return obj


def _check_strings(obj: Any, bad: Callable[[str, str], IntakeRejected]) -> None:
    """Lone surrogates (``"\\ud800"``) parse but cannot be stored or printed: refuse them."""
    stack = [obj]
    while stack:
        cur = stack.pop()
        if isinstance(cur, str):
            try:
                cur.encode("utf-8")
            except UnicodeEncodeError:
                raise bad("json.surrogate", "có ký tự Unicode không hợp lệ") from None
        elif isinstance(cur, dict):
            stack.extend(cur.keys())
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)


# -- the archive --------------------------------------------------------------------------


__all__ = ["strict_json"]
