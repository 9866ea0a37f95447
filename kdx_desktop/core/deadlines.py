"""How far the reporting deadline is, in words an officer reads at a glance.

The plan's "trước ngày 25 tháng 11" is read literally (``Deadline.last_day``: the 24th is the last
day on time), and "today" is the date in Vietnam whatever the PC's clock zone says.
"""

from __future__ import annotations

import datetime as dt

from .catalog import Catalog
from .vntime import today_in_vietnam

__all__ = ["days_left", "deadline_note", "today_in_vietnam"]


def days_left(catalog: Catalog, year: int, today: dt.date) -> int:
    """Days from ``today`` to the last day on time for ``year``'s report; negative once passed."""
    return (catalog.deadline(year).last_day(year) - today).days


def deadline_note(catalog: Catalog, year: int, today: dt.date) -> str:
    """``Hạn gửi Sở: trước 25/11/2026, còn 12 ngày`` / ``… hôm nay là ngày cuối`` /
    ``… đã quá hạn 3 ngày``."""
    d = catalog.deadline(year)
    due = dt.date(year, d.month, d.day)
    when = f"{'đến hết' if d.inclusive else 'trước'} ngày {due:%d/%m/%Y}"
    left = days_left(catalog, year, today)
    if left > 0:
        return f"Hạn gửi Sở: {when}, còn {left} ngày"
    if left == 0:
        return f"Hạn gửi Sở: {when}, hôm nay là ngày cuối"
    return f"Hạn gửi Sở: {when}, đã quá hạn {-left} ngày"
