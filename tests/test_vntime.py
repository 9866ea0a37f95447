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


def test_one_module_knows_vietnams_offset() -> None:
    """Every module takes Vietnam time from core/vntime.py: five copies of the offset had grown,
    and one of them (the review's dates) forgot to convert at all."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "kdx_desktop"
    copies = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p.name != "vntime.py" and re.search(r"timedelta\(hours=7\)", p.read_text("utf-8"))
    ]
    assert copies == []


def test_a_review_date_is_the_day_in_vietnam() -> None:
    from kdx_desktop.services.review import _vn_day

    assert _vn_day("2026-11-26T20:30:00+00:00") == "27/11/2026"
