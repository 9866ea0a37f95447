"""Every printed time in Vietnam time, written the Vietnamese way, whatever the PC's zone."""

from __future__ import annotations

import datetime as dt

from kdx_desktop.core.vntime import today_in_vietnam, vn_date, vn_datetime


def test_times_are_shown_in_vietnam_time() -> None:
    assert vn_datetime("2026-11-26T03:21:05+00:00") == "10:21 ngày 26/11/2026"
    assert vn_datetime("2026-11-26T10:21:05+07:00") == "10:21 ngày 26/11/2026"
    assert vn_datetime("2026-11-26T20:30:00Z") == "03:30 ngày 27/11/2026"  # the next day in Hà Nội
    assert vn_date("2026-11-26T20:30:00+00:00") == "27/11/2026"
    assert vn_datetime(dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC)) == "07:00 ngày 01/01/2026"
    assert vn_datetime("không phải thời gian") == "không phải thời gian"
    assert vn_datetime(None) == "" and vn_date("") == ""


def test_today_is_vietnams() -> None:
    assert today_in_vietnam(dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC)) == dt.date(2027, 1, 1)
