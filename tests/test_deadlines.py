"""The deadline in view: what the status bar and the export step say, in Vietnam's date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kdx_desktop.core.catalog import Catalog
from kdx_desktop.core.deadlines import days_left, deadline_note, today_in_vietnam
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo


def test_days_left_reads_the_plan_literally(catalog: Catalog) -> None:
    # "trước ngày 25 tháng 11": the 24th is the last day on time.
    assert days_left(catalog, 2026, dt.date(2026, 11, 12)) == 12
    assert (
        deadline_note(catalog, 2026, dt.date(2026, 11, 12))
        == "Hạn gửi Sở: trước ngày 25/11/2026, còn 12 ngày"
    )
    assert deadline_note(catalog, 2026, dt.date(2026, 11, 24)).endswith("hôm nay là ngày cuối")
    assert deadline_note(catalog, 2026, dt.date(2026, 11, 25)).endswith("đã quá hạn 1 ngày")
    assert deadline_note(catalog, 2026, dt.date(2026, 12, 7)).endswith("đã quá hạn 13 ngày")


def test_today_is_the_date_in_vietnam_whatever_the_pc_zone() -> None:
    late_evening_utc = dt.datetime(2026, 11, 23, 18, 30, tzinfo=dt.UTC)  # 01:30 on the 24th in Hà Nội
    assert today_in_vietnam(late_evening_utc) == dt.date(2026, 11, 24)


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_the_status_bar_says_the_deadline_of_the_draft(
    qtbot, demo_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    from kdx_desktop.gui import main_window

    monkeypatch.setattr(main_window, "today_in_vietnam", lambda: dt.date(2026, 11, 20))
    w = Opened(qtbot, copy_demo(demo_dir, tmp_path), "BKT", 2026)
    label = w.window._deadline
    assert label.isVisible() and label.text() == "Hạn gửi Sở: trước ngày 25/11/2026, còn 4 ngày"
    monkeypatch.setattr(main_window, "today_in_vietnam", lambda: dt.date(2026, 12, 7))
    w.window.load("BKT", 2026)
    assert label.text().endswith("đã quá hạn 13 ngày") and "b00020" in label.styleSheet()
    # The status bar names the organisation by its document abbreviation, never KDX's code.
    assert "BQN · năm 2026" in w.window._status.text() and "BKT" not in w.window._status.text()
    w.close()
