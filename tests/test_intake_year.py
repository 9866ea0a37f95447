"""The Sở's intake page follows the year chosen at the top of the window, and the officer can
still pick another year on the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kdx_desktop.services.reporting import open_app
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path)


def _choose_year_at_top(w: Opened, year: int) -> None:
    combo = w.window.ui.yearCombo
    combo.setCurrentIndex(combo.findData(year))  # as picking it in the list does


def _board_year(page: Any) -> str:
    return page.summary.text().split(":")[0]


def test_the_intake_page_follows_the_windows_year(qtbot, data: Path) -> None:
    from kdx_desktop.gui.intake_page import IntakePage

    w = Opened(qtbot, data, "STTTT", 2024)
    page = w.window.intake
    assert isinstance(page, IntakePage)
    assert page.year.value() == 2024 and _board_year(page) == "Hạn gửi trước ngày 25/11/2024"

    _choose_year_at_top(w, 2023)
    assert w.session.require_state().year == 2023
    assert page.year.value() == 2023 and _board_year(page) == "Hạn gửi trước ngày 25/11/2023"

    # The officer looks at another year on the page itself: the window is left as it is …
    page.year.setValue(2025)
    assert _board_year(page) == "Hạn gửi trước ngày 25/11/2025"
    assert int(w.window.ui.yearCombo.currentData()) == 2023
    # … and that choice stays while the window's year does not change: the same report
    # reloaded (after an export or a reopening) or another organisation of the same year.
    w.session.reload()
    w.window.load("BKT", 2023)
    assert page.year.value() == 2025

    # A new year at the top is followed again, whichever way it is chosen.
    _choose_year_at_top(w, 2024)
    assert page.year.value() == 2024 and _board_year(page) == "Hạn gửi trước ngày 25/11/2024"
    w.window.load("PTTH", 2026)
    assert page.year.value() == 2026
    w.close()


def test_follow_year_on_a_page_outside_the_window(qtbot, tmp_path: Path) -> None:
    """Built alone (tests, another window), the page keeps its own year until told one."""
    from kdx_desktop.gui.intake_page import IntakePage
    from kdx_desktop.gui.session import ReportSession

    (tmp_path / "so").mkdir()
    app = open_app(tmp_path / "so")
    try:
        page = IntakePage(app)
        qtbot.addWidget(page)
        page.follow_year(2023)
        assert page.year.value() == 2023 and _board_year(page) == "Hạn gửi trước ngày 25/11/2023"
        page.year.setValue(2024)
        page.follow_year(2023)  # the same year again: the officer's choice stays
        assert page.year.value() == 2024
        session = ReportSession(app)
        session.load("STTTT", 2025)
        page.follow_session(session)
        assert page.year.value() == 2025
        session.load("STTTT", 2026)
        assert page.year.value() == 2026
    finally:
        app.close()
