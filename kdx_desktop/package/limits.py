"""What a refusal at the Sở looks like, and the caps every received package must stay under."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.numbers import format_size
from ..errors import KdxError


class IntakeRejected(KdxError, ValueError):
    """A package refused at the Sở. ``code`` is stable (tests, JSON); ``message`` is Vietnamese."""

    def __init__(self, code: str, message: str, member: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.member = member


@dataclass(frozen=True)
class Limits:
    """Caps for one package: generous for a yearly report with scanned evidence, far below harm."""

    max_package_bytes: int = 64 * 1024 * 1024
    max_members: int = 200
    max_member_bytes: int = 40 * 1024 * 1024
    max_total_bytes: int = 120 * 1024 * 1024
    # The largest evidence file an agency may attach (services/attachments.py): a scanned decision
    # is a few MB, and 20 MB keeps a package mailable (most mail servers stop at 25 MB).
    max_attachment_bytes: int = 20 * 1024 * 1024
    # Bytes produced per compressed byte, checked only once a member has produced more than any
    # file an agency may attach (ratio_floor). A blank page scanned as BMP is near-uniform data and
    # deflates at deflate's ceiling, about 1030:1, like a run of zeros: no ratio tells it from a
    # bomb, so up to that size none is applied, and the sizes measured while decompressing
    # (max_member_bytes per member, max_total_bytes for all) bound what a package can make.
    max_ratio: int = 1000
    max_manifest_bytes: int = 256 * 1024
    max_data_bytes: int = 4 * 1024 * 1024
    max_json_depth: int = 16
    max_int_digits: int = 18
    max_name_length: int = 200
    chunk: int = 64 * 1024

    @property
    def ratio_floor(self) -> int:
        """Up to this many bytes a member may deflate at any ratio (see ``max_ratio``)."""
        return self.max_attachment_bytes


DEFAULT_LIMITS = Limits()


def size_over(size: int, limit: int) -> str:
    """``size`` against ``limit`` as an officer reads them: ``65,3 MB, tối đa 64,0 MB``; or
    ``hơn 64,0 MB`` when both would print the same (a few bytes over)."""
    shown, cap = format_size(size), format_size(limit)
    return f"hơn {cap}" if shown == cap else f"{shown}, tối đa {cap}"


def package_too_large(size: int, limits: Limits = DEFAULT_LIMITS) -> IntakeRejected:
    """The refusal of a file of ``size`` bytes, more than ``limits.max_package_bytes``: one
    wording whether it was measured on disk before reading or in memory."""
    return IntakeRejected(
        "zip.too_large",
        f"Tệp quá lớn để là gói báo cáo KDX ({size_over(size, limits.max_package_bytes)}).",
    )


__all__ = ["DEFAULT_LIMITS", "IntakeRejected", "Limits", "package_too_large", "size_over"]
