"""The printed report's font: Times New Roman when Windows has it, else bundled Liberation Serif.

Decree 30 asks for Times New Roman. On Windows the installed ``times*.ttf`` are used; anywhere
else (and on a Windows without them) the bundled Liberation Serif, metric-compatible with
Times New Roman and SIL OFL licensed (``resources/fonts/OFL.txt``). A font that lacks a
Vietnamese letter is refused with :class:`FontError`: a report with missing tone marks must
never be printed. The family is registered with reportlab once per process as ``KDXSerif``.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import KdxError
from ..paths import resource_path

log = logging.getLogger(__name__)

FAMILY = "KDXSerif"
STYLES = ("regular", "bold", "italic", "bold_italic")
_WINDOWS_FILES = {
    "regular": "times.ttf",
    "bold": "timesbd.ttf",
    "italic": "timesi.ttf",
    "bold_italic": "timesbi.ttf",
}
_BUNDLED_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold_italic": "LiberationSerif-BoldItalic.ttf",
}
# Every letter Vietnamese needs beyond ASCII, both cases, plus the typographic marks KDX prints.
VIETNAMESE = (
    "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
    "ĂÂĐÊÔƠƯÀẢÃÁẠẰẲẴẮẶẦẨẪẤẬÈẺẼÉẸỀỂỄẾỆÌỈĨÍỊÒỎÕÓỌỒỔỖỐỘỜỞỠỚỢÙỦŨÚỤỪỬỮỨỰỲỶỸÝỴ"
    "“”‘’–—…№"
)


class FontError(KdxError, RuntimeError):
    """No usable font; the message is Vietnamese and says which file and which letters."""


@dataclass(frozen=True)
class FontSet:
    """reportlab names of the registered family's four faces and where they came from."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    source: str  # "windows" or "bundled"
    files: tuple[Path, ...]


_lock = threading.Lock()
_registered: dict[tuple[Path, ...], FontSet] = {}
_unusable: dict[tuple[Path, ...], str] = {}  # a set that failed once is not parsed again


def windows_fonts_dir() -> Path | None:
    root = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    return Path(root) / "Fonts" if root else None


def font_files(
    windows_dir: Path | None = None, *, prefer_windows: bool = True
) -> tuple[str, dict[str, Path]]:
    """(source, {style: path}): the Windows Times New Roman set when complete, else the bundle."""
    win = windows_dir if windows_dir is not None else windows_fonts_dir()
    if prefer_windows and win is not None:
        found = {s: win / f for s, f in _WINDOWS_FILES.items()}
        if all(p.is_file() for p in found.values()):
            return "windows", found
    return "bundled", {s: resource_path("fonts", f) for s, f in _BUNDLED_FILES.items()}


def missing_glyphs(path: Path) -> str:
    """The Vietnamese letters ``path`` cannot draw (empty when it covers them all)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    face = TTFontFile(str(path))
    return "".join(ch for ch in VIETNAMESE if ord(ch) not in face.charToGlyph)


def register_fonts(windows_dir: Path | None = None) -> FontSet:
    """Register the family with reportlab (once per process and set of files) and return its
    face names. A Windows Times New Roman set that cannot be used (a damaged or truncated file,
    a face without Vietnamese letters) is passed over for the bundled font, with a line in the
    log; :class:`FontError` comes only when the bundled font itself is unusable."""
    source, files = font_files(windows_dir)
    if source == "windows":
        try:
            return _register(source, files)
        except FontError as exc:
            log.warning("Times New Roman unusable, the bundled font is used: %s", exc)
        source, files = font_files(windows_dir, prefer_windows=False)
    return _register(source, files)


def _register(source: str, files: dict[str, Path]) -> FontSet:
    key = tuple(files.values())
    with _lock:
        if key in _registered:
            return _registered[key]
        if key in _unusable:
            raise FontError(_unusable[key])
        try:
            return _register_new(source, files, key)
        except FontError as exc:
            _unusable[key] = str(exc)
            raise


def _register_new(source: str, files: dict[str, Path], key: tuple[Path, ...]) -> FontSet:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    family = FAMILY if not _registered else f"{FAMILY}{len(_registered) + 1}"
    names = {s: f"{family}-{s}" for s in STYLES}
    fonts = {}
    for style, path in files.items():
        if not path.is_file():
            raise FontError(f"Không tìm thấy tệp phông chữ “{path.name}” (kiểu {style}); hãy cài lại KDX.")
        try:
            lacking = missing_glyphs(path)
            fonts[style] = TTFont(names[style], str(path))
        except Exception as exc:  # a damaged file can fail anywhere in reportlab's parser
            raise FontError(f"Không đọc được phông chữ “{path.name}”: {exc!r}.") from None
        if lacking:
            raise FontError(
                f"Phông chữ “{path.name}” thiếu chữ tiếng Việt ({lacking[:12]}…): không thể in báo cáo bằng phông này."
            )
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    addMapping(family, 0, 0, names["regular"])
    addMapping(family, 1, 0, names["bold"])
    addMapping(family, 0, 1, names["italic"])
    addMapping(family, 1, 1, names["bold_italic"])
    fs = FontSet(names["regular"], names["bold"], names["italic"], names["bold_italic"], source, key)
    _registered[key] = fs
    return fs
