"""The window on the screens agencies have: 1024×768 to 1920×1080 at 100, 125 and 150 % scaling.

Each scaling runs ``tests/layout_walk.py`` in a process of its own (Qt fixes the scaling when it
starts), which opens the window on sample data, walks every page at every screen size and lists
every widget cut off, outside the window or squeezed; the lists must be empty.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from kdx_desktop.gui.main_window import MainWindow
from kdx_desktop.gui.window_layout import BESIDE, FOLDED, UNDER, fit_into
from kdx_desktop.services.reporting import open_app
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo
from tests.layout_walk import SIZES

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path)


@pytest.mark.parametrize("scale", ["1", "1.25", "1.5"])
def test_every_page_fits_every_screen(scale: str, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=scale, PYTHONPATH=str(ROOT))
    env.pop("QT_FONT_DPI", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "layout_walk.py"), scale],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # The Sở's PC (a draft, a received report), an agency's × every screen size × each page.
    assert result["walked"] >= 3 * len(SIZES) * 10
    assert result["faults"] == [], "\n".join(result["faults"][:40])


def test_the_panel_gives_way_on_a_small_window(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2026)
    win, ui = w.window, w.window.ui
    win.resize(1600, 900)
    qtbot.waitUntil(lambda: win.panel.mode == BESIDE)
    assert ui.sideSplitter.parent() is ui.mainSplitter and ui.sideSplitter.isVisible()
    win.resize(1000, 700)  # 1024×768 less the taskbar: the panel goes under the form
    qtbot.waitUntil(lambda: win.panel.mode == UNDER)
    assert ui.sideSplitter.parent() is win.panel.work and ui.sideSplitter.isVisible()
    win.resize(660, 430)  # 1024×768 at 150 %: folded away, the toolbar button brings it back
    qtbot.waitUntil(lambda: win.panel.mode == FOLDED)
    assert ui.sideSplitter.isHidden() and not win.panel_toggle.isChecked()
    win.panel_toggle.trigger()
    assert ui.sideSplitter.isVisible()
    win.panel_toggle.trigger()
    assert ui.sideSplitter.isHidden()
    w.close()


def test_a_field_reached_from_a_problem_is_fully_in_view(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2026)
    w.window.resize(1000, 700)
    model = w.window.side.problems
    seen = 0
    for row in range(model.rowCount()):
        issue = model.issue_at(row)
        if not w.window.side.select_problem(issue.rule, issue.field):
            continue
        page = w.window.ui.pageStack.currentWidget()
        focused = w.window.focusWidget()
        if not hasattr(page, "viewport") or focused is None or not page.isAncestorOf(focused):
            continue
        viewport = page.viewport()
        top_left = focused.mapTo(viewport, focused.rect().topLeft())
        bottom_right = focused.mapTo(viewport, focused.rect().bottomRight())
        assert viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right), issue
        seen += 1
    assert seen >= 5
    w.close()


def test_a_window_saved_on_a_bigger_screen_opens_inside_this_one(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2026)
    screen = w.window.screen().availableGeometry()
    w.window.move(screen.x() + 200, screen.y() + 100)
    w.window.resize(screen.width() + 900, screen.height() + 400)  # as on a 1920×1080 screen
    w.close()
    saved = QSettings().value("window/geometry")
    assert isinstance(saved, QByteArray)
    app = open_app(data)
    again = MainWindow(app, org="BKT", year=2026)  # as the program opens it (no test resizing)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    frame = again.frameGeometry()
    assert screen.contains(frame), (frame, screen)
    again.close()
    app.close()


def test_fit_into_moves_and_shrinks() -> None:
    from PySide6.QtCore import QRect

    screen = QRect(0, 0, 1024, 728)
    assert fit_into(QRect(300, 200, 1920, 1040), screen) == screen
    assert fit_into(QRect(900, 700, 400, 300), screen) == QRect(624, 428, 400, 300)
    assert fit_into(QRect(-50, 10, 400, 300), screen) == QRect(0, 10, 400, 300)
