"""How a signature verdict reads in Vietnamese (board, ``status``, consolidated report); no
cryptography here, so the board and the window load nothing heavy to show it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

STATE_LABELS = {
    "trusted": "đã ký số (tin cậy)",
    "untrusted": "đã ký số (chưa tin cậy)",
    "invalid": "chữ ký số không hợp lệ",
    "none": "chưa ký số",
}


AWAITING = "Sở yêu cầu ký số: chưa tính là đã nộp"


def signature_phrase(sig: Mapping[str, Any], policy: str = "accepted") -> str:
    """``đã ký số (tin cậy) bởi Nguyễn Văn An, 07/12/2026 20:49`` from the status JSON shape;
    with ``policy`` "required" and no trusted signature, it says the report does not count yet."""
    state = str(sig.get("state"))
    if policy == "required" and state != "trusted":
        head = "CHƯA KÝ SỐ" if state == "none" else STATE_LABELS.get(state, state)
        return f"{head} ({AWAITING})"
    out = STATE_LABELS.get(state, state)
    if sig.get("signer"):
        out += f" bởi {sig['signer']}"
    when = str(sig.get("signed_at") or "")
    if len(when) >= 16:
        out += f", {when[8:10]}/{when[5:7]}/{when[:4]} {when[11:16]}"
    if sig.get("state") not in (None, "none") and sig.get("revocation") != "checked":
        out += " (chưa kiểm tra thu hồi)"
    return out


SHORT_LABELS = {
    "trusted": "Tin cậy",
    "untrusted": "Chưa tin cậy",
    "invalid": "Không hợp lệ",
    "none": "Chưa ký",
}


def signature_cell(sig: Mapping[str, Any], policy: str = "accepted") -> str:
    """The board's short cell (the whole phrase goes in its tooltip): ``Tin cậy: Nguyễn Văn An``."""
    state = str(sig.get("state"))
    if policy == "required" and state != "trusted":
        return (
            "CHƯA KÝ SỐ (chưa tính)" if state == "none" else f"{SHORT_LABELS.get(state, state)} (chưa tính)"
        )
    if state == "none":
        return SHORT_LABELS["none"]
    who = f": {sig['signer']}" if sig.get("signer") else ""
    return f"{SHORT_LABELS.get(state, state)}{who}"


__all__ = ["AWAITING", "SHORT_LABELS", "STATE_LABELS", "signature_cell", "signature_phrase"]
