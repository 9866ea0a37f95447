"""The report's font: Times New Roman from Windows when present, else the bundled serif; never
a font without Vietnamese letters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import reportlab

from kdx_desktop.documents import fonts as fonts_module
from kdx_desktop.documents.fonts import FontError, font_files, missing_glyphs, register_fonts

VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # a Latin-only font
WINDOWS_NAMES = ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf")


def test_bundled_serif_covers_vietnamese_and_ships_its_licence() -> None:
    source, files = font_files(Path("/nonexistent"))
    assert source == "bundled"
    for path in files.values():
        assert path.is_file()
        assert missing_glyphs(path) == ""
    licence = next(iter(files.values())).parent / "OFL.txt"
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence.read_text(encoding="utf-8")


def test_windows_times_new_roman_is_preferred(tmp_path: Path) -> None:
    bundled = font_files(Path("/nonexistent"))[1]
    for name, src in zip(WINDOWS_NAMES, bundled.values(), strict=True):
        shutil.copy(src, tmp_path / name)
    source, files = font_files(tmp_path)
    assert source == "windows"
    assert files["bold"] == tmp_path / "timesbd.ttf"
    (tmp_path / "timesbi.ttf").unlink()  # an incomplete set is not used
    assert font_files(tmp_path)[0] == "bundled"


def test_a_font_without_vietnamese_letters_is_refused(tmp_path: Path) -> None:
    latin_only = {style: VERA for style in ("regular", "bold", "italic", "bold_italic")}
    assert "ư" in missing_glyphs(VERA)
    with pytest.raises(FontError, match="thiếu chữ tiếng Việt"):
        fonts_module._register("bundled", latin_only)


@pytest.mark.parametrize("damage", ["latin-only", "truncated", "garbage"])
def test_an_unusable_times_new_roman_falls_back_to_the_bundled_font(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    bundled = font_files(Path("/nonexistent"))[1]
    for name, src in zip(WINDOWS_NAMES, bundled.values(), strict=True):
        shutil.copy(src, tmp_path / name)
    broken = tmp_path / "timesbd.ttf"
    if damage == "latin-only":
        shutil.copy(VERA, broken)
    elif damage == "truncated":
        broken.write_bytes(broken.read_bytes()[:3000])
    else:
        broken.write_bytes(b"\x00\x01\x00\x00" + bytes(range(256)) * 40)
    fonts = register_fonts(tmp_path)
    assert fonts.source == "bundled"
    assert "Times New Roman unusable" in caplog.text
    assert register_fonts(tmp_path) == fonts  # the unusable set is not parsed again
