"""The guide read inside the program fits the window it is read in: no sideways scrolling at
1024×768, pictures shrunk (sharply) to the room they have and grown back, never past their own
size, when the window is made wider. The other scalings are walked by ``tests/layout_walk.py``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QTextDocument

from kdx_desktop import paths
from kdx_desktop.gui.guide_viewer import FittingBrowser, GuideViewer
from tests.gui_helpers import OFFSCREEN_NOISE
from tests.layout_walk import client_size, guide_faults

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
WIDE = "images/nhap-so-lieu.png"  # a 1280-pixel screenshot of the window


def opened(qtbot, guide: Path, width: int, height: int) -> GuideViewer:  # type: ignore[no-untyped-def]
    viewer = GuideViewer(guide)
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitExposed(viewer)
    resize(qtbot, viewer, width, height)
    return viewer


def resize(qtbot, viewer: GuideViewer, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    """Resize, and wait until the new size has reached the page (which starts the fitting's
    timer) and the fitting has followed (it waits for the window to rest)."""
    viewer.resize(width, height)
    qtbot.waitUntil(lambda: viewer.size() == QSize(width, height))
    qtbot.waitUntil(lambda: not viewer.browser._refit_soon.isActive())


def shown_width(viewer: GuideViewer, name: str) -> float:
    shown = viewer.browser.shown_picture(name)
    assert shown is not None
    return shown.deviceIndependentSize().width()


def test_no_sideways_scrolling_at_1024x768(qtbot) -> None:
    guide = paths.user_guide_path()
    assert guide.suffix == ".html"
    viewer = opened(qtbot, guide, *client_size(1024, 768, 1.0))
    assert not viewer.browser.horizontalScrollBar().isVisible()
    assert guide_faults(viewer) == []
    assert len(viewer.browser.room_for_pictures()) >= 8  # the guide's pictures were all looked at
    assert shown_width(viewer, WIDE) < 1000  # the 1280-pixel screenshot was shrunk
    viewer.close()


def test_the_check_sees_a_page_that_scrolls_sideways(qtbot, monkeypatch) -> None:
    """Without the fitting the same page scrolls sideways, and the check says so."""
    monkeypatch.setattr(FittingBrowser, "fit_pictures", lambda self: None)
    monkeypatch.setattr(FittingBrowser, "_wrap_preformatted", lambda self: None)
    viewer = opened(qtbot, paths.user_guide_path(), *client_size(1024, 768, 1.0))
    assert any("cuộn ngang" in f for f in guide_faults(viewer))
    viewer.close()


def test_pictures_follow_the_window_and_never_grow_past_their_size(qtbot) -> None:
    viewer = opened(qtbot, paths.user_guide_path(), 700, 600)
    narrow = shown_width(viewer, WIDE)
    assert narrow < 700 and guide_faults(viewer) == []
    resize(qtbot, viewer, 1800, 900)
    assert shown_width(viewer, WIDE) == 1280  # room for all of it: its own size
    small = "images/mo-lai-de-sua.png"  # 520 pixels: never blown up
    assert shown_width(viewer, small) == 520
    assert guide_faults(viewer) == []
    resize(qtbot, viewer, 640, 600)
    assert shown_width(viewer, WIDE) < narrow
    assert shown_width(viewer, small) < 520
    assert guide_faults(viewer) == []
    viewer.close()


def test_command_lines_wrap_instead_of_widening_the_page(qtbot) -> None:
    viewer = opened(qtbot, paths.user_guide_path(), 640, 600)
    doc = viewer.browser.document()
    block, unbroken = doc.begin(), []
    while block.isValid():
        if block.blockFormat().nonBreakableLines():
            unbroken.append(block.text())
        block = block.next()
    assert unbroken == []
    assert "kdx-cli import" in viewer.browser.toPlainText()  # the commands are still there
    viewer.close()


def test_the_markdown_guide_fits_too(qtbot, tmp_path: Path) -> None:
    """Where the HTML edition is missing, the Markdown source is shown, with the same pictures."""
    source = paths.user_guide_path().with_suffix(".md")
    guide = tmp_path / "docs" / source.name
    guide.parent.mkdir()
    guide.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(source.parent / "images", guide.parent / "images")
    viewer = opened(qtbot, guide, *client_size(1024, 768, 1.0))
    assert guide_faults(viewer) == []
    picture = viewer.browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(WIDE))
    assert picture is not None and picture.width() < 1000
    viewer.close()
