"""The names of the files KDX writes for people: Vietnamese words, the organisation's document
abbreviation of the report's year (``BQN``, what officers at both ends call it), the year and the
revision (``lan1``), never KDX's own codes (``BKT``, ``STTTT``, ``KDX_GOPY_``).

ASCII only (mail gateways and old Windows mangle other letters): ``Đ`` is written ``D``.

KDX reads files whatever their name (a package, a review file), so files written by an older KDX
under the older names (``KDX_BKT_2025_r1.zip``, ``KDX_GOPY_BKT_2025_r1.json``) still import; the
file dialogs offer both (``*_PATTERNS``).
"""

from __future__ import annotations

import re
import unicodedata


def ascii_name(abbreviation: str) -> str:
    """``SKHĐT`` → ``SKHDT``: an organisation's abbreviation as file names can carry it."""
    folded = unicodedata.normalize("NFKD", abbreviation.replace("Đ", "D").replace("đ", "d")).upper()
    ascii_org = re.sub(r"[^A-Z0-9-]", "", folded)
    if not ascii_org:
        raise ValueError(f"tên viết tắt không dùng được trong tên tệp: {abbreviation!r}")
    return ascii_org


def report_stem(abbreviation: str, year: int, revision: int) -> str:
    """``BaoCao_BQN_2025_lan1``: the package, PDF, workbook and mail draft of one export."""
    return f"BaoCao_{ascii_name(abbreviation)}_{int(year)}_lan{int(revision)}"


def package_name(abbreviation: str, year: int, revision: int) -> str:
    """``BaoCao_BQN_2025_lan1.zip`` (older KDX: ``KDX_<MÃ>_<NĂM>_r<LẦN>.zip``)."""
    return report_stem(abbreviation, year, revision) + ".zip"


def review_name(abbreviation: str, year: int, revision: int) -> str:
    """``GopY_BQN_2025_lan1.json``: the Sở's review of that agency's report, that revision
    (older KDX: ``KDX_GOPY_<MÃ>_<NĂM>_r<LẦN>.json``)."""
    return f"GopY_{ascii_name(abbreviation)}_{int(year)}_lan{int(revision)}.json"


def reminder_stem(abbreviation: str, year: int, *, correction: bool) -> str:
    """``DonDoc_BQN_2025`` (the report is owed) or ``SuaBaoCao_BQN_2025`` (a correction is owed),
    ``.eml`` and ``.pdf``; the abbreviation is the agency's, to which the letter goes."""
    kind = "SuaBaoCao" if correction else "DonDoc"
    return f"{kind}_{ascii_name(abbreviation)}_{int(year)}"


def consolidated_stem(abbreviation: str, year: int) -> str:
    """``BaoCaoTongHop_SVHTTDL_2025``: the Sở's consolidated report, ``.pdf`` and ``.xlsx``
    (older KDX: ``KDX_TONGHOP_<NĂM>``)."""
    return f"BaoCaoTongHop_{ascii_name(abbreviation)}_{int(year)}"


def board_stem(abbreviation: str, year: int) -> str:
    """``TinhHinhNhanBaoCao_SVHTTDL_2025``: the Sở's board of who has reported, to print or share."""
    return f"TinhHinhNhanBaoCao_{ascii_name(abbreviation)}_{int(year)}"


def catalogue_stem(abbreviation: str, edition: int) -> str:
    """``DanhMuc_SVHTTDL_lan2``: the catalogue the Sở issues (``.kdxdm``) or edits (``.xlsx``),
    named for the Sở and the edition (lần ban hành)."""
    return f"DanhMuc_{ascii_name(abbreviation)}_lan{int(edition)}"


def draft_stem(abbreviation: str, year: int, stamp: str) -> str:
    """``BaoCao_BQN_2025_BAN-NHAP_20261207-141503``: never the name of an issued report (no
    revision); ``stamp`` is the Vietnam time of the print."""
    return f"BaoCao_{ascii_name(abbreviation)}_{int(year)}_BAN-NHAP_{stamp}"


# The file dialogs' filters: today's names first, then an older KDX's, then any.
PACKAGE_PATTERNS = "BaoCao_*.zip KDX_*.zip"
REVIEW_PATTERNS = "GopY_*.json KDX_GOPY_*.json"

__all__ = [
    "PACKAGE_PATTERNS",
    "REVIEW_PATTERNS",
    "ascii_name",
    "board_stem",
    "catalogue_stem",
    "consolidated_stem",
    "draft_stem",
    "package_name",
    "reminder_stem",
    "report_stem",
    "review_name",
]
