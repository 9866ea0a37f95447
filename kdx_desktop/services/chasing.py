"""The Sở chasing the agencies (CLI and window): the board written as PDF or workbook, and the
reminders (mail draft and letter) for each agency that has not reported or must correct."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..core.vntime import today_in_vietnam
from ..fsutil import OutputError, atomic_write_bytes, describe_os_error, output_folder
from .identity import identity
from .intake import status_board
from .reporting import App, UsageError


def _sender(app: App, year: int) -> Any:
    return identity(app.catalog, app.store, app.catalog.consolidator().code, year)


def _write(path: Path, raw: bytes) -> Path:
    output_folder(path.parent, "tệp")
    try:
        atomic_write_bytes(path, raw)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, path)) from None
    return path


def write_board(
    app: App, year: int, *, pdf: Path | None = None, xlsx: Path | None = None, today: dt.date | None = None
) -> list[Path]:
    """Write the board of ``year`` as a printable PDF and/or a workbook."""
    from ..province.chasing import render_board_pdf, render_board_xlsx

    today = today or today_in_vietnam()
    b = status_board(app, year, today=today)
    ident = _sender(app, year)
    out = []
    if pdf is not None:
        out.append(_write(Path(pdf), render_board_pdf(b, ident, today=today)))
    if xlsx is not None:
        out.append(_write(Path(xlsx), render_board_xlsx(b, ident, today=today)))
    return out


def agency_addresses(app: App, year: int) -> dict[str, str]:
    """Each agency's mailbox where the catalogue has one for ``year`` (else the officer fills it in)."""
    out = {}
    for o in app.catalog.organisations:
        if o.exists_in(year) and o.period(year).email and not o.consolidates:
            out[o.code] = o.period(year).email
    return out


def write_reminders(
    app: App, year: int, out_dir: Path, *, org: str | None = None, today: dt.date | None = None
) -> list[Path]:
    """For each agency to chase (or only ``org``): ``<stem>.eml`` and ``<stem>.pdf`` in ``out_dir``."""
    from ..province.chasing import reminder_eml, reminder_file_stem, reminders, render_reminder_pdf

    today = today or today_in_vietnam()
    b = status_board(app, year, today=today)
    todo = reminders(b, agency_addresses(app, year))
    if org is not None:
        todo = [r for r in todo if r.row.org_code == org]
        if not todo:
            raise UsageError(
                f"{app.catalog.org_label(org, year)} không cần nhắc cho năm {year}: đã gửi báo cáo và không có "
                "góp ý cần sửa đang chờ."
            )
    if not todo:
        raise UsageError(f"Năm {year} không có cơ quan nào cần nhắc.")
    folder = output_folder(Path(out_dir), "thư nhắc")
    ident = _sender(app, year)
    files = []
    for rem in todo:
        stem = reminder_file_stem(rem)
        files.append(_write(folder / f"{stem}.eml", reminder_eml(rem, ident)))
        files.append(_write(folder / f"{stem}.pdf", render_reminder_pdf(rem, ident, issued=today)))
    return files


__all__ = ["agency_addresses", "write_board", "write_reminders"]
