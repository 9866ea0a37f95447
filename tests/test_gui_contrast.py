"""Every colour the window paints text with is readable (WCAG AA, 4.5:1) on the palette it is
shown on, including when Windows is in dark mode: the window keeps its light palette there
(gui/app.py ``use_light_scheme``), because the status colours and the lock banner are chosen for
a light background."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from kdx_desktop.gui.app import use_light_scheme

GUI = Path(__file__).resolve().parent.parent / "kdx_desktop" / "gui"
AA = 4.5


def luminance(c: QColor) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colours() -> dict[str, QColor]:
    """Every text colour written in the window's code: ``color: #rrggbb`` in style sheets and
    ``QColor(r, g, b)`` constants (the tables' status columns)."""
    found: dict[str, QColor] = {}
    for path in GUI.glob("*.py"):
        text = path.read_text("utf-8")
        for m in re.finditer(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", text):
            found[f"{path.name} {m.group(1)}"] = QColor(m.group(1))
        for m in re.finditer(r"QColor\((\d+),\s*(\d+),\s*(\d+)\)", text):
            found[f"{path.name} QColor{m.group(0)[6:]}"] = QColor(*(int(g) for g in m.groups()))
    return found


def backgrounds() -> dict[str, QColor]:
    found: dict[str, QColor] = {}
    for path in GUI.glob("*.py"):
        for m in re.finditer(r"background:\s*(#[0-9a-fA-F]{6})", path.read_text("utf-8")):
            found[f"{path.name} {m.group(1)}"] = QColor(m.group(1))
    return found


@pytest.fixture
def restored(qapp: QApplication) -> Iterator[QApplication]:
    style, palette = qapp.style().name(), qapp.palette()
    yield qapp
    qapp.setStyle(style)
    qapp.setPalette(palette)


def dark_palette() -> QPalette:
    """What Windows 11's dark mode gives a Qt >= 6.7 window."""
    p = QPalette()
    for role, colour in {
        QPalette.ColorRole.Window: "#202020",
        QPalette.ColorRole.Base: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#ffffff",
        QPalette.ColorRole.Text: "#ffffff",
        QPalette.ColorRole.Button: "#2d2d2d",
        QPalette.ColorRole.ButtonText: "#ffffff",
    }.items():
        p.setColor(role, QColor(colour))
    return p


def test_the_colours_are_found() -> None:
    # The scan must see the status colours, or the checks below would pass on nothing.
    assert len(text_colours()) >= 5 and backgrounds()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_text_colour_is_readable_on_the_palette(restored: QApplication, mode: str) -> None:
    if mode == "dark":
        restored.setPalette(dark_palette())
        assert restored.palette().color(QPalette.ColorRole.Window).lightness() < 128
    use_light_scheme(restored)
    palette = restored.palette()
    base, window = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Window)
    assert window.lightness() >= 128  # dark mode did not darken the window
    poor = {
        name: round(min(contrast(c, base), contrast(c, window)), 2)
        for name, c in text_colours().items()
        if min(contrast(c, base), contrast(c, window)) < AA
    }
    assert poor == {}
    # The lock banner: the palette's text on the banner's own background.
    text = palette.color(QPalette.ColorRole.WindowText)
    for name, bg in backgrounds().items():
        assert contrast(text, bg) >= AA, name


def test_the_check_can_fail() -> None:
    # White on light yellow, the dark-mode banner the issue saw: 1.1:1.
    assert contrast(QColor("#ffffff"), QColor("#fff4d6")) < 1.2
