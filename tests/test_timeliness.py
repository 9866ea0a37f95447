"""On time or late is judged on the day a package reached the Sở, in Vietnam time.

The plan says "trước ngày 25 tháng 11 hằng năm", read literally: the 24th is the last day on
time. The agency's ``created_at`` (its own PC's clock and zone) is shown but decides nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kdx_desktop.province import ledger
from kdx_desktop.province.status import board
from kdx_desktop.services import exporting
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.intake import IMPORTED, REJECTED, import_paths
from kdx_desktop.services.reporting import App, UsageError, open_app

YEAR = 2025


@pytest.fixture
def pc_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The PC's time zone for the test (Windows users set theirs by hand; some never do)."""
    zone = getattr(request, "param", "Asia/Ho_Chi_Minh")
    old = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    yield zone
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def _package(demo_dir: Path, tmp_path: Path, made: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The newspaper's 2025 package, made at ``made`` (an ISO time with the PC's offset)."""
    agency = tmp_path / f"agency-{made[:19].replace(':', '')}"
    shutil.copytree(demo_dir, agency)
    app = open_app(agency)
    monkeypatch.setattr(exporting, "now_iso", lambda: made)
    try:
        return export_report(app, "BKT", YEAR, tmp_path / "out" / made[:19].replace(":", "")).package
    finally:
        app.close()


_OPENED: list[App] = []


@pytest.fixture(autouse=True)
def _close_apps() -> Iterator[None]:
    yield
    while _OPENED:
        _OPENED.pop().close()


def _so(tmp_path: Path, name: str) -> App:
    (tmp_path / name).mkdir()
    app = open_app(tmp_path / name)
    _OPENED.append(app)
    return app


def _row(app: App) -> object:
    return next(r for r in board(app.catalog, app.store, YEAR).rows if r.org_code == "BKT")


@pytest.mark.parametrize("pc_zone", ["Asia/Ho_Chi_Minh", "Europe/London", "America/New_York"], indirect=True)
def test_made_at_2359_on_the_25th_is_judged_by_when_it_arrived(
    pc_zone: str, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = _package(demo_dir, tmp_path, "2025-11-25T23:59:00+07:00", monkeypatch)
    # It cannot have arrived before it was made.
    so = _so(tmp_path, "so1")
    [out] = import_paths(so, [pkg], received=dt.date(2025, 11, 24))
    assert out.kind == REJECTED and out.code == "received.before_created"
    assert "sớm hơn ngày cơ quan lập gói (25/11/2025" in out.message
    # Arriving on the 25th is not "trước ngày 25".
    [out] = import_paths(so, [pkg], received=dt.date(2025, 11, 25))
    assert out.kind == IMPORTED
    row = _row(so)
    assert row.arrived_on == "2025-11-25" and row.on_time is False and row.days_late == 1  # type: ignore[attr-defined]
    assert row.first_created_at == "2025-11-25T23:59:00+07:00"  # type: ignore[attr-defined]  # shown, not judged


@pytest.mark.parametrize("pc_zone", ["Asia/Ho_Chi_Minh", "America/Los_Angeles"], indirect=True)
def test_made_at_20h_utc_on_the_25th_is_already_the_26th_in_vietnam(
    pc_zone: str, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = _package(demo_dir, tmp_path, "2025-11-25T20:00:00+00:00", monkeypatch)
    so = _so(tmp_path, "so")
    [out] = import_paths(so, [pkg], received=dt.date(2025, 11, 25))
    assert out.kind == REJECTED and "(26/11/2025, giờ Việt Nam)" in out.message
    [out] = import_paths(so, [pkg], received=dt.date(2025, 11, 26))
    assert out.kind == IMPORTED
    row = _row(so)
    assert row.on_time is False and row.days_late == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("received", "on_time"),
    [
        (dt.date(2025, 11, 21), True),
        (dt.date(2025, 11, 24), True),
        (dt.date(2025, 11, 25), False),
        (dt.date(2025, 12, 1), False),
    ],
)
def test_an_early_package_is_on_time_only_if_it_arrived_in_time(
    demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, received: dt.date, on_time: bool
) -> None:
    pkg = _package(demo_dir, tmp_path, "2025-11-20T09:00:00+07:00", monkeypatch)
    so = _so(tmp_path, "so")
    [out] = import_paths(so, [pkg], received=received)
    assert out.kind == IMPORTED
    assert _row(so).on_time is on_time  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("pc_zone", "imported_at", "on_time"),
    [
        ("America/New_York", "2025-11-24T11:59:00-05:00", True),  # 24/11 23:59 in Vietnam
        ("America/New_York", "2025-11-24T12:00:00-05:00", False),  # 25/11 00:00 in Vietnam
        ("Asia/Tokyo", "2025-11-25T01:30:00+09:00", True),  # 24/11 23:30 in Vietnam
        ("Europe/London", "2025-11-24T17:00:00+00:00", False),  # 25/11 00:00 in Vietnam
    ],
    indirect=["pc_zone"],
)
def test_without_a_date_the_package_arrived_the_day_it_was_imported_in_vietnam(
    pc_zone: str,
    demo_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    imported_at: str,
    on_time: bool,
) -> None:
    pkg = _package(demo_dir, tmp_path, "2025-11-20T09:00:00+07:00", monkeypatch)
    so = _so(tmp_path, "so")
    monkeypatch.setattr(ledger, "now_iso", lambda: imported_at)
    [out] = import_paths(so, [pkg])
    assert out.kind == IMPORTED
    assert _row(so).on_time is on_time  # type: ignore[attr-defined]


def test_a_received_date_after_today_is_refused(demo_dir: Path, tmp_path: Path) -> None:
    so = _so(tmp_path, "so")
    with pytest.raises(UsageError, match="sau ngày hôm nay"):
        import_paths(so, [tmp_path], received=dt.date.today() + dt.timedelta(days=3))


def test_the_command_line_takes_the_received_date(
    demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import subprocess
    import sys

    pkg = _package(demo_dir, tmp_path, "2025-11-20T09:00:00+07:00", monkeypatch)
    (tmp_path / "so").mkdir()
    env = {**os.environ, "TZ": "America/New_York", "PYTHONIOENCODING": "utf-8"}
    cmd = [sys.executable, "-m", "kdx_desktop", "--data-dir", str(tmp_path / "so")]
    bad = subprocess.run(
        [*cmd, "import", str(pkg), "--received", "24/11/2025"], capture_output=True, text=True, env=env
    )
    assert bad.returncode != 0 and "YYYY-MM-DD" in bad.stderr
    done = subprocess.run(
        [*cmd, "import", str(pkg), "--received", "2025-11-24"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    status = subprocess.run(
        [*cmd, "status", "--year", "2025", "--json"], capture_output=True, text=True, env=env
    )
    doc = json.loads(status.stdout)
    row = next(r for r in doc["organisations"] if r["org_code"] == "BKT")
    assert row["arrived_on"] == "2025-11-24" and row["on_time"] is True
    assert doc["deadline_text"] == "trước ngày 25/11/2025" and doc["last_day_on_time"] == "2025-11-24"
