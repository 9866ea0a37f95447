"""The self-test's own PDF reader (used where poppler is absent, as in the Windows build): it must find
Vietnamese text through the fonts' ToUnicode maps, and notice an unembedded font or a cut file —
checked against poppler's ``pdftotext``/``pdffonts`` where they are installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kdx_desktop.selftest.checks import (
    CheckFailed,
    pdffonts_unembedded,
    pdftotext,
    png_size,
    read_pdf,
    squash,
)
from tests.tools import need

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "resources" / "fonts" / "LiberationSerif-Regular.ttf"
PHRASE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
BODY = "Độc lập - Tự do - Hạnh phúc. Tỷ lệ người dân vùng sâu được tiếp cận: 66,7% (a) \\ b <c> & đ."


def _pdf(path: Path, font: str) -> Path:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    if font != "Helvetica":
        pdfmetrics.registerFont(TTFont(font, str(FONT)))
    style = ParagraphStyle("p", fontName=font, fontSize=12, alignment=4)  # justified: words drawn apart
    doc = SimpleDocTemplate(str(path), pagesize=A4, initialFontName=font)
    story = [
        Paragraph(PHRASE, style),
        Paragraph(escape(BODY * 6), style),
        PageBreak(),
        Paragraph("Trang hai", style),
    ]
    doc.build(story)
    return path


def test_reads_vietnamese_text_and_embedded_fonts(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "vn.pdf", "LiberationSerifTest")
    facts = read_pdf(path.read_bytes())
    assert facts.pages == 2
    assert facts.fonts and all(f.endswith("LiberationSerif") for f in facts.fonts)
    assert facts.unembedded == []
    text = squash(facts.text)
    assert squash(PHRASE) in text
    assert squash(BODY) in text  # escapes, parentheses and backslashes decoded
    assert squash("Trang hai") in text
    assert squash("CỘNG HOÀ") not in text  # a different spelling is not found: the check can fail


def test_agrees_with_pdftotext(tmp_path: Path) -> None:
    need("pdftotext", "pdffonts")
    path = _pdf(tmp_path / "vn.pdf", "LiberationSerifTest")
    ours = squash(read_pdf(path.read_bytes()).text)
    theirs = pdftotext(path)
    assert theirs is not None and squash(theirs) == ours
    assert pdffonts_unembedded(path) == []


def test_notices_an_unembedded_font(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "helv.pdf", "Helvetica")
    facts = read_pdf(path.read_bytes())
    assert "Helvetica" in facts.unembedded
    need("pdffonts")
    assert set(pdffonts_unembedded(path) or []) == set(facts.unembedded)


def test_refuses_a_cut_file(tmp_path: Path) -> None:
    raw = _pdf(tmp_path / "vn.pdf", "LiberationSerifTest").read_bytes()
    with pytest.raises(CheckFailed, match="không hoàn chỉnh"):
        read_pdf(raw[: len(raw) // 2])
    with pytest.raises(CheckFailed):
        read_pdf(b"PK\x03\x04 not a pdf")


def test_png_size() -> None:
    icon = (ROOT / "resources" / "icons" / "kdx.png").read_bytes()
    assert png_size(icon) == (256, 256)
    with pytest.raises(CheckFailed, match="PNG"):
        png_size(b"GIF89a" + bytes(30))
