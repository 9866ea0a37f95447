"""Every printed time in Vietnam time, written the Vietnamese way, whatever the PC's zone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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


def test_no_time_is_cut_from_its_text_nor_read_off_the_pcs_clock() -> None:
    """A stored time's day is its day in Vietnam (``vietnam_date``/``vn_date``), not its first ten
    characters (a time written on a PC set to another zone falls on another day); what the program
    shows or prints takes today and now in Vietnam, not the PC's clock. (A time stored with its
    offset, ``now().astimezone()``, and the backups' file-name stamps, shown converted, are data.)"""
    import re

    root = Path(__file__).resolve().parent.parent / "kdx_desktop"
    cut = re.compile(r"_at\b.{0,12}\[:10\]|iso\[:10\]")
    pcs_clock = re.compile(r"datetime\.now\(\)(?!\.astimezone\(\))|date\.today\(\)")
    shown = ("gui", "commands", "documents", "province", "agency", "services")
    found = []
    for path in root.rglob("*.py"):
        where = path.relative_to(root)
        if where.name == "vntime.py":
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if cut.search(line) or (where.parts[0] in shown and pcs_clock.search(line)):
                found.append(f"{where}:{n}: {line.strip()}")
    assert found == []


def test_a_backup_is_listed_in_vietnam_time() -> None:
    """Backups are named by the PC's clock; the list shows the time in Vietnam."""
    from kdx_desktop.safekeeping.backups import BackupInfo

    stamp = dt.datetime(2026, 11, 26, 3, 15)  # as a PC set to UTC names it
    utc_pc = stamp.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)  # that moment, here
    info = BackupInfo(Path("kdx-20261126-031500-manual.sqlite3"), utc_pc, "manual", 1)
    assert info.label.startswith("26/11/2026 10:15")
