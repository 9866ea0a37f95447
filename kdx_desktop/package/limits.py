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
    # Bytes produced per compressed byte, checked once past ratio_floor. Not 100: an ordinary
    # uncompressed scan (an A4 BMP of a typed page) deflates at about 280:1 and is no bomb. Only
    # near-uniform data (a run of zeros, a blank page) reaches deflate's ceiling of about 1030:1;
    # the sizes measured while decompressing (max_member_bytes, max_total_bytes) bound the rest.
    max_ratio: int = 1000
    ratio_floor: int = 256 * 1024
    max_manifest_bytes: int = 256 * 1024
    max_data_bytes: int = 4 * 1024 * 1024
    max_json_depth: int = 16
    max_int_digits: int = 18
    max_name_length: int = 200
    chunk: int = 64 * 1024


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
