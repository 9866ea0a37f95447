"""The user guide: complete for both audiences, its HTML edition (opened by the Help menu) current, every
picture and internal link resolving, and its pictures taken by the screenshot script, not by hand."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
GUIDE = DOCS / "huong-dan-su-dung.md"
sys.path.insert(0, str(ROOT / "scripts"))
import make_guide_html  # noqa: E402
import make_screenshots  # noqa: E402


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_covers_every_topic_of_the_issue(guide: str) -> None:
    headings = [h.lower() for h in re.findall(r"^## (.+)$", guide, re.M)]
    for topic in (
        "cài đặt",
        "khởi động lần đầu",
        "nhập số liệu",
        "xuất báo cáo và in",
        "gửi báo cáo",
        "mở lại",
        "tại sở: nhập báo cáo",
        "bảng theo dõi",
        "báo cáo tổng hợp",
        "sao lưu và khôi phục",
    ):
        assert any(topic in h for h in headings), f"no section about {topic!r}"
    assert "portable.txt" in guide and "KDX-data" in guide
    assert "kdx-cli selftest" in guide


def test_is_composed_vietnamese(guide: str) -> None:
    assert unicodedata.is_normalized("NFC", guide)


def test_pictures_exist_and_come_from_the_script(guide: str) -> None:
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", guide)
    assert len(pictures) >= 5
    for pic in pictures:
        path = DOCS / pic
        assert path.is_file(), pic
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        # Every picture of the guide is one the script takes (or the window's own main-window.png).
        assert path.name in make_screenshots.SHOTS or path.name == "main-window.png", path.name


def test_internal_links_resolve(guide: str) -> None:
    anchors = {make_guide_html.slug(h) for h in re.findall(r"^#{1,6} (.+)$", guide, re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", guide)
    assert len(links) >= 12
    assert set(links) <= anchors, set(links) - anchors


def test_html_edition_is_current() -> None:
    assert make_guide_html.main(["--check"]) == 0, "run: python scripts/make_guide_html.py"


def test_html_rendering() -> None:
    page = make_guide_html.render(
        "# Tiêu đề\n\nĐoạn **đậm `mã`** và *nghiêng*, [liên kết](#muc-1) <b>.\n\n"
        "1. Bước một\n\n   ```\n   kdx-cli selftest\n   ```\n\n2. Bước hai\n   - ý a\n   - ý b\n\n"
        "| a | b |\n|---|---|\n| `x` | 1 |\n"
    )
    assert '<html lang="vi">' in page and '<meta charset="utf-8">' in page
    assert "<strong>đậm <code>mã</code></strong>" in page
    assert "<em>nghiêng</em>" in page and '<a href="#muc-1">liên kết</a>' in page
    assert "&lt;b&gt;" in page  # text is escaped, never markup
    assert "<pre><code>kdx-cli selftest</code></pre>" in page
    assert "<ul>\n<li>ý a</li>\n<li>ý b</li>\n</ul>" in page
    assert "<td><code>x</code></td>" in page
    assert (
        make_guide_html.slug("6. Sửa báo cáo khi Sở đề nghị (mở lại)")
        == "6-sửa-báo-cáo-khi-sở-đề-nghị-mở-lại"
    )


def test_help_menu_opens_the_html_edition() -> None:
    from kdx_desktop.paths import user_guide_path

    assert user_guide_path() == DOCS / "huong-dan-su-dung.html"
