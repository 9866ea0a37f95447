"""Times as an officer reads them: Vietnam time (UTC+7) whatever the PC's clock zone says, written
the Vietnamese way (``10:21 ngày 26/11/2026``). Stored times carry their offset (ISO 8601); a time
stored without one is read as the PC's local time, as Python writes it. The one place that knows
Vietnam's offset: every module that needs Vietnam time takes it from here."""

from __future__ import annotations

import datetime as dt

VIETNAM = dt.timezone(dt.timedelta(hours=7))


def today_in_vietnam(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Vietnam."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(VIETNAM).date()


def _parse(value: str | dt.datetime) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        t = value
    else:
        try:
            t = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return t.astimezone(VIETNAM)  # a naive time is taken as the PC's local time


def vietnam_date(iso: str) -> dt.date:
    """The calendar day in Vietnam of an ISO time written with any offset (or none: the PC's
    local time). Raises ``ValueError`` for text that is not a time."""
    t = _parse(iso)
    if t is None:
        raise ValueError(f"not an ISO time: {iso!r}")
    return t.date()


def vn_datetime(value: str | dt.datetime | None) -> str:
    """``2026-11-26T03:21:05+00:00`` → ``10:21 ngày 26/11/2026``; text that is not a time as it is."""
    if value is None or value == "":
        return ""
    t = _parse(value)
    return str(value) if t is None else f"{t:%H:%M} ngày {t:%d/%m/%Y}"


def vn_date(value: str | dt.datetime | None) -> str:
    """``2026-11-26T20:00:00+00:00`` → ``27/11/2026`` (the day in Vietnam)."""
    if value is None or value == "":
        return ""
    t = _parse(value)
    return str(value)[:10] if t is None else f"{t:%d/%m/%Y}"
