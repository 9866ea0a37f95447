"""An exported report's files are a function of the stored report and its export record: made
again (a re-export of the locked report, days later, on a clock in another zone) they are the
same PDF, workbook and package byte for byte, and every date inside them is the export's own
time in Vietnam time, never the clock of the moment they were made."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kdx_desktop.core.vntime import VIETNAM
from kdx_desktop.services.exporting import ExportResult, export_report
from kdx_desktop.services.reporting import App, open_app, reopen
from tests.printed import pdf_text

# 20:30:07 UTC on 31/12/2025 is already 01/01/2026 in Vietnam: the day printed is Vietnam's.
EXPORTED_AT = "2025-12-31T20:30:07+00:00"
IN_VIETNAM = dt.datetime(2026, 1, 1, 3, 30, 7, tzinfo=VIETNAM)
ZIP_STAMP = (2026, 1, 1, 3, 30, 6)  # a zip date counts seconds in twos


@pytest.fixture
def agency(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    shutil.copytree(demo_dir, tmp_path / "data")
    app = open_app(tmp_path / "data")
    # The export's time is whatever the clock said; pin it to a moment that is another day in UTC.
    monkeypatch.setattr("kdx_desktop.services.exporting.now_iso", lambda: EXPORTED_AT)
    yield app
    app.close()


def _sha(result: ExportResult) -> dict[str, str]:
    return {
        p.suffix: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (result.package, result.pdf, result.xlsx)
    }


def _later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    now = time.time() + seconds
    monkeypatch.setattr(time, "time", lambda: now)


def _pdf_info(pdf: bytes) -> dict[str, bytes]:
    found = dict(re.findall(rb"/(CreationDate|ModDate) \((D:[^)]*)\)", pdf))
    ident = re.search(rb"/ID\s*\[\s*<([0-9a-fA-F]+)>", pdf)
    assert ident is not None, "the PDF has no document id"
    return {k.decode(): v for k, v in found.items()} | {"ID": ident.group(1)}


def test_a_locked_report_made_again_later_is_the_same_files_byte_for_byte(
    agency: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = export_report(agency, "BKT", 2025, tmp_path / "sent")
    assert first.manifest["created_at"] == EXPORTED_AT
    sent = _sha(first)
    _later(monkeypatch, 5 * 86400 + 3671)  # five days, an hour, a minute and eleven seconds later
    again = export_report(agency, "BKT", 2025, tmp_path / "again")
    assert _sha(again) == sent
    assert _sha(first) == sent  # and the files sent were not touched
    # The package's members, the PDF and workbook inside it too (they are the files beside it).
    with zipfile.ZipFile(again.package) as zf:
        assert zf.read("report.pdf") == again.pdf.read_bytes()
        assert zf.read("report.xlsx") == again.xlsx.read_bytes()


def test_every_date_inside_the_files_is_the_export_time_in_vietnam_time(agency: App, tmp_path: Path) -> None:
    res = export_report(agency, "BKT", 2025, tmp_path / "out")
    # The PDF: its Info dates, and the date line of the header (Vietnam's day, not UTC's).
    info = _pdf_info(res.pdf.read_bytes())
    assert info["CreationDate"] == info["ModDate"] == b"D:20260101033007+07'00'"
    assert "ngày 01 tháng 01 năm 2026" in pdf_text(res.pdf)
    # The workbook: its document properties (UTC, as the format stores them) and its zip parts.
    wb = load_workbook(res.xlsx)
    utc = IN_VIETNAM.astimezone(dt.UTC).replace(tzinfo=None)
    assert wb.properties.created == utc and wb.properties.modified == utc
    with zipfile.ZipFile(res.xlsx) as zf:
        assert {i.date_time for i in zf.infolist()} == {ZIP_STAMP}
    # The package's members.
    with zipfile.ZipFile(res.package) as zf:
        assert {i.date_time for i in zf.infolist()} == {ZIP_STAMP}


def test_each_revision_has_its_own_document_id_and_dates(
    agency: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    r1 = export_report(agency, "BKT", 2025, tmp_path / "r1")
    reopen(agency, "BKT", 2025, "Bổ sung số liệu")
    monkeypatch.setattr("kdx_desktop.services.exporting.now_iso", lambda: "2026-01-09T10:00:00+07:00")
    r2 = export_report(agency, "BKT", 2025, tmp_path / "r2")
    one, two = _pdf_info(r1.pdf.read_bytes()), _pdf_info(r2.pdf.read_bytes())
    assert two["CreationDate"] == b"D:20260109100000+07'00'"
    assert one["ID"] != two["ID"]


def test_a_draft_is_dated_when_it_is_printed_in_vietnam_time(agency: App, tmp_path: Path) -> None:
    from kdx_desktop.services.exporting import export_draft

    when = dt.datetime(2026, 3, 2, 2, 15, 0, tzinfo=dt.UTC)  # 09:15 in Vietnam
    draft = export_draft(agency, "BKT", 2026, tmp_path / "d", now=when)
    assert load_workbook(draft.xlsx).properties.modified == when.replace(tzinfo=None)
    assert _pdf_info(draft.pdf.read_bytes())["CreationDate"] == b"D:20260302091500+07'00'"
